// Running sweep programs (gen.ts) through the differential JIT engine: one generated Case per program,
// JIT + emulator on each target compared with the reference run of the same program in the target's byte
// order. The reference run and the verifier pipeline do not depend on the ISA level, so they are computed
// once per byte order and reused across targets (the JIT and the emulator run per target). Owns the
// translation of a failure code back to the case that failed; does not generate programs.
import type { Program } from "../../src/ebpf/insn";
import type { Case } from "../../src/harness/case";
import { compareRuns } from "../../src/harness/compare";
import { compileCase, listCompiled, runCompiled, targetLayout, type JitEngineOptions } from "../../src/harness/jit-engine";
import type { MipsTarget } from "../../src/harness/targets";
import { hex64 } from "../../src/harness/verdict";
import { runReference, type ReferenceResult } from "../../src/reference/index";
import { pipeline } from "../../src/verifier/index";
import type { SweepProgram } from "./gen";

export function sweepCase(p: SweepProgram): Case {
  return {
    name: p.name, file: `<sweep ${p.name}>`, source: "generated", program: p.program, programs: {},
    mem: new Uint8Array(0), maps: [], expect: { kind: "result", r0: p.success },
  };
}

const caseOf = (p: SweepProgram, r0: bigint | undefined): string =>
  r0 !== undefined && r0 >= 1n && r0 <= BigInt(p.cases) ? ` — failing case ${r0}: ${p.describe(Number(r0))}` : "";

/** Per-program caches: the reference run per byte order and the pipeline output per hardening. */
export class SweepRunner {
  private readonly refs = new Map<boolean, ReferenceResult>();
  private readonly prepared = new Map<boolean, Program>();
  constructor(readonly p: SweepProgram) {}

  private reference(t: MipsTarget): ReferenceResult {
    let r = this.refs.get(t.littleEndian);
    if (!r) {
      r = runReference(this.p.program, { layout: targetLayout(t, 0), mem: new Uint8Array(0) });
      this.refs.set(t.littleEndian, r);
    }
    return r;
  }

  private prep(t: MipsTarget): Program {
    const hardened = t.options.includes("hardened");
    let q = this.prepared.get(hardened);
    if (!q) {
      q = pipeline(this.p.program, { needsZext: true, hardened, seed: 1 });
      this.prepared.set(hardened, q);
    }
    return q;
  }

  /** Undefined when the program passed on the target; otherwise a report naming the failing case. */
  run(t: MipsTarget, extra: JitEngineOptions = {}): string | undefined {
    const p = this.p;
    const ref = this.reference(t);
    if (ref.kind !== "exit" || ref.r0 !== p.success) {
      return `${p.name}: the reference run ended with ${ref.kind} r0=${hex64(ref.r0)} ${ref.message ?? ""}${caseOf(p, ref.r0)} (generator or reference defect)`;
    }
    const c = sweepCase(p);
    let cc;
    try {
      cc = compileCase(c, t, { ...extra, prepared: this.prep(t) });
    } catch (e) {
      return `${p.name} on ${t.name}: jit-error: ${e instanceof Error ? e.message : String(e)}`;
    }
    const nat = runCompiled(cc, c, t);
    if (nat.kind === "trap") return `${p.name} on ${t.name}: trap: ${nat.message}\n${listCompiled(cc, t.isa, { pc: nat.outcome.pc, context: 4 })}`;
    const d = compareRuns(ref, nat.obs);
    if (!d) return undefined;
    return `${p.name} on ${t.name}: mismatch: ${d.what}: ${d.message}${caseOf(p, nat.obs.kind === "exit" ? nat.obs.r0 : undefined)}`;
  }
}

/** One-off: run a sweep program on one target. */
export function runSweep(p: SweepProgram, target: MipsTarget, extra: JitEngineOptions = {}): string | undefined {
  return new SweepRunner(p).run(target, extra);
}
