// Running one Case on one engine. Owns the Engine interface, the reference engines (judging a case against
// its file's expectation, in LE and BE) and the differential engine (reference vs a native backend, used by
// the JIT + emulator targets). Does not own the interpreter (src/reference), the JIT (jit/) or the emulator
// (emulator/): those are injected as functions so this file can be tested on its own and the JIT side
// plugs in without changing the interface.
import type { Program } from "../ebpf/insn";
import type { MapDef } from "../ebpf/maps";
import { defaultLayout, type MemoryLayout } from "../ebpf/layout";
import { isInputError } from "../ebpf/errors";
import type { Case, Expectation } from "./case";
import { describeExpectation, errorMatches } from "./case";
import type { MipsTarget, ReferenceTarget, Target } from "./targets";
import { firstDifference, hex64, type Observation, type Verdict } from "./verdict";

/** An engine runs a case and judges it. Engines never throw for bad input: that is an invalid-case. */
export interface Engine {
  readonly name: string;
  readonly target: Target;
  run(c: Case): Verdict;
}

/** Options of one reference run (the shape src/reference's runReference takes). */
export interface ReferenceRunOptions {
  readonly layout: MemoryLayout;
  readonly mem: Uint8Array;
  readonly maps?: MapDef[];
  readonly programs?: Record<string, Program>;
  readonly budget?: number;
  readonly seed?: number;
}

/** The reference interpreter as the harness sees it. */
export type ReferenceRunner = (program: Program, opts: ReferenceRunOptions) => Observation;
/** Structural validation of a program (src/ebpf validateProgram): throws InputError. */
export type ProgramCheck = (program: Program) => void;

export interface ReferenceDeps {
  readonly runReference: ReferenceRunner;
  readonly validateProgram: ProgramCheck;
}

/** The layout a reference target runs with: the ctx region is sized to the case's memory. */
export function referenceLayout(target: Target, memSize: number): MemoryLayout {
  return defaultLayout(target.addressBits, target.littleEndian, memSize);
}

/** Validate the entry program and every named program; returns the rejection message or undefined. */
export function rejection(c: Case, validate: ProgramCheck): string | undefined {
  const all: [string | undefined, Program][] = [[undefined, c.program], ...Object.entries(c.programs)];
  for (const [name, p] of all) {
    try {
      validate(p);
    } catch (e) {
      if (!isInputError(e)) throw e;
      const msg = e.at({ file: c.file }).message;
      return name === undefined ? msg : `program '${name}': ${msg}`;
    }
  }
  return undefined;
}

/** A case whose data is in one byte order cannot run on a target of the other. */
export function byteOrderSkip(c: Case, target: Target): Verdict | undefined {
  if (c.byteOrder === undefined || (c.byteOrder === "le") === target.littleEndian) return undefined;
  return { kind: "skip", reason: `${c.byteOrder === "le" ? "little" : "big"}-endian ${c.source} case: runs only on ${c.byteOrder === "le" ? "little" : "big"}-endian targets` };
}

/** A rejected program against the expectation: a pass only if an error with matching text was expected. */
export function judgeRejection(expect: Expectation, message: string): Verdict {
  if (expect.kind === "error") {
    if (errorMatches(expect.text, message)) return { kind: "pass", note: `rejected as expected: ${message}` };
    return {
      kind: "mismatch",
      what: "error",
      message: expect.text.trim()
        ? `expected error '${expect.text.trim()}', got '${message}'`
        : `the case expects an error but gives no text (an empty -- error expects none); got '${message}'`,
    };
  }
  return { kind: "invalid-case", message: `program rejected: ${message}` };
}

/** A completed run against the expectation; the verdict carries the run. */
export function judgeRun(expect: Expectation, obs: Observation): Verdict {
  const v = judgeRunBare(expect, obs);
  return v.kind === "pass" || v.kind === "mismatch" ? { ...v, observed: obs } : v;
}

function judgeRunBare(expect: Expectation, obs: Observation): Verdict {
  const got = obs.kind === "exit" ? `exit with r0=${hex64(obs.r0)}` : `${obs.kind}${obs.message ? `: ${obs.message}` : ""}`;
  switch (expect.kind) {
    case "result":
      if (obs.kind !== "exit") return { kind: "mismatch", what: "exit-kind", message: `expected ${describeExpectation(expect)}, got ${got}` };
      if (BigInt.asUintN(64, obs.r0) !== BigInt.asUintN(64, expect.r0)) {
        return { kind: "mismatch", what: "r0", message: `expected r0=${hex64(expect.r0)}, got ${hex64(obs.r0)}` };
      }
      return { kind: "pass" };
    case "error":
      if (obs.kind !== "exit" && obs.message !== undefined && errorMatches(expect.text, obs.message)) {
        return { kind: "pass", note: `failed as expected: ${obs.message}` };
      }
      return { kind: "mismatch", what: "error", message: `expected ${describeExpectation(expect)}, got ${got}` };
    case "fault":
      if (obs.kind === "fault" && (expect.message === undefined || (obs.message ?? "").includes(expect.message))) return { kind: "pass" };
      return { kind: "mismatch", what: "exit-kind", message: `expected ${describeExpectation(expect)}, got ${got}` };
    case "budget":
      if (obs.kind === expect.kind) return { kind: "pass" };
      return { kind: "mismatch", what: "exit-kind", message: `expected ${expect.kind}, got ${got}` };
    case "none":
      return { kind: "pass", note: `no expectation; ${got}` };
  }
}

function runOnce(c: Case, deps: ReferenceDeps, layout: MemoryLayout): Observation {
  return deps.runReference(c.program, {
    layout,
    mem: c.mem,
    maps: [...c.maps],
    programs: { ...c.programs },
    ...(c.budget !== undefined ? { budget: c.budget } : {}),
    ...(c.seed !== undefined ? { seed: c.seed } : {}),
  });
}

/**
 * The reference engine. In little-endian it judges the case against its file. In big-endian the file's
 * values (written for a little-endian host, ebpf-semantics.md §5) are only an oracle for the LE run: the
 * BE engine checks that the LE run matches the file and that the BE run ends the same way (exit, fault,
 * expected error); where R0 differs the case is byte-order dependent and the BE value becomes the BE
 * expectation (reported in the verdict's note).
 */
export function referenceEngine(target: ReferenceTarget, deps: ReferenceDeps): Engine {
  return {
    name: target.name,
    target,
    run(c: Case): Verdict {
      if (c.invalid) return { kind: "invalid-case", message: c.invalid.message };
      const wrongOrder = byteOrderSkip(c, target);
      if (wrongOrder) return wrongOrder;
      const rejected = rejection(c, deps.validateProgram);
      if (rejected !== undefined) return judgeRejection(c.expect, rejected);
      if (c.byteOrder) {
        // The case states its value for this byte order: one run, judged directly.
        const obs = runOnce(c, deps, referenceLayout(target, c.mem.length));
        return obs.invalid ? judgeRejection(c.expect, obs.message ?? "program rejected") : judgeRun(c.expect, obs);
      }
      const le = runOnce(c, deps, referenceLayout({ ...target, littleEndian: true }, c.mem.length));
      if (le.invalid) return judgeRejection(c.expect, le.message ?? "program rejected");
      const leVerdict = judgeRun(c.expect, le);
      if (target.littleEndian || leVerdict.kind !== "pass") return leVerdict;
      const be = runOnce(c, deps, referenceLayout(target, c.mem.length));
      if (c.expectBigEndian) return judgeRun(c.expectBigEndian, be);
      if (be.kind !== le.kind) {
        return { kind: "mismatch", what: "exit-kind", message: `little-endian run ended with ${le.kind}, big-endian run with ${be.kind}${be.message ? `: ${be.message}` : ""}`, observed: be };
      }
      if (c.expect.kind === "error") return judgeRun(c.expect, be);
      if (le.kind === "exit" && le.r0 !== be.r0) {
        return { kind: "pass", note: `byte-order dependent: LE r0=${hex64(le.r0)}, BE r0=${hex64(be.r0)}`, observed: be };
      }
      return { kind: "pass", observed: be };
    },
  };
}

/** An engine that skips every case, with a reason (e.g. a target whose backend does not exist yet). */
export function skippingEngine(target: Target, reason: string): Engine {
  return { name: target.name, target, run: () => ({ kind: "skip", reason }) };
}
