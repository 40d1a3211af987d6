// fast-check arbitraries for RANDOM VALID programs (valid = verifyProgram accepts them), reused by the
// verifier rewrite properties, the JIT properties and fuzzing. Owns the program shapes; values come from
// values.ts. Validity and termination hold by construction:
//  - every register R0–R9 is written by the function's preamble, and R1–R5 are rewritten after each call,
//    so every read is initialised on every path; R10 is never written;
//  - jumps only go forward (to a later snippet or the epilogue) and calls go from a function to a later
//    one, so every run is bounded and the call graph is acyclic (≤ 1 + maxSubprograms frames);
//  - stack traffic stays in a 64-byte window [R10-64, R10) that the preamble fills, aligned to the size;
//  - context traffic (main only) goes through R9 = the ctx pointer, aligned and inside `mem`;
//  - divisions by an immediate never divide by zero, constant shifts stay below the width (Linux rules),
//    while divisions by a register may divide by zero or −1 (the guards' business).
import fc from "fast-check";
import {
  BPF_ALU, BPF_ALU64, BPF_ATOMIC, BPF_B, BPF_DW, BPF_H, BPF_JMP, BPF_JMP32, BPF_K, BPF_LDX, BPF_MEM, BPF_MEMSX,
  BPF_ST, BPF_STX, BPF_W, BPF_X, insn, type Insn, type Program,
} from "../../src/ebpf/insn";
import type { MapDef } from "../../src/ebpf/maps";
import { arbImm32, arbImm32NonZero, arbValue64, DIV_EDGES, splitU64 } from "./values";

export interface ProgramOptions {
  /** Straight-line/jump snippets in main (default 12) and in each subprogram (default 5). */
  readonly maxSnippets?: number;
  readonly maxSubSnippets?: number;
  /** bpf-to-bpf subprograms (default 2; 0 disables local calls). */
  readonly maxSubprograms?: number;
  /** Allow helper calls (test_mix5, test_mixed_proto, ktime_get_ns, get_prandom_u32). Default true. */
  readonly helpers?: boolean;
  /** Allow cpu v4 instructions (SDIV/SMOD, MOVSX, MEMSX, BSWAP, gotol). Default true. */
  readonly v4?: boolean;
  /** Allow atomics (cpu v3). Default true. */
  readonly atomics?: boolean;
  /** Largest context size in bytes (a multiple of 8; default 32). */
  readonly maxMem?: number;
  /**
   * Map traffic (default true): an array and a hash map (GENERATED_MAPS), map_lookup_elem with a NULL check
   * and loads/stores/atomics through the value pointer, map_update_elem, map_delete_elem, and LD_IMM64
   * src=2 direct value pointers. Keys and values live in the stack window.
   */
  readonly maps?: boolean;
}

export interface GeneratedProgram {
  readonly program: Program;
  /** The context buffer R1 points to at entry. */
  readonly mem: Uint8Array;
  /** The maps the program references (LD_IMM64 src=1/2 imm = index): GENERATED_MAPS or empty. */
  readonly maps: readonly MapDef[];
}

/** The maps of generated programs: index 0 an array (16-byte values), index 1 a hash (4-byte keys). */
export const GENERATED_MAPS: readonly MapDef[] = [
  { name: "gen_array", type: "array", keySize: 4, valueSize: 16, maxEntries: 4 },
  { name: "gen_hash", type: "hash", keySize: 4, valueSize: 8, maxEntries: 4 },
];

/** The helpers the generator calls (ids from src/ebpf/helper-protos.ts). */
export const GENERATED_HELPERS: readonly number[] = [0x1000, 0x1001, 5, 7];

/** Stack window every function fills in its preamble. */
const WINDOW = 64;
const CTX_REG = 9;

interface Jump { readonly jump: Insn; readonly skip: number }
interface Call { readonly call: number }
type Item = Insn | Call;
interface Snippet { readonly body: readonly Item[]; readonly jump?: Jump }
interface Func { readonly pre: readonly Insn[]; readonly snippets: readonly Snippet[]; readonly epi: readonly Insn[] }

interface Ctx {
  readonly isMain: boolean;
  readonly f: number;
  /** Number of subprograms (functions 1..m). */
  readonly m: number;
  readonly memLen: number;
  readonly o: Required<ProgramOptions>;
}

const ALU_K_OPS = [0x00, 0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0x90, 0xa0, 0xb0, 0xc0];
const JMP_OPS = [0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0xa0, 0xb0, 0xc0, 0xd0];
const ATOMIC_OPS = [0x00, 0x01, 0x40, 0x41, 0x50, 0x51, 0xa0, 0xa1, 0xe1, 0xf1];
const SIZES = [BPF_B, BPF_H, BPF_W, BPF_DW] as const;
const bytesOf = (sz: number): number => (sz === BPF_B ? 1 : sz === BPF_H ? 2 : sz === BPF_W ? 4 : 8);

const lddw = (dst: number, v: bigint): Insn[] => {
  const [lo, hi] = splitU64(v);
  return [insn(0x18, dst, 0, 0, lo), insn(0, 0, 0, 0, hi)];
};

/** Write a value into `dst` in one of the ways programs do: lddw, mov64 imm (sign-extended), mov32 imm. */
const arbSetReg = (dst: number): fc.Arbitrary<Insn[]> =>
  fc.oneof(
    arbValue64.map((v) => lddw(dst, v)),
    arbImm32.map((imm) => [insn(BPF_ALU64 | 0xb0, dst, 0, 0, imm)]),
    arbImm32.map((imm) => [insn(BPF_ALU | 0xb0, dst, 0, 0, imm)]),
  );

function arbAlu(c: Ctx, dsts: readonly number[], srcs: readonly number[]): fc.Arbitrary<Insn[]> {
  const cls = fc.constantFrom(BPF_ALU, BPF_ALU64);
  const dst = fc.constantFrom(...dsts);
  const src = fc.constantFrom(...srcs);
  const aluK = fc.tuple(cls, fc.constantFrom(...ALU_K_OPS), dst, arbImm32, arbImm32NonZero, fc.boolean()).map(([cl, op, d, imm, nz, signed]) => {
    const width = cl === BPF_ALU ? 32 : 64;
    if (op === 0x60 || op === 0x70 || op === 0xc0) return [insn(cl | op | BPF_K, d, 0, 0, (imm >>> 0) % width)];
    if (op === 0x30 || op === 0x90) return [insn(cl | op | BPF_K, d, 0, signed && c.o.v4 ? 1 : 0, nz)];
    return [insn(cl | op | BPF_K, d, 0, 0, imm)];
  });
  const aluX = fc.tuple(cls, fc.constantFrom(...ALU_K_OPS), dst, src, fc.boolean()).map(([cl, op, d, s, signed]) => [
    insn(cl | op | BPF_X, d, s, (op === 0x30 || op === 0x90) && signed && c.o.v4 ? 1 : 0, 0),
  ]);
  const neg = fc.tuple(cls, dst).map(([cl, d]) => [insn(cl | 0x80, d)]);
  const end = fc.tuple(fc.constantFrom(0xd4, 0xdc, ...(c.o.v4 ? [0xd7] : [])), dst, fc.constantFrom(16, 32, 64)).map(([op, d, w]) => [insn(op, d, 0, 0, w)]);
  const movsx = fc.tuple(cls, dst, src, fc.constantFrom(8, 16, 32)).map(([cl, d, s, bits]) => [
    insn(cl | 0xb0 | BPF_X, d, s, cl === BPF_ALU && bits === 32 ? 16 : bits, 0),
  ]);
  // SDIV/SMOD by −1 is the interesting immediate (Linux rewrites it statically).
  const sdivNeg1 = fc.tuple(cls, fc.constantFrom(0x30, 0x90), dst).map(([cl, op, d]) => [insn(cl | op | BPF_K, d, 0, 1, -1)]);
  const set = dst.chain(arbSetReg);
  // Division by a register holding an edge divisor (0, −1, zero low half) with an edge dividend (INT_MIN…):
  // the cases the runtime guards exist for.
  const divEdge = fc
    .tuple(cls, fc.constantFrom(0x30, 0x90), dst, src, fc.constantFrom(...DIV_EDGES), fc.constantFrom(...DIV_EDGES), fc.boolean(), fc.integer({ min: 1, max: WINDOW / 8 }))
    .filter(([, , d, s]) => d !== s)
    .map(([cl, op, d, s, dv, sv, signed, slot]) => [
      ...lddw(d, dv),
      ...lddw(s, sv),
      insn(cl | op | BPF_X, d, s, signed && c.o.v4 ? 1 : 0, 0),
      // Spill the result: all 64 bits become observable in the stack region.
      insn(BPF_STX | BPF_MEM | BPF_DW, 10, d, -8 * slot),
    ]);
  return fc.oneof(
    { weight: 6, arbitrary: aluK },
    { weight: 6, arbitrary: aluX },
    { weight: 1, arbitrary: neg },
    { weight: 2, arbitrary: end },
    { weight: 2, arbitrary: set },
    { weight: 2, arbitrary: divEdge },
    ...(c.o.v4 ? [{ weight: 2, arbitrary: movsx }, { weight: 1, arbitrary: sdivNeg1 }] : []),
  );
}

function arbStack(c: Ctx, dsts: readonly number[], srcs: readonly number[]): fc.Arbitrary<Insn[]> {
  const slot = (sz: number): fc.Arbitrary<number> => fc.integer({ min: 1, max: WINDOW / bytesOf(sz) }).map((k) => -k * bytesOf(sz));
  const size = fc.constantFrom(...SIZES);
  const load = fc.tuple(size, fc.constantFrom(...dsts), fc.boolean()).chain(([sz, d, sx]) =>
    slot(sz).map((off) => [insn(BPF_LDX | (sx && sz !== BPF_DW && c.o.v4 ? BPF_MEMSX : BPF_MEM) | sz, d, 10, off)]),
  );
  const store = fc.tuple(size, fc.constantFrom(...srcs)).chain(([sz, s]) => slot(sz).map((off) => [insn(BPF_STX | BPF_MEM | sz, 10, s, off)]));
  const storeImm = fc.tuple(size, arbImm32).chain(([sz, imm]) => slot(sz).map((off) => [insn(BPF_ST | BPF_MEM | sz, 10, 0, off, imm)]));
  const atomic = fc.tuple(fc.constantFrom(BPF_W, BPF_DW), fc.constantFrom(...ATOMIC_OPS), fc.constantFrom(...dsts)).chain(([sz, op, s]) =>
    slot(sz).map((off) => [insn(BPF_STX | BPF_ATOMIC | sz, 10, s, off, op)]),
  );
  return fc.oneof(
    { weight: 3, arbitrary: load },
    { weight: 3, arbitrary: store },
    { weight: 2, arbitrary: storeImm },
    ...(c.o.atomics ? [{ weight: 2, arbitrary: atomic }] : []),
  );
}

function arbCtx(c: Ctx, dsts: readonly number[], srcs: readonly number[]): fc.Arbitrary<Insn[]> {
  const sizes = SIZES.filter((sz) => bytesOf(sz) <= c.memLen);
  const at = (sz: number): fc.Arbitrary<number> => fc.integer({ min: 0, max: c.memLen / bytesOf(sz) - 1 }).map((k) => k * bytesOf(sz));
  const size = fc.constantFrom(...sizes);
  return fc.oneof(
    fc.tuple(size, fc.constantFrom(...dsts)).chain(([sz, d]) => at(sz).map((off) => [insn(BPF_LDX | BPF_MEM | sz, d, CTX_REG, off)])),
    fc.tuple(size, fc.constantFrom(...srcs)).chain(([sz, s]) => at(sz).map((off) => [insn(BPF_STX | BPF_MEM | sz, CTX_REG, s, off)])),
    fc.tuple(size, arbImm32).chain(([sz, imm]) => at(sz).map((off) => [insn(BPF_ST | BPF_MEM | sz, CTX_REG, 0, off, imm)])),
  );
}

/**
 * Map traffic. Everything is straight-line except the NULL check, whose offset is known here: it skips the
 * accesses through R0 and lands on the re-initialisation of R1–R5 that every call needs.
 */
function arbMapOps(c: Ctx, dsts: readonly number[], srcs: readonly number[]): fc.Arbitrary<Insn[]> {
  const keySlot = fc.integer({ min: 1, max: WINDOW / 4 }).map((k) => -4 * k);
  const valSlot = (bytes: number): fc.Arbitrary<number> => fc.integer({ min: bytes / 8, max: WINDOW / 8 }).map((k) => -8 * k);
  const mapRef = (dst: number, idx: number): Insn[] => [insn(0x18, dst, 1, 0, idx), insn(0, 0, 0, 0, 0)];
  // Mostly keys that exist (array) or collide (hash); 4–5 are out of range / overflow the hash; imm32 rare.
  const key = fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 0, max: 3 }) }, { weight: 1, arbitrary: fc.integer({ min: 4, max: 5 }) }, { weight: 1, arbitrary: arbImm32 });
  /** An access through `base` to a value of `bytes` bytes: load, store, store-imm or atomic, aligned. */
  const access = (base: number, bytes: number, from: readonly number[]): fc.Arbitrary<Insn> =>
    fc.tuple(fc.constantFrom(...SIZES.filter((sz) => bytesOf(sz) <= bytes)), fc.nat(), fc.integer({ min: 0, max: 3 }), fc.constantFrom(...dsts), fc.constantFrom(...from), arbImm32, fc.constantFrom(...ATOMIC_OPS))
      .map(([sz, at, kind, d, s, imm, aop]) => {
        const w = bytesOf(sz);
        const off = (at % (bytes / w)) * w;
        const other = base === 0 ? 1 : 0; // never overwrite the pointer being accessed through
        if (kind === 0) return insn(BPF_LDX | BPF_MEM | sz, d === base ? other : d, base, off);
        if (kind === 1) return insn(BPF_STX | BPF_MEM | sz, base, s, off);
        if (kind === 2 || (sz !== BPF_W && sz !== BPF_DW)) return insn(BPF_ST | BPF_MEM | sz, base, 0, off, imm);
        // Atomics: a fetching op writes src, which must not be the base register.
        return insn(BPF_STX | BPF_ATOMIC | sz, base, s !== base ? s : other, off, aop);
      });
  const lookup = fc
    .tuple(fc.integer({ min: 0, max: 1 }), keySlot, key, arbReinitArgs)
    .chain(([m, ks, k, re]) =>
      // After the call R1–R5 are undefined: stored values come from R6–R9 only.
      fc.array(access(0, GENERATED_MAPS[m].valueSize, srcs.filter((r) => r > 5)), { minLength: 1, maxLength: 3 }).map((acc) => {
        // The atomics/loads above never redefine R0 except CMPXCHG (R0 = old value): keep the pointer by
        // excluding CMPXCHG through R0 here.
        const body = acc.map((a) => ((a.opcode & 0xe0) === BPF_ATOMIC && a.imm === 0xf1 ? { ...a, imm: 0x00 } : a));
        return [
          insn(BPF_ST | BPF_MEM | BPF_W, 10, 0, ks, k),
          insn(BPF_ALU64 | 0xb0 | BPF_X, 2, 10), insn(BPF_ALU64 | 0x00 | BPF_K, 2, 0, 0, ks),
          ...mapRef(1, m),
          insn(BPF_JMP | 0x80, 0, 0, 0, 1), // map_lookup_elem
          insn(BPF_JMP | 0x10 | BPF_K, 0, 0, body.length, 0), // if r0 == 0 skip the accesses
          ...body,
          ...re,
        ];
      }),
    );
  const update = fc.tuple(fc.integer({ min: 0, max: 1 }), keySlot, key, fc.integer({ min: 0, max: 2 }), arbReinitArgs).chain(([m, ks, k, flags, re]) =>
    valSlot(GENERATED_MAPS[m].valueSize).map((vs) => [
      insn(BPF_ST | BPF_MEM | BPF_W, 10, 0, ks, k),
      ...mapRef(1, m),
      insn(BPF_ALU64 | 0xb0 | BPF_X, 2, 10), insn(BPF_ALU64 | 0x00 | BPF_K, 2, 0, 0, ks),
      insn(BPF_ALU64 | 0xb0 | BPF_X, 3, 10), insn(BPF_ALU64 | 0x00 | BPF_K, 3, 0, 0, vs),
      insn(BPF_ALU64 | 0xb0 | BPF_K, 4, 0, 0, flags),
      insn(BPF_JMP | 0x80, 0, 0, 0, 2), // map_update_elem
      ...re,
    ]),
  );
  const del = fc.tuple(keySlot, key, arbReinitArgs).map(([ks, k, re]) => [
    insn(BPF_ST | BPF_MEM | BPF_W, 10, 0, ks, k),
    ...mapRef(1, 1),
    insn(BPF_ALU64 | 0xb0 | BPF_X, 2, 10), insn(BPF_ALU64 | 0x00 | BPF_K, 2, 0, 0, ks),
    insn(BPF_JMP | 0x80, 0, 0, 0, 3), // map_delete_elem
    ...re,
  ]);
  // LD_IMM64 src=2: a pointer straight to the array's values (+ offset), then accesses through it.
  const direct = fc.tuple(fc.constantFrom(...dsts.filter((r) => r !== 0)), fc.integer({ min: 0, max: 3 }))
    .chain(([r, entry]) =>
      fc.array(access(r, 16, srcs), { minLength: 1, maxLength: 2 }).map((acc) => [
        insn(0x18, r, 2, 0, 0), insn(0, 0, 0, 0, entry * 16),
        ...acc.map((a) => ((a.opcode & 0xe0) === BPF_ATOMIC && a.imm === 0xf1 ? { ...a, imm: 0x00 } : a)),
      ]),
    );
  return fc.oneof({ weight: 3, arbitrary: lookup }, { weight: 2, arbitrary: update }, { weight: 1, arbitrary: del }, { weight: 2, arbitrary: direct });
}

/** After a call R1–R5 are undefined: give them fresh values (any edge value). */
const arbReinitArgs: fc.Arbitrary<Insn[]> = fc.tuple(...[1, 2, 3, 4, 5].map((r) => arbSetReg(r))).map((xs) => xs.flat());

function arbCall(c: Ctx): fc.Arbitrary<Item[]> | undefined {
  const opts: fc.Arbitrary<Item[]>[] = [];
  if (c.o.helpers) opts.push(fc.tuple(fc.constantFrom(...GENERATED_HELPERS), arbReinitArgs).map(([id, re]) => [insn(BPF_JMP | 0x80, 0, 0, 0, id), ...re]));
  if (c.f < c.m) {
    opts.push(fc.tuple(fc.integer({ min: c.f + 1, max: c.m }), arbReinitArgs).map(([g, re]) => [{ call: g } as Item, ...re]));
  }
  return opts.length === 0 ? undefined : fc.oneof(...opts);
}

function arbJump(c: Ctx, srcs: readonly number[]): fc.Arbitrary<Jump> {
  const skip = fc.integer({ min: 0, max: 3 });
  const cond = fc.tuple(fc.constantFrom(BPF_JMP, BPF_JMP32), fc.constantFrom(...JMP_OPS), fc.constantFrom(...srcs), fc.constantFrom(...srcs), arbImm32, fc.boolean(), skip)
    .map(([cl, op, d, s, imm, x, k]) => ({ jump: x ? insn(cl | op | BPF_X, d, s, 0, 0) : insn(cl | op | BPF_K, d, 0, 0, imm), skip: k }));
  const ja = skip.map((k) => ({ jump: insn(BPF_JMP | 0x00), skip: k }));
  const gotol = skip.map((k) => ({ jump: insn(BPF_JMP32 | 0x00), skip: k }));
  return fc.oneof({ weight: 6, arbitrary: cond }, { weight: 1, arbitrary: ja }, ...(c.o.v4 ? [{ weight: 1, arbitrary: gotol }] : []));
}

function arbSnippet(c: Ctx): fc.Arbitrary<Snippet> {
  const dsts = c.isMain ? [0, 1, 2, 3, 4, 5, 6, 7, 8] : [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const srcs = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].filter((r) => !(c.isMain && r === CTX_REG));
  const kinds: { weight: number; arbitrary: fc.Arbitrary<Item[]> }[] = [
    { weight: 8, arbitrary: arbAlu(c, dsts, srcs) },
    { weight: 3, arbitrary: arbStack(c, dsts, srcs) },
  ];
  if (c.isMain && c.memLen > 0) kinds.push({ weight: 2, arbitrary: arbCtx(c, dsts, srcs) });
  const call = arbCall(c);
  if (call) kinds.push({ weight: 1, arbitrary: call });
  if (c.o.maps && c.o.helpers) kinds.push({ weight: 1, arbitrary: arbMapOps(c, dsts, srcs) });
  const body = fc.array(fc.oneof(...kinds), { minLength: 1, maxLength: 4 }).map((xs) => xs.flat());
  return fc.record({ body, jump: fc.option(arbJump(c, srcs), { nil: undefined, freq: 2 }) });
}

function arbFunc(c: Ctx): fc.Arbitrary<Func> {
  const setRegs = c.isMain ? [0, 1, 2, 3, 4, 5, 6, 7, 8] : [0, 6, 7, 8, 9];
  const pre = fc.tuple(fc.tuple(...setRegs.map(arbSetReg)), fc.array(arbImm32, { minLength: WINDOW / 8, maxLength: WINDOW / 8 })).map(([sets, win]) => [
    ...(c.isMain ? [insn(BPF_ALU64 | 0xb0 | BPF_X, CTX_REG, 1)] : []),
    ...sets.flat(),
    ...win.map((imm, k) => insn(BPF_ST | BPF_MEM | BPF_DW, 10, 0, -8 * (k + 1), imm)),
  ]);
  const foldRegs = c.isMain ? [1, 2, 3, 4, 5, 6, 7, 8] : [1, 2, 3, 4, 5, 6, 7, 8, 9];
  // Fold registers into R0 before EXIT so more results are observable: either some of them with 64- or
  // 32-bit ops (leaving other upper halves dead, which hi32 randomisation needs), or all of them through a
  // multiplicative hash (every bit of every register reaches R0).
  const some = fc.array(fc.tuple(fc.constantFrom(0xaf, 0x0f, 0xac, 0xbc), fc.constantFrom(...foldRegs)), { maxLength: 4 })
    .map((xs) => xs.map(([op, r]) => insn(op, 0, r)));
  const all = fc.constant(foldRegs.flatMap((r) => [insn(BPF_ALU64 | 0xa0 | BPF_X, 0, r), insn(BPF_ALU64 | 0x20 | BPF_K, 0, 0, 0, 0x9e3779b1 | 0)]));
  const epi = fc.oneof(some, all).map((xs) => [...xs, insn(BPF_JMP | 0x90)]);
  const max = c.isMain ? c.o.maxSnippets : c.o.maxSubSnippets;
  return fc.record({ pre, snippets: fc.array(arbSnippet(c), { minLength: 1, maxLength: max }), epi });
}

/** Lay functions out (main first) and resolve jumps (to snippet starts) and calls (to function starts). */
function assemble(funcs: readonly Func[]): Insn[] {
  const sizeOf = (s: Snippet): number => s.body.length + (s.jump ? 1 : 0);
  const funcStart: number[] = [];
  let at = 0;
  for (const f of funcs) {
    funcStart.push(at);
    at += f.pre.length + f.snippets.reduce((a, s) => a + sizeOf(s), 0) + f.epi.length;
  }
  const out: Insn[] = [];
  funcs.forEach((f, fi) => {
    out.push(...f.pre);
    const starts: number[] = [];
    let pos = funcStart[fi] + f.pre.length;
    for (const s of f.snippets) {
      starts.push(pos);
      pos += sizeOf(s);
    }
    starts.push(pos); // epilogue
    f.snippets.forEach((s, si) => {
      for (const it of s.body) {
        if ("call" in it) out.push(insn(BPF_JMP | 0x80, 0, 1, 0, funcStart[it.call] - out.length - 1));
        else out.push(it);
      }
      if (s.jump) {
        const target = starts[Math.min(si + 1 + s.jump.skip, f.snippets.length)];
        const rel = target - out.length - 1;
        const j = s.jump.jump;
        out.push(j.opcode === (BPF_JMP32 | 0x00) ? { ...j, imm: rel } : { ...j, off: rel });
      }
    });
    out.push(...f.epi);
  });
  return out;
}

/** A random valid, terminating program and its context buffer. */
export function arbValidProgram(opts: ProgramOptions = {}): fc.Arbitrary<GeneratedProgram> {
  const o: Required<ProgramOptions> = {
    maxSnippets: opts.maxSnippets ?? 12,
    maxSubSnippets: opts.maxSubSnippets ?? 5,
    maxSubprograms: opts.maxSubprograms ?? 2,
    helpers: opts.helpers ?? true,
    v4: opts.v4 ?? true,
    atomics: opts.atomics ?? true,
    maxMem: opts.maxMem ?? 32,
    maps: opts.maps ?? true,
  };
  return fc
    .tuple(fc.integer({ min: 0, max: o.maxSubprograms }), fc.integer({ min: 0, max: o.maxMem / 8 }).map((k) => k * 8))
    .chain(([m, memLen]) =>
      fc.tuple(
        fc.tuple(...Array.from({ length: m + 1 }, (_, f) => arbFunc({ isMain: f === 0, f, m, memLen, o }))),
        fc.uint8Array({ minLength: memLen, maxLength: memLen }),
      ),
    )
    .map(([funcs, mem]) => ({ program: assemble(funcs), mem, maps: o.maps && o.helpers ? GENERATED_MAPS : [] }));
}

