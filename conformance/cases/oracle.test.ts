// Property test: the reference interpreter agrees with the independent oracle (oracle.ts) on random
// operands for every ALU/ALU64 operation (K and X forms), every JMP/JMP32 condition, NEG, MOVSX, END and
// BSWAP (END in both host byte orders) and every W/DW atomic — the edge-value files cover chosen
// magnitudes, this covers the space between them. Seeds are printed on failure.
import { describe, expect } from "vitest";
import { test, fc } from "@fast-check/vitest";
import { insn } from "../../src/ebpf/insn";
import type { Insn } from "../../src/ebpf/insn";
import { defaultLayout } from "../../src/ebpf/layout";
import { runReference } from "../../src/reference/index";
import { alu32, alu64, cond, imm32, imm64, swapBytes, u32, u64 } from "./oracle";

const OPS: Record<string, [number, number]> = {
  add: [0x00, 0], sub: [0x10, 0], mul: [0x20, 0], div: [0x30, 0], sdiv: [0x30, 1], or: [0x40, 0], and: [0x50, 0],
  lsh: [0x60, 0], rsh: [0x70, 0], mod: [0x90, 0], smod: [0x90, 1], xor: [0xa0, 0], mov: [0xb0, 0], arsh: [0xc0, 0],
};
const JOPS: Record<string, number> = {
  jeq: 0x10, jgt: 0x20, jge: 0x30, jset: 0x40, jne: 0x50, jsgt: 0x60, jsge: 0x70, jlt: 0xa0, jle: 0xb0, jslt: 0xc0, jsle: 0xd0,
};
const layout = defaultLayout(64, true);
const layoutBE = defaultLayout(64, false);
const lddw = (d: number, v: bigint): Insn[] => [insn(0x18, d, 0, 0, Number(v & 0xffffffffn)), insn(0, 0, 0, 0, Number(v >> 32n))];
const run = (p: Insn[], l = layout): bigint => {
  const r = runReference(p, { layout: l, mem: new Uint8Array(0) });
  if (r.kind !== "exit") throw new Error(r.message);
  return r.r0;
};
// 64-bit values biased to 32-bit boundaries and sign bits as well as uniform ones.
const val = fc.oneof(
  fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
  fc.bigInt({ min: 0n, max: 0xffffffffn }),
  fc.tuple(fc.constantFrom(0n, 1n, 0x7fffffffn, 0x80000000n, 0xffffffffn, 1n << 63n, (1n << 64n) - 1n), fc.integer({ min: -2, max: 2 }))
    .map(([b, d]) => BigInt.asUintN(64, b + BigInt(d))),
);
const imm = fc.oneof(fc.integer({ min: -0x80000000, max: 0x7fffffff }), fc.integer({ min: -70, max: 70 }));

describe("reference interpreter agrees with the independent oracle", () => {
  test.prop([fc.constantFrom(...Object.keys(OPS)), fc.constantFrom(32, 64), val, val], { numRuns: 1500 })(
    "ALU X form: dst op= src",
    (op, w, a, b) => {
      const [code, off] = OPS[op];
      const p = [...lddw(0, a), ...lddw(1, b), insn((w === 64 ? 0x0f : 0x0c) | code, 0, 1, off), insn(0x95)];
      expect(run(p)).toBe(w === 64 ? alu64(op, a, b) : alu32(op, a, b));
    },
  );
  test.prop([fc.constantFrom(...Object.keys(OPS)), fc.constantFrom(32, 64), val, imm], { numRuns: 1500 })(
    "ALU K form: dst op= imm (sign-extended for ALU64, u32 for ALU32)",
    (op, w, a, k) => {
      const [code, off] = OPS[op];
      const p = [...lddw(0, a), insn((w === 64 ? 0x07 : 0x04) | code, 0, 0, off, k), insn(0x95)];
      expect(run(p)).toBe(w === 64 ? alu64(op, a, imm64(k)) : alu32(op, a, imm32(k)));
    },
  );
  test.prop([fc.constantFrom(...Object.keys(JOPS)), fc.constantFrom(32, 64), val, val, imm], { numRuns: 1500 })(
    "JMP/JMP32 conditions, X and K forms: taken exactly when the oracle says so",
    (op, w, a, b, k) => {
      const cls = w === 64 ? 0x05 : 0x06;
      // r0 = 0; if cond goto +1; exit; r0 = 1; exit  (X form), then the same with imm.
      const px = [...lddw(1, a), ...lddw(2, b), insn(0xb7, 0, 0, 0, 0), insn(cls | 0x08 | JOPS[op], 1, 2, 1), insn(0x95), insn(0xb7, 0, 0, 0, 1), insn(0x95)];
      expect(run(px)).toBe(cond(op, w, a, b) ? 1n : 0n);
      const pk = [...lddw(1, a), insn(0xb7, 0, 0, 0, 0), insn(cls | JOPS[op], 1, 0, 1, k), insn(0x95), insn(0xb7, 0, 0, 0, 1), insn(0x95)];
      expect(run(pk)).toBe(cond(op, w, a, w === 64 ? imm64(k) : imm32(k)) ? 1n : 0n);
    },
  );
  // 13 interpreter runs per sample, so fewer samples than the single-instruction properties above.
  test.prop([val, val, fc.boolean()], { numRuns: 300 })(
    "NEG, MOVSX, END (both host orders) and BSWAP: RFC 9669 §4.1–§4.2 on random values",
    (a, b, le) => {
      const l = le ? layout : layoutBE;
      const one = (op: number, off = 0, imm = 0): bigint => run([...lddw(0, a), ...lddw(1, b), insn(op, 0, 1, off, imm), insn(0x95)], l);
      const one0 = (op: number, imm: number): bigint => run([...lddw(0, a), insn(op, 0, 0, 0, imm), insn(0x95)], l);
      expect(one0(0x87, 0)).toBe(u64(-a)); // neg64
      expect(one0(0x84, 0)).toBe(u32(-a)); // neg32: zero-extended
      for (const bits of [8, 16, 32]) expect(one(0xbf, bits)).toBe(u64(BigInt.asIntN(bits, b))); // movsx to 64
      for (const bits of [8, 16]) expect(one(0xbc, bits)).toBe(u32(BigInt.asIntN(bits, b))); // movsx to 32, upper zero
      for (const bits of [16, 32, 64]) {
        const swapped = swapBytes(a, bits / 8);
        const truncated = BigInt.asUintN(bits, a);
        expect(one0(0xd7, bits)).toBe(swapped); // bswap: unconditional
        expect(one0(0xd4, bits)).toBe(le ? truncated : swapped); // to little-endian
        expect(one0(0xdc, bits)).toBe(le ? swapped : truncated); // to big-endian
      }
    },
  );
  // RFC 9669 §5.3 (ebpf-semantics.md §2.6): W atomics work on 32 bits and zero-extend fetched values;
  // without FETCH src is untouched; CMPXCHG compares (R0 & mask) and always loads the old value into R0.
  const ATOMICS = [0x00, 0x01, 0x40, 0x41, 0x50, 0x51, 0xa0, 0xa1, 0xe1, 0xf1];
  test.prop([val, val, val, fc.boolean(), fc.boolean(), fc.boolean()], { numRuns: 40 })(
    "atomics W and DW, every operation, both host orders: memory, src and R0 afterwards",
    (mem0, src, r0rand, r0hit, dw, le) => {
      const l = le ? layout : layoutBE;
      const mask = dw ? (1n << 64n) - 1n : 0xffffffffn;
      const old = mem0 & mask;
      // Half the samples make CMPXCHG succeed; for W the upper half of R0 must not matter.
      const r0 = r0hit ? old | (dw ? 0n : r0rand & ~mask) : r0rand;
      const [st, ld, at] = dw ? [0x7b, 0x79, 0xdb] : [0x63, 0x61, 0xc3];
      for (const op of ATOMICS) {
        const body = [...lddw(2, mem0), insn(st, 10, 2, -8), ...lddw(1, src), ...lddw(0, r0), insn(at, 10, 1, -8, op)];
        const memAfter = run([...body, insn(ld, 0, 10, -8), insn(0x95)], l);
        const srcAfter = run([...body, insn(0xbf, 0, 1), insn(0x95)], l);
        const r0After = run([...body, insn(0x95)], l);
        const v = src & mask;
        const base = op & ~1;
        const fetch = (op & 1) !== 0;
        let want: bigint;
        if (op === 0xf1) want = old === (r0 & mask) ? v : old;
        else if (op === 0xe1) want = v;
        else want = (base === 0x00 ? old + v : base === 0x40 ? old | v : base === 0x50 ? old & v : old ^ v) & mask;
        expect(memAfter, `op 0x${op.toString(16)} memory`).toBe(want);
        expect(srcAfter, `op 0x${op.toString(16)} src`).toBe(fetch && op !== 0xf1 ? old : src);
        expect(r0After, `op 0x${op.toString(16)} r0`).toBe(op === 0xf1 ? old : r0);
      }
    },
  );
});
