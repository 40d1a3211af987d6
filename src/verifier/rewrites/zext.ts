// Linux opt_subreg_zext_lo32_rnd_hi32 (kernel/bpf/verifier.c; ebpf-semantics.md §3 rows 4–6) as pure
// Program → Program functions: after a 32-bit definition whose upper half may be read later, insert the
// zext marker `mov32 rX, rX` imm = 1 (for JITs with bpf_jit_needs_zext(), and always after 32-bit CMPXCHG);
// where the upper half is dead and BPF_F_TEST_RND_HI32 is set, fill it with random bits through AX:
//   insn; mov64 AX, rnd; lsh64 AX, 32; or64 rX, AX.
// Owns the decision per definition; the liveness comes from ../liveness.ts, the patching from ../patch.ts.
import { AX, BPF_ATOMIC, BPF_CMPXCHG, BPF_LSH, BPF_OR, BPF_STX, type Insn, type Program } from "../../ebpf/insn";
import { alu64K, alu64X, mov64K, zextReg } from "../build";
import { hi32LiveOut } from "../liveness";
import { insnEffects, isZextMarker } from "../operands";
import { expandProgram, type Expanded } from "../patch";
import { makeRng } from "../rng";

export interface ZextOptions {
  /** The JIT wants explicit zero-extension (bpf_jit_needs_zext(); true for MIPS). */
  readonly needsZext: boolean;
  /** BPF_F_TEST_RND_HI32: randomise dead upper halves. */
  readonly rndHi32: boolean;
  /** Random source for rndHi32 (signed 32-bit values). */
  readonly rng?: () => number;
}

const isCmpxchg = (i: Insn): boolean => (i.opcode & 0x07) === BPF_STX && (i.opcode & 0xe0) === BPF_ATOMIC && i.imm === BPF_CMPXCHG;
const lowestBit = (m: number): number => 31 - Math.clz32(m & -m);

export function zextAndRndHi32(p: Program, o: ZextOptions): Program {
  return zextAndRndHi32Expanded(p, o).program;
}

/** zextAndRndHi32 with the slot mapping (Expanded.origin: new slot → original slot). */
export function zextAndRndHi32Expanded(p: Program, o: ZextOptions): Expanded {
  const liveOut = hi32LiveOut(p);
  const rng = o.rng ?? makeRng(0);
  return expandProgram(p, (i, idx) => {
    const e = insnEffects(i);
    if (e === undefined || e.def32 === 0 || isZextMarker(i)) return undefined;
    const r = lowestBit(e.def32);
    if (liveOut[idx] & e.def32) {
      // "Add in an zero-extend instruction if a) the JIT has requested it or b) it's a CMPXCHG."
      return o.needsZext || isCmpxchg(i) ? [i, zextReg(r)] : undefined;
    }
    // AX is the scratch register of the randomising sequence itself; Linux never randomises it either
    // (definitions inside verifier patchlets are marked zext_dst by adjust_insn_aux_data).
    if (!o.rndHi32 || r === AX) return undefined;
    return [i, mov64K(AX, rng()), alu64K(BPF_LSH, AX, 32), alu64X(BPF_OR, r, AX)];
  });
}

/** Zero-extension markers for a JIT that needs them (MIPS): after every 32-bit definition with a live upper half. */
export function insertZext(p: Program): Program {
  return zextAndRndHi32(p, { needsZext: true, rndHi32: false });
}

/**
 * BPF_F_TEST_RND_HI32 alone (a JIT that zero-extends by itself): dead upper halves of 32-bit definitions get
 * random bits; 32-bit CMPXCHG with a live R0 still gets its zext, as in Linux.
 */
export function randomizeHi32(p: Program, seed: number): Program {
  return zextAndRndHi32(p, { needsZext: false, rndHi32: true, rng: makeRng(seed) });
}
