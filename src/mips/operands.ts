// Operand insertion/extraction for every OperandKind (types.ts), shared by encoder, assembler and disassembler.
// Owns value ranges and scaling (Vol. II field definitions); does not own which row uses which kind (table.ts).

import type { OperandKind } from "./types";

export class OperandRangeError extends Error {}

function fail(kind: OperandKind, v: number, why: string): never {
  throw new OperandRangeError(`operand ${kind} = ${v}: ${why}`);
}

function checkU(kind: OperandKind, v: number, max: number): number {
  if (!Number.isInteger(v) || v < 0 || v > max) fail(kind, v, `expected an integer 0..${max}`);
  return v;
}

function checkS(kind: OperandKind, v: number, bitsN: number, scale: number): number {
  if (!Number.isInteger(v)) fail(kind, v, "not an integer");
  if (v % scale !== 0) fail(kind, v, `not a multiple of ${scale}`);
  const f = v / scale;
  const lim = 2 ** (bitsN - 1);
  if (f < -lim || f >= lim) fail(kind, v, `out of range ${-lim * scale}..${(lim - 1) * scale}`);
  return f & ((2 ** bitsN) - 1);
}

/**
 * Insert operand value `v` of `kind` into word `w`. EXT/INS size kinds read the position field already
 * inserted (pos precedes size in every row).
 */
export function insertOperand(kind: OperandKind, w: number, v: number): number {
  switch (kind) {
    case "rd": return w | (checkU(kind, v, 31) << 11);
    case "rs": case "base": return w | (checkU(kind, v, 31) << 21);
    case "rt": return w | (checkU(kind, v, 31) << 16);
    case "rdrt": return w | (checkU(kind, v, 31) << 11) | (v << 16);
    case "rsrt": return w | (checkU(kind, v, 31) << 21) | (v << 16);
    case "sa": case "stype": case "pos": return w | (checkU(kind, v, 31) << 6);
    case "pos32":
      if (!Number.isInteger(v) || v < 32 || v > 63) fail(kind, v, "expected 32..63");
      return w | ((v - 32) << 6);
    case "simm16": case "off16": return w | checkS(kind, v, 16, 1);
    case "uimm16": return w | checkU(kind, v, 0xffff);
    case "off9": return w | (checkS(kind, v, 9, 1) << 7);
    case "br16": return w | checkS(kind, v, 16, 4);
    case "br21": return w | checkS(kind, v, 21, 4);
    case "br26": return w | checkS(kind, v, 26, 4);
    case "jtarget":
      if (!Number.isInteger(v) || v < 0 || v > 0x0ffffffc || v % 4) fail(kind, v, "expected a 4-aligned in-segment address 0..0x0ffffffc");
      return w | (v / 4);
    case "code10": case "code10lo": return w | (checkU(kind, v, 1023) << 6);
    case "code10hi": return w | (checkU(kind, v, 1023) << 16);
    case "code20": return w | (checkU(kind, v, 0xfffff) << 6);
    case "hint": return w | (checkU(kind, v, 31) << 16);
    case "hwr": return w | (checkU(kind, v, 31) << 11);
    case "sel3": return w | (checkU(kind, v, 7) << 6);
    case "sizeExt": {
      checkU(kind, v, 32);
      if (v < 1) fail(kind, v, "size must be ≥ 1");
      return w | ((v - 1) << 11);
    }
    case "sizeExtm": {
      if (!Number.isInteger(v) || v < 33 || v > 64) fail(kind, v, "expected 33..64");
      return w | ((v - 33) << 11);
    }
    case "sizeIns": {
      const msb = ((w >>> 6) & 31) + v - 1;
      if (!Number.isInteger(v) || v < 1 || msb > 31) fail(kind, v, "position + size exceeds the field");
      return w | (msb << 11);
    }
    case "sizeInsm": {
      const msb = ((w >>> 6) & 31) + v - 33;
      if (!Number.isInteger(v) || msb < 0 || msb > 31) fail(kind, v, "position + size must be 33..64");
      return w | (msb << 11);
    }
    case "lsa2":
      if (!Number.isInteger(v) || v < 1 || v > 4) fail(kind, v, "expected 1..4");
      return w | ((v - 1) << 6);
    case "bp2": return w | (checkU(kind, v, 3) << 6);
    case "bp3": return w | (checkU(kind, v, 7) << 6);
    case "pc19": return w | checkS(kind, v, 19, 4);
    case "pc18": return w | checkS(kind, v, 18, 8);
  }
}

/** The assembler-level value of operand `kind` in word `w` (inverse of insertOperand). */
export function extractOperand(kind: OperandKind, w: number): number {
  switch (kind) {
    case "rd": case "rdrt": case "hwr": return (w >>> 11) & 31;
    case "rs": case "base": return (w >>> 21) & 31;
    case "rt": case "hint": case "rsrt": return (w >>> 16) & 31;
    case "sa": case "stype": case "pos": return (w >>> 6) & 31;
    case "pos32": return ((w >>> 6) & 31) + 32;
    case "simm16": case "off16": return (w << 16) >> 16;
    case "uimm16": return w & 0xffff;
    case "off9": return (w << 16) >> 23;
    case "br16": return ((w << 16) >> 16) * 4;
    case "br21": return ((w << 11) >> 11) * 4;
    case "br26": return ((w << 6) >> 6) * 4;
    case "jtarget": return (w & 0x03ffffff) * 4;
    case "code10": case "code10lo": return (w >>> 6) & 1023;
    case "code10hi": return (w >>> 16) & 1023;
    case "code20": return (w >>> 6) & 0xfffff;
    case "sel3": return (w >>> 6) & 7;
    case "sizeExt": return ((w >>> 11) & 31) + 1;
    case "sizeExtm": return ((w >>> 11) & 31) + 33;
    case "sizeIns": return ((w >>> 11) & 31) - ((w >>> 6) & 31) + 1;
    case "sizeInsm": return ((w >>> 11) & 31) - ((w >>> 6) & 31) + 33;
    case "lsa2": return ((w >>> 6) & 3) + 1;
    case "bp2": return (w >>> 6) & 3;
    case "bp3": return (w >>> 6) & 7;
    case "pc19": return ((w << 13) >> 13) * 4;
    case "pc18": return ((w << 14) >> 14) * 8;
  }
}

export const isRegisterKind = (k: OperandKind): boolean =>
  k === "rd" || k === "rs" || k === "rt" || k === "base" || k === "rdrt" || k === "rsrt";
export const isBranchKind = (k: OperandKind): boolean => k === "br16" || k === "br21" || k === "br26";
