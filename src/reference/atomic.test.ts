// Atomic operations (reference/ebpf-semantics.md §2.6) and legacy packet loads on the reference interpreter.
import { describe, expect, it } from "vitest";
import { alu64r, BE64, exit, lddw, ldabs, ldind, ldx, mov, movr, prog, r0Of, run, atomic, stx, LE64 } from "./test-kit";
import { insn } from "../ebpf/insn";

const ADD = 0x00, OR = 0x40, AND = 0x50, XOR = 0xa0, FETCH = 0x01, XCHG = 0xe1, CMPXCHG = 0xf1;
const MEM0 = 0x00000000f0f0f0f0n;

/**
 * *(u64 *)(r10 - 8) = MEM0; r1 = src; atomic op; then return either the memory word (what = "mem"),
 * src (what = "src") or r0 (what = "r0", preset to r0init).
 */
function atom(size: 4 | 8, op: number, src: bigint, what: "mem" | "src" | "r0", r0init = 0n, mem0 = MEM0): bigint {
  const tail = what === "mem" ? [ldx(8, 0, 10, -8)] : what === "src" ? [movr(0, 1)] : [];
  return r0Of(prog(lddw(2, mem0), stx(8, 10, -8, 2), lddw(1, src), lddw(0, r0init), atomic(size, op, 10, -8, 1), ...tail, exit()));
}

describe("atomic read-modify-write", () => {
  it("lock add64 adds, lock add32 adds into the low word only (carry does not leave the word)", () => {
    expect(atom(8, ADD, 0x10n, "mem")).toBe(0xf0f0f100n);
    expect(atom(4, ADD, 0x0f0f0f10n, "mem", 0n, 0x00000000f0f0f0f0n)).toBe(0x0n);
  });
  it("lock or/and/xor 64 and 32", () => {
    expect(atom(8, OR, 0x0f00000000000000n, "mem")).toBe(0x0f000000f0f0f0f0n);
    expect(atom(8, AND, 0xff00ff00n, "mem")).toBe(0xf000f000n);
    expect(atom(8, XOR, 0xffffffffffffffffn, "mem")).toBe(0xffffffff0f0f0f0fn);
    expect(atom(4, OR, 0xffffffff0000000fn, "mem")).toBe(0xf0f0f0ffn);
    expect(atom(4, AND, 0xffffffff0000ffffn, "mem", 0n, 0x11111111f0f0f0f0n)).toBe(0x111111110000f0f0n);
    expect(atom(4, XOR, 0xffffffffffffffffn, "mem", 0n, 0x22222222f0f0f0f0n)).toBe(0x222222220f0f0f0fn);
  });
  it("without FETCH, src is left bit-identical including its upper 32 bits for W", () => {
    expect(atom(4, ADD, 0xdeadbeef00000001n, "src")).toBe(0xdeadbeef00000001n);
    expect(atom(8, XOR, 0xdeadbeef00000001n, "src")).toBe(0xdeadbeef00000001n);
  });
  it("FETCH puts the old value in src; for W it is zero-extended", () => {
    expect(atom(8, ADD | FETCH, 1n, "src", 0n, 0x8000000000000000n)).toBe(0x8000000000000000n);
    expect(atom(4, ADD | FETCH, 0xffffffff00000001n, "src", 0n, 0x12345678f0f0f0f0n)).toBe(0xf0f0f0f0n);
    expect(atom(4, OR | FETCH, 0xffffffffffffffffn, "src")).toBe(0xf0f0f0f0n);
    expect(atom(4, AND | FETCH, 0xffffffffffffffffn, "src")).toBe(0xf0f0f0f0n);
    expect(atom(4, XOR | FETCH, 0xffffffffffffffffn, "src")).toBe(0xf0f0f0f0n);
  });
  it("XCHG swaps: memory gets src, src gets the old value (W zero-extended, upper memory word kept)", () => {
    expect(atom(8, XCHG, 0x1111111122222222n, "mem")).toBe(0x1111111122222222n);
    expect(atom(8, XCHG, 0x1111111122222222n, "src")).toBe(MEM0);
    expect(atom(4, XCHG, 0x1111111122222222n, "mem", 0n, 0x33333333f0f0f0f0n)).toBe(0x3333333322222222n);
    expect(atom(4, XCHG, 0x1111111122222222n, "src", 0n, 0x33333333f0f0f0f0n)).toBe(0xf0f0f0f0n);
  });
});

describe("CMPXCHG", () => {
  it("success: memory gets src and R0 gets the old value", () => {
    expect(atom(8, CMPXCHG, 7n, "mem", MEM0)).toBe(7n);
    expect(atom(8, CMPXCHG, 7n, "r0", MEM0)).toBe(MEM0);
  });
  it("failure: memory is unchanged and R0 still gets the old value", () => {
    expect(atom(8, CMPXCHG, 7n, "mem", MEM0 + 1n)).toBe(MEM0);
    expect(atom(8, CMPXCHG, 7n, "r0", 5n)).toBe(MEM0);
  });
  it("cmpxchg64 compares all 64 bits of R0", () => expect(atom(8, CMPXCHG, 7n, "mem", MEM0 | (1n << 32n))).toBe(MEM0));
  it("cmpxchg32 compares only the low 32 bits of R0 and zero-extends the old value into R0", () => {
    expect(atom(4, CMPXCHG, 0x9999999900000007n, "mem", 0xffffffff00000000n | MEM0, 0x44444444f0f0f0f0n)).toBe(0x4444444400000007n);
    expect(atom(4, CMPXCHG, 7n, "r0", 0xffffffff00000000n | MEM0, 0x44444444f0f0f0f0n)).toBe(0xf0f0f0f0n);
  });
  it("cmpxchg32 failure leaves memory unchanged and zero-extends R0", () => {
    expect(atom(4, CMPXCHG, 7n, "mem", 1n, 0x44444444f0f0f0f0n)).toBe(0x44444444f0f0f0f0n);
    expect(atom(4, CMPXCHG, 7n, "r0", 0xffffffffffffffffn, 0x44444444f0f0f0f0n)).toBe(0xf0f0f0f0n);
  });
  it("src is not modified by CMPXCHG", () => expect(atom(8, CMPXCHG, 0xabcdn, "src", MEM0)).toBe(0xabcdn));
});

describe("atomic faults", () => {
  it("a misaligned atomic faults (Linux requires natural alignment)", () => {
    const res = run(prog(mov(1, 1), atomic(4, ADD, 10, -6, 1), exit()));
    expect(res.kind).toBe("fault");
    expect(res.message).toContain("misaligned");
  });
  it("an atomic outside every region faults naming the instruction", () => {
    const res = run(prog(mov(2, 64), mov(1, 1), atomic(8, ADD, 2, 0, 1), exit()));
    expect(res.message).toBe("insn 2: atomic access of 8 bytes at 0x40 is outside every region");
  });
});

describe("legacy packet loads (LD ABS / IND)", () => {
  const pkt = Uint8Array.from([0x11, 0x22, 0x33, 0x44, 0x55, 0x66]);
  it("ldabsw reads network byte order regardless of the layout", () => {
    expect(r0Of(prog(ldabs(4, 1), exit()), { mem: pkt, layout: LE64 })).toBe(0x22334455n);
    expect(r0Of(prog(ldabs(4, 1), exit()), { mem: pkt, layout: BE64 })).toBe(0x22334455n);
    expect(r0Of(prog(ldabs(2, 4), exit()), { mem: pkt })).toBe(0x5566n);
    expect(r0Of(prog(ldabs(1, 5), exit()), { mem: pkt })).toBe(0x66n);
  });
  it("ldind uses src + imm as the offset", () => expect(r0Of(prog(mov(3, 2), ldind(2, 3, 1), exit()), { mem: pkt })).toBe(0x4455n));
  it("an out-of-bounds packet load exits the program with R0 = 0", () => {
    expect(r0Of(prog(mov(0, 5), ldabs(4, 3), mov(0, 9), exit()), { mem: pkt })).toBe(0n);
    expect(r0Of(prog(mov(0, 5), mov(3, -1), ldind(1, 3, 0), mov(0, 9), exit()), { mem: pkt })).toBe(0n);
  });
  it("ldind offset wraps as s32: src 0x100000002 + 1 reads offset 3", () =>
    expect(r0Of(prog(lddw(3, 0x100000002n), ldind(1, 3, 1), exit()), { mem: pkt })).toBe(0x44n));
  it("the last in-bounds byte is readable", () => expect(r0Of(prog(ldabs(2, 4), exit()), { mem: pkt })).toBe(0x5566n));
  it("the load replaces R0 entirely (upper bits cleared)", () =>
    expect(r0Of(prog(lddw(0, 0xffffffffffffffffn), ldabs(1, 0), exit()), { mem: pkt })).toBe(0x11n));
});

describe("validation never throws", () => {
  it("XCHG without FETCH (imm 0xe0) is rejected as invalid", () => {
    const res = run(prog(atomic(8, 0xe0, 10, -8, 1), exit()));
    expect(res.invalid).toBe(true);
  });
  it("unknown opcodes, bad registers and jumps out of range give invalid results", () => {
    for (const p of [[insn(0xff), insn(0x95)], [insn(0xb7, 12, 0, 0, 1), insn(0x95)], [insn(0x05, 0, 0, 5), insn(0x95)], []]) {
      const res = run(p);
      expect(res.kind).toBe("fault");
      expect(res.invalid).toBe(true);
    }
  });
});

describe("R10 is the read-only frame pointer (ebpf-semantics.md §2.5)", () => {
  const invalid = (...p: Parameters<typeof prog>) => run(prog(...p)).message;
  it("ALU, LDX, LD_IMM64 and FETCH atomics that would write R10 are invalid programs", () => {
    expect(invalid(mov(10, 1), exit())).toMatch(/^insn 0: R10 is read-only/);
    expect(invalid(ldx(8, 10, 10, -8), exit())).toMatch(/^insn 0: R10 is read-only/);
    expect(invalid(lddw(10, 5n), exit())).toMatch(/^insn 0: R10 is read-only/);
    expect(invalid(mov(1, 0), atomic(8, ADD | FETCH, 1, 0, 10), exit())).toMatch(/^insn 1: R10 is read-only/);
  });
  it("reading R10, storing through it and CMPXCHG with src R10 (which writes R0, not src) are accepted", () => {
    const res = run(prog(stx(8, 10, -8, 10), movr(0, 10), atomic(8, CMPXCHG, 10, -8, 10), atomic(8, ADD, 10, -8, 10), exit()));
    expect(res.kind).toBe("exit");
    expect(res.invalid).toBeUndefined();
  });
});

describe("atomics in big-endian layouts", () => {
  it("lock add32 at r10-8 updates the word at that address: the high half of the DW on BE", () => {
    // DW 0x00000001_00000002 stored BE: bytes 00 00 00 01 00 00 00 02; the W at r10-8 is 0x00000001.
    const p = prog(lddw(2, 0x0000000100000002n), stx(8, 10, -8, 2), mov(1, 5), atomic(4, ADD, 10, -8, 1), ldx(8, 0, 10, -8), exit());
    expect(r0Of(p, { layout: BE64 })).toBe(0x0000000600000002n);
    expect(r0Of(p, { layout: LE64 })).toBe(0x0000000100000007n);
  });
  it("cmpxchg32 on BE compares and returns the word at the address", () => {
    const p = prog(lddw(2, 0x0000000700000009n), stx(8, 10, -8, 2), mov(0, 7), mov(1, 3), atomic(4, CMPXCHG, 10, -8, 1), ldx(8, 1, 10, -8), alu64r("add", 0, 1), exit());
    // old word 7 equals R0: memory becomes 0x00000003_00000009, R0 = 7; sum = 0x300000010.
    expect(r0Of(p, { layout: BE64 })).toBe(0x0000000300000010n);
  });
});
