// ALU edge semantics of the reference interpreter (reference/ebpf-semantics.md §2.1), each test naming
// the rule it checks. Expected values are written out from the RFC's rules, not computed by semantics.ts.
import { describe, expect, it } from "vitest";
import {
  alu32, alu32r, alu64, alu64r, be, BE32, BE64, bswap, exit, LE32, le, lddw, mov, movr, movsx32, movsx64, neg32,
  neg64, prog, r0Of,
} from "./test-kit";

const INT64_MIN = 0x8000000000000000n;
const ALL1 = 0xffffffffffffffffn;
/** r0 = a (64-bit); op; exit. */
const unary = (a: bigint, ...body: ReturnType<typeof mov>[]): bigint => r0Of(prog(lddw(0, a), ...body, exit()));
/** r0 = a; r1 = b; op r0, r1; exit. */
const bin = (a: bigint, b: bigint, op: ReturnType<typeof mov>): bigint => r0Of(prog(lddw(0, a), lddw(1, b), op, exit()));

describe("wrap-around and K operands", () => {
  it("add64 wraps modulo 2^64", () => expect(unary(ALL1, alu64("add", 0, 2))).toBe(1n));
  it("add32 wraps modulo 2^32 and zero-extends", () => expect(unary(0x12345678ffffffffn, alu32("add", 0, 2))).toBe(1n));
  it("add64 with imm 0x80000000 adds the sign-extended 0xffffffff80000000", () =>
    expect(unary(0n, alu64("add", 0, 0x80000000 | 0))).toBe(0xffffffff80000000n));
  it("add32 with imm 0x80000000 adds the 32-bit value (no sign extension into the upper half)", () =>
    expect(unary(0n, alu32("add", 0, 0x80000000 | 0))).toBe(0x80000000n));
  it("sub64 below zero wraps to 2^64 - 1", () => expect(unary(0n, alu64("sub", 0, 1))).toBe(ALL1));
  it("sub32 below zero gives 0x00000000ffffffff", () => expect(unary(0n, alu32("sub", 0, 1))).toBe(0xffffffffn));
  it("or32/and32/xor32 results are zero-extended even when dst had upper bits", () => {
    expect(unary(0xffffffff00000000n, alu32("or", 0, 1))).toBe(1n);
    expect(unary(0xffffffff000000ffn, alu32("and", 0, -1))).toBe(0xffn);
    expect(unary(0xffffffff00000000n, alu32("xor", 0, 3))).toBe(3n);
  });
  it("and64/or64/xor64 with negative imm use the sign-extended imm", () => {
    expect(unary(0x1234567800000000n, alu64("and", 0, -1))).toBe(0x1234567800000000n);
    expect(unary(0n, alu64("or", 0, -2))).toBe(0xfffffffffffffffen);
    expect(unary(ALL1, alu64("xor", 0, -1))).toBe(0n);
  });
});

describe("MOV", () => {
  it("mov64 imm -1 sets all 64 bits", () => expect(unary(0n, mov(0, -1))).toBe(ALL1));
  it("mov32 imm -1 gives 0x00000000ffffffff", () => expect(unary(0n, alu32("mov", 0, -1))).toBe(0xffffffffn));
  it("mov32 reg copies only the low 32 bits", () => expect(bin(0n, 0xdeadbeefcafef00dn, alu32r("mov", 0, 1))).toBe(0xcafef00dn));
  it("mov32 rX, rX (imm 1, the verifier zext marker) clears the upper half", () =>
    expect(unary(0xdeadbeefcafef00dn, { opcode: 0xbc, dst: 0, src: 0, off: 0, imm: 1 })).toBe(0xcafef00dn));
  it("mov64 reg copies all 64 bits", () => expect(bin(0n, 0xdeadbeefcafef00dn, movr(0, 1))).toBe(0xdeadbeefcafef00dn));
});

describe("MOVSX", () => {
  it("movsx864 sign-extends 0x80 to 0xffffffffffffff80", () => expect(bin(0n, 0x1234567812345680n, movsx64(0, 1, 8))).toBe(0xffffffffffffff80n));
  it("movsx1664 sign-extends 0x8000", () => expect(bin(0n, 0x8000n, movsx64(0, 1, 16))).toBe(0xffffffffffff8000n));
  it("movsx3264 sign-extends 0x80000000", () => expect(bin(0n, 0xffff000080000000n, movsx64(0, 1, 32))).toBe(0xffffffff80000000n));
  it("movsx864 of a positive byte keeps it positive", () => expect(bin(0n, 0xff7fn, movsx64(0, 1, 8))).toBe(0x7fn));
  it("movsx832 sign-extends to 32 bits then zeroes the upper half", () => expect(bin(ALL1, 0x80n, movsx32(0, 1, 8))).toBe(0xffffff80n));
  it("movsx1632 sign-extends to 32 bits then zeroes the upper half", () => expect(bin(0n, 0xffffffff00008001n, movsx32(0, 1, 16))).toBe(0xffff8001n));
});

describe("MUL", () => {
  it("mul32 0x80000000 × -1 = 0x80000000 (low 32 bits of the product)", () =>
    expect(bin(0x80000000n, ALL1, alu32r("mul", 0, 1))).toBe(0x80000000n));
  it("mul32 uses only the low halves of both operands", () =>
    expect(bin(0xffffffff00000003n, 0x1234567800000005n, alu32r("mul", 0, 1))).toBe(15n));
  it("mul64 INT64_MIN × -1 = INT64_MIN", () => expect(unary(INT64_MIN, alu64("mul", 0, -1))).toBe(INT64_MIN));
  it("mul64 keeps the low 64 bits: 0x100000001 × 0x100000001", () =>
    expect(bin(0x100000001n, 0x100000001n, alu64r("mul", 0, 1))).toBe(0x200000001n));
});

describe("unsigned DIV and MOD", () => {
  it("div64 imm -1 divides by 2^64 - 1", () => {
    expect(unary(ALL1, alu64("div", 0, -1))).toBe(1n);
    expect(unary(ALL1 - 1n, alu64("div", 0, -1))).toBe(0n);
  });
  it("div32 imm -1 divides by 0xffffffff", () => expect(unary(0xfffffffen, alu32("div", 0, -1))).toBe(0n));
  it("div32 uses the low 32 bits of dst", () => expect(unary(0x100000064n, alu32("div", 0, 10))).toBe(10n));
  it("div64 by a zero register gives 0", () => expect(bin(1234n, 0n, alu64r("div", 0, 1))).toBe(0n));
  it("div32 by a zero register gives 0", () => expect(bin(ALL1, 0n, alu32r("div", 0, 1))).toBe(0n));
  it("div32 divisor with zero low half counts as zero (upper half ignored)", () =>
    expect(bin(100n, 0x500000000n, alu32r("div", 0, 1))).toBe(0n));
  it("mod64 by a zero register leaves dst unchanged (all 64 bits)", () =>
    expect(bin(0xdeadbeef12345678n, 0n, alu64r("mod", 0, 1))).toBe(0xdeadbeef12345678n));
  it("mod32 by a zero register keeps only the low half of dst", () =>
    expect(bin(0xdeadbeef12345678n, 0n, alu32r("mod", 0, 1))).toBe(0x12345678n));
  it("mod32 by a register with zero low half keeps the low half of dst", () =>
    expect(bin(0xdeadbeef00000007n, 0xffffffff00000000n, alu32r("mod", 0, 1))).toBe(7n));
  it("mod64 imm -1 is modulo 2^64 - 1", () => expect(unary(ALL1, alu64("mod", 0, -1))).toBe(0n));
  it("mod32 uses u32 operands", () => expect(unary(0x1ffffffffn, alu32("mod", 0, 0x10))).toBe(0xfn));
});

describe("signed SDIV and SMOD", () => {
  it("sdiv64 INT64_MIN / -1 = INT64_MIN", () => expect(bin(INT64_MIN, ALL1, alu64r("sdiv", 0, 1))).toBe(INT64_MIN));
  it("smod64 INT64_MIN % -1 = 0", () => expect(bin(INT64_MIN, ALL1, alu64r("smod", 0, 1))).toBe(0n));
  it("sdiv32 INT_MIN / -1 = 0x0000000080000000 (zero-extended)", () =>
    expect(unary(0x80000000n, alu32("sdiv", 0, -1))).toBe(0x80000000n));
  it("smod32 INT_MIN % -1 = 0", () => expect(unary(0xffffffff80000000n, alu32("smod", 0, -1))).toBe(0n));
  it("sdiv truncates toward zero: -7 / 2 = -3", () => {
    expect(unary(BigInt.asUintN(64, -7n), alu64("sdiv", 0, 2))).toBe(BigInt.asUintN(64, -3n));
    expect(unary(0xfffffff9n, alu32("sdiv", 0, 2))).toBe(0xfffffffdn);
  });
  it("smod is truncated: -13 % 3 = -1 and 13 % -3 = 1", () => {
    expect(unary(BigInt.asUintN(64, -13n), alu64("smod", 0, 3))).toBe(ALL1);
    expect(unary(13n, alu64("smod", 0, -3))).toBe(1n);
    expect(unary(0xfffffff3n, alu32("smod", 0, 3))).toBe(0xffffffffn);
    expect(unary(13n, alu32("smod", 0, -3))).toBe(1n);
  });
  it("sdiv32 treats the operands as s32 (upper half of dst ignored)", () =>
    expect(unary(0x00000001fffffff8n, alu32("sdiv", 0, -2))).toBe(4n));
  it("sdiv64 imm is sign-extended: 100 / -10 = -10", () => expect(unary(100n, alu64("sdiv", 0, -10))).toBe(BigInt.asUintN(64, -10n)));
  it("sdiv by zero gives 0 (64 and 32)", () => {
    expect(bin(ALL1, 0n, alu64r("sdiv", 0, 1))).toBe(0n);
    expect(bin(ALL1, 0xffffffff00000000n, alu32r("sdiv", 0, 1))).toBe(0n);
  });
  it("smod64 by zero leaves dst unchanged; smod32 by zero keeps the low half", () => {
    expect(bin(0xfffffffffffffff3n, 0n, alu64r("smod", 0, 1))).toBe(0xfffffffffffffff3n);
    expect(bin(0xfffffffffffffff3n, 0n, alu32r("smod", 0, 1))).toBe(0xfffffff3n);
  });
});

describe("shifts mask the amount", () => {
  const v = 0x8123456789abcdefn;
  it("lsh64 by register 65 shifts by 1", () => expect(bin(v, 65n, alu64r("lsh", 0, 1))).toBe(0x02468acf13579bden));
  it("lsh64 by register -1 shifts by 63", () => expect(bin(3n, ALL1, alu64r("lsh", 0, 1))).toBe(INT64_MIN));
  it("rsh64 by register 64 shifts by 0", () => expect(bin(v, 64n, alu64r("rsh", 0, 1))).toBe(v));
  it("rsh64 imm -1 shifts by 63", () => expect(unary(v, alu64("rsh", 0, -1))).toBe(1n));
  it("arsh64 propagates the sign", () => expect(unary(v, alu64("arsh", 0, 60))).toBe(0xfffffffffffffff8n));
  it("arsh64 by register 0x41 shifts by 1", () => expect(bin(v, 0x41n, alu64r("arsh", 0, 1))).toBe(0xc091a2b3c4d5e6f7n));
  it("lsh32 by register 33 shifts by 1 and zero-extends", () => expect(bin(0xffffffff80000001n, 33n, alu32r("lsh", 0, 1))).toBe(2n));
  it("lsh32 by register 0x100000020 (low word 32) shifts by 0", () =>
    expect(bin(0xffffffff00000005n, 0x100000020n, alu32r("lsh", 0, 1))).toBe(5n));
  it("rsh32 by register -1 shifts by 31", () => expect(bin(0xffffffff80000000n, ALL1, alu32r("rsh", 0, 1))).toBe(1n));
  it("rsh32 ignores the upper half of dst", () => expect(unary(0xffffffff00000010n, alu32("rsh", 0, 4))).toBe(1n));
  it("arsh32 works on the s32 low word then zero-extends", () =>
    expect(unary(0x0000000080000000n, alu32("arsh", 0, 4))).toBe(0xf8000000n));
  it("arsh32 by register 35 shifts by 3", () => expect(bin(0x80000000n, 35n, alu32r("arsh", 0, 1))).toBe(0xf0000000n));
  it("arsh32 imm -1 shifts by 31", () => expect(unary(0x80000000n, alu32("arsh", 0, -1))).toBe(0xffffffffn));
});

describe("NEG", () => {
  it("neg64 INT64_MIN = INT64_MIN", () => expect(unary(INT64_MIN, neg64(0))).toBe(INT64_MIN));
  it("neg64 1 = all ones", () => expect(unary(1n, neg64(0))).toBe(ALL1));
  it("neg32 INT_MIN = 0x80000000 zero-extended", () => expect(unary(0xffffffff80000000n, neg32(0))).toBe(0x80000000n));
  it("neg32 1 = 0x00000000ffffffff", () => expect(unary(0x700000001n, neg32(0))).toBe(0xffffffffn));
});

describe("END and BSWAP in both byte orders", () => {
  const v = 0x1122334455667788n;
  it("on an LE host le16/le32 truncate and le64 is a no-op", () => {
    expect(unary(v, le(0, 16))).toBe(0x7788n);
    expect(unary(v, le(0, 32))).toBe(0x55667788n);
    expect(unary(v, le(0, 64))).toBe(v);
  });
  it("on an LE host be16/be32/be64 swap the low 16/32/64 bits", () => {
    expect(unary(v, be(0, 16))).toBe(0x8877n);
    expect(unary(v, be(0, 32))).toBe(0x88776655n);
    expect(unary(v, be(0, 64))).toBe(0x8877665544332211n);
  });
  it("on a BE host be16/be32 truncate and be64 is a no-op", () => {
    for (const layout of [BE64, BE32]) {
      expect(r0Of(prog(lddw(0, v), be(0, 16), exit()), { layout })).toBe(0x7788n);
      expect(r0Of(prog(lddw(0, v), be(0, 32), exit()), { layout })).toBe(0x55667788n);
      expect(r0Of(prog(lddw(0, v), be(0, 64), exit()), { layout })).toBe(v);
    }
  });
  it("on a BE host le16/le32/le64 swap", () => {
    for (const layout of [BE64, BE32]) {
      expect(r0Of(prog(lddw(0, v), le(0, 16), exit()), { layout })).toBe(0x8877n);
      expect(r0Of(prog(lddw(0, v), le(0, 32), exit()), { layout })).toBe(0x88776655n);
      expect(r0Of(prog(lddw(0, v), le(0, 64), exit()), { layout })).toBe(0x8877665544332211n);
    }
  });
  it("bswap16/32/64 swap unconditionally, in both byte orders, and zero-extend", () => {
    for (const layout of [LE32, BE64]) {
      expect(r0Of(prog(lddw(0, v), bswap(0, 16), exit()), { layout })).toBe(0x8877n);
      expect(r0Of(prog(lddw(0, v), bswap(0, 32), exit()), { layout })).toBe(0x88776655n);
      expect(r0Of(prog(lddw(0, v), bswap(0, 64), exit()), { layout })).toBe(0x8877665544332211n);
    }
  });
});

// RFC 9669 §4.1 defines division by an immediate 0 like division by a zero register; Linux rejects such a
// program at load (ebpf-semantics.md §3 row 1), but the ISA oracle must still give the RFC value.
describe("division by an immediate zero (RFC 9669 §4.1, ISA oracle)", () => {
  const d = 0xdeadbeef12345678n;
  it("div64/sdiv64 by imm 0 give 0", () => {
    expect(unary(d, alu64("div", 0, 0))).toBe(0n);
    expect(unary(d, alu64("sdiv", 0, 0))).toBe(0n);
  });
  it("div32/sdiv32 by imm 0 give 0 (upper half cleared too)", () => {
    expect(unary(d, alu32("div", 0, 0))).toBe(0n);
    expect(unary(d, alu32("sdiv", 0, 0))).toBe(0n);
  });
  it("mod64/smod64 by imm 0 leave all 64 bits of dst", () => {
    expect(unary(d, alu64("mod", 0, 0))).toBe(d);
    expect(unary(d, alu64("smod", 0, 0))).toBe(d);
  });
  it("mod32/smod32 by imm 0 give (u32)dst", () => {
    expect(unary(d, alu32("mod", 0, 0))).toBe(0x12345678n);
    expect(unary(d, alu32("smod", 0, 0))).toBe(0x12345678n);
  });
});

describe("K operands of DIV/MOD and shifts (RFC 9669 §4.1)", () => {
  it("div64 imm 0x80000000 divides by the sign-extended 0xffffffff80000000", () => {
    expect(unary(ALL1, alu64("div", 0, 0x80000000 | 0))).toBe(1n);
    expect(unary(0xffffffff7fffffffn, alu64("div", 0, 0x80000000 | 0))).toBe(0n);
  });
  it("mod32 imm 0x80000000 uses the u32 value 0x80000000 (no sign extension)", () =>
    expect(unary(0xffffffffn, alu32("mod", 0, 0x80000000 | 0))).toBe(0x7fffffffn));
  it("sdiv32 imm 0x80000000 is INT_MIN as s32: INT_MIN / INT_MIN = 1", () =>
    expect(unary(0x80000000n, alu32("sdiv", 0, 0x80000000 | 0))).toBe(1n));
  it("lsh64 imm 65 shifts by 1 and lsh32 imm 32 shifts by 0 (K amounts are masked like X amounts)", () => {
    expect(unary(3n, alu64("lsh", 0, 65))).toBe(6n);
    expect(unary(0xffffffff00000003n, alu32("lsh", 0, 32))).toBe(3n);
  });
  it("arsh64 imm 127 shifts by 63: the sign fills every bit", () =>
    expect(unary(INT64_MIN, alu64("arsh", 0, 127))).toBe(ALL1));
  it("mov32 imm leaves no upper bits and mov64 imm 0x80000000 sign-extends (§4.1 MOV)", () => {
    expect(unary(ALL1, alu32("mov", 0, 0x80000000 | 0))).toBe(0x80000000n);
    expect(unary(0n, alu64("mov", 0, 0x80000000 | 0))).toBe(0xffffffff80000000n);
  });
});
