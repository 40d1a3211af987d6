import { describe, expect, it } from "vitest";
import { AX, BPF_CMPXCHG, BPF_DIV, BPF_DW, BPF_JNE, BPF_JMP, BPF_W, BPF_X, type Insn } from "../../ebpf/insn";
import { alu32X, atomic, exit, mov64K, mov64X, stx } from "../build";
import { verifyProgram } from "../check";
import { isZextMarker } from "../operands";
import { pipeline, pipelineDetailed } from "./pipeline";

const count = (p: readonly Insn[], f: (i: Insn) => boolean): number => p.filter(f).length;
const divProg = [mov64K(3, 10), mov64K(4, 0), alu32X(BPF_DIV, 3, 4), stx(BPF_DW, 10, 3, -8), mov64X(0, 3), exit()];

describe("pipeline: Linux order (div fixups → zext/hi32 → blinding)", () => {
  it("without options only the division guards are added", () => {
    const q = pipeline(divProg, { needsZext: false, hardened: false });
    expect(q.length).toBe(divProg.length + 3);
    expect(count(q, isZextMarker)).toBe(0);
    verifyProgram(q, { rewritten: true });
  });

  it("needsZext adds markers after the 32-bit definitions the guard and the program make", () => {
    const q = pipeline(divProg, { needsZext: true, hardened: false });
    // div32 result is spilled with stxdw and returned: its upper half is read.
    const at = q.findIndex((i) => i.opcode === alu32X(BPF_DIV, 3, 4).opcode);
    expect(isZextMarker(q[at + 1])).toBe(true);
    // The guard's xor32 dst, dst (the divide-by-zero result) flows to the same reads: zext-ed too.
    expect(count(q, isZextMarker)).toBe(2);
  });

  it("hardened blinds the guard's own constants too (blinding runs last)", () => {
    const q = pipeline(divProg, { needsZext: false, hardened: true, seed: 1 });
    // The guard's `jne32 r4, 0` has become a register compare against AX.
    expect(q.some((i) => i.opcode === (0x06 | BPF_JNE | BPF_X) && i.src === AX)).toBe(true);
    expect(q.some((i) => i.opcode === (BPF_JMP | BPF_JNE))).toBe(false);
    verifyProgram(q, { rewritten: true });
  });

  it("hardened with needsZext zero-extends AX in the lower half of a blinded LD_IMM64", () => {
    const p = [mov64K(0, 0), { opcode: 0x18, dst: 0, src: 0, off: 0, imm: 5 }, { opcode: 0, dst: 0, src: 0, off: 0, imm: 6 }, exit()];
    const q = pipeline(p, { needsZext: true, hardened: true, seed: 2 });
    expect(q.some((i) => isZextMarker(i) && i.dst === AX)).toBe(true);
    expect(pipeline(p, { needsZext: false, hardened: true, seed: 2 }).some((i) => isZextMarker(i))).toBe(false);
  });

  it("32-bit CMPXCHG gets its R0 zext even when the JIT does not need zexts", () => {
    const p = [mov64K(0, 0), mov64K(1, 1), atomic(BPF_W, 10, 1, -8, BPF_CMPXCHG), exit()];
    const q = pipeline(p, { needsZext: false, hardened: false });
    expect(q.map(isZextMarker)).toEqual([false, false, false, true, false]);
  });

  it("the same seed gives the same program", () => {
    const o = { needsZext: true, hardened: true, rndHi32: true, seed: 99 };
    expect(pipeline(divProg, o)).toEqual(pipeline(divProg, o));
  });
});

describe("pipelineDetailed", () => {
  it("maps every rewritten slot back to the original slot it came from", () => {
    const r = pipelineDetailed(divProg, { needsZext: true, hardened: true, seed: 3 });
    expect(r.program).toEqual(pipeline(divProg, { needsZext: true, hardened: true, seed: 3 }));
    expect(r.origin.length).toBe(r.program.length);
    // Monotone, starts at 0, ends at the original EXIT, and every original slot is represented.
    for (let j = 1; j < r.origin.length; j++) expect(r.origin[j]).toBeGreaterThanOrEqual(r.origin[j - 1]);
    expect([...new Set(r.origin)]).toEqual(divProg.map((_, k) => k));
    // The division (original slot 2) owns the guard, the div itself and its zext.
    const divSlots = [...r.origin].flatMap((o, j) => (o === 2 ? [j] : []));
    expect(divSlots.some((j) => r.program[j].opcode === alu32X(BPF_DIV, 3, 4).opcode)).toBe(true);
    expect(divSlots.some((j) => isZextMarker(r.program[j]) && r.program[j].dst === 3)).toBe(true);
    expect(r.program[r.origin.length - 1]).toEqual(exit());
  });
});
