import { describe, expect, it } from "vitest";
import {
  AX, BPF_ADD, BPF_CMPXCHG, BPF_DW, BPF_JEQ, BPF_LSH, BPF_OR, BPF_W, type Insn,
} from "../../ebpf/insn";
import {
  alu32K, alu32X, alu64K, alu64X, atomic, callHelper, callLocal, exit, jmp32K, jmpK, ldx, mov32K, mov64K, mov64X, stx,
  zextReg,
} from "../build";
import { branchTarget } from "../patch";
import { insertZext, randomizeHi32, zextAndRndHi32 } from "./zext";

const zextsIn = (p: readonly Insn[]): number[] => p.flatMap((i, k) => (i.opcode === 0xbc && i.imm === 1 ? [k] : []));

describe("insertZext: a zext marker after each 32-bit definition whose upper half may be read", () => {
  it("after add32 whose result is spilled with stxdw (a 64-bit read)", () => {
    const p = [mov64K(3, 1), alu32K(BPF_ADD, 3, 5), stx(BPF_DW, 10, 3, -8), mov64K(0, 0), exit()];
    expect(insertZext(p)).toEqual([mov64K(3, 1), alu32K(BPF_ADD, 3, 5), zextReg(3), stx(BPF_DW, 10, 3, -8), mov64K(0, 0), exit()]);
  });

  it("not after add32 whose result is only used by 32-bit operations (stxw, jmp32, alu32)", () => {
    const p = [mov64K(3, 1), alu32K(BPF_ADD, 3, 5), stx(BPF_W, 10, 3, -8), jmp32K(BPF_JEQ, 3, 0, 0), alu32X(BPF_ADD, 3, 3), mov64K(0, 0), exit()];
    // The last add32 is dead entirely (r3 never read again): no zext either.
    expect(insertZext(p)).toEqual(p);
  });

  it("not when a 64-bit definition overwrites the register before any 64-bit read", () => {
    const p = [mov32K(3, 1), mov64K(3, 2), mov64X(0, 3), exit()];
    expect(zextsIn(insertZext(p))).toEqual([]);
  });

  it("R0 defined by mov32 and returned by exit (EXIT reads all 64 bits)", () => {
    expect(insertZext([mov32K(0, -1), exit()])).toEqual([mov32K(0, -1), zextReg(0), exit()]);
  });

  it("after zero-extending loads ldxw/ldxh/ldxb only, not after ldxdw", () => {
    const p = [ldx(BPF_W, 3, 10, -8), ldx(BPF_DW, 4, 10, -8), alu64X(BPF_ADD, 3, 4), mov64X(0, 3), exit()];
    expect(zextsIn(insertZext(p))).toEqual([1]);
  });

  it("when the upper half is read on only one of two paths", () => {
    const p = [mov32K(3, 7), jmpK(BPF_JEQ, 1, 0, 2), mov64X(0, 3), exit(), mov64K(0, 0), exit()];
    expect(zextsIn(insertZext(p))).toEqual([1]);
  });

  it("before helper calls for the helper's arguments, and conservatively for all of R1–R5 at a local call", () => {
    const helper = [mov32K(1, 1), mov32K(3, 2), callHelper(5 /* ktime: no args */), exit()];
    expect(zextsIn(insertZext(helper))).toEqual([]);
    const mix = [mov32K(1, 1), mov32K(2, 2), mov32K(3, 3), mov32K(4, 4), mov32K(5, 5), callHelper(0x1000), exit()];
    expect(zextsIn(insertZext(mix))).toEqual([1, 3, 5, 7, 9]);
    const local = [mov32K(3, 2), callLocal(1), exit(), mov64K(0, 0), exit()];
    expect(zextsIn(insertZext(local))).toEqual([1]);
  });

  it("R0 after 32-bit CMPXCHG even for JITs that do not need zexts (Linux: always)", () => {
    const p = [mov64K(0, 0), mov64K(3, 1), stx(BPF_DW, 10, 3, -8), atomic(BPF_W, 10, 3, -8, BPF_CMPXCHG), exit()];
    const q = zextAndRndHi32(p, { needsZext: false, rndHi32: false });
    expect(q.slice(3, 5)).toEqual([atomic(BPF_W, 10, 3, -8, BPF_CMPXCHG), zextReg(0)]);
    const add32 = [mov32K(0, 1), exit()];
    expect(zextAndRndHi32(add32, { needsZext: false, rndHi32: false })).toEqual(add32);
  });

  it("a jump to the instruction after the definition lands after the inserted zext", () => {
    const p = [mov64K(0, 0), jmpK(BPF_JEQ, 1, 0, 1), mov32K(0, 3), exit()];
    const q = insertZext(p);
    expect(q).toEqual([mov64K(0, 0), jmpK(BPF_JEQ, 1, 0, 2), mov32K(0, 3), zextReg(0), exit()]);
    expect(branchTarget(q[1], 1)).toBe(4);
  });

  it("existing zext markers are not extended again", () => {
    const p = [mov32K(0, 3), zextReg(0), exit()];
    expect(insertZext(p)).toEqual(p);
  });
});

describe("randomizeHi32 (BPF_F_TEST_RND_HI32)", () => {
  const dead = [mov64K(3, 1), alu32K(BPF_ADD, 3, 5), stx(BPF_W, 10, 3, -8), mov64K(0, 0), exit()];

  it("fills a dead upper half through AX: insn; mov64 AX, rnd; lsh64 AX, 32; or64 rX, AX", () => {
    const q = randomizeHi32(dead, 1);
    expect(q.length).toBe(dead.length + 3);
    expect(q[1]).toEqual(alu32K(BPF_ADD, 3, 5));
    expect(q[2].opcode).toBe(0xb7);
    expect(q[2].dst).toBe(AX);
    expect(q.slice(3, 5)).toEqual([alu64K(BPF_LSH, AX, 32), alu64X(BPF_OR, 3, AX)]);
  });

  it("is deterministic in the seed and differs between seeds", () => {
    expect(randomizeHi32(dead, 7)).toEqual(randomizeHi32(dead, 7));
    expect(randomizeHi32(dead, 7)[2].imm).not.toBe(randomizeHi32(dead, 8)[2].imm);
  });

  it("leaves live upper halves alone (and inserts nothing for 64-bit definitions)", () => {
    const live = [mov64K(3, 1), alu32K(BPF_ADD, 3, 5), stx(BPF_DW, 10, 3, -8), mov64K(0, 0), exit()];
    expect(randomizeHi32(live, 3)).toEqual(live);
  });

  it("combined with needsZext: live halves get zexts, dead halves random bits", () => {
    const p = [mov32K(3, 1), mov32K(4, 2), stx(BPF_DW, 10, 3, -8), stx(BPF_W, 10, 4, -16), mov64K(0, 0), exit()];
    const q = zextAndRndHi32(p, { needsZext: true, rndHi32: true });
    expect(q[1]).toEqual(zextReg(3));
    expect(q.slice(4, 6)).toEqual([alu64K(BPF_LSH, AX, 32), alu64X(BPF_OR, 4, AX)]);
  });
});
