// The eBPF instruction as every part of the project sees it: one record per 8-byte slot.
// Owns the field layout and the numeric constants of RFC 9669 §3–§5; does not own the opcode table
// (see opcode-table.ts), encoding to bytes (encode.ts) or validation (validate.ts).

/**
 * One 64-bit instruction slot. LD_IMM64 occupies two slots: the second is an Insn whose opcode, dst, src
 * and off are 0 and whose imm holds the upper 32 bits of the constant (RFC 9669 §4.4 "wide instruction").
 * `off` is a signed 16-bit value, `imm` a signed 32-bit value (both as plain JS numbers).
 */
export interface Insn {
  readonly opcode: number;
  readonly dst: number;
  readonly src: number;
  readonly off: number;
  readonly imm: number;
}

/** A program: the slots in order. Jump offsets count slots (RFC 9669 §4.3). */
export type Program = readonly Insn[];

export function insn(opcode: number, dst = 0, src = 0, off = 0, imm = 0): Insn {
  return { opcode, dst, src, off: (off << 16) >> 16, imm: imm | 0 };
}

// Instruction classes (opcode bits 0–2).
export const BPF_LD = 0x00;
export const BPF_LDX = 0x01;
export const BPF_ST = 0x02;
export const BPF_STX = 0x03;
export const BPF_ALU = 0x04;
export const BPF_JMP = 0x05;
export const BPF_JMP32 = 0x06;
export const BPF_ALU64 = 0x07;

// Source bit for ALU/JMP (bit 3).
export const BPF_K = 0x00;
export const BPF_X = 0x08;

// ALU operations (bits 4–7).
export const BPF_ADD = 0x00;
export const BPF_SUB = 0x10;
export const BPF_MUL = 0x20;
export const BPF_DIV = 0x30;
export const BPF_OR = 0x40;
export const BPF_AND = 0x50;
export const BPF_LSH = 0x60;
export const BPF_RSH = 0x70;
export const BPF_NEG = 0x80;
export const BPF_MOD = 0x90;
export const BPF_XOR = 0xa0;
export const BPF_MOV = 0xb0;
export const BPF_ARSH = 0xc0;
export const BPF_END = 0xd0;

// Byte-swap direction for BPF_END in class ALU (bit 3): to little endian / to big endian.
export const BPF_TO_LE = 0x00;
export const BPF_TO_BE = 0x08;

// Jump operations (bits 4–7).
export const BPF_JA = 0x00;
export const BPF_JEQ = 0x10;
export const BPF_JGT = 0x20;
export const BPF_JGE = 0x30;
export const BPF_JSET = 0x40;
export const BPF_JNE = 0x50;
export const BPF_JSGT = 0x60;
export const BPF_JSGE = 0x70;
export const BPF_CALL = 0x80;
export const BPF_EXIT = 0x90;
export const BPF_JLT = 0xa0;
export const BPF_JLE = 0xb0;
export const BPF_JSLT = 0xc0;
export const BPF_JSLE = 0xd0;

// Load/store size (bits 3–4) and mode (bits 5–7).
export const BPF_W = 0x00;
export const BPF_H = 0x08;
export const BPF_B = 0x10;
export const BPF_DW = 0x18;
export const BPF_IMM = 0x00;
export const BPF_ABS = 0x20;
export const BPF_IND = 0x40;
export const BPF_MEM = 0x60;
export const BPF_MEMSX = 0x80;
export const BPF_ATOMIC = 0xc0;

// Atomic operations (imm of STX|ATOMIC, RFC 9669 §5.3).
export const BPF_FETCH = 0x01;
export const BPF_XCHG = 0xe0 | BPF_FETCH;
export const BPF_CMPXCHG = 0xf0 | BPF_FETCH;

// src_reg values of LD_IMM64 (RFC 9669 §5.4) and of CALL (§4.3.1).
export const BPF_PSEUDO_MAP_FD = 1;
export const BPF_PSEUDO_MAP_VALUE = 2;
export const BPF_PSEUDO_BTF_ID = 3;
export const BPF_PSEUDO_FUNC = 4;
export const BPF_PSEUDO_MAP_IDX = 5;
export const BPF_PSEUDO_MAP_IDX_VALUE = 6;
export const BPF_PSEUDO_CALL = 1;
export const BPF_PSEUDO_KFUNC_CALL = 2;

// Registers. AX is the hidden register Linux uses for constant blinding (never in user programs).
export const R0 = 0;
export const R10 = 10;
export const AX = 11;
export const MAX_BPF_REG = 11;

export const BPF_STACK_SIZE = 512; // MAX_BPF_STACK
export const MAX_CALL_FRAMES = 8; // MAX_CALL_FRAMES in the Linux verifier
export const MAX_TAIL_CALL_CNT = 33; // include/linux/bpf.h since 5.17

export const LD_IMM64_OPCODE = BPF_LD | BPF_IMM | BPF_DW; // 0x18

export const cls = (opcode: number): number => opcode & 0x07;
export const aluOp = (opcode: number): number => opcode & 0xf0;
export const srcBit = (opcode: number): number => opcode & 0x08;
export const size = (opcode: number): number => opcode & 0x18;
export const mode = (opcode: number): number => opcode & 0xe0;

/** Size in bytes of a BPF_W/H/B/DW size field. */
export function sizeBytes(opcode: number): 1 | 2 | 4 | 8 {
  switch (opcode & 0x18) {
    case BPF_B: return 1;
    case BPF_H: return 2;
    case BPF_W: return 4;
    default: return 8;
  }
}

/** Is slot `i` the first half of an LD_IMM64? */
export const isLdImm64 = (i: Insn): boolean => i.opcode === LD_IMM64_OPCODE;
