import { describe, expect, it } from "vitest";
import {
  BPF_ADD, BPF_ARSH, BPF_B, BPF_DIV, BPF_DW, BPF_FETCH, BPF_CMPXCHG, BPF_H, BPF_JEQ, BPF_JNE, BPF_LSH, BPF_MOD,
  BPF_PSEUDO_BTF_ID, BPF_PSEUDO_KFUNC_CALL, BPF_PSEUDO_MAP_FD, BPF_PSEUDO_MAP_VALUE, BPF_RSH, BPF_W, insn,
  type Insn,
} from "../ebpf/insn";
import { InputError } from "../ebpf/errors";
import type { MapDef } from "../ebpf/maps";
import { verifyProgram, type VerifyOptions } from "./check";
import {
  alu32K, alu64K, alu64X, atomic, callHelper, callLocal, exit, gotol, ja, jmp32K, jmpK, jmpX, ldImm64, ldx, mov32K,
  mov64K, mov64X, st, stx, zextReg,
} from "./build";

const prog = (...xs: (Insn | Insn[])[]): Insn[] => xs.flat();

/** The InputError verifyProgram throws, or undefined. */
function rejection(p: Insn[], o?: VerifyOptions): InputError | undefined {
  try {
    verifyProgram(p, o);
    return undefined;
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
}
function expectReject(p: Insn[], re: RegExp, at?: { insn?: number; field?: string }, o?: VerifyOptions): void {
  const e = rejection(p, o);
  expect(e, "program should be rejected").toBeDefined();
  expect(e!.reason).toMatch(re);
  if (at) expect(e!.where).toMatchObject(at);
}

const arrayMap: MapDef = { name: "arr", type: "array", keySize: 4, valueSize: 8, maxEntries: 4 };
const hashMap: MapDef = { name: "h", type: "hash", keySize: 4, valueSize: 8, maxEntries: 4 };

describe("verifyProgram accepts", () => {
  it("a minimal program, R1/R2/R10 defined at entry, loops with a reachable exit", () => {
    expect(rejection(prog(mov64K(0, 0), exit()))).toBeUndefined();
    expect(rejection(prog(mov64X(0, 2), alu64X(BPF_ADD, 0, 1), stx(BPF_DW, 10, 0, -8), exit()))).toBeUndefined();
    // r0 = 10; loop: r0 -= 1; if r0 != 0 goto loop; exit
    expect(rejection(prog(mov64K(0, 10), alu64K(0x10, 0, 1), jmpK(BPF_JNE, 0, 0, -2), exit()))).toBeUndefined();
  });

  it("subprograms whose arguments the caller initialised, and R6–R9 defined by the callee itself", () => {
    const p = prog(mov64K(1, 5), callLocal(2), exit(), exit(), /* sub at 4 */ mov64K(6, 1), alu64X(BPF_ADD, 6, 1), mov64X(0, 6), exit());
    // callLocal at 1 → 1+1+2 = 4; but slot 3 is unreachable dead code in main and is an exit.
    expect(rejection(p)).toBeUndefined();
  });

  it("map references within the program's maps; map values inside the array", () => {
    const p = prog(ldImm64(1, 0, 0, BPF_PSEUDO_MAP_FD), ldImm64(2, 1, 16, BPF_PSEUDO_MAP_VALUE), mov64K(0, 0), exit());
    expect(rejection(p, { maps: [hashMap, arrayMap] })).toBeUndefined();
  });

  it("the zext marker and AX only in rewritten programs", () => {
    const p = prog(mov32K(0, 1), zextReg(0), mov64X(11, 0), exit());
    expect(rejection(p, { rewritten: true })).toBeUndefined();
    expectReject(p, /reserved field/, { insn: 1, field: "imm" });
  });
});

describe("verifyProgram rejects", () => {
  it("an empty program", () => expectReject([], /empty program/));

  it("an unknown opcode, and a known opcode with no variant for its fields", () => {
    expectReject(prog(insn(0xff), exit()), /unknown opcode 0xff/, { insn: 0, field: "opcode" });
    expectReject(prog(mov64K(1, 0), atomic(BPF_W, 10, 1, -8, 0xe0), exit()), /no instruction variant/, { insn: 1 });
  });

  it("register numbers above R10 (AX only in rewritten programs)", () => {
    expectReject(prog(mov64K(11, 0), exit()), /invalid register r11/, { insn: 0, field: "dst" });
    expectReject(prog(mov64K(12, 0), exit()), /invalid register r12/, { insn: 0, field: "dst" }, { rewritten: true });
  });

  it("non-zero reserved fields", () => {
    expectReject(prog(insn(0xb7, 0, 3, 0, 1), exit()), /reserved field must be zero/, { insn: 0, field: "src" });
  });

  it("writes to R10, including a fetching atomic whose src is R10", () => {
    expectReject(prog(mov64K(10, 0), exit()), /R10 .*read-only/, { insn: 0, field: "dst" });
    expectReject(prog(ldx(BPF_DW, 10, 1, 0), exit()), /R10 .*read-only/, { insn: 0 });
    expectReject(prog(st(BPF_DW, 10, -8, 0), atomic(BPF_DW, 10, 10, -8, BPF_ADD | BPF_FETCH), exit()), /R10 .*read-only/, { insn: 1, field: "src" });
  });

  it("division and modulo by an immediate zero (unsigned and signed)", () => {
    expectReject(prog(mov64K(0, 1), alu64K(BPF_DIV, 0, 0), exit()), /division by zero/, { insn: 1, field: "imm" });
    expectReject(prog(mov64K(0, 1), alu32K(BPF_MOD, 0, 0), exit()), /division by zero/, { insn: 1 });
    expectReject(prog(mov64K(0, 1), alu64K(BPF_DIV, 0, 0, 1), exit()), /division by zero/, { insn: 1 });
  });

  it("constant shift amounts ≥ the operand width or negative (Linux 'invalid shift')", () => {
    expect(rejection(prog(mov64K(0, 1), alu64K(BPF_LSH, 0, 63), alu32K(BPF_RSH, 0, 31), exit()))).toBeUndefined();
    expectReject(prog(mov64K(0, 1), alu32K(BPF_LSH, 0, 32), exit()), /invalid shift 32/, { insn: 1, field: "imm" });
    expectReject(prog(mov64K(0, 1), alu64K(BPF_RSH, 0, 64), exit()), /invalid shift 64/);
    expectReject(prog(mov64K(0, 1), alu64K(BPF_ARSH, 0, -1), exit()), /invalid shift -1/);
  });

  it("unknown helper ids and kfunc calls", () => {
    expectReject(prog(callHelper(4242), exit()), /unknown helper id 4242/, { insn: 0, field: "imm" });
    expectReject(prog(insn(0x85, 0, BPF_PSEUDO_KFUNC_CALL, 0, 7), exit()), /kfunc/, { insn: 0, field: "src" });
  });

  it("malformed LD_IMM64: missing or dirty second slot, map out of range, bad value offset, BTF ids", () => {
    expectReject(prog(exit(), ldImm64(0, 1, 2)[0]), /missing its second slot/, { insn: 1 });
    expectReject(prog(ldImm64(0, 1, 2)[0], insn(0, 1, 0, 0, 0), exit()), /second slot of LD_IMM64/, { insn: 1 });
    expectReject(prog(ldImm64(1, 1, 0, BPF_PSEUDO_MAP_FD), mov64K(0, 0), exit()), /map reference 1 out of range \(the program has 1 map\)/, { insn: 0, field: "imm" }, { maps: [arrayMap] });
    expectReject(prog(ldImm64(1, 0, 0, BPF_PSEUDO_MAP_FD), mov64K(0, 0), exit()), /out of range \(the program has 0 maps\)/);
    expectReject(prog(ldImm64(1, 0, 32, BPF_PSEUDO_MAP_VALUE), mov64K(0, 0), exit()), /map value offset 32/, { insn: 1, field: "imm" }, { maps: [arrayMap] });
    expectReject(prog(ldImm64(1, 0, 0, BPF_PSEUDO_MAP_VALUE), mov64K(0, 0), exit()), /not one contiguous region/, { insn: 0 }, { maps: [hashMap] });
    expectReject(prog(ldImm64(1, 0, 0, BPF_PSEUDO_BTF_ID), mov64K(0, 0), exit()), /BTF/, { insn: 0, field: "src" });
  });

  it("stack accesses through R10 outside [-512, 0) or misaligned", () => {
    expect(rejection(prog(st(BPF_DW, 10, -512, 1), st(BPF_B, 10, -1, 1), mov64K(0, 0), exit()))).toBeUndefined();
    expectReject(prog(st(BPF_DW, 10, -520, 1), mov64K(0, 0), exit()), /outside the 512-byte stack/, { insn: 0, field: "off" });
    expectReject(prog(st(BPF_W, 10, -2, 1), mov64K(0, 0), exit()), /outside the 512-byte stack/);
    expectReject(prog(ldx(BPF_DW, 0, 10, 8), exit()), /outside/);
    expectReject(prog(st(BPF_H, 10, -3, 1), mov64K(0, 0), exit()), /misaligned stack access/, { insn: 0, field: "off" });
  });

  it("jumps outside the program, into LD_IMM64's second slot, or out of their subprogram", () => {
    expectReject(prog(ja(5), exit()), /jump target 6 is outside/, { insn: 0, field: "off" });
    expectReject(prog(gotol(-3), exit()), /jump target -2 is outside/, { insn: 0, field: "imm" });
    expectReject(prog(ja(1), ldImm64(0, 1, 2), exit()), /second slot of LD_IMM64/, { insn: 0 });
    const crossing = prog(callLocal(2), ja(2), exit(), /* sub at 3 */ mov64K(0, 0), exit());
    expectReject(crossing, /leaves the subprogram at 0..2/, { insn: 1, field: "off" });
  });

  it("control falling through past the end of the program or of a subprogram", () => {
    expectReject(prog(mov64K(0, 0)), /falls through past the end of the program/, { insn: 0 });
    expectReject(prog(mov64K(0, 0), jmpK(BPF_JEQ, 0, 0, -2)), /falls through/, { insn: 1 });
    expectReject(prog(callLocal(1), exit(), mov64K(0, 0), callLocal(-4 + 3), mov64K(0, 1)), /falls through past the end of the subprogram at 2/);
  });

  it("bad call targets, recursion and calls deeper than 8 frames", () => {
    expectReject(prog(callLocal(9), exit()), /call target 10 is outside/, { insn: 0, field: "imm" });
    expectReject(prog(callLocal(-1), exit()), /recursion/);
    // main → A → A
    expectReject(prog(callLocal(1), exit(), callLocal(-1), exit()), /recursive call/, { insn: 2 });
    // A chain of calls: main calls s1, s1 calls s2, … ; depth(frames) = k + 1.
    const chain = (k: number): Insn[] => {
      const out: Insn[] = [];
      for (let i = 0; i < k; i++) out.push(callLocal(1), exit());
      out.push(mov64K(0, 0), exit());
      return out;
    };
    expect(rejection(chain(7))).toBeUndefined();
    expectReject(chain(8), /call depth exceeds 8 frames/, { insn: 14 });
  });

  it("registers read before initialisation on some path", () => {
    expectReject(prog(mov64X(0, 3), exit()), /R3 is read before it is initialised/, { insn: 0, field: "src" });
    // r0 set only when r1 == 0.
    expectReject(prog(jmpK(BPF_JNE, 1, 0, 1), mov64K(0, 1), exit()), /R0 is not initialised at exit/, { insn: 2 });
    // R1–R5 are clobbered by a helper call.
    expectReject(prog(callHelper(5), mov64X(0, 1), exit()), /R1 is read before/, { insn: 1 });
    // A helper's arguments must be initialised (test_mix5 takes five).
    expectReject(prog(mov64K(3, 0), mov64K(4, 0), callHelper(0x1000), exit()), /argument R5 of helper test_mix5/, { insn: 2 });
    // A callee sees R1–R5 as its callers initialised them, never R6–R9.
    expectReject(prog(callLocal(1), exit(), mov64X(0, 6), exit()), /R6 is read before/, { insn: 2 });
    expectReject(prog(callLocal(1), exit(), mov64X(0, 3), exit()), /R3 is read before/, { insn: 2 });
    expectReject(prog(jmp32K(BPF_JEQ, 7, 0, 0), mov64K(0, 0), exit()), /R7 is read before/, { insn: 0, field: "dst" });
    expectReject(prog(mov64K(0, 0), atomic(BPF_W, 10, 4, -8, BPF_CMPXCHG), exit()), /R4 is read before/, { insn: 1, field: "src" });
    expectReject(prog(mov64K(4, 0), atomic(BPF_W, 10, 4, -8, BPF_CMPXCHG), mov64K(0, 0), exit()), /R0 is read before.*implicit/, { insn: 1 });
  });

  it("legacy packet loads define R0 but clobber R1–R5 like the call Linux makes of them", () => {
    expect(rejection(prog(insn(0x30, 0, 0, 0, 1), exit()))).toBeUndefined();
    expectReject(prog(insn(0x30, 0, 0, 0, 1), mov64X(0, 1), exit()), /R1 is read before/, { insn: 1 });
    expectReject(prog(insn(0x50, 0, 4, 0, 1), exit()), /R4 is read before/, { insn: 0, field: "src" });
  });

  it("the entry registers can be chosen (Linux: R1 only)", () => {
    expectReject(prog(mov64X(0, 2), exit()), /R2 is read before/, { insn: 0 }, { entryRegs: [1, 10] });
  });

  it("programs where some reachable instruction can never reach an exit", () => {
    expectReject(prog(ja(-1), exit()), /no exit is reachable in the program/, { insn: 0 });
    expectReject(prog(mov64K(0, 0), jmpK(BPF_JEQ, 1, 0, 1), ja(-1), exit()), /no exit is reachable from here/, { insn: 2 });
    expectReject(prog(jmpX(BPF_JEQ, 1, 1, -1), exit()), /no exit|R0/);
  });
});
