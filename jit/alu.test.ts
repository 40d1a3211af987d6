// ALU32/ALU64 on every 32-bit target, K and X forms, every operation, against the reference interpreter:
// batches of 64 operations on edge values (magnitudes at 0, ±2^15, 2^31, 2^63, …), each result stored to
// its own stack slot so a mismatch names the operands. Also without verifier zext markers (the JIT then
// zero-extends every ALU32 result itself) and with dst == src.
import { describe, it, expect } from "vitest";
import type { Insn, Program } from "../src/ebpf/insn";
import { BPF_ALU, BPF_ALU64, BPF_DW, BPF_EXIT, BPF_JMP, BPF_K, BPF_MEM, BPF_STX, BPF_X, insn } from "../src/ebpf/insn";
import { TARGETS32, targetName, runBoth, EDGE64, EDGE_IMM, stackSlot, diffSlots, describe2 } from "./test-kit";

const lddw = (r: number, v: bigint): Insn[] => [
  insn(0x18, r, 0, 0, Number(BigInt.asIntN(32, v & 0xffffffffn))),
  insn(0, 0, 0, 0, Number(BigInt.asIntN(32, v >> 32n))),
];
const store = (k: number, r = 1): Insn => insn(BPF_STX | BPF_MEM | BPF_DW, 10, r, stackSlot(k), 0);
const exit: Insn[] = [insn(BPF_ALU64 | 0xb0 | BPF_K, 0, 0, 0, 7), insn(BPF_JMP | BPF_EXIT)];

interface Op { name: string; code: number; off?: number; imm?: number; unary?: boolean }
const OPS: Op[] = [
  { name: "add", code: 0x00 }, { name: "sub", code: 0x10 }, { name: "mul", code: 0x20 }, { name: "div", code: 0x30 },
  { name: "sdiv", code: 0x30, off: 1 }, { name: "or", code: 0x40 }, { name: "and", code: 0x50 },
  { name: "lsh", code: 0x60 }, { name: "rsh", code: 0x70 }, { name: "neg", code: 0x80, unary: true },
  { name: "mod", code: 0x90 }, { name: "smod", code: 0x90, off: 1 }, { name: "xor", code: 0xa0 },
  { name: "mov", code: 0xb0 }, { name: "arsh", code: 0xc0 },
];

/** Pairs of (a, b) values: all 64-bit edges against a rotating choice, capped per batch. */
function pairs(): [bigint, bigint][] {
  const out: [bigint, bigint][] = [];
  for (let i = 0; i < EDGE64.length; i++) for (let j = 0; j < EDGE64.length; j++) if ((i * 7 + j * 3) % 4 === 0 || i === j) out.push([EDGE64[i]!, EDGE64[j]!]);
  return out;
}

function batches<T>(xs: T[], n = 60): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

function check(prog: Program, label: (k: number) => string, zext: boolean): string[] {
  const fails: string[] = [];
  for (const t of TARGETS32) {
    const b = runBoth(prog, t, new Uint8Array(0), [], 1, {}, zext);
    if (b.nat.outcome.kind !== "exit" || b.ref.kind !== "exit" || b.nat.r0 !== b.ref.r0) { fails.push(`${targetName(t)}: ${describe2(b)}`); continue; }
    for (const k of diffSlots(b)) fails.push(`${targetName(t)}: ${label(k)}`);
  }
  return fails;
}

describe("ALU on every 32-bit target matches the reference", () => {
  for (const cls of [BPF_ALU64, BPF_ALU]) {
    const w = cls === BPF_ALU64 ? "64" : "32";
    for (const op of OPS) {
      it(`${op.name}${w} X on edge-value register pairs (incl. dst == src) stores the reference's result`, () => {
        const ps = pairs();
        const fails: string[] = [];
        for (const batch of batches(ps)) {
          const p: Insn[] = [];
          batch.forEach(([a, b], k) => {
            p.push(...lddw(1, a), ...lddw(2, b));
            if (op.unary) p.push(insn(cls | op.code | BPF_K, 1, 0, 0, 0));
            else p.push(insn(cls | op.code | BPF_X, 1, k % 9 === 0 ? 1 : 2, op.off ?? 0, 0));
            p.push(store(k));
          });
          p.push(...exit);
          fails.push(...check(p, (k) => `a=0x${batch[k]![0].toString(16)} b=0x${batch[k]![1].toString(16)}${k % 9 === 0 ? " (dst==src)" : ""}`, true));
        }
        expect(fails, fails.slice(0, 10).join("\n")).toEqual([]);
      });
      if (op.unary) continue;
      it(`${op.name}${w} K with every edge immediate stores the reference's result`, () => {
        const cases: [bigint, number][] = [];
        for (const a of EDGE64) for (const imm of EDGE_IMM) cases.push([a, imm]);
        const fails: string[] = [];
        for (const batch of batches(cases)) {
          const p: Insn[] = [];
          batch.forEach(([a, imm], k) => {
            p.push(...lddw(1, a), insn(cls | op.code | BPF_K, 1, 0, op.off ?? 0, imm), store(k));
          });
          p.push(...exit);
          fails.push(...check(p, (k) => `a=0x${batch[k]![0].toString(16)} imm=${batch[k]![1]}`, true));
        }
        expect(fails, fails.slice(0, 10).join("\n")).toEqual([]);
      });
    }
  }
  it("ALU32 results are zero-extended by the JIT itself when the verifier inserted no zext markers", () => {
    const p: Insn[] = [];
    OPS.forEach((op, k) => {
      p.push(...lddw(1, 0xfedcba9876543210n), ...lddw(2, 0x8000000380000005n));
      p.push(op.unary ? insn(BPF_ALU | op.code, 1, 0, 0, 0) : insn(BPF_ALU | op.code | BPF_X, 1, 2, op.off ?? 0, 0));
      p.push(store(k));
    });
    p.push(...exit);
    expect(check(p, (k) => OPS[k]!.name + "32", false)).toEqual([]);
  });
  it("MOVSX 8/16/32 and END/BSWAP 16/32/64 store the reference's result", () => {
    const variants: Insn[] = [
      insn(BPF_ALU64 | 0xb0 | BPF_X, 1, 2, 8, 0), insn(BPF_ALU64 | 0xb0 | BPF_X, 1, 2, 16, 0), insn(BPF_ALU64 | 0xb0 | BPF_X, 1, 2, 32, 0),
      insn(BPF_ALU | 0xb0 | BPF_X, 1, 2, 8, 0), insn(BPF_ALU | 0xb0 | BPF_X, 1, 2, 16, 0),
      ...[16, 32, 64].flatMap((n) => [insn(BPF_ALU | 0xd0, 1, 0, 0, n), insn(BPF_ALU | 0xd8, 1, 0, 0, n), insn(BPF_ALU64 | 0xd0, 1, 0, 0, n)]),
    ];
    const fails: string[] = [];
    for (const batch of batches(EDGE64.flatMap((a) => variants.map((v) => [a, v] as [bigint, Insn])))) {
      const p: Insn[] = [];
      batch.forEach(([a, v], k) => p.push(...lddw(1, a), ...lddw(2, a ^ 0x5a5a5a5a5a5a5a5an), v, store(k)));
      p.push(...exit);
      fails.push(...check(p, (k) => `a=0x${batch[k]![0].toString(16)} op=${JSON.stringify(batch[k]![1])}`, true));
    }
    expect(fails, fails.slice(0, 10).join("\n")).toEqual([]);
  });
});
