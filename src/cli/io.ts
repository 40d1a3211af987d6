// The CLI's window on the outside world: where output goes, how stdin is read, and reading files so that a
// missing or unreadable file is an InputError naming it (never an ENOENT stack trace). Owns nothing else.
import { readFileSync, statSync, readdirSync, writeFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { InputError } from "../ebpf/errors";

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  readStdin(): Promise<Buffer>;
  readonly stderrIsTTY: boolean;
  readonly stderrColumns?: number;
  /** Raw stderr writes for the progress bar. */
  writeStderr(s: string): boolean;
}

export function processIo(): CliIo {
  return {
    out: (t) => void process.stdout.write(t),
    err: (t) => void process.stderr.write(t),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const c of process.stdin) chunks.push(c as Buffer);
      return Buffer.concat(chunks);
    },
    stderrIsTTY: process.stderr.isTTY === true,
    stderrColumns: process.stderr.columns,
    writeStderr: (s) => process.stderr.write(s),
  };
}

const reasonOf = (e: unknown): string => {
  const code = (e as { code?: string }).code;
  if (code === "ENOENT") return "no such file or directory";
  if (code === "EISDIR") return "is a directory";
  if (code === "EACCES") return "permission denied";
  return e instanceof Error ? e.message : String(e);
};

export function readInputFile(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    throw new InputError(`cannot read: ${reasonOf(e)}`, { file });
  }
}

export function writeOutputFile(file: string, data: string | Uint8Array): void {
  try {
    mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    writeFileSync(file, data);
  } catch (e) {
    throw new InputError(`cannot write: ${reasonOf(e)}`, { file });
  }
}

export function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch (e) {
    throw new InputError(`cannot read: ${reasonOf(e)}`, { file: p });
  }
}

/** Files under a folder (recursively), sorted, with one of the given extensions. */
export function listFiles(dir: string, exts: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch (e) {
      throw new InputError(`cannot read folder: ${reasonOf(e)}`, { file: d });
    }
    for (const ent of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const p = path.join(d, ent.name);
      if (ent.isDirectory()) walk(p);
      else if (exts.some((x) => ent.name.endsWith(x))) out.push(p);
    }
  };
  walk(dir);
  return out;
}
