// One-line MIPS assembler in LLVM's syntax, derived from the ISA table (for tests and `bpf-mips mips-asm`).
// Owns parsing of mnemonics, registers (numeric, LLVM and ABI names), immediates and the aliases LLVM
// accepts (nop, move, negu, not, b, beqz, bnez, beqzl, bnezl, jr/jalr forms, lapc, dext/dins, jrc/jalrc …).
// Branch operands are byte displacements from PC+4, as in llvm-mc input (the disassembler prints them +4,
// as llvm-mc does). Bad input throws InputError (the project's single bad-input error type).
// Not owned: labels, directives, macros (li, la, div with checks …).

import { InputError } from "../ebpf/errors";
import { encode } from "./encode";
import { is64, isR6, LEVEL_BIT } from "./levels";
import type { IsaLevel } from "./levels";
import { isBranchKind, isRegisterKind, OperandRangeError } from "./operands";
import { parseRegister } from "./registers";
import { MIPS_TABLE } from "./table";
import type { MipsInsnDef, OperandKind } from "./types";

const BY_MNEMONIC = new Map<string, MipsInsnDef[]>();
for (const d of MIPS_TABLE) {
  const l = BY_MNEMONIC.get(d.mnemonic) ?? [];
  l.push(d);
  BY_MNEMONIC.set(d.mnemonic, l);
}

/** Split operand text at top-level commas. */
function splitOperands(s: string): string[] {
  const t = s.trim();
  return t === "" ? [] : t.split(",").map((x) => x.trim());
}

function parseInt32(text: string): number | undefined {
  const m = /^([+-])?(0x[0-9a-f]+|0b[01]+|0o?[0-7]+|\d+)$/i.exec(text.trim());
  if (!m) return undefined;
  const body = m[2]!.toLowerCase();
  let v: number;
  if (body.startsWith("0x") || body.startsWith("0b")) v = Number(body);
  else if (/^0o?[0-7]+$/.test(body) && body.length > 1) v = parseInt(body.replace(/^0o?/, ""), 8);
  else v = Number(body);
  return m[1] === "-" ? -v : v;
}

/** Rewrite LLVM aliases into a table mnemonic + operand list. */
function unalias(mn: string, a: string[], level: IsaLevel): [string, string[]] {
  const r6 = isR6(level);
  switch (mn) {
    case "nop": if (a.length === 0) return ["sll", ["$0", "$0", "0"]]; break;
    case "move": if (a.length === 2) return ["or", [a[0]!, a[1]!, "$0"]]; break; // llvm-mc encodes move as OR
    case "negu": if (a.length === 2) return ["subu", [a[0]!, "$0", a[1]!]]; break;
    case "not": if (a.length === 2) return ["nor", [a[0]!, a[1]!, "$0"]]; break;
    case "b": if (a.length === 1) return ["beq", ["$0", "$0", a[0]!]]; break;
    case "beqz": if (a.length === 2) return ["beq", [a[0]!, "$0", a[1]!]]; break;
    case "bnez": if (a.length === 2) return ["bne", [a[0]!, "$0", a[1]!]]; break;
    case "beqzl": if (a.length === 2) return ["beql", [a[0]!, "$0", a[1]!]]; break;
    case "bnezl": if (a.length === 2) return ["bnel", [a[0]!, "$0", a[1]!]]; break;
    case "jalr": case "jalr.hb": if (a.length === 1) return [mn, ["$31", a[0]!]]; break;
    case "break": if (a.length < 2) return ["break", [a[0] ?? "0", "0"]]; break;
    case "syscall": if (a.length === 0) return ["syscall", ["0"]]; break;
    case "sync": if (a.length === 0) return ["sync", ["0"]]; break;
    case "sigrie": if (a.length === 0) return ["sigrie", ["0"]]; break;
    case "tge": case "tgeu": case "tlt": case "tltu": case "teq": case "tne":
      if (a.length === 2) return [mn, [...a, "0"]]; break;
    case "lapc": return ["addiupc", a];
    case "jrc": if (a.length === 1) return ["jic", [a[0]!, "0"]]; break;
    case "jalrc": if (a.length === 1) return ["jialc", [a[0]!, "0"]]; break;
    case "rdhwr": if (r6 && a.length === 2) return ["rdhwr", [...a, "0"]]; break;
    case "div": case "divu": if (r6 && a.length === 2) return [mn, [a[0]!, ...a]]; break; // r6 `div rs, rt` = div rs, rs, rt
    case "aui": if (r6 && a.length === 3 && parseRegister(a[1]!) === 0) return ["lui", [a[0]!, a[2]!]]; break;
    case "dext": case "dins": {
      // LLVM accepts the full position/size range under DEXT/DINS and picks the M/U form.
      const pos = parseInt32(a[2] ?? ""), size = parseInt32(a[3] ?? "");
      if (a.length === 4 && pos !== undefined && size !== undefined) {
        const sz = mn === "dins" && size === 0 ? 64 : size; // LLVM prints a 64-bit DINSM size as 0
        // DEXT covers pos < 32 with size ≤ 32 (pos + size ≤ 63); DINS needs pos + size ≤ 32 (Vol. II DEXT, DINS)
        if (pos >= 32) return [mn + "u", a];
        if (mn === "dext" ? sz > 32 : pos + sz > 32) return [mn + "m", [a[0]!, a[1]!, a[2]!, String(sz)]];
      }
      break;
    }
  }
  return [mn, a];
}

function parseOperand(kind: OperandKind, text: string, n64: boolean, where: string): number {
  if (isRegisterKind(kind)) {
    const r = parseRegister(text, n64);
    if (r < 0 || !text.startsWith("$")) throw new InputError(`${where}: invalid register '${text}'`);
    return r;
  }
  if (kind === "hwr") {
    const m = /^\$(\d+)$/.exec(text);
    if (!m || Number(m[1]) > 31) throw new InputError(`${where}: invalid hardware register '${text}'`);
    return Number(m[1]);
  }
  const v = parseInt32(text);
  if (v === undefined) throw new InputError(`${where}: expected ${isBranchKind(kind) ? "a branch offset" : "an integer"}, got '${text}'`);
  return v;
}

function tryRow(def: MipsInsnDef, args: string[], level: IsaLevel, where: string): number {
  const n64 = is64(level);
  const values: number[] = new Array<number>(def.operands.length).fill(0);
  let i = 0;
  const need = (): string => {
    const t = args[i++];
    if (t === undefined) throw new InputError(`${where}: too few operands (expected ${def.syntax})`);
    return t;
  };
  for (const t of def.tokens) {
    if (t.t === "op") values[t.arg] = parseOperand(t.kind, need(), n64, where);
    else if (t.t === "dup") {
      const v = parseOperand(def.operands[t.arg]!, need(), n64, where);
      if (v !== values[t.arg]) throw new InputError(`${where}: operand must repeat ${def.operands[t.arg]}`);
    } else if (t.t === "lit") {
      const s = need();
      if (parseRegister(s, n64) !== parseRegister(t.text, n64)) throw new InputError(`${where}: expected ${t.text}, got '${s}'`);
    } else {
      const s = need();
      const m = /^(.*)\((\$\w+)\)$/.exec(s);
      if (!m) throw new InputError(`${where}: expected offset(base), got '${s}'`);
      values[t.offArg] = m[1]!.trim() === "" ? 0 : parseOperand(t.off, m[1]!, n64, where);
      values[t.baseArg] = parseOperand("base", m[2]!, n64, where);
    }
  }
  if (i !== args.length) throw new InputError(`${where}: too many operands (expected ${def.syntax})`);
  try {
    return encode(def.id, values);
  } catch (e) {
    const msg = (e as Error).message;
    throw new InputError(`${where}: ${msg.replace(/^mips encode \S+ /, "")}`);
  }
}

/** Assemble one instruction line in LLVM syntax for `level` into a 32-bit word (as a signed int32). */
export function assemble(line: string, level: IsaLevel): number {
  const text = line.replace(/#.*$/, "").trim();
  const m = /^([a-z][a-z0-9.]*)\s*(.*)$/i.exec(text);
  if (!m) throw new InputError(`cannot parse MIPS instruction '${line.trim()}'`);
  const [mn, args] = unalias(m[1]!.toLowerCase(), splitOperands(m[2]!), level);
  const cands = (BY_MNEMONIC.get(mn) ?? []).filter((d) => d.levels & LEVEL_BIT[level]);
  const where = `'${text}'`;
  if (cands.length === 0) {
    throw new InputError(BY_MNEMONIC.has(mn) ? `${where}: not available on ${level}` : `${where}: unknown mnemonic '${m[1]}'`);
  }
  let firstErr: unknown;
  for (const d of cands) {
    try {
      return tryRow(d, args, level, where);
    } catch (e) {
      if (!(e instanceof InputError) && !(e instanceof OperandRangeError)) throw e;
      firstErr ??= e;
    }
  }
  throw firstErr;
}
