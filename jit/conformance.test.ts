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
const own = path.resolve(import.meta.dirname, "..", "conformance", "cases");
const list = (d: string): string[] => (existsSync(d) ? readdirSync(d).filter((f) => f.endsWith(".data")).sort().map((f) => path.join(d, f)) : []);
const files = list(dir);
const ownFiles = list(own);

const targets: Target[] = [
  ...TARGETS32,
  // hardened: one byte order per level, alternating (the harness's matrix runs all of them)
  ...TARGETS32.filter((t, i) => (i >> 1) % 2 === (t.le ? 0 : 1)).map((t) => ({ ...t, hardened: true })),
  { level: "mips2", le: true, nollsc: true },
  { level: "mips32r2", le: false, nollsc: true },
  { level: "mips32r2", le: true, errata: { r10000: true, loongson3: true } },
  { level: "mips2", le: false, errata: { r10000: true, loongson3: true, loongson2f: true } },
];

describe("bpf_conformance on every 32-bit target", () => {
  it("finds the corpus", () => expect(files.length).toBe(313));
  it("finds the project's cases", () => expect(ownFiles.length).toBeGreaterThan(100));
  for (const t of targets) {
    it(`${targetName(t)}: JIT+emulator == reference (and == the file's result on LE)`, () => {
      const failures: string[] = [];
      let ran = 0;
      for (const file of [...files, ...ownFiles]) {
        const f = path.basename(file);
        const d = parseDataFile(readFileSync(file, "utf8"), f);
        if (d.error !== undefined || d.result === undefined) continue;
        let b;
        try {
          const progs = Object.fromEntries(Object.entries(d.programs).filter(([k]) => k !== "main").map(([k, p]) => [k, p()]));
          b = runBoth(d.program(), t, d.mem, [...d.maps], 1, progs);
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
      expect(ran).toBeGreaterThan(400);
    });
  }
  it("without verifier zext markers (the JIT zero-extends itself), mips1-be and mips32r6-le agree with the reference", () => {
    const failures: string[] = [];
    for (const file of [...files, ...ownFiles]) {
      const f = path.basename(file);
      const d = parseDataFile(readFileSync(file, "utf8"), f);
      if (d.error !== undefined || d.result === undefined) continue;
      const progs = Object.fromEntries(Object.entries(d.programs).filter(([k]) => k !== "main").map(([k, p]) => [k, p()]));
      for (const t of [{ level: "mips1", le: false }, { level: "mips32r6", le: true }] as Target[]) {
        const b = runBoth(d.program(), t, d.mem, [...d.maps], 1, progs, false);
        if (b.ref.kind === "exit" && (b.nat.outcome.kind !== "exit" || b.nat.r0 !== b.ref.r0)) failures.push(`${f} ${targetName(t)}: ${describe2(b)}`);
      }
    }
    expect(failures, failures.join("\n")).toEqual([]);
  });
});
