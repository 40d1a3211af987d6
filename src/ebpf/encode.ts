// Byte encoding of instruction slots in either byte order (RFC 9669 §3; ebpf-semantics.md §1).
// Owns: Insn <-> 8 bytes. Does not own: validity (validate.ts) — decode accepts any 8 bytes, and encode
// only refuses values that cannot be represented in the fields at all.
import type { Insn, Program } from "./insn";
import { InputError } from "./errors";

/**
 * On a little-endian host the regs byte holds dst in the low nibble and src in the high nibble, and off/imm are
 * little-endian; a big-endian host swaps the nibbles and stores off/imm big-endian (RFC 9669 §3, as Linux's
 * struct bpf_insn bitfields lay out on each host).
 */
export function encodeInsnInto(i: Insn, out: Uint8Array, at: number, littleEndian: boolean, index = 0): void {
  checkField(i.dst, 0, 15, "dst", index);
  checkField(i.src, 0, 15, "src", index);
  checkField(i.off, -32768, 65535, "off", index);
  checkField(i.imm, -2147483648, 4294967295, "imm", index);
  checkField(i.opcode, 0, 255, "opcode", index);
  out[at] = i.opcode;
  out[at + 1] = littleEndian ? (i.src << 4) | i.dst : (i.dst << 4) | i.src;
  const off = i.off & 0xffff;
  const imm = i.imm >>> 0;
  if (littleEndian) {
    out[at + 2] = off & 0xff;
    out[at + 3] = off >>> 8;
    out[at + 4] = imm & 0xff;
    out[at + 5] = (imm >>> 8) & 0xff;
    out[at + 6] = (imm >>> 16) & 0xff;
    out[at + 7] = imm >>> 24;
  } else {
    out[at + 2] = off >>> 8;
    out[at + 3] = off & 0xff;
    out[at + 4] = imm >>> 24;
    out[at + 5] = (imm >>> 16) & 0xff;
    out[at + 6] = (imm >>> 8) & 0xff;
    out[at + 7] = imm & 0xff;
  }
}

function checkField(v: number, lo: number, hi: number, field: string, insn: number): void {
  if (!Number.isInteger(v) || v < lo || v > hi) {
    throw new InputError(`value ${v} does not fit the ${field} field (${lo}..${hi})`, { insn, field });
  }
}

export function decodeInsnAt(bytes: Uint8Array, at: number, littleEndian: boolean): Insn {
  const regs = bytes[at + 1];
  let off: number;
  let imm: number;
  if (littleEndian) {
    off = bytes[at + 2] | (bytes[at + 3] << 8);
    imm = bytes[at + 4] | (bytes[at + 5] << 8) | (bytes[at + 6] << 16) | (bytes[at + 7] << 24);
  } else {
    off = (bytes[at + 2] << 8) | bytes[at + 3];
    imm = (bytes[at + 4] << 24) | (bytes[at + 5] << 16) | (bytes[at + 6] << 8) | bytes[at + 7];
  }
  return {
    opcode: bytes[at],
    dst: littleEndian ? regs & 0x0f : regs >>> 4,
    src: littleEndian ? regs >>> 4 : regs & 0x0f,
    off: (off << 16) >> 16,
    imm: imm | 0,
  };
}

export function encodeProgram(p: Program, littleEndian: boolean): Uint8Array {
  const out = new Uint8Array(p.length * 8);
  for (let k = 0; k < p.length; k++) encodeInsnInto(p[k], out, k * 8, littleEndian, k);
  return out;
}

/** Decode a whole program. The length must be a multiple of 8; anything else is an InputError. */
export function decodeProgram(bytes: Uint8Array, littleEndian: boolean, file?: string): Program {
  if (bytes.length % 8 !== 0) {
    throw new InputError(`program length ${bytes.length} bytes is not a multiple of 8 (one slot = 8 bytes)`, { file });
  }
  const p: Insn[] = new Array(bytes.length / 8);
  for (let k = 0; k < p.length; k++) p[k] = decodeInsnAt(bytes, k * 8, littleEndian);
  return p;
}
