// Decoder derived from the ISA table: word → table id on a given ISA level, or -1 (Reserved Instruction).
// Owns the per-level lookup structures and the predicate checks. Does not own instruction semantics
// (emulator/) nor the UNPREDICTABLE checks on must-be-zero fields (callers read MipsInsnDef.mbz / rtEqRd,
// or use mbzViolation below).
//
// Lookup: primary opcode (bits 31..26) plus a secondary key per opcode (funct for SPECIAL/SPECIAL2/SPECIAL3,
// rt for REGIMM) select a small bucket of candidate ids, ordered most specific mask first. Built once per
// level; decode() allocates nothing.

import { ISA_LEVELS, LEVEL_BIT } from "./levels";
import type { IsaLevel } from "./levels";
import { MIPS_TABLE } from "./table";
import type { RegPredicate } from "./types";

const N = MIPS_TABLE.length;
export const MATCH = new Int32Array(N);
export const MASK = new Int32Array(N);
export const MBZ = new Int32Array(N);
const PRED = new Uint8Array(N);
const PRED_CODE: Record<RegPredicate, number> = {
  none: 0, rs0_rtnz: 1, rs_lt_rt_nz: 2, rs_ge_rt: 3, rs_eq_rt_nz: 4, rs_ne_rt_nz: 5, rs_nz: 6,
};
for (const d of MIPS_TABLE) {
  MATCH[d.id] = d.match;
  MASK[d.id] = d.mask;
  MBZ[d.id] = d.mbz;
  PRED[d.id] = PRED_CODE[d.pred];
}

/** Secondary-key shift and mask for each primary opcode. */
const SEC_SHIFT = new Uint8Array(64);
const SEC_MASK = new Uint8Array(64);
SEC_SHIFT[0] = 0; SEC_MASK[0] = 63;   // SPECIAL: funct
SEC_SHIFT[1] = 16; SEC_MASK[1] = 31;  // REGIMM: rt
SEC_SHIFT[28] = 0; SEC_MASK[28] = 63; // SPECIAL2: funct
SEC_SHIFT[31] = 0; SEC_MASK[31] = 63; // SPECIAL3: funct

/**
 * Does word w satisfy the register predicate of its encoding? The one statement of these rules, used by the
 * decoder (via the numeric code, allocation-free), the encoder's operand checks and the table tests.
 */
export function regPredicateHolds(pred: RegPredicate, w: number): boolean {
  return predOk(PRED_CODE[pred], w);
}

function predOk(p: number, w: number): boolean {
  if (p === 0) return true;
  const s = (w >>> 21) & 31, t = (w >>> 16) & 31;
  switch (p) {
    case 1: return s === 0 && t !== 0;
    case 2: return s !== 0 && s < t;
    case 3: return s >= t;
    case 4: return s === t && s !== 0;
    case 5: return s !== t && s !== 0 && t !== 0;
    default: return s !== 0;
  }
}

function popcount(x: number): number {
  let c = 0;
  for (let v = x >>> 0; v; v &= v - 1) c++;
  return c;
}

interface LevelDecoder { start: Int32Array; list: Int16Array }

function build(levelBit: number): LevelDecoder {
  const buckets: number[][] = Array.from({ length: 64 * 64 }, () => []);
  for (const d of MIPS_TABLE) {
    if (!(d.levels & levelBit)) continue;
    const opc = d.match >>> 26;
    const secMask = SEC_MASK[opc]!, secShift = SEC_SHIFT[opc]!;
    const fieldMask = (secMask << secShift) | 0;
    for (let sec = 0; sec <= secMask; sec++) {
      // the entry belongs to every bucket whose secondary value agrees with its fixed bits
      if (((sec << secShift) & d.mask & fieldMask) !== (d.match & fieldMask & d.mask)) continue;
      buckets[(opc << 6) | sec]!.push(d.id);
    }
  }
  const start = new Int32Array(64 * 64 + 1);
  const flat: number[] = [];
  for (let i = 0; i < 64 * 64; i++) {
    start[i] = flat.length;
    const b = buckets[i]!;
    b.sort((x, y) => popcount(MASK[y]!) - popcount(MASK[x]!) || x - y);
    flat.push(...b);
  }
  start[64 * 64] = flat.length;
  return { start, list: Int16Array.from(flat) };
}

const DECODERS: LevelDecoder[] = ISA_LEVELS.map((l) => build(LEVEL_BIT[l]));
const LEVEL_INDEX: Readonly<Record<IsaLevel, number>> = Object.fromEntries(
  ISA_LEVELS.map((l, i) => [l, i]),
) as Record<IsaLevel, number>;

/** Table id of `word` on `level`, or -1 when the level has no such instruction (Reserved Instruction). */
export function decode(word: number, level: IsaLevel): number {
  const dec = DECODERS[LEVEL_INDEX[level]]!;
  const w = word | 0;
  const opc = w >>> 26;
  const key = (opc << 6) | ((w >>> SEC_SHIFT[opc]!) & SEC_MASK[opc]!);
  const list = dec.list;
  for (let i = dec.start[key]!, e = dec.start[key + 1]!; i < e; i++) {
    const id = list[i]!;
    if ((w & MASK[id]!) === MATCH[id] && predOk(PRED[id]!, w)) return id;
  }
  return -1;
}

/** A decode function bound to one level (what the emulator's predecoder should hold). */
export function decoderFor(level: IsaLevel): (word: number) => number {
  const dec = DECODERS[LEVEL_INDEX[level]]!;
  const { start, list } = dec;
  return (word: number): number => {
    const w = word | 0;
    const opc = w >>> 26;
    const key = (opc << 6) | ((w >>> SEC_SHIFT[opc]!) & SEC_MASK[opc]!);
    for (let i = start[key]!, e = start[key + 1]!; i < e; i++) {
      const id = list[i]!;
      if ((w & MASK[id]!) === MATCH[id] && predOk(PRED[id]!, w)) return id;
    }
    return -1;
  };
}

/**
 * The manual's UNPREDICTABLE encodings of a decoded word (trip-wire 6): the must-be-zero bits that are set,
 * or -1 when pre-r6 CLZ/CLO/DCLZ/DCLO have rt ≠ rd. 0 means the encoding is clean.
 */
export function mbzViolation(id: number, word: number): number {
  const bad = word & MBZ[id]!;
  if (bad) return bad;
  if (MIPS_TABLE[id]!.rtEqRd && ((word >>> 16) & 31) !== ((word >>> 11) & 31)) return -1;
  return 0;
}

/**
 * Why the manual calls this decoded word UNPREDICTABLE (trip-wire 6), or null when it is clean: non-zero
 * must-be-zero fields, pre-r6 CLZ/CLO with rt ≠ rd (Vol. II CLZ), EXT/DEXTM/DEXTU with lsb + msbd > 31,
 * INS/DINS/DINSU with lsb > msb (Vol. II EXT, INS), JALR with rs = rd (Vol. II JALR). Not for the hot path:
 * call it once per word when predecoding.
 */
export function encodingViolation(id: number, word: number): string | null {
  const d = MIPS_TABLE[id]!;
  const bad = word & MBZ[id]!;
  if (bad) return `must-be-zero bits set (0x${(bad >>> 0).toString(16).padStart(8, "0")})`;
  const rs = (word >>> 21) & 31, rt = (word >>> 16) & 31, rd = (word >>> 11) & 31, sa = (word >>> 6) & 31;
  if (d.rtEqRd && rt !== rd) return `rt ($${rt}) differs from rd ($${rd})`;
  switch (d.check) {
    case "ext": return sa + rd > 31 ? `position + size out of range (lsb ${sa} + msbd ${rd} > 31)` : null;
    case "ins": return sa > rd ? `lsb (${sa}) > msb (${rd})` : null;
    case "rs_ne_rd": return rs === rd ? `rs and rd are both $${rs}` : null;
    default: return null;
  }
}
