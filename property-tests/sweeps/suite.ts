// The sweep suite body shared by sweeps-le.test.ts and sweeps-be.test.ts (split by byte order so vitest's
// two workers share the load): every family of gen.ts on every 32-bit ISA level of one byte order, plain and
// +hardened (constant blinding turns every K operand into an AX register operand, a different lowering).
// The other options (+nollsc, errata) change atomics, nops and register jumps, not ALU/JMP lowering; they
// run in conformance/matrix-32.test.ts and the property tests instead. BPF_MIPS_SWEEP=full selects
// the full magnitude patterns (gen.ts operandPairs).
import { describe, expect, it } from "vitest";
import { mipsTarget } from "../../src/harness/targets";
import type { IsaLevel } from "../../src/mips/levels";
import { allFamilies } from "./gen";
import { SweepRunner } from "./run";

export const SWEEP_LEVELS: readonly IsaLevel[] = ["mips1", "mips2", "mips32r1", "mips32r2", "mips32r6"];

export function sweepSuite(littleEndian: boolean): void {
  const targets = SWEEP_LEVELS.flatMap((l) => [mipsTarget(l, littleEndian), mipsTarget(l, littleEndian, ["hardened"])]);
  // BPF_MIPS_SWEEP=full: test_bpf's full magnitude cross product (a campaign; far too slow for npm test).
  const density = process.env.BPF_MIPS_SWEEP === "full" ? "full" : "thin";
  const runners = allFamilies(littleEndian, density).map((p) => new SweepRunner(p));
  describe(`exhaustive sweeps, ${littleEndian ? "little" : "big"}-endian, on ${targets.map((t) => t.name).join(" ")}`, () => {
    it("generates every family (ALU, ALU32, JMP, JMP32 × K/X, shifts, register pairs, NEG/END/BSWAP)", () => {
      expect(runners.length).toBe(149);
      expect(runners.reduce((n, r) => n + r.p.cases, 0)).toBeGreaterThan(30_000);
    });
    it.each(runners.map((r) => [r.p.name, r] as const))("%s: JIT + emulator agree with the reference on every level", (_n, r) => {
      const failures = targets.map((t) => r.run(t)).filter((x): x is string => x !== undefined);
      expect(failures, failures.join("\n")).toEqual([]);
    });
  });
}
