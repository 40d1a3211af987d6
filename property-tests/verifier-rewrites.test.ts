// Each Linux rewrite preserves the program's meaning: reference(original) = reference(rewritten) on R0 (all
// 64 bits), every writable region and the helper-call log, for random valid programs, contexts and
// layouts (ebpf-semantics.md §3: the rewrites must agree with §2 semantics). randomizeHi32 promises the same:
// the bits it randomises are never observed. The last property simulates a JIT that relies on the zext
// markers (upper halves of unmarked 32-bit definitions are garbage) and still demands equal results.
import { describe, expect, it } from "vitest";
import { fc, test as fcTest } from "@fast-check/vitest";
import { AX, BPF_LSH, BPF_OR, type Insn, type Program } from "../src/ebpf/insn";
import {
  blindConstants, expandProgram, guardDivByReg, insertZext, insnEffects, isZextMarker, pipeline, randomizeHi32,
  rewriteSdivNegOne, verifyProgram,
} from "../src/verifier";
import { alu64K, alu64X, mov64K } from "../src/verifier/build";
import { makeRng } from "../src/verifier/rng";
import { arbValidProgram, type GeneratedProgram } from "./arbitraries";
import { LAYOUTS, runDifference, runOn } from "./arbitraries/reference-run";

const RUNS = 150;
const arbCase = fc.record({ gen: arbValidProgram(), layout: fc.constantFrom(...LAYOUTS), seed: fc.integer() });

function checkRewrite(rewrite: (p: Program, seed: number) => Program) {
  return ({ gen, layout, seed }: { gen: GeneratedProgram; layout: (typeof LAYOUTS)[number]; seed: number }): void => {
    const q = rewrite(gen.program, seed);
    verifyProgram(q, { rewritten: true, maps: gen.maps });
    const a = runOn(gen.program, gen.mem, layout, gen.maps);
    expect(a.kind, a.message).toBe("exit");
    expect(runDifference(a, runOn(q, gen.mem, layout, gen.maps))).toBeUndefined();
  };
}

/**
 * A model of a JIT that honours only the verifier's zext markers: after every 32-bit definition that the
 * next instruction does not zero-extend, the upper half becomes random. (AX is left alone: it is the
 * scratch register of this very sequence.)
 */
function poisonUnextended(p: Program, seed: number): Program {
  const rnd = makeRng(seed ^ 0x5bd1e995);
  return expandProgram(p, (i, idx) => {
    const e = insnEffects(i);
    if (e === undefined || e.def32 === 0 || isZextMarker(i)) return undefined;
    const r = 31 - Math.clz32(e.def32);
    if (r === AX) return undefined;
    const nx: Insn | undefined = p[idx + 1];
    if (nx !== undefined && isZextMarker(nx) && nx.dst === r) return undefined;
    return [i, mov64K(AX, rnd()), alu64K(BPF_LSH, AX, 32), alu64X(BPF_OR, r, AX)];
  }).program;
}

describe("rewrites preserve reference semantics on random valid programs", () => {
  fcTest.prop([arbCase], { numRuns: RUNS })("guardDivByReg", checkRewrite((p) => guardDivByReg(p)));
  fcTest.prop([arbCase], { numRuns: RUNS })("rewriteSdivNegOne", checkRewrite((p) => rewriteSdivNegOne(p)));
  fcTest.prop([arbCase], { numRuns: RUNS })("insertZext", checkRewrite((p) => insertZext(p)));
  fcTest.prop([arbCase], { numRuns: RUNS })("randomizeHi32: randomised upper halves are never observed", checkRewrite((p, s) => randomizeHi32(p, s)));
  fcTest.prop([arbCase], { numRuns: RUNS })("blindConstants (with and without zext of AX)", checkRewrite((p, s) => blindConstants(p, s, { emitZext: (s & 1) === 1 })));
  fcTest.prop([arbCase, fc.boolean(), fc.boolean(), fc.boolean()], { numRuns: RUNS })(
    "pipeline, every option combination",
    (c, needsZext, hardened, rndHi32) => checkRewrite((p, s) => pipeline(p, { needsZext, hardened, rndHi32, seed: s }))(c),
  );
  fcTest.prop([arbCase], { numRuns: RUNS })(
    "a JIT that leaves upper halves undefined unless marked still computes the same after insertZext",
    checkRewrite((p, s) => poisonUnextended(insertZext(p), s)),
  );
});

describe("the poisoning model is strong enough to matter", () => {
  // Without the zext markers the same poisoning must break some programs; otherwise the property above
  // would pass vacuously.
  it("without insertZext, poisoning changes the result of some generated programs", () => {
    const samples = fc.sample(arbCase, { numRuns: 200, seed: 1 });
    let broken = 0;
    for (const { gen, layout, seed } of samples) {
      const a = runOn(gen.program, gen.mem, layout, gen.maps);
      const b = runOn(poisonUnextended(gen.program, seed), gen.mem, layout, gen.maps);
      if (runDifference(a, b) !== undefined) broken++;
    }
    expect(broken).toBeGreaterThan(20);
  });
});
