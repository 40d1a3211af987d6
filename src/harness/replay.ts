// Replayable .data output: a failing case (from a file, an ELF object or a generator) written as a
// bpf_conformance-style .data file that `bpf-mips run FILE --target T` replays. Owns what goes into the
// file (why it was written, which expectation); the format itself is src/ebpf's writeDataFile, so the writer
// and the parser cannot drift apart. Programs are written as assembler text when they reassemble to the same
// slots and as `-- raw` words otherwise; named programs, maps and options use the extension sections.
import { writeDataFile, type DataOptions } from "../ebpf/data-file";
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

export interface ReplayInfo {
  /** Why this file was written: target, verdict, seed … one comment line each. */
  readonly comments?: readonly string[];
  /** Overrides the case's own expectation (e.g. the reference value of a generated program). */
  readonly result?: bigint;
}

/** The .data text for one case. */
export function toReplayData(c: Case, info: ReplayInfo = {}): string {
  const comment = [`replay of ${c.name} (${c.source}${c.file !== c.name ? `, ${c.file}` : ""})`, ...(info.comments ?? [])];
  if (c.seed !== undefined) comment.push(`helper seed ${c.seed}`);
  const options: DataOptions = {
    ...(c.budget !== undefined ? { budget: c.budget } : {}),
    ...(c.expect.kind === "fault" ? { expect: "fault" as const, ...(c.expect.message !== undefined ? { expectMessage: c.expect.message } : {}) } : {}),
    ...(c.expect.kind === "budget" ? { expect: "budget" as const } : {}),
    ...(c.expectBigEndian && JSON.stringify(c.expectBigEndian, big) === JSON.stringify(c.expect, big) ? { byteOrder: "any" as const } : {}),
  };
  const result = info.result ?? (c.expect.kind === "result" ? c.expect.r0 : undefined);
  return writeDataFile({
    comment: comment.map((l) => l.replace(/\n/g, " ")).join("\n"),
    program: c.program,
    mem: c.mem,
    ...(result !== undefined ? { result } : {}),
    ...(info.result === undefined && c.expect.kind === "error" ? { error: c.expect.text } : {}),
    maps: c.maps,
    programs: c.programs,
    options,
  });
}

const big = (_k: string, v: unknown): unknown => (typeof v === "bigint" ? v.toString() : v);

/** A file name for a replay: the case's base name, the target, made safe for any file system. */
export function replayFileName(c: Case, target: string): string {
  const base = c.name.replace(/\.[^./]*$/, "").replace(/[^A-Za-z0-9_.-]+/g, "_").replace(/^_+/, "");
  return `${base || "case"}@${target.replace(/[^A-Za-z0-9_.-]+/g, "_")}.data`;
}
