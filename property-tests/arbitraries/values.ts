// fast-check arbitraries for values: 64-bit register values and 32-bit immediates biased towards the
// magnitudes where JITs break (sign·2^n + δ, the 16-bit immediate boundaries MIPS addiu/ori/andi/lui care
// about, INT_MIN/−1 pairs). Owns value distributions only; programs are built in program.ts.
import fc from "fast-check";

/** Immediates at the MIPS 16-bit field boundaries (reference/mips-isa.md: addiu is s16, ori/andi are u16). */
export const IMM16_EDGES: readonly number[] = [
  0, 1, -1, 2, 0x7fff, -0x7fff, 0x8000, -0x8000, 0x8001, -0x8001, 0xffff, -0xffff, 0x10000, -0x10000, 0x7ffe,
];
/** 32-bit edges: INT_MIN, INT_MAX, the all-ones pattern, upper-half-only values. */
export const IMM32_EDGES: readonly number[] = [
  -0x8000_0000, 0x7fff_ffff, -0x7fff_ffff, 0x4000_0000, -0x4000_0000, 0x0001_0000, 0x7fff_0000, -0x1_0000,
  0x1234_5678, -0x1234_5678,
];

/** sign · 2^n + δ as a signed 32-bit value (n < 32). */
const arbPow32 = fc
  .tuple(fc.integer({ min: 0, max: 31 }), fc.integer({ min: -3, max: 3 }), fc.boolean())
  .map(([n, d, neg]) => ((neg ? -1 : 1) * 2 ** n + d) | 0);

/** A signed 32-bit immediate, edge-biased. */
export const arbImm32: fc.Arbitrary<number> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...IMM16_EDGES, ...IMM32_EDGES) },
  { weight: 3, arbitrary: arbPow32 },
  { weight: 2, arbitrary: fc.integer({ min: -0x8000_0000, max: 0x7fff_ffff }) },
  { weight: 1, arbitrary: fc.integer({ min: -300, max: 300 }) },
);

/** A non-zero immediate (divisors). */
export const arbImm32NonZero: fc.Arbitrary<number> = arbImm32.map((v) => (v === 0 ? 7 : v));

/** sign · 2^n + δ over 64 bits, as an unsigned bigint. */
const arbPow64 = fc
  .tuple(fc.integer({ min: 0, max: 63 }), fc.integer({ min: -3, max: 3 }), fc.boolean())
  .map(([n, d, neg]) => BigInt.asUintN(64, (neg ? -1n : 1n) * (1n << BigInt(n)) + BigInt(d)));

/** Divisor and dividend edges: zero (also only in the low half), −1 in 32 and 64 bits, INT_MIN, LLONG_MIN. */
export const DIV_EDGES: readonly bigint[] = [
  0n, 1n << 32n, 0xffff_ffff_0000_0000n, 0xffff_ffff_ffff_ffffn, 0xffff_ffffn, 0x8000_0000n, 0xffff_ffff_8000_0000n,
  0x8000_0000_0000_0000n, 1n,
];

/** A 64-bit register value (unsigned bigint), edge-biased. */
export const arbValue64: fc.Arbitrary<bigint> = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom(...DIV_EDGES) },
  { weight: 3, arbitrary: arbPow64 },
  { weight: 2, arbitrary: fc.constantFrom(...IMM16_EDGES, ...IMM32_EDGES).map((v) => BigInt.asUintN(64, BigInt(v))) },
  // Upper half set, lower half an edge (and vice versa): exercises the o32 register pairs.
  { weight: 2, arbitrary: fc.tuple(arbImm32, arbImm32).map(([h, l]) => (BigInt(h >>> 0) << 32n) | BigInt(l >>> 0)) },
  { weight: 2, arbitrary: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }) },
);

/** Split a u64 into the two imm fields of LD_IMM64 (low slot, high slot). */
export function splitU64(v: bigint): [lo: number, hi: number] {
  const u = BigInt.asUintN(64, v);
  return [Number(u & 0xffff_ffffn) | 0, Number(u >> 32n) | 0];
}
