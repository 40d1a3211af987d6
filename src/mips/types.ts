// Types of the MIPS ISA table (table.ts). Owns the row format and the operand-kind vocabulary;
// does not own the rows themselves, nor encoding/decoding logic (encode.ts, decode.ts).

/**
 * Operand kinds. Each names where the value lives in the word and how it is scaled:
 * - rd rs rt: GPR fields (bits 15..11, 25..21, 20..16); base: the rs field printed as "(base)".
 * - rsrt: r6 BGEZALC/BLTZALC/BGEZC/BLTZC put their one register in both rs and rt (the rs = rt variant).
 * - rdrt: pre-r6 CLZ/CLO/DCLZ/DCLO write the destination to both rd and rt (Vol. II CLZ: "rt must equal rd").
 * - sa: 5-bit shift amount (10..6); simm16/uimm16: bits 15..0; off16: simm16 as a memory offset;
 *   off9: r6 SPECIAL3 LL/SC/PREF offset (15..7).
 * - br16/br21/br26: branch displacement in BYTES relative to PC+4 (the delay slot), field = bytes/4.
 * - jtarget: J/JAL in-segment byte address (0 … 0x0ffffffc), field = bytes/4.
 * - code10: trap code (15..6); code10hi/code10lo: BREAK's two code fields (25..16, 15..6);
 *   code20: SYSCALL code (25..6); hint: PREF hint in rt; stype: SYNC type in sa; hwr: RDHWR hardware register
 *   (rd field, printed as a bare number "$29"); sel3: r6 RDHWR select (8..6).
 * - pos/pos32/sizeExt/sizeExtm/sizeIns/sizeInsm: EXT/INS family (Vol. II EXT, DEXTM, DEXTU, INS, DINSM, DINSU).
 * - lsa2: LSA/DLSA shift amount 1..4 (field 7..6 holds sa-1); bp2/bp3: ALIGN/DALIGN byte position.
 * - pc19: r6 ADDIUPC/LWPC/LWUPC immediate in bytes (field = bytes/4); pc18: LDPC (field = bytes/8).
 */
export type OperandKind =
  | "rd" | "rs" | "rt" | "base" | "rdrt" | "rsrt"
  | "sa" | "simm16" | "uimm16" | "off16" | "off9"
  | "br16" | "br21" | "br26" | "jtarget"
  | "code10" | "code10hi" | "code10lo" | "code20" | "hint" | "stype" | "hwr" | "sel3"
  | "pos" | "pos32" | "sizeExt" | "sizeExtm" | "sizeIns" | "sizeInsm"
  | "lsa2" | "bp2" | "bp3" | "pc19" | "pc18";

/** Control-transfer class (reference/mips-isa.md §3, §4.1). */
export type CtiClass = "none" | "branch" | "likely" | "jump" | "compact" | "compact-forbidden";

/**
 * Register-relation predicates that select among r6 compact branches sharing an opcode
 * (MIPS64 r6 Vol. II, "POP10/POP30/POP06/POP07/POP26/POP27/POP66/POP76" encodings).
 */
export type RegPredicate =
  | "none"
  | "rs0_rtnz"      // rs = 0, rt ≠ 0
  | "rs_lt_rt_nz"   // 0 < rs < rt
  | "rs_ge_rt"      // rs ≥ rt
  | "rs_eq_rt_nz"   // rs = rt ≠ 0
  | "rs_ne_rt_nz"   // rs ≠ rt, both ≠ 0
  | "rs_nz";        // rs ≠ 0

export type MemAccessKind =
  | "load" | "store" | "load-left" | "load-right" | "store-left" | "store-right"
  | "ll" | "sc" | "prefetch" | "synci";

export interface MemAccess {
  readonly kind: MemAccessKind;
  /** bytes (0 for prefetch/synci) */
  readonly size: 0 | 1 | 2 | 4 | 8;
  /** loads: sign-extend (true) or zero-extend (false) */
  readonly signed: boolean;
  /** address = PC-relative (r6 LWPC/LWUPC/LDPC) instead of base + offset */
  readonly pcRelative: boolean;
}

export type SyntaxToken =
  | { readonly t: "op"; readonly kind: OperandKind; readonly arg: number }
  | { readonly t: "mem"; readonly off: OperandKind; readonly offArg: number; readonly baseArg: number }
  | { readonly t: "lit"; readonly text: string }
  /** the operand `arg` printed (and parsed) a second time */
  | { readonly t: "dup"; readonly arg: number };

export interface MipsInsnDef {
  /** index in MIPS_TABLE */
  readonly id: number;
  /** unique name (mnemonic, or mnemonic + "_r6" etc. where the mnemonic is re-encoded) */
  readonly key: string;
  /** LLVM mnemonic */
  readonly mnemonic: string;
  readonly match: number;
  readonly mask: number;
  readonly pred: RegPredicate;
  /** fields the manual requires to be zero (UNPREDICTABLE otherwise); not part of the decode mask */
  readonly mbz: number;
  /** pre-r6 CLZ/CLO/DCLZ/DCLO: rt must equal rd (UNPREDICTABLE otherwise) */
  readonly rtEqRd: boolean;
  /**
   * Field relations the manual makes UNPREDICTABLE: "ext" (EXT/DEXTM/DEXTU: lsb + msbd > 31),
   * "ins" (INS/DINS/DINSU: lsb > msb), "rs_ne_rd" (JALR: rs = rd).
   */
  readonly check: "none" | "ext" | "ins" | "rs_ne_rd";
  /** operands in assembler order (literals excluded) */
  readonly operands: readonly OperandKind[];
  /** assembler syntax, e.g. "rt, off16(base)" or "$zero, rs, rt" */
  readonly syntax: string;
  readonly tokens: readonly SyntaxToken[];
  /** OR of LEVEL_BIT for every level where the encoding exists */
  readonly levels: number;
  readonly cti: CtiClass;
  /** writes a return address: "ra" ($31) or "rd" (JALR) */
  readonly link: "none" | "ra" | "rd";
  readonly mem: MemAccess | null;
  /** operands that must hold sign-extended 32-bit values on a 64-bit CPU (Vol. II "NotWordValue") */
  readonly word32: readonly ("rs" | "rt")[];
  /** true for 64-bit (doubleword) operations */
  readonly is64: boolean;
}
