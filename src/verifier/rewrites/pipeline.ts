// The Linux rewrite order for a JIT (kernel/bpf/verifier.c bpf_check, then the JIT's
// bpf_jit_blind_constants): 1. do_misc_fixups (SDIV/SMOD by −1, DIV/MOD-by-register guards);
// 2. opt_subreg_zext_lo32_rnd_hi32 (zext markers where the JIT needs them, and always after 32-bit CMPXCHG
// with a live R0; hi32 randomisation if requested); 3. constant blinding on hardened targets — last, so the
// constants of the inserted guards are blinded too, and with BPF_ZEXT_REG(AX) when the verifier did zexts.
// Owns only the order and the seeding.
import type { Program } from "../../ebpf/insn";
import { makeRng } from "../rng";
import { blindWith } from "./blind";
import { divFixups } from "./div-guards";
import { zextAndRndHi32 } from "./zext";

export interface PipelineOptions {
  /** bpf_jit_needs_zext(): true for the MIPS JITs. */
  readonly needsZext: boolean;
  /** Constant blinding (target option `hardened`). */
  readonly hardened: boolean;
  /** BPF_F_TEST_RND_HI32. */
  readonly rndHi32?: boolean;
  /** Seed for hi32 randomisation and blinding; the same seed gives the same program. Default 0. */
  readonly seed?: number;
}

export function pipeline(p: Program, opts: PipelineOptions): Program {
  const rng = makeRng(opts.seed ?? 0);
  let q = divFixups(p);
  q = zextAndRndHi32(q, { needsZext: opts.needsZext, rndHi32: opts.rndHi32 ?? false, rng });
  if (opts.hardened) q = blindWith(q, rng, opts.needsZext);
  return q;
}
