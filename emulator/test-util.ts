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
