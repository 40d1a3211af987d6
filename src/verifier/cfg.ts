// Control flow of a program as the verifier sees it: subprograms (Linux add_subprog_and_kfunc: entry 0 plus
// every pseudo-call and LD_IMM64 src=4 target), successors of each instruction, and the static call graph.
// Owns no policy: check.ts decides what is an error; this file assumes targets were range-checked where it
// says so.
import { BPF_CALL, BPF_EXIT, BPF_JA, BPF_JMP, BPF_JMP32, BPF_PSEUDO_CALL, BPF_PSEUDO_FUNC, cls, isLdImm64, type Program } from "../ebpf/insn";
import { branchTarget } from "./patch";

export interface Subprog {
  readonly start: number;
  /** One past the last slot. */
  readonly end: number;
}

/** Slot indices that start a subprogram, sorted, always including 0. Out-of-range targets are skipped. */
export function subprogStarts(p: Program): number[] {
  const s = new Set<number>([0]);
  for (let i = 0; i < p.length; i++) {
    const ins = p[i];
    const t = isCallOrFuncRef(p, i) ? i + 1 + ins.imm : undefined;
    if (t !== undefined && t >= 0 && t < p.length) s.add(t);
    if (isLdImm64(ins)) i++;
  }
  return [...s].sort((a, b) => a - b);
}

/** Is slot i a bpf-to-bpf call or an LD_IMM64 holding a code address (both name a subprogram)? */
export function isCallOrFuncRef(p: Program, i: number): boolean {
  const ins = p[i];
  if (ins.opcode === (BPF_JMP | BPF_CALL) && ins.src === BPF_PSEUDO_CALL) return true;
  return isLdImm64(ins) && ins.src === BPF_PSEUDO_FUNC;
}

export function subprogsOf(p: Program, starts: readonly number[]): Subprog[] {
  return starts.map((s, k) => ({ start: s, end: k + 1 < starts.length ? starts[k + 1] : p.length }));
}

/** Does control continue to the next instruction after slot i (everything but EXIT, JA and gotol)? */
export function fallsThrough(p: Program, i: number): boolean {
  const op = p[i].opcode;
  if (op === (BPF_JMP | BPF_EXIT)) return false;
  if (op === (BPF_JMP | BPF_JA) || op === (BPF_JMP32 | BPF_JA)) return false;
  return true;
}

/** Size in slots of the instruction at i (2 for LD_IMM64). */
export const slotSize = (p: Program, i: number): number => (isLdImm64(p[i]) ? 2 : 1);

/**
 * Successors of slot i within its own frame: fall-through and jump target. Calls fall through (the callee is
 * a separate frame). The caller guarantees targets are valid.
 */
export function successors(p: Program, i: number): number[] {
  const ins = p[i];
  const out: number[] = [];
  if (fallsThrough(p, i)) out.push(i + slotSize(p, i));
  const c = cls(ins.opcode);
  if ((c === BPF_JMP || c === BPF_JMP32) && (ins.opcode & 0xf0) !== BPF_CALL) {
    const t = branchTarget(ins, i);
    if (t !== undefined && t !== out[0]) out.push(t);
  }
  return out;
}
