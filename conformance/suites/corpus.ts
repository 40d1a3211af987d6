// Shared plumbing of the conformance suites (conformance/*.test.ts): where the corpora live and how one
// file is run on one engine through the harness, exactly as `bpf-mips conformance` runs it. The upstream
// corpus is read from ../shared/bpf_conformance (never copied into the repository).
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Case } from "../../src/harness/case";
import { engineFor } from "../../src/harness/engines";
import { loadCases } from "../../src/harness/load-case";
import type { Target } from "../../src/harness/targets";
import type { Verdict } from "../../src/harness/verdict";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const UPSTREAM = path.resolve(REPO_ROOT, "../shared/bpf_conformance");
export const UPSTREAM_TESTS = path.join(UPSTREAM, "tests");
export const UPSTREAM_NEGATIVE = path.join(UPSTREAM, "negative");
export const PROJECT_CASES = path.join(REPO_ROOT, "conformance/cases");

/** The `.data` files of a folder, sorted; empty when the folder does not exist (yet). */
export function dataFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith(".data")).sort();
}

export interface FileRun {
  readonly cases: Case[];
  readonly verdicts: Verdict[];
}

/** Load one file as the CLI does (malformed → invalid case) and run every case on the target's engine. */
export function runFile(dir: string, name: string, target: Target): FileRun {
  const cases = loadCases({ file: path.join(dir, name), name });
  const engine = engineFor(target);
  return { cases, verdicts: cases.map((c) => engine.run(c)) };
}

/** A one-line description of non-passing verdicts, so a failing test names the reason. */
export function describeVerdicts(v: readonly Verdict[]): string {
  return v.map((x) => (x.kind === "pass" ? "pass" : `${x.kind}: ${"message" in x ? x.message : "reason" in x ? x.reason : ""}`)).join("; ");
}
