// Disassembler for both syntaxes (LLVM/kernel by default, bpf_conformance on request). Owns printing only;
// every instruction-specific token comes from the opcode table. The output reassembles to the same slots
// (assembler.ts), including slots that are not valid instructions, which print as `.insn op, dst, src, off, imm`.
import type { Insn, Program } from "./insn";
import { lookupInsn, type OpcodeEntry } from "./opcode-table";
import { hex64, imm64Of, signed } from "./numbers";
import type { Syntax } from "./assembler";

export interface DisassembleOptions {
  readonly syntax?: Syntax;
  /** Print jump/call targets as labels `L<slot>` and insert `L<slot>:` lines before targets. */
  readonly labels?: boolean;
}

/** Is slot `index` a well-formed instance of its table row (so that the mnemonic form round-trips)? */
function printable(p: Program, index: number): OpcodeEntry | undefined {
  const i = p[index];
  const e = lookupInsn(i);
  if (!e) return undefined;
  for (const f of e.reserved) if (i[f] !== 0) return undefined;
  if (e.shape === "lddw") {
    const h = p[index + 1];
    if (!h || h.opcode !== 0 || h.dst !== 0 || h.src !== 0 || h.off !== 0) return undefined;
  }
  return e;
}

const rawLine = (i: Insn): string => `.insn 0x${i.opcode.toString(16).padStart(2, "0")}, ${i.dst}, ${i.src}, ${i.off}, ${i.imm}`;

function memC(reg: number, off: number): string {
  return off === 0 ? `[%r${reg}]` : `[%r${reg}${off < 0 ? "-" : "+"}${Math.abs(off)}]`;
}
function memL(reg: number, off: number): string {
  return `r${reg} ${off < 0 ? "-" : "+"} ${Math.abs(off)}`;
}

function pseudo(e: OpcodeEntry, imm: number, next: number): string {
  const base = `${e.llvm}(${imm})`;
  return e.llvm.startsWith("map_val") && next !== 0 ? `${base}${next < 0 ? "-" : "+"}${Math.abs(next)}` : base;
}

/** One slot (LD_IMM64 uses the next slot too). `target` names a jump target (labels mode). */
export function disassembleInsn(p: Program, index: number, syntax: Syntax = "llvm", target?: (slot: number) => string): string {
  const i = p[index];
  const e = printable(p, index);
  if (!e) return rawLine(i);
  const tgt = (rel: number): string => (target ? target(index + 1 + rel) : signed(rel));
  return syntax === "conformance" ? conf(e, i, p, index, tgt) : llvm(e, i, p, index, tgt);
}

function conf(e: OpcodeEntry, i: Insn, p: Program, index: number, tgt: (rel: number) => string): string {
  const m = e.conformance;
  switch (e.shape) {
    case "alu":
      return `${m} %r${i.dst}, ${e.source === "X" ? `%r${i.src}` : i.imm}`;
    case "neg":
    case "end":
      return `${m} %r${i.dst}`;
    case "movsx":
      return `${m} %r${i.dst}, %r${i.src}`;
    case "jcond":
      return `${m} %r${i.dst}, ${e.source === "X" ? `%r${i.src}` : i.imm}, ${tgt(i.off)}`;
    case "ja":
      return `ja ${tgt(i.off)}`;
    case "gotol":
      return `ja32 ${tgt(i.imm)}`;
    case "call":
      return e.id === "call_local" ? `call local ${tgt(i.imm)}` : `${m} ${i.imm}`;
    case "callx":
      return `call %r${i.dst}`;
    case "exit":
      return "exit";
    case "lddw": {
      const next = p[index + 1].imm;
      return `lddw %r${i.dst}, ${i.src === 0 ? hex64(imm64Of(i.imm, next)) : pseudo(e, i.imm, next)}`;
    }
    case "ldx":
      return `${m} %r${i.dst}, ${memC(i.src, i.off)}`;
    case "st":
      return `${m} ${memC(i.dst, i.off)}, ${i.imm}`;
    case "stx":
    case "atomic":
      return `${m} ${memC(i.dst, i.off)}, %r${i.src}`;
    case "ldabs":
      return `${m} ${i.imm}`;
    case "ldind":
      return `${m} %r${i.src}, ${i.imm}`;
  }
}

function llvm(e: OpcodeEntry, i: Insn, p: Program, index: number, tgt: (rel: number) => string): string {
  const r = e.width === 32 ? "w" : "r";
  const size = `u${(e.size ?? 8) * 8}`;
  switch (e.shape) {
    case "alu":
      return `${r}${i.dst} ${e.llvm} ${e.source === "X" ? `${r}${i.src}` : i.imm}`;
    case "neg":
      return `${r}${i.dst} = -${r}${i.dst}`;
    case "end":
      return `r${i.dst} = ${e.llvm} r${i.dst}`; // LLVM prints byte swaps on r registers for both classes
    case "movsx":
      return `${r}${i.dst} = ${e.llvm}${r}${i.src}`;
    case "jcond":
      return `if ${r}${i.dst} ${e.llvm} ${e.source === "X" ? `${r}${i.src}` : i.imm} goto ${tgt(i.off)}`;
    case "ja":
      return `goto ${tgt(i.off)}`;
    case "gotol":
      return `gotol ${tgt(i.imm)}`;
    case "call":
      if (e.id === "call_local") {
        const t = tgt(i.imm);
        return /^[-+]/.test(t) ? `call pc${t}` : `call local ${t}`;
      }
      return `${e.llvm} ${i.imm}`;
    case "callx":
      return `callx r${i.dst}`;
    case "exit":
      return "exit";
    case "lddw": {
      const next = p[index + 1].imm;
      // LLVM prints the 64-bit constant as a signed decimal.
      return `r${i.dst} = ${i.src === 0 ? BigInt.asIntN(64, imm64Of(i.imm, next)).toString() : pseudo(e, i.imm, next)} ll`;
    }
    case "ldx":
      return `r${i.dst} = *(${e.llvm} *)(${memL(i.src, i.off)})`;
    case "st":
      return `*(${e.llvm} *)(${memL(i.dst, i.off)}) = ${i.imm}`;
    case "stx":
      return `*(${e.llvm} *)(${memL(i.dst, i.off)}) = r${i.src}`;
    case "atomic": {
      const at = `${memL(i.dst, i.off)}`;
      if (e.llvm === "xchg") return e.width === 32 ? `w${i.src} = xchg32_32(${at}, w${i.src})` : `r${i.src} = xchg_64(${at}, r${i.src})`;
      if (e.llvm === "cmpxchg") return e.width === 32 ? `w0 = cmpxchg32_32(${at}, w0, w${i.src})` : `r0 = cmpxchg_64(${at}, r0, r${i.src})`;
      if (e.llvm.startsWith("atomic_fetch")) return `${r}${i.src} = ${e.llvm}((${size} *)(${at}), ${r}${i.src})`;
      return `lock *(${size} *)(${at}) ${e.llvm} ${r}${i.src}`;
    }
    case "ldabs":
      return `r0 = *(${e.llvm} *)skb[${i.imm}]`;
    case "ldind":
      return `r0 = *(${e.llvm} *)skb[${i.imm === 0 ? `r${i.src}` : `${memL(i.src, i.imm)}`}]`;
  }
}

/** One line per instruction (LD_IMM64 is one line); with `labels`, label lines precede jump targets. */
export function disassemble(p: Program, opts: DisassembleOptions = {}): string[] {
  const syntax = opts.syntax ?? "llvm";
  const wide = new Uint8Array(p.length);
  for (let k = 0; k < p.length; k++) {
    if (printable(p, k)?.shape === "lddw") {
      wide[k + 1] = 1;
      k++;
    }
  }
  let targets: Set<number> | undefined;
  if (opts.labels) {
    targets = new Set();
    for (let k = 0; k < p.length; k++) {
      if (wide[k]) continue;
      const t = jumpTarget(p, k);
      if (t !== undefined && t >= 0 && t < p.length && !wide[t]) targets.add(t);
    }
  }
  const out: string[] = [];
  for (let k = 0; k < p.length; k++) {
    if (wide[k]) continue;
    if (targets?.has(k)) out.push(`L${k}:`);
    let namer: ((slot: number) => string) | undefined;
    if (targets) {
      const here = k;
      const ts = targets;
      namer = (slot) => (ts.has(slot) ? `L${slot}` : signed(slot - here - 1));
    }
    out.push(disassembleInsn(p, k, syntax, namer));
  }
  return out;
}

/** Absolute slot a jump / local call at `k` goes to, if it is one. */
export function jumpTarget(p: Program, k: number): number | undefined {
  const e = printable(p, k);
  if (!e) return undefined;
  const i = p[k];
  if (e.shape === "jcond" || e.shape === "ja") return k + 1 + i.off;
  if (e.shape === "gotol" || e.id === "call_local") return k + 1 + i.imm;
  return undefined;
}
