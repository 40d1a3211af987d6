// Small instruction constructors (the shapes of Linux's BPF_* macros in include/linux/filter.h) used by the
// rewrites and by tests. Owns nothing but spelling; encodings come from src/ebpf/insn.ts constants.
import {
  BPF_ALU, BPF_ALU64, BPF_ATOMIC, BPF_CALL, BPF_EXIT, BPF_JA, BPF_JMP, BPF_JMP32, BPF_K, BPF_LDX, BPF_MEM,
  BPF_MEMSX, BPF_MOV, BPF_PSEUDO_CALL, BPF_ST, BPF_STX, BPF_X, LD_IMM64_OPCODE, insn, type Insn,
} from "../ebpf/insn";

export type Size = 0x00 | 0x08 | 0x10 | 0x18; // BPF_W, BPF_H, BPF_B, BPF_DW

export const alu64K = (op: number, dst: number, imm: number, off = 0): Insn => insn(BPF_ALU64 | op | BPF_K, dst, 0, off, imm);
export const alu64X = (op: number, dst: number, src: number, off = 0): Insn => insn(BPF_ALU64 | op | BPF_X, dst, src, off, 0);
export const alu32K = (op: number, dst: number, imm: number, off = 0): Insn => insn(BPF_ALU | op | BPF_K, dst, 0, off, imm);
export const alu32X = (op: number, dst: number, src: number, off = 0): Insn => insn(BPF_ALU | op | BPF_X, dst, src, off, 0);
export const mov64K = (dst: number, imm: number): Insn => alu64K(BPF_MOV, dst, imm);
export const mov64X = (dst: number, src: number): Insn => alu64X(BPF_MOV, dst, src);
export const mov32K = (dst: number, imm: number): Insn => alu32K(BPF_MOV, dst, imm);
export const mov32X = (dst: number, src: number): Insn => alu32X(BPF_MOV, dst, src);
/** BPF_ZEXT_REG: mov32 rX, rX with imm = 1, the verifier's zero-extension marker (ebpf-semantics §3 row 5). */
export const zextReg = (r: number): Insn => insn(BPF_ALU | BPF_MOV | BPF_X, r, r, 0, 1);

export const jmpK = (op: number, dst: number, imm: number, off: number): Insn => insn(BPF_JMP | op | BPF_K, dst, 0, off, imm);
export const jmpX = (op: number, dst: number, src: number, off: number): Insn => insn(BPF_JMP | op | BPF_X, dst, src, off, 0);
export const jmp32K = (op: number, dst: number, imm: number, off: number): Insn => insn(BPF_JMP32 | op | BPF_K, dst, 0, off, imm);
export const jmp32X = (op: number, dst: number, src: number, off: number): Insn => insn(BPF_JMP32 | op | BPF_X, dst, src, off, 0);
export const ja = (off: number): Insn => insn(BPF_JMP | BPF_JA, 0, 0, off, 0);
export const gotol = (imm: number): Insn => insn(BPF_JMP32 | BPF_JA, 0, 0, 0, imm);
export const callHelper = (id: number): Insn => insn(BPF_JMP | BPF_CALL, 0, 0, 0, id);
export const callLocal = (rel: number): Insn => insn(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_CALL, 0, rel);
export const exit = (): Insn => insn(BPF_JMP | BPF_EXIT);

/** LD_IMM64 as its two slots: dst = hi << 32 | lo (src selects the pseudo meaning, RFC 9669 §5.4). */
export const ldImm64 = (dst: number, lo: number, hi: number, src = 0): [Insn, Insn] => [
  insn(LD_IMM64_OPCODE, dst, src, 0, lo),
  insn(0, 0, 0, 0, hi),
];

export const ldx = (size: Size, dst: number, src: number, off: number): Insn => insn(BPF_LDX | BPF_MEM | size, dst, src, off, 0);
export const ldxsx = (size: Size, dst: number, src: number, off: number): Insn => insn(BPF_LDX | BPF_MEMSX | size, dst, src, off, 0);
export const st = (size: Size, dst: number, off: number, imm: number): Insn => insn(BPF_ST | BPF_MEM | size, dst, 0, off, imm);
export const stx = (size: Size, dst: number, src: number, off: number): Insn => insn(BPF_STX | BPF_MEM | size, dst, src, off, 0);
export const atomic = (size: 0x00 | 0x18, dst: number, src: number, off: number, op: number): Insn =>
  insn(BPF_STX | BPF_ATOMIC | size, dst, src, off, op);
