// loadElfObject: a clang `-target bpfel|bpfeb -c` relocatable object → programs and map definitions,
// resolved the way libbpf prepares them for the kernel (libbpf.c: bpf_object__collect_relos,
// bpf_program__record_reloc, bpf_object__relocate_data, bpf_object__reloc_code):
//  - programs: every function of an executable section other than .text (one per FUNC symbol);
//  - bpf-to-bpf calls: each callee (a .text subprogram, or any function) is appended once to the end of
//    the calling program and the CALL src=1 imm is rewritten to the relative slot offset (RFC 9669 §4.3.1,
//    reference/ebpf-semantics.md §2.5); LD_IMM64 of a function address becomes src=4 the same way;
//  - map references: LD_IMM64 src=1 imm=map index; global data: LD_IMM64 src=2 imm=map index,
//    next_imm=offset into the section (§2.4); prog_array `.values` initialisers from .rel.maps.
// Owns relocation and linking; the ELF container, BTF and map definitions live in the sibling files.
// Does not validate opcodes (the verifier/validator does that on the returned Program).
import { InputError } from "../errors";
import type { Insn, Program } from "../insn";
import { BPF_CALL, BPF_JMP, BPF_PSEUDO_CALL, BPF_PSEUDO_FUNC, BPF_PSEUDO_MAP_FD, BPF_PSEUDO_MAP_VALUE, LD_IMM64_OPCODE, insn } from "../insn";
import type { MapDef } from "../maps";
import type { ElfFile, Section, Sym } from "./elf-file";
import { SHF_ALLOC, SHF_EXECINSTR, SHN_LORESERVE, SHN_UNDEF, SHT_PROGBITS, SHT_REL, SHT_RELA, STT_FUNC, STT_SECTION, hex, parseElf } from "./elf-file";
import type { ElfMap } from "./elf-maps";
import { collectMaps, isInternalMapSection, validateMapDef } from "./elf-maps";
import { decodeProgram } from "../encode";

export interface ElfProgram {
  /** The function's symbol name (the section name for symbol-less sections). */
  readonly name: string;
  /** The ELF section it came from, e.g. "xdp", "socket", "tc". */
  readonly section: string;
  /** The program followed by every subprogram it calls, calls and map references resolved. */
  readonly insns: Program;
}

export interface ElfObject {
  readonly littleEndian: boolean;
  readonly programs: ElfProgram[];
  /** LD_IMM64 src=1/2 imm values index this list. */
  readonly maps: MapDef[];
}

// BPF relocation types (LLVM llvm/BinaryFormat/ELFRelocs/BPF.def; Linux Documentation/bpf/llvm_reloc.rst).
export const R_BPF_NONE = 0;
export const R_BPF_64_64 = 1;
export const R_BPF_64_ABS64 = 2;
export const R_BPF_64_ABS32 = 3;
export const R_BPF_64_NODYLD32 = 4;
export const R_BPF_64_32 = 10;

const CALL_OPCODE = BPF_JMP | BPF_CALL; // 0x85

/** A function: a slot range of an executable section. */
interface Func {
  readonly name: string;
  readonly sec: Section;
  readonly start: number; // slot index within the section
  readonly end: number; // exclusive
}

interface CodeSection {
  readonly sec: Section;
  readonly slots: Insn[];
  readonly funcs: Func[];
  /** Relocated call / function-address slots: slot → target (section index, slot in that section). */
  readonly targets: Map<number, { readonly sec: number; readonly slot: number }>;
  /** Slots already rewritten by a relocation (a second relocation on one slot is malformed). */
  readonly relocated: Set<number>;
}

export function loadElfObject(bytes: Uint8Array, file: string): ElfObject {
  const elf = parseElf(bytes, file);
  const fail: (reason: string) => never = (reason) => {
    throw new InputError(reason, { file });
  };
  const maps = collectMaps(elf);
  const code = new Map<number, CodeSection>();
  for (const sec of elf.sections) {
    if ((sec.flags & SHF_EXECINSTR) === 0 || sec.type !== SHT_PROGBITS) continue;
    if (sec.size % 8 !== 0) fail(`${elf.describe(sec)}: size ${sec.size} is not a multiple of 8 (instruction slots)`);
    code.set(sec.index, { sec, slots: [...decodeProgram(elf.contents(sec), elf.littleEndian, elf.file)], funcs: functionsOf(elf, sec), targets: new Map(), relocated: new Set() });
  }

  for (const rs of elf.sections) {
    if (rs.type !== SHT_REL && rs.type !== SHT_RELA) continue;
    const target = elf.sections[rs.info];
    if (target === undefined || rs.info === 0) fail(`${elf.describe(rs)}: sh_info ${rs.info} is not a section index`);
    const cs = code.get(target.index);
    if (cs !== undefined) {
      for (const rel of elf.relocations(rs)) relocateCode(elf, cs, maps, rel.offset, rel.type, elf.symbols[rel.sym]);
    } else if (target.name === ".maps") {
      for (const rel of elf.relocations(rs)) initProgArray(elf, code, maps, rel.offset, rel.type, elf.symbols[rel.sym]);
    } else if ((target.flags & SHF_ALLOC) !== 0) {
      // Pointers stored in global data or legacy map definitions would need load addresses we do not
      // have at load time; libbpf rejects them too. Debug info, BTF and BTF.ext (non-ALLOC) are ignored.
      const rels = elf.relocations(rs);
      if (rels.length > 0) fail(`${elf.describe(target)}: relocation at offset 0x${hex(rels[0].offset)} against "${symName(elf, elf.symbols[rels[0].sym])}": pointers in data sections are not supported`);
    }
  }

  const programs: ElfProgram[] = [];
  for (const cs of code.values()) {
    if (cs.sec.name === ".text") continue;
    for (const f of cs.funcs) programs.push({ name: f.name, section: cs.sec.name, insns: link(elf, code, f) });
  }
  if (programs.length === 0) fail("no programs (no executable section other than .text holds code)");
  const seen = new Set<string>();
  for (const p of programs) {
    if (seen.has(p.name)) fail(`two programs are named "${p.name}"`);
    seen.add(p.name);
  }
  return { littleEndian: elf.littleEndian, programs, maps: maps.map((m) => validateMapDef(m.def, file)) };
}

const symName = (elf: ElfFile, sym: Sym): string =>
  sym.name !== "" ? sym.name : sym.type === STT_SECTION && elf.sections[sym.shndx] !== undefined ? elf.sections[sym.shndx].name : `#${sym.index}`;

/** Functions of an executable section from its FUNC symbols (libbpf: one program per function). */
function functionsOf(elf: ElfFile, sec: Section): Func[] {
  const n = sec.size / 8;
  const syms = elf.symbols.filter((s) => s.shndx === sec.index && s.type === STT_FUNC).sort((a, b) => a.value - b.value);
  if (syms.length === 0) return n > 0 ? [{ name: sec.name, sec, start: 0, end: n }] : [];
  const funcs: Func[] = [];
  syms.forEach((s, k) => {
    const where = `${elf.describe(sec)}: function "${s.name}"`;
    if (s.value % 8 !== 0 || s.size % 8 !== 0) throw new InputError(`${where}: offset 0x${hex(s.value)} or size ${s.size} is not a multiple of 8`, { file: elf.file });
    const start = s.value / 8;
    // A zero size (hand-written assembly) extends to the next function or the section end.
    const end = s.size > 0 ? start + s.size / 8 : k + 1 < syms.length ? syms[k + 1].value / 8 : n;
    if (end > n || start >= n) throw new InputError(`${where}: slots [${start}, ${end}) lie outside the ${n}-slot section`, { file: elf.file });
    const prev = funcs[funcs.length - 1];
    if (prev !== undefined && start < prev.end) throw new InputError(`${where}: overlaps function "${prev.name}"`, { file: elf.file });
    funcs.push({ name: s.name, sec, start, end });
  });
  return funcs;
}

function relocateCode(elf: ElfFile, cs: CodeSection, maps: readonly ElfMap[], offset: number, type: number, sym: Sym): void {
  const n = cs.slots.length;
  const at = `${elf.describe(cs.sec)} offset 0x${hex(offset)}`;
  const fail: (reason: string) => never = (reason) => {
    throw new InputError(`${at}: ${reason}`, { file: elf.file });
  };
  if (offset % 8 !== 0 || offset / 8 >= n) fail(`relocation is not on an instruction slot of the ${n}-slot section`);
  const slot = offset / 8;
  const ins = cs.slots[slot];
  const name = symName(elf, sym);
  if (cs.relocated.has(slot)) fail(`second relocation on one instruction (symbol "${name}")`);
  cs.relocated.add(slot);
  if (sym.shndx === SHN_UNDEF) fail(`symbol "${name}" is undefined (extern symbols are not supported)`);
  if (sym.shndx >= SHN_LORESERVE) fail(`symbol "${name}" has special section index 0x${hex(sym.shndx)} (absolute or common symbols are not supported)`);
  const symSec = elf.sections[sym.shndx];
  if (symSec === undefined) fail(`symbol "${name}" has section index ${sym.shndx}, which does not exist`);

  switch (type) {
    case R_BPF_64_64: {
      if (ins.opcode !== LD_IMM64_OPCODE || slot + 1 >= n) fail(`R_BPF_64_64 relocation against "${name}" is not on an LD_IMM64 instruction (opcode 0x${hex(ins.opcode)})`);
      const next = cs.slots[slot + 1];
      if (ins.src !== 0) fail(`LD_IMM64 relocated against "${name}" already has src_reg ${ins.src}`);
      const map = maps.find((m) => m.section.index === symSec.index && (m.origin === "data" || m.offset === sym.value));
      if (map !== undefined && map.origin !== "data") {
        cs.slots[slot] = insn(ins.opcode, ins.dst, BPF_PSEUDO_MAP_FD, ins.off, map.index);
        cs.slots[slot + 1] = insn(next.opcode, next.dst, next.src, next.off, 0);
      } else if (map !== undefined) {
        // libbpf bpf_object__relocate_data: value offset = symbol offset + the addend clang left in imm.
        const off = sym.value + ins.imm;
        if (next.imm !== 0 || off < 0 || off > map.size) fail(`reference to "${name}" + ${ins.imm} lies outside ${elf.describe(symSec)} (${map.size} bytes)`);
        cs.slots[slot] = insn(ins.opcode, ins.dst, BPF_PSEUDO_MAP_VALUE, ins.off, map.index);
        cs.slots[slot + 1] = insn(next.opcode, next.dst, next.src, next.off, off);
      } else if ((symSec.flags & SHF_EXECINSTR) !== 0) {
        // Address of a function (callbacks): imm is a byte addend here, unlike CALL's slot addend.
        const byteOff = sym.value + ins.imm;
        if (byteOff % 8 !== 0) fail(`function address "${name}" + ${ins.imm} is not slot-aligned`);
        cs.slots[slot] = insn(ins.opcode, ins.dst, BPF_PSEUDO_FUNC, ins.off, 0);
        cs.slots[slot + 1] = insn(next.opcode, next.dst, next.src, next.off, 0);
        cs.targets.set(slot, { sec: symSec.index, slot: byteOff / 8 });
      } else if (symSec.name === "maps" || symSec.name === ".maps") {
        fail(`symbol "${name}" at offset 0x${hex(sym.value)} of ${elf.describe(symSec)} is not the start of a map definition`);
      } else {
        fail(`symbol "${name}" is in ${elf.describe(symSec)}, which is neither a map, global data (.data/.rodata/.bss) nor code`);
      }
      return;
    }
    case R_BPF_64_32: {
      if (ins.opcode !== CALL_OPCODE || ins.src !== BPF_PSEUDO_CALL) fail(`R_BPF_64_32 relocation against "${name}" is not on a bpf-to-bpf call (opcode 0x${hex(ins.opcode)}, src ${ins.src})`);
      if ((symSec.flags & SHF_EXECINSTR) === 0) fail(`call target "${name}" is in ${elf.describe(symSec)}, which is not code`);
      // libbpf: callee slot = symbol offset / 8 + imm + 1 (imm is -1 for a named function, the offset for a section symbol).
      if (sym.value % 8 !== 0) fail(`call target "${name}" at offset 0x${hex(sym.value)} is not slot-aligned`);
      cs.targets.set(slot, { sec: symSec.index, slot: sym.value / 8 + ins.imm + 1 });
      return;
    }
    case R_BPF_64_ABS64: case R_BPF_64_ABS32: case R_BPF_64_NODYLD32:
      return fail(`data relocation type ${type} against "${name}" on an instruction`);
    default:
      return fail(`unknown relocation type ${type} (symbol "${name}")`);
  }
}

/** .rel.maps: `.values = { [i] = &prog }` of a BTF prog_array (libbpf bpf_object__collect_map_relos). */
function initProgArray(elf: ElfFile, code: ReadonlyMap<number, CodeSection>, maps: readonly ElfMap[], offset: number, type: number, sym: Sym): void {
  const name = symName(elf, sym);
  const fail: (reason: string) => never = (reason) => {
    throw new InputError(`section ".maps" offset 0x${hex(offset)}: ${reason}`, { file: elf.file });
  };
  if (type !== R_BPF_64_ABS64) fail(`relocation type ${type} against "${name}" (only R_BPF_64_ABS64 initialises map values)`);
  const map = maps.find((m) => m.origin === "btf" && offset >= m.offset && offset < m.offset + m.size);
  if (map === undefined || map.valuesOffset === undefined) fail(`relocation against "${name}" is not inside a prog_array's "values" member`);
  const slotOff = offset - map.offset - map.valuesOffset;
  const index = slotOff / 8;
  if (slotOff < 0 || slotOff % 8 !== 0 || index >= map.def.maxEntries) fail(`map "${map.def.name}": value slot at offset 0x${hex(offset)} is not an index below max_entries ${map.def.maxEntries}`);
  const cs = code.get(sym.shndx);
  if (sym.type !== STT_FUNC || cs === undefined || cs.sec.name === ".text") fail(`map "${map.def.name}" [${index}]: "${name}" is not a program`);
  map.def = { ...map.def, init: { ...map.def.init, [String(index)]: sym.name } };
}

/**
 * Copy `main` and append every function it reaches through calls or function addresses, once each, fixing
 * each CALL src=1 / LD_IMM64 src=4 imm to (callee slot in the result) − (call slot + 1).
 */
function link(elf: ElfFile, code: ReadonlyMap<number, CodeSection>, main: Func): Insn[] {
  const out: Insn[] = [];
  const origin: { cs: CodeSection; slot: number }[] = [];
  const placed = new Map<Func, number>();
  const place = (f: Func): number => {
    let at = placed.get(f);
    if (at === undefined) {
      at = out.length;
      placed.set(f, at);
      const cs = code.get(f.sec.index)!;
      for (let s = f.start; s < f.end; s++) {
        out.push(cs.slots[s]);
        origin.push({ cs, slot: s });
      }
    }
    return at;
  };
  place(main);
  for (let k = 0; k < out.length; k++) {
    const ins = out[k];
    const { cs, slot } = origin[k];
    const isCall = ins.opcode === CALL_OPCODE && ins.src === BPF_PSEUDO_CALL;
    const isFuncAddr = ins.opcode === LD_IMM64_OPCODE && ins.src === BPF_PSEUDO_FUNC && cs.targets.has(slot);
    if (isCall || isFuncAddr) {
      // An unrelocated local call was resolved by LLVM within its own section: slot + imm + 1.
      const t = cs.targets.get(slot) ?? { sec: cs.sec.index, slot: slot + ins.imm + 1 };
      const tcs = code.get(t.sec);
      const where = `${elf.describe(cs.sec)} insn ${slot}`;
      // a (corrupt) relocation may name a symbol in a data or unknown section (found by loader.fuzz.test.ts)
      if (tcs === undefined) throw new InputError(`${where}: call target is in section ${t.sec}, which holds no code`, { file: elf.file });
      if (t.slot < 0 || t.slot >= tcs.slots.length) throw new InputError(`${where}: call target slot ${t.slot} is outside ${elf.describe(tcs.sec)} (${tcs.slots.length} slots)`, { file: elf.file });
      const callee = tcs.funcs.find((f) => t.slot >= f.start && t.slot < f.end);
      if (callee === undefined) throw new InputError(`${where}: call target slot ${t.slot} of ${elf.describe(tcs.sec)} is not inside any function`, { file: elf.file });
      const dest = place(callee) + (t.slot - callee.start);
      out[k] = insn(ins.opcode, ins.dst, ins.src, ins.off, dest - (k + 1));
    }
    if (ins.opcode === LD_IMM64_OPCODE) k++; // the second half is data, never an instruction
  }
  return out;
}
