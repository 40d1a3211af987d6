// Test support for jit/*.test.ts only (never imported by the JIT itself): run one program through the
// verifier pipeline → JIT → emulator with every trip-wire armed, and through the reference interpreter on
// the ORIGINAL program, at the same layout, then report both sides (R0, stack, context, map values, helper
// log). The full differential harness is src/harness; this is the JIT's own small, direct loop, loading
// through the harness's loader (src/harness/load-image.ts) so there is one memory map (tests may import src/harness).
import type { Program } from "../src/ebpf/insn";
import { defaultLayout, PROG_ARRAY_PTRS_OFF } from "../src/ebpf/layout";
import type { MemoryLayout } from "../src/ebpf/layout";
import type { MapDef } from "../src/ebpf/maps";
import type { IsaLevel } from "../src/mips/levels";
import type { Outcome } from "../emulator/index";
import { runReference } from "../src/reference/index";
import { loadMachine } from "../src/harness/load-image";
import type { ReferenceResult } from "../src/reference/index";
import { pipeline } from "../src/verifier/index";
import { jitCompile } from "./index";
import type { JitImage, JitOptions } from "./index";

export interface Target {
  level: IsaLevel;
  le: boolean;
  hardened?: boolean;
  nollsc?: boolean;
  errata?: JitOptions["errata"];
  /** Injected JIT faults (mutation check). */
  mutations?: JitOptions["mutations"];
  /** Load address of the main image (default CODE_BASE). */
  codeBase?: number;
}

export const TARGETS32: Target[] = (["mips1", "mips2", "mips32r1", "mips32r2", "mips32r6"] as IsaLevel[])
  .flatMap((level) => [{ level, le: true }, { level, le: false }]);

export const targetName = (t: Target): string =>
  `${t.level}-${t.le ? "le" : "be"}${t.hardened ? "+hardened" : ""}${t.nollsc ? "+nollsc" : ""}` +
  Object.entries(t.errata ?? {}).filter(([, v]) => v).map(([k]) => "+" + k).join("");

export const CODE_BASE = 0x0040_0000;
const PROGS_BASE = 0x0080_0000;

export interface NativeRun {
  image: JitImage;
  outcome: Outcome;
  r0: bigint;
  stack: Uint8Array;
  ctx: Uint8Array;
  helperLog: { id: number; args: bigint[] }[];
}

export interface BothRuns {
  ref: ReferenceResult;
  nat: NativeRun;
}

const u64 = (hi: number, lo: number): bigint => (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);

/** Compile and run on the emulator. `prepared` is the program after the verifier pipeline. */
export function runNative(
  prepared: Program, t: Target, mem: Uint8Array, layout: MemoryLayout, maps: MapDef[] = [], zext = true,
  programs: Readonly<Record<string, Program>> = {},
): NativeRun {
  const compile = (p: Program, codeBase: number): JitImage => jitCompile(p, {
    level: t.level, littleEndian: t.le, layout, maps, codeBase, verifierZext: zext,
    nollsc: t.nollsc, errata: t.errata, mutations: t.mutations,
  });
  const codeBase = t.codeBase ?? CODE_BASE;
  const image = compile(prepared, codeBase);
  // Tail-call targets: each named program gets its own image; loading (code, stack, context, maps, prog
  // records, helper trampolines) is the harness's one loader (src/harness/load-image.ts).
  const named = new Map<string, JitImage>();
  Object.keys(programs).forEach((name, k) => named.set(name, compile(programs[name]!, PROGS_BASE + k * 0x10000)));
  const lm = loadMachine({
    level: t.level, littleEndian: t.le, nollsc: t.nollsc === true, layout: { ...layout, frameStride: image.frame.frameStride },
    main: image, named, mem: mem.slice(), maps, programs,
  });
  const outcome = lm.machine.call(image.entry, {
    sp: lm.sp0,
    args: [{ kind: "ptr", lo: layout.ctx.base }, { kind: "u32", lo: mem.length }],
    ret: "u64",
    budget: 20_000_000,
  });
  const r0 = outcome.ret ? u64(outcome.ret.hi, outcome.ret.lo) : -1n;
  const read = (base: number, size: number): Uint8Array => {
    const r = lm.machine.mem.find(base, size);
    if (!r) return new Uint8Array(0);
    return r.bytes.slice(base - r.base, base - r.base + size);
  };
  const helperLog = lm.env.log.map((h) => ({ id: h.id, args: [...h.args] }));
  return { image, outcome, r0, stack: read(layout.stackTop - 512, 512), ctx: mem.length ? read(layout.ctx.base, mem.length) : new Uint8Array(0), helperLog };
}

export function layoutFor(t: Target, memLen: number): MemoryLayout {
  const l = defaultLayout(32, t.le, memLen);
  // Loongson-2F masks register jump targets with ~0x30000000 (mips-isa.md §8): helpers must live where
  // bits 28–29 are clear for the masked address to be the helper's.
  return t.errata?.loongson2f ? { ...l, helperBase: 0x4e00_0000 } : l;
}

/** Reference on the original program, native on the pipeline's output; same layout (frameStride from the JIT). */
export function runBoth(
  prog: Program, t: Target, mem: Uint8Array = new Uint8Array(0), maps: MapDef[] = [], seed = 1,
  programs: Readonly<Record<string, Program>> = {}, zext = true,
): BothRuns {
  const base = layoutFor(t, mem.length);
  // zext = false: no zext markers; the JIT must then zero-extend every ALU32 result itself.
  const prep = (p: Program): Program => pipeline(p, { needsZext: zext, hardened: t.hardened === true, seed });
  const nprogs = Object.fromEntries(Object.entries(programs).map(([k, p]) => [k, prep(p)]));
  const nat = runNative(prep(prog), t, mem, base, maps, zext, nprogs);
  const layout = { ...base, frameStride: nat.image.frame.frameStride };
  const ref = runReference(prog, { layout, mem, maps, programs });
  return { ref, nat };
}

export function describe2(b: BothRuns): string {
  const o = b.nat.outcome;
  return `ref ${b.ref.kind} r0=0x${b.ref.r0.toString(16)} ${b.ref.message ?? ""} | native ${o.kind} r0=0x${b.nat.r0.toString(16)} ` +
    `${o.kind !== "exit" ? `pc=0x${o.pc.toString(16)} ${o.disasm} ${o.reason} ${o.register ?? ""} ${o.value ?? ""}` : ""}`;
}

export const refStack = (r: ReferenceResult): Uint8Array | undefined => r.regions.find((x) => x.name === "stack0")?.bytes;

export { PROG_ARRAY_PTRS_OFF };

/** Edge values: magnitudes around 0, the 16-bit immediate boundaries, 2^31 and 2^63. */
export const EDGE64: bigint[] = [
  0n, 1n, 2n, 3n, 0x7fffn, 0x8000n, 0xffffn, 0x10000n, 0x7fffffffn, 0x80000000n, 0xffffffffn, 0x100000000n,
  0x123456789abcdef0n, 0x7fffffffffffffffn, 0x8000000000000000n, 0xffffffffffffffffn, 0xffffffff80000000n,
  0xffffffffffff8000n, 0xffffffffffff7fffn, 0xfffffffffffffffen, 0x80000001n, 0xfedcba9876543210n,
];
export const EDGE_IMM: number[] = [
  0, 1, -1, 2, 5, 31, 32, 33, 63, 0x7fff, 0x8000, -0x8000, -0x8001, 0xffff, 0x10000, 0x7fffffff, -0x80000000, 0x12345678, -7,
];

/** A batch: each element appends code leaving a result in R1..; `storeOf(k)` = stxdw [r10 - 8(k+1)], r1. */
export function stackSlot(k: number): number {
  return -8 * (k + 1);
}

/** Compare a batch run: R0, the whole stack; returns a list of differing 8-byte slots (index = k). */
export function diffSlots(b: BothRuns): number[] {
  const rs = refStack(b.ref);
  const out: number[] = [];
  if (!rs) return [-1];
  for (let k = 0; k < 64; k++) {
    const off = 512 + stackSlot(k);
    for (let j = 0; j < 8; j++) if (rs[off + j] !== b.nat.stack[off + j]) { out.push(k); break; }
  }
  return out;
}
