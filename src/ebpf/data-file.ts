// bpf_conformance `.data` files (ebpf-semantics.md §4.1) plus the project's extension sections, and the
// writer that turns a case back into a replayable file. Owns: section splitting, comments, mem/result/error
// parsing, the zod-validated `-- maps` / `-- options` sections and `-- asm NAME` / `-- raw NAME` programs.
// Does not own running anything: expectations are data here, interpreted by src/harness.
// Unlike bpf_conformance (which silently skips a file with an unknown directive) an unknown directive is an
// InputError naming file and line: a typo must never turn a case into a silent pass.
import { z } from "zod";
import { InputError } from "./errors";
import type { Program } from "./insn";
import { MapDefSchema, type MapDef } from "./maps";
import { assemble } from "./assembler";
import { disassemble } from "./disassembler";
import { encodeProgram } from "./encode";
import { formatRawWords, loadRawProgram } from "./raw";
import { NumberError, parseU64 } from "./numbers";

/** `-- options` (JSON object). Strict: an unknown key is an error, not ignored. */
export const DataOptionsSchema = z
  .object({
    /** Instruction budget for the run (default: the engine's). */
    budget: z.number().int().min(1).optional(),
    /** How the run must end: normal exit (default), budget exhausted, or a fault (bad access, call depth, …). */
    expect: z.enum(["exit", "budget", "fault"]).optional(),
    /** For expect "fault": a substring the fault message must contain. */
    expectMessage: z.string().optional(),
    /** Byte order the expected result holds for: "le" (bpf_conformance's assumption, default) or "any". */
    byteOrder: z.enum(["le", "any"]).optional(),
    /** Free-form tags for filtering (e.g. "tail-call", "edge"). */
    tags: z.array(z.string()).optional(),
  })
  .strict();
export type DataOptions = z.infer<typeof DataOptionsSchema>;

export interface DataCase {
  readonly file: string;
  /** Text of the main `-- asm` section and the file line of its first line. */
  readonly asm?: string;
  readonly asmLine?: number;
  /** The main `-- raw` section (used instead of asm when present, as bpf_conformance does). */
  readonly raw?: Program;
  /** The main program: raw if present, else asm assembled (lazily; InputError with file:line). */
  readonly program: () => Program;
  /** `-- mem` bytes (empty when absent). */
  readonly mem: Uint8Array;
  readonly result?: bigint;
  /** `-- error` text (last line wins; "" when the section is empty, undefined when absent). */
  readonly error?: string;
  readonly maps: readonly MapDef[];
  /** Named programs (`-- asm NAME`, `-- raw NAME`), plus "main" for the main program when it exists. */
  readonly programs: Readonly<Record<string, () => Program>>;
  /** Source text of named asm sections, for writing the case back out. */
  readonly namedAsm: Readonly<Record<string, string>>;
  readonly options: DataOptions;
  /** Sections read and deliberately ignored (`-- c`, `-- no register offset`). */
  readonly ignored: readonly string[];
}

interface Section {
  readonly kind: string;
  readonly name?: string;
  readonly line: number; // line of the directive
  readonly lines: string[];
}

const NAME_RE = /^[A-Za-z_][\w.-]*$/;
const IGNORED = new Set(["c", "no register offset"]);
const KINDS = new Set(["asm", "raw", "mem", "result", "error", "maps", "options"]);

function splitSections(text: string, file: string): { sections: Section[]; ignored: string[] } {
  const lines = text.replace(/\r/g, "").split("\n");
  const sections: Section[] = [];
  const ignored: string[] = [];
  let cur: Section | undefined;
  let skipping = false;
  lines.forEach((l, k) => {
    const line = k + 1;
    const t = l.trim();
    if (t.startsWith("--")) {
      const d = t.slice(2).trim();
      const [kind, ...rest] = d.split(/\s+/);
      const name = rest.join(" ");
      if (IGNORED.has(d)) {
        ignored.push(d);
        cur = undefined;
        skipping = true;
        return;
      }
      if (!KINDS.has(kind) || (name !== "" && kind !== "asm" && kind !== "raw")) {
        throw new InputError(`unknown directive '${t}'`, { file, line });
      }
      if (name !== "" && !NAME_RE.test(name)) throw new InputError(`bad program name '${name}' in '${t}'`, { file, line });
      const dup = sections.find((s) => s.kind === kind && s.name === (name || undefined));
      if (dup) throw new InputError(`duplicate section '${t}' (first at line ${dup.line})`, { file, line });
      cur = { kind, name: name || undefined, line, lines: [] };
      sections.push(cur);
      skipping = false;
      return;
    }
    if (cur) cur.lines.push(l);
    else if (!skipping && t !== "" && !t.startsWith("#")) {
      throw new InputError(`text outside any section: '${t}'`, { file, line });
    }
  });
  return { sections, ignored };
}

const stripHash = (l: string): string => l.replace(/#.*$/, "").trim();

function lastValue(s: Section): { text: string; line: number } | undefined {
  for (let k = s.lines.length - 1; k >= 0; k--) {
    const t = stripHash(s.lines[k]);
    if (t !== "") return { text: t, line: s.line + 1 + k };
  }
  return undefined;
}

function parseMem(s: Section, file: string): Uint8Array {
  const out: number[] = [];
  s.lines.forEach((l, k) => {
    for (const t of stripHash(l).split(/\s+/)) {
      if (t === "") continue;
      if (!/^(0x)?[0-9a-f]{2}$/i.test(t)) throw new InputError(`bad -- mem byte '${t}' (two hex digits expected)`, { file, line: s.line + 1 + k });
      out.push(parseInt(t.replace(/^0x/i, ""), 16));
    }
  });
  return new Uint8Array(out);
}

/** JSON section → value, with JSON syntax errors located at their line. */
function parseJson(s: Section, file: string): unknown {
  const text = s.lines.join("\n");
  try {
    return JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    const pos = /position (\d+)/.exec(msg);
    const lineIn = pos ? text.slice(0, Number(pos[1])).split("\n").length : 1;
    throw new InputError(`-- ${s.kind}: invalid JSON: ${msg}`, { file, line: s.line + lineIn });
  }
}

function zodError(kind: string, err: z.ZodError, file: string, line: number): InputError {
  const i = err.issues[0];
  const where = i.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("").replace(/^\./, "");
  return new InputError(`-- ${kind}: ${where ? where + ": " : ""}${i.message}`, { file, line });
}

/** Parse a bpf_conformance `.data` file (plus extensions). Throws InputError with file:line. */
export function parseDataFile(text: string, file: string): DataCase {
  const { sections, ignored } = splitSections(text, file);
  const get = (kind: string, name?: string) => sections.find((s) => s.kind === kind && s.name === name);

  const programs: Record<string, () => Program> = {};
  const namedAsm: Record<string, string> = {};
  const lazy = (f: () => Program): (() => Program) => {
    let p: Program | undefined;
    return () => (p ??= f());
  };
  const rawOf = (s: Section): Program => {
    try {
      // bpf_conformance: a word token reads as stoull does (0x-hex or decimal), reinterpreted little-endian.
      return loadRawProgram(s.lines.map(stripHash).join("\n"), { littleEndian: true, file, firstLine: s.line + 1, bareWords: "decimal" });
    } catch (e) {
      if (e instanceof InputError && e.where.line === undefined) throw e.at({ line: s.line });
      throw e;
    }
  };
  const asmOf = (s: Section) => () => assemble(s.lines.join("\n"), { file, firstLine: s.line + 1 });

  let raw: Program | undefined;
  const rawSec = get("raw");
  if (rawSec) raw = rawOf(rawSec);
  const asmSec = get("asm");
  const asm = asmSec ? asmSec.lines.join("\n") : undefined;
  const program = lazy(() => {
    if (raw) return raw;
    if (asmSec) return asmOf(asmSec)();
    throw new InputError("no -- asm or -- raw section: the case has no program", { file });
  });
  if (raw || asmSec) programs.main = program;

  for (const s of sections) {
    if (s.name === undefined) continue;
    if (s.name === "main") throw new InputError("'main' names the file's unnamed program; choose another name", { file, line: s.line });
    if (programs[s.name]) throw new InputError(`program '${s.name}' is defined twice`, { file, line: s.line });
    if (s.kind === "raw") {
      const p = rawOf(s);
      programs[s.name] = () => p;
    } else {
      programs[s.name] = lazy(asmOf(s));
      namedAsm[s.name] = s.lines.join("\n");
    }
  }

  const memSec = get("mem");
  const mem = memSec ? parseMem(memSec, file) : new Uint8Array(0);

  let result: bigint | undefined;
  const resSec = get("result");
  if (resSec) {
    const v = lastValue(resSec);
    if (!v) throw new InputError("-- result section is empty", { file, line: resSec.line });
    try {
      result = parseU64(v.text);
    } catch (e) {
      if (e instanceof NumberError) throw new InputError(`-- result: ${e.message}`, { file, line: v.line });
      throw e;
    }
  }

  const errSec = get("error");
  const error = errSec ? (lastValue(errSec)?.text ?? "") : undefined;

  let maps: MapDef[] = [];
  const mapSec = get("maps");
  if (mapSec) {
    const r = z.array(MapDefSchema).safeParse(parseJson(mapSec, file));
    if (!r.success) throw zodError("maps", r.error, file, mapSec.line);
    maps = r.data;
    const seen = new Set<string>();
    for (const m of maps) {
      if (seen.has(m.name)) throw new InputError(`-- maps: duplicate map name '${m.name}'`, { file, line: mapSec.line });
      seen.add(m.name);
      if (m.type === "prog_array") {
        for (const [k, v] of Object.entries(m.init ?? {})) {
          if (!programs[v]) throw new InputError(`-- maps: ${m.name}[${k}] names program '${v}', which no -- asm section defines`, { file, line: mapSec.line });
        }
      }
    }
  }

  let options: DataOptions = {};
  const optSec = get("options");
  if (optSec) {
    const r = DataOptionsSchema.safeParse(parseJson(optSec, file));
    if (!r.success) throw zodError("options", r.error, file, optSec.line);
    options = r.data;
  }

  return {
    file, asm, asmLine: asmSec ? asmSec.line + 1 : undefined, raw, program, mem, result, error, maps, programs, namedAsm, options, ignored,
  };
}

// ------------------------------------------------------------------------------------------------------------

export interface DataCaseOut {
  /** Lines written as `# …` comments at the top (e.g. the seed and the first difference). */
  readonly comment?: string;
  /** The main program as text, or as slots (written as asm when it reassembles identically, else as -- raw). */
  readonly asm?: string;
  readonly program?: Program;
  readonly mem?: Uint8Array;
  readonly result?: bigint;
  readonly error?: string;
  readonly maps?: readonly MapDef[];
  readonly programs?: Readonly<Record<string, string | Program>>;
  readonly options?: DataOptions;
}

function programSection(p: Program, name?: string): string[] {
  const text = disassemble(p, { syntax: "conformance", labels: true });
  // `.insn` lines are our extension; a program that needs them is written as bpf_conformance raw words instead.
  if (!text.some((l) => l.startsWith(".insn"))) return [`-- asm${name ? " " + name : ""}`, ...text];
  return [`-- raw${name ? " " + name : ""}`, ...formatRawWords(encodeProgram(p, true), true)];
}

/** A replayable `.data` file; parseDataFile(writeDataFile(c)) gives back the same case. */
export function writeDataFile(c: DataCaseOut): string {
  const out: string[] = [];
  if (c.comment) for (const l of c.comment.split("\n")) out.push(`# ${l}`.trimEnd());
  if (c.maps && c.maps.length > 0) out.push("-- maps", JSON.stringify(c.maps, null, 2));
  if (c.options && Object.keys(c.options).length > 0) out.push("-- options", JSON.stringify(c.options));
  if (c.asm !== undefined) out.push("-- asm", c.asm.replace(/\n+$/, ""));
  else if (c.program) out.push(...programSection(c.program));
  for (const [name, p] of Object.entries(c.programs ?? {})) {
    if (name === "main") continue;
    if (typeof p === "string") out.push(`-- asm ${name}`, p.replace(/\n+$/, ""));
    else out.push(...programSection(p, name));
  }
  if (c.mem && c.mem.length > 0) {
    out.push("-- mem");
    for (let k = 0; k < c.mem.length; k += 16) {
      out.push([...c.mem.subarray(k, k + 16)].map((b) => b.toString(16).padStart(2, "0")).join(" "));
    }
  }
  if (c.result !== undefined) out.push("-- result", "0x" + BigInt.asUintN(64, c.result).toString(16));
  if (c.error !== undefined) out.push("-- error", c.error);
  return out.join("\n") + "\n";
}
