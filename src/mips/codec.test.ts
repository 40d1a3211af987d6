// Encoder/decoder/disassembler/assembler behaviour beyond the LLVM golden: round-trip properties over random
// operands, range checks, level-specific emitters, UNPREDICTABLE encodings, register names, error types.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { MIPS_TABLE, ID } from "./table";
import { encode, ops, opsFor } from "./encode";
import { decode, decoderFor, encodingViolation, mbzViolation } from "./decode";
import { extractOperand } from "./operands";
import { disassemble } from "./disasm";
import { assemble } from "./asm";
import { ISA_LEVELS, LEVEL_BIT } from "./levels";
import { InputError } from "../ebpf/errors";
import { brOff16, brOff21, brOff26, simm16, simm9, target26, uimm16, rs, rt, rd, sa, funct, op } from "./fields";
import type { MipsInsnDef, OperandKind } from "./types";

const int = (lo: number, hi: number) => fc.integer({ min: lo, max: hi });
const mul = (a: fc.Arbitrary<number>, k: number) => a.map((x) => x * k);
const ARB: Record<OperandKind, fc.Arbitrary<number>> = {
  rd: int(0, 31), rs: int(0, 31), rt: int(0, 31), base: int(0, 31), rdrt: int(0, 31), rsrt: int(1, 31),
  sa: int(0, 31), simm16: int(-32768, 32767), uimm16: int(0, 65535), off16: int(-32768, 32767), off9: int(-256, 255),
  br16: mul(int(-32768, 32767), 4), br21: mul(int(-(1 << 20), (1 << 20) - 1), 4), br26: mul(int(-(1 << 25), (1 << 25) - 1), 4),
  jtarget: mul(int(0, (1 << 26) - 1), 4), code10: int(0, 1023), code10hi: int(0, 1023), code10lo: int(0, 1023),
  code20: int(0, 0xfffff), hint: int(0, 31), stype: int(0, 31), hwr: int(0, 31), sel3: int(0, 7),
  pos: int(0, 31), pos32: int(32, 63), sizeExt: int(1, 32), sizeExtm: int(33, 64), sizeIns: int(1, 32), sizeInsm: int(2, 64),
  lsa2: int(1, 4), bp2: int(0, 3), bp3: int(0, 7), pc19: mul(int(-(1 << 18), (1 << 18) - 1), 4), pc18: mul(int(-(1 << 17), (1 << 17) - 1), 8),
};
const levelsOf = (d: MipsInsnDef) => ISA_LEVELS.filter((l) => d.levels & LEVEL_BIT[l]);
const contains = (a: number, b: number) => (a & b) === b && a !== b;
const COMMUTATIVE = new Set(["beqc", "bnec", "bovc", "bnvc"]);

describe("encode/decode round trip over random operands", () => {
  it("every entry: decode(encode(v)) is the entry (or a strictly more specific alias row) and gives v back", () => {
    for (const def of MIPS_TABLE) {
      const arb = fc.tuple(...def.operands.map((k) => ARB[k]));
      fc.assert(fc.property(arb, (vals) => {
        let w: number;
        try { w = encode(def.id, vals); } catch { return true; } // constraint-violating picks (r6 order rules, EXT/INS ranges)
        for (const l of levelsOf(def)) {
          const got = decode(w, l);
          if (got !== def.id && !(got >= 0 && contains(MIPS_TABLE[got]!.mask, def.mask))) return false;
        }
        const back = def.operands.map((k) => extractOperand(k, w));
        if (COMMUTATIVE.has(def.key)) return JSON.stringify([...back].sort()) === JSON.stringify([...vals].sort());
        return JSON.stringify(back) === JSON.stringify(vals);
      }), { numRuns: 60, seed: 0x5eed + def.id });
    }
  });

  it("decoderFor(level) agrees with decode(word, level) on random words", () => {
    for (const l of ISA_LEVELS) {
      const dec = decoderFor(l);
      fc.assert(fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), (w) => dec(w) === decode(w, l)), { numRuns: 2000, seed: 7 });
    }
  });
});

describe("encoder range checks throw a plain Error (a JIT bug, not user input)", () => {
  const cases: [string, () => number][] = [
    ["register 32", () => ops.addu!(32, 1, 2)],
    ["register -1", () => ops.addu!(1, -1, 2)],
    ["register 2.5", () => ops.addu!(1, 2.5, 2)],
    ["missing operand", () => ops.addu!(1, 2)],
    ["extra operand", () => ops.addu!(1, 2, 3, 4)],
    ["simm16 32768", () => ops.addiu!(1, 2, 32768)],
    ["simm16 -32769", () => ops.addiu!(1, 2, -32769)],
    ["uimm16 -1", () => ops.ori!(1, 2, -1)],
    ["uimm16 65536", () => ops.ori!(1, 2, 65536)],
    ["sa 32", () => ops.sll!(1, 2, 32)],
    ["branch offset not a multiple of 4", () => ops.beq!(1, 2, 6)],
    ["branch offset 131072", () => ops.beq!(1, 2, 131072)],
    ["branch offset -131076", () => ops.beq!(1, 2, -131076)],
    ["bc offset out of 26-bit range", () => ops.bc!(1 << 27)],
    ["beqzc offset out of 21-bit range", () => ops.beqzc!(4, 1 << 22)],
    ["j target outside the 256 MB segment", () => ops.j!(0x10000000)],
    ["j target unaligned", () => ops.j!(0x1002)],
    ["ext pos + size > 32", () => ops.ext!(1, 2, 31, 2)],
    ["ins pos + size > 32", () => ops.ins!(1, 2, 16, 17)],
    ["dextu pos < 32", () => ops.dextu!(1, 2, 31, 1)],
    ["lsa shift 5", () => ops.lsa!(1, 2, 3, 5)],
    ["off9 256", () => ops.ll_r6!(1, 256, 2)],
    ["bgeuc with rs = rt", () => ops.bgeuc!(4, 4, 8)],
    ["bgeuc with $0", () => ops.bgeuc!(0, 4, 8)],
    ["blezalc $0", () => ops.blezalc!(0, 8)],
    ["beqzc $0", () => ops.beqzc!(0, 8)],
    ["jalr with rs = rd (UNPREDICTABLE)", () => ops.jalr!(4, 4)],
    ["daui with rs = $0", () => ops.daui!(2, 0, 1)],
  ];
  for (const [name, f] of cases) {
    it(`rejects ${name}`, () => {
      expect(f).toThrow(Error);
      try { f(); } catch (e) { expect(e).not.toBeInstanceOf(InputError); }
    });
  }

  it("accepts the extremes of each range", () => {
    expect(ops.addiu!(1, 2, -32768) >>> 0).toBe(0x24418000);
    expect(ops.beq!(1, 2, 131068) >>> 0).toBe(0x10227fff);
    expect(ops.beq!(1, 2, -131072) >>> 0).toBe(0x10228000);
    expect(ops.j!(0x0ffffffc) >>> 0).toBe(0x0bffffff);
    expect(ops.ext!(1, 2, 0, 32) >>> 0).toBe(0x7c41f800);
  });
});

describe("r6 compact branches and level-specific emitters", () => {
  it("beqc/bnec put the lower register in rs and bovc/bnvc the higher, whatever the argument order", () => {
    expect(ops.beqc!(5, 4, 8)).toBe(ops.beqc!(4, 5, 8));
    expect(rs(ops.beqc!(5, 4, 8))).toBe(4);
    expect(rs(ops.bovc!(4, 5, 8))).toBe(5);
    expect(rs(ops.bnvc!(4, 5, 8))).toBe(5);
    expect(rs(ops.bnec!(9, 3, 8))).toBe(3);
  });

  it("BGEZALC/BLTZALC/BGEZC/BLTZC put their register in both rs and rt (the rs = rt variant)", () => {
    for (const k of ["bgezalc", "bltzalc", "bgezc", "bltzc"]) {
      const w = ops[k]!(7, 16);
      expect(rs(w), k).toBe(7);
      expect(rt(w), k).toBe(7);
      expect(decode(w, "mips32r6"), k).toBe(ID[k]);
    }
  });

  it("opsFor(level) picks the level's encoding of a re-encoded mnemonic and omits what the level lacks", () => {
    expect(opsFor("mips32r2").mul!(2, 3, 4) >>> 0).toBe(0x70641002); // SPECIAL2 MUL
    expect(opsFor("mips32r6").mul!(2, 3, 4) >>> 0).toBe(0x00641098); // SPECIAL MUL, sa = 2
    expect(opsFor("mips32r2").jr!(31) >>> 0).toBe(0x03e00008);
    expect(opsFor("mips64r6").jr!(31) >>> 0).toBe(0x03e00009);
    expect(opsFor("mips32r6").ll!(2, -256, 3) >>> 0).toBe(0x7c628036);
    expect(opsFor("mips2").ll!(2, -256, 3) >>> 0).toBe(0xc062ff00);
    expect(opsFor("mips1").ll).toBeUndefined();
    expect(opsFor("mips32r2").daddu).toBeUndefined();
    expect(opsFor("mips32r6").beql).toBeUndefined();
    expect(opsFor("mips32r6").movz).toBeUndefined();
    expect(opsFor("mips64r2").jr_hb!(31) >>> 0).toBe(0x03e00408);
  });
});

describe("UNPREDICTABLE encodings (trip-wire 6 support)", () => {
  it("must-be-zero fields: addu with sa ≠ 0 and sll with rs ≠ 0 are flagged, clean words are not", () => {
    const addu = ops.addu!(2, 3, 4);
    expect(encodingViolation(ID.addu!, addu)).toBeNull();
    expect(encodingViolation(ID.addu!, addu | (5 << 6))).toMatch(/must-be-zero/);
    expect(mbzViolation(ID.addu!, addu | (5 << 6))).toBe(5 << 6);
    expect(encodingViolation(ID.sll!, ops.sll!(2, 3, 4) | (2 << 21))).toMatch(/must-be-zero/);
    expect(encodingViolation(ID.mult!, ops.mult!(2, 3) | (1 << 11))).toMatch(/must-be-zero/);
  });
  it("pre-r6 CLZ with rt ≠ rd, JALR with rs = rd, EXT past bit 31 and INS with lsb > msb are flagged", () => {
    const clz = ops.clz!(2, 3);
    expect(rt(clz)).toBe(2);
    expect(encodingViolation(ID.clz!, clz)).toBeNull();
    expect(encodingViolation(ID.clz!, clz ^ (1 << 16))).toMatch(/rt/);
    expect(encodingViolation(ID.jalr!, 0x00802009)).toMatch(/rs and rd/); // jalr $4, $4
    expect(encodingViolation(ID.ext!, 0x7c41f7c0 | 0)).toMatch(/position/); // lsb 31, msbd 30
    expect(encodingViolation(ID.ins!, 0x7c4107c4 | 0)).toMatch(/lsb/); // lsb 31, msb 0
  });
  it("the pre-r6 JR word is a Reserved Instruction on r6, and r6-only encodings are RI before r6", () => {
    expect(decode(0x00800008, "mips64r6")).toBe(-1);
    // r6 MUL is SPECIAL funct 0x18 with sa = 2: before r6 that word is MULT with non-zero must-be-zero fields
    const mulR6 = ops.mul_r6!(2, 3, 4);
    expect(decode(mulR6, "mips32r2")).toBe(ID.mult);
    expect(encodingViolation(ID.mult!, mulR6)).toMatch(/must-be-zero/);
    expect(decode(ops.bc!(8), "mips64r2")).toBe(-1);
    expect(decode(ops.lwpc!(2, 8), "mips32r2")).toBe(-1);
    expect(decode(ops.daddu!(2, 3, 4), "mips32r2")).toBe(-1);
    expect(decode(ops.ll!(2, 0, 3), "mips1")).toBe(-1);
    expect(decode(ops.movz!(2, 3, 4), "mips3")).toBe(-1);
    expect(decode(ops.movz!(2, 3, 4), "mips4")).toBe(ID.movz);
  });
});

describe("disassembler options", () => {
  it("abiNames uses o32 names on 32-bit levels and n64 names ($a4–$a7, $t0–$t3 = $8–$15) on 64-bit levels", () => {
    const w = ops.addu!(8, 12, 29);
    expect(disassemble(w, 0, "mips32r2").replace(/\s+/g, " ")).toBe("addu $8, $12, $sp");
    expect(disassemble(w, 0, "mips32r2", { abiNames: true }).replace(/\s+/g, " ")).toBe("addu $t0, $t4, $sp");
    expect(disassemble(w, 0, "mips64r2", { abiNames: true }).replace(/\s+/g, " ")).toBe("addu $a4, $t0, $sp");
  });
  it("absoluteTargets prints branch and jump targets from pc (delay-slot relative, J within the segment)", () => {
    expect(disassemble(ops.beq!(4, 5, 16), 0x1000, "mips32r2", { absoluteTargets: true }).replace(/\s+/g, " ")).toBe("beq $4, $5, 0x1014");
    expect(disassemble(ops.j!(0x100), 0x2ffffffc, "mips32r2", { absoluteTargets: true }).replace(/\s+/g, " ")).toBe("j 0x30000100");
    expect(disassemble(ops.bc!(-8), 0x1000, "mips32r6", { absoluteTargets: true }).replace(/\s+/g, " ")).toBe("bc 0xffc");
  });
  it("a word the level lacks prints as .4byte", () => {
    expect(disassemble(0x46020800, 0, "mips32r2").replace(/\s+/g, " ")).toBe(".4byte 0x46020800");
  });
});

describe("assembler", () => {
  it("accepts numeric, LLVM and ABI register names per the level's ABI", () => {
    expect(assemble("addu $t0, $a0, $zero", "mips32r2")).toBe(ops.addu!(8, 4, 0));
    expect(assemble("addu $a4, $t0, $0", "mips64r2")).toBe(ops.addu!(8, 12, 0));
    expect(assemble("lw $ra, -8($sp)  # comment", "mips1")).toBe(ops.lw!(31, -8, 29));
    expect(assemble("ori $2, $3, 0xffff", "mips1")).toBe(ops.ori!(2, 3, 0xffff));
    expect(assemble("nop", "mips1")).toBe(0);
    expect(assemble("jr $ra", "mips32r6") >>> 0).toBe(0x03e00009);
    expect(assemble("jr $ra", "mips32r2") >>> 0).toBe(0x03e00008);
    expect(assemble("dext $2, $3, 40, 8", "mips64r2")).toBe(ops.dextu!(2, 3, 40, 8));
    expect(assemble("dins $2, $3, 0, 64", "mips64r2")).toBe(ops.dinsm!(2, 3, 0, 64));
  });
  it("bad lines throw InputError with a one-line message naming the problem", () => {
    const bad: [string, RegExp][] = [
      ["frob $1, $2", /unknown mnemonic/],
      ["daddu $1, $2, $3", /not available on mips32r2/],
      ["addu $1, $2, $bogus", /invalid register/],
      ["addiu $1, $2, 40000", /-32768/],
      ["addu $1, $2", /too few operands/],
      ["lw $1, 4[$2]", /offset\(base\)/],
      ["", /cannot parse/],
    ];
    for (const [line, re] of bad) {
      let err: unknown;
      try { assemble(line, "mips32r2"); } catch (e) { err = e; }
      expect(err, line).toBeInstanceOf(InputError);
      expect((err as Error).message, line).toMatch(re);
      expect((err as Error).message, line).not.toMatch(/\n/);
    }
  });
});

describe("field extractors", () => {
  it("extract the Vol. II fields with the right sign and scale", () => {
    const w = ops.beq!(4, 5, -8);
    expect([op(w), rs(w), rt(w), brOff16(w), simm16(w), uimm16(w)]).toEqual([4, 4, 5, -8, -2, 0xfffe]);
    const r = ops.sll!(3, 7, 9);
    expect([rd(r), rt(r), sa(r), funct(r)]).toEqual([3, 7, 9, 0]);
    expect(simm9(ops.ll_r6!(2, -256, 3))).toBe(-256);
    expect(brOff21(ops.beqzc!(4, -4194304))).toBe(-4194304);
    expect(brOff26(ops.bc!(134217724))).toBe(134217724);
    expect(target26(ops.j!(0x0ffffffc))).toBe(0x0ffffffc);
  });
});

describe("random words", () => {
  it("decode and disassemble never throw, and a clean non-CTI word re-assembles from its disassembly (ABI names too)", () => {
    for (const l of ISA_LEVELS) {
      const rows = MIPS_TABLE.filter((d) => d.levels & LEVEL_BIT[l]);
      fc.assert(fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.nat(rows.length - 1), fc.boolean(), (r, pick, abi) => {
        // half of the words are steered onto a row's fixed bits so that most of them decode
        const d0 = rows[pick]!;
        const w = ((r & 1) ? r : ((r & ~d0.mask) | d0.match)) | 0;
        const id = decode(w, l);
        const text = disassemble(w, 0x400000, l, { abiNames: abi });
        if (id < 0) return text.startsWith(".4byte");
        const d = MIPS_TABLE[id]!;
        if (d.cti !== "none" || encodingViolation(id, w) !== null || /^move\s/.test(text)) return true;
        return assemble(text, l) === w;
      }), { numRuns: 1500, seed: 99 });
    }
  });
});
