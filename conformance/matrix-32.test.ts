// The 32-bit conformance matrix (issue 4 §4): bpf_conformance's 313 tests (read from ../shared, never
// copied) and the project's conformance/cases on every 32-bit target — every ISA level × {be, le} ×
// {plain, hardened}, plus +nollsc and the errata options — through the same engine `bpf-mips conformance`
// uses (src/harness/engines.ts engineFor: verifier pipeline → JIT → emulator, judged against the reference
// run of the original program in the target's byte order). One vitest case per target; a failure lists
// every failing case with its verdict. No skip list: every case must pass on every target.
import { describe, expect, it } from "vitest";
import path from "node:path";
import type { Case } from "../src/harness/case";
import { engineFor } from "../src/harness/engines";
import { loadCases } from "../src/harness/load-case";
import { mipsTarget, type MipsTarget, type TargetOption } from "../src/harness/targets";
import { verdictReason } from "../src/harness/verdict";
import type { IsaLevel } from "../src/mips/levels";
import { dataFiles, PROJECT_CASES, UPSTREAM_TESTS } from "./suites/corpus";

const LEVELS: IsaLevel[] = ["mips1", "mips2", "mips32r1", "mips32r2", "mips32r6"];

export const MATRIX_32: MipsTarget[] = [
  ...LEVELS.flatMap((l) => [false, true].flatMap((le) => [mipsTarget(l, le), mipsTarget(l, le, ["hardened"])])),
  ...([
    ["mips2", false, ["nollsc"]],
    ["mips32r2", true, ["nollsc"]],
    ["mips32r6", false, ["nollsc"]],
    ["mips2", true, ["r10000"]],
    ["mips32r2", false, ["r10000"]],
    ["mips32r1", true, ["loongson3"]],
    ["mips32r2", false, ["loongson3"]],
    ["mips2", false, ["loongson2f"]],
    ["mips32r2", true, ["loongson2f"]],
    ["mips32r2", false, ["hardened", "nollsc", "loongson3"]],
  ] as [IsaLevel, boolean, TargetOption[]][]).map(([l, le, o]) => mipsTarget(l, le, o)),
];

function loadAll(): Case[] {
  const out: Case[] = [];
  for (const f of dataFiles(UPSTREAM_TESTS)) out.push(...loadCases({ file: path.join(UPSTREAM_TESTS, f), name: `bpf_conformance/${f}` }));
  for (const f of dataFiles(PROJECT_CASES)) out.push(...loadCases({ file: path.join(PROJECT_CASES, f), name: `cases/${f}` }));
  return out;
}

const cases = loadAll();

describe("32-bit conformance matrix (JIT + emulator against the reference)", () => {
  it("finds the 313 bpf_conformance tests and the project cases", () => {
    expect(cases.filter((c) => c.name.startsWith("bpf_conformance/")).length).toBe(313);
    expect(cases.filter((c) => c.name.startsWith("cases/")).length).toBeGreaterThan(100);
  });
  it.each(MATRIX_32.map((t) => [t.name, t] as const))("%s: every case passes", (_name, target) => {
    const engine = engineFor(target);
    const failures: string[] = [];
    let passed = 0;
    for (const c of cases) {
      const v = engine.run(c);
      if (v.kind === "pass") passed++;
      else failures.push(`${c.name}: ${v.kind}: ${verdictReason(v)}`);
    }
    expect(failures, failures.join("\n")).toEqual([]);
    expect(passed).toBe(cases.length);
  });
});
