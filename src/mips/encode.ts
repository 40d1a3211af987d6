// Encoder and typed emitters derived from the ISA table, for the JIT.
// Owns: operand → word encoding with range checks (plain Error on a bad operand: a JIT bug, not user input),
// the r6 compact-branch register-order rules, and the `ops` / `opsFor(level)` emitter sets.
// Does not own: instruction selection or branch relaxation (jit/).

import { ISA_LEVELS, LEVEL_BIT } from "./levels";
import type { IsaLevel } from "./levels";
import { encodingViolation, regPredicateHolds } from "./decode";
import { insertOperand, OperandRangeError } from "./operands";
import { MIPS_TABLE } from "./table";
import type { MipsInsnDef, OperandKind } from "./types";

/** An emitter: operands in assembler order (registers as numbers; branch offsets in bytes from PC+4). */
export type Emitter = (a?: number, b?: number, c?: number, d?: number) => number;

const BY_KEY = new Map<string, MipsInsnDef>(MIPS_TABLE.map((d) => [d.key, d]));

/** Commutative r6 compact branches whose register order picks the variant (Vol. II r6 BEQC/BOVC). */
const SWAP_IF_RS_GT_RT = new Set(["beqc", "bnec"]);
const SWAP_IF_RS_LT_RT = new Set(["bovc", "bnvc"]);

type Inserter = (w: number, v: number) => number;

function bad(def: MipsInsnDef, kind: OperandKind, v: number, why: string): never {
  throw new Error(`mips encode ${def.key} ${def.syntax}: operand ${kind} = ${v}: ${why}`);
}

/**
 * A specialised, allocation-free inserter for the common kinds (registers, 16-bit immediates, shift amounts,
 * 16-bit branch offsets); the rest go through insertOperand. `(v | 0) !== v` rejects non-integers and undefined.
 */
function inserterFor(def: MipsInsnDef, kind: OperandKind): Inserter {
  const reg = (sh: number): Inserter => (w, v) => {
    if ((v | 0) !== v || (v >>> 0) > 31) bad(def, kind, v, "expected a register number 0..31");
    return w | (v << sh);
  };
  switch (kind) {
    case "rd": return reg(11);
    case "rs": case "base": return reg(21);
    case "rt": return reg(16);
    case "sa": return (w, v) => {
      if ((v | 0) !== v || (v >>> 0) > 31) bad(def, kind, v, "expected 0..31");
      return w | (v << 6);
    };
    case "simm16": case "off16": return (w, v) => {
      if ((v | 0) !== v || v < -32768 || v > 32767) bad(def, kind, v, "expected -32768..32767");
      return w | (v & 0xffff);
    };
    case "uimm16": return (w, v) => {
      if ((v | 0) !== v || (v >>> 0) > 0xffff) bad(def, kind, v, "expected 0..65535");
      return w | v;
    };
    case "br16": return (w, v) => {
      if ((v | 0) !== v || (v & 3) !== 0 || v < -131072 || v > 131068) {
        bad(def, kind, v, "branch displacement (bytes from PC+4) must be a multiple of 4 in -131072..131068");
      }
      return w | ((v >> 2) & 0xffff);
    };
    default: return (w, v) => {
      try {
        return insertOperand(kind, w, v);
      } catch (e) {
        if (e instanceof OperandRangeError) bad(def, kind, v, e.message.replace(/^operand \S+ = \S+: /, ""));
        throw e;
      }
    };
  }
}


/** Post-encoding checks (register-order predicates, UNPREDICTABLE field relations); null when none apply. */
function finisherFor(def: MipsInsnDef): ((w: number) => number) | null {
  if (def.pred === "none" && def.check === "none") return null;
  return (w) => {
    if (!regPredicateHolds(def.pred, w)) throw new Error(`mips encode ${def.key}: register operands violate the ${def.pred} rule of this encoding`);
    if (def.check !== "none") {
      const why = encodingViolation(def.id, w);
      if (why) throw new Error(`mips encode ${def.key}: UNPREDICTABLE encoding: ${why}`);
    }
    return w | 0;
  };
}

function emitterFor(def: MipsInsnDef): Emitter {
  const n = def.operands.length;
  const m = def.match;
  const f = def.operands.map((k) => inserterFor(def, k));
  const fin = finisherFor(def);
  const arity = (a: unknown, b: unknown, c: unknown, d: unknown): void => {
    const got = [a, b, c, d].filter((x) => x !== undefined).length;
    if (got !== n) throw new Error(`mips encode ${def.key}: expected ${n} operands (${def.syntax}), got ${got}`);
  };
  const swap = SWAP_IF_RS_GT_RT.has(def.key) ? 1 : SWAP_IF_RS_LT_RT.has(def.key) ? -1 : 0;
  if (swap !== 0) {
    return (a, b, c, d) => {
      if (d !== undefined) arity(a, b, c, d);
      if ((swap > 0 && a! > b!) || (swap < 0 && a! < b!)) { const t = a; a = b; b = t; }
      return fin!(f[2]!(f[1]!(f[0]!(m, a!), b!), c!));
    };
  }
  const f0 = f[0], f1 = f[1], f2 = f[2], f3 = f[3];
  switch (n) {
    case 0: return (a, b, c, d) => { if (a !== undefined) arity(a, b, c, d); return m; };
    case 1: return fin
      ? (a, b, c, d) => { if (b !== undefined) arity(a, b, c, d); return fin(f0!(m, a!)); }
      : (a, b, c, d) => { if (b !== undefined) arity(a, b, c, d); return f0!(m, a!) | 0; };
    case 2: return fin
      ? (a, b, c, d) => { if (c !== undefined) arity(a, b, c, d); return fin(f1!(f0!(m, a!), b!)); }
      : (a, b, c, d) => { if (c !== undefined) arity(a, b, c, d); return f1!(f0!(m, a!), b!) | 0; };
    case 3: return fin
      ? (a, b, c, d) => { if (d !== undefined) arity(a, b, c, d); return fin(f2!(f1!(f0!(m, a!), b!), c!)); }
      : (a, b, c, d) => { if (d !== undefined) arity(a, b, c, d); return f2!(f1!(f0!(m, a!), b!), c!) | 0; };
    default: return fin
      ? (a, b, c, d) => fin(f3!(f2!(f1!(f0!(m, a!), b!), c!), d!))
      : (a, b, c, d) => f3!(f2!(f1!(f0!(m, a!), b!), c!), d!) | 0;
  }
}

const EMITTERS: readonly Emitter[] = MIPS_TABLE.map(emitterFor);

/** Encode by table id or unique key with operands in assembler order. */
export function encode(idOrKey: number | string, operands: readonly number[]): number {
  const def = typeof idOrKey === "number" ? MIPS_TABLE[idOrKey] : BY_KEY.get(idOrKey);
  if (!def) throw new Error(`mips encode: no instruction ${idOrKey}`);
  if (operands.length !== def.operands.length || operands.some((v) => v === undefined)) {
    throw new Error(`mips encode ${def.key}: expected ${def.operands.length} operands (${def.syntax}), got ${operands.length}`);
  }
  return EMITTERS[def.id]!(operands[0], operands[1], operands[2], operands[3]);
}

/** Emitters by unique table key (level-independent): ops.addu(rd, rs, rt), ops.mul_r6(rd, rs, rt) … */
export const ops: Readonly<Record<string, Emitter>> = Object.fromEntries(MIPS_TABLE.map((d) => [d.key, EMITTERS[d.id]!]));

/** Emitter-set key of a mnemonic: "jr.hb" → "jr_hb". */
export const emitterName = (mnemonic: string): string => mnemonic.replace(/\./g, "_");

const OPS_BY_LEVEL = new Map<IsaLevel, Readonly<Record<string, Emitter>>>(
  ISA_LEVELS.map((l) => [
    l,
    Object.fromEntries(
      MIPS_TABLE.filter((d) => d.levels & LEVEL_BIT[l]).map((d) => [emitterName(d.mnemonic), EMITTERS[d.id]!]),
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
