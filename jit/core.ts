// JIT core: the pass driver, the offset tables and branch range resolution, shared by every backend.
// Owns: program analysis (functions, jump targets), the per-slot offset table, far branches/calls to eBPF
// targets with their three sticky forms, and the convergence argument below. Does not own instruction
// selection (jit/o32/), encoding (enc.ts) or hazards (emitter.ts).
//
// Far control transfers (a jump to another eBPF instruction, EXIT to the epilogue, a bpf-to-bpf call) have a
// per-slot form `state[i]`:
//   branch: 0 = `b<cond> off16; nop`                 (target within ±128 KiB, mips-isa.md §3.1)
//           1 = `b<!cond> +3; nop; j target; nop`    (target in the same 256 MiB segment)
//           2 = `b<!cond> +5; nop; lui t9; ori t9; jr t9; nop`  (anywhere)
//   call:   0 = `jal target; nop`,  1 = `lui t9; ori t9; jalr t9; nop`
// Every instruction's size depends only on the program, the options and the states — never on offsets
// (layout-dependent constants use the fixed-length `li2`).
//
// CONVERGENCE BY CONSTRUCTION. Pass k emits with states S_k, giving offsets O_k. Every site whose form is
// out of range under O_k is upgraded; S_{k+1} ⊇ S_k pointwise (states only grow) and each state is bounded
// (≤ 2), so there can be at most 2·slots upgrades: the loop ends after ≤ 2·slots + 1 dry passes, with no
// iteration cap. When a pass upgrades nothing, S_{k+1} = S_k, so the next pass has exactly the sizes, hence
// the offsets O_k, under which every site was checked to be in range: the writing pass reuses S_k and O_k
// and asserts that its own offsets equal O_k.
import type { Insn, Program } from "../src/ebpf/insn";
import {
  BPF_ALU, BPF_ALU64, BPF_ATOMIC, BPF_CALL, BPF_EXIT, BPF_JA, BPF_JMP, BPF_JMP32, BPF_LD, BPF_LDX,
  BPF_PSEUDO_CALL, BPF_PSEUDO_FUNC, BPF_STX, cls, isLdImm64,
} from "../src/ebpf/insn";
import { InputError } from "../src/ebpf/errors";
import { Cond, Emitter, T9 } from "./emitter";
import { JitError } from "./errors";

export const SITE_NONE = 0, SITE_B16 = 1, SITE_J = 2, SITE_JAL = 3;

/** Loongson-2F jump erratum mask (reference/mips-isa.md §8): clear bits 28–29 of register jump targets. */
export const JUMP_MASK = ~0x30000000;

export interface ProgramInfo {
  /** slot i starts a function (0 or the target of a bpf-to-bpf call or of LD_IMM64 src=4). */
  readonly funcStart: Uint8Array;
  /** slot i is the second half of an LD_IMM64. */
  readonly wide: Uint8Array;
  /** slot i is the target of some jump (for listings). */
  readonly jumpTarget: Uint8Array;
  readonly regsUsed: number; // bit r: register r appears
  readonly hasCall: boolean; // helper, callx or bpf-to-bpf call
  readonly hasTailCall: boolean;
  readonly hasLocalCall: boolean;
  /** Can register r hold a defined value anywhere (entry-defined R1, R2, R10, or written by some insn)? */
  defined(r: number): boolean;
}

export function analyze(prog: Program, tailCallId: number): ProgramInfo {
  const n = prog.length;
  const funcStart = new Uint8Array(n + 1);
  const wide = new Uint8Array(n + 1);
  const jumpTarget = new Uint8Array(n + 1);
  if (n === 0) throw new InputError("empty program");
  funcStart[0] = 1;
  let regsUsed = 0, hasCall = false, hasTailCall = false, hasLocalCall = false;
  let written = (1 << 1) | (1 << 2) | (1 << 10) | 1; // entry: R1 = ctx, R2 = len, R10; R0 by any call
  const checkTarget = (i: number, t: number): void => {
    if (t < 0 || t >= n) throw new InputError(`jump target ${t} out of range`, { insn: i });
    if (wide[t]) throw new InputError(`jump into the second slot of LD_IMM64 at ${t - 1}`, { insn: i });
  };
  for (let i = 0; i < n; i++) {
    const x = prog[i]!;
    if (isLdImm64(x)) {
      if (i + 1 >= n) throw new InputError("LD_IMM64 without its second slot", { insn: i });
      wide[i + 1] = 1;
    }
  }
  for (let i = 0; i < n; i++) {
    if (wide[i]) continue;
    const x: Insn = prog[i]!;
    const c = cls(x.opcode);
    regsUsed |= (1 << x.dst) | (1 << x.src);
    if (c === BPF_ALU || c === BPF_ALU64 || c === BPF_LDX || c === BPF_LD) written |= 1 << x.dst;
    if (c === BPF_STX && (x.opcode & 0xe0) === BPF_ATOMIC) written |= (1 << x.src) | 1;
    if (isLdImm64(x)) {
      if (x.src === BPF_PSEUDO_FUNC) { const t = i + 1 + x.imm; checkTarget(i, t); funcStart[t] = 1; }
      continue;
    }
    if (c !== BPF_JMP && c !== BPF_JMP32) continue;
    const op = x.opcode & 0xf0;
    if (op === BPF_EXIT) continue;
    if (op === BPF_CALL) {
      hasCall = true;
      if ((x.opcode & 0x08) === 0 && x.src === BPF_PSEUDO_CALL) {
        hasLocalCall = true;
        const t = i + 1 + x.imm;
        checkTarget(i, t);
        funcStart[t] = 1;
      } else if ((x.opcode & 0x08) === 0 && x.src === 0 && x.imm === tailCallId) hasTailCall = true;
      continue;
    }
    const t = i + 1 + (op === BPF_JA && c === BPF_JMP32 ? x.imm : x.off);
    checkTarget(i, t);
    jumpTarget[t] = 1;
  }
  const w = written;
  return { funcStart, wide, jumpTarget, regsUsed, hasCall, hasTailCall, hasLocalCall, defined: (r) => ((w >>> r) & 1) !== 0 };
}

/** Per-compile state shared by the core and the backend. */
export class Core {
  readonly n: number;
  /** Word index of each slot's code in the previous pass (the layout this pass encodes against). */
  offsets: Int32Array;
  /** Word index of each function's entry (its prologue) in the previous pass; -1 elsewhere. */
  entries: Int32Array;
  cur: Int32Array;
  curEntries: Int32Array;
  readonly state: Uint8Array;
  readonly siteKind: Uint8Array;
  readonly sitePos: Int32Array;
  readonly siteTarget: Int32Array;
  /** Slot being compiled (for site records and errors). */
  insn = -1;

  constructor(
    readonly prog: Program,
    readonly e: Emitter,
    readonly codeBase: number,
    readonly loongson2fJump: boolean,
  ) {
    const n = (this.n = prog.length);
    this.offsets = new Int32Array(n + 1);
    this.entries = new Int32Array(n + 1);
    this.cur = new Int32Array(n + 1);
    this.curEntries = new Int32Array(n + 1);
    this.state = new Uint8Array(n + 1);
    this.siteKind = new Uint8Array(n + 1);
    this.sitePos = new Int32Array(n + 1);
    this.siteTarget = new Int32Array(n + 1);
  }

  addrOfWord(w: number): number {
    return (this.codeBase + w * 4) >>> 0;
  }

  private record(kind: number, pos: number, targetWord: number): void {
    const i = this.insn;
    if (this.siteKind[i] !== SITE_NONE) throw new JitError(i, "two far sites in one instruction");
    this.siteKind[i] = kind;
    this.sitePos[i] = pos;
    this.siteTarget[i] = targetWord;
  }

  /** Branch to the code of slot t (t = n: the epilogue) when `c` holds for rs/rt. */
  farBranch(c: Cond, rs: number, rt: number, t: number): void {
    if (c === Cond.NEVER) return;
    const e = this.e;
    const st = this.state[this.insn];
    const tw = this.offsets[t];
    if (st === 0) {
      e.settle(rs, rt);
      const pos = e.n;
      this.record(SITE_B16, pos, t);
      e.branch(c, rs, rt, e.dry ? 0 : (tw - (pos + 1)) * 4);
      e.nop();
      return;
    }
    if (c !== Cond.ALWAYS) {
      e.branch(c ^ 1, rs, rt, st === 1 ? 12 : 20);
      e.nop();
    }
    if (st === 1) {
      this.record(SITE_J, e.n, t);
      e.j(e.dry ? 0 : this.addrOfWord(tw));
      e.nop();
    } else {
      e.li2(T9, this.jumpAddr(this.addrOfWord(tw)));
      e.jr(T9);
      e.nop();
    }
  }

  /** Call the function starting at slot t (its prologue). */
  farCall(t: number): void {
    const e = this.e;
    const tw = this.entries[t];
    if (this.state[this.insn] === 0) {
      this.record(SITE_JAL, e.n, t);
      e.jal(e.dry ? 0 : this.addrOfWord(tw));
      e.nop();
    } else {
      e.li2(T9, this.jumpAddr(this.addrOfWord(tw)));
      e.jalr(T9);
      e.nop();
    }
  }

  /** Loongson-2F: constant register-jump targets are masked at compile time (as Linux's emit_call). */
  jumpAddr(a: number): number {
    return this.loongson2fJump ? (a & JUMP_MASK) >>> 0 : a;
  }

  startPass(dry: boolean): void {
    this.e.reset(dry);
    this.siteKind.fill(0);
    this.cur.fill(-1);
    this.curEntries.fill(-1);
  }

  /** After a dry pass: upgrade every site out of range under this pass's layout. Returns #upgrades. */
  resolve(): number {
    let changes = 0;
    const cur = this.cur, ent = this.curEntries;
    for (let i = 0; i < this.n; i++) {
      const k = this.siteKind[i];
      if (k === SITE_NONE) continue;
      const pos = this.sitePos[i];
      const t = this.siteTarget[i];
      if (k === SITE_B16) {
        const off = cur[t] - (pos + 1);
        if (off < -0x8000 || off > 0x7fff) { this.state[i] = 1; changes++; }
      } else {
        const tw = k === SITE_JAL ? ent[t] : cur[t];
        // j/jal reach the 256 MiB segment of the delay slot (mips-isa.md §3.1).
        if ((this.addrOfWord(pos + 1) >>> 28) !== (this.addrOfWord(tw) >>> 28)) { this.state[i]++; changes++; }
      }
    }
    return changes;
  }

  /** Make this pass's layout the one the next pass encodes against. */
  commit(): void {
    const t = this.offsets; this.offsets = this.cur; this.cur = t;
    const u = this.entries; this.entries = this.curEntries; this.curEntries = u;
  }

  sameLayout(): boolean {
    const a = this.offsets, b = this.cur;
    for (let i = 0; i <= this.n; i++) if (a[i] !== b[i]) return false;
    const c = this.entries, d = this.curEntries;
    for (let i = 0; i <= this.n; i++) if (c[i] !== d[i]) return false;
    return true;
  }
}
