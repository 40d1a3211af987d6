// Map definitions of a BPF object, in libbpf's order: the legacy `maps` section (struct bpf_map_def),
// BTF-defined maps in `.maps`, then one single-entry array map per global-data section (.data*, .rodata*,
// .bss*: libbpf's "internal maps"). Owns the ELF/BTF → MapDef translation; does not own instruction
// relocations (loader.ts) or map semantics (src/reference). Sources: libbpf bpf_object__init_user_maps,
// bpf_object__init_user_btf_maps / parse_btf_map_def, bpf_object__init_global_data_maps.
import { InputError } from "../errors";
import { MapDefSchema } from "../maps";
import type { MapDef, MapType } from "../maps";
import type { Btf, BtfType } from "./btf";
import { BTF_KIND_ARRAY, BTF_KIND_PTR, BTF_KIND_STRUCT, BTF_KIND_VAR, parseBtf } from "./btf";
import type { ElfFile, Section } from "./elf-file";
import { SHF_ALLOC, SHF_EXECINSTR, SHT_NOBITS, SHT_PROGBITS, STT_SECTION, hex } from "./elf-file";

export type MapOrigin = "legacy" | "btf" | "data";

/** One map and where its definition (or, for internal maps, its data) lives in the object. */
export interface ElfMap {
  readonly index: number;
  readonly origin: MapOrigin;
  readonly section: Section;
  /** Byte range of the definition within `section` (the whole section for internal maps). */
  readonly offset: number;
  readonly size: number;
  /** BTF prog_array maps with a `values` member: its byte offset within the definition (libbpf's `.values = {…}`). */
  readonly valuesOffset?: number;
  /** Mutable until validated: the loader fills prog_array `init` from .rel.maps. */
  def: MapDef;
}

/** Linux enum bpf_map_type numbers this project models. */
const MAP_TYPES: ReadonlyMap<number, MapType> = new Map([
  [1, "hash"],
  [2, "array"],
  [3, "prog_array"],
]);

const LEGACY_DEF_SIZE = 20; // struct bpf_map_def: type, key_size, value_size, max_entries, map_flags (u32 each)

export const isInternalMapSection = (sec: Section): boolean =>
  /^\.(data|rodata|bss)(\..+)?$/.test(sec.name) &&
  (sec.flags & SHF_ALLOC) !== 0 &&
  (sec.flags & SHF_EXECINSTR) === 0 &&
  (sec.type === SHT_PROGBITS || sec.type === SHT_NOBITS);

function mapType(n: number, name: string, file: string): MapType {
  const t = MAP_TYPES.get(n);
  if (t === undefined) throw new InputError(`map "${name}": map type ${n} is not supported (supported: 1 hash, 2 array, 3 prog_array)`, { file });
  return t;
}

/** Check a finished definition against the shared schema, naming the map on failure. */
export function validateMapDef(def: MapDef, file: string): MapDef {
  const r = MapDefSchema.safeParse(def);
  if (!r.success) {
    const issue = r.error.issues[0];
    const path = issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
    throw new InputError(`map "${def.name}": ${path}${issue.message}`, { file });
  }
  return r.data;
}

/** Symbols that name objects inside `sec` (not the section symbol itself), ordered by offset. */
function objectSymbols(elf: ElfFile, sec: Section) {
  return elf.symbols.filter((s) => s.shndx === sec.index && s.type !== STT_SECTION && s.name !== "").sort((a, b) => a.value - b.value);
}

function legacyMaps(elf: ElfFile, sec: Section, out: ElfMap[]): void {
  const where = elf.describe(sec);
  const fail: (reason: string) => never = (reason) => {
    throw new InputError(`${where}: ${reason}`, { file: elf.file });
  };
  if (sec.type !== SHT_PROGBITS) fail("legacy map definitions must be initialised data (PROGBITS)");
  const syms = objectSymbols(elf, sec);
  if (syms.length === 0) {
    if (sec.size !== 0) fail("map definitions without symbols naming them");
    return;
  }
  // Like libbpf: every definition has the same size, section size / number of maps.
  const defSize = sec.size / syms.length;
  if (!Number.isInteger(defSize) || defSize < LEGACY_DEF_SIZE) fail(`${sec.size} bytes do not divide into ${syms.length} map definitions of at least ${LEGACY_DEF_SIZE} bytes`);
  const data = elf.contents(sec);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  for (const sym of syms) {
    if (sym.value % defSize !== 0 || sym.value + defSize > sec.size) fail(`map "${sym.name}" at offset 0x${hex(sym.value)} is not a ${defSize}-byte definition slot`);
    const u32 = (k: number): number => view.getUint32(sym.value + 4 * k, elf.littleEndian);
    for (let b = LEGACY_DEF_SIZE; b < defSize; b++) {
      if (data[sym.value + b] !== 0) fail(`map "${sym.name}": byte ${b} of the definition is non-zero (fields after map_flags are not supported)`);
    }
    out.push({
      index: out.length,
      origin: "legacy",
      section: sec,
      offset: sym.value,
      size: defSize,
      def: { name: sym.name, type: mapType(u32(0), sym.name, elf.file), keySize: u32(1), valueSize: u32(2), maxEntries: u32(3) },
    });
  }
}

/** The integer encoded by `__uint(name, N)`: a pointer to an array of N ints. */
function uintMember(btf: Btf, t: BtfType, what: string): number {
  const ptr = btf.skipModifiers(t.id, what);
  if (ptr.kind !== BTF_KIND_PTR) btf.fail(`${what}: expected __uint(...) (a pointer to an array), found kind ${ptr.kind}`);
  const arr = btf.skipModifiers(ptr.sizeOrType, what);
  if (arr.kind !== BTF_KIND_ARRAY) btf.fail(`${what}: expected __uint(...) (a pointer to an array), found a pointer to kind ${arr.kind}`);
  return arr.array!.nelems;
}

/** The size of the type named by `__type(name, T)`: a pointer to T. */
function typeMember(btf: Btf, t: BtfType, what: string): number {
  const ptr = btf.skipModifiers(t.id, what);
  if (ptr.kind !== BTF_KIND_PTR) btf.fail(`${what}: expected __type(...) (a pointer), found kind ${ptr.kind}`);
  return btf.sizeOf(ptr.sizeOrType, what);
}

function btfMaps(elf: ElfFile, sec: Section, out: ElfMap[]): void {
  const where = elf.describe(sec);
  const btfSec = elf.sectionByName(".BTF");
  if (btfSec === undefined) throw new InputError(`${where}: BTF-defined maps need a .BTF section (compile with -g)`, { file: elf.file });
  const btf: Btf = parseBtf(elf.contents(btfSec), elf.littleEndian, elf.describe(btfSec), elf.file);
  const datasec = btf.findDatasec(".maps");
  if (datasec === undefined) {
    if (sec.size !== 0) btf.fail(`no DATASEC ".maps" describing the ${sec.size}-byte ${where}`);
    return;
  }
  const syms = objectSymbols(elf, sec);
  for (const v of datasec.vars!) {
    const variable = btf.get(v.type, `.maps entry`);
    if (variable.kind !== BTF_KIND_VAR) btf.fail(`.maps entry type id ${v.type} is not a variable`);
    const name = variable.name;
    const what = `map "${name}"`;
    // LLVM leaves DATASEC offsets to a relocation (libbpf fixes them up from the symbol table): use the symbol.
    const sym = syms.find((s) => s.name === name);
    if (sym === undefined) btf.fail(`${what}: no symbol of that name in ${where}`);
    const struct = btf.skipModifiers(variable.sizeOrType, what);
    if (struct.kind !== BTF_KIND_STRUCT) btf.fail(`${what}: definition is not a struct`);
    const size = struct.sizeOrType;
    if (sym.value + size > sec.size) btf.fail(`${what}: definition [0x${hex(sym.value)}, +${size}) lies outside ${where}`);
    // A `values` initialiser extends the flexible array member past the struct's BTF size: the
    // definition owns everything up to the next map symbol (or the section end).
    const nextSym = syms.find((s) => s.value > sym.value);
    const extent = (nextSym !== undefined ? nextSym.value : sec.size) - sym.value;
    let type: MapType | undefined;
    let keySize: number | undefined;
    let valueSize: number | undefined;
    let maxEntries: number | undefined;
    let valuesOffset: number | undefined;
    const agree = (old: number | undefined, now: number, field: string): number => {
      if (old !== undefined && old !== now) btf.fail(`${what}: ${field} given twice with different sizes (${old} and ${now})`);
      return now;
    };
    for (const m of struct.members!) {
      const mw = `${what} member "${m.name}"`;
      const mt = btf.get(m.type, mw);
      switch (m.name) {
        case "type": type = mapType(uintMember(btf, mt, mw), name, elf.file); break;
        case "max_entries": maxEntries = uintMember(btf, mt, mw); break;
        case "key_size": keySize = agree(keySize, uintMember(btf, mt, mw), "key size"); break;
        case "value_size": valueSize = agree(valueSize, uintMember(btf, mt, mw), "value size"); break;
        case "key": keySize = agree(keySize, typeMember(btf, mt, mw), "key size"); break;
        case "value": valueSize = agree(valueSize, typeMember(btf, mt, mw), "value size"); break;
        case "values": {
          // __array(values, T): an array of pointers filled by .rel.maps relocations (prog_array init).
          const arr = btf.skipModifiers(mt.id, mw);
          if (arr.kind !== BTF_KIND_ARRAY || btf.skipModifiers(arr.array!.type, mw).kind !== BTF_KIND_PTR) btf.fail(`${mw}: expected __array(values, ...) (an array of pointers)`);
          if (m.bitOffset % 64 !== 0) btf.fail(`${mw}: not 8-byte aligned`);
          valuesOffset = m.bitOffset / 8;
          break;
        }
        // No effect on a single-process model: pinning, flags (e.g. BPF_F_NO_PREALLOC), NUMA placement.
        case "map_flags": case "pinning": case "numa_node": case "map_extra": break;
        default: btf.fail(`${mw}: unknown BTF map member`);
      }
    }
    if (type === undefined) btf.fail(`${what}: no "type" member`);
    if (maxEntries === undefined) btf.fail(`${what}: no "max_entries" member`);
    if (valuesOffset !== undefined && type !== "prog_array") btf.fail(`${what}: initial "values" are only supported for prog_array maps`);
    // libbpf: a prog_array's key and value are both u32 (program index in, program fd stored).
    if (type === "prog_array") {
      keySize ??= 4;
      valueSize ??= 4;
    }
    if (keySize === undefined) btf.fail(`${what}: no key size (key_size or key member)`);
    if (valueSize === undefined) btf.fail(`${what}: no value size (value_size or value member)`);
    out.push({
      index: out.length,
      origin: "btf",
      section: sec,
      offset: sym.value,
      size: Math.max(size, extent),
      valuesOffset,
      def: { name, type, keySize, valueSize, maxEntries },
    });
  }
}

function internalMap(elf: ElfFile, sec: Section, out: ElfMap[]): void {
  const def: MapDef = { name: sec.name, type: "array", keySize: 4, valueSize: sec.size, maxEntries: 1 };
  const data = elf.contents(sec);
  // NOBITS (.bss) and all-zero sections start zeroed; only initialised bytes need an `init` entry.
  if (data.some((b) => b !== 0)) def.init = { "0": Array.from(data, (b) => b.toString(16).padStart(2, "0")).join("") };
  out.push({ index: out.length, origin: "data", section: sec, offset: 0, size: sec.size, def });
}

/** Every map of the object, indexed as LD_IMM64 src=1/2 imm will refer to them. */
export function collectMaps(elf: ElfFile): ElfMap[] {
  const out: ElfMap[] = [];
  const legacy = elf.sections.filter((s) => s.name === "maps");
  const btf = elf.sections.filter((s) => s.name === ".maps");
  for (const s of legacy) legacyMaps(elf, s, out);
  for (const s of btf) btfMaps(elf, s, out);
  for (const s of elf.sections) if (isInternalMapSection(s) && s.size > 0) internalMap(elf, s, out);
  const names = new Set<string>();
  for (const m of out) {
    if (names.has(m.def.name)) throw new InputError(`map "${m.def.name}" is defined twice`, { file: elf.file });
    names.add(m.def.name);
  }
  return out;
}
