// Must-initialised stack bytes: a read through R10 of a stack byte that is not written on every path to it
// is rejected (Linux check_stack_read_fixed_off: "invalid read from stack"). Why it matters here: the
// reference interpreter starts with a zeroed stack, a JIT's native frame holds whatever was there, so such a
// read is a difference the harness would blame on the JIT. Owns only this analysis; check.ts calls it per
// frame with the same CFG.
//
// Limits (documented in docs/verifier.md): only accesses whose base register is R10 are tracked. A frame
// that copies R10 into another register (and could store through the copy) is not checked at all, so the
// analysis never rejects a program for a store it cannot see. Helper calls are not modelled as stack writes
// for the same reason they cannot be: their pointer arguments are not tracked; such frames copy R10 anyway.
import { InputError } from "../ebpf/errors";
import { BPF_STACK_SIZE, R10, type Program } from "../ebpf/insn";
import type { Subprog } from "./cfg";
import { successors } from "./cfg";
import type { InsnEffects } from "./operands";

const WORDS = BPF_STACK_SIZE / 32; // one bit per stack byte, byte k ↔ R10 - 512 + k

/** Does the frame copy R10 into another register (mov rX, r10 or any ALU reading R10 into rX)? */
function copiesFramePointer(p: Program, s: Subprog, effects: readonly (InsnEffects | undefined)[]): boolean {
  for (let i = s.start; i < s.end; i++) {
    const e = effects[i];
    if (e === undefined) continue;
    const sh = e.entry.shape;
    if ((sh === "alu" || sh === "movsx") && e.entry.source === "X" && p[i].src === R10) return true;
    // Storing R10 itself to memory also lets the pointer escape.
    if ((sh === "stx" || sh === "atomic") && p[i].src === R10) return true;
  }
  return false;
}

function rangeBits(off: number, size: number, set: (w: number, mask: number) => void): void {
  for (let b = off + BPF_STACK_SIZE; b < off + BPF_STACK_SIZE + size; b++) set(b >>> 5, 1 << (b & 31));
}

/**
 * Throw InputError at the first R10-based read of possibly uninitialised stack bytes in frame `s`.
 * `reachable[i]` says whether slot i was reached by the register analysis.
 */
export function checkStackInit(p: Program, s: Subprog, effects: readonly (InsnEffects | undefined)[], reachable: (i: number) => boolean): void {
  if (copiesFramePointer(p, s, effects)) return;
  const n = s.end - s.start;
  const state: (Int32Array | undefined)[] = new Array(n);
  state[0] = new Int32Array(WORDS);
  const work: number[] = [s.start];
  const queued = new Uint8Array(n);
  queued[0] = 1;
  const out = new Int32Array(WORDS);
  while (work.length > 0) {
    const i = work.pop()!;
    queued[i - s.start] = 0;
    const inn = state[i - s.start]!;
    out.set(inn);
    const e = effects[i];
    if (e !== undefined && isR10Store(p, i, e)) rangeBits(p[i].off, e.entry.size!, (w, m) => (out[w] |= m));
    for (const t of successors(p, i)) {
      if (t < s.start || t >= s.end || !reachable(t)) continue;
      const k = t - s.start;
      const prev = state[k];
      let changed = false;
      if (prev === undefined) {
        state[k] = Int32Array.from(out);
        changed = true;
      } else {
        for (let w = 0; w < WORDS; w++) {
          const v = prev[w] & out[w];
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
  for (let i = s.start; i < s.end; i++) {
    const st = state[i - s.start];
    const e = effects[i];
    if (st === undefined || e === undefined || !isR10Read(p, i, e)) continue;
    const size = e.entry.size!;
    let missing = -1;
    rangeBits(p[i].off, size, (w, m) => {
      if (missing < 0 && (st[w] & m) === 0) missing = 0;
    });
    if (missing === 0) {
      throw new InputError(`read of stack bytes [R10${p[i].off}, +${size}) that are not written on every path`, { insn: i, field: "off" });
    }
  }
}

const isR10Store = (p: Program, i: number, e: InsnEffects): boolean =>
  (e.entry.shape === "st" || e.entry.shape === "stx" || e.entry.shape === "atomic") && p[i].dst === R10;
const isR10Read = (p: Program, i: number, e: InsnEffects): boolean =>
  (e.entry.shape === "ldx" && p[i].src === R10) || (e.entry.shape === "atomic" && p[i].dst === R10);
