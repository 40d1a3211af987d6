// Public API of the eBPF core (src/ebpf): instruction model, opcode table, encoding, validation, assembler,
// disassembler and the .data / raw loaders. The ELF loader (src/ebpf/elf/) is exported by its own module.
export * from "./insn";
export * from "./errors";
export { MapDefSchema, MapTypeSchema, type MapDef, type MapType } from "./maps";
export {
  TABLE, BY_OPCODE, GROUPS, DEFAULT_GROUPS, FIELDS, lookupInsn, entryById, insnFor, isKnownOpcode,
  type OpcodeEntry, type Group, type CpuVersion, type Field, type Shape,
} from "./opcode-table";
export { encodeProgram, decodeProgram, encodeInsnInto, decodeInsnAt } from "./encode";
export { validateProgram, listInstructionVariants, entryOrError, type ValidateOptions, type InstructionInventory } from "./validate";
export { assemble, detectSyntax, type AssembleOptions, type Syntax } from "./assembler";
export { disassemble, disassembleInsn, jumpTarget, type DisassembleOptions } from "./disassembler";
export { parseDataFile, writeDataFile, DataOptionsSchema, type DataCase, type DataCaseOut, type DataOptions } from "./data-file";
export { loadRawProgram, formatRawWords, type RawOptions } from "./raw";
export { parseImm32, parseOff16, parseImm64, parseU64, imm64Of } from "./numbers";
