import { describe, expect, it } from "vitest";
import {
  AX, BPF_ADD, BPF_ALU, BPF_ALU64, BPF_DIV, BPF_DW, BPF_JEQ, BPF_JGT, BPF_JMP32, BPF_JNE, BPF_K, BPF_MOD,
  BPF_MOV, BPF_NEG, BPF_XOR, insn, type Insn, type Program,
} from "../../ebpf/insn";
import { defaultLayout } from "../../ebpf/layout";
import { runReference } from "../../reference";
import { alu32K, alu32X, alu64K, alu64X, exit, ja, jmpK, ldImm64, mov32K, mov32X, mov64K, mov64X, stx } from "../build";
import { branchTarget } from "../patch";
import { verifyProgram } from "../check";
import { divFixups, guardDivByReg, rewriteSdivNegOne } from "./div-guards";

const L = defaultLayout(64, true);
const EDGES: readonly bigint[] = [
  0n, 1n, 2n, 3n, 7n, 1n << 32n, 0xffff_ffff_0000_0000n, 0xffff_ffff_ffff_ffffn, 0xffff_ffffn, 0x8000_0000n,
  0xffff_ffff_8000_0000n, 0x8000_0000_0000_0000n, 0x7fff_ffff_ffff_ffffn, 0xffff_ffff_ffff_fff3n, 13n,
];
const lddw = (r: number, v: bigint): Insn[] => ldImm64(r, Number(v & 0xffff_ffffn) | 0, Number(v >> 32n) | 0);

/** r3 = a; r4 = b; <op> r3, r4; spill r3 and r4; r0 = r3; exit — everything the op touches is observable. */
const divProgram = (op: Insn, a: bigint, b: bigint): Insn[] => [
  ...lddw(3, a), ...lddw(4, b), op, stx(BPF_DW, 10, 3, -8), stx(BPF_DW, 10, 4, -16), mov64X(0, 3), exit(),
];
const observe = (p: Program) => {
  const r = runReference(p, { layout: L, mem: new Uint8Array(0) });
  expect(r.kind, r.message).toBe("exit");
  return { r0: r.r0, stack: Array.from(r.regions.find((x) => x.name === "stack0")!.bytes.slice(496)) };
};

const VARIANTS = [BPF_ALU, BPF_ALU64].flatMap((cls) =>
  [BPF_DIV, BPF_MOD].flatMap((op) => [0, 1].map((signed) => ({ cls, op, signed, name: `${cls === BPF_ALU ? "alu32" : "alu64"} ${signed ? "s" : ""}${op === BPF_DIV ? "div" : "mod"}` }))),
);

describe("guardDivByReg: kernel patchlets", () => {
  it("unsigned div by register: jne src, 0, +2; xor32 dst, dst; ja +1; div (JMP32 for ALU32)", () => {
    const d64 = alu64X(BPF_DIV, 3, 4);
    expect(guardDivByReg([d64, exit()])).toEqual([jmpK(BPF_JNE, 4, 0, 2), alu32X(BPF_XOR, 3, 3), ja(1), d64, exit()]);
    const d32 = alu32X(BPF_DIV, 3, 4);
    expect(guardDivByReg([d32, exit()])[0]).toEqual(insn(BPF_JMP32 | BPF_JNE | BPF_K, 4, 0, 2, 0));
  });

  it("unsigned mod by register: ALU64 is jeq src, 0, +1; mod — ALU32 adds ja +1; mov32 dst, dst", () => {
    const m64 = alu64X(BPF_MOD, 3, 4);
    expect(guardDivByReg([m64, exit()])).toEqual([jmpK(BPF_JEQ, 4, 0, 1), m64, exit()]);
    const m32 = alu32X(BPF_MOD, 3, 4);
    expect(guardDivByReg([m32, exit()])).toEqual([insn(BPF_JMP32 | BPF_JEQ | BPF_K, 4, 0, 2, 0), m32, ja(1), mov32X(3, 3), exit()]);
  });

  it("signed div by register: the 8-slot chk_and_sdiv through AX (zero and −1 checks)", () => {
    const s = alu64X(BPF_DIV, 3, 4, 1);
    expect(guardDivByReg([s, exit()])).toEqual([
      mov64X(AX, 4), alu64K(BPF_ADD, AX, 1), jmpK(BPF_JGT, AX, 1, 4), jmpK(BPF_JEQ, AX, 0, 1),
      mov64K(3, 0), insn(BPF_ALU64 | BPF_NEG, 3), ja(1), s, exit(),
    ]);
  });

  it("signed mod by register: chk_and_smod is 7 slots for ALU64 and 9 for ALU32", () => {
    const s64 = alu64X(BPF_MOD, 3, 4, 1);
    expect(guardDivByReg([s64, exit()])).toEqual([
      mov64X(AX, 4), alu64K(BPF_ADD, AX, 1), jmpK(BPF_JGT, AX, 1, 3), jmpK(BPF_JEQ, AX, 1, 3), mov32K(3, 0), ja(1), s64, exit(),
    ]);
    const s32 = alu32X(BPF_MOD, 3, 4, 1);
    const q = guardDivByReg([s32, exit()]);
    expect(q.length).toBe(10);
    expect(q[3]).toEqual(insn(BPF_JMP32 | BPF_JEQ | BPF_K, AX, 0, 4, 1));
    expect(q.slice(6, 9)).toEqual([s32, ja(1), mov32X(3, 3)]);
  });

  it("division by an immediate is left alone", () => {
    const p = [mov64K(0, 9), alu64K(BPF_DIV, 0, 3), alu32K(BPF_MOD, 0, 5), alu64K(BPF_DIV, 0, 7, 1), exit()];
    expect(guardDivByReg(p)).toEqual(p);
  });

  it("a jump over a guarded division still lands on the instruction after it", () => {
    const p = [mov64K(3, 1), mov64K(4, 0), jmpK(BPF_JEQ, 3, 1, 1), alu64X(BPF_DIV, 3, 4), mov64X(0, 3), exit()];
    const q = guardDivByReg(p);
    expect(q.length).toBe(p.length + 3);
    expect(q[branchTarget(q[2], 2)!]).toEqual(mov64X(0, 3));
    verifyProgram(q, { rewritten: true });
  });

  for (const v of VARIANTS) {
    it(`${v.name} by register: guarded program equals the RFC result for every edge dividend and divisor`, () => {
      const op = insn(v.cls | v.op | 0x08, 3, 4, v.signed, 0);
      for (const a of EDGES) for (const b of EDGES) {
        const p = divProgram(op, a, b);
        expect(observe(guardDivByReg(p)), `${a.toString(16)} / ${b.toString(16)}`).toEqual(observe(p));
      }
    });
  }
});

describe("rewriteSdivNegOne", () => {
  it("sdiv by immediate −1 becomes neg (ALU64 and ALU32); smod by −1 becomes mov32 dst, 0", () => {
    expect(rewriteSdivNegOne([alu64K(BPF_DIV, 3, -1, 1), exit()])).toEqual([insn(BPF_ALU64 | BPF_NEG, 3), exit()]);
    expect(rewriteSdivNegOne([alu32K(BPF_DIV, 3, -1, 1), exit()])).toEqual([insn(BPF_ALU | BPF_NEG, 3), exit()]);
    expect(rewriteSdivNegOne([alu64K(BPF_MOD, 3, -1, 1), exit()])).toEqual([mov32K(3, 0), exit()]);
    expect(rewriteSdivNegOne([alu32K(BPF_MOD, 3, -1, 1), exit()])).toEqual([insn(BPF_ALU | BPF_MOV, 3), exit()]);
  });

  it("unsigned div by immediate −1 (divides by 2^64−1) and sdiv by other immediates are untouched", () => {
    const p = [mov64K(3, 5), alu64K(BPF_DIV, 3, -1), alu64K(BPF_DIV, 3, -2, 1), mov64X(0, 3), exit()];
    expect(rewriteSdivNegOne(p)).toEqual(p);
  });

  it("unsigned division by register is untouched; signed division by register gets the runtime −1 check", () => {
    const p = [alu64X(BPF_DIV, 3, 4), exit()];
    expect(rewriteSdivNegOne(p)).toEqual(p);
    expect(rewriteSdivNegOne([alu64X(BPF_DIV, 3, 4, 1), exit()]).length).toBe(9);
  });

  for (const cls of [BPF_ALU, BPF_ALU64]) {
    for (const op of [BPF_DIV, BPF_MOD]) {
      it(`${cls === BPF_ALU ? "32" : "64"}-bit s${op === BPF_DIV ? "div" : "mod"} by immediate −1: rewritten result equals the RFC result for edge dividends`, () => {
        for (const a of EDGES) {
          const p = divProgram(insn(cls | op | BPF_K, 3, 0, 1, -1), a, 0n);
          const q = rewriteSdivNegOne(p);
          expect(q.length).toBe(p.length);
          expect(observe(q), a.toString(16)).toEqual(observe(p));
        }
      });
    }
  }

  it("divFixups applies both rewrites in one pass (kernel do_misc_fixups)", () => {
    const p = [mov64K(3, 5), mov64K(4, 0), alu64K(BPF_DIV, 3, -1, 1), alu64X(BPF_MOD, 3, 4), mov64X(0, 3), exit()];
    const q = divFixups(p);
    expect(q).toEqual([mov64K(3, 5), mov64K(4, 0), insn(BPF_ALU64 | BPF_NEG, 3), jmpK(BPF_JEQ, 4, 0, 1), alu64X(BPF_MOD, 3, 4), mov64X(0, 3), exit()]);
  });
});
