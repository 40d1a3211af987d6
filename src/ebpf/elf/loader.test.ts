// Tests of loadElfObject on the committed clang objects (conformance/elf/build) and on mutated copies.
// Expected instruction facts come from llvm-objdump/llvm-readelf of those objects and from the C sources,
// not from the loader. Malformed inputs are made by patching fixtures at offsets found with the small
// independent ELF reader below (so a loader bug cannot hide the patch location).
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadElfObject } from "./loader";
import type { ElfObject } from "./loader";
import { InputError } from "../errors";
import { BPF_PSEUDO_CALL, BPF_PSEUDO_FUNC, BPF_PSEUDO_MAP_FD, BPF_PSEUDO_MAP_VALUE, LD_IMM64_OPCODE } from "../insn";
import type { Insn } from "../insn";

const buildDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../conformance/elf/build");
const FIXTURES = ["arith", "array_map", "atomics", "bpf2bpf", "globals", "hash_map", "static_data", "tail_call"] as const;
const fixture = (name: string, t: "bpfel" | "bpfeb" = "bpfel"): Uint8Array => new Uint8Array(readFileSync(path.join(buildDir, `${name}.${t}.o`)));
const load = (name: string, t: "bpfel" | "bpfeb" = "bpfel"): ElfObject => loadElfObject(fixture(name, t), `${name}.${t}.o`);
const prog = (o: ElfObject, name: string): readonly Insn[] => {
  const p = o.programs.find((q) => q.name === name);
  if (p === undefined) throw new Error(`no program ${name}`);
  return p.insns;
};

/** Independent minimal ELF64 reader for locating patch points. */
function peek(bytes: Uint8Array) {
  const le = bytes[5] === 1;
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u64 = (o: number): number => Number(v.getBigUint64(o, le));
  const shoff = u64(40);
  const shnum = v.getUint16(60, le);
  const shstr = shoff + v.getUint16(62, le) * 64;
  const strOff = u64(shstr + 24);
  const cstr = (o: number): string => {
    let s = "";
    while (bytes[o] !== 0) s += String.fromCharCode(bytes[o++]);
    return s;
  };
  const sections = Array.from({ length: shnum }, (_, i) => {
    const h = shoff + i * 64;
    return { header: h, name: cstr(strOff + v.getUint32(h, le)), offset: u64(h + 24), size: u64(h + 32) };
  });
  const sec = (name: string) => {
    const s = sections.find((x) => x.name === name);
    if (s === undefined) throw new Error(`no section ${name}`);
    return s;
  };
  return { le, v, sections, sec };
}

function expectInputError(f: () => unknown, ...parts: RegExp[]): void {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(InputError);
  for (const p of parts) expect((err as Error).message).toMatch(p);
}

const callTargets = (p: readonly Insn[]): number[] =>
  p.flatMap((i, k) => (i.opcode === 0x85 && i.src === BPF_PSEUDO_CALL ? [k + 1 + i.imm] : []));
const ldImm64 = (p: readonly Insn[]) =>
  p.flatMap((i, k) => (i.opcode === LD_IMM64_OPCODE ? [{ k, src: i.src, imm: i.imm, next: p[k + 1].imm }] : []));

describe("loadElfObject on the clang fixtures", () => {
  for (const name of FIXTURES) {
    it(`${name}: the bpfel and bpfeb objects give the same programs and map shapes`, () => {
      const el = load(name, "bpfel");
      const eb = load(name, "bpfeb");
      expect(el.littleEndian).toBe(true);
      expect(eb.littleEndian).toBe(false);
      expect(eb.programs).toEqual(el.programs);
      const shape = (o: ElfObject) => o.maps.map((m) => ({ ...m, init: m.type === "prog_array" ? m.init : Object.keys(m.init ?? {}) }));
      expect(shape(eb)).toEqual(shape(el));
    });
  }

  it("arith: one program named after its function, in its section, no maps", () => {
    const o = load("arith");
    expect(o.programs.map((p) => [p.name, p.section, p.insns.length])).toEqual([["arith", "classifier", 21]]);
    expect(o.maps).toEqual([]);
  });

  it("bpf2bpf: .text subprograms are appended once per program and calls point at the copies", () => {
    const o = load("bpf2bpf");
    expect(o.programs.map((p) => p.name)).toEqual(["calls", "calls_again"]);
    // llvm-objdump: calls = 13 slots, mix = 7, square_mix = 6 (and square_mix calls mix).
    const calls = prog(o, "calls");
    expect(calls.length).toBe(13 + 7 + 6);
    const t = callTargets(calls);
    expect(t.length).toBe(4);
    // main's two calls of mix and square_mix's call of mix reach one shared copy; square_mix is another.
    expect(t[0]).toBe(t[1]);
    expect(t[3]).toBe(t[0]);
    expect(new Set(t).size).toBe(2);
    for (const x of t) expect(x).toBeGreaterThanOrEqual(13);
    // mix starts with `r0 = r1` (0xbf) and square_mix with `r6 = r1` (llvm-objdump).
    expect(calls[t[0]]).toMatchObject({ opcode: 0xbf, dst: 0, src: 1 });
    expect(calls[t[2]]).toMatchObject({ opcode: 0xbf, dst: 6, src: 1 });
    // Every appended function ends in EXIT, and the program never falls into a copy.
    expect(calls[12].opcode).toBe(0x95);
    expect(calls[Math.min(...t) - 1].opcode).toBe(0x95);
    expect(calls[calls.length - 1].opcode).toBe(0x95);
    const again = prog(o, "calls_again");
    expect(again.length).toBe(7 + 7);
    expect(callTargets(again)).toEqual([7]);
  });

  it("array_map: legacy maps section gives two array maps; LD_IMM64 of a map is src=1 with its index", () => {
    const o = load("array_map");
    expect(o.maps).toEqual([
      { name: "counters", type: "array", keySize: 4, valueSize: 8, maxEntries: 4 },
      { name: "scratch", type: "array", keySize: 4, valueSize: 16, maxEntries: 1 },
    ]);
    const p = prog(o, "array_update");
    // llvm-readelf: R_BPF_64_64 at byte offsets 0x30, 0xd0, 0x118, 0x170 (counters) and 0x1c0 (scratch).
    expect(ldImm64(p)).toEqual([
      { k: 6, src: BPF_PSEUDO_MAP_FD, imm: 0, next: 0 },
      { k: 26, src: BPF_PSEUDO_MAP_FD, imm: 0, next: 0 },
      { k: 35, src: BPF_PSEUDO_MAP_FD, imm: 0, next: 0 },
      { k: 46, src: BPF_PSEUDO_MAP_FD, imm: 0, next: 0 },
      { k: 56, src: BPF_PSEUDO_MAP_FD, imm: 1, next: 0 },
    ]);
    // Helper calls stay src=0 with their helper id.
    expect(p.filter((i) => i.opcode === 0x85).map((i) => [i.src, i.imm])).toEqual([[0, 1], [0, 2], [0, 1], [0, 1], [0, 1]]);
  });

  it("hash_map: a BTF-defined hash map with key/value sizes from __type, referenced from the appended subprogram", () => {
    const o = load("hash_map");
    expect(o.maps).toEqual([{ name: "flows", type: "hash", keySize: 4, valueSize: 16, maxEntries: 16 }]);
    const p = prog(o, "hash_count");
    const t = callTargets(p);
    expect(new Set(t).size).toBe(1);
    const subStart = t[0];
    const refs = ldImm64(p);
    expect(refs.every((r) => r.src === BPF_PSEUDO_MAP_FD && r.imm === 0 && r.next === 0)).toBe(true);
    expect(refs.some((r) => r.k >= subStart)).toBe(true);
    expect(refs.some((r) => r.k < subStart)).toBe(true);
  });

  it("tail_call: a BTF prog_array initialised from .rel.maps with the target program's name", () => {
    const o = load("tail_call");
    expect(o.maps).toEqual([{ name: "jmp_table", type: "prog_array", keySize: 4, valueSize: 4, maxEntries: 4, init: { "2": "tail_target" } }]);
    expect(o.programs.map((p) => [p.name, p.section])).toEqual([["tail_target", "tc"], ["tail_entry", "tc"]]);
    expect(prog(o, "tail_entry").filter((i) => i.opcode === 0x85).map((i) => i.imm)).toEqual([12]);
  });

  it("globals: .data/.rodata/.bss become one-entry array maps and references src=2 with the offset in next_imm", () => {
    const o = load("globals");
    const le = "050000000000000000010000"; // counter = 5 (u64) then misses = 0x100 (u32), little endian
    expect(o.maps).toEqual([
      { name: ".data", type: "array", keySize: 4, valueSize: 12, maxEntries: 1, init: { "0": le } },
      { name: ".rodata", type: "array", keySize: 4, valueSize: 32, maxEntries: 1, init: { "0": [11, 22, 33, 44, 55, 66, 77, 88].map((x) => x.toString(16).padStart(2, "0") + "000000").join("") } },
      { name: ".bss", type: "array", keySize: 4, valueSize: 4, maxEntries: 1 },
    ]);
    expect(load("globals", "bpfeb").maps[0].init).toEqual({ "0": "000000000000000500000100" });
    // llvm-objdump order of references: hits (.bss), counter (.data+0), misses (.data+8), table (.rodata+0).
    expect(ldImm64(prog(o, "globals")).map((r) => [r.src, r.imm, r.next])).toEqual([
      [BPF_PSEUDO_MAP_VALUE, 2, 0],
      [BPF_PSEUDO_MAP_VALUE, 0, 0],
      [BPF_PSEUDO_MAP_VALUE, 0, 8],
      [BPF_PSEUDO_MAP_VALUE, 1, 0],
    ]);
  });

  it("static_data: section-symbol references keep clang's byte addend as the value offset; strings get their own map", () => {
    const o = load("static_data");
    expect(o.maps.map((m) => [m.name, m.valueSize])).toEqual([[".rodata", 4], [".data", 20], [".bss", 8], [".rodata.str1.1", 6]]);
    expect(o.maps[3].init).toEqual({ "0": Array.from("w=%u\n\0", (c) => c.charCodeAt(0).toString(16).padStart(2, "0")).join("") });
    // llvm-readelf: .data is 0x14 bytes (weights[4], then bias). llvm-objdump: .bss+0 (calls_seen), .data+16 (`r8 = 16 ll`: bias), .data+0 twice (weights), scale, the string.
    expect(ldImm64(prog(o, "static_data")).map((r) => [r.src, r.imm, r.next])).toEqual([
      [BPF_PSEUDO_MAP_VALUE, 2, 0],
      [BPF_PSEUDO_MAP_VALUE, 1, 16],
      [BPF_PSEUDO_MAP_VALUE, 1, 0],
      [BPF_PSEUDO_MAP_VALUE, 1, 0],
      [BPF_PSEUDO_MAP_VALUE, 0, 0],
      [BPF_PSEUDO_MAP_VALUE, 3, 0],
    ]);
  });

  it("an LD_IMM64 relocated against code becomes src=4 (function address) pointing at the appended callee", () => {
    // hash_map: retarget the 4th .reltc entry (LD_IMM64 of `flows` at byte 0x88, llvm-readelf) to the
    // .text section symbol, i.e. the address of `bump` (the only .text function, at offset 0).
    const b = fixture("hash_map").slice();
    const p = peek(b);
    const textIndex = p.sections.findIndex((x) => x.name === ".text");
    const symtab = p.sec(".symtab");
    let textSym = -1;
    for (let i = 0; i < symtab.size / 24; i++) {
      const at = symtab.offset + i * 24;
      if ((b[at + 4] & 0xf) === 3 && p.v.getUint16(at + 6, p.le) === textIndex) textSym = i;
    }
    const entry = p.sec(".reltc").offset + 3 * 16;
    expect(Number(p.v.getBigUint64(entry, p.le))).toBe(0x88);
    p.v.setUint32(entry + 12, textSym, p.le);
    const insns = prog(loadElfObject(b, "f.o"), "hash_count");
    const k = 0x88 / 8;
    expect(insns[k]).toMatchObject({ opcode: LD_IMM64_OPCODE, src: BPF_PSEUDO_FUNC });
    expect(k + 1 + insns[k].imm).toBe(callTargets(insns)[0]);
  });

  it("atomics: the v3 atomic instructions of the C source are all present (W and DW, fetch and not)", () => {
    const p = prog(load("atomics"), "atomics");
    const atomics = p.filter((i) => i.opcode === 0xc3 || i.opcode === 0xdb).map((i) => `${i.opcode.toString(16)}:${i.imm.toString(16)}`);
    // C: fetch_add DW, add W (result unused), fetch_or W, fetch_xor DW, and W (unused), fetch_and DW,
    // xchg DW, cmpxchg DW twice, cmpxchg W.
    expect(atomics.sort()).toEqual(["c3:0", "c3:41", "c3:50", "c3:f1", "db:1", "db:51", "db:a1", "db:e1", "db:f1", "db:f1"].sort());
  });
});

describe("loadElfObject rejects malformed objects with an InputError naming the file and place", () => {
  const patched = (name: string, f: (b: Uint8Array, p: ReturnType<typeof peek>) => void): Uint8Array => {
    const b = fixture(name).slice();
    f(b, peek(b));
    return b;
  };

  it("a file shorter than the ELF header is truncated", () => {
    expectInputError(() => loadElfObject(fixture("arith").subarray(0, 40), "x.o"), /^x\.o: /, /truncated ELF header/);
  });
  it("a file cut before its section headers reports the header table out of bounds", () => {
    const b = fixture("arith");
    expectInputError(() => loadElfObject(b.subarray(0, b.length - 100), "cut.o"), /^cut\.o: /, /section header table/);
  });
  it("bad magic", () => {
    expectInputError(() => loadElfObject(patched("arith", (b) => { b[1] = 0x46; }), "m.o"), /bad ELF magic/);
  });
  it("32-bit ELF class", () => {
    expectInputError(() => loadElfObject(patched("arith", (b) => { b[4] = 1; }), "m.o"), /ELFCLASS64/);
  });
  it("wrong machine (EM_MIPS = 8)", () => {
    expectInputError(() => loadElfObject(patched("arith", (b, p) => p.v.setUint16(18, 8, p.le)), "m.o"), /e_machine 8 is not EM_BPF \(247\)/);
  });
  it("an executable instead of a relocatable object", () => {
    expectInputError(() => loadElfObject(patched("arith", (b, p) => p.v.setUint16(16, 2, p.le)), "m.o"), /e_type 2 is not ET_REL/);
  });
  it("a section whose contents lie outside the file", () => {
    const b = patched("arith", (b, p) => p.v.setBigUint64(p.sec("classifier").header + 24, BigInt(b.length - 8), p.le));
    expectInputError(() => loadElfObject(b, "oob.o"), /^oob\.o: /, /section \d+ contents/, /outside/);
  });
  it("an unknown relocation type names the section, offset and symbol", () => {
    const b = patched("bpf2bpf", (b, p) => p.v.setUint32(p.sec(".relsocket").offset + 8, 7, p.le)); // r_info type of entry 0
    expectInputError(() => loadElfObject(b, "r.o"), /section "socket" \(#\d+\) offset 0x20/, /unknown relocation type 7/, /"\.text"/);
  });
  it("an R_BPF_64_64 relocation not on an LD_IMM64", () => {
    // globals: first relocation (hits) is at byte 8 of section socket; make that slot a mov.
    const b = patched("globals", (b, p) => { b[p.sec("socket").offset + 8] = 0xb7; });
    expectInputError(() => loadElfObject(b, "g.o"), /offset 0x8/, /not on an LD_IMM64/, /"hits"/);
  });
  it("an R_BPF_64_32 relocation not on a bpf-to-bpf call", () => {
    // bpf2bpf: first call relocation at byte 0x20 of section socket; clear its src (helper call).
    const b = patched("bpf2bpf", (b, p) => { b[p.sec("socket").offset + 0x20 + 1] = 0x00; });
    expectInputError(() => loadElfObject(b, "c.o"), /offset 0x20/, /not on a bpf-to-bpf call/);
  });
  it("a relocation offset outside its section", () => {
    const b = patched("globals", (b, p) => p.v.setBigUint64(p.sec(".relsocket").offset, 0x10000n, p.le));
    expectInputError(() => loadElfObject(b, "g.o"), /offset 0x10000/, /not on an instruction slot/);
  });
  it("an unsupported map type names the map", () => {
    const b = patched("array_map", (b, p) => p.v.setUint32(p.sec("maps").offset + 20, 5, p.le)); // scratch.type
    expectInputError(() => loadElfObject(b, "a.o"), /map "scratch": map type 5 is not supported/);
  });
  it("an array map with an 8-byte key violates the shared map schema, naming the map", () => {
    const b = patched("array_map", (b, p) => p.v.setUint32(p.sec("maps").offset + 4, 8, p.le)); // counters.key_size
    expectInputError(() => loadElfObject(b, "a.o"), /map "counters"/, /keySize 4/);
  });
  it("a relocation against an undefined symbol", () => {
    // Point the relocation of `hits` at symbol 0 (the null, undefined symbol).
    const b = patched("globals", (b, p) => p.v.setUint32(p.sec(".relsocket").offset + 12, 0, p.le));
    expectInputError(() => loadElfObject(b, "u.o"), /undefined/);
  });
  it("a .BTF section with a bad magic, when BTF maps need it", () => {
    const b = patched("hash_map", (b, p) => { b[p.sec(".BTF").offset] ^= 0xff; });
    expectInputError(() => loadElfObject(b, "h.o"), /section "\.BTF"/, /bad BTF magic/);
  });
  it("an object without program sections (executable sections other than .text)", () => {
    const b = patched("arith", (b, p) => p.v.setUint32(p.sec("classifier").header + 8, 0x2, p.le)); // flags = ALLOC only
    expectInputError(() => loadElfObject(b, "n.o"), /no programs/);
  });
  it("an unrelocated .text call whose target lies outside .text", () => {
    // bpf2bpf: square_mix's `call 3` at .text slot 2 (llvm-objdump) has no relocation; aim it past the end.
    const b = patched("bpf2bpf", (b, p) => p.v.setInt32(p.sec(".text").offset + 2 * 8 + 4, 100, p.le));
    expectInputError(() => loadElfObject(b, "t.o"), /section "\.text" \(#\d+\) insn 2: call target slot 103 is outside section "\.text"/);
  });
  it("a data reference to a symbol in a section that is neither map, data nor code", () => {
    const b = patched("globals", (b, p) => {
      const symIndex = p.v.getUint32(p.sec(".relsocket").offset + 12, p.le); // `hits`
      const license = p.sections.findIndex((x) => x.name === "license");
      p.v.setUint16(p.sec(".symtab").offset + symIndex * 24 + 6, license, p.le);
    });
    expectInputError(() => loadElfObject(b, "g.o"), /"hits" is in section "license"/, /neither a map/);
  });
  it("a .rel.maps entry that is not R_BPF_64_ABS64 is rejected", () => {
    const b = patched("tail_call", (b, p) => p.v.setUint32(p.sec(".rel.maps").offset + 8, 3, p.le)); // type ABS32
    expectInputError(() => loadElfObject(b, "t.o"), /section "\.maps" offset 0x30/, /relocation type 3/);
  });
});
