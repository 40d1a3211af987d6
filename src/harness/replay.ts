// Replayable .data output: a failing case (from a file, an ELF object or a generator) written as a
// bpf_conformance-style .data file that `bpf-mips run FILE --target T` replays. Owns the writer only; the
// reader is src/ebpf's .data parser. The program is written as `-- raw` 64-bit words (LE encoding, the
// format bpf_conformance and our parser read, ebpf-semantics.md §4.1) so the replay is bit-exact even for
// encodings no assembler accepts; the assembler text, when the case has one, follows as comments.
// Named programs and maps use the project's extension sections (`-- asm NAME`, `-- maps`, `-- options`).
import { encodeProgram } from "../ebpf/encode";
import type { Program } from "../ebpf/insn";
import type { Case } from "./case";

/** One 64-bit word per slot, as `0x` + 16 hex digits of the little-endian encoding read as a u64. */
export function rawWords(p: Program): string[] {
  const bytes = encodeProgram(p, true);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: string[] = [];
  for (let i = 0; i < bytes.length; i += 8) out.push("0x" + view.getBigUint64(i, true).toString(16).padStart(16, "0"));
  return out;
}

function hexLines(mem: Uint8Array): string[] {
  const out: string[] = [];
  for (let i = 0; i < mem.length; i += 16) {
    out.push(Array.from(mem.subarray(i, i + 16), (b) => b.toString(16).padStart(2, "0")).join(" "));
  }
  return out;
}

export interface ReplayInfo {
  /** Why this file was written: target, verdict, seed … one comment line each. */
  readonly comments?: readonly string[];
  /** Overrides the case's own expectation (e.g. the reference value of a generated program). */
  readonly result?: bigint;
  /**
   * Named programs rendered as assembler text (the parser's `-- asm NAME` takes text only); without it,
   * cases with named programs are written without them and say so in a comment.
   */
  readonly disassemble?: (p: Program) => string[];
}

/** The .data text for one case. */
export function toReplayData(c: Case, info: ReplayInfo = {}): string {
  const lines: string[] = [];
  lines.push(`# replay of ${c.name} (${c.source})`);
  for (const cm of info.comments ?? []) lines.push(`# ${cm.replace(/\n/g, " ")}`);
  if (c.asm) {
    lines.push("# original assembler text:");
    for (const l of c.asm.split("\n")) if (l.trim()) lines.push(`#   ${l}`);
  }
  lines.push("-- raw", ...rawWords(c.program));
  const names = Object.keys(c.programs);
  if (names.length > 0) {
    if (info.disassemble) {
      for (const n of names) lines.push(`-- asm ${n}`, ...info.disassemble(c.programs[n]));
    } else {
      lines.push(`# named programs not written (no disassembler given): ${names.join(", ")}`);
    }
  }
  if (c.maps.length > 0) lines.push("-- maps", JSON.stringify(c.maps));
  const options: Record<string, unknown> = {};
  if (c.budget !== undefined) options.budget = c.budget;
  if (c.seed !== undefined) options.seed = c.seed;
  if (c.expect.kind === "fault" || c.expect.kind === "budget") options.expect = c.expect.kind;
  if (Object.keys(options).length > 0) lines.push("-- options", JSON.stringify(options));
  if (c.mem.length > 0) lines.push("-- mem", ...hexLines(c.mem));
  if (info.result !== undefined) lines.push("-- result", "0x" + BigInt.asUintN(64, info.result).toString(16));
  else if (c.expect.kind === "result") lines.push("-- result", "0x" + BigInt.asUintN(64, c.expect.r0).toString(16));
  else if (c.expect.kind === "error") lines.push("-- error", c.expect.text);
  return lines.join("\n") + "\n";
}

/** A file name for a replay: the case's base name, the target, made safe for any file system. */
export function replayFileName(c: Case, target: string): string {
  const base = c.name.replace(/\.[^./]*$/, "").replace(/[^A-Za-z0-9_.-]+/g, "_").replace(/^_+/, "");
  return `${base || "case"}@${target.replace(/[^A-Za-z0-9_.-]+/g, "_")}.data`;
}
