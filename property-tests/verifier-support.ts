// Shared by the verifier property tests: run a program on the reference interpreter and compare two runs on
// everything the harness compares (exit kind, R0 all 64 bits, every writable region, helper calls).
// Owns nothing but the comparison used by property-tests/verifier-*.test.ts.
import { expect } from "vitest";
import type { Program } from "../src/ebpf/insn";
import { defaultLayout, type MemoryLayout } from "../src/ebpf/layout";
import { runReference, type ReferenceResult } from "../src/reference";

export const LAYOUTS: readonly MemoryLayout[] = [defaultLayout(64, true), defaultLayout(32, false), defaultLayout(64, false), defaultLayout(32, true)];

export function runOn(p: Program, mem: Uint8Array, layout: MemoryLayout): ReferenceResult {
  return runReference(p, { layout: { ...layout, ctx: { base: layout.ctx.base, size: mem.length } }, mem });
}

/** Assert that `b` observed exactly what `a` did. */
export function expectSameRun(a: ReferenceResult, b: ReferenceResult): void {
  expect(b.kind, b.message).toBe(a.kind);
  expect(b.r0.toString(16)).toBe(a.r0.toString(16));
  expect(b.regions.map((r) => r.name)).toEqual(a.regions.map((r) => r.name));
  a.regions.forEach((r, k) => expect(b.regions[k].bytes, `region ${r.name}`).toEqual(r.bytes));
  expect(b.helperCalls.map((c) => [c.id, c.args, c.ret])).toEqual(a.helperCalls.map((c) => [c.id, c.args, c.ret]));
}
