// Decoding and encoding of 8-byte instruction slots for the ELF loader, in either byte order.
// Private to src/ebpf/elf until src/ebpf/encode.ts (the eBPF core's decodeProgram) exists; it decodes
// raw fields only (no opcode validation: that is the validator's job on the loaded Program).
// Byte order: reference/ebpf-semantics.md §1 — a little-endian object has dst in the low nibble of the
// register byte, a big-endian one in the high nibble; off and imm are in the object's byte order.
import type { Insn } from "../insn";
import { insn } from "../insn";

/** Decode `bytes` (a multiple of 8 long) into slots. */
export function decodeSlots(bytes: Uint8Array, littleEndian: boolean): Insn[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Insn[] = [];
  for (let at = 0; at + 8 <= bytes.length; at += 8) {
    const regs = bytes[at + 1];
    const dst = littleEndian ? regs & 0xf : regs >> 4;
    const src = littleEndian ? regs >> 4 : regs & 0xf;
    out.push(insn(bytes[at], dst, src, view.getInt16(at + 2, littleEndian), view.getInt32(at + 4, littleEndian)));
  }
  return out;
}

/** Encode slots back to bytes (used by tests to compare byte orders and build malformed objects). */
export function encodeSlots(prog: readonly Insn[], littleEndian: boolean): Uint8Array {
  const bytes = new Uint8Array(prog.length * 8);
  const view = new DataView(bytes.buffer);
  prog.forEach((i, k) => {
    const at = k * 8;
    bytes[at] = i.opcode;
    bytes[at + 1] = littleEndian ? (i.src << 4) | (i.dst & 0xf) : (i.dst << 4) | (i.src & 0xf);
    view.setInt16(at + 2, i.off, littleEndian);
    view.setInt32(at + 4, i.imm, littleEndian);
  });
  return bytes;
}
