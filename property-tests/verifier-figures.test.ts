// Measured figures for docs/verifier.md (printed; fixed seed so they are reproducible): verifier speed, how
// much each rewrite grows programs, and how many zero-extensions the upper-half liveness saves compared with
// the conservative "zext after every 32-bit definition". The assertions are the facts the figures rely on.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import type { Program } from "../src/ebpf/insn";
import {
  blindConstants, guardDivByReg, insertZext, insnEffects, isZextMarker, pipeline, randomizeHi32, rewriteSdivNegOne,
  verifyProgram,
} from "../src/verifier";
import { arbValidProgram } from "./arbitraries";

const SAMPLES = fc.sample(arbValidProgram(), { numRuns: 500, seed: 20261123 });
const total = (f: (p: Program) => number): number => SAMPLES.reduce((a, g) => a + f(g.program), 0);

describe("verifier figures", () => {
  it("prints verifier speed, rewrite growth and zext savings", () => {
    const slots = total((p) => p.length);
    for (const g of SAMPLES) verifyProgram(g.program, { maps: g.maps }); // warm-up
    const t0 = performance.now();
    for (const g of SAMPLES) verifyProgram(g.program, { maps: g.maps });
    const ms = performance.now() - t0;

    const def32 = total((p) => p.filter((i) => !isZextMarker(i) && (insnEffects(i)?.def32 ?? 0) !== 0).length);
    const zexts = total((p) => insertZext(p).filter(isZextMarker).length);
    expect(zexts).toBeLessThanOrEqual(def32);
    expect(zexts).toBeGreaterThan(0);

    const growth = (f: (p: Program) => Program): string => `${(((total((p) => f(p).length) - slots) / slots) * 100).toFixed(1)}%`;
    const rows: [string, string][] = [
      ["programs / slots", `${SAMPLES.length} / ${slots}`],
      ["verifyProgram (warm)", `${(slots / ms).toFixed(0)} slots/ms (${ms.toFixed(0)} ms)`],
      ["32-bit definitions / zexts inserted", `${def32} / ${zexts} (${((1 - zexts / def32) * 100).toFixed(0)}% saved by liveness)`],
      ["growth guardDivByReg", growth(guardDivByReg)],
      ["growth rewriteSdivNegOne", growth(rewriteSdivNegOne)],
      ["growth insertZext", growth(insertZext)],
      ["growth randomizeHi32", growth((p) => randomizeHi32(p, 1))],
      ["growth blindConstants", growth((p) => blindConstants(p, 1))],
      ["growth pipeline (MIPS: needsZext)", growth((p) => pipeline(p, { needsZext: true, hardened: false }))],
      ["growth pipeline (MIPS hardened)", growth((p) => pipeline(p, { needsZext: true, hardened: true, seed: 1 }))],
    ];
    console.log(rows.map(([k, v]) => `${k.padEnd(40)} ${v}`).join("\n"));
  });
});
