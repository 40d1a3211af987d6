import { describe, expect, it } from "vitest";
import { fc, test as fcTest } from "@fast-check/vitest";
import {
  AX, BPF_ADD, BPF_ALU, BPF_ARSH, BPF_B, BPF_DIV, BPF_DW, BPF_H, BPF_JEQ, BPF_JMP, BPF_JMP32, BPF_JSGT,
  BPF_LSH, BPF_MOV, BPF_OR, BPF_W, BPF_X, BPF_XOR, cls, insn, isLdImm64, type Insn, type Program,
} from "../../ebpf/insn";
import { defaultLayout } from "../../ebpf/layout";
import { runReference } from "../../reference";
import {
  alu32K, alu64K, alu64X, callHelper, exit, gotol, ja, jmp32K, jmpK, ldImm64, mov32K, mov64K, mov64X, st, stx, zextReg,
} from "../build";
import { branchTarget } from "../patch";
import { makeRng } from "../rng";
import { blindConstants } from "./blind";

const L = defaultLayout(64, true);
const r0Of = (p: Program): bigint => {
  const r = runReference(p, { layout: L, mem: new Uint8Array(0) });
  expect(r.kind, r.message).toBe("exit");
  return r.r0;
};

describe("blindConstants (bpf_jit_blind_insn)", () => {
  const rnd = makeRng(11)();

  it("ALU64 imm: mov64 AX, imm ^ rnd; xor64 AX, rnd; op64 dst, AX", () => {
    const q = blindConstants([mov64K(0, 1), alu64K(BPF_ADD, 0, 0x12345), exit()], 11);
    // The first rnd goes to the first blinded instruction (mov64 r0, 1).
    expect(q[0]).toEqual(mov64K(AX, rnd ^ 1));
    expect(q[1]).toEqual(alu64K(BPF_XOR, AX, rnd));
    expect(q[2]).toEqual(mov64X(0, AX));
    expect(q[5]).toEqual(alu64X(BPF_ADD, 0, AX));
    expect((q[3].imm ^ q[4].imm) | 0).toBe(0x12345);
  });

  it("ALU32 imm uses mov32/xor32 and keeps SDIV's off = 1 in the register form", () => {
    const q = blindConstants([mov64K(0, 100), alu32K(BPF_DIV, 0, -7, 1), exit()], 3);
    expect(q[3].opcode).toBe(BPF_ALU | BPF_MOV);
    expect(q[4].opcode).toBe(BPF_ALU | BPF_XOR);
    expect(q[5]).toEqual(insn(BPF_ALU | BPF_DIV | BPF_X, 0, AX, 1, 0));
  });

  it("mov imm 0 becomes xor64 dst, dst (no constant at all)", () => {
    expect(blindConstants([mov32K(0, 0), exit()], 1)).toEqual([alu64X(BPF_XOR, 0, 0), exit()]);
  });

  it("shifts, NEG, END, JA, gotol, CALL and EXIT are not blinded", () => {
    const p = [mov64X(0, 1), alu64K(BPF_LSH, 0, 3), alu32K(BPF_ARSH, 0, 1), insn(0x87, 0), insn(0xdc, 0, 0, 0, 16), ja(0), gotol(0), callHelper(5), exit()];
    expect(blindConstants(p, 5)).toEqual(p);
  });

  it("instructions that already use AX (earlier rewrites) are skipped", () => {
    const p = [mov64K(AX, 5), alu64K(BPF_ADD, AX, 1), mov64X(0, AX), exit()];
    expect(blindConstants(p, 5)).toEqual(p);
  });

  it("conditional jumps become register compares that keep their target, forward and backward", () => {
    const p = [mov64K(0, 3), alu64K(0x10, 0, 1), jmpK(BPF_JSGT, 0, 0, -2), jmp32K(BPF_JEQ, 0, 9, 1), mov64K(0, 7), exit()];
    const q = blindConstants(p, 9);
    const jumps = q.flatMap((i, k) => ((cls(i.opcode) === BPF_JMP || cls(i.opcode) === BPF_JMP32) && i.opcode !== 0x95 ? [k] : []));
    expect(jumps.length).toBe(2);
    const [back, fwd] = jumps;
    expect(q[back]).toMatchObject({ opcode: BPF_JMP | BPF_JSGT | BPF_X, dst: 0, src: AX });
    expect(q[branchTarget(q[back], back)!]).toEqual(q[3]); // start of the blinded `sub r0, 1`
    expect(q[fwd]).toMatchObject({ opcode: BPF_JMP32 | BPF_JEQ | BPF_X, src: AX });
    expect(q[branchTarget(q[fwd], fwd)!]).toEqual(exit());
    expect(r0Of(q)).toBe(r0Of(p));
  });

  it("ST imm becomes STX of AX with the same size and offset", () => {
    for (const size of [BPF_B, BPF_H, BPF_W, BPF_DW] as const) {
      const q = blindConstants([st(size, 10, -8, -2), mov64K(0, 0), exit()], 2);
      expect(q[2]).toEqual(stx(size, 10, AX, -8));
    }
  });

  it("LD_IMM64 becomes upper half (4 slots) + lower half (3, or 4 with the zext of AX)", () => {
    const p = [...ldImm64(0, -0x1234_5678, 0x7abc_def0), exit()];
    const q = blindConstants(p, 4);
    expect(q.length).toBe(8);
    expect(q[2]).toEqual(alu64K(BPF_LSH, AX, 32));
    expect(q[3]).toEqual(mov64X(0, AX));
    expect(q[6]).toEqual(alu64X(BPF_OR, 0, AX));
    const z = blindConstants(p, 4, { emitZext: true });
    expect(z.length).toBe(9);
    expect(z[6]).toEqual(zextReg(AX));
    expect(r0Of(q)).toBe(r0Of(p));
    expect(r0Of(z)).toBe(r0Of(p));
    // Map references keep their pseudo form (the address depends on the target's layout).
    const m = [...ldImm64(1, 0, 0, 1), mov64K(0, 0), exit()];
    expect(blindConstants(m, 4).slice(0, 2)).toEqual(m.slice(0, 2));
  });

  it("is deterministic in the seed", () => {
    const p = [mov64K(0, 77), alu32K(BPF_OR, 0, 0x100), exit()];
    expect(blindConstants(p, 42)).toEqual(blindConstants(p, 42));
    expect(blindConstants(p, 42)).not.toEqual(blindConstants(p, 43));
  });

  // No user-controlled immediate survives in an ALU/JMP/ST/LD_IMM64 slot (the point of blinding), except
  // where the kernel leaves it: shift amounts. (A coincidence imm ^ rnd == imm needs rnd == 0: 2^-32.)
  const arbImm = fc.integer({ min: -0x8000_0000, max: 0x7fff_ffff }).filter((x) => x !== 0 && x !== 32); // 32: the LSH AX, 32 of the LD_IMM64 sequence
  fcTest.prop([arbImm, arbImm, fc.integer()])("no blinded immediate appears in the output", (a, b, seed) => {
    const p = [mov64K(0, a), alu32K(BPF_ADD, 0, b), jmpK(BPF_JEQ, 0, a, 0), st(BPF_W, 10, -4, b), ...ldImm64(3, a, b), exit()];
    const q = blindConstants(p, seed);
    for (let k = 0; k < q.length; k++) {
      if (k > 0 && isLdImm64(q[k - 1])) continue;
      expect([a, b]).not.toContain(q[k].imm);
    }
    expect(r0Of(q)).toBe(r0Of(p));
  });

});
