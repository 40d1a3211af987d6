// Loading JIT images into a fresh emulator machine at the addresses the reference uses (src/ebpf/layout.ts),
// for the differential JIT engine (jit-engine.ts). Owns: the native memory map (code, the native stack
// holding MAX_CALL_FRAMES JIT frames, ctx, map objects and values, prog records, helper trampolines), the
// GuestMemory adapter over emulator memory, the helper trampolines that call src/reference's helper
// implementations, and reading the writable regions back in the reference's region names. Does not own
// compiling (jit/), running or judging (jit-engine.ts, compare.ts).
import type { Program } from "../ebpf/insn";
import { BPF_STACK_SIZE, MAX_CALL_FRAMES } from "../ebpf/insn";
import type { MemoryLayout } from "../ebpf/layout";
import { helperAddress, placeMaps, PROG_ARRAY_PTRS_OFF, PROG_BPF_FUNC_OFF } from "../ebpf/layout";
import type { MapDef } from "../ebpf/maps";
import { BPF_FUNC_tail_call, HELPER_PROTOS } from "../ebpf/helper-protos";
import type { IsaLevel } from "../mips/levels";
import { Machine } from "../../emulator/index";
import type { JitImage } from "../../jit/index";
import type { GuestMemory, HelperEnv, MapState } from "../reference/index";
import {
  callHelper, createHelperEnv, createMapState, CTX_REGION, HelperFault, mapValuesRegionName, stackRegionName,
} from "../reference/index";
import type { ObservedRegion } from "./verdict";

/** Where the entry program's code goes; named programs (tail-call targets) follow it, 64 KiB-aligned. */
export const CODE_BASE = 0x0040_0000;
/** Prog records (layout.ts: first word = the program's tail-call entry), one 16-byte record per program. */
export const PROG_RECORDS_BASE = 0x0030_0000;
const PROG_RECORD_SIZE = 16;

const alignUp = (x: number, a: number): number => Math.ceil(x / a) * a;

/** Where image k starts, given the previous images' sizes: the caller compiles them in this order. */
export function nextCodeBase(prev: { codeBase: number; words: Uint32Array } | undefined): number {
  return prev === undefined ? CODE_BASE : alignUp(prev.codeBase + prev.words.length * 4 + 1, 0x1_0000);
}

export interface LoadSpec {
  readonly level: IsaLevel;
  readonly littleEndian: boolean;
  readonly nollsc: boolean;
  /** The layout with the JIT's frameStride (R10 of depth d = stackTop − d·frameStride). */
  readonly layout: MemoryLayout;
  /** The entry image and the named programs' images (tail-call targets), by name. */
  readonly main: JitImage;
  readonly named: ReadonlyMap<string, JitImage>;
  readonly mem: Uint8Array;
  readonly maps: readonly MapDef[];
  /** Program names only (for createMapState's prog_array init check). */
  readonly programs: Readonly<Record<string, Program>>;
  readonly seed?: number;
}

export interface LoadedMachine {
  readonly machine: Machine;
  readonly env: HelperEnv;
  readonly mapState: MapState;
  /** Entry stack pointer: stackTop + main.frame.fpBelowEntrySp (R10 = stackTop inside the program). */
  readonly sp0: number;
  /** Set when a helper implementation raised HelperFault (an eBPF-level fault, as in the reference). */
  helperFault: string | undefined;
}

/** A GuestMemory over emulator memory with the reference's rules: reads inside one region, writes only where writable. */
export function guestMemoryOf(m: Machine): GuestMemory & { poke(addr: number, bytes: Uint8Array): boolean } {
  const PERM_W = 2;
  return {
    read(addr, len) {
      if (!Number.isSafeInteger(addr) || len < 0) return undefined;
      if (len === 0) return new Uint8Array(0);
      const r = m.mem.find(addr, len);
      return r === null ? undefined : r.bytes.slice(addr - r.base, addr - r.base + len);
    },
    write(addr, bytes) {
      if (!Number.isSafeInteger(addr)) return false;
      if (bytes.length === 0) return true;
      const r = m.mem.find(addr, bytes.length);
      if (r === null || (r.perm & PERM_W) === 0) return false;
      r.bytes.set(bytes, addr - r.base);
      r.invalidate(addr - r.base, bytes.length);
      return true;
    },
    poke(addr, bytes) {
      if (bytes.length === 0) return true;
      const r = m.mem.find(addr, bytes.length);
      if (r === null) return false;
      r.bytes.set(bytes, addr - r.base);
      r.invalidate(addr - r.base, bytes.length);
      return true;
    },
  };
}

function imageBytes(img: JitImage, le: boolean): Uint8Array {
  const b = new Uint8Array(img.words.length * 4);
  const dv = new DataView(b.buffer);
  for (let i = 0; i < img.words.length; i++) dv.setUint32(i * 4, img.words[i]!, le);
  return b;
}

const u64 = (hi: number, lo: number): bigint => (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);

/**
 * Build the machine. The native stack spans exactly MAX_CALL_FRAMES JIT frames below the entry sp plus the
 * caller's 16-byte o32 home area above it (the tail-call count lives at sp0+0, linux-mips-jit.md §4), so a
 * ninth bpf-to-bpf frame stores below the region and faults like the reference's depth check.
 */
export function loadMachine(s: LoadSpec): LoadedMachine {
  const { layout, main } = s;
  const m = new Machine({ level: s.level, littleEndian: s.littleEndian, nollsc: s.nollsc });
  const images: JitImage[] = [main, ...s.named.values()];
  for (const [k, img] of images.entries()) {
    const bytes = imageBytes(img, s.littleEndian);
    m.addRegion({ name: k === 0 ? "code" : `code:${[...s.named.keys()][k - 1]}`, base: img.codeBase, size: alignUp(Math.max(bytes.length, 4), 4096), perms: "rx", data: bytes });
  }
  const F = main.frame.frameStride;
  const sp0 = layout.stackTop + main.frame.fpBelowEntrySp;
  const stackLow = sp0 - MAX_CALL_FRAMES * F;
  m.addRegion({ name: "stack", base: stackLow, size: sp0 + 16 - stackLow, perms: "rw" });
  // The context is padded to 8 bytes: lwl/lwr address the aligned word holding the bytes they access,
  // and real hardware maps memory by the page; only the case's bytes are read back and compared.
  if (s.mem.length > 0) m.addRegion({ name: CTX_REGION, base: layout.ctx.base, size: alignUp(s.mem.length, 8), perms: "rw", data: s.mem });
  const placements = placeMaps(layout, s.maps);
  for (const p of placements) {
    // Map objects are read-only to programs (as in the reference's region plan).
    m.addRegion({ name: `map:${p.def.name}:object`, base: p.objectAddr, size: p.valuesAddr - p.objectAddr, perms: "r" });
    if (p.def.type !== "prog_array" && p.valuesSize > 0) m.addRegion({ name: mapValuesRegionName(p.def), base: p.valuesAddr, size: p.valuesSize, perms: "rw" });
  }
  const guest = guestMemoryOf(m);
  const mapState = createMapState(layout, s.maps, guest, s.programs);
  // Prog records: record k's first word is image k's tail-call entry; prog_array slots point at records.
  const names = [...s.named.keys()];
  if (names.length > 0) {
    const rec = new Uint8Array(alignUp(names.length * PROG_RECORD_SIZE, 4096));
    const dv = new DataView(rec.buffer);
    names.forEach((n, k) => dv.setUint32(k * PROG_RECORD_SIZE + PROG_BPF_FUNC_OFF, s.named.get(n)!.tailCallEntry >>> 0, s.littleEndian));
    m.addRegion({ name: "prog-records", base: PROG_RECORDS_BASE, size: rec.length, perms: "r", data: rec });
    for (const inst of mapState.instances) {
      if (inst.def.type !== "prog_array") continue;
      inst.progs.forEach((name, i) => {
        if (name === undefined) return;
        const ptr = new Uint8Array(4);
        new DataView(ptr.buffer).setUint32(0, PROG_RECORDS_BASE + names.indexOf(name) * PROG_RECORD_SIZE, s.littleEndian);
        guest.poke(inst.placement.objectAddr + PROG_ARRAY_PTRS_OFF + 4 * i, ptr);
      });
    }
  }
  const env = createHelperEnv(guest, mapState, s.seed ?? 0);
  const loaded: LoadedMachine = { machine: m, env, mapState, sp0, helperFault: undefined };
  const maxId = Math.max(...HELPER_PROTOS.map((p) => p.id));
  m.addRegion({ name: "helpers", base: layout.helperBase, size: alignUp(helperAddress(layout, maxId) - layout.helperBase + layout.helperStride, 4096), perms: "rx" });
  for (const p of HELPER_PROTOS) {
    if (p.id === BPF_FUNC_tail_call) continue; // performed inline by the JIT, never called
    m.registerHost(helperAddress(layout, p.id), {
      abi: "o32", args: p.args, ret: p.ret, name: p.name, requireT9: true,
      fn: (args) => {
        const vals = args.map((a) => u64(a.hi, a.lo));
        try {
          const r = callHelper(p.id, vals, env);
          return { lo: Number(r & 0xffffffffn) | 0, hi: Number((r >> 32n) & 0xffffffffn) | 0 };
        } catch (e) {
          if (e instanceof HelperFault) loaded.helperFault = e.message;
          throw e;
        }
      },
    });
  }
  return loaded;
}

/** The writable regions in the reference's names: ctx, the eBPF part of all MAX_CALL_FRAMES frames, map values. */
export function readRegions(m: Machine, layout: MemoryLayout, ctxSize: number, maps: readonly MapDef[]): ObservedRegion[] {
  const read = (base: number, size: number): Uint8Array => {
    if (size === 0) return new Uint8Array(0);
    const r = m.mem.find(base, size);
    return r === null ? new Uint8Array(0) : r.bytes.slice(base - r.base, base - r.base + size);
  };
  const out: ObservedRegion[] = [{ name: CTX_REGION, base: layout.ctx.base, bytes: read(layout.ctx.base, ctxSize) }];
  for (let d = 0; d < MAX_CALL_FRAMES; d++) {
    const base = layout.stackTop - d * layout.frameStride - BPF_STACK_SIZE;
    out.push({ name: stackRegionName(d), base, bytes: read(base, BPF_STACK_SIZE) });
  }
  for (const p of placeMaps(layout, maps)) {
    if (p.def.type === "prog_array") continue;
    out.push({ name: mapValuesRegionName(p.def), base: p.valuesAddr, bytes: read(p.valuesAddr, p.valuesSize) });
  }
  return out;
}
