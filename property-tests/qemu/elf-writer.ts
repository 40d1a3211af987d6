// Writes minimal static MIPS Linux executables (one RWX PT_LOAD segment) for the QEMU differential test,
// so the test needs qemu-user but no MIPS assembler or linker: the instruction words come from our own
// ISA-table encoder, whose encodings are checked separately against LLVM's golden fixture.
// Owns: ELF header, program header and e_flags per ISA level (ELF gABI; MIPS psABI EF_MIPS_ARCH values).
// Does not own: what runs inside (see sequence-generator.ts and harness-program.ts).
import type { IsaLevel } from "../../src/mips/levels";
import { is64 } from "../../src/mips/levels";

// EF_MIPS_ARCH field (bits 28–31) per level; the 32-bit ABI flag EF_MIPS_ABI_O32; NaN2008 for r6, which
// QEMU's r6 CPU models require ("ELF binary's NaN mode not supported by CPU", mips-isa.md §6).
const EF_MIPS_ARCH: Record<IsaLevel, number> = {
  mips1: 0x0000_0000, mips2: 0x1000_0000, mips3: 0x2000_0000, mips4: 0x3000_0000, mips5: 0x4000_0000,
  mips32r1: 0x5000_0000, mips64r1: 0x6000_0000, mips32r2: 0x7000_0000, mips64r2: 0x8000_0000,
  mips32r6: 0x9000_0000, mips64r6: 0xa000_0000,
};
const EF_MIPS_ABI_O32 = 0x1000;
const EF_MIPS_NAN2008 = 0x400;

export function elfFlags(level: IsaLevel): number {
  let f = EF_MIPS_ARCH[level];
  if (!is64(level)) f |= EF_MIPS_ABI_O32;
  if (level === "mips32r6" || level === "mips64r6") f |= EF_MIPS_NAN2008;
  return f >>> 0;
}

export interface ElfImage {
  level: IsaLevel;
  littleEndian: boolean;
  /** Virtual address of the segment; the entry point is its first byte. */
  vaddr: number;
  /** Code words then data, as one byte image (already in target byte order). */
  segment: Uint8Array;
  /** Extra zero-filled bytes after the file image (bss), e.g. for the stack. */
  bssSize: number;
}

export function writeElf(img: ElfImage): Uint8Array {
  const wide = is64(img.level);
  const ehsize = wide ? 64 : 52;
  const phentsize = wide ? 56 : 32;
  const dataOff = 0x1000; // page-aligned file offset of the segment, congruent with vaddr mod 4 KiB
  const out = new Uint8Array(dataOff + img.segment.length);
  const dv = new DataView(out.buffer);
  const le = img.littleEndian;
  const u16 = (o: number, v: number): void => dv.setUint16(o, v, le);
  const u32 = (o: number, v: number): void => dv.setUint32(o, v >>> 0, le);
  const u64 = (o: number, v: number): void => {
    const hi = Math.floor(v / 0x1_0000_0000);
    const lo = v >>> 0;
    dv.setUint32(o + (le ? 0 : 4), lo, le);
    dv.setUint32(o + (le ? 4 : 0), hi, le);
  };
  out.set([0x7f, 0x45, 0x4c, 0x46, wide ? 2 : 1, le ? 1 : 2, 1, 0], 0);
  u16(16, 2); // ET_EXEC
  u16(18, 8); // EM_MIPS
  u32(20, 1); // EV_CURRENT
  if (wide) {
    u64(24, img.vaddr); // e_entry
    u64(32, ehsize); // e_phoff
    u64(40, 0); // e_shoff
    u32(48, elfFlags(img.level));
    u16(52, ehsize); u16(54, phentsize); u16(56, 1); u16(58, 64); u16(60, 0); u16(62, 0);
    const p = ehsize;
    u32(p, 1); // PT_LOAD
    u32(p + 4, 7); // PF_R | PF_W | PF_X
    u64(p + 8, dataOff);
    u64(p + 16, img.vaddr);
    u64(p + 24, img.vaddr);
    u64(p + 32, img.segment.length);
    u64(p + 40, img.segment.length + img.bssSize);
    u64(p + 48, 0x1000);
  } else {
    u32(24, img.vaddr);
    u32(28, ehsize);
    u32(32, 0);
    u32(36, elfFlags(img.level));
    u16(40, ehsize); u16(42, phentsize); u16(44, 1); u16(46, 40); u16(48, 0); u16(50, 0);
    const p = ehsize;
    u32(p, 1);
    u32(p + 4, dataOff);
    u32(p + 8, img.vaddr);
    u32(p + 12, img.vaddr);
    u32(p + 16, img.segment.length);
    u32(p + 20, img.segment.length + img.bssSize);
    u32(p + 24, 7);
    u32(p + 28, 0x1000);
  }
  out.set(img.segment, dataOff);
  return out;
}

/** Pack 32-bit words into bytes in the target's byte order. */
export function wordsToBytes(words: ArrayLike<number>, littleEndian: boolean): Uint8Array {
  const b = new Uint8Array(words.length * 4);
  const dv = new DataView(b.buffer);
  for (let i = 0; i < words.length; i++) dv.setUint32(i * 4, words[i] >>> 0, littleEndian);
  return b;
}
