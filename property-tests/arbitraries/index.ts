// fast-check generators shared by the verifier, JIT and fuzzing property tests.
export { arbValidProgram, GENERATED_HELPERS, GENERATED_MAPS, type GeneratedProgram, type ProgramOptions } from "./program";
export { arbImm32, arbImm32NonZero, arbValue64, splitU64, IMM16_EDGES, IMM32_EDGES } from "./values";
export { LAYOUTS, runOn, runDifference } from "./reference-run";
