// The conformance matrix through the differential harness (issue 4 §4): bpf_conformance's tests, the
// project's cases and the ELF fixture runs on every 32-bit target — each ISA level × both byte orders ×
// {plain, hardened}, plus nollsc and the errata options — compared with the reference interpreter run in
// the target's byte order (R0, memory regions, helper calls, exit kind; every trip-wire armed). One test per
// target; a failure lists every failing case with its first difference.
import { describe, it, expect } from "vitest";
import path from "node:path";
import { existsSync, readdirSync } from "node:fs";
import { engineFor } from "../src/harness/engines";
import { loadCases } from "../src/harness/load-case";
import { parseTargets } from "../src/harness/targets";
import { verdictReason } from "../src/harness/verdict";
import { dataFiles, PROJECT_CASES, REPO_ROOT, UPSTREAM_TESTS } from "./suites/corpus";

const ELF_BUILD = path.join(REPO_ROOT, "conformance/elf/build");
const files = [
  ...dataFiles(UPSTREAM_TESTS).map((name) => ({ file: path.join(UPSTREAM_TESTS, name), name })),
  ...dataFiles(PROJECT_CASES).map((name) => ({ file: path.join(PROJECT_CASES, name), name: `cases/${name}` })),
  ...(existsSync(ELF_BUILD) ? readdirSync(ELF_BUILD).filter((f) => f.endsWith(".o")).sort() : []).map((name) => ({ file: path.join(ELF_BUILD, name), name: `elf/${name}` })),
];
// Cases are loaded once and shared by every target.
const cases = files.flatMap((f) => loadCases(f));

const TARGETS = parseTargets(
  "all32,all32+hardened,mips2-le+nollsc,mips32r2-be+nollsc,mips32r2-le+r10000+loongson3,mips2-be+r10000+loongson3+loongson2f",
);

describe("conformance matrix on the 32-bit JIT targets", () => {
  it("covers the upstream corpus and every 32-bit level in both byte orders, plain and hardened", () => {
    expect(files.filter((f) => f.file.startsWith(UPSTREAM_TESTS))).toHaveLength(313);
    expect(TARGETS.length).toBe(24);
  });

  for (const target of TARGETS) {
    it(`${target.name}: JIT + emulator agree with the reference on every case`, () => {
      const engine = engineFor(target);
      const failures: string[] = [];
      let passed = 0;
      for (const c of cases) {
        const v = engine.run(c);
        if (v.kind === "pass") passed++;
        else if (v.kind !== "skip") failures.push(`${c.name}: ${v.kind}: ${verdictReason(v)}`);
      }
      expect(failures, failures.join("\n")).toEqual([]);
      // Skips are only the ELF objects of the other byte order; everything else must have run.
      expect(passed).toBeGreaterThan(cases.length * 0.9);
    });
  }
});
