// The program generators keep their promise: what arbValidProgram produces passes verifyProgram and runs to
// EXIT on the reference interpreter within a small budget (forward jumps only, acyclic calls).
import { describe, expect } from "vitest";
import { fc, test as fcTest } from "@fast-check/vitest";
import { arbValidProgram } from "./arbitraries";
import { verifyProgram } from "../src/verifier";
import { LAYOUTS, runOn } from "./arbitraries/reference-run";

describe("arbValidProgram", () => {
  fcTest.prop([arbValidProgram(), fc.constantFrom(...LAYOUTS)], { numRuns: 300 })(
    "generated programs pass verifyProgram and exit normally on the reference",
    ({ program, mem, maps }, layout) => {
      verifyProgram(program, { maps });
      const r = runOn(program, mem, layout, maps);
      expect(r.kind, r.message).toBe("exit");
      expect(r.insnCount).toBeLessThanOrEqual(program.length * 8);
    },
  );

  fcTest.prop([arbValidProgram({ helpers: false, v4: false, atomics: false, maxSubprograms: 0 })], { numRuns: 100 })(
    "restricted options produce no calls, no maps, no atomics and no cpu v4 instructions",
    ({ program, maps }) => {
      expect(maps).toEqual([]);
      verifyProgram(program);
      for (const i of program) {
        expect(i.opcode & 0xf7).not.toBe(0x85); // call
        expect([0xc3, 0xdb]).not.toContain(i.opcode);
        if ((i.opcode & 0x07) === 0x04 || (i.opcode & 0x07) === 0x07) expect(i.off).toBe(0);
        expect(i.opcode).not.toBe(0xd7);
        expect(i.opcode).not.toBe(0x06);
      }
    },
  );
});
