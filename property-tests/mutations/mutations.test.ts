// Mutation check (issue 4 §4): inject known faults into the JIT (JitOptions.mutations, jit/options.ts) and
// assert the differential harness reports each one — as a mismatch or a trap — on a target the fault
// affects, using the harness's own corpora (the project's conformance/cases, bpf_conformance, and the sweep
// families), and reports nothing on the same corpora and targets without the fault. A fault the harness
// misses is a hole in the corpora or in the comparison, so this test guards the harness itself.
import { describe, expect, it } from "vitest";
import path from "node:path";
import type { Case } from "../../src/harness/case";
import { runJitCase } from "../../src/harness/jit-engine";
import { loadCases } from "../../src/harness/load-case";
import { mipsTarget, type MipsTarget } from "../../src/harness/targets";
import { verdictReason } from "../../src/harness/verdict";
import type { HarnessJitMutation, JitMutation } from "../../jit/index";
import { HARNESS_JIT_MUTATIONS, JIT_MUTATIONS } from "../../jit/index";
import { dataFiles, PROJECT_CASES, UPSTREAM_TESTS } from "../../conformance/suites/corpus";
import { ALU_OPS, JMP_OPS, aluProgram, jmpProgram, operandPairs, registerPairsProgram } from "../sweeps/gen";
import { sweepCase } from "../sweeps/run";

type Mutation = JitMutation | HarnessJitMutation;

/** The target each fault shows on (where the faulty code path is taken). */
const TARGET: Record<Mutation, MipsTarget> = {
  "drop-add64-carry": mipsTarget("mips32r2", true),
  "skip-load-delay-nop": mipsTarget("mips1", false),
  "swap-pair-order-be": mipsTarget("mips2", false),
  "jmp-imm-no-sext": mipsTarget("mips32r1", true),
  "movz-on-mips2": mipsTarget("mips2", true),
  "drop-alu32-zext": mipsTarget("mips32r6", false),
  "tail-call-limit-off-by-one": mipsTarget("mips32r2", true),
};

const ALL: Mutation[] = [...JIT_MUTATIONS, ...HARNESS_JIT_MUTATIONS];

function corpus(): Case[] {
  const out: Case[] = [];
  for (const f of dataFiles(PROJECT_CASES)) out.push(...loadCases({ file: path.join(PROJECT_CASES, f), name: `cases/${f}` }));
  for (const f of dataFiles(UPSTREAM_TESTS)) out.push(...loadCases({ file: path.join(UPSTREAM_TESTS, f), name: `bpf_conformance/${f}` }));
  // A few sweep programs (small ones) so faults in ALU/JMP lowering meet magnitude edges too.
  const op = (n: string) => ALU_OPS.find((o) => o.name === n)!;
  const jop = (n: string) => JMP_OPS.find((o) => o.name === n)!;
  for (const p of [
    aluProgram({ op: op("add"), wide: true, src: "X" }, operandPairs(64, 64)),
    aluProgram({ op: op("add"), wide: false, src: "K" }, operandPairs(32, 32)),
    registerPairsProgram({ op: op("sub"), wide: false, src: "X" }),
    jmpProgram({ op: jop("jsgt"), wide: true, src: "K" }, operandPairs(64, 32)),
  ]) out.push(sweepCase(p));
  return out;
}

const cases = corpus();

describe("mutation check: the harness reports every injected JIT fault", () => {
  it("covers every fault the JIT can inject", () => {
    expect(new Set(ALL).size).toBe(Object.keys(TARGET).length);
  });

  /** Cases that pass on the target without a fault: only a failure there is the fault's doing. */
  const baseline = new Map<string, boolean[]>();
  const passesUnmutated = (t: MipsTarget, i: number): boolean => {
    let b = baseline.get(t.name);
    if (!b) baseline.set(t.name, (b = []));
    b[i] ??= runJitCase(cases[i]!, t).kind === "pass";
    return b[i]!;
  };

  it.each(ALL)("%s is reported on its target", (m) => {
    const t = TARGET[m];
    let caught: string | undefined;
    for (const [i, c] of cases.entries()) {
      const v = runJitCase(c, t, { mutations: [m] });
      if ((v.kind === "mismatch" || v.kind === "trap") && !passesUnmutated(t, i)) continue;
      if (v.kind === "mismatch" || v.kind === "trap") {
        caught = `${c.name}: ${v.kind}: ${verdictReason(v)}`;
        break;
      }
    }
    // Printed so the report shows which case found the fault.
    console.log(`[mutation ${m} on ${t.name}] ${caught ?? "NOT DETECTED"}`);
    expect(caught, `${m} was not detected on ${t.name}`).toBeDefined();
  });

  it("reports no failure on the same corpus and targets without a fault", () => {
    const failures: string[] = [];
    for (const t of new Map(Object.values(TARGET).map((x) => [x.name, x])).values()) {
      for (const c of cases) {
        const v = runJitCase(c, t);
        if (v.kind !== "pass" && v.kind !== "skip") failures.push(`${t.name} ${c.name}: ${v.kind}: ${verdictReason(v)}`);
      }
    }
    expect(failures, failures.join("\n")).toEqual([]);
  });
});
