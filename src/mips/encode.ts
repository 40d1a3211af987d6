// Encoder and typed emitters derived from the ISA table, for the JIT.
// Owns: operand → word encoding with range checks (plain Error on a bad operand: a JIT bug, not user input),
// the r6 compact-branch register-order rules, and the `ops` / `opsFor(level)` emitter sets.
// Does not own: instruction selection or branch relaxation (jit/).

import { ISA_LEVELS, LEVEL_BIT } from "./levels";
import type { IsaLevel } from "./levels";
import { encodingViolation } from "./decode";
import { insertOperand } from "./operands";
import { MIPS_TABLE } from "./table";
import type { MipsInsnDef } from "./types";

/** An emitter: operands in assembler order (registers as numbers; branch offsets in bytes from PC+4). */
export type Emitter = (a?: number, b?: number, c?: number, d?: number) => number;

const BY_KEY = new Map<string, MipsInsnDef>(MIPS_TABLE.map((d) => [d.key, d]));

/** Commutative r6 compact branches whose register order picks the variant (Vol. II r6 BEQC/BOVC). */
const SWAP_IF_RS_GT_RT = new Set(["beqc", "bnec"]);
const SWAP_IF_RS_LT_RT = new Set(["bovc", "bnvc"]);

function encodeDef(def: MipsInsnDef, a: number | undefined, b: number | undefined, c: number | undefined, d: number | undefined): number {
  const ops = def.operands;
  const n = ops.length;
  if ((n > 0 && a === undefined) || (n > 1 && b === undefined) || (n > 2 && c === undefined) || (n > 3 && d === undefined)) {
    throw new Error(`mips encode ${def.key}: expected ${n} operands (${def.syntax})`);
  }
  if (SWAP_IF_RS_GT_RT.has(def.key) && a! > b!) { const t = a; a = b; b = t; }
  else if (SWAP_IF_RS_LT_RT.has(def.key) && a! < b!) { const t = a; a = b; b = t; }
  let w = def.match;
  try {
    if (n > 0) w = insertOperand(ops[0]!, w, a!);
    if (n > 1) w = insertOperand(ops[1]!, w, b!);
    if (n > 2) w = insertOperand(ops[2]!, w, c!);
    if (n > 3) w = insertOperand(ops[3]!, w, d!);
  } catch (e) {
    throw new Error(`mips encode ${def.key} ${def.syntax}: ${(e as Error).message}`);
  }
  if (def.pred !== "none" && !predHolds(def, w)) {
    throw new Error(`mips encode ${def.key}: register operands violate the ${def.pred} rule of this encoding`);
  }
  if (def.check !== "none") {
    const why = encodingViolation(def.id, w);
    if (why) throw new Error(`mips encode ${def.key}: UNPREDICTABLE encoding: ${why}`);
  }
  return w | 0;
}

function predHolds(def: MipsInsnDef, w: number): boolean {
  const s = (w >>> 21) & 31, t = (w >>> 16) & 31;
  switch (def.pred) {
    case "none": return true;
    case "rs0_rtnz": return s === 0 && t !== 0;
    case "rs_lt_rt_nz": return s !== 0 && s < t;
    case "rs_ge_rt": return s >= t;
    case "rs_eq_rt_nz": return s === t && s !== 0;
    case "rs_ne_rt_nz": return s !== t && s !== 0 && t !== 0;
    case "rs_nz": return s !== 0;
  }
}

/** Encode by table id or unique key with operands in assembler order. */
export function encode(idOrKey: number | string, operands: readonly number[]): number {
  const def = typeof idOrKey === "number" ? MIPS_TABLE[idOrKey] : BY_KEY.get(idOrKey);
  if (!def) throw new Error(`mips encode: no instruction ${idOrKey}`);
  if (operands.length !== def.operands.length) {
    throw new Error(`mips encode ${def.key}: expected ${def.operands.length} operands (${def.syntax}), got ${operands.length}`);
  }
  return encodeDef(def, operands[0], operands[1], operands[2], operands[3]);
}

function emitterFor(def: MipsInsnDef): Emitter {
  return (a, b, c, d) => encodeDef(def, a, b, c, d);
}

/** Emitters by unique table key (level-independent): ops.addu(rd, rs, rt), ops.mul_r6(rd, rs, rt) … */
export const ops: Readonly<Record<string, Emitter>> = Object.fromEntries(MIPS_TABLE.map((d) => [d.key, emitterFor(d)]));

/** Emitter-set key of a mnemonic: "jr.hb" → "jr_hb". */
export const emitterName = (mnemonic: string): string => mnemonic.replace(/\./g, "_");

const OPS_BY_LEVEL = new Map<IsaLevel, Readonly<Record<string, Emitter>>>(
  ISA_LEVELS.map((l) => [
    l,
    Object.fromEntries(
      MIPS_TABLE.filter((d) => d.levels & LEVEL_BIT[l]).map((d) => [emitterName(d.mnemonic), emitterFor(d)]),
    ),
  ]),
);

/**
 * Emitters by mnemonic for one level, choosing that level's encoding: opsFor("mips32r6").jr is JALR $0,
 * .mul is the r6 SPECIAL MUL; opsFor("mips32r2").mul is SPECIAL2 MUL. Instructions the level lacks are absent.
 */
export function opsFor(level: IsaLevel): Readonly<Record<string, Emitter>> {
  return OPS_BY_LEVEL.get(level)!;
}
