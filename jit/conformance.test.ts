// The JIT's own zero-extension path: bpf_conformance's 313 cases and the project's cases compiled WITHOUT
// the verifier's zext markers (verifierZext off, so every ALU32 result must be zero-extended by the JIT),
// on the two most different 32-bit targets. The full matrix with markers (every level × byte order ×
// options, comparing memory and helper calls too) is conformance/matrix-32.test.ts.
// Reads ../shared/bpf_conformance (not copied into the repo).
import { describe, it, expect } from "vitest";
import { readdirSync, readFileSync, existsSync } from "node:fs";
import path from "node:path";
import { parseDataFile } from "../src/ebpf/index";
import { runBoth, describe2, targetName } from "./test-kit";
import type { Target } from "./test-kit";

const dir = path.resolve(import.meta.dirname, "..", "..", "shared", "bpf_conformance", "tests");
const own = path.resolve(import.meta.dirname, "..", "conformance", "cases");
const list = (d: string): string[] => (existsSync(d) ? readdirSync(d).filter((f) => f.endsWith(".data")).sort().map((f) => path.join(d, f)) : []);
const files = list(dir);
const ownFiles = list(own);

describe("bpf_conformance and the project's cases without verifier zext markers", () => {
  it("finds the corpus", () => expect(files.length).toBe(313));
  it("finds the project's cases", () => expect(ownFiles.length).toBeGreaterThan(100));
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
