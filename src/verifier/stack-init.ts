// Stack analysis of one frame: which registers hold R10 + k (a constant k), and which stack bytes are
// written on every path. It lets the verifier (a) bounds- and alignment-check accesses through copies of R10
// (`r2 = r10; r2 += -8; *(u64 *)(r2 + 0) = …`), as Linux does for PTR_TO_STACK with a known offset, and
// (b) reject reads of stack bytes not written on every path (Linux check_stack_read_fixed_off, "invalid
// read from stack"). Why (b) matters here: the reference interpreter starts with a zeroed stack, a JIT's
// native frame holds whatever was there, so such a read is a difference the harness would blame on the JIT.
// Owns only this analysis; check.ts runs it per frame with the same CFG.
//
// Soundness towards acceptance (never reject because of a write it cannot see): a store through a register
// that MAY point into the stack at an unknown offset marks the whole frame written; so does a bpf-to-bpf
// call while a stack pointer is in R1–R5 (the callee may write through it). If a stack pointer is stored to
// memory (it could come back from anywhere), the frame is not checked at all.
import { InputError } from "../ebpf/errors";
import { AX, BPF_ADD, BPF_ALU64, BPF_MOV, BPF_STACK_SIZE, BPF_SUB, BPF_X, R10, type Insn, type Program } from "../ebpf/insn";
import type { Subprog } from "./cfg";
import { successors } from "./cfg";
import type { InsnEffects } from "./operands";

const WORDS = BPF_STACK_SIZE / 32; // one bit per stack byte: byte b ↔ R10 - 512 + b
const NREGS = AX + 1;
/** Register abstraction: R10 + k for |k| < LIMIT, or one of these. */
const NOT = 0x4000_0000; // certainly not a pointer into this frame
const MAYBE = 0x4000_0001; // may point into this frame, offset unknown
const LIMIT = 0x2000_0000;

const isPtr = (v: number): boolean => v !== NOT;
const known = (v: number): boolean => v !== NOT && v !== MAYBE;
const join = (a: number, b: number): number => (a === b ? a : a === NOT && b === NOT ? NOT : MAYBE);
const offset = (k: number): number => (k > -LIMIT && k < LIMIT ? k : MAYBE);

export interface StackOptions {
  /** Reject reads of bytes not written on every path (VerifyOptions.uninitStack !== "allow"). */
  readonly checkInit: boolean;
}

/**
 * Throw InputError at the first problem in frame `s`: an access through R10 + k outside the stack or
 * misaligned, or a read of stack bytes not written on every path. Only slots with `reachable(i)` count.
 */
export function checkStack(p: Program, s: Subprog, effects: readonly (InsnEffects | undefined)[], reachable: (i: number) => boolean, o: StackOptions): void {
  // Phase 1: register values (independent of which bytes are written). Phase 2: written bytes, with the
  // register values of phase 1 fixed — two monotone fixpoints (a store through a less precise pointer
  // writes MORE bytes, so one combined fixpoint would not be monotone).
  const entryRegs = new Int32Array(NREGS).fill(NOT);
  entryRegs[R10] = 0;
  const regs = fixpoint(p, s, reachable, entryRegs, (i, st) => transferRegs(p[i], effects[i], st), (a, b) => join(a, b));
  let escaped = false;
  for (let i = s.start; i < s.end; i++) {
    const st = regs[i - s.start];
    const e = effects[i];
    if (st === undefined || e === undefined) continue;
    // A stack pointer stored to memory could come back from anywhere: leave the frame unchecked.
    if ((e.entry.shape === "stx" || e.entry.shape === "atomic") && isPtr(st[p[i].src])) escaped = true;
  }
  if (escaped) return;
  const init = fixpoint(p, s, reachable, new Int32Array(WORDS), (i, w) => transferInit(p[i], effects[i], regs[i - s.start]!, w), (a, b) => a & b);

  for (let i = s.start; i < s.end; i++) {
    const st = regs[i - s.start];
    const e = effects[i];
    if (st === undefined || e === undefined) continue;
    const acc = access(p[i], e);
    if (acc === undefined) continue;
    const base = st[acc.base];
    if (!known(base)) continue;
    const off = base + p[i].off;
    const size = e.entry.size!;
    const via = acc.base === R10 ? "" : ` through R${acc.base} = R10${fmt(base)}`;
    if (acc.base !== R10) {
      // Direct R10 accesses are checked statically in check.ts with the same rules.
      if (off < -BPF_STACK_SIZE || off + size > 0) {
        throw new InputError(`stack access [R10${fmt(off)}]${via} of ${size} bytes is outside the ${BPF_STACK_SIZE}-byte stack`, { insn: i, field: "off" });
      }
      if (off % size !== 0) throw new InputError(`misaligned stack access [R10${fmt(off)}]${via} of ${size} bytes`, { insn: i, field: "off" });
    }
    if (o.checkInit && acc.reads && off >= -BPF_STACK_SIZE && off + size <= 0 && !allSet(init[i - s.start]!, off, size)) {
      throw new InputError(`read of stack bytes [R10${fmt(off)}, +${size})${via} that are not written on every path`, { insn: i, field: "off" });
    }
  }
}

/** A forward worklist fixpoint over the frame's CFG; `meet` combines one word of two states. */
function fixpoint(
  p: Program, s: Subprog, reachable: (i: number) => boolean, entry: Int32Array,
  transfer: (i: number, st: Int32Array) => void, meet: (a: number, b: number) => number,
): (Int32Array | undefined)[] {
  const n = s.end - s.start;
  const state: (Int32Array | undefined)[] = new Array(n);
  state[0] = entry;
  const work: number[] = [s.start];
  const queued = new Uint8Array(n);
  queued[0] = 1;
  const out = new Int32Array(entry.length);
  while (work.length > 0) {
    const i = work.pop()!;
    queued[i - s.start] = 0;
    out.set(state[i - s.start]!);
    transfer(i, out);
    for (const t of successors(p, i)) {
      if (t < s.start || t >= s.end || !reachable(t)) continue;
      const k = t - s.start;
      const prev = state[k];
      let changed = false;
      if (prev === undefined) {
        state[k] = Int32Array.from(out);
        changed = true;
      } else {
        for (let w = 0; w < out.length; w++) {
          const v = meet(prev[w], out[w]);
          if (v !== prev[w]) {
            prev[w] = v;
            changed = true;
          }
        }
      }
      if (changed && !queued[k]) {
        queued[k] = 1;
        work.push(t);
      }
    }
  }
  return state;
}

const fmt = (k: number): string => (k < 0 ? `${k}` : `+${k}`);

/** Memory access of an instruction: base register, and whether it reads memory. */
function access(i: Insn, e: InsnEffects): { base: number; reads: boolean; writes: boolean } | undefined {
  switch (e.entry.shape) {
    case "ldx":
      return { base: i.src, reads: true, writes: false };
    case "st":
    case "stx":
      return { base: i.dst, reads: false, writes: true };
    case "atomic":
      return { base: i.dst, reads: true, writes: true };
    default:
      return undefined;
  }
}

function allSet(w: Int32Array, off: number, size: number): boolean {
  for (let b = off + BPF_STACK_SIZE; b < off + BPF_STACK_SIZE + size; b++) if ((w[b >>> 5] & (1 << (b & 31))) === 0) return false;
  return true;
}
function setBytes(w: Int32Array, off: number, size: number): void {
  const lo = Math.max(0, off + BPF_STACK_SIZE);
  const hi = Math.min(BPF_STACK_SIZE, off + BPF_STACK_SIZE + size);
  for (let b = lo; b < hi; b++) w[b >>> 5] |= 1 << (b & 31);
}

/** Written stack bytes after `i`, given the register values before it. */
function transferInit(i: Insn, e: InsnEffects | undefined, regs: Int32Array, w: Int32Array): void {
  if (e === undefined) return;
  const acc = access(i, e);
  if (acc !== undefined && acc.writes) {
    const base = regs[acc.base];
    if (known(base)) setBytes(w, base + i.off, e.entry.size!);
    else if (base === MAYBE) w.fill(-1); // an unknown stack write: assume everything written
  }
  if (e.localCall) {
    // The callee may write through a stack pointer passed in R1–R5.
    for (let r = 1; r <= 5; r++) if (isPtr(regs[r])) w.fill(-1);
  }
}

/** Register values after `i` (in place). */
function transferRegs(i: Insn, e: InsnEffects | undefined, st: Int32Array): void {
  if (e === undefined) return;
  const sh = e.entry.shape;
  if (sh === "alu" && (i.opcode & 0x07) === BPF_ALU64 && i.dst !== R10) {
    const op = i.opcode & 0xf0;
    const src = (i.opcode & BPF_X) !== 0;
    if (op === BPF_MOV && src) st[i.dst] = st[i.src];
    else if (op === BPF_MOV) st[i.dst] = NOT;
    else if ((op === BPF_ADD || op === BPF_SUB) && !src && known(st[i.dst])) st[i.dst] = offset(st[i.dst] + (op === BPF_ADD ? i.imm : -i.imm));
    else if (isPtr(st[i.dst]) || (src && isPtr(st[i.src]))) st[i.dst] = MAYBE;
    else st[i.dst] = NOT;
    return;
  }
  if (sh === "alu" || sh === "movsx") {
    // 32-bit arithmetic or sign extension of a stack pointer: treat the result as possibly one.
    const fromPtr = isPtr(st[i.dst]) || ((i.opcode & BPF_X) !== 0 && isPtr(st[i.src]));
    st[i.dst] = fromPtr ? MAYBE : NOT;
    return;
  }
  // Anything else computing from a pointer (NEG, END) may still be one; loaded, fetched and returned values
  // are not (a pointer stored to memory makes the frame unchecked).
  const fromPtr = (sh === "neg" || sh === "end") && isPtr(st[i.dst]);
  for (let r = 0; r < NREGS; r++) {
    if (r === R10) continue;
    if (e.clobber & (1 << r)) st[r] = NOT;
    if (e.def & (1 << r)) st[r] = fromPtr ? MAYBE : NOT;
  }
}
