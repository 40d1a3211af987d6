// Raw program loading: hex text (byte tokens or 64-bit words) or binary, in either byte order.
// Owns the token rules shared with the `.data` `-- raw` section. Does not own validation (validate.ts).
import { InputError } from "./errors";
import type { Program } from "./insn";
import { decodeProgram } from "./encode";
import { NumberError, parseU64 } from "./numbers";

export interface RawOptions {
  readonly littleEndian: boolean;
  readonly file?: string;
  /** Line number of the text's first line (for `.data` sections). Default 1. */
  readonly firstLine?: number;
  /** How a bare (no 0x) word token reads: "hex" (hex dumps, default) or "decimal" (bpf_conformance's stoull). */
  readonly bareWords?: "hex" | "decimal";
}

interface Tok {
  readonly text: string;
  readonly line: number;
}

function tokens(text: string, firstLine: number): Tok[] {
  const out: Tok[] = [];
  text.split("\n").forEach((l, k) => {
    const s = l.replace(/(#|\/\/|;).*$/, "");
    for (const t of s.split(/[\s,]+/)) if (t !== "") out.push({ text: t, line: firstLine + k });
  });
  return out;
}

const BYTE = /^(0x)?[0-9a-f]{1,2}$/i;

/**
 * Text: whitespace-separated tokens. If every token is a 1–2 digit hex byte and their count is a multiple of 8,
 * they are the program's bytes in order (the bpf_conformance negative/unused-* files write instructions this way).
 * Otherwise every token is one 64-bit instruction word, the value a host of the given byte order loads from
 * the slot (so on little-endian the low byte is the opcode, as bpf_conformance's `-- raw` words are).
 * Binary: the slot bytes as they are.
 */
export function loadRawProgram(input: Uint8Array | string, opts: RawOptions): Program {
  const file = opts.file;
  if (typeof input !== "string") return decodeProgram(input, opts.littleEndian, file);
  const toks = tokens(input, opts.firstLine ?? 1);
  if (toks.length === 0) throw new InputError("raw program has no instructions", { file, line: opts.firstLine });
  let bytes: Uint8Array;
  if (toks.length % 8 === 0 && toks.every((t) => BYTE.test(t.text))) {
    bytes = new Uint8Array(toks.map((t) => parseInt(t.text.replace(/^0x/i, ""), 16)));
  } else {
    bytes = new Uint8Array(toks.length * 8);
    const dv = new DataView(bytes.buffer);
    toks.forEach((t, k) => {
      let w: bigint;
      try {
        w = parseU64(t.text, (opts.bareWords ?? "hex") === "hex");
      } catch (e) {
        if (e instanceof NumberError) {
          throw new InputError(`bad raw instruction word '${t.text}' (expected 0x-hex, ${opts.bareWords === "decimal" ? "or decimal" : "or bare hex"})`, {
            file, line: t.line,
          });
        }
        throw e;
      }
      dv.setBigUint64(k * 8, w, opts.littleEndian);
    });
  }
  return decodeProgram(bytes, opts.littleEndian, file);
}

/** The program as text words (0x + 16 hex digits, one slot per line), as loadRawProgram reads them back. */
export function formatRawWords(bytes: Uint8Array, littleEndian: boolean): string[] {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: string[] = [];
  for (let k = 0; k + 8 <= bytes.length; k += 8) out.push("0x" + dv.getBigUint64(k, littleEndian).toString(16).padStart(16, "0"));
  return out;
}
