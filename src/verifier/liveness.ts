// Liveness of upper register halves: which registers' upper 32 bits may still be read after each
// instruction. This is what decides where Linux's opt_subreg_zext_lo32_rnd_hi32 inserts a zero-extension
// (upper half live) or may randomise it (dead). Linux gets the same fact from its path-walking verifier
// (insn_aux_data.zext_dst); here it is a classic backward may-dataflow over the CFG of each frame, which is
// a superset of Linux's answer (more zexts, never fewer). Reads follow operands.ts (Linux is_reg64).
import type { Program } from "../ebpf/insn";
import { ldImm64Seconds } from "./patch";
import { insnEffects } from "./operands";
import { successors } from "./cfg";

/**
 * liveOut[i]: bitmask of registers whose upper 32 bits may be read on some path after slot i. Undefined
 * instructions and second slots of LD_IMM64 get 0. The program is assumed to pass verifyProgram's target
 * checks (branches in range).
 */
export function hi32LiveOut(p: Program): Int32Array {
  const n = p.length;
  const second = ldImm64Seconds(p);
  const useWide = new Int32Array(n);
  const kill = new Int32Array(n);
  const succ: number[][] = new Array(n);
  for (let i = 0; i < n; i++) {
    succ[i] = [];
    if (second[i]) continue;
    const e = insnEffects(p[i]);
    if (e === undefined) continue;
    useWide[i] = e.useWide;
    kill[i] = e.def | e.clobber;
    succ[i] = successors(p, i).filter((t) => t >= 0 && t < n);
  }
  const liveIn = new Int32Array(n);
  const liveOut = new Int32Array(n);
  let changed = true;
  while (changed) {
    changed = false;
    for (let i = n - 1; i >= 0; i--) {
      let out = 0;
      for (const t of succ[i]) out |= liveIn[t];
      const inn = (out & ~kill[i]) | useWide[i];
      liveOut[i] = out;
      if (inn !== liveIn[i]) {
        liveIn[i] = inn;
        changed = true;
      }
    }
  }
  return liveOut;
}
