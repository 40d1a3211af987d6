// Structural validity of a program against the opcode table (RFC 9669 §3–§5; ebpf-semantics.md §2.7).
// Owns: per-slot checks (known variant, reserved fields zero, register numbers, LD_IMM64 pairing, jump and
// local-call targets) and the per-program instruction inventory (groups / cpu version) used for
// bpf_conformance filtering. Does not own: data-flow checks (initialised registers, stack bounds, reachability,
// helper ids) — those are src/verifier's.
import type { Insn, Program } from "./insn";
import { InputError } from "./errors";
import { BY_OPCODE, lookupInsn, type CpuVersion, type Field, type Group, type OpcodeEntry } from "./opcode-table";

export interface ValidateOptions {
  /** Allow register 11 (AX, the hidden blinding register) — for programs rewritten by the verifier. */
  readonly allowAx?: boolean;
  /** Allow `mov32 rX, rX` with imm = 1: Linux's verifier-inserted zero-extension marker (ebpf-semantics.md §3 row 5). */
  readonly allowZextMarker?: boolean;
  /** File name for error locations. */
  readonly file?: string;
}

const hex = (v: number, w = 2): string => "0x" + (v >>> 0).toString(16).padStart(w, "0");

// Opcodes that look like instructions but are explicitly undefined: a precise reason beats "unknown opcode".
const UNDEFINED_OPCODES: ReadonlyMap<number, string> = new Map([
  [0x8c, "NEG with source bit X is undefined (RFC 9669 §4.1: NEG uses no source operand)"],
  [0x8f, "NEG with source bit X is undefined (RFC 9669 §4.1: NEG uses no source operand)"],
  [0xdf, "BSWAP (ALU64 END) requires source bit 0 (RFC 9669 §4.2)"],
  [0x99, "there is no sign-extending DW load (RFC 9669 §5.2: MEMSX is B/H/W only)"],
  [0xd3, "8-bit atomics are not defined (RFC 9669 §5.3: W and DW only)"],
  [0xcb, "16-bit atomics are not defined (RFC 9669 §5.3: W and DW only)"],
  [0x38, "there is no DW legacy packet load (RFC 9669 §5.5: ABS is B/H/W)"],
  [0x58, "there is no DW legacy packet load (RFC 9669 §5.5: IND is B/H/W)"],
  [0x0d, "JA with source bit X is undefined (RFC 9669 §4.3)"],
  [0x0e, "JMP32 JA with source bit X is undefined (RFC 9669 §4.3)"],
  [0x9d, "EXIT with source bit X is undefined (RFC 9669 §4.3)"],
  [0x8e, "CALL is not defined in class JMP32 (RFC 9669 §4.3)"],
  [0x86, "CALL is not defined in class JMP32 (RFC 9669 §4.3)"],
  [0x96, "EXIT is not defined in class JMP32 (RFC 9669 §4.3)"],
]);

function variantError(i: Insn, list: readonly OpcodeEntry[]): string {
  const field = list[0].match!.field;
  const allowed = list.map((e) => `${e.match!.value} (${e.id})`).join(", ");
  const v = i[field];
  if (list[0].shape === "atomic" && (v === 0xe0 || v === 0xf0)) {
    return `${v === 0xe0 ? "XCHG" : "CMPXCHG"} without FETCH (imm ${hex(v)}) is invalid: FETCH is mandatory (RFC 9669 §5.3)`;
  }
  return `opcode ${hex(i.opcode)} has no variant with ${field} = ${field === "imm" ? hex(v) : v}; expected one of ${allowed}`;
}

/** The table row for slot i, or an InputError naming why there is none. */
export function entryOrError(i: Insn, index: number, file?: string): OpcodeEntry {
  const e = lookupInsn(i);
  if (e) return e;
  const list = BY_OPCODE[i.opcode & 0xff];
  if (list.length === 0) {
    const why = UNDEFINED_OPCODES.get(i.opcode);
    throw new InputError(why ?? `unknown opcode ${hex(i.opcode)}`, { file, insn: index, field: "opcode" });
  }
  throw new InputError(variantError(i, list), { file, insn: index, field: list[0].match!.field });
}

/** Throws InputError at the first problem: {insn, field} locate it. */
export function validateProgram(p: Program, opts: ValidateOptions = {}): void {
  const file = opts.file;
  if (p.length === 0) throw new InputError("program has no instructions", { file });
  const maxReg = opts.allowAx ? 11 : 10;
  // Slots that are the second half of an LD_IMM64: no jump may land there (RFC 9669 §4.3, the RFC's one UB).
  const second = new Uint8Array(p.length);
  for (let k = 0; k < p.length; k++) {
    const i = p[k];
    const e = entryOrError(i, k, file);
    for (const f of e.reserved) {
      if (i[f] !== 0) {
        if (opts.allowZextMarker && f === "imm" && i.imm === 1 && e.id === "mov32_reg" && i.src === i.dst) continue;
        const why = (e.id === "mov64_imm" || e.id === "mov32_imm") && f === "off"
          ? " (MOVSX exists only with a register source, RFC 9669 §4.1)" : "";
        throw new InputError(`reserved field ${f} must be 0 in ${e.id}, got ${f === "imm" ? hex(i.imm, 1) : i[f]}${why}`, {
          file, insn: k, field: f,
        });
      }
    }
    for (const f of ["dst", "src"] as const) {
      if (e.uses.includes(f) && (i[f] < 0 || i[f] > maxReg)) {
        throw new InputError(`bad register number ${i[f]} in ${f} (r0–r${maxReg})`, { file, insn: k, field: f });
      }
    }
    if (e.shape === "lddw") {
      if (k + 1 >= p.length) {
        throw new InputError("LD_IMM64 has no second half (it is the last slot)", { file, insn: k });
      }
      const h = p[k + 1];
      if (h.opcode !== 0 || h.dst !== 0 || h.src !== 0 || h.off !== 0) {
        throw new InputError(
          `LD_IMM64 second half must have opcode, registers and off 0 (got opcode ${hex(h.opcode)} dst ${h.dst} src ${h.src} off ${h.off})`,
          { file, insn: k + 1 },
        );
      }
      // Only src 0/2/6 give next_imm a meaning (RFC 9669 §5.4); Linux rejects a non-zero one otherwise.
      const s = i.src;
      if ((s === 1 || s === 3 || s === 4 || s === 5) && h.imm !== 0) {
        throw new InputError(`LD_IMM64 ${e.id} has no use for the second half's imm, which must be 0 (got ${hex(h.imm, 1)})`, {
          file, insn: k + 1, field: "imm",
        });
      }
      second[k + 1] = 1;
      k++;
    }
  }
  for (let k = 0; k < p.length; k++) {
    if (second[k]) continue;
    const i = p[k];
    const e = lookupInsn(i)!;
    let rel: number | undefined;
    let field: Field = "off";
    if (e.shape === "jcond" || e.shape === "ja") rel = i.off;
    else if (e.shape === "gotol" || (e.shape === "call" && e.id === "call_local")) {
      rel = i.imm;
      field = "imm";
    } else if (e.shape === "lddw" && i.src === 4) {
      rel = i.imm; // code_addr(imm): a pc-relative subprogram address, like a local call (Linux BPF_PSEUDO_FUNC)
      field = "imm";
    }
    if (rel === undefined) continue;
    const t = k + 1 + rel;
    const what = e.shape === "call" ? "call target" : e.shape === "lddw" ? "code address" : "jump target";
    if (t < 0 || t >= p.length) {
      throw new InputError(`${what} ${t} (${rel >= 0 ? "+" : ""}${rel}) is outside the program (0..${p.length - 1})`, {
        file, insn: k, field,
      });
    }
    if (second[t]) {
      throw new InputError(`${what} ${t} (${rel >= 0 ? "+" : ""}${rel}) is the second slot of the LD_IMM64 at ${t - 1}`, {
        file, insn: k, field,
      });
    }
  }
}

export interface InstructionInventory {
  /** Distinct variants used, in table order of first use. */
  readonly entries: readonly OpcodeEntry[];
  /** Max cpu version over the instructions (1 for an empty program). */
  readonly cpu: CpuVersion;
  /** Union of the instructions' groups. */
  readonly groups: readonly Group[];
  /** Slot indices whose instruction is not in the table (they contribute nothing above). */
  readonly unknown: readonly number[];
}

/**
 * bpf_conformance filtering (ebpf-semantics.md §4.4): a test's CPU version is the maximum over its
 * instructions and its groups the union.
 */
export function listInstructionVariants(p: Program): InstructionInventory {
  const seen = new Set<OpcodeEntry>();
  const groups = new Set<Group>();
  const unknown: number[] = [];
  let cpu: CpuVersion = 1;
  for (let k = 0; k < p.length; k++) {
    const e = lookupInsn(p[k]);
    if (!e) {
      unknown.push(k);
      continue;
    }
    seen.add(e);
    groups.add(e.group);
    if (e.cpu > cpu) cpu = e.cpu;
    if (e.shape === "lddw") k++;
  }
  return { entries: [...seen], cpu, groups: [...groups], unknown };
}
