// Public surface of the ELF loader (clang -target bpfel/bpfeb relocatable objects). See docs/elf.md.
export { loadElfObject, R_BPF_64_64, R_BPF_64_32, R_BPF_64_ABS64, R_BPF_64_ABS32, R_BPF_64_NODYLD32 } from "./loader";
export type { ElfObject, ElfProgram } from "./loader";
export { loadElfExpectations, expectedResult, ElfExpectationsSchema, ElfRunSchema } from "./expectations";
export type { ElfExpectations, ElfRun } from "./expectations";
