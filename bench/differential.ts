// Differential throughput (issue 4 §5): end-to-end cases per second — verifier pipeline, JIT, load into a
// fresh emulator, run with every trip-wire armed, reference run of the original program, comparison — per
// 32-bit target, on the bpf_conformance corpus plus the project's cases (the `bpf-mips conformance` engine,
// src/harness/engines.ts), on random valid programs (the property-test generator, jit-engine.ts), and the
// sweep families (checks per second). Prints one line per figure. Run: npx tsx bench/differential.ts
import path from "node:path";
import fc from "fast-check";
import type { Case } from "../src/harness/case";
import { engineFor } from "../src/harness/engines";
import { runJitCase } from "../src/harness/jit-engine";
import { loadCases } from "../src/harness/load-case";
import { mipsTarget, type MipsTarget } from "../src/harness/targets";
import type { IsaLevel } from "../src/mips/levels";
import { dataFiles, PROJECT_CASES, UPSTREAM_TESTS } from "../conformance/suites/corpus";
import { arbValidProgram } from "../property-tests/arbitraries/index";
import { allFamilies } from "../property-tests/sweeps/gen";
import { SweepRunner } from "../property-tests/sweeps/run";

const corpus: Case[] = [];
for (const f of dataFiles(UPSTREAM_TESTS)) corpus.push(...loadCases({ file: path.join(UPSTREAM_TESTS, f), name: f }));
for (const f of dataFiles(PROJECT_CASES)) corpus.push(...loadCases({ file: path.join(PROJECT_CASES, f), name: f }));

const LEVELS: IsaLevel[] = ["mips1", "mips2", "mips32r1", "mips32r2", "mips32r6"];
const targets: MipsTarget[] = [...LEVELS.flatMap((l) => [mipsTarget(l, true), mipsTarget(l, false)]), mipsTarget("mips32r6", false, ["hardened"])];

const rate = (n: number, ms: number): string => `${Math.round((n * 1000) / ms).toLocaleString("en-US")}/s`;

// Warm-up: one pass on one target so V8 has compiled the JIT, emulator and interpreter.
for (const c of corpus) engineFor(targets[0]!).run(c);

console.log(`conformance corpus (${corpus.length} cases: bpf_conformance + conformance/cases), end to end, per target:`);
let totalN = 0, totalMs = 0;
for (const t of targets) {
  const e = engineFor(t);
  const t0 = performance.now();
  let pass = 0;
  for (const c of corpus) if (e.run(c).kind === "pass") pass++;
  const ms = performance.now() - t0;
  totalN += corpus.length; totalMs += ms;
  console.log(`  ${t.name.padEnd(22)} ${rate(corpus.length, ms).padStart(9)} cases  (${pass}/${corpus.length} pass, ${ms.toFixed(0)} ms)`);
}
console.log(`  ${"all".padEnd(22)} ${rate(totalN, totalMs).padStart(9)} cases`);

const programs = fc.sample(arbValidProgram(), { seed: 42, numRuns: 300 });
const slots = programs.reduce((n, g) => n + g.program.length, 0);
console.log(`random valid programs (300, mean ${(slots / 300).toFixed(0)} slots, seed 42), end to end:`);
for (const t of [mipsTarget("mips32r2", true), mipsTarget("mips1", false)]) {
  const t0 = performance.now();
  for (const g of programs) runJitCase({ name: "g", file: "g", source: "generated", program: g.program, programs: {}, mem: g.mem, maps: g.maps, expect: { kind: "none" } }, t);
  console.log(`  ${t.name.padEnd(22)} ${rate(programs.length, performance.now() - t0).padStart(9)} programs`);
}

const fams = allFamilies(true).map((p) => new SweepRunner(p));
const checks = fams.reduce((n, r) => n + r.p.cases, 0);
const famSlots = fams.reduce((n, r) => n + r.p.program.length, 0);
const t = mipsTarget("mips32r2", true);
fams.forEach((r) => r.run(mipsTarget("mips1", true))); // reference runs cached (per byte order), warm-up
const t0 = performance.now();
for (const r of fams) r.run(t);
const ms = performance.now() - t0;
console.log(`sweep families (${fams.length} programs, ${checks.toLocaleString("en-US")} checks, ${famSlots.toLocaleString("en-US")} slots) on ${t.name}, JIT + emulator + compare:`);
console.log(`  ${rate(checks, ms)} checks, ${rate(famSlots, ms)} eBPF slots (${ms.toFixed(0)} ms)`);
