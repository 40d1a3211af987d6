// Runs the project's own cases (conformance/cases/*.data) on the reference interpreter in little-endian
// 64- and 32-bit layouts and judges them by their expectation: `-- result` for a normal exit, or the
// `-- options` expect ("fault" with expectMessage, "budget"). The harness runs the same files on every
// target; this test is the reference's own check that the files and the interpreter agree.
import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseDataFile } from "../ebpf/data-file";
import { defaultLayout } from "../ebpf/layout";
import type { Program } from "../ebpf/insn";
import { runReference } from "./interpreter";

const dir = path.resolve(import.meta.dirname, "../../conformance/cases");
const files = readdirSync(dir).filter((f) => f.endsWith(".data")).sort();

describe("conformance/cases on the reference interpreter", () => {
  it("there is at least one case per opcode family", () => expect(files.length).toBeGreaterThan(100));
  for (const f of files) {
    it(`${f} ends as its file expects`, () => {
      const c = parseDataFile(readFileSync(path.join(dir, f), "utf8"), f);
      const programs: Record<string, Program> = {};
      for (const [name, p] of Object.entries(c.programs)) if (name !== "main") programs[name] = p();
      for (const bits of [64, 32] as const) {
        const res = runReference(c.program(), {
          layout: defaultLayout(bits, true, c.mem.length), mem: c.mem, maps: [...c.maps], programs,
          ...(c.options.budget !== undefined ? { budget: c.options.budget } : {}),
        });
        const want = c.options.expect ?? "exit";
        expect(res.kind, res.message).toBe(want);
        if (want === "exit") expect("0x" + res.r0.toString(16)).toBe("0x" + BigInt.asUintN(64, c.result!).toString(16));
        if (c.options.expectMessage !== undefined) expect(res.message).toContain(c.options.expectMessage);
      }
    });
  }
});
