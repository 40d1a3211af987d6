// Test support for emulator/*.test.ts (not a test itself): build a machine with code/data/stack regions,
// assemble LLVM-syntax lines with the ISA table's assembler, set registers from BigInts (tests may use
// BigInt; the emulator may not) and read them back. Owns nothing the emulator uses.
import { assemble, type IsaLevel } from "../src/mips/index";
import { Machine } from "./machine";
import type { MachineOptions, Outcome, Tripwires } from "./types";

export const M64 = (1n << 64n) - 1n;
export const M32 = (1n << 32n) - 1n;
export const u64 = (x: bigint): bigint => BigInt.asUintN(64, x);
export const i64 = (x: bigint): bigint => BigInt.asIntN(64, x);
export const u32 = (x: bigint): bigint => BigInt.asUintN(32, x);
export const i32 = (x: bigint): bigint => BigInt.asIntN(32, x);
/** A 32-bit result as a 64-bit register holds it (sign-extended). */
export const sx32 = (x: bigint): bigint => u64(i32(x));

export interface Rig {
  readonly m: Machine;
  readonly code: number;
  readonly data: number;
  readonly stackTop: number;
  /** Assemble and store lines at code (+ a trailing `break` as the end marker). */
  load(lines: readonly string[], at?: number): number[];
  set(r: number, v: bigint): void;
  get(r: number): bigint;
  /** Run from code until the final break (kind "exception", Bp) or another stop. */
  run(budget?: number): Outcome;
}

export function rig(level: IsaLevel, le = true, opts: Partial<MachineOptions> & { tripwires?: Partial<Tripwires> } = {}): Rig {
  const m = new Machine({ level, littleEndian: le, ...opts });
  const hi = m.is64 ? 0x1_0000_0000 : 0;
  const code = hi + 0x0040_0000, data = hi + 0x1000_0000, stackTop = hi + 0x7ff0_0000;
  m.addRegion({ name: "code", base: code, size: 0x10000, perms: "rx" });
  m.addRegion({ name: "data", base: data, size: 0x10000, perms: "rw" });
  m.addRegion({ name: "rodata", base: data + 0x10000, size: 0x1000, perms: "r" });
  m.addRegion({ name: "stack", base: stackTop - 0x10000, size: 0x10000, perms: "rw" });
  const r: Rig = {
    m, code, data, stackTop,
    load(lines, at = code) {
      const words = [...lines, "break"].map((l) => assemble(l, level));
      m.mem.writeWords(at, words);
      return words;
    },
    set(reg, v) {
      const x = u64(v);
      m.setReg(reg, Number(x & M32) | 0, Number(x >> 32n) | 0);
    },
    get(reg) {
      const p = m.getReg(reg);
      return m.is64 ? (BigInt(p.hi >>> 0) << 32n) | BigInt(p.lo >>> 0) : BigInt(p.lo >>> 0);
    },
    run(budget = 10_000) {
      return m.run({ pc: code, budget });
    },
  };
  return r;
}

/** Deterministic PRNG (xorshift64*) producing BigInts; the seed is printed by the tests that use it. */
export function prng(seed: bigint): () => bigint {
  let s = seed === 0n ? 1n : seed;
  return () => {
    s ^= s >> 12n; s ^= u64(s << 25n); s ^= s >> 27n;
    return u64(s * 0x2545f4914f6cdd1dn);
  };
}

/** Interesting operand values: 0, ±1, powers of two ± 1, INT_MIN/MAX of both widths, random. */
export function edgeValues(): bigint[] {
  const v = new Set<bigint>([0n, 1n, 2n, M64, M64 - 1n]);
  for (const n of [7, 8, 15, 16, 31, 32, 33, 62, 63]) {
    for (const d of [-1n, 0n, 1n]) { v.add(u64((1n << BigInt(n)) + d)); v.add(u64(-(1n << BigInt(n)) + d)); }
  }
  return [...v];
}

/** The code region's end marker check: the run ended at the trailing break. */
export function endedAtBreak(o: Outcome): boolean {
  return o.kind === "exception" && o.exception === "Bp";
}

// ---- static ELF executables built byte by byte (no toolchain needed) ----

const ARCH: Partial<Record<IsaLevel, number>> = { mips1: 0, mips32r2: 7, mips32r6: 9, mips64r2: 8, mips64r6: 0xa, mips3: 2 };

/** A minimal ET_EXEC with one RX segment holding code followed by data at vaddr base. */
export function elf(opts: { is64: boolean; le: boolean; level: IsaLevel; code: string[]; data?: Uint8Array; base?: number }): Uint8Array {
  const { is64, le } = opts;
  const base = opts.base ?? 0x0040_0000;
  const words = opts.code.map((l) => assemble(l, opts.level));
  const ehsize = is64 ? 64 : 52, phentsize = is64 ? 56 : 32;
  const off = ehsize + phentsize;
  const codeBytes = words.length * 4;
  const data = opts.data ?? new Uint8Array(0);
  const total = off + codeBytes + data.length;
  const b = new Uint8Array(total);
  const dv = new DataView(b.buffer);
  b.set([0x7f, 0x45, 0x4c, 0x46, is64 ? 2 : 1, le ? 1 : 2, 1]);
  const u16 = (o: number, v: number) => dv.setUint16(o, v, le);
  const u32 = (o: number, v: number) => dv.setUint32(o, v >>> 0, le);
  const u64 = (o: number, v: number) => { const lo = v % 2 ** 32, hi = Math.floor(v / 2 ** 32); if (le) { u32(o, lo); u32(o + 4, hi); } else { u32(o, hi); u32(o + 4, lo); } };
  const addr = (o: number, v: number) => (is64 ? u64(o, v) : u32(o, v));
  u16(16, 2); u16(18, 8); u32(20, 1);
  addr(24, base + off); // entry: first instruction
  addr(is64 ? 32 : 28, ehsize); // phoff
  u32(is64 ? 48 : 36, ((ARCH[opts.level] ?? 0) << 28) >>> 0);
  u16(is64 ? 52 : 40, ehsize); u16(is64 ? 54 : 42, phentsize); u16(is64 ? 56 : 44, 1);
  const p = ehsize;
  u32(p, 1);
  if (is64) { u32(p + 4, 7); u64(p + 8, 0); u64(p + 16, base); u64(p + 24, base); u64(p + 32, total); u64(p + 40, total + 0x1000); u64(p + 48, 0x1000); }
  else { u32(p + 4, 0); u32(p + 8, base); u32(p + 12, base); u32(p + 16, total); u32(p + 20, total + 0x1000); u32(p + 24, 7); u32(p + 28, 0x1000); }
  words.forEach((w, i) => u32(off + 4 * i, w));
  b.set(data, off + codeBytes);
  return b;
}

/** li of a 32-bit value (lui/ori). */
export const li = (r: string, v: number) => [`lui ${r}, ${(v >>> 16) & 0xffff}`, `ori ${r}, ${r}, ${v & 0xffff}`];
