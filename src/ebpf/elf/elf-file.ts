// ELF64 container parsing for BPF relocatable objects: header, section headers, string tables, the
// symbol table and REL relocation entries, every read bounds-checked so a malformed file becomes an
// InputError naming the file and the section/offset (never a RangeError). Owns nothing eBPF-specific:
// instruction decoding, BTF, maps and relocation semantics live in the sibling files.
// Field offsets: System V ABI "ELF-64 Object File Format" (Version 1.5), §§ File header, Sections,
// Symbol table, Relocations; EM_BPF = 247 from the Linux/LLVM ELF headers.
import { InputError } from "../errors";

export const EM_BPF = 247;
export const ET_REL = 1;
export const SHT_PROGBITS = 1;
export const SHT_SYMTAB = 2;
export const SHT_STRTAB = 3;
export const SHT_RELA = 4;
export const SHT_NOBITS = 8;
export const SHT_REL = 9;
export const SHF_WRITE = 0x1;
export const SHF_ALLOC = 0x2;
export const SHF_EXECINSTR = 0x4;
export const SHN_UNDEF = 0;
export const SHN_LORESERVE = 0xff00;
export const SHN_ABS = 0xfff1;
export const SHN_COMMON = 0xfff2;
export const STT_NOTYPE = 0;
export const STT_OBJECT = 1;
export const STT_FUNC = 2;
export const STT_SECTION = 3;
export const STB_LOCAL = 0;

const EHDR_SIZE = 64;
const SHDR_SIZE = 64;
const SYM_SIZE = 24;
const REL_SIZE = 16;

/** Bounds-checked reads in the object's byte order. Every failure is an InputError with a location. */
export class ByteReader {
  private readonly view: DataView;
  constructor(
    readonly bytes: Uint8Array,
    readonly littleEndian: boolean,
    readonly file: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get length(): number {
    return this.bytes.length;
  }

  fail(reason: string): never {
    throw new InputError(reason, { file: this.file });
  }

  /** Throws unless [off, off+len) lies inside the file; `what` names the thing being read. */
  check(off: number, len: number, what: string): void {
    if (!Number.isSafeInteger(off) || !Number.isSafeInteger(len) || off < 0 || len < 0 || off + len > this.bytes.length) {
      this.fail(`${what}: bytes [0x${hex(off)}, 0x${hex(off + len)}) lie outside the ${this.bytes.length}-byte file`);
    }
  }

  u8(off: number, what: string): number {
    this.check(off, 1, what);
    return this.view.getUint8(off);
  }
  u16(off: number, what: string): number {
    this.check(off, 2, what);
    return this.view.getUint16(off, this.littleEndian);
  }
  u32(off: number, what: string): number {
    this.check(off, 4, what);
    return this.view.getUint32(off, this.littleEndian);
  }
  i32(off: number, what: string): number {
    this.check(off, 4, what);
    return this.view.getInt32(off, this.littleEndian);
  }
  /**
   * An unsigned 64-bit file offset, size or address. Objects we accept are far below 2^53 bytes, so a
   * value that does not fit a safe integer is reported as malformed instead of being rounded.
   */
  u64(off: number, what: string): number {
    this.check(off, 8, what);
    const lo = this.view.getUint32(off + (this.littleEndian ? 0 : 4), this.littleEndian);
    const hi = this.view.getUint32(off + (this.littleEndian ? 4 : 0), this.littleEndian);
    if (hi >= 0x20_0000) this.fail(`${what}: 64-bit value 0x${hex(hi)}${hex(lo).padStart(8, "0")} is too large`);
    return hi * 0x1_0000_0000 + lo;
  }
  slice(off: number, len: number, what: string): Uint8Array {
    this.check(off, len, what);
    return this.bytes.subarray(off, off + len);
  }
}

export const hex = (n: number): string => (Number.isFinite(n) && n >= 0 ? n.toString(16) : String(n));

export interface Section {
  readonly index: number;
  readonly name: string;
  readonly type: number;
  readonly flags: number;
  readonly offset: number;
  readonly size: number;
  readonly link: number;
  readonly info: number;
  readonly entsize: number;
}

export interface Sym {
  readonly index: number;
  readonly name: string;
  readonly type: number;
  readonly bind: number;
  readonly shndx: number;
  readonly value: number;
  readonly size: number;
}

export interface Rel {
  readonly offset: number;
  readonly type: number;
  readonly sym: number;
}

export interface ElfFile {
  readonly reader: ByteReader;
  readonly file: string;
  readonly littleEndian: boolean;
  readonly sections: readonly Section[];
  readonly symbols: readonly Sym[];
  /** Section index of the symbol table (its symbols' `index` values index into `symbols`). */
  readonly symtab: Section | undefined;
  sectionByName(name: string): Section | undefined;
  /** The bytes of a PROGBITS section; a NOBITS section has none (its size is all zero bytes). */
  contents(sec: Section): Uint8Array;
  relocations(relSec: Section): Rel[];
  /** "section \"name\"" for messages. */
  describe(sec: Section): string;
}

/** Read a NUL-terminated name from a string-table section, bounds-checked against that section. */
function cString(r: ByteReader, table: Section | undefined, at: number, what: string): string {
  if (table === undefined) r.fail(`${what}: no string table`);
  if (at >= table.size) r.fail(`${what}: name offset 0x${hex(at)} is outside the ${table.size}-byte string table`);
  const end = table.offset + table.size;
  let i = table.offset + at;
  let s = "";
  while (i < end && r.bytes[i] !== 0) {
    s += String.fromCharCode(r.bytes[i]);
    i++;
  }
  if (i >= end) r.fail(`${what}: name at string-table offset 0x${hex(at)} is not NUL-terminated`);
  return s;
}

export function parseElf(bytes: Uint8Array, file: string): ElfFile {
  const fail: (reason: string) => never = (reason) => {
    throw new InputError(reason, { file });
  };
  if (bytes.length < EHDR_SIZE) fail(`truncated ELF header: ${bytes.length} bytes, need ${EHDR_SIZE}`);
  if (bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46) fail("bad ELF magic (not an ELF file)");
  if (bytes[4] !== 2) fail(`ELF class ${bytes[4]} is not ELFCLASS64 (BPF objects are 64-bit)`);
  if (bytes[5] !== 1 && bytes[5] !== 2) fail(`ELF data encoding ${bytes[5]} is neither little (1) nor big (2) endian`);
  if (bytes[6] !== 1) fail(`ELF identification version ${bytes[6]} is not 1`);
  const r = new ByteReader(bytes, bytes[5] === 1, file);
  const eType = r.u16(16, "e_type");
  const machine = r.u16(18, "e_machine");
  if (machine !== EM_BPF) fail(`e_machine ${machine} is not EM_BPF (${EM_BPF})`);
  if (eType !== ET_REL) fail(`e_type ${eType} is not ET_REL (1): only relocatable objects (clang -c) are loaded`);
  const shoff = r.u64(40, "e_shoff");
  const shentsize = r.u16(58, "e_shentsize");
  const shnum = r.u16(60, "e_shnum");
  const shstrndx = r.u16(62, "e_shstrndx");
  if (shoff === 0 || shnum === 0) fail("no section headers (e_shoff or e_shnum is 0; extended numbering is not supported)");
  if (shentsize !== SHDR_SIZE) fail(`e_shentsize ${shentsize} is not ${SHDR_SIZE}`);
  r.check(shoff, shnum * SHDR_SIZE, `section header table (${shnum} entries at 0x${hex(shoff)})`);
  if (shstrndx >= shnum) fail(`e_shstrndx ${shstrndx} is not a section index (e_shnum ${shnum})`);

  const raw = [];
  for (let i = 0; i < shnum; i++) {
    const at = shoff + i * SHDR_SIZE;
    const what = `section header ${i}`;
    const type = r.u32(at + 4, what);
    const flagsLo = r.u32(at + (r.littleEndian ? 8 : 12), what);
    const offset = r.u64(at + 24, `${what} sh_offset`);
    const size = r.u64(at + 32, `${what} sh_size`);
    const entsize = r.u64(at + 56, `${what} sh_entsize`);
    // NOBITS sections occupy no file bytes; every other section's contents must lie inside the file.
    if (type !== SHT_NOBITS && i !== 0) r.check(offset, size, `section ${i} contents`);
    raw.push({ index: i, nameOff: r.u32(at, what), type, flags: flagsLo, offset, size, link: r.u32(at + 40, what), info: r.u32(at + 44, what), entsize });
  }
  const shstr = raw[shstrndx];
  if (shstr.type !== SHT_STRTAB) fail(`e_shstrndx ${shstrndx} names a section of type ${shstr.type}, not a string table`);
  const shstrSec = { ...shstr, name: "" } as Section;
  const sections: Section[] = raw.map((s) => ({
    index: s.index,
    name: s.index === 0 ? "" : cString(r, shstrSec, s.nameOff, `section header ${s.index} name`),
    type: s.type,
    flags: s.flags,
    offset: s.offset,
    size: s.size,
    link: s.link,
    info: s.info,
    entsize: s.entsize,
  }));
  const describe = (sec: Section): string => `section "${sec.name}" (#${sec.index})`;

  const symtabs = sections.filter((s) => s.type === SHT_SYMTAB);
  if (symtabs.length > 1) fail(`${symtabs.length} symbol tables; a relocatable object has one`);
  const symtab = symtabs[0];
  const symbols: Sym[] = [];
  if (symtab !== undefined) {
    if (symtab.size % SYM_SIZE !== 0) fail(`${describe(symtab)}: size ${symtab.size} is not a multiple of ${SYM_SIZE}`);
    const strtab = sections[symtab.link];
    if (strtab === undefined || strtab.type !== SHT_STRTAB) fail(`${describe(symtab)}: sh_link ${symtab.link} is not a string table`);
    const n = symtab.size / SYM_SIZE;
    for (let i = 0; i < n; i++) {
      const at = symtab.offset + i * SYM_SIZE;
      const what = `symbol ${i}`;
      const info = r.u8(at + 4, what);
      symbols.push({
        index: i,
        name: cString(r, strtab, r.u32(at, what), what),
        type: info & 0xf,
        bind: info >> 4,
        shndx: r.u16(at + 6, what),
        value: r.u64(at + 8, `${what} st_value`),
        size: r.u64(at + 16, `${what} st_size`),
      });
    }
  }

  return {
    reader: r,
    file,
    littleEndian: r.littleEndian,
    sections,
    symbols,
    symtab,
    sectionByName: (name) => sections.find((s) => s.name === name),
    contents: (sec) => (sec.type === SHT_NOBITS ? new Uint8Array(0) : r.slice(sec.offset, sec.size, describe(sec))),
    describe,
    relocations(relSec) {
      const where = describe(relSec);
      if (relSec.type === SHT_RELA) fail(`${where}: RELA relocations are not used by BPF objects`);
      if (relSec.size % REL_SIZE !== 0) fail(`${where}: size ${relSec.size} is not a multiple of ${REL_SIZE}`);
      if (symtab === undefined || relSec.link !== symtab.index) fail(`${where}: sh_link ${relSec.link} is not the symbol table`);
      const out: Rel[] = [];
      for (let i = 0; i < relSec.size / REL_SIZE; i++) {
        const at = relSec.offset + i * REL_SIZE;
        const what = `${where} entry ${i}`;
        const offset = r.u64(at, `${what} r_offset`);
        // r_info = sym << 32 | type: read the two 32-bit halves in file order.
        const type = r.u32(at + (r.littleEndian ? 8 : 12), what);
        const sym = r.u32(at + (r.littleEndian ? 12 : 8), what);
        if (sym >= symbols.length) fail(`${what}: symbol index ${sym} is outside the ${symbols.length}-entry symbol table`);
        out.push({ offset, type, sym });
      }
      return out;
    },
  };
}
