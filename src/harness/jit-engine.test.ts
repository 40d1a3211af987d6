import { describe, expect, it } from "vitest";
import { assemble } from "../ebpf/index";
import type { Program } from "../ebpf/insn";
import type { Case } from "./case";
import { engineFor } from "./engines";
import { compileCase, jitEngine, NO_64BIT_BACKEND, runJitCase, targetLayout } from "./jit-engine";
import { formatListing, insnAtPc } from "./listing";
import { mipsTarget, type MipsTarget } from "./targets";
import { verdictReason } from "./verdict";

const mk = (program: Program, extra: Partial<Case> = {}): Case => ({
  name: "t", file: "t", source: "generated", program, programs: {}, mem: new Uint8Array(0), maps: [], expect: { kind: "none" }, ...extra,
});

describe("jit engine", () => {
  it("a 64-bit result passes on a big-endian target with R0's both halves compared", () => {
    const v = runJitCase(mk(assemble("lddw %r0, 0x123456789abcdef0\nexit")), mipsTarget("mips32r2", false));
    expect(v.kind).toBe("pass");
    expect(v.kind === "pass" ? v.observed?.r0 : 0n).toBe(0x123456789abcdef0n);
  });
  it("an injected fault becomes a mismatch whose message names the first difference and carries the listing", () => {
    const v = runJitCase(mk(assemble("lddw %r0, 0xffffffff\nmov %r1, 1\nadd %r0, %r1\nexit")), mipsTarget("mips32r2", true), { mutations: ["drop-add64-carry"] });
    expect(v.kind).toBe("mismatch");
    if (v.kind !== "mismatch") return;
    expect(v.what).toBe("r0");
    expect(v.message).toContain("upper 32 bits differ");
    expect(v.listing).toContain("r0 += r1");
  });
  it("an instruction the level lacks is a trap naming the eBPF instruction, with the faulting word marked", () => {
    const v = runJitCase(mk(assemble("mov %r1, 3\nmov %r2, 2\nmov %r0, 1\njgt %r1, %r2, +1\nmov %r0, 2\nexit")), mipsTarget("mips2", true), { mutations: ["movz-on-mips2"] });
    expect(v.kind).toBe("trap");
    if (v.kind !== "trap") return;
    expect(v.message).toMatch(/exception RI .*\[eBPF insn 3\]/);
    expect(v.listing).toMatch(/^>>/m);
  });
  it("a case whose data is in the other byte order is skipped, not run", () => {
    expect(runJitCase(mk(assemble("mov %r0, 1\nexit"), { byteOrder: "le" }), mipsTarget("mips1", false)).kind).toBe("skip");
  });
  it("64-bit targets are skipped with the reason (the n64 backend is a later issue)", () => {
    expect(jitEngine(mipsTarget("mips64r2", true)).run(mk(assemble("mov %r0, 1\nexit"))).kind).toBe("skip");
  });
  it("a ninth bpf-to-bpf frame faults natively as in the reference (the native stack holds exactly 8 frames)", () => {
    const p = assemble("mov %r1, 0\ncall local rec\nexit\nrec:\nmov %r6, %r1\nadd %r6, 1\nmov %r0, 0\njeq %r6, 8, leaf\nmov %r1, %r6\ncall local rec\nleaf:\nadd %r0, %r6\nexit");
    const v = runJitCase(mk(p), mipsTarget("mips32r2", true));
    expect(v.kind).toBe("pass");
    expect(v.kind === "pass" ? v.observed?.kind : undefined).toBe("fault");
  });
});

describe("listing", () => {
  it("every MIPS word of an eBPF instruction maps back to it, and the listing shows each instruction once", () => {
    const p = assemble("mov %r0, 1\nlddw %r1, 0x100000000\nadd %r0, %r1\nexit");
    const t = mipsTarget("mips32r2", true);
    const cc = compileCase(mk(p), t);
    const img = cc.image;
    const slots = img.insnOffsets.length - 1;
    for (let i = 0; i < slots; i++) {
      const off = img.insnOffsets[i]!;
      if (off < 0) continue;
      let end = img.insnOffsets[i + 1]!;
      if (end < 0) end = img.insnOffsets[i + 2]!;
      for (let o = off; o < end; o += 4) expect(insnAtPc(img, img.codeBase + o)).toBe(i);
    }
    expect(insnAtPc(img, img.codeBase - 4)).toBeUndefined();
    const text = formatListing(cc.prepared, img, t.isa);
    expect(text.match(/^\s+\d+: /gm)?.length).toBe(cc.prepared.filter((_, i) => img.insnOffsets[i]! >= 0).length);
    expect(text).toContain(`0x${img.codeBase.toString(16).padStart(8, "0")}:`);
  });
});

// Moved from the former second engine (native.ts): the same end-to-end checks through the one engine,
// reached both directly and through engineFor (the CLI's path).
const mkAsm = (asm: string, mem: number[] = [], extra: Partial<Case> = {}): Case => mk(assemble(asm), { file: "t.data", source: "data", mem: Uint8Array.from(mem), ...extra });

const STACK_PROG = `
  mov %r0, 5
  stxdw [%r10-8], %r0
  ldxw %r2, [%r1+0]
  add %r0, %r2
  exit`;

const TARGETS: MipsTarget[] = [mipsTarget("mips1", false), mipsTarget("mips32r2", true), mipsTarget("mips32r6", false), mipsTarget("mips32r2", false, ["hardened"])];

describe("jit engine end to end (through engineFor, as the CLI runs it)", () => {
  for (const t of TARGETS) {
    it(`${t.name}: a program using the stack and the context agrees with the reference in r0 and memory`, () => {
      const v = engineFor(t).run(mkAsm(STACK_PROG, [1, 2, 3, 4]));
      expect(v.kind, verdictReason(v)).toBe("pass");
      expect(v.kind === "pass" && v.observed?.r0).toBe(5n + (t.littleEndian ? 0x04030201n : 0x01020304n));
    });
  }

  it("an out-of-bounds context read is a fault on both sides (the eBPF program's fault, not a trap)", () => {
    const v = engineFor(mipsTarget("mips32r2", true)).run(mkAsm("ldxw %r0, [%r1+64]\nexit", [1, 2, 3, 4]));
    expect(v.kind).toBe("pass");
    expect(v.kind === "pass" && v.observed?.kind).toBe("fault");
  });

  it("tail calls reach a named program through the prog_array records", () => {
    // lddw r2 with src=1 (map fd 0) cannot be written in bpf_conformance syntax: build it from the slots.
    const prog = assemble("r2 = 0 ll\nr3 = 0\ncall 12\nr0 = 7\nexit", { syntax: "llvm" });
    const withMap = [{ ...prog[0]!, src: 1 }, ...prog.slice(1)];
    const target = assemble("r0 = 42\nexit", { syntax: "llvm" });
    const tc: Case = { ...mkAsm("exit"), program: withMap, programs: { tgt: target }, maps: [{ name: "jmp", type: "prog_array", keySize: 4, valueSize: 4, maxEntries: 2, init: { "0": "tgt" } }] };
    const v = engineFor(mipsTarget("mips32r2", false)).run(tc);
    expect(v.kind, verdictReason(v)).toBe("pass");
    expect(v.kind === "pass" && v.observed?.r0).toBe(42n);
  });

  it("64-bit targets are not run while the n64 backend does not exist (skipped with the reason)", () => {
    // The former native.ts reported these as jit-error; the one engine skips them with NO_64BIT_BACKEND.
    const v = engineFor(mipsTarget("mips64r2", true)).run(mkAsm("mov %r0, 1\nexit"));
    expect(v).toEqual({ kind: "skip", reason: NO_64BIT_BACKEND });
  });

  it("the listing shows each eBPF instruction followed by its MIPS words and marks the pc", () => {
    const t = mipsTarget("mips32r2", true);
    const cc = compileCase(mkAsm("mov %r0, 1\nexit"), t);
    const pc = cc.image.codeBase + cc.image.insnOffsets[0]!;
    const text = formatListing(cc.prepared, cc.image, t.isa, { focusPc: pc });
    expect(text).toMatch(/^=>\s+0: r0 = 1$/m);
    expect(text).toMatch(new RegExp(`^>>\\s+0x${pc.toString(16).padStart(8, "0")}:\\s+[0-9a-f]{8}\\s+\\S+`, "m"));
    expect(text).toMatch(/^epilogue:$/m);
  });

  it("the plain listing (bpf-mips jit) puts each eBPF instruction at the line start followed by its MIPS words", () => {
    const t = mipsTarget("mips32r2", true);
    const cc = compileCase(mkAsm("mov %r0, 1\nexit"), t);
    const pc = cc.image.codeBase + cc.image.insnOffsets[0]!;
    const text = formatListing(cc.prepared, cc.image, t.isa, { plain: true });
    expect(text).toMatch(/^0: r0 = 1$/m);
    expect(text).toMatch(new RegExp(`^   0x${pc.toString(16).padStart(8, "0")}: [0-9a-f]{8}  \\S+`, "m"));
    expect(text).toMatch(/^epilogue$/m);
    expect(text).not.toMatch(/^(=>|>>)/m);
  });

  it("Loongson-2F targets place the helper trampolines where address bits 28-29 are clear", () => {
    const l = targetLayout(mipsTarget("mips3", true, ["loongson2f"]), 0);
    expect(l.helperBase & 0x3000_0000).toBe(0);
  });

  it("a reference fault the Linux verifier rejects (stack below the frame) passes with the verifier's note", () => {
    const v = runJitCase(mkAsm("mov %r0, 0\nstxdw [%r10-520], %r0\nexit"), mipsTarget("mips32r2", true));
    expect(v.kind, verdictReason(v)).toBe("pass");
    if (v.kind === "pass" && v.observed?.kind !== "fault") expect(v.note).toMatch(/verifier rejects/);
  });
});

describe("mutation check: injected JIT faults are reported", () => {
  const t = mipsTarget("mips32r2", true);

  it("a wrong immediate (addiu …, 5 → 6) is an r0 mismatch", () => {
    const v = runJitCase(mkAsm(STACK_PROG, [0, 0, 0, 0]), t, { patch: (w) => {
      const i = w.findIndex((x) => (x & 0xfc00ffff) >>> 0 === 0x24000005);
      expect(i).toBeGreaterThanOrEqual(0);
      w[i] = (w[i]! & ~0xffff) | 6;
    } });
    expect(v).toMatchObject({ kind: "mismatch", what: "r0" });
  });

  it("a dropped store (sw → nop) is a memory mismatch naming the stack frame", () => {
    const v = runJitCase(mkAsm(STACK_PROG, [0, 0, 0, 0]), t, { patch: (w) => {
      const i = w.findIndex((x) => x >>> 26 === 0x2b && ((x >>> 21) & 31) === 30); // sw …, off(fp): the eBPF stack
      expect(i).toBeGreaterThanOrEqual(0);
      w[i] = 0;
    } });
    expect(v).toMatchObject({ kind: "mismatch", what: "memory" });
    expect(v.kind === "mismatch" && v.message).toMatch(/region 'stack0'/);
  });

  it("an instruction the level lacks (mult on MIPS32r6) is a trap with the listing", () => {
    const v = runJitCase(mkAsm("mov %r0, 1\nexit"), mipsTarget("mips32r6", true), { patch: (w, cc) => {
      w[cc.image.insnOffsets[0]! / 4] = 0x00850018; // mult $a0, $a1: removed in Release 6
    } });
    expect(v.kind).toBe("trap");
    expect(v.kind === "trap" && v.listing).toMatch(/^>> /m);
  });
});

describe("engine options", () => {
  const hard = mipsTarget("mips32r2", true, ["hardened"]);
  const prog = "mov %r0, 0x12345\nadd %r0, 0x777\nexit";

  it("blindSeed chooses the constant blinding on +hardened targets: other seed, other code, same pass", () => {
    const a = compileCase(mkAsm(prog), hard, { blindSeed: 1 });
    const b = compileCase(mkAsm(prog), hard, { blindSeed: 2 });
    expect([...a.image.words]).not.toEqual([...b.image.words]);
    for (const blindSeed of [1, 2]) expect(runJitCase(mkAsm(prog), hard, { blindSeed }).kind).toBe("pass");
  });

  it("a prepared program is compiled as given, without running the pipeline again", () => {
    const prepared = assemble("mov %r0, 9\nexit");
    const cc = compileCase(mkAsm(prog), hard, { prepared });
    expect(cc.prepared).toBe(prepared);
    expect(cc.image.insnOffsets.length - 1).toBe(prepared.length);
  });
});
