// The project's own cases (conformance/cases/*.data, written with the reference interpreter's edge rules)
// on the reference engines, one vitest case per file. LE is judged against the file; BE checks the file
// as the LE oracle plus the same exit kind (or a stated `"byteOrder": "any"` result) in BE.
import { describe, it, expect } from "vitest";
import { REFERENCE_BE, REFERENCE_LE } from "../src/harness/targets";
import { dataFiles, describeVerdicts, PROJECT_CASES, runFile } from "./suites/corpus";

const files = dataFiles(PROJECT_CASES);

describe("project cases", () => {
  it("conformance/cases holds the project's cases (an empty folder would make this suite vacuous)", () => {
    expect(files.length).toBeGreaterThan(100);
  });
  describe.each([REFERENCE_LE, REFERENCE_BE])("on $name", (target) => {
    it.each(files)("%s passes", (name) => {
      const { verdicts } = runFile(PROJECT_CASES, name, target);
      expect(describeVerdicts(verdicts)).toBe("pass");
    });
  });
});
