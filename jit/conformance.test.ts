// bpf_conformance's 313 cases on every 32-bit target (plain and hardened): JIT + emulator must agree with
// the reference interpreter run in the same byte order (R0 and the stack), and on little-endian targets with
// the file's expected result. Reads ../shared/bpf_conformance (not copied into the repo).
import { describe, it, expect } from "vitest";
import { readdirSync, readFileSync, existsSync } from "node:fs";
import path from "node:path";
import { parseDataFile } from "../src/ebpf/index";
import { runBoth, describe2, TARGETS32, targetName, refStack } from "./test-kit";
import type { Target } from "./test-kit";

const dir = path.resolve(import.meta.dirname, "..", "..", "shared", "bpf_conformance", "tests");
const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".data")).sort() : [];

const targets: Target[] = [
  ...TARGETS32,
  ...TARGETS32.map((t) => ({ ...t, hardened: true })),
  { level: "mips2", le: true, nollsc: true },
  { level: "mips32r2", le: false, nollsc: true },
  { level: "mips32r2", le: true, errata: { r10000: true, loongson3: true } },
  { level: "mips2", le: false, errata: { r10000: true, loongson3: true, loongson2f: true } },
];

describe("bpf_conformance on every 32-bit target", () => {
  it("finds the corpus", () => expect(files.length).toBe(313));
  for (const t of targets) {
    it(`${targetName(t)}: JIT+emulator == reference (and == the file's result on LE)`, () => {
      const failures: string[] = [];
      let ran = 0;
      for (const f of files) {
        const d = parseDataFile(readFileSync(path.join(dir, f), "utf8"), f);
        if (d.error !== undefined || d.result === undefined) continue;
        let b;
        try {
          b = runBoth(d.program(), t, d.mem, [...d.maps]);
        } catch (e) {
          failures.push(`${f}: ${(e as Error).message}`);
          continue;
        }
        ran++;
        if (b.ref.kind !== "exit") { failures.push(`${f}: reference ${b.ref.kind} ${b.ref.message}`); continue; }
        if (b.nat.outcome.kind !== "exit" || b.nat.r0 !== b.ref.r0) { failures.push(`${f}: ${describe2(b)}`); continue; }
        if (t.le && b.ref.r0 !== d.result) failures.push(`${f}: result 0x${b.ref.r0.toString(16)} != file 0x${d.result.toString(16)}`);
        const rs = refStack(b.ref);
        if (rs && Buffer.compare(Buffer.from(rs), Buffer.from(b.nat.stack)) !== 0) failures.push(`${f}: stack differs`);
      }
      expect(failures, failures.join("\n")).toEqual([]);
      expect(ran).toBeGreaterThan(280);
    });
  }
});
