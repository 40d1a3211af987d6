// Runs every ../shared/bpf_conformance/tests case on the reference interpreter directly (little-endian
// layouts, 64- and 32-bit addresses), expecting the file's R0 — the interpreter's own check against the
// upstream corpus (issue 2 §8: 313 pass). The harness-level suite lives in conformance/.
import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync, existsSync } from "node:fs";
import path from "node:path";
import { parseDataFile } from "../ebpf/data-file";
import { defaultLayout } from "../ebpf/layout";
import { runReference } from "./interpreter";

const repoRoot = path.resolve(import.meta.dirname, "../..");
const dir = path.resolve(repoRoot, "../shared/bpf_conformance/tests");
const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".data")).sort() : [];

describe("bpf_conformance tests on the reference interpreter", () => {
  it("the corpus is present (313 files)", () => expect(files.length).toBe(313));
  for (const f of files) {
    it(`${f} gives the expected r0`, () => {
      const c = parseDataFile(readFileSync(path.join(dir, f), "utf8"), f);
      for (const bits of [64, 32] as const) {
        const res = runReference(c.program(), { layout: defaultLayout(bits, true, c.mem.length), mem: c.mem, maps: [...c.maps] });
        expect(res.message).toBeUndefined();
        expect(res.kind).toBe("exit");
        expect(res.r0).toBe(BigInt.asUintN(64, c.result!));
      }
      // Big-endian hosts may give another R0 (ebpf-semantics.md §5) but must still exit normally.
      const be = runReference(c.program(), { layout: defaultLayout(64, false, c.mem.length), mem: c.mem, maps: [...c.maps] });
      expect(be.kind).toBe("exit");
    });
  }
});
