// Pure BigInt semantics of eBPF ALU, byte-swap and jump conditions (RFC 9669 §4.1–§4.3, as summarised in
// reference/ebpf-semantics.md §2.1 and §2.3). Owns the arithmetic only: operands and results are u64
// BigInts in [0, 2^64). Does not own decoding, memory or control flow (interpreter.ts, memory.ts).
// Other folders may import these functions as an executable statement of the RFC (e.g. sweep oracles).
import {
  BPF_ADD, BPF_AND, BPF_ARSH, BPF_DIV, BPF_JEQ, BPF_JGE, BPF_JGT, BPF_JLE, BPF_JLT, BPF_JNE, BPF_JSET,
  BPF_JSGE, BPF_JSGT, BPF_JSLE, BPF_JSLT, BPF_LSH, BPF_MOD, BPF_MOV, BPF_MUL, BPF_NEG, BPF_OR, BPF_RSH,
  BPF_SUB, BPF_XOR,
} from "../ebpf/insn";

export const U64_MASK = (1n << 64n) - 1n;
export const U32_MASK = 0xffffffffn;

const u64 = (x: bigint): bigint => BigInt.asUintN(64, x);
const s64 = (x: bigint): bigint => BigInt.asIntN(64, x);
const u32 = (x: bigint): bigint => BigInt.asUintN(32, x);
const s32 = (x: bigint): bigint => BigInt.asIntN(32, x);

/** The K operand of an ALU64/JMP instruction: imm sign-extended to 64 bits, as u64 (RFC 9669 §4.1). */
export const immToU64 = (imm: number): bigint => u64(BigInt(imm | 0));
/** The K operand of an ALU32/JMP32 instruction: imm used as a 32-bit value. */
export const immToU32 = (imm: number): bigint => BigInt(imm >>> 0);

/** Binary ALU64 op (`aluOp` bits of the opcode); `off` distinguishes SDIV/SMOD (1) and MOVSX (8/16/32). */
export type AluFn = (dst: bigint, src: bigint) => bigint;

/**
 * The ALU64 function for an op/offset pair, or undefined if the pair is not an RFC 9669 instruction.
 * Division by zero: DIV/SDIV give 0, MOD/SMOD leave dst unchanged (§2.1). Signed ops use truncated
 * division, which BigInt `/` and `%` implement; INT_MIN / −1 wraps to INT_MIN and INT_MIN % −1 is 0.
 */
export function alu64Fn(op: number, off: number): AluFn | undefined {
  switch (op) {
    case BPF_ADD: return off === 0 ? (a, b) => u64(a + b) : undefined;
    case BPF_SUB: return off === 0 ? (a, b) => u64(a - b) : undefined;
    case BPF_MUL: return off === 0 ? (a, b) => u64(a * b) : undefined;
    case BPF_DIV:
      if (off === 0) return (a, b) => (b === 0n ? 0n : a / b);
      if (off === 1) return (a, b) => (b === 0n ? 0n : u64(s64(a) / s64(b)));
      return undefined;
    case BPF_MOD:
      if (off === 0) return (a, b) => (b === 0n ? a : a % b);
      if (off === 1) return (a, b) => (b === 0n ? a : u64(s64(a) % s64(b)));
      return undefined;
    case BPF_OR: return off === 0 ? (a, b) => a | b : undefined;
    case BPF_AND: return off === 0 ? (a, b) => a & b : undefined;
    case BPF_XOR: return off === 0 ? (a, b) => a ^ b : undefined;
    // Shift amounts are masked to the operand width for K and X forms alike (§2.1 "Shifts").
    case BPF_LSH: return off === 0 ? (a, b) => u64(a << (b & 63n)) : undefined;
    case BPF_RSH: return off === 0 ? (a, b) => a >> (b & 63n) : undefined;
    case BPF_ARSH: return off === 0 ? (a, b) => u64(s64(a) >> (b & 63n)) : undefined;
    case BPF_NEG: return off === 0 ? (a) => u64(-a) : undefined;
    case BPF_MOV:
      if (off === 0) return (_a, b) => b;
      if (off === 8 || off === 16 || off === 32) return (_a, b) => u64(BigInt.asIntN(off, b));
      return undefined;
    default: return undefined;
  }
}

/**
 * The ALU32 function: operands are the low 32 bits, the result is zero-extended (§2.1 "ALU32 results").
 * MOD/SMOD by zero keep only the low half of dst; the divisor counts as zero if its low 32 bits are.
 * MOVSX32 exists only with offsets 8 and 16.
 */
export function alu32Fn(op: number, off: number): AluFn | undefined {
  switch (op) {
    case BPF_ADD: return off === 0 ? (a, b) => u32(a + b) : undefined;
    case BPF_SUB: return off === 0 ? (a, b) => u32(a - b) : undefined;
    case BPF_MUL: return off === 0 ? (a, b) => u32(u32(a) * u32(b)) : undefined;
    case BPF_DIV:
      if (off === 0) return (a, b) => { const d = u32(b); return d === 0n ? 0n : u32(a) / d; };
      if (off === 1) return (a, b) => { const d = s32(b); return d === 0n ? 0n : u32(s32(a) / d); };
      return undefined;
    case BPF_MOD:
      if (off === 0) return (a, b) => { const d = u32(b); return d === 0n ? u32(a) : u32(a) % d; };
      if (off === 1) return (a, b) => { const d = s32(b); return d === 0n ? u32(a) : u32(s32(a) % d); };
      return undefined;
    case BPF_OR: return off === 0 ? (a, b) => u32(a | b) : undefined;
    case BPF_AND: return off === 0 ? (a, b) => u32(a & b) : undefined;
    case BPF_XOR: return off === 0 ? (a, b) => u32(a ^ b) : undefined;
    case BPF_LSH: return off === 0 ? (a, b) => u32(u32(a) << (b & 31n)) : undefined;
    case BPF_RSH: return off === 0 ? (a, b) => u32(a) >> (b & 31n) : undefined;
    case BPF_ARSH: return off === 0 ? (a, b) => u32(s32(a) >> (b & 31n)) : undefined;
    case BPF_NEG: return off === 0 ? (a) => u32(-a) : undefined;
    case BPF_MOV:
      if (off === 0) return (_a, b) => u32(b);
      if (off === 8 || off === 16) return (_a, b) => u32(BigInt.asIntN(off, b));
      return undefined;
    default: return undefined;
  }
}

/** Reverse the byte order of the low `bits` (16/32/64) bits of x; the result is zero-extended. */
export function bswap(x: bigint, bits: 16 | 32 | 64): bigint {
  let r = 0n;
  for (let i = 0; i < bits; i += 8) r = (r << 8n) | ((x >> BigInt(i)) & 0xffn);
  return r;
}

/**
 * END (class ALU): convert the low `bits` between host order and the named order (§2.1 "END").
 * Same order as the host → truncate to `bits` and zero-extend; other order → byte swap.
 */
export function endConvert(x: bigint, bits: 16 | 32 | 64, toBigEndian: boolean, hostLittleEndian: boolean): bigint {
  return toBigEndian === hostLittleEndian ? bswap(x, bits) : BigInt.asUintN(bits, x);
}

export type CondFn = (a: bigint, b: bigint) => boolean;

/** JMP condition on full 64-bit values (unsigned as u64, signed as s64), or undefined for non-conditions. */
export function jmp64Cond(op: number): CondFn | undefined {
  switch (op) {
    case BPF_JEQ: return (a, b) => a === b;
    case BPF_JNE: return (a, b) => a !== b;
    case BPF_JGT: return (a, b) => a > b;
    case BPF_JGE: return (a, b) => a >= b;
    case BPF_JLT: return (a, b) => a < b;
    case BPF_JLE: return (a, b) => a <= b;
    case BPF_JSET: return (a, b) => (a & b) !== 0n;
    case BPF_JSGT: return (a, b) => s64(a) > s64(b);
    case BPF_JSGE: return (a, b) => s64(a) >= s64(b);
    case BPF_JSLT: return (a, b) => s64(a) < s64(b);
    case BPF_JSLE: return (a, b) => s64(a) <= s64(b);
    default: return undefined;
  }
}

/** JMP32 condition: compares the low 32 bits (signed ops as s32); operands are never modified (§2.3). */
export function jmp32Cond(op: number): CondFn | undefined {
  switch (op) {
    case BPF_JEQ: return (a, b) => u32(a) === u32(b);
    case BPF_JNE: return (a, b) => u32(a) !== u32(b);
    case BPF_JGT: return (a, b) => u32(a) > u32(b);
    case BPF_JGE: return (a, b) => u32(a) >= u32(b);
    case BPF_JLT: return (a, b) => u32(a) < u32(b);
    case BPF_JLE: return (a, b) => u32(a) <= u32(b);
    case BPF_JSET: return (a, b) => u32(a & b) !== 0n;
    case BPF_JSGT: return (a, b) => s32(a) > s32(b);
    case BPF_JSGE: return (a, b) => s32(a) >= s32(b);
    case BPF_JSLT: return (a, b) => s32(a) < s32(b);
    case BPF_JSLE: return (a, b) => s32(a) <= s32(b);
    default: return undefined;
  }
}
