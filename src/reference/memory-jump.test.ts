// Loads, stores, faults, jumps and LD_IMM64 (reference/ebpf-semantics.md §2.2–§2.4) on the reference
// interpreter, in both byte orders where the order matters.
import { describe, expect, it } from "vitest";
import { insn } from "../ebpf/insn";
import { placeMaps } from "../ebpf/layout";
import type { MapDef } from "../ebpf/maps";
import {
  alu64, BE32, BE64, exit, ja, gotol, jmp, jmp32, jmp32r, jmpr, LE32, LE64, lddw, lddwSrc, ldx, ldxs, mov, prog, r0Of,
  run, st, stx,
} from "./test-kit";
import { planRegions, RegionMemory } from "./memory";

const ctx = Uint8Array.from([0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa]);
const load = (size: 1 | 2 | 4 | 8, off: number, layout = LE64): bigint => r0Of(prog(ldx(size, 0, 1, off), exit()), { mem: ctx, layout });

describe("loads from the context", () => {
  it("ldxw reads the layout's byte order: LE 0x44332211, BE 0x11223344", () => {
    expect(load(4, 0, LE64)).toBe(0x44332211n);
    expect(load(4, 0, BE64)).toBe(0x11223344n);
    expect(load(4, 0, LE32)).toBe(0x44332211n);
    expect(load(4, 0, BE32)).toBe(0x11223344n);
  });
  it("ldxh/ldxb/ldxdw zero-extend, unaligned offsets allowed", () => {
    expect(load(2, 1, LE64)).toBe(0x3322n);
    expect(load(2, 1, BE64)).toBe(0x2233n);
    expect(load(1, 9)).toBe(0xaan);
    expect(load(8, 2, LE64)).toBe(0xaa99887766554433n);
    expect(load(8, 2, BE64)).toBe(0x33445566778899aan);
  });
  it("R2 holds the context length at entry", () => expect(r0Of(prog(insn(0xbf, 0, 2), exit()), { mem: ctx })).toBe(10n));
  it("R1 holds layout.ctx.base at entry (both address widths)", () => {
    expect(r0Of(prog(insn(0xbf, 0, 1), exit()), { mem: ctx, layout: LE64 })).toBe(BigInt(LE64.ctx.base));
    expect(r0Of(prog(insn(0xbf, 0, 1), exit()), { mem: ctx, layout: BE32 })).toBe(BigInt(BE32.ctx.base));
  });
});

describe("sign-extending loads (MEMSX)", () => {
  const neg = Uint8Array.from([0x80, 0xff, 0xff, 0xff, 0x7f]);
  it("ldxsb of 0x80 gives -128 as u64", () => expect(r0Of(prog(ldxs(1, 0, 1, 0), exit()), { mem: neg })).toBe(0xffffffffffffff80n));
  it("ldxsh of 0xff80 (LE) gives 0xffffffffffffff80", () => expect(r0Of(prog(ldxs(2, 0, 1, 0), exit()), { mem: neg })).toBe(0xffffffffffffff80n));
  it("ldxsh of 0x80ff (BE) gives 0xffffffffffff80ff", () =>
    expect(r0Of(prog(ldxs(2, 0, 1, 0), exit()), { mem: neg, layout: BE64 })).toBe(0xffffffffffff80ffn));
  it("ldxsw of 0xffffff80 (LE) gives 0xffffffffffffff80", () => expect(r0Of(prog(ldxs(4, 0, 1, 0), exit()), { mem: neg })).toBe(0xffffffffffffff80n));
  it("ldxsb of a positive byte stays positive", () => expect(r0Of(prog(ldxs(1, 0, 1, 4), exit()), { mem: neg })).toBe(0x7fn));
});

describe("stores", () => {
  it("stdw stores the sign-extended imm (0xffffffff → all ones)", () =>
    expect(r0Of(prog(st(8, 10, -8, -1), ldx(8, 0, 10, -8), exit()))).toBe(0xffffffffffffffffn));
  it("stw/sth/stb store the low bytes of imm", () => {
    expect(r0Of(prog(st(8, 10, -8, 0), st(4, 10, -8, 0x12345678), ldx(8, 0, 10, -8), exit()))).toBe(0x12345678n);
    expect(r0Of(prog(st(8, 10, -8, 0), st(2, 10, -8, 0x12345678), ldx(8, 0, 10, -8), exit()))).toBe(0x5678n);
    expect(r0Of(prog(st(8, 10, -8, 0), st(1, 10, -8, 0x12345678), ldx(8, 0, 10, -8), exit()))).toBe(0x78n);
  });
  it("stxw stores the low 4 bytes of src in the layout's byte order", () => {
    const p = prog(lddw(1, 0x1122334455667788n), stx(4, 10, -4, 1), ldx(1, 0, 10, -4), exit());
    expect(r0Of(p, { layout: LE64 })).toBe(0x88n);
    expect(r0Of(p, { layout: BE64 })).toBe(0x55n);
  });
  it("stores to the context show in the result's ctx region", () => {
    const res = run(prog(st(2, 1, 1, 0xabcd), mov(0, 0), exit()), { mem: new Uint8Array(4) });
    expect(res.regions.find((r) => r.name === "ctx")?.bytes).toEqual(Uint8Array.from([0, 0xcd, 0xab, 0]));
  });
  it("the stack region is [R10 - 512, R10) and is reported", () => {
    const res = run(prog(st(1, 10, -512, 7), st(1, 10, -1, 9), mov(0, 0), exit()));
    const s = res.regions.find((r) => r.name === "stack0")!;
    expect(s.base).toBe(LE64.stackTop - 512);
    expect(s.bytes[0]).toBe(7);
    expect(s.bytes[511]).toBe(9);
  });
});

describe("faults", () => {
  it("a load past the context names the instruction, address and size", () => {
    const res = run(prog(mov(0, 0), ldx(4, 0, 1, 8), exit()), { mem: ctx });
    expect(res.kind).toBe("fault");
    expect(res.message).toBe(`insn 1: load of 4 bytes at 0x${(LE64.ctx.base + 8).toString(16)} is outside every region`);
  });
  it("a store just above the stack top faults", () => {
    const res = run(prog(st(1, 10, 0, 1), exit()));
    expect(res.kind).toBe("fault");
    expect(res.message).toContain(`store of 1 bytes at 0x${LE64.stackTop.toString(16)}`);
  });
  it("an access straddling the end of the stack faults", () => {
    expect(run(prog(ldx(8, 0, 10, -4), exit())).kind).toBe("fault");
    expect(run(prog(ldx(8, 0, 10, -513), exit())).kind).toBe("fault");
  });
  it("a store into a read-only map object faults, a load from it does not", () => {
    const maps: MapDef[] = [{ name: "a", type: "array", keySize: 4, valueSize: 8, maxEntries: 2 }];
    expect(run(prog(lddwSrc(1, 1, 0), st(4, 1, 0, 1), exit()), { maps }).kind).toBe("fault");
    expect(run(prog(lddwSrc(1, 1, 0), ldx(4, 0, 1, 0), exit()), { maps }).kind).toBe("exit");
  });
  it("a null-pointer load faults with the address 0x0", () => {
    const res = run(prog(mov(1, 0), ldx(1, 0, 1, 0), exit()));
    expect(res.message).toBe("insn 1: load of 1 bytes at 0x0 is outside every region");
  });
  it("an address with a non-zero upper word is outside every region even on 32-bit layouts", () => {
    const res = run(prog(lddw(2, 1n << 32n), alu64r2(), ldx(1, 0, 1, 0), exit()), { mem: ctx, layout: LE32 });
    expect(res.kind).toBe("fault");
  });
});
const alu64r2 = () => insn(0x0f, 1, 2); // r1 += r2

describe("JMP and JMP32 conditions", () => {
  const taken = (...cond: ReturnType<typeof mov>[]): bigint => r0Of(prog(...cond, mov(0, 0), exit(), mov(0, 1), exit()));
  // Each case: set r1 (and r2), jump over "r0 = 0; exit" to "r0 = 1" when taken.
  const jk = (op: string, a: bigint, imm: number): bigint => taken(...lddw(1, a), jmp(op, 1, imm, 2));
  const jr = (op: string, a: bigint, b: bigint): bigint => taken(...lddw(1, a), ...lddw(2, b), jmpr(op, 1, 2, 2));
  const j32k = (op: string, a: bigint, imm: number): bigint => taken(...lddw(1, a), jmp32(op, 1, imm, 2));
  const j32r = (op: string, a: bigint, b: bigint): bigint => taken(...lddw(1, a), ...lddw(2, b), jmp32r(op, 1, 2, 2));

  it("jeq imm -1 compares against the sign-extended 0xffffffffffffffff", () => {
    expect(jk("jeq", 0xffffffffffffffffn, -1)).toBe(1n);
    expect(jk("jeq", 0xffffffffn, -1)).toBe(0n);
  });
  it("jgt/jge/jlt/jle compare as u64", () => {
    expect(jr("jgt", 0x8000000000000000n, 1n)).toBe(1n);
    expect(jr("jge", 5n, 5n)).toBe(1n);
    expect(jr("jlt", 1n, 0x8000000000000000n)).toBe(1n);
    expect(jr("jle", 6n, 5n)).toBe(0n);
    expect(jk("jgt", 0xfffffffffffffffen, -1)).toBe(0n);
  });
  it("jsgt/jsge/jslt/jsle compare as s64", () => {
    expect(jr("jsgt", 0x8000000000000000n, 1n)).toBe(0n);
    expect(jk("jslt", 0xfffffffffffffffen, -1)).toBe(1n);
    expect(jk("jsge", 0n, -1)).toBe(1n);
    expect(jr("jsle", 0xffffffffffffffffn, 0xffffffffffffffffn)).toBe(1n);
  });
  it("jset is taken iff dst & src != 0 (also in the upper half)", () => {
    expect(jr("jset", 0x100000000n, 0x100000000n)).toBe(1n);
    expect(jk("jset", 0x100000000n, 1)).toBe(0n);
  });
  it("jset imm uses the sign-extended imm: -1 tests the upper half too, 0x7fffffff does not", () => {
    expect(jk("jset", 0x8000000000000000n, -1)).toBe(1n);
    expect(jk("jset", 0x8000000000000000n, 0x7fffffff)).toBe(0n);
  });
  it("jne is taken on any difference in 64 bits", () => expect(jr("jne", 0x100000000n, 0n)).toBe(1n));
  it("JMP32 compares only the low 32 bits", () => {
    expect(j32r("jeq", 0xaaaaaaaa00000005n, 0x5555555500000005n)).toBe(1n);
    expect(j32k("jeq", 0x1ffffffffn, -1)).toBe(1n);
    expect(j32r("jset", 0xffffffff00000000n, 0xffffffff00000000n)).toBe(0n);
  });
  it("JMP32 signed conditions use s32 of the low word", () => {
    expect(j32k("jslt", 0x80000000n, 0)).toBe(1n);
    expect(j32k("jsgt", 0xffffffff7fffffffn, 0)).toBe(1n);
    expect(j32k("jsge", 0x00000000ffffffffn, -1)).toBe(1n);
    expect(j32r("jsle", 0x80000000n, 0x7fffffffn)).toBe(1n);
  });
  it("JMP32 unsigned conditions use u32 of the low word", () => {
    expect(j32k("jgt", 0x80000000n, 1)).toBe(1n);
    expect(j32k("jlt", 0xffffffff00000001n, 2)).toBe(1n);
    expect(j32k("jle", 0x100000000n, 0)).toBe(1n);
    expect(j32k("jge", 0xfffffffen, -1)).toBe(0n);
  });
  it("JMP32 never modifies its operands", () =>
    expect(r0Of(prog(lddw(0, 0xdeadbeef00000001n), jmp32("jeq", 0, 1, 0), exit()))).toBe(0xdeadbeef00000001n));
  it("ja skips by its 16-bit offset; LD_IMM64 counts as two slots", () =>
    expect(r0Of(prog(mov(0, 1), ja(2), lddw(0, 7n), exit()))).toBe(1n));
  it("gotol jumps by imm (backwards too)", () =>
    expect(r0Of(prog(mov(0, 1), gotol(2), alu64("add", 0, 10), exit(), alu64("add", 0, 100), gotol(-4)))).toBe(111n));
});

describe("LD_IMM64 kinds", () => {
  const maps: MapDef[] = [
    { name: "arr", type: "array", keySize: 4, valueSize: 16, maxEntries: 4 },
    { name: "h", type: "hash", keySize: 4, valueSize: 8, maxEntries: 4 },
  ];
  const pl = placeMaps(LE64, maps);
  it("src 0: dst = next_imm << 32 | (u32)imm", () =>
    expect(r0Of(prog(insn(0x18, 0, 0, 0, -2), insn(0, 0, 0, 0, 0x12345678), exit()))).toBe(0x12345678fffffffen));
  it("src 1 and src 5 give the map object address from placeMaps", () => {
    expect(r0Of(prog(lddwSrc(0, 1, 1), exit()), { maps })).toBe(BigInt(pl[1].objectAddr));
    expect(r0Of(prog(lddwSrc(0, 5, 0), exit()), { maps })).toBe(BigInt(pl[0].objectAddr));
  });
  it("src 2 and src 6 give valuesAddr + next_imm for array maps", () => {
    expect(r0Of(prog(lddwSrc(0, 2, 0, 12), exit()), { maps })).toBe(BigInt(pl[0].valuesAddr + 12));
    expect(r0Of(prog(lddwSrc(0, 6, 0, 63), exit()), { maps })).toBe(BigInt(pl[0].valuesAddr + 63));
  });
  it("src 2 on a hash map, offset past the values or a missing map is rejected as invalid", () => {
    for (const p of [lddwSrc(0, 2, 1, 0), lddwSrc(0, 2, 0, 64), lddwSrc(0, 1, 2, 0)]) {
      const res = run(prog(p, exit()), { maps });
      expect(res.kind).toBe("fault");
      expect(res.invalid).toBe(true);
    }
  });
  it("src 3 and src 4 are rejected as invalid with a reason", () => {
    expect(run(prog(lddwSrc(0, 3, 0), exit())).message).toContain("src 3");
    expect(run(prog(lddwSrc(0, 4, 1), exit(), exit())).message).toContain("src 4");
  });
  it("map values written through src 2 show in the map's region", () => {
    const res = run(prog(lddwSrc(1, 2, 0, 4), st(4, 1, 0, 0x01020304), mov(0, 0), exit()), { maps });
    const reg = res.regions.find((r) => r.name === "map:arr")!;
    expect(Array.from(reg.bytes.subarray(4, 8))).toEqual([4, 3, 2, 1]);
  });
});

describe("RegionMemory as GuestMemory", () => {
  const mem = new RegionMemory(planRegions(BE64, 4), false);
  it("read returns a copy inside one region and undefined across a boundary", () => {
    expect(mem.write(BE64.ctx.base, Uint8Array.from([1, 2, 3, 4]))).toBe(true);
    const got = mem.read(BE64.ctx.base + 1, 3)!;
    expect(Array.from(got)).toEqual([2, 3, 4]);
    got[0] = 99;
    expect(mem.read(BE64.ctx.base + 1, 1)![0]).toBe(2);
    expect(mem.read(BE64.ctx.base + 2, 3)).toBeUndefined();
  });
  it("write refuses read-only and unmapped ranges without writing", () => {
    const m2 = new RegionMemory(planRegions(BE64, 0, [{ name: "a", type: "array", keySize: 4, valueSize: 4, maxEntries: 1 }]), false);
    const obj = m2.region("map:a:object")!;
    expect(m2.write(obj.base, Uint8Array.from([1]))).toBe(false);
    expect(obj.bytes[0]).toBe(0);
    expect(m2.write(0x10, Uint8Array.from([1]))).toBe(false);
  });
});

describe("extra regions (read-only data)", () => {
  const rodata = { name: "rodata", base: 0x5000_0000, bytes: Uint8Array.from([1, 2, 3, 4]) };
  it("a program can read an extra region at its base", () => {
    expect(r0Of(prog(lddw(1, 0x50000000n), ldx(4, 0, 1, 0), exit()), { extraRegions: [rodata] })).toBe(0x04030201n);
  });
  it("an extra region is read-only unless marked writable, and read-only regions are not in the result", () => {
    const res = run(prog(lddw(1, 0x50000000n), st(1, 1, 0, 9), exit()), { extraRegions: [rodata] });
    expect(res.kind).toBe("fault");
    const ok = run(prog(lddw(1, 0x50000000n), st(1, 1, 0, 9), mov(0, 0), exit()), { extraRegions: [{ ...rodata, writable: true }] });
    expect(ok.regions.find((r) => r.name === "rodata")?.bytes[0]).toBe(9);
    expect(run(prog(mov(0, 0), exit()), { extraRegions: [rodata] }).regions.some((r) => r.name === "rodata")).toBe(false);
  });
});
