// Every row of the ISA table executes on every level where it exists (decoded, dispatched to semantics,
// never Reserved Instruction or an internal error) and raises Reserved Instruction on the levels where it
// does not exist — the level gating of trip-wire 5 checked row by row.
import { describe, expect, it } from "vitest";
import { decode, ISA_LEVELS, LEVEL_BIT, MIPS_TABLE, type MipsInsnDef } from "../src/mips/index";
import { rig } from "./test-util";

/** A clean instance of the row: fixed bits from the table, registers $4/$5/$6, small fields, valid predicate. */
function instance(d: MipsInsnDef): number {
  const regs = [0, 4, 5, 6, 7];
  for (let k = 0; k < 200; k++) {
    // rs/rt from {0, 4…7} (the r6 compact branches select variants by register relations), rd = 6, small
    // fields; only bits outside the opcode mask and the must-be-zero bits are set
    const free = (regs[k % 5] << 21) | (regs[Math.floor(k / 5) % 5] << 16) | (6 << 11) | ((k % 4) << 6) | (k & 0x3f);
    const w = (d.match | (free & ~d.mask & ~d.mbz)) >>> 0;
    const id = decode(w, ISA_LEVELS.find((l) => (d.levels & LEVEL_BIT[l]) !== 0)!);
    if (id === d.id) return w;
  }
  return d.match >>> 0;
}

const EXPECTED_RI = new Set(["sigrie"]);

describe("level coverage of the table", () => {
  for (const level of ISA_LEVELS) {
    it(`every table row available on ${level} executes there, and every other row's encoding is not taken for it`, () => {
      const rg = rig(level);
      let ran = 0;
      for (const d of MIPS_TABLE) {
        const w = instance(d);
        const here = (d.levels & LEVEL_BIT[level]) !== 0;
        const id = decode(w, level);
        if (!here) {
          // the word must not decode to this row on this level (it may be another row, e.g. a re-encoding)
          expect(id, `${d.key} decodes on ${level}`).not.toBe(d.id);
          continue;
        }
        rg.m.mem.writeWords(rg.code, [w, 0, 0x0000000d]);
        for (let r = 1; r < 32; r++) rg.set(BigInt(r) === 31n ? 31 : r, BigInt(rg.data + 0x100));
        const o = rg.run(8);
        ran++;
        expect(o.kind, `${d.key} on ${level}: ${o.reason}`).not.toBe("host-error");
        if (EXPECTED_RI.has(d.key)) expect(o.exception).toBe("RI");
        else expect(o.exception === "RI" && !/rdhwr/.test(o.reason), `${d.key} on ${level}: ${o.reason}`).toBe(false);
      }
      expect(ran).toBeGreaterThan(50);
    });
  }
});
