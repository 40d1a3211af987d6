import { describe, it, expect } from "vitest";
import { collectCaseFiles, compileRegex, featureSkip, runSuite } from "./suite";
import { insn } from "../ebpf/insn";
import { InputError } from "../ebpf/errors";
import type { Case } from "./case";
import type { Engine } from "./run-case";
import { REFERENCE_BE, REFERENCE_LE } from "./targets";

const fakeFs = {
  isDir: (p: string) => p === "suite",
  list: (dir: string) => [`${dir}/a.data`, `${dir}/sub/b.data`, `${dir}/c.o`],
};

describe("collecting case files", () => {
  it("folders expand to their case files named relative to the folder; files keep their base name", () => {
    expect(collectCaseFiles(["suite", "x/one.data"], fakeFs)).toEqual([
      { file: "suite/a.data", name: "a.data" },
      { file: "suite/sub/b.data", name: "sub/b.data" },
      { file: "suite/c.o", name: "c.o" },
      { file: "x/one.data", name: "one.data" },
    ]);
  });

  it("--include keeps matching names, --exclude drops them, and a file given twice runs once", () => {
    const f = collectCaseFiles(["suite", "suite/a.data"], fakeFs, { include: /\.data$/, exclude: /^sub\// });
    expect(f.map((x) => x.name)).toEqual(["a.data"]);
  });

  it("a bad regular expression names the flag", () => {
    expect(() => compileRegex("(", "--include")).toThrow(InputError);
    expect(() => compileRegex("(", "--include")).toThrow(/^--include: invalid regular expression '\('/);
  });
});

describe("bpf_conformance feature filtering", () => {
  const c = (program: Case["program"]): Case => ({ name: "t", file: "t", source: "data", program, programs: {}, mem: new Uint8Array(0), maps: [], expect: { kind: "none" } });
  const sdiv = c([insn(0x37, 0, 0, 1, 3), insn(0x95)]); // sdiv64 r0, 3: cpu v4, divmul64

  it("a case needing a newer cpu version than selected is skipped with the version in the reason", () => {
    expect(featureSkip(sdiv, { cpu: 3 })).toEqual({ kind: "skip", reason: "needs cpu v4 (selected v3)" });
    expect(featureSkip(sdiv, { cpu: 4 })).toBeUndefined();
  });

  it("a case using a group outside the selection is skipped naming the group", () => {
    expect(featureSkip(sdiv, { groups: ["base32", "base64"] })).toEqual({ kind: "skip", reason: "needs group divmul64 (not selected)" });
    expect(featureSkip(sdiv, { groups: ["base32", "divmul64"] })).toBeUndefined();
  });
});

describe("the run loop", () => {
  it("runs every case of every file on every engine, in order, reporting each record", () => {
    const engine = (t: typeof REFERENCE_LE | typeof REFERENCE_BE): Engine => ({ name: t.name, target: t, run: (cs) => (cs.name.startsWith("bad") ? { kind: "mismatch", what: "r0", message: "x" } : { kind: "pass" }) });
    const load = (cf: { file: string; name: string }): Case[] => [{ name: cf.name, file: cf.file, source: "data", program: [], programs: {}, mem: new Uint8Array(0), maps: [], expect: { kind: "none" } }];
    const seen: string[] = [];
    let t = 0;
    const recs = runSuite(
      [{ file: "f1", name: "good" }, { file: "f2", name: "bad" }],
      [engine(REFERENCE_LE), engine(REFERENCE_BE)],
      load,
      { onRecord: (r) => seen.push(`${r.target}:${r.name}`), now: () => (t += 2) },
    );
    expect(seen).toEqual(["reference:good", "reference-be:good", "reference:bad", "reference-be:bad"]);
    expect(recs.map((r) => r.verdict.kind)).toEqual(["pass", "pass", "mismatch", "mismatch"]);
    expect(recs.every((r) => r.ms === 2)).toBe(true);
  });
});
