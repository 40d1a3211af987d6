// Program patching, the counterpart of Linux's bpf_patch_insn_data/bpf_adj_branches (kernel/bpf/core.c):
// replace instructions by sequences and repair every branch that crosses a patch. Owns the offset
// arithmetic (JA's 16-bit off, gotol's imm, conditional jumps, pseudo-calls src=1, LD_IMM64 src=4 code
// addresses) and the "LD_IMM64 is one unit" rule. Does not decide what to patch (rewrites/*.ts).
//
// Semantics (as Linux): a branch from outside a patch to an original instruction i lands on the FIRST slot
// of i's replacement; offsets written inside a replacement are local (relative to the new program) unless
// the slot is given as a Retarget, whose target is named in ORIGINAL instruction indices (this replaces
// Linux's hand adjustment "if (off < 0) off -= 2" in bpf_jit_blind_insn).
import { InputError } from "../ebpf/errors";
import {
  BPF_CALL, BPF_EXIT, BPF_JA, BPF_JMP, BPF_JMP32, BPF_PSEUDO_CALL, BPF_PSEUDO_FUNC, cls, isLdImm64, type Insn,
  type Program,
} from "../ebpf/insn";

/** A replacement slot whose branch target is an instruction index of the ORIGINAL program. */
export interface Retarget {
  readonly insn: Insn;
  readonly target: number;
}
export type PatchSlot = Insn | Retarget;

const isRetarget = (s: PatchSlot): s is Retarget => (s as Retarget).target !== undefined;

/**
 * Called once per original instruction (once per LD_IMM64 pair, with `next` its second slot). Return the
 * replacement slots, or undefined to keep the instruction (pair) as it is.
 */
export type Expansion = (insn: Insn, index: number, next: Insn | undefined) => readonly PatchSlot[] | undefined;

export interface Expanded {
  readonly program: Insn[];
  /** start[i]: new index of the first slot that replaced original slot i; start[len] = new length. */
  readonly start: Int32Array;
  /** origin[j]: the original instruction index slot j of the new program came from. */
  readonly origin: Int32Array;
}

/** What kind of relative branch an instruction carries, and where. */
export type BranchKind = "off" | "imm" | "none";

/** Which field holds a slot-relative branch offset: jumps use `off`, gotol/pseudo-call/LD_IMM64 src=4 `imm`. */
export function branchField(i: Insn): BranchKind {
  const c = cls(i.opcode);
  if (c === BPF_JMP || c === BPF_JMP32) {
    const op = i.opcode & 0xf0;
    if (op === BPF_EXIT) return "none";
    if (op === BPF_CALL) return c === BPF_JMP && i.opcode === (BPF_JMP | BPF_CALL) && i.src === BPF_PSEUDO_CALL ? "imm" : "none";
    if (c === BPF_JMP32 && op === BPF_JA) return "imm";
    return "off";
  }
  if (isLdImm64(i) && i.src === BPF_PSEUDO_FUNC) return "imm";
  return "none";
}

/** Target slot of a branching instruction at `index` (undefined when it does not branch). */
export function branchTarget(i: Insn, index: number): number | undefined {
  const f = branchField(i);
  if (f === "none") return undefined;
  return index + 1 + (f === "off" ? i.off : i.imm);
}

const S16_MIN = -0x8000;
const S16_MAX = 0x7fff;

/** `i` with its branch set to `rel`, converting JA to gotol when the 16-bit field cannot hold it. */
function withOffset(i: Insn, rel: number, at: number): Insn {
  const f = branchField(i);
  if (f === "imm") {
    if (rel < -0x8000_0000 || rel > 0x7fff_ffff) throw new InputError("branch offset overflows 32 bits after patching", { insn: at, field: "imm" });
    return i.imm === rel ? i : { ...i, imm: rel };
  }
  if (rel >= S16_MIN && rel <= S16_MAX) return i.off === rel ? i : { ...i, off: rel };
  if (i.opcode === (BPF_JMP | BPF_JA)) {
    // RFC 9669 §4.3: gotol (JMP32 | JA) takes its offset from imm; same semantics, 32-bit reach.
    return { opcode: BPF_JMP32 | BPF_JA, dst: 0, src: 0, off: 0, imm: rel };
  }
  // Linux bpf_adj_delta_to_off returns -ERANGE here; a conditional jump has no wide form.
  throw new InputError(`jump offset ${rel} overflows 16 bits after patching`, { insn: at, field: "off" });
}

/**
 * Replace instructions by sequences in one pass and repair all branches. Original branches keep their
 * original target (mapped to the start of its replacement); see the file header for the rules.
 */
export function expandProgram(p: Program, f: Expansion): Expanded {
  const n = p.length;
  const start = new Int32Array(n + 1);
  const repl: (readonly PatchSlot[] | undefined)[] = new Array(n);
  let len = 0;
  for (let i = 0; i < n; i++) {
    start[i] = len;
    const ins = p[i];
    const pair = isLdImm64(ins) && i + 1 < n;
    const r = f(ins, i, pair ? p[i + 1] : undefined);
    repl[i] = r;
    if (pair) {
      start[i + 1] = len + 1; // a branch into the pair's second slot is invalid anyway; keep it distinct
      len += r === undefined ? 2 : r.length;
      i++;
    } else {
      len += r === undefined ? 1 : r.length;
    }
  }
  start[n] = len;

  const out: Insn[] = new Array(len);
  const origin = new Int32Array(len);
  const fix = (ins: Insn, oldTarget: number, at: number): Insn => {
    // Targets outside the program (rejected by verifyProgram) stay outside by the same distance.
    const t = oldTarget < 0 ? oldTarget : oldTarget <= n ? start[oldTarget] : oldTarget - n + len;
    return withOffset(ins, t - (at + 1), at);
  };
  for (let i = 0; i < n; i++) {
    const ins = p[i];
    const pair = isLdImm64(ins) && i + 1 < n;
    const r = repl[i];
    let at = start[i];
    if (r === undefined) {
      const t = branchTarget(ins, i);
      out[at] = t === undefined ? ins : fix(ins, t, at);
      origin[at] = i;
      if (pair) {
        out[at + 1] = p[i + 1];
        origin[at + 1] = i;
      }
    } else {
      for (const s of r) {
        out[at] = isRetarget(s) ? fix(s.insn, s.target, at) : s;
        origin[at] = i;
        at++;
      }
    }
    if (pair) i++;
  }
  return { program: out, start, origin };
}

/**
 * Linux bpf_patch_insn_data: replace slot `at` (an LD_IMM64 pair as a whole) by `seq`, whose offsets are
 * local to the new program. Branches elsewhere are repaired.
 */
export function patchInsn(p: Program, at: number, seq: readonly PatchSlot[]): Insn[] {
  if (at < 0 || at >= p.length) throw new InputError(`patch position ${at} outside the program`, { insn: at });
  if (isLdImm64Second(p, at)) throw new InputError("cannot patch the second slot of LD_IMM64", { insn: at });
  return expandProgram(p, (_i, idx) => (idx === at ? seq : undefined)).program;
}

/** Is slot `at` the second half of an LD_IMM64 pair? Scans from the start because pairs are positional. */
export function isLdImm64Second(p: Program, at: number): boolean {
  for (let i = 0; i < at; i++) {
    if (isLdImm64(p[i])) {
      if (i + 1 === at) return true;
      i++;
    }
  }
  return false;
}

/** The set of LD_IMM64 second slots of `p`. */
export function ldImm64Seconds(p: Program): Uint8Array {
  const s = new Uint8Array(p.length);
  for (let i = 0; i < p.length; i++) {
    if (isLdImm64(p[i]) && i + 1 < p.length) {
      s[i + 1] = 1;
      i++;
    }
  }
  return s;
}
