// Random programs (fast-check, seeds printed by fast-check on failure): straight-line mixes of every ALU
// operation on random registers R0–R9 (so any register may alias any other and the temporaries' neighbours),
// stack stores/loads and forward jumps, compared with the reference on a rotating 32-bit target.
import { describe, it, expect } from "vitest";
import fc from "fast-check";
import type { Insn } from "../src/ebpf/insn";
import { insn } from "../src/ebpf/insn";
import { TARGETS32, targetName, runBoth, describe2, EDGE64, EDGE_IMM } from "./test-kit";

const ALU_OPS = [0x00, 0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0x80, 0x90, 0xa0, 0xb0, 0xc0];
const JMP_OPS = [0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0xa0, 0xb0, 0xc0, 0xd0];

const reg = fc.integer({ min: 0, max: 9 });
const imm = fc.oneof(fc.constantFrom(...EDGE_IMM), fc.integer({ min: -0x80000000, max: 0x7fffffff }));
const val = fc.oneof(fc.constantFrom(...EDGE64), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }));

const step = fc.oneof(
  fc.record({ k: fc.constant("alu" as const), cls: fc.constantFrom(0x04, 0x07), op: fc.constantFrom(...ALU_OPS), x: fc.boolean(), sdiv: fc.boolean(), d: reg, s: reg, imm }),
  fc.record({ k: fc.constant("jmp" as const), cls: fc.constantFrom(0x05, 0x06), op: fc.constantFrom(...JMP_OPS), x: fc.boolean(), d: reg, s: reg, imm, skip: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ k: fc.constant("mem" as const), d: reg, slot: fc.integer({ min: 1, max: 8 }), size: fc.constantFrom(0x00, 0x08, 0x10, 0x18) }),
);

function build(init: bigint[], steps: unknown[]): Insn[] {
  const p: Insn[] = [];
  init.forEach((v, r) => p.push(insn(0x18, r, 0, 0, Number(BigInt.asIntN(32, v & 0xffffffffn))), insn(0, 0, 0, 0, Number(BigInt.asIntN(32, v >> 32n)))));
  const body: Insn[][] = [];
  for (const s of steps as { k: string; [x: string]: number | boolean | string }[]) {
    if (s.k === "alu") {
      const op = s.op as number;
      const neg = op === 0x80;
      const off = (op === 0x30 || op === 0x90) && s.sdiv ? 1 : 0;
      let im = s.imm as number;
      if (!s.x && (op === 0x60 || op === 0x70 || op === 0xc0)) im &= (s.cls === 0x07 ? 63 : 31); // verifier: in-range constant shifts
      body.push([neg ? insn((s.cls as number) | op, s.d as number) : insn((s.cls as number) | op | (s.x ? 8 : 0), s.d as number, s.x ? (s.s as number) : 0, off, s.x ? 0 : im)]);
    } else if (s.k === "jmp") {
      body.push([insn((s.cls as number) | (s.op as number) | (s.x ? 8 : 0), s.d as number, s.x ? (s.s as number) : 0, -1 /* patched */, s.x ? 0 : (s.imm as number)), { skip: s.skip } as unknown as Insn]);
    } else {
      const size = s.size as number;
      body.push([insn(0x63 | size, 10, s.d as number, -8 * (s.slot as number), 0), insn(0x61 | size, s.d as number, 10, -8 * (s.slot as number), 0)]);
    }
  }
  // Lay out, resolving each jump to skip `skip` following steps (forward only, within the program).
  const starts: number[] = [];
  let n = p.length;
  for (const b of body) { starts.push(n); n += b.filter((x) => !("skip" in x)).length; }
  starts.push(n);
  body.forEach((b, i) => {
    for (const x of b) {
      if ("skip" in x) continue;
      if (x.off === -1 && ((x.opcode & 7) === 5 || (x.opcode & 7) === 6)) {
        const skip = (b[1] as unknown as { skip: number }).skip;
        const target = starts[Math.min(i + 1 + skip, body.length)]!;
        p.push({ ...x, off: target - (starts[i]! + 1) });
      } else p.push(x);
    }
  });
  p.push(insn(0xbf, 0, 0, 0, 0), insn(0x95));
  return p;
}

describe("random programs agree with the reference", () => {
  it("straight-line ALU/memory mixes with forward jumps, any register aliasing, on rotating targets", () => {
    let k = 0, ran = 0;
    fc.assert(
      fc.property(fc.array(val, { minLength: 10, maxLength: 10 }), fc.array(step, { minLength: 1, maxLength: 40 }), (init, steps) => {
        const prog = build(init, steps);
        const t = TARGETS32[k++ % TARGETS32.length]!;
        const b = runBoth(prog, t);
        if (b.ref.kind !== "exit") { if (process.env.JIT_DEBUG) console.log(b.ref.message); return true; }
        ran++;
        expect(b.nat.outcome.kind, `${targetName(t)} ${describe2(b)}`).toBe("exit");
        expect(b.nat.r0, `${targetName(t)} ${describe2(b)}`).toBe(b.ref.r0);
        return true;
      }),
      { numRuns: 1000, seed: Number(process.env.JIT_SEED ?? 0x5eed) },
    );
    expect(ran).toBeGreaterThan(900); // the generator makes programs the reference runs to the end
  });
});
