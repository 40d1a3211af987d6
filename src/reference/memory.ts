// Guest memory of the reference side: named regions (context, one stack per call frame, map objects and
// values, optional read-only data) at the addresses the shared MemoryLayout dictates, accessed in the
// layout's byte order. Owns the region plan (names, bases, sizes, permissions) that the emulator adapter
// must reproduce so both sides can be compared region by region; does not own map semantics (maps.ts).
import type { MapDef } from "../ebpf/maps";
import type { MemoryLayout } from "../ebpf/layout";
import { placeMaps } from "../ebpf/layout";
import { BPF_STACK_SIZE, MAX_CALL_FRAMES } from "../ebpf/insn";

/**
 * The byte-level view helpers use, implemented by the reference memory and by the emulator adapter.
 * `read` returns a copy, or undefined unless [addr, addr+len) lies inside one region; `write` returns
 * false unless the range lies inside one writable region (and then writes nothing).
 */
export interface GuestMemory {
  read(addr: number, len: number): Uint8Array | undefined;
  write(addr: number, bytes: Uint8Array): boolean;
}

export type RegionKind = "ctx" | "stack" | "map-object" | "map-values" | "rodata";

export interface RegionSpec {
  readonly name: string;
  readonly kind: RegionKind;
  readonly base: number;
  readonly size: number;
  readonly writable: boolean;
  /** Call depth for stack regions. */
  readonly depth?: number;
}

export const CTX_REGION = "ctx";
/** Stack frame d occupies [stackTop − d·frameStride − 512, stackTop − d·frameStride). */
export const stackRegionName = (depth: number): string => `stack${depth}`;
export const mapValuesRegionName = (def: MapDef): string => `map:${def.name}`;
export const mapObjectRegionName = (def: MapDef): string => `map:${def.name}:object`;

export interface ExtraRegion {
  readonly name: string;
  readonly base: number;
  readonly bytes: Uint8Array;
  readonly writable?: boolean;
}

/**
 * Every region of a run, in a fixed order: ctx, the MAX_CALL_FRAMES stack frames, then per map its
 * object (read-only: the header, or the prog_array object of layout.ts) and, except for prog arrays,
 * its value storage. Prog array values live only in the object, whose entry pointers differ by side.
 */
export function planRegions(layout: MemoryLayout, ctxSize: number, maps: readonly MapDef[] = []): RegionSpec[] {
  const out: RegionSpec[] = [{ name: CTX_REGION, kind: "ctx", base: layout.ctx.base, size: ctxSize, writable: true }];
  for (let d = 0; d < MAX_CALL_FRAMES; d++) {
    const top = layout.stackTop - d * layout.frameStride;
    out.push({ name: stackRegionName(d), kind: "stack", base: top - BPF_STACK_SIZE, size: BPF_STACK_SIZE, writable: true, depth: d });
  }
  const placements = placeMaps(layout, maps);
  for (const p of placements) {
    const headerSize = p.valuesAddr - p.objectAddr;
    out.push({ name: mapObjectRegionName(p.def), kind: "map-object", base: p.objectAddr, size: headerSize, writable: false });
    if (p.def.type !== "prog_array") {
      out.push({ name: mapValuesRegionName(p.def), kind: "map-values", base: p.valuesAddr, size: p.valuesSize, writable: true });
    }
  }
  return out;
}

/** One live region: its bytes and a DataView over them. */
export interface LiveRegion extends RegionSpec {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  readonly end: number;
}

/**
 * The reference memory. Lookup keeps the last region hit because programs access one region at a time
 * in runs (stack, then ctx, …); a miss scans the short region list.
 */
export class RegionMemory implements GuestMemory {
  readonly regions: LiveRegion[];
  readonly littleEndian: boolean;
  private last: LiveRegion;

  constructor(specs: readonly RegionSpec[], littleEndian: boolean, extra: readonly ExtraRegion[] = []) {
    this.littleEndian = littleEndian;
    const all: LiveRegion[] = specs.map((s) => {
      const bytes = new Uint8Array(s.size);
      return { ...s, bytes, view: new DataView(bytes.buffer), end: s.base + s.size };
    });
    for (const e of extra) {
      const bytes = e.bytes.slice();
      all.push({ name: e.name, kind: "rodata", base: e.base, size: bytes.length, writable: e.writable ?? false, bytes, view: new DataView(bytes.buffer), end: e.base + bytes.length });
    }
    this.regions = all;
    this.last = all[0] ?? { name: "", kind: "rodata", base: 0, size: 0, writable: false, bytes: new Uint8Array(0), view: new DataView(new ArrayBuffer(0)), end: 0 };
  }

  region(name: string): LiveRegion | undefined {
    return this.regions.find((r) => r.name === name);
  }

  /** The region holding all of [addr, addr+len), or undefined. */
  find(addr: number, len: number): LiveRegion | undefined {
    const l = this.last;
    if (addr >= l.base && addr + len <= l.end) return l;
    const rs = this.regions;
    for (let i = 0; i < rs.length; i++) {
      const r = rs[i];
      if (addr >= r.base && addr + len <= r.end && r.size > 0) {
        this.last = r;
        return r;
      }
    }
    return undefined;
  }

  read(addr: number, len: number): Uint8Array | undefined {
    if (!Number.isSafeInteger(addr) || len < 0) return undefined;
    if (len === 0) return new Uint8Array(0);
    const r = this.find(addr, len);
    return r === undefined ? undefined : r.bytes.slice(addr - r.base, addr - r.base + len);
  }

  write(addr: number, bytes: Uint8Array): boolean {
    if (!Number.isSafeInteger(addr)) return false;
    if (bytes.length === 0) return true;
    const r = this.find(addr, bytes.length);
    if (r === undefined || !r.writable) return false;
    r.bytes.set(bytes, addr - r.base);
    return true;
  }

  /** Initialisation write that ignores permissions (map objects are read-only to the program). */
  poke(addr: number, bytes: Uint8Array): boolean {
    if (!Number.isSafeInteger(addr)) return false;
    if (bytes.length === 0) return true;
    const r = this.find(addr, bytes.length);
    if (r === undefined) return false;
    r.bytes.set(bytes, addr - r.base);
    return true;
  }

  /** Zero-extending load of 1/2/4/8 bytes in the layout's byte order; undefined outside every region. */
  load(addr: number, size: number): bigint | undefined {
    const r = this.find(addr, size);
    if (r === undefined) return undefined;
    const o = addr - r.base;
    switch (size) {
      case 1: return BigInt(r.bytes[o]);
      case 2: return BigInt(r.view.getUint16(o, this.littleEndian));
      case 4: return BigInt(r.view.getUint32(o, this.littleEndian));
      default: return r.view.getBigUint64(o, this.littleEndian);
    }
  }

  /** Store the low `size` bytes of the u64 `value`; false outside every writable region. */
  store(addr: number, size: number, value: bigint): boolean {
    const r = this.find(addr, size);
    if (r === undefined || !r.writable) return false;
    const o = addr - r.base;
    switch (size) {
      case 1: r.bytes[o] = Number(value & 0xffn); break;
      case 2: r.view.setUint16(o, Number(value & 0xffffn), this.littleEndian); break;
      case 4: r.view.setUint32(o, Number(value & 0xffffffffn), this.littleEndian); break;
      default: r.view.setBigUint64(o, BigInt.asUintN(64, value), this.littleEndian); break;
    }
    return true;
  }
}

/** Read a u32/u64 in the given byte order from a byte array (helpers decode keys and prog indices). */
export function bytesToBigInt(b: Uint8Array, littleEndian: boolean): bigint {
  let v = 0n;
  for (let i = 0; i < b.length; i++) {
    const byte = littleEndian ? b[b.length - 1 - i] : b[i];
    v = (v << 8n) | BigInt(byte);
  }
  return v;
}

export function bigIntToBytes(v: bigint, len: number, littleEndian: boolean): Uint8Array {
  const out = new Uint8Array(len);
  for (let i = 0; i < len; i++) {
    const byte = Number((v >> BigInt(8 * i)) & 0xffn);
    out[littleEndian ? i : len - 1 - i] = byte;
  }
  return out;
}

/** Format an address for messages: hex, 0x-prefixed. */
export const hexAddr = (a: number | bigint): string => "0x" + a.toString(16);
