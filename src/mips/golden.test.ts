// The ISA table checked against LLVM 14's encoder and disassembler through the committed fixture
// src/mips/fixtures/llvm-golden.json (regenerate with scripts/gen-mips-llvm-golden.ts; no LLVM needed here).
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { MIPS_TABLE } from "./table";
import { encode } from "./encode";
import { decode, encodingViolation } from "./decode";
import { disassemble } from "./disasm";
import { assemble } from "./asm";
import { extractOperand } from "./operands";
import { ISA_LEVELS, LEVEL_BIT } from "./levels";
import type { IsaLevel } from "./levels";

type LevelResult = [string, string, string, string] | { multi: string[] };
interface Case { key: string; values: number[]; asm: string; llvm: Partial<Record<IsaLevel, LevelResult>> }
const here = path.dirname(fileURLToPath(import.meta.url));
const golden = JSON.parse(readFileSync(path.join(here, "fixtures/llvm-golden.json"), "utf8")) as {
  tableLevels: Record<string, IsaLevel[]>; cases: Case[];
};
const byKey = new Map(MIPS_TABLE.map((d) => [d.key, d]));
const norm = (s: string) => s.replace(/\s+/g, " ").trim();

/**
 * Where LLVM 14's level acceptance differs from the table, and why (docs/mips-isa.md, "LLVM differences").
 * "+" = LLVM also accepts every instance there, "-" = LLVM rejects every instance on a level where the table
 * has it, "~" = LLVM rejects some instances there.
 */
const LEVEL_DIFFERENCES: Record<string, string> = {
  ssnop: "+mips1 +mips2 +mips3 +mips4 +mips5", // LLVM accepts the SLL-encoded hint on every level
  ehb: "+mips1 +mips2 +mips3 +mips4 +mips5 +mips32r1 +mips64r1", // an SLL encoding: harmless pre-r2
  jr_hb: "+mips64r1", // LLVM's MIPS64 r1 accepts JR.HB (a Release 2 instruction)
  jalr_hb: "+mips32r1 +mips64r1", // ditto JALR.HB
  sync: "~mips2 ~mips3 ~mips4 ~mips5", // LLVM rejects a non-zero stype before MIPS32
  nal: "-mips32r6 -mips64r6", // LLVM 14 has no NAL mnemonic
  rdhwr: "+mips1 +mips2 +mips3 +mips4 +mips5 +mips32r1 +mips32r6 +mips64r1 +mips64r6", // LLVM wraps it in .set mips32r2
  rdhwr_r6: "+mips1 +mips2 +mips3 +mips4 +mips5 +mips32r1 +mips32r2 +mips64r1 +mips64r2", // same word as rdhwr with sel 0
  scd_r6: "+mips32r6", // LLVM's mips32r6 triple accepts the 64-bit SCD
  pref: "+mips3", // PREF is MIPS IV (reference §2); LLVM allows it on MIPS III
};

describe("ISA table vs LLVM 14 golden", () => {
  it("the fixture was generated from the current table's levels and instances", () => {
    for (const d of MIPS_TABLE) {
      expect(golden.tableLevels[d.key], d.key).toEqual(ISA_LEVELS.filter((l) => d.levels & LEVEL_BIT[l]));
      expect(golden.cases.some((c) => c.key === d.key), `${d.key} has golden instances`).toBe(true);
    }
  });

  it("encode(entry, operands) equals llvm-mc -show-encoding on every level where both have it, big and little endian", () => {
    let compared = 0;
    const bad: string[] = [];
    for (const c of golden.cases) {
      const def = byKey.get(c.key)!;
      const ours = encode(def.id, c.values) >>> 0;
      for (const l of ISA_LEVELS) {
        const r = c.llvm[l];
        if (!r || !(def.levels & LEVEL_BIT[l])) continue;
        if (!Array.isArray(r)) { bad.push(`${l} ${c.asm}: LLVM expanded it to ${r.multi.join(" ")}`); continue; }
        for (const hex of [r[0], r[1]]) {
          compared++;
          if (parseInt(hex, 16) !== ours) bad.push(`${l} ${c.asm}: llvm ${hex} ours ${ours.toString(16)}`);
        }
      }
    }
    expect(bad).toEqual([]);
    expect(compared).toBeGreaterThan(9000);
  });

  it("LLVM accepts each entry exactly on the table's levels, except the documented differences", () => {
    const diffs: Record<string, string> = {};
    for (const d of MIPS_TABLE) {
      const cases = golden.cases.filter((c) => c.key === d.key);
      const marks: string[] = [];
      for (const l of ISA_LEVELS) {
        const inTable = (d.levels & LEVEL_BIT[l]) !== 0;
        // LLVM "has it" when it assembles every instance to our word (another encoding of the text does not count)
        const llvmHas = cases.every((c) => {
          const r = c.llvm[l];
          return Array.isArray(r) && parseInt(r[0], 16) === (encode(d.id, c.values) >>> 0);
        });
        const llvmHasSome = cases.some((c) => Array.isArray(c.llvm[l]) && parseInt((c.llvm[l] as string[])[0]!, 16) === (encode(d.id, c.values) >>> 0));
        if (inTable && !llvmHasSome) marks.push("-" + l);
        else if (inTable && !llvmHas) marks.push("~" + l);
        if (!inTable && llvmHas) marks.push("+" + l);
      }
      if (marks.length) diffs[d.key] = marks.join(" ");
    }
    expect(diffs).toEqual(LEVEL_DIFFERENCES);
  });

  it("decode(encode(x)) gives back the entry and every operand value, on every table level", () => {
    for (const c of golden.cases) {
      const def = byKey.get(c.key)!;
      const w = encode(def.id, c.values);
      for (const l of ISA_LEVELS) {
        if (!(def.levels & LEVEL_BIT[l])) continue;
        expect(decode(w, l), `${c.asm} on ${l}`).toBe(def.id);
      }
      // beqc/bnec/bovc/bnvc normalise register order (LLVM does the same), so compare as a set there
      const back = def.operands.map((k) => extractOperand(k, w));
      if (["beqc", "bnec", "bovc", "bnvc"].includes(def.key)) expect([...back].sort()).toEqual([...c.values].sort());
      else expect(back, c.asm).toEqual(c.values);
    }
  });

  it("disassembly text equals llvm-mc --disassemble (modulo whitespace) for every golden encoding", () => {
    let compared = 0, llvmCannot = 0;
    const bad: string[] = [];
    for (const c of golden.cases) {
      const def = byKey.get(c.key)!;
      const w = encode(def.id, c.values);
      for (const l of ISA_LEVELS) {
        const r = c.llvm[l];
        if (!Array.isArray(r) || !(def.levels & LEVEL_BIT[l])) continue;
        for (const text of [r[2], r[3]]) {
          if (text === "") { llvmCannot++; continue; } // LLVM's decoder rejects its own rdhwr $30, $0 (see docs)
          compared++;
          const ours = norm(disassemble(w, 0, l));
          if (ours !== norm(text)) bad.push(`${l} ${c.asm}: llvm "${text}" ours "${ours}"`);
        }
      }
    }
    expect(bad).toEqual([]);
    expect(compared).toBeGreaterThan(9000);
    expect(llvmCannot).toBeLessThan(30);
  });

  it("assemble(LLVM input line) and assemble(LLVM's own disassembly) give LLVM's encoding", () => {
    const bad: string[] = [];
    for (const c of golden.cases) {
      const def = byKey.get(c.key)!;
      for (const l of ISA_LEVELS) {
        const r = c.llvm[l];
        if (!Array.isArray(r) || !(def.levels & LEVEL_BIT[l])) continue;
        const want = parseInt(r[0], 16);
        try {
          if ((assemble(c.asm, l) >>> 0) !== want) bad.push(`${l} ${c.asm}`);
          // LLVM prints branch displacements relative to the branch, but parses them relative to PC+4
          // `move` stands for ADDU, DADDU and OR alike; llvm-mc assembles it as OR
          if (r[2] && !/^(b|j|bal)\w*\s/.test(r[2]) && !(r[2].startsWith("move") && def.key !== "or") && (assemble(r[2], l) >>> 0) !== want) bad.push(`${l} dis ${r[2]}`);
        } catch (e) {
          bad.push(`${l} ${c.asm}: ${(e as Error).message}`);
        }
      }
    }
    expect(bad).toEqual([]);
  });
});

// Random words against LLVM's decoder (fixtures/llvm-random.json): beyond the table's own encodings.
const random = JSON.parse(readFileSync(path.join(here, "fixtures/llvm-random.json"), "utf8")) as {
  words: string[]; texts: Record<IsaLevel, string[]>;
};
/** Mnemonic prefixes of what the table leaves out on purpose: FPU, COP2/COP3, MIPS16 JALX, CACHE, SDBBP. */
const OUT_OF_SCOPE = /^(lwc[123]|swc[123]|ldc[123]|sdc[123]|bc[12]|c\.|cmp\.|madd\.|msub\.|nmadd\.|nmsub\.|movn\.|movf\.|movt\.|movz\.|max|min|sel|suxc1|luxc1|plu\.|sub\.|add\.|mul\.|msubf\.|maddf\.|jalx|cache|sdbbp)/;

describe("random words vs LLVM 14's decoder", () => {
  it("where both decode a word the texts agree; where only one does, the difference is explained", () => {
    const bad: string[] = [];
    let agreed = 0;
    for (const l of ISA_LEVELS) {
      random.words.forEach((hex, i) => {
        const w = parseInt(hex, 16) | 0;
        const llvm = random.texts[l][i]!;
        const id = decode(w, l);
        if (llvm && id >= 0) {
          const ours = norm(disassemble(w, 0, l));
          if (ours === llvm) agreed++;
          else bad.push(`${l} ${hex}: llvm "${llvm}" ours "${ours}"`);
        } else if (llvm) {
          const mn = llvm.split(" ")[0]!;
          const explained = OUT_OF_SCOPE.test(mn)
            || (mn === "pref" && l === "mips3") // PREF is MIPS IV; LLVM allows it on MIPS III
            || (mn === "daui" && ((w >>> 21) & 31) === 0) // Vol. II: DAUI with rs = 0 is not DAUI
            || (/^(ll|sc|lld|scd)$/.test(mn) && (w & 0x40) !== 0) // r6: bit 6 set is LLWP/SCWP…, not LL/SC
            || (/^(lld|scd)$/.test(mn) && l === "mips32r6"); // LLVM's 32-bit r6 accepts the 64-bit forms
          if (!explained) bad.push(`${l} ${hex}: only LLVM decodes it ("${llvm}")`);
        } else if (id >= 0 && encodingViolation(id, w) === null) {
          bad.push(`${l} ${hex}: only we decode it ("${norm(disassemble(w, 0, l))}") and it is not UNPREDICTABLE`);
        }
      });
    }
    expect(bad).toEqual([]);
    expect(agreed).toBeGreaterThan(10000); // 11,083 when generated
  });
});
