// Public surface of the verifier pipeline (Issue 2 §6): structural checks, Linux's rewrites, patching.
// Everything else in src/verifier is internal.
export { verifyProgram, DEFAULT_ENTRY_REGS, type VerifyOptions } from "./check";
export { expandProgram, patchInsn, branchTarget, type Expansion, type Expanded, type PatchSlot, type Retarget } from "./patch";
export { hi32LiveOut } from "./liveness";
export { isZextMarker, insnEffects, type InsnEffects } from "./operands";
export { guardDivByReg, rewriteSdivNegOne, divFixups } from "./rewrites/div-guards";
export { insertZext, randomizeHi32, zextAndRndHi32, type ZextOptions } from "./rewrites/zext";
export { blindConstants, type BlindOptions } from "./rewrites/blind";
export { pipeline, pipelineDetailed, type PipelineOptions, type PipelineResult } from "./rewrites/pipeline";
export { makeRng } from "./rng";
