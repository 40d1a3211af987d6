// Emulator memory: a map of named regions {base, size, perms r/w/x} holding bytes in the CPU's byte order.
// Owns address → region lookup, permission checks and the per-region predecode cache of executable regions
// (invalidated on every store into code, issue 3 §8). Does not own alignment rules or exception reporting:
// the CPU decides what an access failure means (Address Error on load/store/fetch, reference/mips-isa.md §5.2).
// Addresses are JS numbers: exact below 2^53, which covers every 32-bit address and the 64-bit regions the
// layout places above 4 GiB. A 64-bit register value ≥ 2^53 rounds but stays ≥ 2^53, so it can never alias a
// mapped region (all regions lie below 2^53) — the access simply faults as unmapped.
import { InputError } from "../src/ebpf/errors";

export const PERM_R = 1;
export const PERM_W = 2;
export const PERM_X = 4;

export interface RegionSpec {
  readonly name: string;
  readonly base: number;
  readonly size: number;
  /** Any of "r", "w", "x" (e.g. "rw", "rx"); "-" placeholders are ignored. */
  readonly perms: string;
  /** Initial contents (copied; shorter than size is zero-padded). */
  readonly data?: Uint8Array;
}

/** Decode-cache sentinel: the word at this index has not been decoded yet (or was overwritten). */
export const UNDECODED = -2;

/** A compiled basic block (blocks.ts): runs from its start word; 0 = continue, non-zero = stopped. */
export type BlockFn = (c: object, limit: number) => number;

export class Region {
  readonly name: string;
  readonly base: number;
  readonly size: number;
  readonly end: number;
  readonly perm: number;
  readonly bytes: Uint8Array;
  readonly dv: DataView;
  /** Predecoded table id per word (executable regions only); UNDECODED until first fetch. */
  readonly dOp: Int32Array | null;
  /** The raw instruction word (host order) for each decoded entry. */
  readonly dWord: Int32Array | null;
  /** Compiled basic blocks by start word (blocks.ts); null entries: not compilable. Dropped on code stores. */
  blocks: (BlockFn | null | undefined)[] = [];
  /** Instructions a compiled block at that index may execute (for the budget check). */
  blockLen: Uint16Array | null = null;
  /** Execution counts of block starts (compile when hot). */
  heat: Uint8Array | null = null;

  constructor(spec: RegionSpec) {
    this.name = spec.name;
    this.base = spec.base;
    this.size = spec.size;
    this.end = spec.base + spec.size;
    let p = 0;
    for (const ch of spec.perms) {
      if (ch === "r") p |= PERM_R;
      else if (ch === "w") p |= PERM_W;
      else if (ch === "x") p |= PERM_X;
      else if (ch !== "-") throw new InputError(`invalid permission '${ch}' in '${spec.perms}'`, { field: spec.name });
    }
    this.perm = p;
    this.bytes = new Uint8Array(spec.size);
    if (spec.data !== undefined) this.bytes.set(spec.data.subarray(0, spec.size));
    this.dv = new DataView(this.bytes.buffer);
    if (p & PERM_X) {
      const n = Math.ceil(spec.size / 4);
      this.dOp = new Int32Array(n).fill(UNDECODED);
      this.dWord = new Int32Array(n);
      this.blockLen = new Uint16Array(n);
      this.heat = new Uint8Array(n);
    } else {
      this.dOp = null;
      this.dWord = null;
    }
  }

  /** Forget predecoded words overlapping [off, off+len) (a store into code). */
  invalidate(off: number, len: number): void {
    const d = this.dOp;
    if (d === null) return;
    const last = (off + len - 1) >>> 2;
    for (let i = off >>> 2; i <= last && i < d.length; i++) d[i] = UNDECODED;
    // a compiled block may span the written word: drop them all (self-modifying code is rare)
    if (this.blocks.length !== 0) { this.blocks = []; (this.heat as Uint8Array).fill(0); }
  }
}

const MAX_ADDR = 2 ** 53;

export class Memory {
  readonly regions: Region[] = [];
  readonly littleEndian: boolean;
  readonly addressBits: 32 | 64;

  constructor(littleEndian: boolean, addressBits: 32 | 64) {
    this.littleEndian = littleEndian;
    this.addressBits = addressBits;
  }

  add(spec: RegionSpec): Region {
    const limit = this.addressBits === 32 ? 2 ** 32 : MAX_ADDR;
    if (!Number.isInteger(spec.base) || !Number.isInteger(spec.size) || spec.base < 0 || spec.size <= 0 || spec.base + spec.size > limit) {
      throw new InputError(`region '${spec.name}' [0x${spec.base.toString(16)}, +0x${spec.size.toString(16)}) is outside the ${this.addressBits}-bit address space`);
    }
    for (const r of this.regions) {
      if (spec.base < r.end && r.base < spec.base + spec.size) {
        throw new InputError(`region '${spec.name}' at 0x${spec.base.toString(16)} overlaps region '${r.name}' at 0x${r.base.toString(16)}`);
      }
    }
    const region = new Region(spec);
    this.regions.push(region);
    this.regions.sort((a, b) => a.base - b.base);
    return region;
  }

  /** The region containing all of [addr, addr+len), or null. Not the hot path (the CPU caches a region). */
  find(addr: number, len: number): Region | null {
    const rs = this.regions;
    for (let i = 0; i < rs.length; i++) {
      const r = rs[i];
      if (addr >= r.base && addr + len <= r.end) return r;
    }
    return null;
  }

  byName(name: string): Region | undefined {
    return this.regions.find((r) => r.name === name);
  }

  // ---- host-side accessors (tests, ABI bridge, loaders): no permission checks, throw on unmapped ----

  private must(addr: number, len: number): Region {
    const r = this.find(addr, len);
    if (r === null) throw new RangeError(`host access to unmapped memory 0x${addr.toString(16)} (+${len})`);
    return r;
  }

  readBytes(addr: number, len: number): Uint8Array {
    const r = this.must(addr, len);
    return r.bytes.slice(addr - r.base, addr - r.base + len);
  }

  writeBytes(addr: number, data: Uint8Array): void {
    const r = this.must(addr, data.length);
    r.bytes.set(data, addr - r.base);
    r.invalidate(addr - r.base, data.length);
  }

  read32(addr: number): number {
    const r = this.must(addr, 4);
    return r.dv.getUint32(addr - r.base, this.littleEndian);
  }

  write32(addr: number, v: number): void {
    const r = this.must(addr, 4);
    r.dv.setUint32(addr - r.base, v >>> 0, this.littleEndian);
    r.invalidate(addr - r.base, 4);
  }

  /** 64-bit value as {hi, lo} 32-bit halves (unsigned), in the CPU's byte order. */
  read64(addr: number): { hi: number; lo: number } {
    const r = this.must(addr, 8);
    const o = addr - r.base;
    const a = r.dv.getUint32(o, this.littleEndian);
    const b = r.dv.getUint32(o + 4, this.littleEndian);
    return this.littleEndian ? { lo: a, hi: b } : { hi: a, lo: b };
  }

  write64(addr: number, hi: number, lo: number): void {
    const r = this.must(addr, 8);
    const o = addr - r.base;
    const [a, b] = this.littleEndian ? [lo, hi] : [hi, lo];
    r.dv.setUint32(o, a >>> 0, this.littleEndian);
    r.dv.setUint32(o + 4, b >>> 0, this.littleEndian);
    r.invalidate(o, 8);
  }

  /** Store instruction words (host numbers) in the CPU's byte order starting at addr. */
  writeWords(addr: number, words: ArrayLike<number>): void {
    for (let i = 0; i < words.length; i++) this.write32(addr + 4 * i, words[i]);
  }
}
