import { describe, expect, it } from "vitest";
import { BPF_ADD, BPF_DW, BPF_JEQ, BPF_SUB, BPF_W, type Insn } from "../ebpf/insn";
import { InputError } from "../ebpf/errors";
import { verifyProgram, type VerifyOptions } from "./check";
import { alu64K, atomic, callLocal, exit, ja, jmpK, ldx, mov64K, mov64X, st, stx } from "./build";

function reason(p: Insn[], o?: VerifyOptions): string | undefined {
  try {
    verifyProgram(p, o);
    return undefined;
  } catch (e) {
    if (e instanceof InputError) return `${e.where.insn}: ${e.reason}`;
    throw e;
  }
}

describe("stack bytes must be written on every path before R10-based reads", () => {
  it("a load from a never-written slot is rejected at the load", () => {
    expect(reason([ldx(BPF_DW, 0, 10, -8), exit()])).toMatch(/^0: read of stack bytes \[R10-8, \+8\) that are not written/);
  });

  it("a load after a store of the same bytes is accepted, also when written in two halves", () => {
    expect(reason([st(BPF_DW, 10, -8, 1), ldx(BPF_DW, 0, 10, -8), exit()])).toBeUndefined();
    expect(reason([st(BPF_W, 10, -8, 1), st(BPF_W, 10, -4, 2), ldx(BPF_DW, 0, 10, -8), exit()])).toBeUndefined();
  });

  it("partially written bytes are rejected", () => {
    expect(reason([st(BPF_W, 10, -8, 1), ldx(BPF_DW, 0, 10, -8), exit()])).toMatch(/^1: read of stack/);
  });

  it("a store on only one path does not count; a store on both paths does", () => {
    const one = [mov64K(0, 0), jmpK(BPF_JEQ, 1, 0, 1), st(BPF_DW, 10, -8, 1), ldx(BPF_DW, 0, 10, -8), exit()];
    expect(reason(one)).toMatch(/^3: read of stack/);
    const both = [jmpK(BPF_JEQ, 1, 0, 2), st(BPF_DW, 10, -8, 1), ja(1), st(BPF_DW, 10, -8, 2), ldx(BPF_DW, 0, 10, -8), exit()];
    expect(reason(both)).toBeUndefined();
  });

  it("atomics read the slot they update", () => {
    expect(reason([mov64K(1, 1), atomic(BPF_DW, 10, 1, -8, BPF_ADD), mov64K(0, 0), exit()])).toMatch(/^1: read of stack/);
    expect(reason([mov64K(1, 1), st(BPF_DW, 10, -8, 0), atomic(BPF_DW, 10, 1, -8, BPF_ADD), mov64K(0, 0), exit()])).toBeUndefined();
  });

  it("each bpf-to-bpf frame has its own stack: the caller's stores do not initialise the callee's", () => {
    const p = [st(BPF_DW, 10, -8, 1), callLocal(1), exit(), ldx(BPF_DW, 0, 10, -8), exit()];
    expect(reason(p)).toMatch(/^3: read of stack/);
  });

  it("stores and loads through R10 + k copies are tracked like R10 accesses", () => {
    const viaCopy = [mov64X(2, 10), alu64K(BPF_ADD, 2, -8), stx(BPF_DW, 2, 1, 0), ldx(BPF_DW, 0, 10, -8), exit()];
    expect(reason(viaCopy)).toBeUndefined();
    const readViaCopy = [mov64X(2, 10), alu64K(BPF_SUB, 2, 16), ldx(BPF_DW, 0, 2, 8), exit()];
    expect(reason(readViaCopy)).toMatch(/^2: read of stack bytes \[R10-8, \+8\) through R2 = R10-16/);
  });

  it("accesses through R10 + k copies are bounds- and alignment-checked", () => {
    const below = [mov64X(2, 10), alu64K(BPF_ADD, 2, -512), st(BPF_DW, 2, -8, 0), mov64K(0, 0), exit()];
    expect(reason(below)).toMatch(/^2: stack access \[R10-520\] through R2 = R10-512 of 8 bytes is outside the 512-byte stack/);
    const above = [mov64X(3, 10), st(BPF_W, 3, 0, 0), mov64K(0, 0), exit()];
    expect(reason(above, { uninitStack: "allow" })).toMatch(/^1: stack access \[R10\+0\]/);
    const misaligned = [mov64X(2, 10), alu64K(BPF_ADD, 2, -6), st(BPF_W, 2, 0, 0), mov64K(0, 0), exit()];
    expect(reason(misaligned)).toMatch(/^2: misaligned stack access \[R10-6\]/);
  });

  it("a store through a pointer whose offset differs between paths counts as writing the whole frame", () => {
    const p = [
      mov64X(2, 10), alu64K(BPF_ADD, 2, -8), jmpK(BPF_JEQ, 1, 0, 1), alu64K(BPF_ADD, 2, -8),
      st(BPF_DW, 2, 0, 1), ldx(BPF_DW, 0, 10, -64), exit(),
    ];
    expect(reason(p)).toBeUndefined();
  });

  it("a frame that stores a stack pointer to memory is not checked (the pointer could come back)", () => {
    const p = [mov64X(2, 10), stx(BPF_DW, 10, 2, -8), ldx(BPF_DW, 0, 10, -16), exit()];
    expect(reason(p)).toBeUndefined();
  });

  it("a bpf-to-bpf call with a stack pointer argument may initialise the caller's stack", () => {
    const p = [mov64X(1, 10), alu64K(BPF_ADD, 1, -8), callLocal(2), ldx(BPF_DW, 0, 10, -8), exit(), st(BPF_DW, 1, 0, 5), mov64K(0, 0), exit()];
    expect(reason(p)).toBeUndefined();
  });

  it("uninitStack: 'allow' accepts such reads (Linux allow_uninit_stack)", () => {
    expect(reason([ldx(BPF_DW, 0, 10, -8), exit()], { uninitStack: "allow" })).toBeUndefined();
  });
});
