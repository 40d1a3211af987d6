// The shared memory layout: where the context, the eBPF stack frames, the maps and the helper trampolines
// live. The reference interpreter and the JIT+emulator side place the same regions at the same addresses,
// so pointer values (R10, map values, the context) are bit-identical on both sides and can be compared.
// This file owns addresses and the in-memory format of objects native code reads (prog arrays); it does not
// own map semantics (src/reference/maps.ts) or the native stack frame (jit/ reports its own frame shape).
import type { MapDef } from "./maps";

export interface Region {
  readonly name: string;
  readonly base: number;
  readonly size: number;
  readonly writable: boolean;
}

export interface MemoryLayout {
  readonly addressBits: 32 | 64;
  readonly littleEndian: boolean;
  /** The context / packet buffer (`-- mem`): R1 = ctx.base and R2 = ctx.size at entry. */
  readonly ctx: { readonly base: number; readonly size: number };
  /** R10 of the outermost frame. The 512-byte eBPF stack is [stackTop − 512, stackTop). */
  readonly stackTop: number;
  /** R10 at call depth d is stackTop − d × frameStride (bpf-to-bpf calls). ≥ 512; the JIT reports its own. */
  readonly frameStride: number;
  /** Map objects and their values are placed from here on (see placeMaps). */
  readonly mapBase: number;
  /** Helper id n is called at helperBase + n × helperStride (an executable trampoline region on MIPS). */
  readonly helperBase: number;
  readonly helperStride: number;
}

// Addresses chosen so that on 64-bit targets every region sits above 4 GiB and the context straddles a
// 256 MiB boundary (reference/mips-isa.md §3.1: j/jal reach only the current 256 MiB segment).
export function defaultLayout(addressBits: 32 | 64, littleEndian: boolean, ctxSize = 0): MemoryLayout {
  const hi = addressBits === 64 ? 0x1_0000_0000 : 0;
  return {
    addressBits,
    littleEndian,
    ctx: { base: addressBits === 64 ? hi + 0x2fff_ff00 : 0x1000_0000, size: ctxSize },
    stackTop: hi + 0x7ff0_0000,
    frameStride: 1024,
    mapBase: hi + 0x4000_0000,
    helperBase: hi + 0x7e00_0000,
    helperStride: 8,
  };
}

/** Where one map lives: the object pointer LD_IMM64 src=1 yields, and its value storage. */
export interface MapPlacement {
  readonly def: MapDef;
  readonly index: number;
  /** The map pointer (LD_IMM64 src=1/5). For prog arrays, points at the ProgArray object below. */
  readonly objectAddr: number;
  /** First byte of value storage: valueSize × maxEntries bytes (array/hash slots). */
  readonly valuesAddr: number;
  readonly valuesSize: number;
}

/**
 * In-memory format of a prog_array object, read by JIT-generated tail-call code (as Linux reads
 * struct bpf_array): u32 max_entries at +0, then max_entries pointers (4 or 8 bytes) at +PTRS_OFF, each 0 or
 * pointing at a "prog" record whose first pointer-sized word is the entry address of that program's code.
 */
export const PROG_ARRAY_MAX_ENTRIES_OFF = 0;
export const PROG_ARRAY_PTRS_OFF = 8;
export const PROG_BPF_FUNC_OFF = 0;

const align = (x: number, a: number): number => Math.ceil(x / a) * a;

/** Deterministic placement: each map gets a 64-byte object header followed by its values, 4 KiB-aligned. */
export function placeMaps(layout: MemoryLayout, maps: readonly MapDef[]): MapPlacement[] {
  let at = layout.mapBase;
  return maps.map((def, index) => {
    const ptrBytes = layout.addressBits / 8;
    const headerSize = def.type === "prog_array" ? PROG_ARRAY_PTRS_OFF + ptrBytes * def.maxEntries : 64;
    const objectAddr = at;
    const valuesAddr = align(objectAddr + headerSize, 64);
    const valuesSize = def.valueSize * def.maxEntries;
    at = align(valuesAddr + valuesSize, 4096);
    return { def, index, objectAddr, valuesAddr, valuesSize };
  });
}

export function helperAddress(layout: MemoryLayout, id: number): number {
  return layout.helperBase + id * layout.helperStride;
}
