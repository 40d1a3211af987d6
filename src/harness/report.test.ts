import { describe, it, expect } from "vitest";
import { formatJson, formatJunit, formatText, summarize, xmlEscape, type RunRecord } from "./report";
import { createProgress } from "./progress";
import { rawWords, replayFileName, toReplayData } from "./replay";
import { caseFromData } from "./load-case";
import { parseDataFile } from "../ebpf/data-file";
import { insn } from "../ebpf/insn";
import type { Case } from "./case";
import type { Verdict } from "./verdict";

const rec = (name: string, target: string, verdict: Verdict, ms = 1): RunRecord => ({ name, file: `/x/${name}`, target, verdict, ms });
const RECORDS: RunRecord[] = [
  rec("a.data", "reference", { kind: "pass" }),
  rec("b.data", "reference", { kind: "mismatch", what: "r0", message: "expected r0=0x1, got 0x2" }),
  rec("c.data", "reference", { kind: "skip", reason: "needs the packet group" }),
  rec("a.data", "reference-be", { kind: "pass", note: "byte-order dependent" }),
  rec("b.data", "reference-be", { kind: "invalid-case", message: "b.data:3: Invalid register" }),
  rec("d.data", "reference-be", { kind: "trap", message: "poison <r3> & \"x\"", listing: "0: r0 = 1\n  addiu v0, zero, 1" }),
];

describe("summary counts", () => {
  it("pass counts as passed, skip as skipped, every other verdict as failed, per target and overall", () => {
    const s = summarize(RECORDS);
    expect([s.total, s.passed, s.failed, s.skipped]).toEqual([6, 2, 3, 1]);
    expect(s.byTarget.reference).toEqual({ total: 3, passed: 1, failed: 1, skipped: 1 });
    expect(s.byTarget["reference-be"]).toEqual({ total: 3, passed: 1, failed: 2, skipped: 0 });
    expect(s.failures.map((f) => `${f.target}/${f.name}/${f.kind}`)).toEqual(["reference/b.data/mismatch", "reference-be/b.data/invalid-case", "reference-be/d.data/trap"]);
    expect(s.failures[0].reason).toBe("r0: expected r0=0x1, got 0x2");
    expect(s.skipReasons).toEqual({ "needs the packet group": 1 });
  });
});

describe("text report", () => {
  it("has one row per target plus a total row, the failures and the skip reasons", () => {
    const t = formatText(summarize(RECORDS));
    expect(t).toMatch(/^reference\s+3\s+1\s+1\s+1$/m);
    expect(t).toMatch(/^reference-be\s+3\s+1\s+2\s+0$/m);
    expect(t).toMatch(/^total\s+6\s+2\s+3\s+1$/m);
    expect(t).toContain("[reference] b.data: mismatch: r0: expected r0=0x1, got 0x2");
    expect(t).toContain("1 × needs the packet group");
    expect(t).toMatch(/FAILED: 2 passed, 3 failed, 1 skipped of 6/);
  });

  it("says OK when nothing failed and truncates a long failure list", () => {
    expect(formatText(summarize([RECORDS[0]]))).toMatch(/OK: 1 passed, 0 failed/);
    const many = Array.from({ length: 5 }, (_, i) => rec(`f${i}`, "t", { kind: "jit-error", message: "x" }));
    expect(formatText(summarize(many), { maxFailures: 2 })).toMatch(/… and 3 more/);
  });
});

describe("JSON report", () => {
  it("is one JSON document whose summary has total, passed, failed, skipped and failures with file and reason", () => {
    const doc = JSON.parse(formatJson(summarize(RECORDS), RECORDS, { engine: "reference" }));
    expect(doc.engine).toBe("reference");
    expect(doc.summary).toMatchObject({ total: 6, passed: 2, failed: 3, skipped: 1 });
    expect(doc.summary.failures[1]).toMatchObject({ file: "/x/b.data", reason: "b.data:3: Invalid register", kind: "invalid-case" });
    expect(doc.results).toHaveLength(6);
    expect(doc.results[1]).toMatchObject({ verdict: "mismatch", what: "r0" });
    expect(doc.results[0].reason).toBeUndefined();
  });
});

describe("JUnit report", () => {
  const xml = formatJunit(RECORDS);

  it("has one testsuite per target with counts; mismatches and traps are failures, invalid cases errors, skips skipped", () => {
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="bpf-mips" tests="6" failures="2" errors="1" skipped="1"/);
    expect(xml).toMatch(/<testsuite name="reference" tests="3" failures="1" errors="0" skipped="1"/);
    expect(xml).toMatch(/<testsuite name="reference-be" tests="3" failures="1" errors="1" skipped="0"/);
    expect(xml).toMatch(/<error type="invalid-case" message="b.data:3: Invalid register"\/>/);
    expect(xml).toMatch(/<skipped message="needs the packet group"\/>/);
    expect((xml.match(/<testcase /g) ?? []).length).toBe(6);
  });

  it("escapes markup in messages and puts the listing in the failure body", () => {
    expect(xml).toContain('message="poison &lt;r3&gt; &amp; &quot;x&quot;"');
    expect(xml).toContain("0: r0 = 1\n  addiu v0, zero, 1</failure>");
    expect(xmlEscape("a\u0001b")).toBe("a\ufffdb");
  });
});

describe("progress bar", () => {
  const sink = (isTTY: boolean) => {
    const out: string[] = [];
    return { out, stream: { isTTY, columns: 60, write: (s: string) => (out.push(s), true) } };
  };

  it("draws nothing when stderr is not a terminal", () => {
    const s = sink(false);
    const p = createProgress(3, s.stream);
    p.tick("a", false);
    p.done();
    expect(s.out).toEqual([]);
  });

  it("on a terminal redraws at most once per interval, always on the last step, then clears the line", () => {
    const s = sink(true);
    let t = 0;
    const p = createProgress(4, s.stream, { intervalMs: 100, now: () => t });
    p.tick("one", false);
    t = 50;
    p.tick("two", true);
    t = 60;
    p.tick("three", false);
    t = 70;
    p.tick("four", false);
    p.done();
    expect(s.out).toHaveLength(3);
    expect(s.out[0]).toContain("1/4");
    expect(s.out[1]).toContain("4/4 1 failed");
    expect(s.out[1]).toContain("four");
    expect(s.out[2].trim()).toBe("");
  });
});

describe("replayable .data output", () => {
  const c: Case = {
    name: "gen/prog 1.data",
    file: "gen",
    source: "generated",
    program: [insn(0xb7, 0, 0, 0, -1), insn(0x18, 1, 0, 0, 0x11223344), insn(0, 0, 0, 0, 0x55667788), insn(0x95)],
    programs: {},
    mem: Uint8Array.from({ length: 18 }, (_, i) => i),
    maps: [],
    expect: { kind: "result", r0: 0xffff_ffff_ffff_ffffn },
    seed: 42,
  };

  it("writes the program as LE 64-bit raw words: low byte opcode, dst in the low nibble, imm in the upper half", () => {
    expect(rawWords([insn(0xb7, 3, 1, -2, -1)])).toEqual(["0xfffffffffffe13b7"]);
  });

  it("the replay parses back (src/ebpf parser) to the same program, memory, expectation and options", () => {
    const text = toReplayData({ ...c, budget: 77 }, { comments: ["target mips1-be", "verdict: mismatch"] });
    expect(text).toMatch(/^# replay of gen\/prog 1\.data \(generated, gen\)\n# target mips1-be\n# verdict: mismatch\n/);
    const back = caseFromData(parseDataFile(text, "r.data"), { file: "r.data", name: "r.data" });
    expect(back.program).toEqual(c.program);
    expect(Array.from(back.mem)).toEqual(Array.from(c.mem));
    expect(back.expect).toEqual({ kind: "result", r0: 0xffff_ffff_ffff_ffffn });
    expect(back.budget).toBe(77);
  });

  it("an explicit result overrides the expectation; error and fault expectations survive the round trip", () => {
    const load = (t: string) => caseFromData(parseDataFile(t, "r.data"), { file: "r.data", name: "r.data" });
    expect(load(toReplayData(c, { result: 5n })).expect).toEqual({ kind: "result", r0: 5n });
    expect(load(toReplayData({ ...c, expect: { kind: "error", text: "Invalid" } })).expect).toEqual({ kind: "error", text: "Invalid" });
    expect(load(toReplayData({ ...c, expect: { kind: "fault", message: "out of bounds" } })).expect).toEqual({ kind: "fault", message: "out of bounds" });
  });

  it("named programs and maps are written in the extension sections", () => {
    const withNamed: Case = { ...c, programs: { target: [insn(0xb7, 0, 0, 0, 9), insn(0x95)] }, maps: [{ name: "jmp", type: "prog_array", keySize: 4, valueSize: 4, maxEntries: 2, init: { "0": "target" } }] };
    const back = caseFromData(parseDataFile(toReplayData(withNamed), "r.data"), { file: "r.data", name: "r.data" });
    expect(back.programs.target).toEqual(withNamed.programs.target);
    expect(back.maps).toEqual(withNamed.maps);
  });

  it("replay file names are safe and name the target", () => {
    expect(replayFileName(c, "mips32r2-be+hardened")).toBe("gen_prog_1@mips32r2-be_hardened.data");
  });
});
