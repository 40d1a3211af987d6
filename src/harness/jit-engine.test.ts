import { describe, expect, it } from "vitest";
import { assemble } from "../ebpf/index";
import type { Program } from "../ebpf/insn";
import type { Case } from "./case";
import { compileCase, jitEngine, runJitCase } from "./jit-engine";
import { formatListing, insnAtPc } from "./listing";
import { mipsTarget } from "./targets";

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
