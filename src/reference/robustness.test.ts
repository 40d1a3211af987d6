// The reference interpreter never throws and never reports an internal error, for any slot sequence:
// random bytes and random programs built from the opcode table (so most of them pass validation and
// actually run), on random context contents, in every layout. Seeds are printed by fast-check on failure.
import { describe, expect } from "vitest";
import { test, fc } from "@fast-check/vitest";
import { insn } from "../ebpf/insn";
import type { Insn } from "../ebpf/insn";
import { TABLE, insnFor } from "../ebpf/opcode-table";
import type { MapDef } from "../ebpf/maps";
import { LAYOUTS } from "./test-kit";
import { runReference } from "./interpreter";

const maps: MapDef[] = [
  { name: "arr", type: "array", keySize: 4, valueSize: 16, maxEntries: 4 },
  { name: "h", type: "hash", keySize: 4, valueSize: 8, maxEntries: 4 },
  { name: "jt", type: "prog_array", keySize: 4, valueSize: 4, maxEntries: 2, init: { "0": "t" } },
];
const target = [insn(0x07, 0, 0, 0, 1), insn(0x95)];

const rawSlot = fc.record({
  opcode: fc.integer({ min: 0, max: 255 }),
  dst: fc.integer({ min: 0, max: 15 }),
  src: fc.integer({ min: 0, max: 15 }),
  off: fc.integer({ min: -32768, max: 32767 }),
  imm: fc.integer({ min: -0x80000000, max: 0x7fffffff }),
});

// Table-driven slots: a valid variant with small registers, offsets and immediates biased to edges.
const edgeImm = fc.oneof(fc.constantFrom(0, 1, -1, 2, 3, 16, 32, 64, 0x7fffffff, -0x80000000, 5, 12), fc.integer({ min: -0x80000000, max: 0x7fffffff }));
const tableSlot = fc
  .record({
    e: fc.integer({ min: 0, max: TABLE.length - 1 }),
    dst: fc.integer({ min: 0, max: 10 }),
    src: fc.integer({ min: 0, max: 10 }),
    off: fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom(-8, -16, -512, 8)),
    imm: edgeImm,
  })
  .map(({ e, dst, src, off, imm }): Insn[] => {
    const entry = TABLE[e];
    // Only the fields the variant uses: reserved fields stay zero so most programs pass validation.
    const all = { dst, src, off, imm };
    const i = insnFor(entry, Object.fromEntries(entry.uses.map((f) => [f, all[f]])));
    return entry.shape === "lddw" ? [i, insn(0, 0, 0, 0, 0)] : [i];
  });

function checkNoThrow(prog: Insn[], mem: Uint8Array, li: number): void {
  const layout = LAYOUTS[li][1];
  const res = runReference(prog, { layout, mem, maps, programs: { t: target }, budget: 2000 });
  expect(["exit", "fault", "budget"]).toContain(res.kind);
  expect(res.message ?? "").not.toMatch(/^internal error/);
  if (res.kind === "fault" && !res.invalid) expect(res.message).toMatch(/^insn \d+/);
  expect(res.r0 >= 0n && res.r0 < 1n << 64n).toBe(true);
}

describe("robustness", () => {
  test.prop([fc.array(rawSlot, { minLength: 0, maxLength: 12 }), fc.uint8Array({ maxLength: 16 }), fc.integer({ min: 0, max: 3 })], { numRuns: 400 })(
    "random slot bytes never throw: the result is exit, fault or budget",
    (p, mem, li) => checkNoThrow(p.map((s) => insn(s.opcode, s.dst, s.src, s.off, s.imm)), mem, li),
  );
  test.prop([fc.array(tableSlot, { minLength: 1, maxLength: 16 }), fc.uint8Array({ minLength: 0, maxLength: 32 }), fc.integer({ min: 0, max: 3 })], { numRuns: 600 })(
    "random opcode-table programs never throw and every fault names an instruction",
    (slots, mem, li) => checkNoThrow([...slots.flat(), insn(0x95)], mem, li),
  );
});
