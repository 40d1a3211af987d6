// The Linux rewrite order for a JIT (kernel/bpf/verifier.c bpf_check, then the JIT's
// bpf_jit_blind_constants): 1. do_misc_fixups (SDIV/SMOD by −1, DIV/MOD-by-register guards);
// 2. opt_subreg_zext_lo32_rnd_hi32 (zext markers where the JIT needs them, and always after 32-bit CMPXCHG
// with a live R0; hi32 randomisation if requested); 3. constant blinding on hardened targets — last, so the
// constants of the inserted guards are blinded too, and with BPF_ZEXT_REG(AX) when the verifier did zexts.
// Owns only the order and the seeding.
import type { Program } from "../../ebpf/insn";
import { makeRng } from "../rng";
import type { Expanded } from "../patch";
import { blindExpanded } from "./blind";
import { divFixupsExpanded } from "./div-guards";
import { zextAndRndHi32Expanded } from "./zext";

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
  return pipelineDetailed(p, opts).program;
}

export interface PipelineResult {
  readonly program: Program;
  /** origin[j]: the slot of the ORIGINAL program that rewritten slot j comes from (for listings). */
  readonly origin: Int32Array;
}

/** pipeline, also returning where each rewritten slot came from. */
export function pipelineDetailed(p: Program, opts: PipelineOptions): PipelineResult {
  const rng = makeRng(opts.seed ?? 0);
  const steps: Expanded[] = [];
  steps.push(divFixupsExpanded(p));
  steps.push(zextAndRndHi32Expanded(steps[0].program, { needsZext: opts.needsZext, rndHi32: opts.rndHi32 ?? false, rng }));
  if (opts.hardened) steps.push(blindExpanded(steps[1].program, rng, opts.needsZext));
  const last = steps[steps.length - 1];
  const origin = Int32Array.from(last.origin);
  for (let k = steps.length - 2; k >= 0; k--) {
    const o = steps[k].origin;
    for (let j = 0; j < origin.length; j++) origin[j] = o[origin[j]];
  }
  return { program: last.program, origin };
}
