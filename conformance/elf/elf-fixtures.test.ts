// End-to-end check of the committed ELF fixtures: every conformance/elf/<name>.c has a sidecar
// <name>.json and objects build/<name>.<bpfel|bpfeb>.o; each run of the sidecar is loaded with
// loadElfObject and executed on the reference interpreter, in the object's byte order, and R0 must equal
// the sidecar's expectation (computed from the C source, independently of the loader). Owns nothing else:
// loader unit tests are in src/ebpf/elf/.
import { describe, it, expect } from "vitest";
import { readFileSync, readdirSync, existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadElfObject, loadElfExpectations, expectedResult } from "../../src/ebpf/elf";
import { defaultLayout } from "../../src/ebpf/layout";
import { runReference } from "../../src/reference";
import type { Program } from "../../src/ebpf/insn";

const here = path.dirname(fileURLToPath(import.meta.url));
const sources = readdirSync(here).filter((f) => f.endsWith(".c")).sort();
const hexToBytes = (s: string): Uint8Array => Uint8Array.from(s.split(/\s+/).filter(Boolean), (b) => parseInt(b, 16));

describe("ELF fixtures", () => {
  it("every C fixture has a sidecar and objects in both byte orders", () => {
    expect(sources.length).toBeGreaterThanOrEqual(7);
    for (const c of sources) {
      const name = c.slice(0, -2);
      expect(existsSync(path.join(here, `${name}.json`)), `${name}.json`).toBe(true);
      for (const t of ["bpfel", "bpfeb"]) expect(existsSync(path.join(here, "build", `${name}.${t}.o`)), `${name}.${t}.o`).toBe(true);
    }
  });

  for (const c of sources) {
    const name = c.slice(0, -2);
    const sidecarFile = path.join(here, `${name}.json`);
    if (!existsSync(sidecarFile)) continue;
    const sidecar = loadElfExpectations(readFileSync(sidecarFile, "utf8"), sidecarFile);
    for (const target of ["bpfel", "bpfeb"] as const) {
      const objFile = path.join(here, "build", `${name}.${target}.o`);
      sidecar.runs.forEach((run, k) => {
        it.each([32, 64] as const)(`${name}.${target} run ${k}: ${run.description} returns the sidecar's R0 on the reference interpreter (%i-bit layout)`, (bits) => {
          const obj = loadElfObject(readFileSync(objFile), objFile);
          const le = target === "bpfel";
          expect(obj.littleEndian).toBe(le);
          const entry = obj.programs.find((p) => p.name === run.program);
          expect(entry, `program ${run.program}`).toBeDefined();
          const programs: Record<string, Program> = {};
          for (const p of obj.programs) programs[p.name] = p.insns;
          const mem = hexToBytes(run.mem);
          const r = runReference(entry!.insns, { layout: defaultLayout(bits, le, mem.length), mem, maps: obj.maps, programs });
          expect(r.message).toBeUndefined();
          expect(r.kind).toBe("exit");
          expect("0x" + r.r0.toString(16)).toBe("0x" + expectedResult(run, le).toString(16));
        });
      });
    }
  }
});
