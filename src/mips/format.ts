// Operand-text formatting shared by the disassembler (disasm.ts) and the LLVM golden generator.
// Owns how each OperandKind is written in LLVM's assembler syntax; not alias selection (disasm.ts).

import { extractOperand, isBranchKind, isRegisterKind } from "./operands";
import type { MipsInsnDef, OperandKind } from "./types";

export interface FormatStyle {
  /** register names indexed by number (without "$") */
  readonly regNames: readonly string[];
  /**
   * Added to branch displacements (bytes from PC+4). Assembler input uses 0; LLVM's disassembler prints
   * the displacement from the branch itself, i.e. +4 (llvm-mc --disassemble: `b 20` for field 4).
   */
  readonly branchBias: number;
}

export function formatValue(kind: OperandKind, v: number, style: FormatStyle): string {
  if (isRegisterKind(kind)) return "$" + style.regNames[v]!;
  if (kind === "hwr") return "$" + v;
  if (isBranchKind(kind)) return String(v + style.branchBias);
  return String(v);
}

/** Operand values of `def` in word `w`, in assembler order. */
export function operandValues(def: MipsInsnDef, w: number): number[] {
  return def.operands.map((k) => extractOperand(k, w));
}

/** Operand text "a, b, c" of `def` for the given operand values. */
export function formatOperandList(def: MipsInsnDef, values: readonly number[], style: FormatStyle): string {
  const parts: string[] = [];
  for (const t of def.tokens) {
    if (t.t === "op") parts.push(formatValue(t.kind, values[t.arg]!, style));
    else if (t.t === "dup") parts.push(formatValue(def.operands[t.arg]!, values[t.arg]!, style));
    else if (t.t === "lit") parts.push(t.text);
    else parts.push(`${formatValue(t.off, values[t.offArg]!, style)}(${formatValue("base", values[t.baseArg]!, style)})`);
  }
  return parts.join(", ");
}

export function formatLine(mnemonic: string, operandText: string): string {
  return operandText ? `${mnemonic}\t${operandText}` : mnemonic;
}
