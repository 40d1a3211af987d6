// Running generated programs on the reference interpreter and comparing two runs the way the harness does
// (src/harness/verdict.ts firstDifference: exit kind, R0 all 64 bits, every writable region, helper calls).
// Shared by property tests that check a program transformation against the original; owns no semantics.
import type { Program } from "../../src/ebpf/insn";
import { defaultLayout, type MemoryLayout } from "../../src/ebpf/layout";
import type { MapDef } from "../../src/ebpf/maps";
import { runReference, type ReferenceResult } from "../../src/reference";
import { firstDifference } from "../../src/harness/verdict";

/** Both address widths and byte orders: a rewrite must be right for every target family. */
export const LAYOUTS: readonly MemoryLayout[] = [defaultLayout(64, true), defaultLayout(32, false), defaultLayout(64, false), defaultLayout(32, true)];

export function runOn(p: Program, mem: Uint8Array, layout: MemoryLayout, maps: readonly MapDef[] = []): ReferenceResult {
  return runReference(p, { layout: { ...layout, ctx: { base: layout.ctx.base, size: mem.length } }, mem, maps });
}

/** The first difference between two runs as one line, or undefined when they observed the same. */
export function runDifference(expected: ReferenceResult, actual: ReferenceResult): string | undefined {
  const d = firstDifference(expected, actual);
  if (d !== undefined) return `${d.what}: ${d.message}`;
  if (actual.kind !== "exit" && actual.message !== expected.message) return `message: ${expected.message} vs ${actual.message}`;
  return undefined;
}
