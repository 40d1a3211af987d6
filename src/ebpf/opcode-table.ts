// The ONE declarative table of eBPF instruction variants (RFC 9669 §4–§5 plus Linux's callx and the
// legacy packet loads). Owns: which (opcode, discriminating field) pairs exist, their mnemonics in the
// bpf_conformance and LLVM/kernel syntaxes, their operand shape, their reserved (must-be-zero) fields, their
// conformance group and cpu version, and a 256-entry opcode index for the decoder and validator.
// Does not own: byte encoding (encode.ts), the checks that use the table (validate.ts), text parsing and
// printing (assembler.ts, disassembler.ts) — those derive everything instruction-specific from these rows.
import type { Insn } from "./insn";

/** bpf_conformance groups (ebpf-semantics.md §2.8, RFC 9669 §2.4). */
export type Group = "base32" | "base64" | "atomic32" | "atomic64" | "divmul32" | "divmul64" | "callx" | "packet";
export const GROUPS: readonly Group[] = ["base32", "base64", "atomic32", "atomic64", "divmul32", "divmul64", "callx", "packet"];
/** Groups the bpf_conformance runner selects by default (ebpf-semantics.md §2.8). */
export const DEFAULT_GROUPS: readonly Group[] = ["base32", "base64", "atomic32", "atomic64", "divmul32", "divmul64"];
export type CpuVersion = 1 | 2 | 3 | 4;
export type Field = "dst" | "src" | "off" | "imm";
export const FIELDS: readonly Field[] = ["dst", "src", "off", "imm"];

/**
 * Operand shape: decides which fields carry operands and how both syntaxes spell them.
 *  alu      dst op= src|imm          neg   dst = -dst          end   dst = be16 dst (imm = width)
 *  movsx    dst = (s8)src (off = 8/16/32)
 *  jcond    if dst op src|imm goto off                ja    goto off          gotol  gotol imm
 *  call     call imm (src 0 helper, 1 local: pc-relative imm, 2 kfunc)      callx  callx dst    exit
 *  lddw     dst = imm64 (src 0–6 selects the meaning, RFC 9669 §5.4)
 *  ldx      dst = *(size *)(src + off)     st  *(size *)(dst + off) = imm     stx  … = src
 *  atomic   *(size *)(dst + off) op= src, with FETCH/XCHG/CMPXCHG in imm (RFC 9669 §5.3)
 *  ldabs    r0 = *(size *)skb[imm]         ldind r0 = *(size *)skb[src + imm]   (legacy, RFC 9669 §5.5)
 */
export type Shape =
  | "alu" | "neg" | "end" | "movsx"
  | "jcond" | "ja" | "gotol" | "call" | "callx" | "exit"
  | "lddw" | "ldx" | "st" | "stx" | "atomic" | "ldabs" | "ldind";

export interface OpcodeEntry {
  /** Stable unique id, e.g. "add32_imm", "add64_reg", "jeq32_imm", "lock_fetch_add64", "lddw_map_by_fd". */
  readonly id: string;
  readonly opcode: number;
  /** The field (besides the opcode) that selects this variant, and its value. */
  readonly match?: { readonly field: "off" | "imm" | "src"; readonly value: number };
  readonly shape: Shape;
  /** "K": imm operand, "X": register operand, "-": neither (source bit unused or meaningless). */
  readonly source: "K" | "X" | "-";
  /** Operand width: 32 for ALU/JMP32/W atomics, 64 otherwise. */
  readonly width: 32 | 64;
  /** Memory access size in bytes for loads, stores, atomics, packet loads. */
  readonly size?: 1 | 2 | 4 | 8;
  /** Fields carrying operands (never reserved). */
  readonly uses: readonly Field[];
  /** Fields that MUST be zero (RFC 9669 §4: "unused fields SHALL be cleared to zero"). */
  readonly reserved: readonly Field[];
  /** Mnemonic in the bpf_conformance assembler syntax (ebpf-semantics.md §4.2). */
  readonly conformance: string;
  /** Operator or mnemonic token in the LLVM/kernel syntax (what llvm-objdump and bpftool print). */
  readonly llvm: string;
  readonly group: Group;
  readonly cpu: CpuVersion;
}

// ---------------------------------------------------------------------------------------------------------
// Row builders. Each call adds rows to TABLE; the rows themselves are plain data (the exported TABLE).

const rows: OpcodeEntry[] = [];

function add(e: Omit<OpcodeEntry, "reserved">): void {
  const matched = e.match?.field;
  const reserved = FIELDS.filter((f) => !e.uses.includes(f) && f !== matched);
  rows.push({ ...e, reserved });
}

// ALU operations: [name, op bits, llvm operator, kind]. kind "divmul" picks the divmul groups (§2.1 Groups).
const ALU_OPS: readonly (readonly [string, number, string, "plain" | "divmul"])[] = [
  ["add", 0x00, "+=", "plain"], ["sub", 0x10, "-=", "plain"], ["mul", 0x20, "*=", "divmul"],
  ["div", 0x30, "/=", "divmul"], ["or", 0x40, "|=", "plain"], ["and", 0x50, "&=", "plain"],
  ["lsh", 0x60, "<<=", "plain"], ["rsh", 0x70, ">>=", "plain"], ["mod", 0x90, "%=", "divmul"],
  ["xor", 0xa0, "^=", "plain"], ["mov", 0xb0, "=", "plain"], ["arsh", 0xc0, "s>>=", "plain"],
];

for (const width of [32, 64] as const) {
  const cls = width === 32 ? 0x04 : 0x07;
  const sfx = width === 32 ? "32" : "";
  const baseGroup: Group = width === 32 ? "base32" : "base64";
  const dmGroup: Group = width === 32 ? "divmul32" : "divmul64";
  for (const [name, op, llvm, kind] of ALU_OPS) {
    const group = kind === "divmul" ? dmGroup : baseGroup;
    // DIV/MOD share their opcode with SDIV/SMOD (off = 1), MOV with MOVSX (off = 8/16/32): RFC 9669 §4.1.
    const offMatch = name === "div" || name === "mod" || name === "mov" ? { field: "off" as const, value: 0 } : undefined;
    for (const source of ["K", "X"] as const) {
      const opcode = cls | op | (source === "X" ? 0x08 : 0);
      const m = source === "K" && name === "mov" ? undefined : offMatch; // MOVSX has no K form
      add({
        id: `${name}${width}_${source === "K" ? "imm" : "reg"}`, opcode, match: m, shape: "alu", source, width,
        uses: source === "K" ? ["dst", "imm"] : ["dst", "src"],
        conformance: name + sfx, llvm, group, cpu: 1,
      });
      if (name === "div" || name === "mod") {
        const sname = name === "div" ? "sdiv" : "smod";
        add({
          id: `${sname}${width}_${source === "K" ? "imm" : "reg"}`, opcode, match: { field: "off", value: 1 },
          shape: "alu", source, width, uses: source === "K" ? ["dst", "imm"] : ["dst", "src"],
          conformance: sname + sfx, llvm: name === "div" ? "s/=" : "s%=", group, cpu: 4,
        });
      }
    }
  }
  // NEG: K form only (RFC 9669 §4.1: NEG with X is undefined). Both NEGs are base32: the RFC's Appendix A
  // registry (ietf-wg-bpf rst/instruction-set-opcodes.rst) lists 0x87 as base32, and so does bpf_conformance's
  // spec table, which decides the runner's group filtering — an exception to "ALU64 → base64".
  add({
    id: `neg${width === 32 ? "32" : "64"}`, opcode: cls | 0x80, shape: "neg", source: "-", width, uses: ["dst"],
    conformance: width === 32 ? "neg32" : "neg", llvm: "-", group: "base32", cpu: 1,
  });
  // MOVSX: X only, off selects the source width (RFC 9669 §4.1; ALU has 8/16 only).
  for (const bits of width === 32 ? [8, 16] : [8, 16, 32]) {
    add({
      id: `movsx${bits}${width}`, opcode: cls | 0xb0 | 0x08, match: { field: "off", value: bits }, shape: "movsx",
      source: "X", width, uses: ["dst", "src"], conformance: `movsx${bits}${width}`, llvm: `(s${bits})`,
      group: baseGroup, cpu: 4,
    });
  }
}

// Byte swaps (RFC 9669 §4.2): 0xd4 to-LE, 0xdc to-BE (ALU class), 0xd7 unconditional (ALU64 class).
for (const bits of [16, 32, 64]) {
  const g: Group = bits === 64 ? "base64" : "base32";
  add({ id: `le${bits}`, opcode: 0xd4, match: { field: "imm", value: bits }, shape: "end", source: "-", width: 32,
    uses: ["dst"], conformance: `le${bits}`, llvm: `le${bits}`, group: g, cpu: 1 });
  add({ id: `be${bits}`, opcode: 0xdc, match: { field: "imm", value: bits }, shape: "end", source: "-", width: 32,
    uses: ["dst"], conformance: `be${bits}`, llvm: `be${bits}`, group: g, cpu: 1 });
  add({ id: `bswap${bits}`, opcode: 0xd7, match: { field: "imm", value: bits }, shape: "end", source: "-", width: 64,
    uses: ["dst"], conformance: `bswap${bits}`, llvm: `bswap${bits}`, group: g, cpu: 4 });
}

// Conditional jumps: [name, op bits, llvm operator, cpu version for JMP]. JMP32 is cpu v3 (RFC 9669 App. A).
const JMP_OPS: readonly (readonly [string, number, string, CpuVersion])[] = [
  ["jeq", 0x10, "==", 1], ["jgt", 0x20, ">", 1], ["jge", 0x30, ">=", 1], ["jset", 0x40, "&", 1],
  ["jne", 0x50, "!=", 1], ["jsgt", 0x60, "s>", 1], ["jsge", 0x70, "s>=", 1], ["jlt", 0xa0, "<", 2],
  ["jle", 0xb0, "<=", 2], ["jslt", 0xc0, "s<", 2], ["jsle", 0xd0, "s<=", 2],
];
for (const width of [64, 32] as const) {
  const cls = width === 32 ? 0x06 : 0x05;
  for (const [name, op, llvm, cpu] of JMP_OPS) {
    for (const source of ["K", "X"] as const) {
      add({
        id: `${name}${width === 32 ? "32" : ""}_${source === "K" ? "imm" : "reg"}`, opcode: cls | op | (source === "X" ? 0x08 : 0),
        shape: "jcond", source, width, uses: source === "K" ? ["dst", "off", "imm"] : ["dst", "src", "off"],
        conformance: name + (width === 32 ? "32" : ""), llvm, group: width === 32 ? "base32" : "base64",
        cpu: width === 32 ? 3 : cpu,
      });
    }
  }
}
add({ id: "ja", opcode: 0x05, shape: "ja", source: "-", width: 64, uses: ["off"], conformance: "ja", llvm: "goto", group: "base32", cpu: 1 });
// JMP32 JA takes its offset from imm (RFC 9669 §4.3 "gotol").
add({ id: "ja32", opcode: 0x06, shape: "gotol", source: "-", width: 32, uses: ["imm"], conformance: "ja32", llvm: "gotol", group: "base32", cpu: 4 });
add({ id: "call_helper", opcode: 0x85, match: { field: "src", value: 0 }, shape: "call", source: "-", width: 64, uses: ["imm"],
  conformance: "call", llvm: "call", group: "base32", cpu: 1 });
add({ id: "call_local", opcode: 0x85, match: { field: "src", value: 1 }, shape: "call", source: "-", width: 64, uses: ["imm"],
  conformance: "call local", llvm: "call pc", group: "base32", cpu: 3 });
add({ id: "call_kfunc", opcode: 0x85, match: { field: "src", value: 2 }, shape: "call", source: "-", width: 64, uses: ["imm"],
  conformance: "call runtime", llvm: "call kfunc", group: "base32", cpu: 3 });
// callx: Linux and bpf_conformance put the target register in dst (ebpf-semantics.md §2.5).
add({ id: "callx", opcode: 0x8d, shape: "callx", source: "X", width: 64, uses: ["dst"], conformance: "call", llvm: "callx", group: "callx", cpu: 1 });
add({ id: "exit", opcode: 0x95, shape: "exit", source: "-", width: 64, uses: [], conformance: "exit", llvm: "exit", group: "base32", cpu: 1 });

// LD_IMM64, meaning by src (RFC 9669 §5.4). The llvm token names the pseudo function both syntaxes print.
const LDDW_KINDS = ["", "map_by_fd", "map_val_by_fd", "var_addr", "code_addr", "map_by_idx", "map_val_by_idx"];
LDDW_KINDS.forEach((kind, src) => {
  add({ id: src === 0 ? "lddw" : `lddw_${kind}`, opcode: 0x18, match: { field: "src", value: src }, shape: "lddw", source: "-",
    width: 64, uses: ["dst", "imm"], conformance: "lddw", llvm: kind, group: "base64", cpu: 1 });
});

const SIZES: readonly (readonly [1 | 2 | 4 | 8, number, string])[] = [[1, 0x10, "b"], [2, 0x08, "h"], [4, 0x00, "w"], [8, 0x18, "dw"]];
for (const [size, sz, s] of SIZES) {
  const g: Group = size === 8 ? "base64" : "base32";
  const u = `u${size * 8}`;
  add({ id: `ldx${s}`, opcode: 0x61 | sz, shape: "ldx", source: "-", width: 64, size, uses: ["dst", "src", "off"],
    conformance: `ldx${s}`, llvm: u, group: g, cpu: 1 });
  if (size !== 8) {
    // MEMSX has no DW form (RFC 9669 §5.2).
    add({ id: `ldxs${s}`, opcode: 0x81 | sz, shape: "ldx", source: "-", width: 64, size, uses: ["dst", "src", "off"],
      conformance: `ldxs${s}`, llvm: `s${size * 8}`, group: "base32", cpu: 4 });
  }
  add({ id: `st${s}`, opcode: 0x62 | sz, shape: "st", source: "K", width: 64, size, uses: ["dst", "off", "imm"],
    conformance: `st${s}`, llvm: u, group: g, cpu: 1 });
  add({ id: `stx${s}`, opcode: 0x63 | sz, shape: "stx", source: "X", width: 64, size, uses: ["dst", "src", "off"],
    conformance: `stx${s}`, llvm: u, group: g, cpu: 1 });
  if (size !== 8) {
    // Legacy packet access: B/H/W only (RFC 9669 §5.5; "packet" group, deprecated).
    add({ id: `ldabs${s}`, opcode: 0x20 | sz, shape: "ldabs", source: "-", width: 64, size, uses: ["imm"],
      conformance: `ldabs${s}`, llvm: u, group: "packet", cpu: 1 });
    add({ id: `ldind${s}`, opcode: 0x40 | sz, shape: "ldind", source: "-", width: 64, size, uses: ["src", "imm"],
      conformance: `ldind${s}`, llvm: u, group: "packet", cpu: 1 });
  }
}

// Atomics (RFC 9669 §5.3): [op name, imm]. XCHG and CMPXCHG exist only with FETCH.
const ATOMIC_OPS: readonly (readonly [string, number, string])[] = [
  ["add", 0x00, "+="], ["or", 0x40, "|="], ["and", 0x50, "&="], ["xor", 0xa0, "^="],
  ["fetch add", 0x01, "atomic_fetch_add"], ["fetch or", 0x41, "atomic_fetch_or"],
  ["fetch and", 0x51, "atomic_fetch_and"], ["fetch xor", 0xa1, "atomic_fetch_xor"],
  ["xchg", 0xe1, "xchg"], ["cmpxchg", 0xf1, "cmpxchg"],
];
for (const width of [32, 64] as const) {
  for (const [name, imm, llvm] of ATOMIC_OPS) {
    const sfx = width === 32 ? "32" : "";
    add({ id: `lock_${name.replace(" ", "_")}${width}`, opcode: width === 32 ? 0xc3 : 0xdb, match: { field: "imm", value: imm },
      shape: "atomic", source: "X", width, size: width === 32 ? 4 : 8, uses: ["dst", "src", "off"],
      conformance: `lock ${name}${sfx}`, llvm, group: width === 32 ? "atomic32" : "atomic64", cpu: 3 });
  }
}

/** Every instruction variant, in a stable order. */
export const TABLE: readonly OpcodeEntry[] = rows;

// ---------------------------------------------------------------------------------------------------------
// The 256-entry index. BY_OPCODE[op] lists the variants sharing that opcode (usually one).

const EMPTY: readonly OpcodeEntry[] = [];
export const BY_OPCODE: readonly (readonly OpcodeEntry[])[] = (() => {
  const idx: OpcodeEntry[][] = Array.from({ length: 256 }, () => []);
  for (const e of rows) idx[e.opcode].push(e);
  return idx.map((l) => (l.length === 0 ? EMPTY : l));
})();

const BY_ID = new Map(rows.map((e) => [e.id, e]));

export function entryById(id: string): OpcodeEntry | undefined {
  return BY_ID.get(id);
}

/** The variant an instruction slot encodes, or undefined (unknown opcode or no variant for the field). */
export function lookupInsn(i: Insn): OpcodeEntry | undefined {
  const list = BY_OPCODE[i.opcode & 0xff];
  for (let k = 0; k < list.length; k++) {
    const e = list[k];
    const m = e.match;
    if (m === undefined || i[m.field] === m.value) return e;
  }
  return undefined;
}

/** Is `opcode` the first byte of any table row? */
export const isKnownOpcode = (opcode: number): boolean => BY_OPCODE[opcode & 0xff].length > 0;

/** An instruction built from a table row with the given operand fields (the discriminator is filled in). */
export function insnFor(e: OpcodeEntry, fields: Partial<Record<Field, number>> = {}): Insn {
  const f = { dst: 0, src: 0, off: 0, imm: 0, ...fields };
  if (e.match) f[e.match.field] = e.match.value;
  return { opcode: e.opcode, dst: f.dst, src: f.src, off: (f.off << 16) >> 16, imm: f.imm | 0 };
}
