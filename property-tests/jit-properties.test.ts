// Property tests of the JIT (issue 4 §4): random valid programs from property-tests/arbitraries (register
// values biased to magnitude and 16-bit immediate edges, every opcode, forward jumps, stack, context and map
// traffic, helper and bpf-to-bpf calls) run through the differential engine on every 32-bit target and must
// pass (JIT + emulator == reference: R0, every writable region, the helper log, the exit kind). The seed is
// fast-check's global one (FC_SEED replays it, see seed.ts; BPF_MIPS_RUNS for more runs); a failing program is shrunk by
// fast-check and written as a .data file that `bpf-mips run FILE --target T` replays.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Case } from "../src/harness/case";
import { runJitCase, targetLayout } from "../src/harness/jit-engine";
import { toReplayData } from "../src/harness/replay";
import { mipsTarget, type MipsTarget, type TargetOption } from "../src/harness/targets";
import { verdictReason } from "../src/harness/verdict";
import type { IsaLevel } from "../src/mips/levels";
import { runReference } from "../src/reference/index";
import { arbValidProgram, type GeneratedProgram } from "./arbitraries/index";
import { fcSeed } from "./seed";

const SEED = fcSeed();
const RUNS = Number(process.env.BPF_MIPS_RUNS ?? 150);
export const FAILURE_DIR = process.env.BPF_MIPS_FAILURES ?? path.join(os.tmpdir(), "bpf-mips-failures");

const LEVELS: IsaLevel[] = ["mips1", "mips2", "mips32r1", "mips32r2", "mips32r6"];
const TARGETS: MipsTarget[] = [
  ...LEVELS.flatMap((l) => [mipsTarget(l, true), mipsTarget(l, false)]),
  ...([["mips2", false, ["hardened"]], ["mips32r6", true, ["hardened"]], ["mips32r2", true, ["nollsc"]], ["mips2", false, ["r10000", "loongson2f"]], ["mips32r2", false, ["loongson3"]]] as [IsaLevel, boolean, TargetOption[]][])
    .map(([l, le, o]) => mipsTarget(l, le, o)),
];

export function generatedCase(g: GeneratedProgram, name: string): Case {
  return { name, file: `<${name}>`, source: "generated", program: g.program, programs: {}, mem: g.mem, maps: g.maps, expect: { kind: "none" } };
}

/** Write the (shrunk) counterexample as a replayable .data file; returns its path. */
function writeFailure(g: GeneratedProgram, t: MipsTarget, why: string): string {
  const c = generatedCase(g, `property-${t.name}-seed${SEED}`);
  const ref = runReference(g.program, { layout: targetLayout(t, g.mem.length), mem: g.mem, maps: [...g.maps] });
  mkdirSync(FAILURE_DIR, { recursive: true });
  const file = path.join(FAILURE_DIR, `${c.name}.data`);
  writeFileSync(file, toReplayData(c, { comments: [`target ${t.name}, fast-check seed ${SEED}`, why], ...(ref.kind === "exit" ? { result: ref.r0 } : {}) }));
  return file;
}

describe(`JIT properties on every 32-bit target (seed ${SEED}, ${RUNS} programs per target)`, () => {
  console.log(`[jit-properties] fast-check seed ${SEED} (replay: FC_SEED=${SEED})`);
  it.each(TARGETS.map((t) => [t.name, t] as const))("%s: random valid programs give the reference's results", (_n, t) => {
    const arb = arbValidProgram({ maxSnippets: 10, maxSubprograms: 2 });
    const result = fc.check(fc.property(arb, (g) => runJitCase(generatedCase(g, "generated"), t).kind === "pass"), { seed: SEED, numRuns: RUNS });
    if (result.failed && result.counterexample) {
      const [g] = result.counterexample;
      const v = runJitCase(generatedCase(g, "generated"), t);
      const why = `${v.kind}: ${verdictReason(v)}`;
      const file = writeFailure(g, t, why);
      expect.fail(`seed ${SEED} (FC_SEED=${SEED}), shrunk after ${result.numShrinks} steps: ${why}\nreplay: npx bpf-mips run ${file} --target ${t.name}\n${"listing" in v && v.listing ? v.listing : ""}`);
    }
    expect(result.failed).toBe(false);
  });
});
