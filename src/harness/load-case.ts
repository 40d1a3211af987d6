// Turning files into Cases: bpf_conformance/project `.data` files (src/ebpf's parser), raw programs (hex
// text or binary) and ELF objects with their sidecar JSON (src/ebpf/elf). Owns the mapping from each
// loader's output to the Case model and the rule that a malformed file becomes an invalid case (so one
// bad file never stops a suite); does not parse any format itself.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { InputError, isInputError } from "../ebpf/errors";
import { parseDataFile, type DataCase } from "../ebpf/data-file";
import { loadRawProgram } from "../ebpf/raw";
import { loadElfObject, loadElfExpectations, expectedResult } from "../ebpf/elf/index";
import type { Program } from "../ebpf/insn";
import type { Case, Expectation } from "./case";
import { invalidCase } from "./case";
import type { CaseFile } from "./suite";

const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46];

export type CaseFormat = "data" | "elf" | "raw";

/** The format of a case file: ELF by magic, `.data` by extension, anything else is a raw program. */
export function detectFormat(file: string, bytes: Uint8Array): CaseFormat {
  if (bytes.length >= 4 && ELF_MAGIC.every((b, i) => bytes[i] === b)) return "elf";
  if (file.endsWith(".data")) return "data";
  return "raw";
}

function readBytes(file: string): Uint8Array {
  try {
    return readFileSync(file);
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new InputError(`cannot read: ${code === "ENOENT" ? "no such file or directory" : code === "EISDIR" ? "is a directory" : (e as Error).message}`, { file });
  }
}

/** Hex bytes separated by anything non-hex (`-- mem` notation, plugin base16). */
export function parseHexBytes(text: string, what: string, file?: string): Uint8Array {
  const digits = text.replace(/0x/gi, "").replace(/[\s,]+/g, "");
  if (!/^[0-9a-fA-F]*$/.test(digits)) {
    const bad = /[^0-9a-fA-F]/.exec(digits)![0];
    throw new InputError(`${what}: '${bad}' is not a hex digit`, { file });
  }
  if (digits.length % 2 !== 0) throw new InputError(`${what}: odd number of hex digits (${digits.length})`, { file });
  const out = new Uint8Array(digits.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(digits.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/**
 * A raw program: binary when any byte is not printable text, else hex text (byte tokens or 64-bit words,
 * read by src/ebpf's loadRawProgram: a word's low byte is the opcode in little-endian, as in `-- raw`).
 */
export function loadRawBytes(bytes: Uint8Array, file: string, littleEndian = true): Program {
  const isText = bytes.every((b) => b === 0x09 || b === 0x0a || b === 0x0d || (b >= 0x20 && b < 0x7f));
  return loadRawProgram(isText ? Buffer.from(bytes).toString("utf8") : bytes, { littleEndian, file });
}

/** The sidecar of an ELF object: `<stem>.json` next to it or in the parent folder (conformance/elf/build/…). */
export function sidecarFor(objectFile: string): string | undefined {
  const stem = path.basename(objectFile).split(".")[0];
  for (const dir of [path.dirname(objectFile), path.dirname(path.dirname(objectFile))]) {
    const p = path.join(dir, `${stem}.json`);
    if (existsSync(p)) return p;
  }
  return undefined;
}

/** Every run of an ELF object's sidecar as a Case; all programs of the object are named programs. */
export function loadElfCases(bytes: Uint8Array, cf: CaseFile): Case[] {
  const obj = loadElfObject(bytes, cf.file);
  const programs: Record<string, Program> = {};
  for (const p of obj.programs) programs[p.name] = p.insns;
  const sidecar = sidecarFor(cf.file);
  if (!sidecar) {
    // Without expectations every program still runs (differentially useful); say so in the name.
    return obj.programs.map((p) => ({
      name: `${cf.name}:${p.name}`, file: cf.file, source: "elf" as const, program: p.insns, programs, mem: new Uint8Array(0),
      maps: obj.maps, byteOrder: obj.littleEndian ? ("le" as const) : ("be" as const), expect: { kind: "none" as const },
    }));
  }
  const exp = loadElfExpectations(readFileSync(sidecar, "utf8"), sidecar);
  return exp.runs.map((run, i) => {
    const p = obj.programs.find((x) => x.name === run.program);
    const name = `${cf.name}#${i + 1}:${run.program}`;
    if (!p) {
      return invalidCase(name, cf.file, "elf", new InputError(`sidecar run ${i + 1} names program '${run.program}', the object has ${obj.programs.map((x) => x.name).join(", ")}`, { file: sidecar }));
    }
    // An object's global data is in its own byte order, so it runs only on targets of that order, with
    // the sidecar's result for that order (docs/elf.md).
    return {
      name, file: cf.file, source: "elf" as const, program: p.insns, programs, maps: obj.maps,
      mem: parseHexBytes(run.mem, "mem", sidecar),
      byteOrder: obj.littleEndian ? ("le" as const) : ("be" as const),
      expect: { kind: "result" as const, r0: expectedResult(run, obj.littleEndian) },
    };
  });
}

/**
 * A parsed `.data` file as a Case. The expectation: `-- options {"expect": "fault"|"budget"}` first, then
 * `-- error`, then `-- result`; none of them means no expectation (bpf_conformance would skip such a file;
 * we still run it, which is useful differentially). `"byteOrder": "any"` states that the result holds for
 * big-endian runs too. Assembler errors surface here, lazily, as InputErrors with file:line.
 */
export function caseFromData(d: DataCase, cf: CaseFile): Case {
  const program = d.program();
  const programs: Record<string, Program> = {};
  for (const [n, f] of Object.entries(d.programs)) if (n !== "main") programs[n] = f();
  const o = d.options;
  const expect: Expectation =
    o.expect === "fault" ? { kind: "fault", ...(o.expectMessage !== undefined ? { message: o.expectMessage } : {}) }
    : o.expect === "budget" ? { kind: "budget" }
    : d.error !== undefined ? { kind: "error", text: d.error }
    : d.result !== undefined ? { kind: "result", r0: d.result }
    : { kind: "none" };
  return {
    name: cf.name, file: cf.file, source: "data", program, programs, mem: d.mem, maps: d.maps, expect,
    ...(o.byteOrder === "any" ? { expectBigEndian: expect } : {}),
    ...(o.budget !== undefined ? { budget: o.budget } : {}),
    ...(d.asm !== undefined && !d.raw ? { asm: d.asm } : {}),
  };
}

function loadFile(cf: CaseFile): Case[] {
  const bytes = readBytes(cf.file);
  const fmt = detectFormat(cf.file, bytes);
  if (fmt === "elf") return loadElfCases(bytes, cf);
  if (fmt === "data") {
    return [caseFromData(parseDataFile(Buffer.from(bytes).toString("utf8"), cf.file), cf)];
  }
  return [{ name: cf.name, file: cf.file, source: "raw", program: loadRawBytes(bytes, cf.file), programs: {}, mem: new Uint8Array(0), maps: [], expect: { kind: "none" } }];
}

/** Load a case file strictly: any problem is an InputError (for `run` and `disasm`). */
export function loadCasesStrict(cf: CaseFile): Case[] {
  const cases = loadFile(cf);
  for (const c of cases) if (c.invalid) throw c.invalid;
  return cases;
}

/** Load a case file for a suite: a malformed file is one invalid case carrying the error. */
export function loadCases(cf: CaseFile): Case[] {
  try {
    return loadFile(cf);
  } catch (e) {
    if (!isInputError(e)) throw e;
    return [invalidCase(cf.name, cf.file, "data", e.where.file ? e : e.at({ file: cf.file }))];
  }
}
