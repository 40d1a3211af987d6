// 200,000 random words per ISA level in npm test (2.2 million in all, ~25 s; the full 1,000,000 per level runs with
// `npx tsx emulator/random-words.ts`): every word yields an architectural result, never a JS exception.
import { describe, expect, it } from "vitest";
import { ISA_LEVELS } from "../src/mips/index";
import { runRandomWords } from "./random-words";

const PER_LEVEL = 200_000;
const SEED = 0x2545f491;

describe("random words", () => {
  for (const [i, level] of ISA_LEVELS.entries()) {
    it(`${PER_LEVEL} random words on ${level} give only architectural outcomes (seed ${SEED + i})`, () => {
      const r = runRandomWords(level, PER_LEVEL, SEED + i, i % 2 === 0);
      expect(r.internal).toEqual([]);
      expect(r.kinds.exception + r.kinds.trap + r.kinds.budget + r.kinds.exit).toBe(PER_LEVEL);
      // the mix must include real execution, not only Reserved Instruction
      expect(r.kinds.budget + r.kinds.trap).toBeGreaterThan(0);
    });
  }
});
