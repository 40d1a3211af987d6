// The native backend end to end (verifier pipeline → JIT → emulator → comparison with the reference), and
// a mutation check: known faults injected into the JIT's output must each be reported with the right
// verdict. The full conformance matrix is jit/'s and conformance/'s business; these tests check the
// harness path itself.
import { describe, it, expect } from "vitest";
import { assemble } from "../ebpf/assembler";
import type { Case } from "./case";
import { REFERENCE_DEPS } from "./engines";
import { compileCase, jitEmulatorBackend, listing, runCompiled, type CompiledCase } from "./native";
import { differentialEngine, type NativeBackend } from "./run-case";
import { mipsTarget, type MipsTarget } from "./targets";
import { verdictReason } from "./verdict";

const mk = (asm: string, mem: number[] = [], extra: Partial<Case> = {}): Case => ({
  name: "t", file: "t.data", source: "data", program: assemble(asm), programs: {}, mem: Uint8Array.from(mem), maps: [], expect: { kind: "none" }, ...extra,
});

const STACK_PROG = `
  mov %r0, 5
  stxdw [%r10-8], %r0
  ldxw %r2, [%r1+0]
  add %r0, %r2
  exit`;

/** A backend that compiles normally, lets `mutate` change the code words, then runs. */
function mutated(mutate: (words: Uint32Array, cc: CompiledCase) => void): NativeBackend {
  return {
    run(c, target) {
      const cc = compileCase(c, target);
      mutate(cc.main.image.words, cc);
      return { layout: cc.layout, outcome: runCompiled(c, target, cc) };
    },
  };
}

const TARGETS: MipsTarget[] = [mipsTarget("mips1", false), mipsTarget("mips32r2", true), mipsTarget("mips32r6", false), mipsTarget("mips32r2", false, ["hardened"])];

describe("native backend", () => {
  for (const t of TARGETS) {
    it(`${t.name}: a program using the stack and the context agrees with the reference in r0 and memory`, () => {
      const v = differentialEngine(t, REFERENCE_DEPS, jitEmulatorBackend).run(mk(STACK_PROG, [1, 2, 3, 4]));
      expect(v.kind, verdictReason(v)).toBe("pass");
      expect(v.kind === "pass" && v.observed?.r0).toBe(5n + (t.littleEndian ? 0x04030201n : 0x01020304n));
    });
  }

  it("an out-of-bounds context read is a fault on both sides (the eBPF program's fault, not a trap)", () => {
    const v = differentialEngine(mipsTarget("mips32r2", true), REFERENCE_DEPS, jitEmulatorBackend).run(mk("ldxw %r0, [%r1+64]\nexit", [1, 2, 3, 4]));
    expect(v.kind).toBe("pass");
    expect(v.kind === "pass" && v.observed?.kind).toBe("fault");
  });

  it("tail calls reach a named program through the prog_array records", () => {
    // lddw r2 with src=1 (map fd 0) cannot be written in bpf_conformance syntax: build it from the slots.
    const prog = assemble("r2 = 0 ll\nr3 = 0\ncall 12\nr0 = 7\nexit", { syntax: "llvm" });
    const withMap = [{ ...prog[0], src: 1 }, ...prog.slice(1)];
    const target = assemble("r0 = 42\nexit", { syntax: "llvm" });
    const tc: Case = { ...mk("exit"), program: withMap, programs: { tgt: target }, maps: [{ name: "jmp", type: "prog_array", keySize: 4, valueSize: 4, maxEntries: 2, init: { "0": "tgt" } }] };
    const v = differentialEngine(mipsTarget("mips32r2", false), REFERENCE_DEPS, jitEmulatorBackend).run(tc);
    expect(v.kind, verdictReason(v)).toBe("pass");
    expect(v.kind === "pass" && v.observed?.r0).toBe(42n);
  });

  it("64-bit targets are reported as jit-error while the n64 backend does not exist", () => {
    const v = differentialEngine(mipsTarget("mips64r2", true), REFERENCE_DEPS, jitEmulatorBackend).run(mk("mov %r0, 1\nexit"));
    expect(v.kind).toBe("jit-error");
  });

  it("the listing shows each eBPF instruction followed by its MIPS words and marks the pc", () => {
    const t = mipsTarget("mips32r2", true);
    const cc = compileCase(mk("mov %r0, 1\nexit"), t);
    const pc = cc.main.image.codeBase + cc.main.image.insnOffsets[0];
    const text = listing(cc.main.program, cc.main.image, t, pc);
    expect(text).toMatch(/^0: r0 = 1$/m);
    expect(text).toMatch(new RegExp(`^=> 0x${pc.toString(16).padStart(8, "0")}: [0-9a-f]{8}  \\S+`, "m"));
    expect(text).toMatch(/^epilogue$/m);
  });
});

describe("mutation check: injected JIT faults are reported", () => {
  const t = mipsTarget("mips32r2", true);
  const engine = (b: NativeBackend) => differentialEngine(t, REFERENCE_DEPS, b);

  it("a wrong immediate (addiu …, 5 → 6) is an r0 mismatch", () => {
    const v = engine(mutated((w) => {
      const i = w.findIndex((x) => (x & 0xfc00ffff) >>> 0 === 0x24000005);
      expect(i).toBeGreaterThanOrEqual(0);
      w[i] = (w[i] & ~0xffff) | 6;
    })).run(mk(STACK_PROG, [0, 0, 0, 0]));
    expect(v).toMatchObject({ kind: "mismatch", what: "r0" });
  });

  it("a dropped store (sw → nop) is a memory mismatch naming the stack frame", () => {
    const v = engine(mutated((w) => {
      const i = w.findIndex((x) => x >>> 26 === 0x2b && ((x >>> 21) & 31) === 30); // sw …, off(fp): the eBPF stack
      expect(i).toBeGreaterThanOrEqual(0);
      w[i] = 0;
    })).run(mk(STACK_PROG, [0, 0, 0, 0]));
    expect(v).toMatchObject({ kind: "mismatch", what: "memory" });
    expect(v.kind === "mismatch" && v.message).toMatch(/region 'stack0'/);
  });

  it("an instruction the level lacks (mult on MIPS32r6) is a trap with the listing", () => {
    const r6 = mipsTarget("mips32r6", true);
    const v = differentialEngine(r6, REFERENCE_DEPS, mutated((w, cc) => {
      w[cc.main.image.insnOffsets[0] / 4] = 0x00850018; // mult $a0, $a1: removed in Release 6
    })).run(mk("mov %r0, 1\nexit"));
    expect(v.kind).toBe("trap");
    expect(v.kind === "trap" && v.listing).toMatch(/^=> /m);
  });
});
