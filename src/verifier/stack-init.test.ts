import { describe, expect, it } from "vitest";
import { BPF_ADD, BPF_DW, BPF_JEQ, BPF_W, type Insn } from "../ebpf/insn";
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

  it("frames that copy R10 (and may store through the copy) are not checked", () => {
    const p = [mov64X(2, 10), alu64K(BPF_ADD, 2, -8), stx(BPF_DW, 2, 1, 0), ldx(BPF_DW, 0, 10, -8), exit()];
    expect(reason(p)).toBeUndefined();
  });

  it("uninitStack: 'allow' accepts such reads (Linux allow_uninit_stack)", () => {
    expect(reason([ldx(BPF_DW, 0, 10, -8), exit()], { uninitStack: "allow" })).toBeUndefined();
  });
});
