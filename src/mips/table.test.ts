// Structural checks of the ISA table (table.ts): identity, level rules, decode unambiguity, and the r6
// register predicates. Does not check encodings against an assembler (golden.test.ts) or operands (codec.test.ts).
import { describe, expect, it } from "vitest";
import { MIPS_TABLE, ID } from "./table";
import { decode, regPredicateHolds } from "./decode";
import { ISA_LEVELS, LEVEL_BIT, is64, isR6 } from "./levels";
import type { IsaLevel } from "./levels";
import type { MipsInsnDef } from "./types";
import { emitterName, opsFor } from "./encode";

const onLevel = (l: IsaLevel) => MIPS_TABLE.filter((d) => d.levels & LEVEL_BIT[l]);

const matches = (d: MipsInsnDef, w: number) =>
  (w & d.mask) === d.match && regPredicateHolds(d.pred, w);
const strictlyContains = (a: number, b: number) => (a & b) === b && a !== b;

describe("MIPS ISA table", () => {
  it("ids are the row indices and keys are unique", () => {
    MIPS_TABLE.forEach((d, i) => expect(d.id).toBe(i));
    expect(new Set(MIPS_TABLE.map((d) => d.key)).size).toBe(MIPS_TABLE.length);
    expect(ID.addu).toBe(MIPS_TABLE.find((d) => d.key === "addu")!.id);
  });

  it("a mnemonic names at most one entry per level, so opsFor(level) is unambiguous", () => {
    for (const l of ISA_LEVELS) {
      const names = onLevel(l).map((d) => emitterName(d.mnemonic));
      expect(new Set(names).size, l).toBe(names.length);
      expect(Object.keys(opsFor(l)).length).toBe(names.length);
    }
  });

  it("must-be-zero fields never overlap the decode mask, and every entry exists on some level", () => {
    for (const d of MIPS_TABLE) {
      expect(d.mbz & d.mask, d.key).toBe(0);
      expect(d.levels, d.key).not.toBe(0);
      expect(d.match & ~d.mask, d.key).toBe(0);
    }
  });

  it("64-bit (doubleword) instructions exist only on 64-bit levels", () => {
    for (const d of MIPS_TABLE.filter((x) => x.is64)) {
      for (const l of ISA_LEVELS) if (d.levels & LEVEL_BIT[l]) expect(is64(l), `${d.key} on ${l}`).toBe(true);
    }
  });

  it("Release 6 removals: no HI/LO, branch-likely, MOVZ/MOVN, LWL/LWR, old LL/SC, ADDI, pre-r6 JR on r6", () => {
    for (const l of ISA_LEVELS.filter(isR6)) {
      const keys = new Set(onLevel(l).map((d) => d.key));
      for (const k of ["mult", "multu", "div", "divu", "mfhi", "mflo", "mthi", "mtlo", "madd", "mul", "beql", "bnel",
        "blezl", "bgtzl", "bltzl", "bgezl", "bltzall", "bgezall", "movz", "movn", "lwl", "lwr", "swl", "swr", "ll", "sc",
        "addi", "jr", "tgei", "teqi", "bltzal", "bgezal", "pref"]) expect(keys.has(k), `${k} on ${l}`).toBe(false);
      for (const k of ["mul_r6", "muh", "div_r6", "mod", "seleqz", "selnez", "lsa", "aui", "bc", "balc", "beqc", "jic",
        "jr_r6", "ll_r6", "sc_r6", "bal", "nal"]) expect(keys.has(k), `${k} on ${l}`).toBe(true);
    }
  });

  it("on r6 `jr $31` encodes as jalr $0, $31 (0x03e00009) and the pre-r6 JR word is a Reserved Instruction", () => {
    expect(opsFor("mips32r6").jr!(31) >>> 0).toBe(0x03e00009);
    expect(decode(0x03e00008, "mips32r6")).toBe(-1);
    expect(decode(0x03e00008, "mips32r2")).toBe(ID.jr);
    expect(decode(0x03e00009, "mips64r6")).toBe(ID.jr_r6);
  });

  it("control-transfer classes: links imply a CTI; compact classes only on r6; likely only MIPS II…r5", () => {
    for (const d of MIPS_TABLE) {
      if (d.link !== "none") expect(d.cti, d.key).not.toBe("none");
      if (d.cti === "compact" || d.cti === "compact-forbidden") expect(d.levels & ~(LEVEL_BIT.mips32r6 | LEVEL_BIT.mips64r6), d.key).toBe(0);
      if (d.cti === "likely") expect(d.levels & (LEVEL_BIT.mips1 | LEVEL_BIT.mips32r6 | LEVEL_BIT.mips64r6), d.key).toBe(0);
    }
  });

  it("word32 (NotWordValue) operands are only declared on 32-bit operations and name fields the entry reads", () => {
    for (const d of MIPS_TABLE.filter((x) => x.word32.length > 0)) {
      expect(d.is64, d.key).toBe(false);
      for (const f of d.word32) expect(d.operands.some((o) => o === f || (f === "rs" && o === "base")), `${d.key}.${f}`).toBe(true);
    }
    const w32 = (k: string) => MIPS_TABLE[ID[k]!]!.word32;
    expect(w32("addu")).toEqual(["rs", "rt"]);
    expect(w32("sll")).toEqual([]);
    expect(w32("srl")).toEqual(["rt"]);
    expect(w32("and")).toEqual([]);
  });

  // The decoder picks the most specific mask among matching entries. This is only unambiguous if any two
  // entries of one level that can match the same word are either nested (one mask strictly contains the
  // other), or crossing with their intersection being an entry itself, or, with equal masks, have register predicates that no (rs, rt) pair satisfies together.
  for (const level of ISA_LEVELS) {
    it(`no ambiguous match/mask overlap on ${level}`, () => {
      const rows = onLevel(level);
      const problems: string[] = [];
      for (let i = 0; i < rows.length; i++) {
        for (let j = i + 1; j < rows.length; j++) {
          const a = rows[i]!, b = rows[j]!;
          if (((a.match ^ b.match) & a.mask & b.mask) !== 0) continue;
          if (strictlyContains(a.mask, b.mask) || strictlyContains(b.mask, a.mask)) continue;
          // crossing masks are fine when a third entry is exactly their intersection (JR.HB on r6 inside
          // both "JALR with rd = 0" and JALR.HB): it is more specific than both
          const im = a.mask | b.mask, ix = a.match | b.match;
          if (rows.some((c) => c.mask === im && c.match === ix && c.pred === "none")) continue;
          if (a.mask === b.mask && a.pred !== "none" && b.pred !== "none") {
            let both = false;
            for (let s = 0; s < 32 && !both; s++) for (let t = 0; t < 32; t++) {
              const w = (a.match | (s << 21) | (t << 16)) | 0;
              if (matches(a, w) && matches(b, w)) { both = true; break; }
            }
            if (!both) continue;
          }
          problems.push(`${a.key} / ${b.key}`);
        }
      }
      expect(problems).toEqual([]);
    });
  }

  it("every entry decodes from its own encoding on each of its levels, and nowhere else", () => {
    for (const d of MIPS_TABLE) {
      for (let s = 0; s < 32; s += 3) for (let t = 0; t < 32; t += 5) {
        const w = ((d.match | (((s << 21) | (t << 16)) & ~d.mask)) | 0);
        if (!matches(d, w)) continue;
        for (const l of ISA_LEVELS) {
          const got = decode(w, l);
          if (d.levels & LEVEL_BIT[l]) {
            // a more specific entry may claim the word (e.g. BAL inside BGEZAL); it must then strictly nest
            if (got !== d.id) expect(strictlyContains(MIPS_TABLE[got]!.mask, d.mask), `${d.key} on ${l}`).toBe(true);
          } else if (got >= 0) {
            expect(MIPS_TABLE[got]!.key, `${d.key} word on ${l}`).not.toBe(d.key);
          }
        }
      }
    }
  });

  it("random words: decode returns the unique most specific matching entry, or -1 when none matches", () => {
    let seed = 12345;
    const next = () => { seed = (Math.imul(seed, 1103515245) + 12345) | 0; return seed; };
    for (const l of ISA_LEVELS) {
      const rows = onLevel(l);
      for (let n = 0; n < 3000; n++) {
        // bias towards the populated opcodes by taking the top 6 bits from the table half the time
        let w = next() ^ (next() >>> 7);
        if (n & 1) w = (w & 0x03ffffff) | (rows[(next() >>> 1) % rows.length]!.match & 0xfc000000);
        const hits = rows.filter((d) => matches(d, w));
        const got = decode(w, l);
        if (hits.length === 0) { expect(got).toBe(-1); continue; }
        const top = hits.filter((h) => !hits.some((o) => o !== h && strictlyContains(o.mask, h.mask)));
        expect(top.length, `${(w >>> 0).toString(16)} on ${l}: ${top.map((t) => t.key)}`).toBe(1);
        expect(got).toBe(top[0]!.id);
      }
    }
  });

  it("FPU (COP1), COP1X, SPECIAL2 SDBBP, MIPS16 JALX and MSA words are Reserved Instructions on every level", () => {
    for (const l of ISA_LEVELS) {
      expect(decode(0x46020800 /* add.s $f0,$f1,$f2 */, l)).toBe(-1);
      expect(decode(0x4c000021 /* madd.s (COP1X) */, l)).toBe(-1);
      expect(decode(0x7000003f /* sdbbp */, l)).toBe(-1);
      expect(decode(0x78000000 /* MSA major opcode */, l)).toBe(-1);
      if (!isR6(l)) expect(decode(0x74000000 /* jalx */, l)).toBe(-1);
    }
  });
});

describe("register predicates of the r6 compact-branch encodings (MIPS64 r6 Vol. II, POP06/07/10/26/27/30)", () => {
  const w = (rs: number, rt: number) => ((rs << 21) | (rt << 16)) >>> 0;
  it("rs0_rtnz (BLEZALC, BEQZALC, BLEZC, …): rs = 0 and rt ≠ 0", () => {
    expect([regPredicateHolds("rs0_rtnz", w(0, 5)), regPredicateHolds("rs0_rtnz", w(0, 0)), regPredicateHolds("rs0_rtnz", w(1, 5))]).toEqual([true, false, false]);
  });
  it("rs_lt_rt_nz (BEQC, BNEC): 0 < rs < rt", () => {
    expect([regPredicateHolds("rs_lt_rt_nz", w(3, 4)), regPredicateHolds("rs_lt_rt_nz", w(4, 4)), regPredicateHolds("rs_lt_rt_nz", w(0, 4))]).toEqual([true, false, false]);
  });
  it("rs_ge_rt (BOVC, BNVC): rs ≥ rt, including rs = rt = 0", () => {
    expect([regPredicateHolds("rs_ge_rt", w(0, 0)), regPredicateHolds("rs_ge_rt", w(7, 3)), regPredicateHolds("rs_ge_rt", w(3, 7))]).toEqual([true, true, false]);
  });
  it("rs_eq_rt_nz (BGEZALC, BLTZC, …): rs = rt ≠ 0", () => {
    expect([regPredicateHolds("rs_eq_rt_nz", w(9, 9)), regPredicateHolds("rs_eq_rt_nz", w(0, 0)), regPredicateHolds("rs_eq_rt_nz", w(9, 8))]).toEqual([true, false, false]);
  });
  it("rs_ne_rt_nz (BGEC, BLTUC, …): rs ≠ rt and both ≠ 0", () => {
    expect([regPredicateHolds("rs_ne_rt_nz", w(2, 3)), regPredicateHolds("rs_ne_rt_nz", w(0, 3)), regPredicateHolds("rs_ne_rt_nz", w(3, 3))]).toEqual([true, false, false]);
  });
  it("rs_nz (BEQZC, DAUI): rs ≠ 0 whatever rt; none always holds", () => {
    expect([regPredicateHolds("rs_nz", w(1, 0)), regPredicateHolds("rs_nz", w(0, 1)), regPredicateHolds("none", w(0, 0))]).toEqual([true, false, true]);
  });
});
