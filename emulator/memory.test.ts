// Loads, stores and the memory map: every width in both byte orders, sign/zero extension, the unaligned
// LWL/LWR/SWL/SWR and LDL/LDR/SDL/SDR pairs, LL/SC, r6 PC-relative loads, Address Errors (misaligned,
// unmapped, read-only, fetch from non-executable) and regions above 4 GiB on 64-bit levels.
import { describe, expect, it } from "vitest";
import { assemble } from "../src/mips/index";
import { Machine } from "./machine";
import { endedAtBreak, rig, sx32, u64 } from "./test-util";

const bytes = [0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x80];

/** The value of `size` bytes at offset o of `bytes` in the given byte order. */
function memVal(o: number, size: number, le: boolean): bigint {
  let v = 0n;
  for (let i = 0; i < size; i++) {
    const b = BigInt(bytes[o + i]);
    v = le ? v | (b << BigInt(8 * i)) : (v << 8n) | b;
  }
  return v;
}
const sext = (v: bigint, bits: number): bigint => u64(BigInt.asIntN(bits, v));

describe("aligned loads and stores", () => {
  for (const le of [true, false]) {
    for (const level of ["mips32r2", "mips64r2"] as const) {
      it(`loads read the CPU's byte order with sign/zero extension (${level} ${le ? "LE" : "BE"})`, () => {
        const rg = rig(level, le);
        rg.m.mem.writeBytes(rg.data, Uint8Array.from(bytes));
        const loads: [string, number, number, boolean][] = [
          ["lb", 15, 1, true], ["lbu", 15, 1, false], ["lh", 14, 2, true], ["lhu", 14, 2, false], ["lw", 12, 4, true],
          ["lb", 0, 1, true], ["lh", 2, 2, true], ["lw", 4, 4, true],
        ];
        if (rg.m.is64) loads.push(["lwu", 12, 4, false], ["ld", 8, 8, false], ["ld", 0, 8, false]);
        for (const [op, off, size, signed] of loads) {
          rg.load([`${op} $2, ${off}($4)`]);
          rg.set(4, BigInt(rg.data));
          expect(endedAtBreak(rg.run())).toBe(true);
          const raw = memVal(off, size, le);
          const want = signed ? sext(raw, size * 8) : raw;
          expect(rg.get(2).toString(16), `${op} ${off}`).toBe((rg.m.is64 ? want : want & 0xffff_ffffn).toString(16));
        }
      });
      it(`stores write the CPU's byte order (${level} ${le ? "LE" : "BE"})`, () => {
        const rg = rig(level, le);
        const v = rg.m.is64 ? 0x0102_0304_0506_0708n : 0x0506_0708n;
        const stores: [string, number][] = [["sb", 1], ["sh", 2], ["sw", 4]];
        if (rg.m.is64) stores.push(["sd", 8]);
        for (const [op, size] of stores) {
          rg.m.mem.writeBytes(rg.data, new Uint8Array(16));
          rg.load([`${op} $5, 8($4)`]);
          rg.set(4, BigInt(rg.data)); rg.set(5, v);
          expect(endedAtBreak(rg.run())).toBe(true);
          const got = rg.m.mem.readBytes(rg.data + 8, size);
          const want = Array.from({ length: size }, (_, i) => Number((v >> BigInt(8 * (le ? i : size - 1 - i))) & 0xffn));
          expect(Array.from(got), op).toEqual(want);
        }
      });
    }
  }
});

describe("unaligned pairs (pre-r6)", () => {
  for (const le of [true, false]) {
    it(`lwl+lwr and swl+swr move an unaligned word at every offset (${le ? "LE" : "BE"})`, () => {
      const rg = rig("mips32r2", le);
      rg.m.mem.writeBytes(rg.data, Uint8Array.from(bytes));
      for (let off = 0; off < 8; off++) {
        // the canonical idiom: BE lwl at the address, lwr at +3; LE the other way round
        rg.load(le ? [`lwl $2, ${off + 3}($4)`, `lwr $2, ${off}($4)`] : [`lwl $2, ${off}($4)`, `lwr $2, ${off + 3}($4)`]);
        rg.set(4, BigInt(rg.data)); rg.set(2, 0xdead_beefn);
        expect(endedAtBreak(rg.run())).toBe(true);
        expect(rg.get(2).toString(16), `off ${off}`).toBe(memVal(off, 4, le).toString(16));
      }
      for (let off = 0; off < 4; off++) {
        rg.m.mem.writeBytes(rg.data + 32, new Uint8Array(12).fill(0xee));
        rg.load(le ? [`swl $5, ${32 + off + 3}($4)`, `swr $5, ${32 + off}($4)`] : [`swl $5, ${32 + off}($4)`, `swr $5, ${32 + off + 3}($4)`]);
        rg.set(4, BigInt(rg.data)); rg.set(5, 0x0a0b_0c0dn);
        expect(endedAtBreak(rg.run())).toBe(true);
        const got = Array.from(rg.m.mem.readBytes(rg.data + 32, 8));
        const word = le ? [0x0d, 0x0c, 0x0b, 0x0a] : [0x0a, 0x0b, 0x0c, 0x0d];
        const want = Array.from({ length: 8 }, (_, i) => (i >= off && i < off + 4 ? word[i - off] : 0xee));
        expect(got, `off ${off}`).toEqual(want);
      }
    });
    it(`lwl alone merges into the high bytes of rt, keeping the rest (${le ? "LE" : "BE"})`, () => {
      const rg = rig("mips32r2", le);
      rg.m.mem.writeBytes(rg.data, Uint8Array.from(bytes));
      // BE lwl at offset 1: bytes 1..3 → rt bits 31..8; LE lwl at offset 2: bytes 2..0 → rt bits 31..8
      rg.load([le ? "lwl $2, 2($4)" : "lwl $2, 1($4)"]);
      rg.set(4, BigInt(rg.data)); rg.set(2, 0xa1a2_a3a4n);
      expect(endedAtBreak(rg.run())).toBe(true);
      expect(rg.get(2).toString(16)).toBe(le ? "332211a4" : "223344a4");
    });
    it(`ldl+ldr and sdl+sdr move an unaligned doubleword at every offset (${le ? "LE" : "BE"})`, () => {
      const rg = rig("mips64r2", le);
      rg.m.mem.writeBytes(rg.data, Uint8Array.from(bytes));
      for (let off = 0; off < 8; off++) {
        rg.load(le ? [`ldl $2, ${off + 7}($4)`, `ldr $2, ${off}($4)`] : [`ldl $2, ${off}($4)`, `ldr $2, ${off + 7}($4)`]);
        rg.set(4, BigInt(rg.data)); rg.set(2, 0x1234n);
        expect(endedAtBreak(rg.run())).toBe(true);
        expect(rg.get(2).toString(16), `off ${off}`).toBe(memVal(off, 8, le).toString(16));
      }
      for (let off = 0; off < 8; off++) {
        rg.m.mem.writeBytes(rg.data + 32, new Uint8Array(16).fill(0xee));
        rg.load(le ? [`sdl $5, ${32 + off + 7}($4)`, `sdr $5, ${32 + off}($4)`] : [`sdl $5, ${32 + off}($4)`, `sdr $5, ${32 + off + 7}($4)`]);
        rg.set(4, BigInt(rg.data)); rg.set(5, 0x0102_0304_0506_0708n);
        expect(endedAtBreak(rg.run())).toBe(true);
        const dw = [1, 2, 3, 4, 5, 6, 7, 8];
        const word = le ? dw.reverse() : dw;
        const want = Array.from({ length: 16 }, (_, i) => (i >= off && i < off + 8 ? word[i - off] : 0xee));
        expect(Array.from(rg.m.mem.readBytes(rg.data + 32, 16)), `off ${off}`).toEqual(want);
      }
    });
  }
});

describe("unaligned pairs check only the bytes they move (memory is mapped by pages, not words)", () => {
  // A 6-byte region at T: the word T+4..T+7 is half outside, but T+2..T+5 is a legal unaligned word.
  const T = (rg: ReturnType<typeof rig>): number => rg.data + 0x2_0000;
  const tail = (level: "mips32r2" | "mips64r2", le: boolean) => {
    const rg = rig(level, le);
    rg.m.addRegion({ name: "tail", base: T(rg), size: 6, perms: "rw", data: Uint8Array.from([1, 2, 3, 4, 5, 6]) });
    rg.set(4, BigInt(T(rg)));
    return rg;
  };
  for (const le of [true, false]) {
    const E = le ? "LE" : "BE";
    it(`lwl+lwr load the last 4 bytes of a 6-byte region (${E})`, () => {
      const rg = tail("mips32r2", le);
      rg.load(le ? ["lwl $2, 5($4)", "lwr $2, 2($4)"] : ["lwl $2, 2($4)", "lwr $2, 5($4)"]);
      expect(endedAtBreak(rg.run())).toBe(true);
      expect(rg.get(2).toString(16)).toBe(le ? "6050403" : "3040506");
    });
    it(`swl+swr store the last 4 bytes of a 6-byte region, leaving the others (${E})`, () => {
      const rg = tail("mips32r2", le);
      rg.load(le ? ["swl $5, 5($4)", "swr $5, 2($4)"] : ["swl $5, 2($4)", "swr $5, 5($4)"]);
      rg.set(5, 0x0a0b_0c0dn);
      expect(endedAtBreak(rg.run())).toBe(true);
      const want = le ? [1, 2, 0x0d, 0x0c, 0x0b, 0x0a] : [1, 2, 0x0a, 0x0b, 0x0c, 0x0d];
      expect(Array.from(rg.m.mem.readBytes(T(rg), 6))).toEqual(want);
    });
    it(`an unaligned access that moves a byte past the region still faults (${E})`, () => {
      // BE lwl / LE lwr at T+5 move T+5..T+7; BE swl / LE swr likewise
      const rg = tail("mips32r2", le);
      rg.load([le ? "lwr $2, 5($4)" : "lwl $2, 5($4)"]);
      const o = rg.run();
      expect([o.exception, o.address]).toEqual(["AdEL", T(rg) + 5]);
      rg.load([le ? "swr $2, 5($4)" : "swl $2, 5($4)"]);
      expect(rg.run().exception).toBe("AdES");
      expect(Array.from(rg.m.mem.readBytes(T(rg), 6))).toEqual([1, 2, 3, 4, 5, 6]);
    });
    it(`ldl+ldr and sdl+sdr move a doubleword ending 2 bytes into a half-mapped doubleword (${E})`, () => {
      const rg = rig("mips64r2", le);
      const base = T(rg);
      rg.m.addRegion({ name: "tail", base, size: 10, perms: "rw", data: Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) });
      rg.set(4, BigInt(base));
      rg.load(le ? ["ldl $2, 9($4)", "ldr $2, 2($4)"] : ["ldl $2, 2($4)", "ldr $2, 9($4)"]);
      expect(endedAtBreak(rg.run())).toBe(true);
      expect(rg.get(2).toString(16)).toBe(le ? "a09080706050403" : "30405060708090a");
      rg.load(le ? ["sdl $5, 9($4)", "sdr $5, 2($4)"] : ["sdl $5, 2($4)", "sdr $5, 9($4)"]);
      rg.set(5, 0x1112_1314_1516_1718n);
      expect(endedAtBreak(rg.run())).toBe(true);
      const dw = [0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18];
      expect(Array.from(rg.m.mem.readBytes(base, 10))).toEqual([1, 2, ...(le ? dw.reverse() : dw)]);
      rg.load([le ? "ldr $2, 9($4)" : "ldl $2, 9($4)"]);
      expect(rg.run().exception).toBe("AdEL");
    });
  }
  it("a region starting mid-word: lwl/lwr read only the mapped bytes at its start (BE)", () => {
    const rg = rig("mips32r2", false);
    const b = rg.data + 0x3_0002; // region [b, b + 6): the aligned word at b − 2 is half outside
    rg.m.addRegion({ name: "head", base: b, size: 6, perms: "rw", data: Uint8Array.from([1, 2, 3, 4, 5, 6]) });
    rg.set(4, BigInt(b));
    rg.load(["lwl $2, 0($4)", "lwr $2, 3($4)"]);
    expect(endedAtBreak(rg.run())).toBe(true);
    expect(rg.get(2).toString(16)).toBe("1020304");
  });
});

describe("address errors", () => {
  it("a misaligned lw raises AdEL naming the address; a misaligned sh raises AdES", () => {
    const rg = rig("mips32r2");
    rg.load(["lw $2, 2($4)"]); rg.set(4, BigInt(rg.data));
    const o = rg.run();
    expect([o.kind, o.exception, o.address, o.pc]).toEqual(["exception", "AdEL", rg.data + 2, rg.code]);
    rg.load(["sh $2, 1($4)"]);
    expect(rg.run().exception).toBe("AdES");
  });
  it("loads from unmapped memory raise AdEL; stores to read-only memory raise AdES", () => {
    const rg = rig("mips32r2");
    rg.load(["lw $2, 0($4)"]); rg.set(4, 0x2000_0000n);
    expect(rg.run().exception).toBe("AdEL");
    rg.load(["sw $2, 0($4)"]); rg.set(4, BigInt(rg.data + 0x10000));
    const o = rg.run();
    expect(o.exception).toBe("AdES");
    expect(o.reason).toMatch(/read-only/);
  });
  it("an access straddling the end of a region faults even though it starts inside it", () => {
    const rg = rig("mips64r2");
    rg.load(["ld $2, -8($4)", "ld $2, -4($4)"]); rg.set(4, BigInt(rg.data + 0x10000));
    // -8: last doubleword of data → fine; -4: misaligned anyway → AdEL
    const o = rg.run();
    expect(o.exception).toBe("AdEL");
    expect(o.pc).toBe(rg.code + 4);
  });
  it("fetching from a non-executable region raises XI; from unmapped memory AdEL; from a misaligned pc AdEL", () => {
    const rg = rig("mips32r2");
    rg.load(["jr $4", "nop"]);
    rg.set(4, BigInt(rg.data));
    expect(rg.run().exception).toBe("XI");
    rg.set(4, 0x3000_0000n);
    expect(rg.run().exception).toBe("AdEL");
    rg.set(4, BigInt(rg.code + 2));
    const o = rg.run();
    expect([o.exception, o.reason.includes("misaligned")]).toEqual(["AdEL", true]);
  });
  it("64-bit levels address regions above 4 GiB; the same low 32 bits without the high word are unmapped", () => {
    const rg = rig("mips64r2", false);
    expect(rg.data).toBeGreaterThan(2 ** 32);
    rg.m.mem.writeBytes(rg.data, Uint8Array.from(bytes));
    rg.load(["lw $2, 4($4)"]);
    rg.set(4, BigInt(rg.data));
    expect(endedAtBreak(rg.run())).toBe(true);
    expect(rg.get(2)).toBe(sx32(0x5566_7788n));
    rg.set(4, BigInt(rg.data) & 0xffff_ffffn);
    expect(rg.run().exception).toBe("AdEL");
  });
  it("overlapping regions are rejected when they are added", () => {
    const m = new Machine({ level: "mips32r2", littleEndian: true });
    m.addRegion({ name: "a", base: 0x1000, size: 0x1000, perms: "rw" });
    expect(() => m.addRegion({ name: "b", base: 0x1800, size: 0x1000, perms: "r" })).toThrow(/overlaps region 'a'/);
  });
});

describe("LL/SC and PC-relative loads", () => {
  it("sc succeeds (rt = 1) right after ll of the same address and fails (rt = 0, no store) without a link", () => {
    const rg = rig("mips32r2");
    rg.load(["ll $2, 0($4)", "addiu $2, $2, 5", "sc $2, 0($4)", "sc $5, 0($4)"]);
    rg.m.mem.write32(rg.data, 10);
    rg.set(4, BigInt(rg.data)); rg.set(5, 99n);
    expect(endedAtBreak(rg.run())).toBe(true);
    expect([rg.get(2), rg.get(5), rg.m.mem.read32(rg.data)]).toEqual([1n, 0n, 15]);
  });
  it("r6 ll/sc (9-bit offsets) behave the same", () => {
    const rg = rig("mips64r6");
    rg.load(["ll $2, -4($4)", "addiu $2, $2, 1", "sc $2, -4($4)"]);
    rg.m.mem.write32(rg.data + 12, 41);
    rg.set(4, BigInt(rg.data + 16));
    expect(endedAtBreak(rg.run())).toBe(true);
    expect([rg.get(2), rg.m.mem.read32(rg.data + 12)]).toEqual([1n, 42]);
  });
  it("lld/scd work on doublewords (mips3)", () => {
    const rg = rig("mips3", false);
    rg.load(["lld $2, 8($4)", "daddiu $2, $2, 1", "scd $2, 8($4)", "ld $3, 8($4)"]);
    rg.m.mem.write64(rg.data + 8, 0xffff_ffff, 0xffff_ffff);
    rg.set(4, BigInt(rg.data));
    expect(endedAtBreak(rg.run())).toBe(true);
    expect([rg.get(2), rg.get(3)]).toEqual([1n, 0n]);
  });
  it("lwpc/ldpc/addiupc/auipc/aluipc address relative to the instruction (mips64r6)", () => {
    const rg = rig("mips64r6");
    // code at C: data words placed in the code region at C+0x100
    rg.m.mem.write32(rg.code + 0x100, 0x8000_0001);
    rg.m.mem.write64(rg.code + 0x108, 0x0102_0304, 0x0506_0708);
    rg.load(["lwpc $2, 256", "lwupc $3, 252", "ldpc $5, 256", "addiupc $6, -4", "auipc $7, 1", "aluipc $8, 1"]);
    expect(endedAtBreak(rg.run())).toBe(true);
    const C = BigInt(rg.code);
    expect(rg.get(2)).toBe(sx32(0x8000_0001n));
    expect(rg.get(3)).toBe(0x8000_0001n);
    expect(rg.get(5)).toBe(0x0102_0304_0506_0708n); // ldpc at C+8: (C+8 & ~7) + 256 = C+0x108
    expect(rg.get(6)).toBe(C + 12n - 4n);
    expect(rg.get(7)).toBe(C + 16n + 0x10000n);
    expect(rg.get(8)).toBe((C + 20n + 0x10000n) & ~0xffffn);
  });
  it("nollsc makes ll/sc raise Reserved Instruction; mips1 has no ll at all", () => {
    const rg = rig("mips32r2", true, { nollsc: true });
    rg.load(["ll $2, 0($4)"]); rg.set(4, BigInt(rg.data));
    const o = rg.run();
    expect([o.exception, /nollsc/.test(o.reason)]).toEqual(["RI", true]);
    const r1 = rig("mips1");
    r1.m.mem.writeWords(r1.code, [0xc0820000]); // ll $2, 0($4) encoding
    expect(r1.run().exception).toBe("RI");
  });
});

describe("self-modifying code", () => {
  it("a store by the program into an executable region invalidates the predecoded word and compiled blocks", () => {
    const m = new Machine({ level: "mips32r2", littleEndian: true });
    m.addRegion({ name: "code", base: 0x1000, size: 0x1000, perms: "rwx" });
    const prog = ["addiu $8, $zero, 20", "addiu $2, $2, 1", "addiu $8, $8, -1", "bne $8, $zero, -12", "nop", "sw $9, 0($10)", "break"];
    m.mem.writeWords(0x1000, prog.map((l) => assemble(l, "mips32r2")));
    // first run: 20 iterations (hot enough to be compiled), then the program patches 0x1004
    m.setReg(2, 0); m.setReg(9, assemble("addiu $2, $2, 100", "mips32r2")); m.setReg(10, 0x1004);
    expect(m.run({ pc: 0x1000, budget: 1000 }).exception).toBe("Bp");
    expect(m.getReg(2).lo).toBe(20);
    m.setReg(2, 0);
    expect(m.run({ pc: 0x1000, budget: 1000 }).exception).toBe("Bp");
    expect(m.getReg(2).lo).toBe(2000);
  });
});
