// Public API of the eBPF → MIPS JIT. Owns the entry point and the choice of backend by ISA level; the
// contract types live in options.ts. 32-bit levels (MIPS I, II, MIPS32 r1/r2/r6) use the o32 backend;
// the 64-bit (n64) backend is a later issue and reuses core.ts, emitter.ts and enc.ts.
import type { Program } from "../src/ebpf/insn";
import { is64 } from "../src/mips/levels";
import { JitError } from "./errors";
import { compileO32 } from "./o32/backend";
import type { JitImage, JitOptions } from "./options";

export type { CallSiteKind, JitErrata, JitImage, JitMutation, JitOptions, HarnessJitMutation } from "./options";
export { JIT_MUTATIONS, HARNESS_JIT_MUTATIONS } from "./options";
export { JitError } from "./errors";
export { MIPS_JIT_EXTRA_HELPERS } from "./helpers";

/** Compile a (verified, rewritten) program. Throws InputError for bad input, JitError only for defects. */
export function jitCompile(program: Program, opts: JitOptions): JitImage {
  if (is64(opts.level)) throw new JitError(-1, `the 64-bit (n64) backend for ${opts.level} is not implemented yet`);
  return compileO32(program, opts);
}
