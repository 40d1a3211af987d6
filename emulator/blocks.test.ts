// The block compiler must be invisible: for random programs of valid instructions (every table row of the
// level, random fields, registers pointing into memory), a machine that compiles hot blocks ends in exactly
// the state of a pure interpreter — registers, HI/LO, memory, outcome kind, pc, reason and instruction count.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { decode, MIPS_TABLE, LEVEL_BIT, type IsaLevel } from "../src/mips/index";
import { Machine } from "./machine";
import { missingSemantics } from "./dispatch";

const LEVELS: IsaLevel[] = ["mips1", "mips2", "mips32r2", "mips32r6", "mips3", "mips64r2", "mips64r6"];

function program(level: IsaLevel, seeds: number[]): number[] {
  const rows = MIPS_TABLE.filter((d) => (d.levels & LEVEL_BIT[level]) !== 0 && !["syscall", "break"].includes(d.key));
  const out: number[] = [];
  for (const s of seeds) {
    const d = rows[s % rows.length];
    let w = (d.match | ((s * 2654435761) & ~d.mask)) >>> 0;
    // keep branch offsets short so control stays mostly inside the program
    if (d.cti !== "none" && d.cti !== "jump") w = (w & ~0xffff) | ((s >>> 3) % 16 - 8) * 1 & 0xffff;
    if (decode(w, level) !== d.id) w = 0; // predicate not met: nop
    out.push(w);
  }
  return out;
}

function runOnce(level: IsaLevel, le: boolean, words: number[], regs: number[], blocks: boolean) {
  const m = new Machine({ level, littleEndian: le });
  m.cpu.useBlocks = blocks;
  const hi = m.is64 ? 0x1_0000_0000 : 0;
  const code = hi + 0x40_0000, data = hi + 0x1000_0000;
  m.addRegion({ name: "code", base: code, size: 0x1000, perms: "rx" });
  m.addRegion({ name: "data", base: data, size: 0x1000, perms: "rw" });
  m.mem.writeWords(code, [...words, 0x0000000d]);
  let o = m.run({ pc: code, budget: 1 });
  for (let k = 0; k < 12; k++) {
    m.mem.writeBytes(data, new Uint8Array(0x1000).fill(0x5a));
    for (let r = 1; r < 32; r++) {
      const v = regs[r % regs.length] ^ r;
      const p = data + ((v >>> 0) & 0xff8);
      if ((v & 3) === 0) m.setReg(r, p % 2 ** 32, Math.floor(p / 2 ** 32)); else m.setReg(r, v, v >> 3);
    }
    m.cpu.hl.fill(0); m.cpu.hlBad = 0; m.cpu.llBit = 0; m.cpu.pm = 0; m.cpu.pmHL = 0;
    // a few poisoned registers, so the blocks' specialised poison checks are compared too
    for (let r = 1; r < 32; r++) if (((regs[0] >>> r) & 7) === 0) m.cpu.poison(r, "test");
    o = m.run({ pc: code, budget: 400 });
  }
  const state = { regs: Array.from({ length: 32 }, (_, r) => m.getReg(r)), hl: Array.from(m.cpu.hl), mem: Array.from(m.mem.readBytes(data, 0x1000)) };
  return { o: { kind: o.kind, pc: o.pc, reason: o.reason, instructions: o.instructions, exception: o.exception, tripwire: o.tripwire }, state };
}

describe("block compiler", () => {
  it("every table row has emulator semantics", () => {
    expect(missingSemantics()).toEqual([]);
  });
  for (const level of LEVELS) {
    it(`compiled blocks end in the interpreter's exact state on ${level} (random programs)`, () => {
      fc.assert(
        fc.property(fc.array(fc.nat(), { minLength: 4, maxLength: 40 }), fc.array(fc.integer(), { minLength: 1, maxLength: 8 }), fc.boolean(), (seeds, regs, le) => {
          const words = program(level, seeds);
          const a = runOnce(level, le, words, regs, true);
          const b = runOnce(level, le, words, regs, false);
          expect(a.o).toEqual(b.o);
          expect(a.state).toEqual(b.state);
        }),
        { numRuns: 60, seed: 0x5eed + level.length },
      );
    });
  }
});
