// The project's own cases (conformance/cases/*.data, written with the reference interpreter's edge rules)
// on the reference engines, one vitest case per file. LE is judged against the file; BE checks the file
// as the LE oracle plus the same exit kind (or a stated `"byteOrder": "any"` result) in BE.
import { describe, it, expect } from "vitest";
import { REFERENCE_BE, REFERENCE_LE } from "../src/harness/targets";
import { dataFiles, describeVerdicts, PROJECT_CASES, runFile } from "./suites/corpus";

const files = dataFiles(PROJECT_CASES);

describe("project cases", () => {
  if (files.length === 0) {
    // Reason for the skip: the folder is filled by the reference engineer; with no files there is nothing to run.
    it.skip("conformance/cases/ has no .data files yet", () => {});
    return;
  }
  describe.each([REFERENCE_LE, REFERENCE_BE])("on $name", (target) => {
    it.each(files)("%s passes", (name) => {
      const { verdicts } = runFile(PROJECT_CASES, name, target);
      expect(describeVerdicts(verdicts)).toBe("pass");
    });
  });
});
