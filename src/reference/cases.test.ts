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
import { listInstructionVariants } from "../ebpf/validate";
import { TABLE } from "../ebpf/opcode-table";

// Entries the reference deliberately does not run (documented in docs/reference.md): kfunc calls and
// LD_IMM64 src 3/4 have no value both sides can agree on.
const NOT_RUN = new Set(["call_kfunc", "lddw_var_addr", "lddw_code_addr"]);

const dir = path.resolve(import.meta.dirname, "../../conformance/cases");
const files = readdirSync(dir).filter((f) => f.endsWith(".data")).sort();

describe("conformance/cases on the reference interpreter", () => {
  it("every opcode-table entry the reference runs occurs in at least one case", () => {
    const used = new Set<string>();
    for (const f of files) {
      const c = parseDataFile(readFileSync(path.join(dir, f), "utf8"), f);
      for (const p of Object.values(c.programs)) for (const e of listInstructionVariants(p()).entries) used.add(e.id);
    }
    const missing = TABLE.filter((e) => !NOT_RUN.has(e.id) && !used.has(e.id)).map((e) => e.id);
    expect(missing).toEqual([]);
  });
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
