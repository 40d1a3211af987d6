// Public API of src/mips: the MIPS integer ISA table and everything derived from it.
// Other folders import from here only (see docs/mips-isa.md).

export { ISA_LEVELS, LEVEL_BIT } from "./levels";
export type { IsaLevel } from "./levels";
export type { CtiClass, MemAccess, MemAccessKind, MipsInsnDef, OperandKind, RegPredicate, SyntaxToken } from "./types";
export { MIPS_TABLE, ID, ALL_LEVELS_MASK } from "./table";
export { decode, decoderFor, mbzViolation, encodingViolation, regPredicateHolds, MATCH, MASK, MBZ } from "./decode";
export { encode, ops, opsFor, emitterName } from "./encode";
export type { Emitter } from "./encode";
export { insertOperand, extractOperand, OperandRangeError } from "./operands";
export * from "./fields";
export { O32_NAMES, N64_NAMES, LLVM_NAMES, REG, REG64, parseRegister } from "./registers";
export { disassemble, formatInsn } from "./disasm";
export type { DisasmOptions } from "./disasm";
export { assemble } from "./asm";
