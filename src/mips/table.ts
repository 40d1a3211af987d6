// THE declarative MIPS integer ISA table: every instruction of MIPS I–V and MIPS32/MIPS64 r1, r2, r6
// (reference/mips-isa.md §2, §2.1, §3, §5; MIPS32/MIPS64 Vol. II). Owns the rows only; the encoder,
// decoder, assembler and disassembler are derived from it (encode.ts, decode.ts, asm.ts, disasm.ts).
// Not here: FPU (COP1/COP1X, MOVF/MOVT), COP2, MSA, DSP, MIPS16/JALX, microMIPS, EVA, privileged CP0
// instructions — those words decode as Reserved Instruction.
//
// Decode rule: an entry matches when (w & mask) === match and its register predicate holds. Where two
// entries on one level match the same word, one entry's mask strictly contains the other's (e.g. EHB inside
// SLL, ROTR inside SRL, BAL inside BGEZAL, LUI inside AUI) and the more specific entry wins. table.test.ts
// checks that no other overlap exists.

import { LEVEL_BIT } from "./levels";
import type { CtiClass, MemAccess, MemAccessKind, MipsInsnDef, OperandKind, RegPredicate, SyntaxToken } from "./types";

const B = LEVEL_BIT;
const ALL = Object.values(B).reduce((a, b) => a | b, 0);
const R6 = B.mips32r6 | B.mips64r6;
const NR6 = ALL & ~R6;
/** MIPS II and later (everything but MIPS I) */
const GE2 = ALL & ~B.mips1;
/** 64-bit levels: MIPS III, IV, V, MIPS64 r1/r2/r6 */
const B64 = B.mips3 | B.mips4 | B.mips5 | B.mips64r1 | B.mips64r2 | B.mips64r6;
/** MIPS IV additions also present in MIPS32/64 (MOVZ/MOVN, PREF) */
const GE4 = ALL & ~(B.mips1 | B.mips2 | B.mips3);
/** MIPS32/MIPS64 releases */
const REL = B.mips32r1 | B.mips32r2 | B.mips32r6 | B.mips64r1 | B.mips64r2 | B.mips64r6;
const REL64 = B.mips64r1 | B.mips64r2 | B.mips64r6;
/** Release 2 and later */
const R2 = B.mips32r2 | B.mips64r2 | R6;
const R2_64 = B.mips64r2 | B.mips64r6;
const R6_64 = B.mips64r6;

const FIELD: Record<string, readonly [number, number]> = {
  op: [26, 6], rs: [21, 5], rt: [16, 5], rd: [11, 5], sa: [6, 5], fn: [0, 6],
};

function fieldSpec(name: string): readonly [number, number] {
  const f = FIELD[name];
  if (f) return f;
  const m = /^b(\d+):(\d+)$/.exec(name); // raw bit range "b<shift>:<width>"
  if (!m) throw new Error(`isa table: bad field ${name}`);
  return [Number(m[1]), Number(m[2])];
}

function bits(spec: string): { match: number; mask: number } {
  let match = 0, mask = 0;
  for (const part of spec.split(/\s+/).filter(Boolean)) {
    const [name, val] = part.split("=");
    const [sh, w] = fieldSpec(name!);
    const fm = (w === 32 ? -1 : (1 << w) - 1) << sh;
    mask |= fm;
    if (val !== undefined) match |= (Number(val) << sh) & fm;
  }
  return { match: match | 0, mask: mask | 0 };
}

const OPERAND_KINDS: ReadonlySet<string> = new Set<OperandKind>([
  "rd", "rs", "rt", "base", "rdrt", "rsrt", "sa", "simm16", "uimm16", "off16", "off9", "br16", "br21", "br26",
  "jtarget", "code10", "code10hi", "code10lo", "code20", "hint", "stype", "hwr", "sel3", "pos", "pos32",
  "sizeExt", "sizeExtm", "sizeIns", "sizeInsm", "lsa2", "bp2", "bp3", "pc19", "pc18",
]);

function parseSyntax(syntax: string): { tokens: SyntaxToken[]; operands: OperandKind[] } {
  const tokens: SyntaxToken[] = [];
  const operands: OperandKind[] = [];
  if (syntax.trim() === "") return { tokens, operands };
  for (const raw of syntax.split(",")) {
    const s = raw.trim();
    const mem = /^(\w+)\((\w+)\)$/.exec(s);
    if (mem) {
      const off = mem[1] as OperandKind;
      if (!OPERAND_KINDS.has(off) || mem[2] !== "base") throw new Error(`isa table: bad memory operand ${s}`);
      tokens.push({ t: "mem", off, offArg: operands.length, baseArg: operands.length + 1 });
      operands.push(off, "base");
    } else if (OPERAND_KINDS.has(s)) {
      tokens.push({ t: "op", kind: s as OperandKind, arg: operands.length });
      operands.push(s as OperandKind);
    } else if (s.startsWith("=")) {
      // "=rs": the previous operand of that kind, repeated in the text (LLVM's `dati $4, $4, 3`)
      const arg = operands.indexOf(s.slice(1) as OperandKind);
      if (arg < 0) throw new Error(`isa table: bad repeat ${s}`);
      tokens.push({ t: "dup", arg });
    } else if (s.startsWith("$")) {
      tokens.push({ t: "lit", text: s });
    } else throw new Error(`isa table: bad operand ${s}`);
  }
  return { tokens, operands };
}

interface Opts {
  mn?: string;
  cti?: CtiClass;
  link?: "ra" | "rd";
  mem?: MemAccess;
  w32?: ("rs" | "rt")[];
  mbz?: string;
  pred?: RegPredicate;
  rtEqRd?: boolean;
  check?: "ext" | "ins" | "rs_ne_rd";
  d?: boolean;
}

const rows: MipsInsnDef[] = [];

function row(key: string, enc: string, syntax: string, levels: number, o: Opts = {}): void {
  const { match, mask } = bits(enc);
  const mbz = o.mbz ? bits(o.mbz).mask : 0;
  if (mbz & mask) throw new Error(`isa table: ${key} must-be-zero overlaps the opcode mask`);
  const { tokens, operands } = parseSyntax(syntax);
  rows.push({
    id: rows.length,
    key,
    mnemonic: o.mn ?? key.replace(/_r6$/, ""),
    match, mask, mbz,
    pred: o.pred ?? "none",
    rtEqRd: o.rtEqRd ?? false,
    check: o.check ?? "none",
    operands, syntax, tokens,
    levels,
    cti: o.cti ?? "none",
    link: o.link ?? "none",
    mem: o.mem ?? null,
    word32: o.w32 ?? [],
    is64: o.d ?? false,
  });
}

const mem = (kind: MemAccessKind, size: 0 | 1 | 2 | 4 | 8, signed = false, pcRelative = false): MemAccess =>
  ({ kind, size, signed, pcRelative });
const W2: ("rs" | "rt")[] = ["rs", "rt"];

// ───────────────────────── SPECIAL (opcode 0) ─────────────────────────
// Shifts. SRL/SRA/SRLV/SRAV read a 32-bit rt: NotWordValue(rt) is UNPREDICTABLE (MIPS64 Vol. II SRL/SRA/SRLV/SRAV).
// SLL/SLLV truncate then sign-extend, so no restriction (reference §5).
row("sll", "op=0 fn=0", "rd, rt, sa", ALL, { mbz: "rs" });
row("ssnop", "op=0 rs=0 rt=0 rd=0 sa=1 fn=0", "", REL);
row("ehb", "op=0 rs=0 rt=0 rd=0 sa=3 fn=0", "", R2);
row("pause", "op=0 rs=0 rt=0 rd=0 sa=5 fn=0", "", R2);
row("srl", "op=0 fn=2", "rd, rt, sa", ALL, { mbz: "rs", w32: ["rt"] });
row("rotr", "op=0 rs=1 fn=2", "rd, rt, sa", R2, { w32: ["rt"] });
row("sra", "op=0 fn=3", "rd, rt, sa", ALL, { mbz: "rs", w32: ["rt"] });
row("sllv", "op=0 fn=4", "rd, rt, rs", ALL, { mbz: "sa" });
row("lsa", "op=0 fn=5", "rd, rs, rt, lsa2", R6, { mbz: "b8:3" });
row("srlv", "op=0 fn=6", "rd, rt, rs", ALL, { mbz: "sa", w32: ["rt"] });
row("rotrv", "op=0 sa=1 fn=6", "rd, rt, rs", R2, { w32: ["rt"] });
row("srav", "op=0 fn=7", "rd, rt, rs", ALL, { mbz: "sa", w32: ["rt"] });
// Jumps through registers. Pre-r6 JR (funct 8) raises RI on r6, where `jr rs` is JALR with rd = 0 (§2.1).
row("jr", "op=0 fn=8", "rs", NR6, { cti: "jump", mbz: "rt rd sa" });
row("jr_hb", "op=0 sa=16 fn=8", "rs", R2 & NR6, { mn: "jr.hb", cti: "jump", mbz: "rt rd" });
row("jr_r6", "op=0 rd=0 fn=9", "rs", R6, { cti: "jump", mbz: "rt sa", check: "rs_ne_rd" });
row("jr_hb_r6", "op=0 rd=0 sa=16 fn=9", "rs", R6, { mn: "jr.hb", cti: "jump", mbz: "rt", check: "rs_ne_rd" });
row("jalr", "op=0 fn=9", "rd, rs", ALL, { cti: "jump", link: "rd", mbz: "rt sa", check: "rs_ne_rd" });
row("jalr_hb", "op=0 sa=16 fn=9", "rd, rs", R2, { mn: "jalr.hb", cti: "jump", link: "rd", mbz: "rt", check: "rs_ne_rd" });
row("movz", "op=0 fn=0x0a", "rd, rs, rt", GE4 & NR6, { mbz: "sa" });
row("movn", "op=0 fn=0x0b", "rd, rs, rt", GE4 & NR6, { mbz: "sa" });
row("syscall", "op=0 fn=0x0c", "code20", ALL);
row("break", "op=0 fn=0x0d", "code10hi, code10lo", ALL);
row("sync", "op=0 fn=0x0f", "stype", GE2, { mbz: "rs rt rd" });
// HI/LO moves (removed in r6, where funct 0x10–0x13 with sa = 1 are CLZ/CLO/DCLZ/DCLO).
row("mfhi", "op=0 fn=0x10", "rd", NR6, { mbz: "rs rt sa" });
row("mthi", "op=0 fn=0x11", "rs", NR6, { mbz: "rt rd sa" });
row("mflo", "op=0 fn=0x12", "rd", NR6, { mbz: "rs rt sa" });
row("mtlo", "op=0 fn=0x13", "rs", NR6, { mbz: "rt rd sa" });
row("clz_r6", "op=0 sa=1 fn=0x10", "rd, rs", R6, { mbz: "rt", w32: ["rs"] });
row("clo_r6", "op=0 sa=1 fn=0x11", "rd, rs", R6, { mbz: "rt", w32: ["rs"] });
// Vol. II DCLZ/DCLO: "Release 6 implementations are required to signal a Reserved Instruction exception if the
// rt field is nonzero", so rt is part of the mask there (CLZ/CLO only say r6 sets rt to 0: must-be-zero).
row("dclz_r6", "op=0 rt=0 sa=1 fn=0x12", "rd, rs", R6_64, { d: true });
row("dclo_r6", "op=0 rt=0 sa=1 fn=0x13", "rd, rs", R6_64, { d: true });
row("dsllv", "op=0 fn=0x14", "rd, rt, rs", B64, { mbz: "sa", d: true });
row("dlsa", "op=0 fn=0x15", "rd, rs, rt, lsa2", R6_64, { mbz: "b8:3", d: true });
row("dsrlv", "op=0 fn=0x16", "rd, rt, rs", B64, { mbz: "sa", d: true });
row("drotrv", "op=0 sa=1 fn=0x16", "rd, rt, rs", R2_64, { d: true });
row("dsrav", "op=0 fn=0x17", "rd, rt, rs", B64, { mbz: "sa", d: true });
// Multiply/divide through HI/LO (pre-r6) and their r6 re-encodings with sa = 2 (low/quotient) or 3 (§2.1).
row("mult", "op=0 fn=0x18", "rs, rt", NR6, { mbz: "rd sa", w32: W2 });
row("multu", "op=0 fn=0x19", "rs, rt", NR6, { mbz: "rd sa", w32: W2 });
row("div", "op=0 fn=0x1a", "$zero, rs, rt", NR6, { mbz: "rd sa", w32: W2 });
row("divu", "op=0 fn=0x1b", "$zero, rs, rt", NR6, { mbz: "rd sa", w32: W2 });
row("dmult", "op=0 fn=0x1c", "rs, rt", B64 & NR6, { mbz: "rd sa", d: true });
row("dmultu", "op=0 fn=0x1d", "rs, rt", B64 & NR6, { mbz: "rd sa", d: true });
row("ddiv", "op=0 fn=0x1e", "$zero, rs, rt", B64 & NR6, { mbz: "rd sa", d: true });
row("ddivu", "op=0 fn=0x1f", "$zero, rs, rt", B64 & NR6, { mbz: "rd sa", d: true });
row("mul_r6", "op=0 sa=2 fn=0x18", "rd, rs, rt", R6, { w32: W2 });
row("muh", "op=0 sa=3 fn=0x18", "rd, rs, rt", R6, { w32: W2 });
row("mulu", "op=0 sa=2 fn=0x19", "rd, rs, rt", R6, { w32: W2 });
row("muhu", "op=0 sa=3 fn=0x19", "rd, rs, rt", R6, { w32: W2 });
row("div_r6", "op=0 sa=2 fn=0x1a", "rd, rs, rt", R6, { w32: W2 });
row("mod", "op=0 sa=3 fn=0x1a", "rd, rs, rt", R6, { w32: W2 });
row("divu_r6", "op=0 sa=2 fn=0x1b", "rd, rs, rt", R6, { w32: W2 });
row("modu", "op=0 sa=3 fn=0x1b", "rd, rs, rt", R6, { w32: W2 });
row("dmul", "op=0 sa=2 fn=0x1c", "rd, rs, rt", R6_64, { d: true });
row("dmuh", "op=0 sa=3 fn=0x1c", "rd, rs, rt", R6_64, { d: true });
row("dmulu", "op=0 sa=2 fn=0x1d", "rd, rs, rt", R6_64, { d: true });
row("dmuhu", "op=0 sa=3 fn=0x1d", "rd, rs, rt", R6_64, { d: true });
row("ddiv_r6", "op=0 sa=2 fn=0x1e", "rd, rs, rt", R6_64, { d: true });
row("dmod", "op=0 sa=3 fn=0x1e", "rd, rs, rt", R6_64, { d: true });
row("ddivu_r6", "op=0 sa=2 fn=0x1f", "rd, rs, rt", R6_64, { d: true });
row("dmodu", "op=0 sa=3 fn=0x1f", "rd, rs, rt", R6_64, { d: true });
// Three-register ALU. ADD/ADDU/SUB/SUBU: NotWordValue(rs/rt) is UNPREDICTABLE on 64-bit CPUs (§5).
row("add", "op=0 fn=0x20", "rd, rs, rt", ALL, { mbz: "sa", w32: W2 });
row("addu", "op=0 fn=0x21", "rd, rs, rt", ALL, { mbz: "sa", w32: W2 });
row("sub", "op=0 fn=0x22", "rd, rs, rt", ALL, { mbz: "sa", w32: W2 });
row("subu", "op=0 fn=0x23", "rd, rs, rt", ALL, { mbz: "sa", w32: W2 });
row("and", "op=0 fn=0x24", "rd, rs, rt", ALL, { mbz: "sa" });
row("or", "op=0 fn=0x25", "rd, rs, rt", ALL, { mbz: "sa" });
row("xor", "op=0 fn=0x26", "rd, rs, rt", ALL, { mbz: "sa" });
row("nor", "op=0 fn=0x27", "rd, rs, rt", ALL, { mbz: "sa" });
row("slt", "op=0 fn=0x2a", "rd, rs, rt", ALL, { mbz: "sa" });
row("sltu", "op=0 fn=0x2b", "rd, rs, rt", ALL, { mbz: "sa" });
row("dadd", "op=0 fn=0x2c", "rd, rs, rt", B64, { mbz: "sa", d: true });
row("daddu", "op=0 fn=0x2d", "rd, rs, rt", B64, { mbz: "sa", d: true });
row("dsub", "op=0 fn=0x2e", "rd, rs, rt", B64, { mbz: "sa", d: true });
row("dsubu", "op=0 fn=0x2f", "rd, rs, rt", B64, { mbz: "sa", d: true });
row("tge", "op=0 fn=0x30", "rs, rt, code10", GE2);
row("tgeu", "op=0 fn=0x31", "rs, rt, code10", GE2);
row("tlt", "op=0 fn=0x32", "rs, rt, code10", GE2);
row("tltu", "op=0 fn=0x33", "rs, rt, code10", GE2);
row("teq", "op=0 fn=0x34", "rs, rt, code10", GE2);
row("seleqz", "op=0 fn=0x35", "rd, rs, rt", R6, { mbz: "sa" });
row("tne", "op=0 fn=0x36", "rs, rt, code10", GE2);
row("selnez", "op=0 fn=0x37", "rd, rs, rt", R6, { mbz: "sa" });
row("dsll", "op=0 fn=0x38", "rd, rt, sa", B64, { mbz: "rs", d: true });
row("dsrl", "op=0 fn=0x3a", "rd, rt, sa", B64, { mbz: "rs", d: true });
row("drotr", "op=0 rs=1 fn=0x3a", "rd, rt, sa", R2_64, { d: true });
row("dsra", "op=0 fn=0x3b", "rd, rt, sa", B64, { mbz: "rs", d: true });
row("dsll32", "op=0 fn=0x3c", "rd, rt, sa", B64, { mbz: "rs", d: true });
row("dsrl32", "op=0 fn=0x3e", "rd, rt, sa", B64, { mbz: "rs", d: true });
row("drotr32", "op=0 rs=1 fn=0x3e", "rd, rt, sa", R2_64, { d: true });
row("dsra32", "op=0 fn=0x3f", "rd, rt, sa", B64, { mbz: "rs", d: true });

// ───────────────────────── REGIMM (opcode 1, selected by rt) ─────────────────────────
row("bltz", "op=1 rt=0", "rs, br16", ALL, { cti: "branch" });
row("bgez", "op=1 rt=1", "rs, br16", ALL, { cti: "branch" });
row("bltzl", "op=1 rt=2", "rs, br16", GE2 & NR6, { cti: "likely" });
row("bgezl", "op=1 rt=3", "rs, br16", GE2 & NR6, { cti: "likely" });
row("dahi", "op=1 rt=6", "rs, =rs, uimm16", R6_64, { d: true });
row("tgei", "op=1 rt=8", "rs, simm16", GE2 & NR6);
row("tgeiu", "op=1 rt=9", "rs, simm16", GE2 & NR6);
row("tlti", "op=1 rt=10", "rs, simm16", GE2 & NR6);
row("tltiu", "op=1 rt=11", "rs, simm16", GE2 & NR6);
row("teqi", "op=1 rt=12", "rs, simm16", GE2 & NR6);
row("tnei", "op=1 rt=14", "rs, simm16", GE2 & NR6);
// BLTZAL/BGEZAL with rs ≠ 0 are removed in r6; BAL (BGEZAL $0) and NAL (BLTZAL $0) remain (§2.1).
row("bltzal", "op=1 rt=0x10", "rs, br16", NR6, { cti: "branch", link: "ra" });
row("bgezal", "op=1 rt=0x11", "rs, br16", NR6, { cti: "branch", link: "ra" });
row("nal", "op=1 rs=0 rt=0x10", "", R6, { cti: "branch", link: "ra", mbz: "b0:16" });
row("bal", "op=1 rs=0 rt=0x11", "br16", ALL, { cti: "branch", link: "ra" });
row("bltzall", "op=1 rt=0x12", "rs, br16", GE2 & NR6, { cti: "likely", link: "ra" });
row("bgezall", "op=1 rt=0x13", "rs, br16", GE2 & NR6, { cti: "likely", link: "ra" });
// r6 SIGRIE: signals a Reserved Instruction exception on purpose (the code is for software).
row("sigrie", "op=1 rs=0 rt=0x17", "uimm16", R6);
row("dati", "op=1 rt=0x1e", "rs, =rs, uimm16", R6_64, { d: true });
row("synci", "op=1 rt=0x1f", "off16(base)", R2, { mem: mem("synci", 0) });

// ───────────────────────── primary opcodes ─────────────────────────
row("j", "op=2", "jtarget", ALL, { cti: "jump" });
row("jal", "op=3", "jtarget", ALL, { cti: "jump", link: "ra" });
row("beq", "op=4", "rs, rt, br16", ALL, { cti: "branch" });
row("bne", "op=5", "rs, rt, br16", ALL, { cti: "branch" });
// BLEZ/BGTZ need rt = 0; on r6 rt ≠ 0 selects compact branches (POP06/POP07), so rt is in the mask.
row("blez", "op=6 rt=0", "rs, br16", ALL, { cti: "branch" });
row("blezalc", "op=6", "rt, br16", R6, { cti: "compact-forbidden", link: "ra", pred: "rs0_rtnz" });
row("bgezalc", "op=6", "rsrt, br16", R6, { cti: "compact-forbidden", link: "ra", pred: "rs_eq_rt_nz" });
row("bgeuc", "op=6", "rs, rt, br16", R6, { cti: "compact-forbidden", pred: "rs_ne_rt_nz" });
row("bgtz", "op=7 rt=0", "rs, br16", ALL, { cti: "branch" });
row("bgtzalc", "op=7", "rt, br16", R6, { cti: "compact-forbidden", link: "ra", pred: "rs0_rtnz" });
row("bltzalc", "op=7", "rsrt, br16", R6, { cti: "compact-forbidden", link: "ra", pred: "rs_eq_rt_nz" });
row("bltuc", "op=7", "rs, rt, br16", R6, { cti: "compact-forbidden", pred: "rs_ne_rt_nz" });
// ADDI: NotWordValue(rs) UNPREDICTABLE; its opcode is POP10 on r6 (BOVC/BEQZALC/BEQC).
row("addi", "op=8", "rt, rs, simm16", NR6, { w32: ["rs"] });
row("bovc", "op=8", "rs, rt, br16", R6, { cti: "compact-forbidden", pred: "rs_ge_rt" });
row("beqzalc", "op=8", "rt, br16", R6, { cti: "compact-forbidden", link: "ra", pred: "rs0_rtnz" });
row("beqc", "op=8", "rs, rt, br16", R6, { cti: "compact-forbidden", pred: "rs_lt_rt_nz" });
row("addiu", "op=9", "rt, rs, simm16", ALL, { w32: ["rs"] });
row("slti", "op=10", "rt, rs, simm16", ALL);
row("sltiu", "op=11", "rt, rs, simm16", ALL);
row("andi", "op=12", "rt, rs, uimm16", ALL);
row("ori", "op=13", "rt, rs, uimm16", ALL);
row("xori", "op=14", "rt, rs, uimm16", ALL);
row("lui", "op=15 rs=0", "rt, uimm16", ALL);
row("aui", "op=15", "rt, rs, uimm16", R6);
row("beql", "op=20", "rs, rt, br16", GE2 & NR6, { cti: "likely" });
row("bnel", "op=21", "rs, rt, br16", GE2 & NR6, { cti: "likely" });
row("blezl", "op=22 rt=0", "rs, br16", GE2 & NR6, { cti: "likely" });
row("blezc", "op=22", "rt, br16", R6, { cti: "compact-forbidden", pred: "rs0_rtnz" });
row("bgezc", "op=22", "rsrt, br16", R6, { cti: "compact-forbidden", pred: "rs_eq_rt_nz" });
row("bgec", "op=22", "rs, rt, br16", R6, { cti: "compact-forbidden", pred: "rs_ne_rt_nz" });
row("bgtzl", "op=23 rt=0", "rs, br16", GE2 & NR6, { cti: "likely" });
row("bgtzc", "op=23", "rt, br16", R6, { cti: "compact-forbidden", pred: "rs0_rtnz" });
row("bltzc", "op=23", "rsrt, br16", R6, { cti: "compact-forbidden", pred: "rs_eq_rt_nz" });
row("bltc", "op=23", "rs, rt, br16", R6, { cti: "compact-forbidden", pred: "rs_ne_rt_nz" });
row("daddi", "op=24", "rt, rs, simm16", B64 & NR6, { d: true });
row("bnvc", "op=24", "rs, rt, br16", R6, { cti: "compact-forbidden", pred: "rs_ge_rt" });
row("bnezalc", "op=24", "rt, br16", R6, { cti: "compact-forbidden", link: "ra", pred: "rs0_rtnz" });
row("bnec", "op=24", "rs, rt, br16", R6, { cti: "compact-forbidden", pred: "rs_lt_rt_nz" });
row("daddiu", "op=25", "rt, rs, simm16", B64, { d: true });
row("ldl", "op=26", "rt, off16(base)", B64 & NR6, { mem: mem("load-left", 8), d: true });
row("ldr", "op=27", "rt, off16(base)", B64 & NR6, { mem: mem("load-right", 8), d: true });
row("daui", "op=29", "rt, rs, uimm16", R6_64, { pred: "rs_nz", d: true });

// ───────────────────────── SPECIAL2 (opcode 0x1c; MIPS32/64 r1–r5, removed in r6) ─────────────────────────
row("madd", "op=28 fn=0", "rs, rt", REL & NR6, { mbz: "rd sa", w32: W2 });
row("maddu", "op=28 fn=1", "rs, rt", REL & NR6, { mbz: "rd sa", w32: W2 });
row("mul", "op=28 fn=2", "rd, rs, rt", REL & NR6, { mbz: "sa", w32: W2 });
row("msub", "op=28 fn=4", "rs, rt", REL & NR6, { mbz: "rd sa", w32: W2 });
row("msubu", "op=28 fn=5", "rs, rt", REL & NR6, { mbz: "rd sa", w32: W2 });
row("clz", "op=28 fn=0x20", "rdrt, rs", REL & NR6, { mbz: "sa", rtEqRd: true, w32: ["rs"] });
row("clo", "op=28 fn=0x21", "rdrt, rs", REL & NR6, { mbz: "sa", rtEqRd: true, w32: ["rs"] });
row("dclz", "op=28 fn=0x24", "rdrt, rs", REL64 & NR6, { mbz: "sa", rtEqRd: true, d: true });
row("dclo", "op=28 fn=0x25", "rdrt, rs", REL64 & NR6, { mbz: "sa", rtEqRd: true, d: true });

// ───────────────────────── SPECIAL3 (opcode 0x1f; Release 2+) ─────────────────────────
// NotWordValue per the MIPS64 Vol. II (6.06) Operation sections: EXT (rs), INS (rs and rt), WSBH/SEB/SEH (rt).
// Not restricted: the D-forms, BITSWAP and ALIGN (they read bits 31..0 and sign-extend), and LSA and AUI on
// opcode 0 / 0x0f (their pages say "Restrictions: None").
row("ext", "op=31 fn=0", "rt, rs, pos, sizeExt", R2, { w32: ["rs"], check: "ext" });
row("dextm", "op=31 fn=1", "rt, rs, pos, sizeExtm", R2_64, { d: true, check: "ext" });
row("dextu", "op=31 fn=2", "rt, rs, pos32, sizeExt", R2_64, { d: true, check: "ext" });
row("dext", "op=31 fn=3", "rt, rs, pos, sizeExt", R2_64, { d: true });
row("ins", "op=31 fn=4", "rt, rs, pos, sizeIns", R2, { w32: W2, check: "ins" });
row("dinsm", "op=31 fn=5", "rt, rs, pos, sizeInsm", R2_64, { d: true });
row("dinsu", "op=31 fn=6", "rt, rs, pos32, sizeIns", R2_64, { d: true, check: "ins" });
row("dins", "op=31 fn=7", "rt, rs, pos, sizeIns", R2_64, { d: true, check: "ins" });
// BSHFL (funct 0x20) and DBSHFL (funct 0x24), selected by the sa field.
row("bitswap", "op=31 sa=0 fn=0x20", "rd, rt", R6, { mbz: "rs" });
row("wsbh", "op=31 sa=2 fn=0x20", "rd, rt", R2, { mbz: "rs", w32: ["rt"] });
row("align", "op=31 b8:3=2 fn=0x20", "rd, rs, rt, bp2", R6);
row("seb", "op=31 sa=16 fn=0x20", "rd, rt", R2, { mbz: "rs", w32: ["rt"] });
row("seh", "op=31 sa=24 fn=0x20", "rd, rt", R2, { mbz: "rs", w32: ["rt"] });
row("dbitswap", "op=31 sa=0 fn=0x24", "rd, rt", R6_64, { mbz: "rs", d: true });
row("dsbh", "op=31 sa=2 fn=0x24", "rd, rt", R2_64, { mbz: "rs", d: true });
row("dshd", "op=31 sa=5 fn=0x24", "rd, rt", R2_64, { mbz: "rs", d: true });
row("dalign", "op=31 b9:2=1 fn=0x24", "rd, rs, rt, bp3", R6_64, { d: true });
row("rdhwr", "op=31 fn=0x3b", "rt, hwr", R2 & NR6, { mbz: "rs sa" });
row("rdhwr_r6", "op=31 fn=0x3b", "rt, hwr, sel3", R6, { mbz: "rs b9:2" });
// r6 re-encodings of LL/SC/LLD/SCD/PREF with a 9-bit offset (§2.1); bit 6 must be zero.
row("sc_r6", "op=31 b6:1=0 fn=0x26", "rt, off9(base)", R6, { mem: mem("sc", 4) });
row("scd_r6", "op=31 b6:1=0 fn=0x27", "rt, off9(base)", R6_64, { mem: mem("sc", 8), d: true });
row("pref_r6", "op=31 b6:1=0 fn=0x35", "hint, off9(base)", R6, { mem: mem("prefetch", 0) });
row("ll_r6", "op=31 b6:1=0 fn=0x36", "rt, off9(base)", R6, { mem: mem("ll", 4, true) });
row("lld_r6", "op=31 b6:1=0 fn=0x37", "rt, off9(base)", R6_64, { mem: mem("ll", 8, true), d: true });

// ───────────────────────── loads and stores ─────────────────────────
row("lb", "op=32", "rt, off16(base)", ALL, { mem: mem("load", 1, true) });
row("lh", "op=33", "rt, off16(base)", ALL, { mem: mem("load", 2, true) });
row("lwl", "op=34", "rt, off16(base)", NR6, { mem: mem("load-left", 4, true) });
row("lw", "op=35", "rt, off16(base)", ALL, { mem: mem("load", 4, true) });
row("lbu", "op=36", "rt, off16(base)", ALL, { mem: mem("load", 1) });
row("lhu", "op=37", "rt, off16(base)", ALL, { mem: mem("load", 2) });
row("lwr", "op=38", "rt, off16(base)", NR6, { mem: mem("load-right", 4, true) });
row("lwu", "op=39", "rt, off16(base)", B64, { mem: mem("load", 4), d: true });
row("sb", "op=40", "rt, off16(base)", ALL, { mem: mem("store", 1) });
row("sh", "op=41", "rt, off16(base)", ALL, { mem: mem("store", 2) });
row("swl", "op=42", "rt, off16(base)", NR6, { mem: mem("store-left", 4) });
row("sw", "op=43", "rt, off16(base)", ALL, { mem: mem("store", 4) });
row("sdl", "op=44", "rt, off16(base)", B64 & NR6, { mem: mem("store-left", 8), d: true });
row("sdr", "op=45", "rt, off16(base)", B64 & NR6, { mem: mem("store-right", 8), d: true });
row("swr", "op=46", "rt, off16(base)", NR6, { mem: mem("store-right", 4) });
row("ll", "op=48", "rt, off16(base)", GE2 & NR6, { mem: mem("ll", 4, true) });
row("pref", "op=51", "hint, off16(base)", GE4 & NR6, { mem: mem("prefetch", 0) });
row("lld", "op=52", "rt, off16(base)", B64 & NR6, { mem: mem("ll", 8, true), d: true });
row("ld", "op=55", "rt, off16(base)", B64, { mem: mem("load", 8), d: true });
row("sc", "op=56", "rt, off16(base)", GE2 & NR6, { mem: mem("sc", 4) });
row("scd", "op=60", "rt, off16(base)", B64 & NR6, { mem: mem("sc", 8), d: true });
row("sd", "op=63", "rt, off16(base)", B64, { mem: mem("store", 8), d: true });

// ───────────────────────── r6 compact jumps/branches and PC-relative ─────────────────────────
row("bc", "op=50", "br26", R6, { cti: "compact" });
row("balc", "op=58", "br26", R6, { cti: "compact", link: "ra" });
row("jic", "op=54 rs=0", "rt, simm16", R6, { cti: "compact" });
row("beqzc", "op=54", "rs, br21", R6, { cti: "compact-forbidden", pred: "rs_nz" });
row("jialc", "op=62 rs=0", "rt, simm16", R6, { cti: "compact", link: "ra" });
row("bnezc", "op=62", "rs, br21", R6, { cti: "compact-forbidden", pred: "rs_nz" });
row("addiupc", "op=59 b19:2=0", "rs, pc19", R6);
row("lwpc", "op=59 b19:2=1", "rs, pc19", R6, { mem: mem("load", 4, true, true) });
row("lwupc", "op=59 b19:2=2", "rs, pc19", R6_64, { mem: mem("load", 4, false, true), d: true });
row("ldpc", "op=59 b18:3=6", "rs, pc18", R6_64, { mem: mem("load", 8, false, true), d: true });
row("auipc", "op=59 b16:5=30", "rs, simm16", R6);
row("aluipc", "op=59 b16:5=31", "rs, simm16", R6);

export const MIPS_TABLE: readonly MipsInsnDef[] = rows;

/** Table id by unique key (e.g. ID.addu, ID.mul_r6): for switch-based dispatch in the emulator. */
export const ID: Readonly<Record<string, number>> = Object.fromEntries(rows.map((r) => [r.key, r.id]));

/** Bitmask of every level. */
export const ALL_LEVELS_MASK = ALL;
