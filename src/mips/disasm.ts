// Disassembler derived from the ISA table, printing LLVM's syntax (llvm-mc --disassemble, LLVM 14).
// Owns alias selection (move, nop, b, beqz, negu, not, jr …, exactly where LLVM prints them) and register
// naming. Does not own decoding (decode.ts) or operand formatting (format.ts).

import { decode } from "./decode";
import { formatLine, formatOperandList, formatValue, operandValues } from "./format";
import type { FormatStyle } from "./format";
import { is64, isR6 } from "./levels";
import type { IsaLevel } from "./levels";
import { LLVM_NAMES, N64_NAMES, O32_NAMES } from "./registers";
import { MIPS_TABLE } from "./table";
import type { MipsInsnDef } from "./types";

export interface DisasmOptions {
  /** ABI register names ($a0, $t0 …; n64 names on 64-bit levels) instead of LLVM's numeric names */
  abiNames?: boolean;
  /** print branch/jump targets as absolute hex addresses computed from pc instead of LLVM's relative form */
  absoluteTargets?: boolean;
}

type Alias = (w: number, v: readonly number[], st: FormatStyle, level: IsaLevel) => string | null;

const reg = (st: FormatStyle, r: number): string => "$" + st.regNames[r]!;
const br = (st: FormatStyle, v: number): string => formatValue("br16", v, st);

/** Aliases LLVM's printer uses (MipsInstrInfo.td / Mips64InstrInfo.td InstAlias with print priority). */
/** Trap instructions: LLVM omits a zero code. */
const trap = (mn: string, v: readonly number[], st: FormatStyle): string | null =>
  v[2] === 0 ? formatLine(mn, `${reg(st, v[0]!)}, ${reg(st, v[1]!)}`) : null;

const ALIASES: Record<string, Alias> = {
  sll: (w) => (w === 0 ? "nop" : null),
  addu: (_w, v, st) => (v[2] === 0 ? formatLine("move", `${reg(st, v[0]!)}, ${reg(st, v[1]!)}`) : null),
  daddu: (_w, v, st) => (v[2] === 0 ? formatLine("move", `${reg(st, v[0]!)}, ${reg(st, v[1]!)}`) : null),
  or: (_w, v, st) => (v[2] === 0 ? formatLine("move", `${reg(st, v[0]!)}, ${reg(st, v[1]!)}`) : null),
  subu: (_w, v, st) => (v[1] === 0 ? formatLine("negu", `${reg(st, v[0]!)}, ${reg(st, v[2]!)}`) : null),
  nor: (_w, v, st) => (v[2] === 0 ? formatLine("not", `${reg(st, v[0]!)}, ${reg(st, v[1]!)}`) : null),
  beq: (_w, v, st) =>
    v[0] === 0 && v[1] === 0 ? formatLine("b", br(st, v[2]!))
      : v[1] === 0 ? formatLine("beqz", `${reg(st, v[0]!)}, ${br(st, v[2]!)}`) : null,
  bne: (_w, v, st) => (v[1] === 0 ? formatLine("bnez", `${reg(st, v[0]!)}, ${br(st, v[2]!)}`) : null),
  beql: (_w, v, st) => (v[1] === 0 ? formatLine("beqzl", `${reg(st, v[0]!)}, ${br(st, v[2]!)}`) : null),
  bnel: (_w, v, st) => (v[1] === 0 ? formatLine("bnezl", `${reg(st, v[0]!)}, ${br(st, v[2]!)}`) : null),
  tge: (_w, v, st) => trap("tge", v, st),
  tgeu: (_w, v, st) => trap("tgeu", v, st),
  tlt: (_w, v, st) => trap("tlt", v, st),
  tltu: (_w, v, st) => trap("tltu", v, st),
  teq: (_w, v, st) => trap("teq", v, st),
  tne: (_w, v, st) => trap("tne", v, st),
  // LLVM prints ADDIUPC under its "load address" name.
  addiupc: (_w, v, st) => formatLine("lapc", `${reg(st, v[0]!)}, ${v[1]}`),
  // LLVM prints DEXTM/DEXTU as DEXT and DINSM/DINSU as DINS with the true position and size, but the DINS*
  // size modulo 64 (`dins $4, $3, 0, 0` for DINSM size 64) — an LLVM 14 quirk reproduced here.
  dextm: (_w, v, st) => formatLine("dext", `${reg(st, v[0]!)}, ${reg(st, v[1]!)}, ${v[2]}, ${v[3]}`),
  dextu: (_w, v, st) => formatLine("dext", `${reg(st, v[0]!)}, ${reg(st, v[1]!)}, ${v[2]}, ${v[3]}`),
  dinsm: (_w, v, st) => formatLine("dins", `${reg(st, v[0]!)}, ${reg(st, v[1]!)}, ${v[2]}, ${v[3]! & 63}`),
  dinsu: (_w, v, st) => formatLine("dins", `${reg(st, v[0]!)}, ${reg(st, v[1]!)}, ${v[2]}, ${v[3]! & 63}`),
  // UNPREDICTABLE INS/DINS words (lsb > msb) have a negative size; LLVM prints it modulo 64 as well.
  ins: (_w, v, st) => (v[3]! < 1 ? formatLine("ins", `${reg(st, v[0]!)}, ${reg(st, v[1]!)}, ${v[2]}, ${v[3]! & 63}`) : null),
  dins: (_w, v, st) => (v[3]! < 1 ? formatLine("dins", `${reg(st, v[0]!)}, ${reg(st, v[1]!)}, ${v[2]}, ${v[3]! & 63}`) : null),
  // r6 DIV/DIVU with rd = rs print in LLVM's two-operand form.
  div_r6: (_w, v, st) => (v[0] === v[1] ? formatLine("div", `${reg(st, v[1]!)}, ${reg(st, v[2]!)}`) : null),
  divu_r6: (_w, v, st) => (v[0] === v[1] ? formatLine("divu", `${reg(st, v[1]!)}, ${reg(st, v[2]!)}`) : null),
  // LLVM prints the JIC/JIALC offset unsigned, and offset 0 as JRC/JALRC.
  jic: (_w, v, st) => formatLine(v[1] === 0 ? "jrc" : "jic", v[1] === 0 ? reg(st, v[0]!) : `${reg(st, v[0]!)}, ${v[1]! & 0xffff}`),
  jialc: (_w, v, st) => formatLine(v[1] === 0 ? "jalrc" : "jialc", v[1] === 0 ? reg(st, v[0]!) : `${reg(st, v[0]!)}, ${v[1]! & 0xffff}`),
  // On r6 LUI is AUI with rs = 0, and LLVM prints it that way.
  lui: (_w, v, st, level) => (isR6(level) ? formatLine("aui", `${reg(st, v[0]!)}, $zero, ${v[1]}`) : null),
  rdhwr_r6: (_w, v, st) => (v[2] === 0 ? formatLine("rdhwr", `${reg(st, v[0]!)}, $${v[1]}`) : null),
  jalr: (_w, v, st) =>
    v[0] === 31 ? formatLine("jalr", reg(st, v[1]!)) : v[0] === 0 ? formatLine("jr", reg(st, v[1]!)) : null,
  jalr_hb: (_w, v, st) => (v[0] === 31 ? formatLine("jalr.hb", reg(st, v[1]!)) : null),
  break: (_w, v) => (v[0] === 0 && v[1] === 0 ? "break" : v[1] === 0 ? formatLine("break", String(v[0])) : null),
  syscall: (_w, v) => (v[0] === 0 ? "syscall" : null),
  sync: (_w, v) => (v[0] === 0 ? "sync" : null),
  sigrie: (_w, v) => (v[0] === 0 ? "sigrie" : null),
};

function styleFor(level: IsaLevel, opts?: DisasmOptions): FormatStyle {
  const regNames = opts?.abiNames ? (is64(level) ? N64_NAMES : O32_NAMES) : LLVM_NAMES;
  return { regNames, branchBias: 4 };
}

/** Text of a decoded instruction (def) in word w. */
export function formatInsn(def: MipsInsnDef, w: number, level: IsaLevel, opts?: DisasmOptions, pc = 0): string {
  const st = styleFor(level, opts);
  const values = operandValues(def, w);
  if (opts?.absoluteTargets) {
    const k = def.operands.findIndex((o) => o === "br16" || o === "br21" || o === "br26" || o === "jtarget");
    if (k >= 0) {
      const target = def.operands[k] === "jtarget"
        ? (((pc + 4) & 0xf0000000) | values[k]!) >>> 0
        : (pc + 4 + values[k]!) >>> 0;
      const parts = def.operands.map((o, i) => (i === k ? "0x" + target.toString(16) : formatValue(o, values[i]!, st)));
      return formatLine(def.mnemonic, parts.join(", "));
    }
  }
  const alias = ALIASES[def.key]?.(w, values, st, level);
  if (alias) return alias;
  return formatLine(def.mnemonic, formatOperandList(def, values, st));
}

/**
 * Disassemble one word at `pc` on `level` in LLVM's syntax. Words the level does not have print as
 * `.4byte 0x…` (LLVM reports "invalid instruction encoding" instead).
 */
export function disassemble(word: number, pc: number, level: IsaLevel, opts?: DisasmOptions): string {
  const id = decode(word, level);
  if (id < 0) return `.4byte\t0x${(word >>> 0).toString(16).padStart(8, "0")}`;
  return formatInsn(MIPS_TABLE[id]!, word | 0, level, opts, pc);
}
