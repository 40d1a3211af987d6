// JMP/JMP32 every condition (K and X, incl. dst == src) and loads/stores of every size at aligned and
// misaligned addresses (context and stack), plus atomics W/DW, on every 32-bit target, against the reference.
import { describe, it, expect } from "vitest";
import type { Insn, Program } from "../src/ebpf/insn";
import { BPF_ALU64, BPF_DW, BPF_EXIT, BPF_JMP, BPF_JMP32, BPF_K, BPF_MEM, BPF_STX, BPF_X, insn } from "../src/ebpf/insn";
import { TARGETS32, targetName, runBoth, EDGE64, EDGE_IMM, stackSlot, diffSlots, describe2 } from "./test-kit";
import type { Target } from "./test-kit";

const lddw = (r: number, v: bigint): Insn[] => [
  insn(0x18, r, 0, 0, Number(BigInt.asIntN(32, v & 0xffffffffn))),
  insn(0, 0, 0, 0, Number(BigInt.asIntN(32, v >> 32n))),
];
const mov = (r: number, imm: number): Insn => insn(BPF_ALU64 | 0xb0 | BPF_K, r, 0, 0, imm);
const store = (k: number, r = 3): Insn => insn(BPF_STX | BPF_MEM | BPF_DW, 10, r, stackSlot(k), 0);
const exit: Insn[] = [mov(0, 7), insn(BPF_JMP | BPF_EXIT)];
const CONDS = [0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0xa0, 0xb0, 0xc0, 0xd0];
const NAMES: Record<number, string> = { 0x10: "jeq", 0x20: "jgt", 0x30: "jge", 0x40: "jset", 0x50: "jne", 0x60: "jsgt", 0x70: "jsge", 0xa0: "jlt", 0xb0: "jle", 0xc0: "jslt", 0xd0: "jsle" };

function batches<T>(xs: T[], n = 60): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

function check(prog: Program, label: (k: number) => string, targets: Target[] = TARGETS32, mem = new Uint8Array(0)): string[] {
  const fails: string[] = [];
  for (const t of targets) {
    const b = runBoth(prog, t, mem);
    if (b.nat.outcome.kind !== "exit" || b.ref.kind !== "exit" || b.nat.r0 !== b.ref.r0) { fails.push(`${targetName(t)}: ${describe2(b)}`); continue; }
    for (const k of diffSlots(b)) fails.push(`${targetName(t)}: ${label(k)}`);
    if (mem.length && Buffer.compare(Buffer.from(b.nat.ctx), Buffer.from(b.ref.regions.find((r) => r.name === "ctx")!.bytes)) !== 0) fails.push(`${targetName(t)}: ctx differs`);
  }
  return fails;
}

describe("jumps on every 32-bit target take the reference's decision", () => {
  for (const cls of [BPF_JMP, BPF_JMP32]) {
    for (const c of CONDS) {
      const name = NAMES[c]! + (cls === BPF_JMP32 ? "32" : "");
      it(`${name} X and K on edge values (dst == src included) decide as the reference`, () => {
        const cases: { a: bigint; b: bigint; imm?: number; same?: boolean }[] = [];
        for (const a of EDGE64) for (const b of EDGE64.filter((_, j) => j % 3 === 0)) cases.push({ a, b });
        for (const a of EDGE64) for (const imm of EDGE_IMM) cases.push({ a, b: 0n, imm });
        for (const a of EDGE64.slice(0, 6)) cases.push({ a, b: a, same: true });
        const fails: string[] = [];
        for (const batch of batches(cases)) {
          const p: Insn[] = [];
          batch.forEach((x, k) => {
            p.push(...lddw(1, x.a), ...lddw(2, x.b), mov(3, 1));
            if (x.imm !== undefined) p.push(insn(cls | c | BPF_K, 1, 0, 1, x.imm));
            else p.push(insn(cls | c | BPF_X, 1, x.same ? 1 : 2, 1, 0));
            p.push(mov(3, 0), store(k));
          });
          p.push(...exit);
          fails.push(...check(p, (k) => { const x = batch[k]!; return `a=0x${x.a.toString(16)} ${x.imm !== undefined ? `imm=${x.imm}` : `b=0x${x.b.toString(16)}`}`; }));
        }
        expect(fails, fails.slice(0, 10).join("\n")).toEqual([]);
      });
    }
  }
});

describe("memory access on every 32-bit target matches the reference", () => {
  const mem = Uint8Array.from({ length: 40 }, (_, i) => (i * 37 + 11) & 0xff);
  it("LDX / LDXSX of every size at every byte offset of the context (misaligned included)", () => {
    const fails: string[] = [];
    const loads: [number, number][] = [];
    for (const op of [0x61, 0x69, 0x71, 0x79, 0x81, 0x89, 0x91]) for (let off = 0; off <= 24; off += 1) loads.push([op, off]);
    for (const batch of batches(loads)) {
      const p: Insn[] = [];
      batch.forEach(([op, off], k) => p.push(insn(op, 3, 1, off, 0), store(k)));
      p.push(...exit);
      fails.push(...check(p, (k) => `op=0x${batch[k]![0].toString(16)} off=${batch[k]![1]}`, TARGETS32, mem));
    }
    expect(fails, fails.slice(0, 10).join("\n")).toEqual([]);
  });
  it("ST / STX of every size at every byte offset of the context and the stack, then read back", () => {
    const fails: string[] = [];
    const cases: [number, number, number][] = [];
    for (const op of [0x62, 0x6a, 0x72, 0x7a, 0x63, 0x6b, 0x73, 0x7b]) for (let off = 0; off <= 24; off += 3) cases.push([op, off, 1], [op, -64 - off, 10]);
    for (const batch of batches(cases, 30)) {
      const p: Insn[] = [...lddw(4, 0x8877665544332211n)];
      batch.forEach(([op, off, base], k) => {
        p.push((op & 7) === 2 ? insn(op, base, 0, off, -0x12345679) : insn(op, base, 4, off, 0));
        p.push(insn(0x79, 3, base, base === 10 ? off & ~7 : 0, 0), store(k));
      });
      p.push(...exit);
      fails.push(...check(p, (k) => `op=0x${batch[k]![0].toString(16)} off=${batch[k]![1]} base=r${batch[k]![2]}`, TARGETS32, mem));
    }
    expect(fails, fails.slice(0, 10).join("\n")).toEqual([]);
  });
  const ATOMIC = [0x00, 0x01, 0x40, 0x41, 0x50, 0x51, 0xa0, 0xa1, 0xe1, 0xf1];
  const atomicTargets: Target[] = [
    ...TARGETS32, { level: "mips32r2", le: true, nollsc: true }, { level: "mips2", le: false, nollsc: true },
    { level: "mips32r2", le: false, errata: { r10000: true, loongson3: true } },
  ];
  for (const size of [0xc3, 0xdb]) {
    it(`atomic ${size === 0xc3 ? "W" : "DW"} (every operation, fetch and not) on the stack, ll/sc, nollsc and errata shapes`, () => {
      const fails: string[] = [];
      const cases: [number, bigint, bigint][] = [];
      for (const op of ATOMIC) for (const [a, b] of [[0x7fffffffn, 1n], [0xffffffffffffffffn, 1n], [0x123456789abcdef0n, 0x0f0f0f0f0f0f0f0fn], [5n, 5n]] as [bigint, bigint][]) cases.push([op, a, b]);
      for (const batch of batches(cases, 20)) {
        const p: Insn[] = [];
        batch.forEach(([op, a, b], k) => {
          p.push(...lddw(5, a), insn(0x7b, 10, 5, -256, 0), ...lddw(3, b), ...lddw(0, op === 0xf1 && k % 2 ? a : 0x55n));
          p.push(insn(size, 10, 3, -256, op), insn(0x79, 6, 10, -256, 0), store(k, 6), store(k + 20, 3), store(k + 40, 0));
        });
        p.push(...exit);
        fails.push(...check(p, (k) => `op=0x${batch[k % 20]!.toString()}`, atomicTargets));
      }
      expect(fails, fails.slice(0, 10).join("\n")).toEqual([]);
    });
  }
});
