// Test support for jit/*.test.ts only (never imported by the JIT itself): run one program through the
// verifier pipeline → JIT → emulator with every trip-wire armed, and through the reference interpreter on
// the ORIGINAL program, at the same layout, then report both sides (R0, stack, context, map values, helper
// log). The full differential harness is src/harness; this is the JIT's own small, direct loop.
import type { Program } from "../src/ebpf/insn";
import { defaultLayout, helperAddress, placeMaps, PROG_ARRAY_PTRS_OFF } from "../src/ebpf/layout";
import type { MemoryLayout } from "../src/ebpf/layout";
import type { MapDef } from "../src/ebpf/maps";
import { HELPER_PROTOS, BPF_FUNC_tail_call } from "../src/ebpf/helper-protos";
import type { IsaLevel } from "../src/mips/levels";
import { Machine } from "../emulator/index";
import type { Outcome } from "../emulator/index";
import { runReference, callHelper, createHelperEnv, createMapState } from "../src/reference/index";
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
const RECORDS_BASE = 0x00f0_0000;

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
  const m = new Machine({ level: t.level, littleEndian: t.le, nollsc: t.nollsc });
  const code = new Uint8Array(image.words.length * 4);
  const dv = new DataView(code.buffer);
  image.words.forEach((w, i) => dv.setUint32(i * 4, w, t.le));
  m.addRegion({ name: "code", base: codeBase, size: Math.max(4096, (code.length + 4095) & ~4095), perms: "rx", data: code });
  // Tail-call targets: each named program gets its own image; a prog record (4 bytes) holds its tailCallEntry.
  const names = Object.keys(programs);
  const records = new Map<string, number>();
  if (names.length > 0) {
    const recBytes = new Uint8Array(4096);
    const rdv = new DataView(recBytes.buffer);
    names.forEach((name, k) => {
      const base = PROGS_BASE + k * 0x10000;
      const img = compile(programs[name]!, base);
      const bytes = new Uint8Array(img.words.length * 4);
      const bdv = new DataView(bytes.buffer);
      img.words.forEach((w, i) => bdv.setUint32(i * 4, w, t.le));
      m.addRegion({ name: `prog:${name}`, base, size: 0x10000, perms: "rx", data: bytes });
      rdv.setUint32(4 * k, img.tailCallEntry, t.le);
      records.set(name, RECORDS_BASE + 4 * k);
    });
    m.addRegion({ name: "prog-records", base: RECORDS_BASE, size: 4096, perms: "r", data: recBytes });
  }
  const F = image.frame.frameStride;
  const sp0 = layout.stackTop + image.frame.fpBelowEntrySp;
  const stackLow = (layout.stackTop - 9 * F - 4096) & ~4095;
  const stackHigh = (sp0 + 64 + 4095) & ~4095;
  m.addRegion({ name: "stack", base: stackLow, size: stackHigh - stackLow, perms: "rw" });
  // The context region is padded to whole words: LWL/LWR/SWL/SWR touch the aligned word around the bytes
  // they move, and real MIPS memory is mapped by pages, not bytes (the emulator checks the whole word).
  if (mem.length > 0) m.addRegion({ name: "ctx", base: layout.ctx.base, size: (mem.length + 3) & ~3, perms: "rw", data: mem.slice() });
  for (const p of placeMaps(layout, maps)) {
    m.addRegion({ name: `map:${p.def.name}:object`, base: p.objectAddr, size: p.valuesAddr - p.objectAddr, perms: "rw" });
    if (p.valuesSize > 0 && p.def.type !== "prog_array") m.addRegion({ name: `map:${p.def.name}`, base: p.valuesAddr, size: p.valuesSize, perms: "rw" });
  }
  // Helpers run the reference implementations against a view of the emulator's memory.
  const guest = {
    read: (a: number, len: number): Uint8Array | undefined => {
      const r = m.mem.find(a, len);
      return r ? r.bytes.slice(a - r.base, a - r.base + len) : undefined;
    },
    write: (a: number, bytes: Uint8Array): boolean => {
      const r = m.mem.find(a, bytes.length);
      if (!r) return false;
      r.bytes.set(bytes, a - r.base);
      r.invalidate(a - r.base, bytes.length);
      return true;
    },
  };
  const mapState = createMapState(layout, maps, guest, programs);
  placeMaps(layout, maps).forEach((p) => {
    if (p.def.type !== "prog_array") return;
    for (const [idx, name] of Object.entries(p.def.init ?? {})) {
      const w = new Uint8Array(4);
      new DataView(w.buffer).setUint32(0, records.get(name) ?? 0, t.le);
      guest.write(p.objectAddr + PROG_ARRAY_PTRS_OFF + 4 * Number(idx), w);
    }
  });
  const env = createHelperEnv(guest, mapState);
  const helperLog: { id: number; args: bigint[] }[] = [];
  const maxId = Math.max(...HELPER_PROTOS.map((p) => p.id));
  m.addRegion({ name: "helpers", base: layout.helperBase, size: (maxId + 1) * layout.helperStride + 4096 & ~4095, perms: "rx" });
  for (const p of HELPER_PROTOS) {
    if (p.id === BPF_FUNC_tail_call) continue;
    m.registerHost(helperAddress(layout, p.id), {
      abi: "o32", args: p.args, ret: p.ret, name: p.name, requireT9: true,
      fn: (args) => {
        const vals = args.map((a) => u64(a.hi, a.lo));
        helperLog.push({ id: p.id, args: vals });
        const r = callHelper(p.id, vals, env);
        return { lo: Number(r & 0xffffffffn), hi: Number((r >> 32n) & 0xffffffffn) };
      },
    });
  }
  const outcome = m.call(codeBase, {
    sp: sp0,
    args: [{ kind: "ptr", lo: layout.ctx.base }, { kind: "u32", lo: mem.length }],
    ret: "u64",
    budget: 20_000_000,
  });
  const r0 = outcome.ret ? u64(outcome.ret.hi, outcome.ret.lo) : -1n;
  const read = (base: number, size: number): Uint8Array => {
    const r = m.mem.find(base, size);
    if (!r) return new Uint8Array(0);
    return r.bytes.slice(base - r.base, base - r.base + size);
  };
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
