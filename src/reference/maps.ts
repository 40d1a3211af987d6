// Map state shared by both sides of the harness: array, hash and prog_array maps. Values live in guest
// memory at the placement from placeMaps(), so map_lookup_elem returns the same pointer on both sides;
// only the bookkeeping (which hash key owns which slot) lives here. Owns map semantics and errno values;
// does not own placement (src/ebpf/layout.ts) or the helper ABI (helpers.ts).
import type { MapDef } from "../ebpf/maps";
import type { MapPlacement, MemoryLayout } from "../ebpf/layout";
import { placeMaps, PROG_ARRAY_MAX_ENTRIES_OFF } from "../ebpf/layout";
import { InputError } from "../ebpf/errors";
import type { GuestMemory } from "./memory";
import { bigIntToBytes, bytesToBigInt } from "./memory";

// Linux errno values returned (negated) by the map helpers.
export const EPERM = 1;
export const ENOENT = 2;
export const E2BIG = 7;
export const EEXIST = 17;
export const EINVAL = 22;

// map_update_elem flags (include/uapi/linux/bpf.h).
export const BPF_ANY = 0;
export const BPF_NOEXIST = 1;
export const BPF_EXIST = 2;

/** A guest memory that may also initialise read-only regions (map objects) before a run. */
export interface InitMemory extends GuestMemory {
  poke?(addr: number, bytes: Uint8Array): boolean;
}

export interface MapInstance {
  readonly placement: MapPlacement;
  readonly def: MapDef;
  /** hash: key (hex of the key bytes) → slot index. */
  readonly hashSlots: Map<string, number>;
  /** hash: slot index → in use. */
  readonly slotUsed: Uint8Array;
  /** prog_array: program name per index, or undefined for an empty slot. */
  readonly progs: (string | undefined)[];
}

/** Outcome of a map operation: a guest address (lookup) or a result for R0 (0 or −errno). */
export class MapState {
  readonly layout: MemoryLayout;
  readonly instances: MapInstance[];
  private readonly byAddr = new Map<number, MapInstance>();

  constructor(layout: MemoryLayout, defs: readonly MapDef[]) {
    this.layout = layout;
    this.instances = placeMaps(layout, defs).map((placement) => ({
      placement,
      def: placement.def,
      hashSlots: new Map<string, number>(),
      slotUsed: new Uint8Array(placement.def.type === "hash" ? placement.def.maxEntries : 0),
      progs: new Array<string | undefined>(placement.def.type === "prog_array" ? placement.def.maxEntries : 0).fill(undefined),
    }));
    for (const m of this.instances) this.byAddr.set(m.placement.objectAddr, m);
  }

  /** The map whose object pointer (LD_IMM64 src 1/5) is `addr`. */
  byObject(addr: number): MapInstance | undefined {
    return this.byAddr.get(addr);
  }

  private slotAddr(m: MapInstance, slot: number): number {
    return m.placement.valuesAddr + slot * m.def.valueSize;
  }

  private arrayIndex(key: Uint8Array): number {
    return Number(bytesToBigInt(key, this.layout.littleEndian));
  }

  /** Guest address of the value stored under key, or 0 (array: index < max_entries). */
  lookup(m: MapInstance, key: Uint8Array): number {
    if (m.def.type === "array") {
      const i = this.arrayIndex(key);
      return i < m.def.maxEntries ? this.slotAddr(m, i) : 0;
    }
    if (m.def.type === "hash") {
      const slot = m.hashSlots.get(hex(key));
      return slot === undefined ? 0 : this.slotAddr(m, slot);
    }
    return 0;
  }

  /**
   * Store value under key. Array: −E2BIG past max_entries, −EEXIST with NOEXIST (every index exists).
   * Hash: −EEXIST / −ENOENT for NOEXIST / EXIST, −E2BIG when full; a new key takes the first free slot.
   * Unknown flags: −EINVAL. prog_array cannot be updated from a program (−EINVAL, as the Linux verifier
   * forbids it). Returns 0 or −errno, and writes the value bytes into guest memory.
   */
  update(m: MapInstance, key: Uint8Array, value: Uint8Array, flags: bigint, mem: GuestMemory): number {
    if (flags > BigInt(BPF_EXIST)) return -EINVAL;
    if (m.def.type === "array") {
      const i = this.arrayIndex(key);
      if (i >= m.def.maxEntries) return -E2BIG;
      if (flags === BigInt(BPF_NOEXIST)) return -EEXIST;
      return mem.write(this.slotAddr(m, i), value) ? 0 : -EINVAL;
    }
    if (m.def.type === "hash") {
      const k = hex(key);
      let slot = m.hashSlots.get(k);
      if (slot !== undefined) {
        if (flags === BigInt(BPF_NOEXIST)) return -EEXIST;
      } else {
        if (flags === BigInt(BPF_EXIST)) return -ENOENT;
        slot = m.slotUsed.indexOf(0);
        if (slot < 0) return -E2BIG;
        m.slotUsed[slot] = 1;
        m.hashSlots.set(k, slot);
      }
      return mem.write(this.slotAddr(m, slot), value) ? 0 : -EINVAL;
    }
    return -EINVAL;
  }

  /** Remove key: hash 0 or −ENOENT (the slot becomes free; its bytes stay); array and prog_array −EINVAL. */
  delete(m: MapInstance, key: Uint8Array): number {
    if (m.def.type !== "hash") return -EINVAL;
    const k = hex(key);
    const slot = m.hashSlots.get(k);
    if (slot === undefined) return -ENOENT;
    m.hashSlots.delete(k);
    m.slotUsed[slot] = 0;
    return 0;
  }

  /** The program name in a prog_array slot (index as u32), or undefined if out of range or empty. */
  progAt(m: MapInstance, index: number): string | undefined {
    if (m.def.type !== "prog_array" || index >= m.def.maxEntries) return undefined;
    return m.progs[index];
  }
}

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

function parseHex(s: string, what: string): Uint8Array {
  const t = s.replace(/\s+/g, "").replace(/^0x/i, "");
  if (t.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(t)) throw new InputError(`${what}: "${s}" is not a hex byte string`);
  const out = new Uint8Array(t.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(t.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/**
 * Create the map state and write every map's initial contents into guest memory:
 * array `init` (index → value hex, zero-padded to valueSize), hash `init` (key hex → value hex, slots
 * taken in the record's order) and prog_array `init` (index → program name, which must be in `programs`).
 * The prog_array object is written in layout.ts's format with max_entries and all entry pointers 0; the
 * harness fills real pointers on the JIT side. Bad init data throws InputError.
 */
export function createMapState(
  layout: MemoryLayout,
  defs: readonly MapDef[],
  mem: InitMemory,
  programs: Readonly<Record<string, unknown>> = {},
): MapState {
  const state = new MapState(layout, defs);
  const poke = (addr: number, bytes: Uint8Array): boolean => (mem.poke ? mem.poke(addr, bytes) : mem.write(addr, bytes));
  for (const m of state.instances) {
    const { def, placement } = m;
    const init = def.init ?? {};
    const where = `map ${def.name}`;
    if (def.type === "array") {
      for (const [idx, val] of Object.entries(init)) {
        const i = parseIndex(idx, def.maxEntries, where);
        const bytes = parseHex(val, `${where}[${idx}]`);
        if (bytes.length > def.valueSize) throw new InputError(`${where}[${idx}]: ${bytes.length} bytes exceed valueSize ${def.valueSize}`);
        const padded = new Uint8Array(def.valueSize);
        padded.set(bytes);
        poke(placement.valuesAddr + i * def.valueSize, padded);
      }
    } else if (def.type === "hash") {
      for (const [k, val] of Object.entries(init)) {
        const key = parseHex(k, `${where} key`);
        if (key.length !== def.keySize) throw new InputError(`${where}: key "${k}" has ${key.length} bytes, keySize is ${def.keySize}`);
        const bytes = parseHex(val, `${where}[${k}]`);
        if (bytes.length > def.valueSize) throw new InputError(`${where}[${k}]: ${bytes.length} bytes exceed valueSize ${def.valueSize}`);
        const padded = new Uint8Array(def.valueSize);
        padded.set(bytes);
        if (state.update(m, key, padded, 0n, { read: mem.read.bind(mem), write: poke }) !== 0) {
          throw new InputError(`${where}: more initial entries than maxEntries ${def.maxEntries}`);
        }
      }
    } else {
      for (const [idx, name] of Object.entries(init)) {
        const i = parseIndex(idx, def.maxEntries, where);
        if (!Object.hasOwn(programs, name)) throw new InputError(`${where}[${idx}]: no program named "${name}"`);
        m.progs[i] = name;
      }
      const header = new Uint8Array(placement.valuesAddr - placement.objectAddr);
      header.set(bigIntToBytes(BigInt(def.maxEntries), 4, layout.littleEndian), PROG_ARRAY_MAX_ENTRIES_OFF);
      poke(placement.objectAddr, header);
    }
  }
  return state;
}

function parseIndex(s: string, max: number, where: string): number {
  if (!/^\d+$/.test(s)) throw new InputError(`${where}: init index "${s}" is not a decimal number`);
  const i = Number(s);
  if (i >= max) throw new InputError(`${where}: init index ${i} ≥ maxEntries ${max}`);
  return i;
}
