// The bpf_conformance corpus (../shared/bpf_conformance/tests, 313 files) on the reference engines, one
// vitest case per file so a failure names the file. Little-endian judges against the file's `-- result`;
// big-endian takes the file as the LE oracle and checks that the BE run ends the same way
// (ebpf-semantics.md §5). No skips.
import { describe, it, expect } from "vitest";
import { REFERENCE_BE, REFERENCE_LE } from "../src/harness/targets";
import { dataFiles, describeVerdicts, runFile, UPSTREAM_TESTS } from "./suites/corpus";

const files = dataFiles(UPSTREAM_TESTS);

describe("bpf_conformance corpus", () => {
  it("has all 313 test files", () => {
    expect(files).toHaveLength(313);
  });
});

describe.each([REFERENCE_LE, REFERENCE_BE])("bpf_conformance tests on $name", (target) => {
  it.each(files)(`%s passes`, (name) => {
    const { verdicts } = runFile(UPSTREAM_TESTS, name, target);
    expect(verdicts).toHaveLength(1);
    expect(describeVerdicts(verdicts)).toBe("pass");
  });
});
