// Engine logic with injected stand-ins for the interpreter and the validator: these tests check how the
// harness judges runs, not how programs are interpreted (the conformance suites do that end to end).
import { describe, it, expect } from "vitest";
import { InputError } from "../ebpf/errors";
import { insn } from "../ebpf/insn";
import { defaultLayout } from "../ebpf/layout";
import type { Case, Expectation } from "./case";
import { invalidCase } from "./case";
import { byteOrderSkip, judgeRun, referenceEngine, type ReferenceDeps, type ReferenceRunOptions } from "./run-case";
import { mipsTarget, REFERENCE_BE, REFERENCE_LE } from "./targets";
import { firstDifference, type Observation } from "./verdict";

const EXIT = insn(0x95);
const obs = (o: Partial<Observation> = {}): Observation => ({ kind: "exit", r0: 0n, regions: [], helperCalls: [], ...o });

function mkCase(expectation: Expectation, extra: Partial<Case> = {}): Case {
  return { name: "t", file: "t.data", source: "data", program: [EXIT], programs: {}, mem: new Uint8Array(4), maps: [], expect: expectation, ...extra };
}

/** A stand-in interpreter whose result depends only on the byte order it is asked to use. */
function deps(le: Observation, be: Observation = le, reject?: string): ReferenceDeps & { calls: ReferenceRunOptions[] } {
  const calls: ReferenceRunOptions[] = [];
  return {
    calls,
    runReference: (_p, o) => {
      calls.push(o);
      return o.layout.littleEndian ? le : be;
    },
    validateProgram: () => {
      if (reject !== undefined) throw new InputError(reject, { insn: 0, field: "off" });
    },
  };
}

describe("judging a run against the file's expectation", () => {
  it("a result expectation passes only on exit with all 64 bits of r0 equal", () => {
    expect(judgeRun({ kind: "result", r0: 0x1_0000_0001n }, obs({ r0: 0x1_0000_0001n })).kind).toBe("pass");
    const v = judgeRun({ kind: "result", r0: 0x1_0000_0001n }, obs({ r0: 0x1n }));
    expect(v).toMatchObject({ kind: "mismatch", what: "r0" });
    expect(judgeRun({ kind: "result", r0: 0n }, obs({ kind: "fault", message: "oob" }))).toMatchObject({ kind: "mismatch", what: "exit-kind" });
  });

  it("r0 is compared as unsigned 64-bit: -1 and 0xffffffffffffffff are the same value", () => {
    expect(judgeRun({ kind: "result", r0: -1n }, obs({ r0: 0xffff_ffff_ffff_ffffn })).kind).toBe("pass");
  });

  it("an error expectation passes on a failed run whose message contains the text, never on a normal exit", () => {
    expect(judgeRun({ kind: "error", text: "out of bounds" }, obs({ kind: "fault", message: "insn 3: out of bounds read" })).kind).toBe("pass");
    expect(judgeRun({ kind: "error", text: "out of bounds" }, obs()).kind).toBe("mismatch");
    expect(judgeRun({ kind: "error", text: "" }, obs({ kind: "fault", message: "x" })).kind).toBe("mismatch");
  });

  it("fault and budget expectations need that exit kind", () => {
    expect(judgeRun({ kind: "budget" }, obs({ kind: "budget" })).kind).toBe("pass");
    expect(judgeRun({ kind: "budget" }, obs({ kind: "fault" })).kind).toBe("mismatch");
  });
});

describe("reference engine", () => {
  it("an invalid case file is reported as invalid-case with the loader's message", () => {
    const c = invalidCase("x", "x.data", "data", new InputError("Invalid register", { file: "x.data", line: 3 }));
    expect(referenceEngine(REFERENCE_LE, deps(obs())).run(c)).toEqual({ kind: "invalid-case", message: "x.data:3: Invalid register" });
  });

  it("a program the validator rejects is invalid-case unless an error with matching text is expected", () => {
    const d = deps(obs(), obs(), "reserved field must be 0");
    expect(referenceEngine(REFERENCE_LE, d).run(mkCase({ kind: "result", r0: 0n })).kind).toBe("invalid-case");
    expect(referenceEngine(REFERENCE_LE, d).run(mkCase({ kind: "error", text: "reserved field" })).kind).toBe("pass");
    expect(referenceEngine(REFERENCE_LE, d).run(mkCase({ kind: "error", text: "" }))).toMatchObject({ kind: "mismatch", what: "error" });
    expect(d.calls).toHaveLength(0);
  });

  it("a program the interpreter refuses to run (e.g. an unknown helper) is judged like a validator rejection", () => {
    const d = deps(obs({ kind: "fault", invalid: true, message: "insn 0: unknown helper 999" }));
    expect(referenceEngine(REFERENCE_LE, d).run(mkCase({ kind: "result", r0: 0n }))).toEqual({ kind: "invalid-case", message: "program rejected: insn 0: unknown helper 999" });
    expect(referenceEngine(REFERENCE_BE, d).run(mkCase({ kind: "error", text: "unknown helper" })).kind).toBe("pass");
  });

  it("the LE engine runs once with an LE layout whose context is sized to the case memory", () => {
    const d = deps(obs({ r0: 7n }));
    expect(referenceEngine(REFERENCE_LE, d).run(mkCase({ kind: "result", r0: 7n })).kind).toBe("pass");
    expect(d.calls).toHaveLength(1);
    expect(d.calls[0].layout.littleEndian).toBe(true);
    expect(d.calls[0].layout.ctx.size).toBe(4);
  });

  it("the BE engine takes the file's value as the LE oracle and reports a byte-order-dependent BE r0 as a pass with a note", () => {
    const d = deps(obs({ r0: 0x44332211n }), obs({ r0: 0x11223344n }));
    const v = referenceEngine(REFERENCE_BE, d).run(mkCase({ kind: "result", r0: 0x44332211n }));
    expect(v.kind).toBe("pass");
    expect(v.kind === "pass" && v.note).toMatch(/byte-order dependent.*BE r0=0x0000000011223344/);
    expect(d.calls.map((c) => c.layout.littleEndian)).toEqual([true, false]);
  });

  it("a stated big-endian expectation is checked against the BE run directly", () => {
    const d = deps(obs({ r0: 1n }), obs({ r0: 0x100n }));
    expect(referenceEngine(REFERENCE_BE, d).run(mkCase({ kind: "result", r0: 1n }, { expectBigEndian: { kind: "result", r0: 0x100n } })).kind).toBe("pass");
    expect(referenceEngine(REFERENCE_BE, d).run(mkCase({ kind: "result", r0: 1n }, { expectBigEndian: { kind: "result", r0: 0x1n } }))).toMatchObject({ kind: "mismatch", what: "r0" });
  });

  it("a case in one byte order runs once on engines of that order and is skipped with a reason on the other", () => {
    const d = deps(obs({ r0: 1n }), obs({ r0: 2n }));
    const c = mkCase({ kind: "result", r0: 2n }, { byteOrder: "be", source: "elf" });
    expect(referenceEngine(REFERENCE_BE, d).run(c).kind).toBe("pass");
    expect(d.calls.map((x) => x.layout.littleEndian)).toEqual([false]);
    expect(referenceEngine(REFERENCE_LE, d).run(c)).toEqual({ kind: "skip", reason: "big-endian elf case: runs only on big-endian targets" });
    expect(byteOrderSkip(c, mipsTarget("mips1", true))?.kind).toBe("skip");
  });

  it("the BE engine fails when the LE oracle disagrees with the file or the BE run ends differently", () => {
    expect(referenceEngine(REFERENCE_BE, deps(obs({ r0: 1n }))).run(mkCase({ kind: "result", r0: 2n }))).toMatchObject({ kind: "mismatch", what: "r0" });
    const v = referenceEngine(REFERENCE_BE, deps(obs({ r0: 1n }), obs({ kind: "fault", message: "oob" }))).run(mkCase({ kind: "result", r0: 1n }));
    expect(v).toMatchObject({ kind: "mismatch", what: "exit-kind" });
  });
});

describe("first difference between two runs", () => {
  it("a difference in the upper half of r0 is a mismatch naming the upper half", () => {
    const d = firstDifference(obs({ r0: 0x1_0000_0005n }), obs({ r0: 5n }));
    expect(d?.what).toBe("r0");
    expect(d?.message).toMatch(/upper 32 bits differ/);
  });

  const region = (name: string, bytes: number[], base = 0x100) => ({ name, base, bytes: Uint8Array.from(bytes) });

  it("memory differences name the region, the byte offset and its address", () => {
    const d = firstDifference(obs({ regions: [region("stack0", [0, 1, 2, 3])] }), obs({ regions: [region("stack0", [0, 1, 9, 3])] }));
    expect(d?.what).toBe("memory");
    expect(d?.message).toMatch(/region 'stack0' byte 2 \(address 0x102\): expected 0x02, got 0x09/);
  });

  it("a missing region and a moved region are differences", () => {
    expect(firstDifference(obs({ regions: [region("ctx", [1])] }), obs())?.message).toMatch(/missing/);
    expect(firstDifference(obs({ regions: [region("ctx", [1])] }), obs({ regions: [region("ctx", [1], 0x200)] }))?.message).toMatch(/at 0x200, expected at 0x100/);
  });

  it("helper calls are compared by order, id, every argument and return value", () => {
    const call = (id: number, args: bigint[], ret = 0n) => ({ id, name: `h${id}`, args, ret });
    expect(firstDifference(obs({ helperCalls: [call(1, [1n, 2n])] }), obs({ helperCalls: [call(1, [1n, 3n])] }))?.message).toMatch(/argument 2/);
    expect(firstDifference(obs({ helperCalls: [call(1, [])] }), obs({ helperCalls: [call(2, [])] }))?.message).toMatch(/expected helper h1/);
    expect(firstDifference(obs({ helperCalls: [call(1, [])] }), obs({ helperCalls: [] }))?.message).toMatch(/missing call #0/);
    expect(firstDifference(obs({ helperCalls: [call(1, [], 1n)] }), obs({ helperCalls: [call(1, [], 2n)] }))?.what).toBe("helper-calls");
  });

  it("identical runs have no difference; exit kind is checked before r0", () => {
    expect(firstDifference(obs({ r0: 3n }), obs({ r0: 3n }))).toBeUndefined();
    expect(firstDifference(obs({ r0: 3n }), obs({ kind: "fault", r0: 4n }))?.what).toBe("exit-kind");
  });
});
