// The bpf_conformance negative corpus (../shared/bpf_conformance/negative): files that test the RUNNER.
// Every one must be reported as a failure (never a pass): malformed files as invalid cases, programs with
// non-zero reserved fields as rejected, wrong expected values as mismatches. Where a file's `-- error`
// text is the upstream assembler's message, our report must carry exactly that text.
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import path from "node:path";
import { REFERENCE_BE, REFERENCE_LE } from "../src/harness/targets";
import { isFailure, verdictReason } from "../src/harness/verdict";
import { dataFiles, runFile, UPSTREAM_NEGATIVE } from "./suites/corpus";

const files = dataFiles(UPSTREAM_NEGATIVE);

/** The `-- error` text of a file (last non-empty line of the section), or undefined. */
function errorText(name: string): string | undefined {
  const text = readFileSync(path.join(UPSTREAM_NEGATIVE, name), "utf8");
  const m = /^-- error[^\n]*\n([\s\S]*)$/m.exec(text);
  if (!m) return undefined;
  const lines = m[1].split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#") && !l.startsWith("--"));
  return lines.at(-1);
}

// Texts bpf_conformance's assembler produces: for these the file documents the assembler's error, so our
// assembler must produce the same words. Other texts ("Invalid" in error.data) describe what a runtime
// should have said about a program that is in fact valid — those files must fail for another reason.
const ASSEMBLER_TEXTS = new Set(["Invalid register", "Invalid number of operands for lock"]);

describe("bpf_conformance negative corpus", () => {
  it("has the 60 negative files", () => {
    expect(files).toHaveLength(60);
  });

  describe.each([REFERENCE_LE, REFERENCE_BE])("on $name", (target) => {
    it.each(files)("%s is reported as a failure", (name) => {
      const { verdicts } = runFile(UPSTREAM_NEGATIVE, name, target);
      expect(verdicts.length).toBeGreaterThan(0);
      for (const v of verdicts) expect(isFailure(v), `${name}: ${v.kind} ${verdictReason(v)}`).toBe(true);
      const want = errorText(name);
      const mentioned = readFileSync(path.join(UPSTREAM_NEGATIVE, name), "utf8").includes("-- asm");
      // invalid_unknown_directive.data says "Invalid register", but its defect is the directive line, which
      // we report by name (upstream's parser silently skips the file); the text cannot apply there.
      if (want !== undefined && ASSEMBLER_TEXTS.has(want) && mentioned && !name.includes("unknown_directive")) {
        expect(verdicts[0].kind).toBe("invalid-case");
        expect(verdictReason(verdicts[0])).toContain(want);
      }
    });
  });

  it("the unused-field files are rejected by validation naming instruction 0 and the offending field", () => {
    const unused = files.filter((f) => f.startsWith("unused-"));
    expect(unused.length).toBe(45);
    for (const name of unused) {
      const field = /-(offset|src|imm|dst)\.data$/.exec(name)![1].replace("offset", "off");
      const v = runFile(UPSTREAM_NEGATIVE, name, REFERENCE_LE).verdicts[0];
      expect(verdictReason(v), name).toMatch(new RegExp(`insn 0: ${field}: `));
    }
  });
});
