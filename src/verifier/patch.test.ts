import { describe, expect, it } from "vitest";
import { fc, test as fcTest } from "@fast-check/vitest";
import { BPF_JEQ, BPF_JMP, BPF_JMP32, BPF_JA, BPF_PSEUDO_FUNC, type Insn } from "../ebpf/insn";
import { InputError } from "../ebpf/errors";
import { branchTarget, expandProgram, patchInsn } from "./patch";
import { callHelper, callLocal, exit, gotol, ja, jmpK, ldImm64, mov64K } from "./build";

const nop = (k: number): Insn => mov64K(0, k);

describe("patchInsn (bpf_patch_insn_data)", () => {
  it("a forward jump across the patched slot grows by the patch length minus one", () => {
    const p = [jmpK(BPF_JEQ, 1, 0, 2), nop(1), nop(2), exit()];
    const q = patchInsn(p, 1, [nop(10), nop(11), nop(12)]);
    expect(q.length).toBe(6);
    expect(q[0].off).toBe(4);
    expect(branchTarget(q[0], 0)).toBe(5);
    expect(q[5]).toEqual(exit());
  });

  it("a backward jump across the patched slot is lengthened", () => {
    const p = [nop(0), nop(1), nop(2), ja(-4)];
    const q = patchInsn(p, 1, [nop(10), nop(11)]);
    expect(q[4]).toEqual(ja(-5));
    expect(branchTarget(q[4], 4)).toBe(0);
  });

  it("a jump to the patched slot lands on the first slot of its replacement (both directions)", () => {
    const p = [ja(1), nop(1), nop(2), ja(-2), exit()];
    const q = patchInsn(p, 2, [nop(20), nop(21), nop(22)]);
    expect(branchTarget(q[0], 0)).toBe(2);
    expect(q[2]).toEqual(nop(20));
    expect(branchTarget(q[5], 5)).toBe(2);
  });

  it("offsets written inside a replacement are local; Retarget slots keep their original target", () => {
    const p = [nop(0), nop(1), jmpK(BPF_JEQ, 1, 7, -3), exit()];
    const q = patchInsn(p, 2, [nop(5), ja(0), { insn: jmpK(BPF_JEQ, 1, 8, 0), target: 0 }]);
    expect(q[3]).toEqual(ja(0));
    expect(branchTarget(q[4], 4)).toBe(0);
    expect(q[4].off).toBe(-5);
  });

  it("JA whose repaired offset overflows s16 becomes gotol with the same target", () => {
    const p = [ja(1), nop(0), exit()];
    const big = Array.from({ length: 0x8000 }, (_, k) => nop(k));
    const q = patchInsn(p, 1, big);
    expect(q[0].opcode).toBe(BPF_JMP32 | BPF_JA);
    expect(q[0].off).toBe(0);
    expect(branchTarget(q[0], 0)).toBe(0x8001);
  });

  it("a conditional jump whose repaired offset overflows s16 is an InputError naming the jump", () => {
    const p = [jmpK(BPF_JEQ, 1, 0, 1), nop(0), exit()];
    const big = Array.from({ length: 0x8000 }, (_, k) => nop(k));
    expect(() => patchInsn(p, 1, big)).toThrow(InputError);
    try {
      patchInsn(p, 1, big);
    } catch (e) {
      expect((e as InputError).where).toEqual({ insn: 0, field: "off" });
    }
  });

  it("gotol offsets (imm) are repaired", () => {
    const p = [gotol(2), nop(1), nop(2), exit()];
    const q = patchInsn(p, 1, [nop(1), nop(1), nop(1)]);
    expect(q[0]).toEqual(gotol(4));
  });

  it("pseudo-call offsets are repaired, helper-call immediates are not touched", () => {
    const p = [callLocal(3), callHelper(5), nop(1), exit(), mov64K(0, 1), exit()];
    const q = patchInsn(p, 2, [nop(1), nop(2)]);
    expect(q[0]).toEqual(callLocal(4));
    expect(q[1]).toEqual(callHelper(5));
    expect(branchTarget(q[0], 0)).toBe(5);
    expect(q[5]).toEqual(mov64K(0, 1));
  });

  it("LD_IMM64 pairs count as two slots and stay intact; src=4 code addresses are repaired", () => {
    const [a, b] = ldImm64(3, 0x1234, 0x5678);
    const [fa, fb] = ldImm64(4, 4, 0, BPF_PSEUDO_FUNC);
    const p = [a, b, fa, fb, ja(1), nop(0), exit(), mov64K(0, 0), exit()];
    // fa at 2 names slot 2+1+4 = 7.
    const q = patchInsn(p, 5, [nop(1), nop(2), nop(3)]);
    expect(q.slice(0, 2)).toEqual([a, b]);
    expect(q[3]).toEqual(fb);
    expect(q[2].imm).toBe(6);
    expect(q[4]).toEqual(ja(3));
  });

  it("patching an LD_IMM64 replaces both of its slots", () => {
    const [a, b] = ldImm64(3, 1, 2);
    const p = [ja(2), a, b, exit()];
    const q = patchInsn(p, 1, [nop(7)]);
    expect(q).toEqual([ja(1), nop(7), exit()]);
  });

  it("patching the second slot of LD_IMM64 is rejected", () => {
    const [a, b] = ldImm64(3, 1, 2);
    expect(() => patchInsn([a, b, exit()], 1, [nop(0)])).toThrow(/second slot/);
  });
});

describe("expandProgram", () => {
  // Random straight-line programs with forward and backward jumps; random patches of random lengths.
  const arbCase = fc
    .integer({ min: 2, max: 40 })
    .chain((n) =>
      fc.record({
        targets: fc.array(fc.option(fc.integer({ min: 0, max: n - 1 }), { nil: undefined }), { minLength: n, maxLength: n }),
        lens: fc.array(fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }), { minLength: n, maxLength: n }),
      }),
    );

  fcTest.prop([arbCase])("every original jump still reaches the first slot of its original target's replacement", ({ targets, lens }) => {
    const n = targets.length;
    const p: Insn[] = targets.map((t, i) => (t === undefined ? nop(i) : jmpK(BPF_JEQ, 1, i, t - i - 1)));
    const { program, start, origin } = expandProgram(p, (_ins, i) =>
      lens[i] === undefined || targets[i] !== undefined ? undefined : Array.from({ length: lens[i]! }, (_, k) => nop(1000 + k)),
    );
    expect(program.length).toBe(start[n]);
    for (let i = 0; i < n; i++) {
      const t = targets[i];
      if (t === undefined) continue;
      const at = start[i];
      expect(program[at].opcode).toBe(BPF_JMP | BPF_JEQ);
      expect(branchTarget(program[at], at)).toBe(start[t]);
      expect(origin[at]).toBe(i);
    }
  });
});
