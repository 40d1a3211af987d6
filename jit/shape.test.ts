// Code-shape rules checked on the emitted words themselves (decoded with src/mips), for every 32-bit level
// and option: ISA gating (every word exists on the level; nothing the level lacks or the options forbid),
// MIPS I load delay and MIPS I–III HI/LO hazards on all paths (not just executed ones), no CTI in a delay
// slot, errata shapes (R10000 beqzl, Loongson-3 sync before ll, Loongson-2F nops and jump masks), far
// branch conversion (±128 KiB and 256 MiB segments), and the image metadata.
import { describe, it, expect } from "vitest";
import type { Insn, Program } from "../src/ebpf/insn";
import { insn } from "../src/ebpf/insn";
import { assemble } from "../src/ebpf/index";
import { defaultLayout } from "../src/ebpf/layout";
import type { IsaLevel } from "../src/mips/levels";
import { MIPS_TABLE, decoderFor } from "../src/mips/index";
import { pipeline } from "../src/verifier/index";
import { jitCompile } from "./index";
import type { JitImage, JitOptions } from "./index";
import { runBoth, describe2, targetName } from "./test-kit";
import type { Target } from "./test-kit";

const LEVELS: IsaLevel[] = ["mips1", "mips2", "mips32r1", "mips32r2", "mips32r6"];

/** One program with every instruction class and the shapes the JIT has (calls, tail call, callx, atomics). */
const EVERY = assemble(`
  mov %r6, %r1
  lddw %r7, 0x123456789abcdef0
  add %r7, %r6
  sub32 %r7, 0x12345
  mul %r7, %r7
  mul32 %r7, 3
  div %r7, %r6
  sdiv32 %r7, %r6
  mod %r7, 7
  smod %r7, %r6
  lsh %r7, %r6
  rsh %r7, 33
  arsh32 %r7, %r6
  neg %r7
  movsx864 %r8, %r7
  movsx1632 %r8, %r7
  be16 %r8
  le32 %r8
  bswap64 %r8
  stxdw [%r10-8], %r7
  stw [%r10-16], -5
  ldxw %r9, [%r6+1]
  ldxsh %r9, [%r6+3]
  stxh [%r6+5], %r9
  lock add [%r10-8], %r7
  lock fetch xor32 [%r10-16], %r9
  mov %r0, %r7
  lock cmpxchg [%r10-8], %r9
  lock xchg32 [%r10-16], %r8
  jsgt %r7, %r9, l1
  jlt32 %r7, 70000, l1
  jset %r7, -3, l1
l1:
  mov %r1, 1
  mov %r2, 2
  call 0x1001
  mov %r1, 5
  call %r1
  call local sub
  lddw %r2, 0x40000000
  mov %r3, 0
  call 12
  exit
sub:
  mov %r0, %r1
  ldabsh 2
  exit
`);

function compile(level: IsaLevel, le: boolean, extra: Partial<JitOptions> = {}, raw = false): JitImage {
  const p = raw ? EVERY : pipeline(EVERY, { needsZext: true, hardened: extra.errata === undefined && level === "mips32r2", seed: 3 });
  return jitCompile(p, { level, littleEndian: le, layout: defaultLayout(32, le, 16), codeBase: 0x400000, verifierZext: true, ...extra });
}

const keyOf = (level: IsaLevel) => {
  const dec = decoderFor(level);
  return (w: number): string => { const id = dec(w); return id < 0 ? "<invalid>" : MIPS_TABLE[id]!.key; };
};

describe("ISA gating and hazards, statically on every word", () => {
  for (const level of LEVELS) for (const le of [true, false]) for (const nollsc of [false, true]) {
    it(`${level}-${le ? "le" : "be"}${nollsc ? "+nollsc" : ""}: every word exists on the level, none of the forbidden ones, no CTI in a delay slot, hazards respected`, () => {
      const img = compile(level, le, { nollsc });
      const key = keyOf(level);
      const dec = decoderFor(level);
      const keys = Array.from(img.words, key);
      expect(keys.filter((k) => k === "<invalid>")).toEqual([]);
      const forbidden = new Set(["movz", "movn", "seleqz", "selnez"]);
      if (level === "mips1" || level === "mips2") forbidden.add("mul");
      if (level === "mips1" || nollsc) { forbidden.add("ll"); forbidden.add("sc"); forbidden.add("ll_r6"); forbidden.add("sc_r6"); }
      if (level === "mips1") { forbidden.add("beql"); forbidden.add("sync"); }
      if (level === "mips32r6") for (const k of ["mult", "multu", "div", "divu", "mfhi", "mflo", "jr", "beql", "mul"]) forbidden.add(k);
      if (level !== "mips32r2" && level !== "mips32r6") for (const k of ["wsbh", "rotr", "seb", "seh"]) forbidden.add(k);
      expect(keys.filter((k) => forbidden.has(k))).toEqual([]);
      for (let i = 0; i + 1 < keys.length; i++) {
        const d = MIPS_TABLE[dec(img.words[i]!)]!;
        const n = MIPS_TABLE[dec(img.words[i + 1]!)]!;
        if (d.cti !== "none") expect(n.cti, `CTI ${n.key} in the delay slot of ${d.key} at word ${i}`).toBe("none");
        if (level === "mips1" && d.mem && (d.mem.kind === "load")) {
          const rt = (img.words[i]! >>> 16) & 31;
          const w = img.words[i + 1]!;
          const rs = (w >>> 21) & 31, rtn = (w >>> 16) & 31;
          const readsRs = n.operands.includes("rs") || n.operands.includes("base");
          const writesRt = n.mem?.kind === "load" || n.mem?.kind === "ll" || (n.operands[0] === "rt" && !n.mem && n.cti === "none");
          const readsRt = n.operands.includes("rt") && !writesRt && !(n.mem && (n.mem.kind === "load-left" || n.mem.kind === "load-right"));
          expect((readsRs && rs === rt) || (readsRt && rtn === rt), `word ${i + 1} (${n.key}) reads $${rt} loaded by word ${i}`).toBe(false);
        }
        if ((level === "mips1" || level === "mips2") && (d.key === "mfhi" || d.key === "mflo")) {
          for (const j of [i + 1, i + 2]) {
            const k = keys[j];
            expect(["mult", "multu", "div", "divu", "mthi", "mtlo"].includes(k ?? ""), `${k} within two of ${d.key} at ${i}`).toBe(false);
          }
        }
      }
    });
  }
});

describe("errata shapes", () => {
  it("R10000: every sc is followed by a branch-likely retry to its ll (mips2, mips32r2)", () => {
    for (const level of ["mips2", "mips32r2"] as IsaLevel[]) {
      const img = compile(level, true, { errata: { r10000: true } });
      const key = keyOf(level);
      const ks = Array.from(img.words, key);
      const scs = ks.flatMap((k, i) => (k === "sc" ? [i] : []));
      expect(scs.length).toBeGreaterThan(0);
      for (const i of scs) {
        expect(ks[i + 1]).toBe("beql");
        const target = i + 2 + ((img.words[i + 1]! << 16) >> 16);
        expect(ks[target]).toBe("ll");
      }
    }
  });
  it("Loongson-3: a sync right before every ll, and the sc retry branch targets that sync", () => {
    const img = compile("mips32r2", false, { errata: { loongson3: true } });
    const ks = Array.from(img.words, keyOf("mips32r2"));
    const lls = ks.flatMap((k, i) => (k === "ll" ? [i] : []));
    expect(lls.length).toBeGreaterThan(0);
    for (const i of lls) expect(ks[i - 1]).toBe("sync");
    for (let i = 0; i < ks.length; i++) if (ks[i] === "sc") {
      const target = i + 2 + ((img.words[i + 1]! << 16) >> 16);
      expect(ks[target]).toBe("sync");
    }
  });
  it("Loongson-2F: every nop is `or at, at, zero` and register jump targets are masked with 0xcfffffff", () => {
    const img = compile("mips2", true, { errata: { loongson2f: true } });
    const words = Array.from(img.words);
    expect(words.filter((w) => w === 0)).toEqual([]); // no sll zero, zero, 0
    expect(words.filter((w) => w === 0x00200825).length).toBeGreaterThan(5);
    const ks = words.map(keyOf("mips2"));
    // callx and the tail call load 0xcfffffff and AND it into t9 before their jump
    const masks = ks.flatMap((k, i) => (k === "and" && ((words[i]! >>> 11) & 31) === 25 ? [i] : []));
    expect(masks.length).toBe(2);
  });
});

describe("far branches and convergence", () => {
  const longProg = (n: number): Program => {
    const body: Insn[] = [];
    for (let i = 0; i < n; i++) body.push(insn(0x07, 0, 0, 0, 1)); // add r0, 1
    return [
      insn(0xb7, 0, 0, 0, 0), insn(0xb7, 1, 0, 0, 5),
      insn(0x55, 1, 0, n + 1, 5), // jne r1, 5, +n+1 (not taken)
      insn(0x15, 1, 0, n, 5), // jeq r1, 5, +n (taken: skips the body, more than 128 KiB of code)
      ...body,
      insn(0x07, 0, 0, 0, 0x1000),
      insn(0x95),
    ];
  };
  it("a branch over more than 128 KiB of code becomes an inverted branch over `j` and still goes where it should", () => {
    const t: Target = { level: "mips32r2", le: true };
    const b = runBoth(longProg(12000), t); // 3 words per add64 K: > 32768 words between branch and target
    expect(b.nat.r0, describe2(b)).toBe(b.ref.r0);
    expect(b.nat.r0).toBe(0x1000n);
    const ks = Array.from(b.nat.image.words.slice(0, 40), keyOf("mips32r2"));
    expect(ks).toContain("j");
  });
  it("a jump into another 256 MiB segment becomes a register jump (code straddling 0x20000000)", () => {
    for (const le of [true, false]) {
      const t: Target = { level: "mips2", le, codeBase: 0x2000_0000 - 0x100 };
      const b = runBoth(longProg(12000), t);
      expect(b.nat.r0, `${targetName(t)} ${describe2(b)}`).toBe(0x1000n);
      const ks = Array.from(b.nat.image.words.slice(0, 40), keyOf("mips2"));
      expect(ks).toContain("jr");
    }
  });
  it("metadata: offsets per slot (-1 for the second LD_IMM64 slot), epilogue offset, call sites, fixed frame", () => {
    const img = compile("mips32r1", true, {}, true);
    expect(img.insnOffsets.length).toBe(EVERY.length + 1);
    expect(img.insnOffsets[2]).toBe(-1); // lddw at slot 1
    for (let i = 1; i < img.insnOffsets.length; i++) if (img.insnOffsets[i]! >= 0 && img.insnOffsets[i - 1]! >= 0) expect(img.insnOffsets[i]).toBeGreaterThanOrEqual(img.insnOffsets[i - 1]!);
    expect(img.insnOffsets[EVERY.length]! / 4).toBeLessThan(img.words.length);
    const kinds = img.callSites.map((s) => s.kind).sort();
    expect(kinds.filter((k) => k === "local").length).toBe(1);
    expect(kinds.filter((k) => k === "tail").length).toBe(1);
    expect(kinds.filter((k) => k === "helper").length).toBeGreaterThanOrEqual(2);
    for (const s of img.callSites) expect(["jalr", "jal", "jr"]).toContain(keyOf("mips32r1")(img.words[s.offset / 4]!));
    expect(img.frame.frameStride % 8).toBe(0);
    expect(img.frame.frameStride).toBeGreaterThanOrEqual(512);
    expect(img.tailCallEntry).toBeGreaterThan(img.entry);
    expect(img.stats).toEqual({ bpfInsns: EVERY.length, mipsWords: img.words.length });
    expect(img.regMap[0]).toBe("R0 = v0/v1 (lo/hi)");
    expect(compile("mips32r1", false, {}, true).regMap[0]).toBe("R0 = v1/v0 (lo/hi)");
  });
  it("compiling twice gives identical words (deterministic passes)", () => {
    expect(Array.from(compile("mips1", false).words)).toEqual(Array.from(compile("mips1", false).words));
  });
});
