// Assembler for both text syntaxes: bpf_conformance's (`add32 %r0, 1`, ebpf-semantics.md §4.2) and the
// LLVM/kernel syntax llvm-objdump and bpftool print (`w0 += 1`). Owns: lexing lines, labels (incl. the implicit
// `exit` label of bpf_conformance), operand parsing and syntax detection. Instruction knowledge (which opcode,
// which fields) comes from opcode-table.ts; this file only maps text shapes onto table rows.
// Does not own validation: it encodes what the text says (e.g. %r11–%r15 for negative tests) and leaves
// reserved-field and target checks to validate.ts.
import { InputError } from "./errors";
import type { Insn, Program } from "./insn";
import { TABLE, insnFor, type OpcodeEntry } from "./opcode-table";
import { NumberError, parseImm32, parseImm64, parseOff16 } from "./numbers";

export type Syntax = "conformance" | "llvm";
export interface AssembleOptions {
  readonly file?: string;
  readonly syntax?: "auto" | Syntax;
  /** Line number of the text's first line in `file` (for `.data` sections). Default 1. */
  readonly firstLine?: number;
}

/** A reference to a label that a later pass turns into a relative slot count. */
interface Fixup {
  readonly label: string;
  readonly field: "off" | "imm";
}
interface Item {
  readonly insn: Insn;
  readonly second?: Insn;
  readonly fixup?: Fixup;
  readonly line: number;
}
class LineError extends Error {}
const fail = (msg: string): never => {
  throw new LineError(msg);
};

const ENTRIES_BY_CONF = new Map<string, OpcodeEntry[]>();
const ENTRIES_BY_LLVM = new Map<string, OpcodeEntry>();
for (const e of TABLE) {
  const l = ENTRIES_BY_CONF.get(e.conformance) ?? [];
  l.push(e);
  ENTRIES_BY_CONF.set(e.conformance, l);
  ENTRIES_BY_LLVM.set(llvmKey(e.shape, e.llvm, e.width, e.source), e);
}
// Aliases bpf_conformance and uBPF accept: swapN for bswapN, an explicit 64 suffix for ALU64/JMP ops.
for (const e of TABLE) {
  if (e.shape === "end" && e.conformance.startsWith("bswap")) ENTRIES_BY_CONF.set(e.conformance.slice(1), [e]);
  if ((e.shape === "alu" || e.shape === "neg" || e.shape === "jcond") && e.width === 64) {
    const l = ENTRIES_BY_CONF.get(e.conformance + "64") ?? [];
    l.push(e);
    ENTRIES_BY_CONF.set(e.conformance + "64", l);
  }
}

function llvmKey(shape: string, tok: string, width: number, source: string): string {
  return `${shape}|${tok}|${width}|${source}`;
}
function llvmEntry(shape: string, tok: string, width: number, source: string, text: string): OpcodeEntry {
  return ENTRIES_BY_LLVM.get(llvmKey(shape, tok, width, source)) ?? fail(`no instruction matches '${text}'`);
}

const LABEL_RE = /^([A-Za-z_.$][\w.$]*):\s*(.*)$/;
const TARGET_RE = /^([-+](?:0x[0-9a-f]+|\d+)|[A-Za-z_.$][\w.$]*)$/i;

function num<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof NumberError) throw new LineError(e.message);
    throw e;
  }
}

/** Jump/call target: a ±N slot count or a label. */
function target(tok: string, field: "off" | "imm"): { value: number; fixup?: Fixup } {
  const t = tok.trim();
  if (!TARGET_RE.test(t)) fail(`invalid jump target '${tok}'`);
  if (t[0] === "+" || t[0] === "-") return { value: num(() => (field === "off" ? parseOff16(t) : parseImm32(t))) };
  return { value: 0, fixup: { label: t, field } };
}

// ------------------------------------------------------------------------------------------------------------
// bpf_conformance syntax

function confReg(tok: string): number {
  const m = /^%r(\d+)$/.exec(tok.trim());
  // %r11–%r15 are accepted so negative tests can encode them (bpf_conformance does the same).
  if (!m || Number(m[1]) > 15) fail("Invalid register");
  return Number(m![1]);
}

function confMem(tok: string): { reg: number; off: number } {
  const m = /^\[\s*(%r\w*)\s*(?:([-+])\s*(\w+))?\s*\]$/.exec(tok.trim());
  if (!m) fail(`expected a memory operand [%rN+off], got '${tok.trim()}'`);
  const reg = confReg(m![1]);
  const off = m![2] ? num(() => parseOff16(m![2] + m![3])) : 0;
  return { reg, off };
}

/** `map_by_fd(3)`, `map_val_by_fd(3)+8`, … (LD_IMM64 src 1–6; our extension of both syntaxes). */
function pseudoImm(tok: string): { entry: OpcodeEntry; imm: number; next: number } | undefined {
  const m = /^([a-z_]+)\(\s*([-+]?\w+)\s*\)\s*(?:([-+])\s*(\w+))?$/.exec(tok.trim());
  if (!m) return undefined;
  const entry = TABLE.find((e) => e.shape === "lddw" && e.llvm === m[1]) ?? fail(`unknown LD_IMM64 pseudo source '${m[1]}'`);
  const imm = num(() => parseImm32(m[2]));
  const next = m[3] ? num(() => parseImm32(m[3] + m[4])) : 0;
  if (m[3] && entry.llvm !== "map_val_by_fd" && entry.llvm !== "map_val_by_idx") fail(`${m[1]}() takes no +offset`);
  return { entry, imm, next };
}

function lddwItem(e0: OpcodeEntry | undefined, dst: number, tok: string, line: number): Item {
  const ps = pseudoImm(tok);
  if (ps) {
    return { insn: insnFor(ps.entry, { dst, imm: ps.imm }), second: { opcode: 0, dst: 0, src: 0, off: 0, imm: ps.next }, line };
  }
  const [lo, hi] = num(() => parseImm64(tok));
  const e = e0 ?? TABLE.find((x) => x.id === "lddw")!;
  return { insn: insnFor(e, { dst, imm: lo }), second: { opcode: 0, dst: 0, src: 0, off: 0, imm: hi }, line };
}

function expectCount(m: string, ops: readonly string[], n: number): void {
  if (ops.length !== n) fail(`wrong number of operands for '${m}': expected ${n}, got ${ops.length}`);
}

function splitOperands(rest: string): string[] {
  const t = rest.trim();
  if (t === "") return [];
  // Split on commas outside brackets/parentheses.
  const out: string[] = [];
  let depth = 0;
  let cur = "";
  for (const ch of t) {
    if (ch === "[" || ch === "(") depth++;
    if (ch === "]" || ch === ")") depth--;
    if (ch === "," && depth === 0) {
      out.push(cur.trim());
      cur = "";
    } else cur += ch;
  }
  out.push(cur.trim());
  return out;
}

function parseConformance(text: string, line: number): Item {
  const words = text.split(/\s+/);
  let mnem = words[0];
  let rest = text.slice(mnem.length);
  if (mnem === "lock") {
    // lock [fetch] op[32] [%rD+off], %rS (bpf_conformance: wrong counts give exactly this message)
    const w = rest.trim().split(/\s+/).filter((x) => x !== "");
    const fetch = w[0] === "fetch";
    const op = fetch ? w[1] : w[0];
    if (op === undefined) fail("Invalid number of operands for lock");
    const after = rest.trim().slice(rest.trim().indexOf(op!) + op!.length);
    const ops = splitOperands(after);
    if (ops.length !== 2) fail("Invalid number of operands for lock");
    const name = `lock ${fetch ? "fetch " : ""}${op}`;
    const e = ENTRIES_BY_CONF.get(name)?.[0] ?? fail(`Invalid mnemonic: lock ${fetch ? "fetch " : ""}${op}`);
    const mem = confMem(ops[0]);
    return { insn: insnFor(e!, { dst: mem.reg, off: mem.off, src: confReg(ops[1]) }), line };
  }
  if (mnem === "call") {
    const w = rest.trim().split(/\s+/);
    if (w.length === 2 && (w[0] === "local" || w[0] === "helper" || w[0] === "runtime")) {
      mnem = w[0] === "helper" ? "call" : `call ${w[0]}`;
      rest = w[1];
    } else if (w.length !== 1 || w[0] === "") fail(`wrong number of operands for 'call'`);
  }
  if (mnem === ".insn") return { insn: rawInsn(splitOperands(rest)), line };
  const cands = ENTRIES_BY_CONF.get(mnem) ?? fail(`Invalid mnemonic: ${mnem}`);
  const ops = splitOperands(rest);
  const e0 = cands![0];
  switch (e0.shape) {
    case "alu": {
      expectCount(mnem, ops, 2);
      const dst = confReg(ops[0]);
      const x = ops[1].startsWith("%");
      const e = cands!.find((c) => c.source === (x ? "X" : "K"))!;
      return { insn: insnFor(e, x ? { dst, src: confReg(ops[1]) } : { dst, imm: num(() => parseImm32(ops[1])) }), line };
    }
    case "jcond": {
      expectCount(mnem, ops, 3);
      const dst = confReg(ops[0]);
      const x = ops[1].startsWith("%");
      const e = cands!.find((c) => c.source === (x ? "X" : "K"))!;
      const t = target(ops[2], "off");
      const f = x ? { dst, src: confReg(ops[1]), off: t.value } : { dst, imm: num(() => parseImm32(ops[1])), off: t.value };
      return { insn: insnFor(e, f), fixup: t.fixup, line };
    }
    case "neg":
    case "end":
      expectCount(mnem, ops, 1);
      return { insn: insnFor(e0, { dst: confReg(ops[0]) }), line };
    case "movsx":
      expectCount(mnem, ops, 2);
      return { insn: insnFor(e0, { dst: confReg(ops[0]), src: confReg(ops[1]) }), line };
    case "ja": {
      expectCount(mnem, ops, 1);
      const t = target(ops[0], "off");
      return { insn: insnFor(e0, { off: t.value }), fixup: t.fixup, line };
    }
    case "gotol": {
      expectCount(mnem, ops, 1);
      const t = target(ops[0], "imm");
      return { insn: insnFor(e0, { imm: t.value }), fixup: t.fixup, line };
    }
    case "call":
    case "callx": {
      expectCount(mnem, ops, 1);
      if (ops[0].startsWith("%")) {
        if (mnem !== "call") fail(`'${mnem}' takes a number or label, not a register`);
        return { insn: insnFor(cands!.find((c) => c.shape === "callx")!, { dst: confReg(ops[0]) }), line };
      }
      if (e0.id === "call_local") {
        const t = target(ops[0], "imm");
        return { insn: insnFor(e0, { imm: t.value }), fixup: t.fixup, line };
      }
      const e = cands!.find((c) => c.shape === "call")!;
      return { insn: insnFor(e, { imm: num(() => parseImm32(ops[0])) }), line };
    }
    case "exit":
      expectCount(mnem, ops, 0);
      return { insn: insnFor(e0), line };
    case "lddw":
      expectCount(mnem, ops, 2);
      return lddwItem(undefined, confReg(ops[0]), ops[1], line);
    case "ldx": {
      expectCount(mnem, ops, 2);
      const dst = confReg(ops[0]);
      const m = confMem(ops[1]);
      return { insn: insnFor(e0, { dst, src: m.reg, off: m.off }), line };
    }
    case "st": {
      expectCount(mnem, ops, 2);
      const m = confMem(ops[0]);
      return { insn: insnFor(e0, { dst: m.reg, off: m.off, imm: num(() => parseImm32(ops[1])) }), line };
    }
    case "stx": {
      expectCount(mnem, ops, 2);
      const m = confMem(ops[0]);
      return { insn: insnFor(e0, { dst: m.reg, off: m.off, src: confReg(ops[1]) }), line };
    }
    case "ldabs":
      expectCount(mnem, ops, 1);
      return { insn: insnFor(e0, { imm: num(() => parseImm32(ops[0])) }), line };
    case "ldind":
      expectCount(mnem, ops, 2);
      return { insn: insnFor(e0, { src: confReg(ops[0]), imm: num(() => parseImm32(ops[1])) }), line };
    default:
      return fail(`Invalid mnemonic: ${mnem}`);
  }
}

/** `.insn opcode, dst, src, off, imm`: one slot with arbitrary fields (how the disassembler prints invalid slots). */
function rawInsn(ops: string[]): Insn {
  expectCount(".insn", ops, 5);
  const [op, dst, src] = ops.slice(0, 3).map((t) => num(() => parseImm32(t)));
  if (op < 0 || op > 255 || dst < 0 || dst > 15 || src < 0 || src > 15) fail(".insn: opcode must be 0..255 and registers 0..15");
  return { opcode: op, dst, src, off: num(() => parseOff16(ops[3])), imm: num(() => parseImm32(ops[4])) };
}

// ------------------------------------------------------------------------------------------------------------
// LLVM / kernel syntax

const R = "([rw]\\d+)";
const N = "([-+]?(?:0x[0-9a-fA-F]+|\\d+))";
const T = "([-+](?:0x[0-9a-fA-F]+|\\d+)|[A-Za-z_.$][\\w.$]*)";
const MEM = "\\(\\s*(r\\d+)\\s*(?:([-+])\\s*(\\w+))?\\s*\\)";
const re = (s: string): RegExp => new RegExp("^" + s.replace(/ /g, "\\s*") + "$");

const L_EXIT = /^exit$/;
const L_GOTO = new RegExp(`^(goto|gotol)\\s+${T}$`);
const L_CALLX = new RegExp(`^callx\\s+${R}$`);
const L_CALL_PC = /^call\s+pc\s*([-+]\s*(?:0x[0-9a-f]+|\d+))$/i;
const L_CALL_LOCAL = new RegExp(`^call\\s+local\\s+${T}$`);
const L_CALL_KFUNC = new RegExp(`^call\\s+kfunc\\s+${N}$`);
const L_CALL = new RegExp(`^call\\s+${N}$`);
const L_IF = new RegExp(`^if\\s+${R}\\s*(==|!=|s>=|s<=|>=|<=|s>|s<|>|<|&)\\s*(?:${R}|${N})\\s+goto\\s+${T}$`);
const L_LOCK = re(`lock\\s+\\*\\(u(32|64) \\*\\)${MEM} (\\+=|\\|=|&=|\\^=) ${R}`);
const L_STORE = re(`\\*\\((u8|u16|u32|u64) \\*\\)${MEM} = (?:${R}|${N})`);
const L_LOAD = re(`${R} = \\*\\(([us](?:8|16|32|64)) \\*\\)${MEM}`);
const L_SKB = re(`${R} = \\*\\((u8|u16|u32) \\*\\)skb\\[(?:(r\\d+)(?: ([-+]) (\\w+))?|${N})\\]`);
const L_FETCH = re(`${R} = atomic_fetch_(add|or|and|xor)\\( \\(u(32|64) \\*\\)${MEM} , ${R} \\)`);
const L_XCHG = re(`${R} = (xchg|cmpxchg)(?:32)?_(?:32|64|relaxed)\\( (r\\d+)(?: ([-+]) (\\w+))? , ${R}(?: , ${R})? \\)`);
const L_LDDW = new RegExp(`^${R}\\s*=\\s*(.+?)\\s+ll$`);
const L_NEG = re(`${R} = -${R}`);
const L_END = re(`${R} = (be|le|bswap)(16|32|64)\\s+${R}`);
const L_MOVSX = re(`${R} = \\((s8|s16|s32)\\)${R}`);
const L_ALU = re(`${R} (=|\\+=|-=|\\*=|s/=|/=|\\|=|&=|<<=|s>>=|>>=|s%=|%=|\\^=) (?:${R}|${N})`);
const L_INSN = /^\.insn\s+(.*)$/;

function lreg(tok: string): { n: number; w: 32 | 64 } {
  const n = Number(tok.slice(1));
  if (n > 15) fail("Invalid register");
  return { n, w: tok[0] === "w" ? 32 : 64 };
}
function lmem(reg: string, sign: string | undefined, off: string | undefined): { reg: number; off: number } {
  const r = lreg(reg);
  return { reg: r.n, off: sign ? num(() => parseOff16(sign + off)) : 0 };
}
function sameWidth(...regs: { w: 32 | 64 }[]): 32 | 64 {
  const w = regs[0].w;
  if (regs.some((r) => r.w !== w)) fail("mixed w and r registers in one instruction");
  return w;
}

function parseLlvm(text: string, line: number): Item {
  let m: RegExpExecArray | null;
  const t = text
    .replace(/\s*<[^>]*>\s*$/, "") // llvm-objdump's `goto +3 <LBB0_1>` annotation
    .replace(/\bgoto\s+pc\s*(?=[-+])/, "goto "); // bpftool's `goto pc+3`
  if (L_EXIT.test(t)) return { insn: insnFor(ENTRIES_BY_CONF.get("exit")![0]), line };
  if ((m = L_INSN.exec(t))) return { insn: rawInsn(splitOperands(m[1])), line };
  if ((m = L_GOTO.exec(t))) {
    const e = ENTRIES_BY_CONF.get(m[1] === "goto" ? "ja" : "ja32")![0];
    const tg = target(m[2], e.shape === "ja" ? "off" : "imm");
    return { insn: insnFor(e, { [e.shape === "ja" ? "off" : "imm"]: tg.value }), fixup: tg.fixup, line };
  }
  if ((m = L_CALLX.exec(t))) return { insn: insnFor(ENTRIES_BY_CONF.get("call")!.find((e) => e.shape === "callx")!, { dst: lreg(m[1]).n }), line };
  if ((m = L_CALL_PC.exec(t))) {
    return { insn: insnFor(ENTRIES_BY_CONF.get("call local")![0], { imm: num(() => parseImm32(m![1].replace(/\s+/g, ""))) }), line };
  }
  if ((m = L_CALL_LOCAL.exec(t))) {
    const tg = target(m[1], "imm");
    return { insn: insnFor(ENTRIES_BY_CONF.get("call local")![0], { imm: tg.value }), fixup: tg.fixup, line };
  }
  if ((m = L_CALL_KFUNC.exec(t))) return { insn: insnFor(ENTRIES_BY_CONF.get("call runtime")![0], { imm: num(() => parseImm32(m![1])) }), line };
  if ((m = L_CALL.exec(t))) return { insn: insnFor(ENTRIES_BY_CONF.get("call")!.find((e) => e.shape === "call")!, { imm: num(() => parseImm32(m![1])) }), line };
  if ((m = L_IF.exec(t))) {
    const d = lreg(m[1]);
    const x = m[3] !== undefined;
    const w = x ? sameWidth(d, lreg(m[3])) : d.w;
    const e = llvmEntry("jcond", m[2], w, x ? "X" : "K", t);
    const tg = target(m[5], "off");
    const f = x ? { dst: d.n, src: lreg(m[3]).n, off: tg.value } : { dst: d.n, imm: num(() => parseImm32(m![4])), off: tg.value };
    return { insn: insnFor(e, f), fixup: tg.fixup, line };
  }
  if ((m = L_LOCK.exec(t))) {
    const width = Number(m[1]) as 32 | 64;
    const s = lreg(m[6]);
    const e = llvmEntry("atomic", m[5], width, "X", t);
    const mem = lmem(m[2], m[3], m[4]);
    return { insn: insnFor(e, { dst: mem.reg, off: mem.off, src: s.n }), line };
  }
  if ((m = L_STORE.exec(t))) {
    const mem = lmem(m[2], m[3], m[4]);
    if (m[5] !== undefined) {
      return { insn: insnFor(llvmEntry("stx", m[1], 64, "X", t), { dst: mem.reg, off: mem.off, src: lreg(m[5]).n }), line };
    }
    return { insn: insnFor(llvmEntry("st", m[1], 64, "K", t), { dst: mem.reg, off: mem.off, imm: num(() => parseImm32(m![6])) }), line };
  }
  if ((m = L_LOAD.exec(t))) {
    const d = lreg(m[1]);
    if (d.w === 32 && (m[2] === "u64" || m[2][0] === "s")) fail(`a ${m[2]} load needs an r register`);
    const mem = lmem(m[3], m[4], m[5]);
    return { insn: insnFor(llvmEntry("ldx", m[2], 64, "-", t), { dst: d.n, src: mem.reg, off: mem.off }), line };
  }
  if ((m = L_SKB.exec(t))) {
    if (m[1] !== "r0") fail("legacy packet loads always write r0");
    if (m[3] !== undefined) {
      const imm = m[4] ? num(() => parseImm32(m![4] + m![5])) : 0;
      return { insn: insnFor(llvmEntry("ldind", m[2], 64, "-", t), { src: lreg(m[3]).n, imm }), line };
    }
    return { insn: insnFor(llvmEntry("ldabs", m[2], 64, "-", t), { imm: num(() => parseImm32(m![6])) }), line };
  }
  if ((m = L_FETCH.exec(t))) {
    const d = lreg(m[1]);
    const s = lreg(m[7]);
    const width = Number(m[3]) as 32 | 64;
    if (sameWidth(d, s) !== width || d.n !== s.n) fail(`atomic_fetch_${m[2]} returns the old value in its source register: write ${m[7]} = …(…, ${m[7]}) with a ${width === 32 ? "w" : "r"} register`);
    const mem = lmem(m[4], m[5], m[6]);
    return { insn: insnFor(llvmEntry("atomic", `atomic_fetch_${m[2]}`, width, "X", t), { dst: mem.reg, off: mem.off, src: s.n }), line };
  }
  if ((m = L_XCHG.exec(t))) {
    const d = lreg(m[1]);
    const mem = lmem(m[3], m[4], m[5]);
    if (m[2] === "xchg") {
      if (m[7] !== undefined) fail("xchg takes two arguments");
      const s = lreg(m[6]);
      if (sameWidth(d, s) && d.n !== s.n) fail(`xchg returns the old value in its source register: lhs must be ${m[6]}`);
      return { insn: insnFor(llvmEntry("atomic", "xchg", d.w, "X", t), { dst: mem.reg, off: mem.off, src: s.n }), line };
    }
    if (m[7] === undefined) fail("cmpxchg takes three arguments: (ptr, r0, src)");
    const r0 = lreg(m[6]);
    const s = lreg(m[7]);
    sameWidth(d, r0, s);
    if (d.n !== 0 || r0.n !== 0) fail("cmpxchg compares with and returns into r0 (RFC 9669 §5.3): write r0 = cmpxchg_64(…, r0, src)");
    return { insn: insnFor(llvmEntry("atomic", "cmpxchg", d.w, "X", t), { dst: mem.reg, off: mem.off, src: s.n }), line };
  }
  if ((m = L_LDDW.exec(t))) {
    const d = lreg(m[1]);
    if (d.w !== 64) fail("LD_IMM64 needs an r register");
    return lddwItem(undefined, d.n, m[2], line);
  }
  if ((m = L_NEG.exec(t))) {
    const d = lreg(m[1]);
    const s = lreg(m[2]);
    if (d.n !== s.n) fail("NEG negates in place: write r1 = -r1");
    return { insn: insnFor(llvmEntry("neg", "-", sameWidth(d, s), "-", t), { dst: d.n }), line };
  }
  if ((m = L_END.exec(t))) {
    const d = lreg(m[1]);
    const s = lreg(m[4]);
    if (d.n !== s.n) fail(`${m[2]}${m[3]} swaps in place: write r1 = ${m[2]}${m[3]} r1`);
    const e = ENTRIES_BY_CONF.get(`${m[2]}${m[3]}`)![0];
    return { insn: insnFor(e, { dst: d.n }), line };
  }
  if ((m = L_MOVSX.exec(t))) {
    const d = lreg(m[1]);
    const s = lreg(m[3]);
    return { insn: insnFor(llvmEntry("movsx", `(${m[2]})`, sameWidth(d, s), "X", t), { dst: d.n, src: s.n }), line };
  }
  if ((m = L_ALU.exec(t))) {
    const d = lreg(m[1]);
    if (m[3] !== undefined) {
      const s = lreg(m[3]);
      return { insn: insnFor(llvmEntry("alu", m[2], sameWidth(d, s), "X", t), { dst: d.n, src: s.n }), line };
    }
    return { insn: insnFor(llvmEntry("alu", m[2], d.w, "K", t), { dst: d.n, imm: num(() => parseImm32(m![4])) }), line };
  }
  return fail(`cannot parse '${t}' as an LLVM-syntax instruction`);
}

// ------------------------------------------------------------------------------------------------------------

/** Strip a comment: `#` always; `;` and `//` in LLVM syntax (llvm-objdump/bpftool listings). */
function stripComment(line: string, syntax: Syntax): string {
  // bpftool's `call bpf_map_lookup_elem#1` names the helper before its id: keep the id, not a comment.
  let s = syntax === "llvm" ? line.replace(/\bcall\s+[A-Za-z_]\w*#(\d+)/, "call $1") : line;
  const h = s.indexOf("#");
  if (h >= 0) s = s.slice(0, h);
  if (syntax === "llvm") {
    const c = s.search(/;|\/\//);
    if (c >= 0) s = s.slice(0, c);
    s = s.replace(LISTING_PREFIX, "");
  }
  return s.trim();
}

// Listing prefixes: llvm-objdump `  12:\t07 01 00 00 05 00 00 00\t` and bpftool xlated `  12: (07) `.
const LISTING_PREFIX = /^\s*\d+:\s*(?:(?:[0-9a-f]{2}(?:[ \t]+|$))+|\([0-9a-f]{2}\)\s*)/i;

/**
 * Decide the syntax from the first line that only one syntax can parse: `%r` or a conformance mnemonic means
 * bpf_conformance; `=`, `goto`, `gotol`, `if `, `*(`, `callx`, `call pc±N`, `call kfunc` mean LLVM. Programs made only of `exit`/`call N` read the same in both.
 */
export function detectSyntax(text: string): Syntax {
  for (const raw of text.split("\n")) {
    let s = stripComment(raw, "llvm");
    const lm = LABEL_RE.exec(s);
    if (lm) s = lm[2];
    if (s === "") continue;
    if (/%r/.test(s)) return "conformance";
    if (/=|\bgotol?\b|^if\s|^\*\(|^callx\b|^call\s+(pc|kfunc)\b/.test(s)) return "llvm";
    const w = s.split(/\s+/)[0];
    if (w !== "exit" && w !== "call" && w !== ".insn") return "conformance";
  }
  return "conformance";
}

export function assemble(text: string, opts: AssembleOptions = {}): Program {
  const file = opts.file;
  const first = opts.firstLine ?? 1;
  const syntax = !opts.syntax || opts.syntax === "auto" ? detectSyntax(text) : opts.syntax;
  const items: Item[] = [];
  const labels = new Map<string, { slot: number; line: number }>();
  let slot = 0;
  let firstExit: number | undefined;
  const lines = text.split("\n");
  for (let k = 0; k < lines.length; k++) {
    const line = first + k;
    let s = stripComment(lines[k], syntax);
    try {
      // Labels (possibly followed by an instruction on the same line).
      let lm: RegExpExecArray | null;
      while (s !== "" && (lm = LABEL_RE.exec(s))) {
        const prev = labels.get(lm[1]);
        if (prev) fail(`duplicate label '${lm[1]}' (first defined at line ${prev.line})`);
        labels.set(lm[1], { slot, line });
        s = lm[2].trim();
      }
      if (s === "") continue;
      const it = syntax === "conformance" ? parseConformance(s, line) : parseLlvm(s, line);
      if (it.insn.opcode === 0x95 && firstExit === undefined) firstExit = slot;
      items.push(it);
      slot += it.second ? 2 : 1;
    } catch (e) {
      if (e instanceof LineError) throw new InputError(e.message, { file, line });
      throw e;
    }
  }
  // bpf_conformance: the first `exit` is implicitly labelled `exit` (an explicit label of that name wins).
  if (firstExit !== undefined && !labels.has("exit")) labels.set("exit", { slot: firstExit, line: 0 });
  const out: Insn[] = [];
  for (const it of items) {
    let insn = it.insn;
    if (it.fixup) {
      const l = labels.get(it.fixup.label);
      if (!l) throw new InputError(`Invalid label: ${it.fixup.label}`, { file, line: it.line });
      const rel = l.slot - out.length - 1;
      if (it.fixup.field === "off" && (rel < -32768 || rel > 32767)) {
        throw new InputError(`jump to '${it.fixup.label}' (${rel} slots) does not fit the 16-bit offset`, { file, line: it.line });
      }
      insn = { ...insn, [it.fixup.field]: rel };
    }
    out.push(insn);
    if (it.second) out.push(it.second);
  }
  return out;
}
