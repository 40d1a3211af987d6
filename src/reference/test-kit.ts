// Test-only builders for hand-made programs (used by src/reference/*.test.ts until and besides the
// assembler): one function per instruction shape, named after the bpf_conformance mnemonics. Not part of
// the public API; owns nothing the interpreter depends on.
import type { Insn, Program } from "../ebpf/insn";
import { insn } from "../ebpf/insn";
import { defaultLayout } from "../ebpf/layout";
import type { MemoryLayout } from "../ebpf/layout";
import type { ReferenceOptions, ReferenceResult } from "./interpreter";
import { runReference } from "./interpreter";

export const LE64 = defaultLayout(64, true);
export const BE64 = defaultLayout(64, false);
export const LE32 = defaultLayout(32, true);
export const BE32 = defaultLayout(32, false);
export const LAYOUTS: readonly [string, MemoryLayout][] = [["le64", LE64], ["be64", BE64], ["le32", LE32], ["be32", BE32]];

const ALU: Record<string, number> = {
  add: 0x00, sub: 0x10, mul: 0x20, div: 0x30, or: 0x40, and: 0x50, lsh: 0x60, rsh: 0x70, neg: 0x80,
  mod: 0x90, xor: 0xa0, mov: 0xb0, arsh: 0xc0, sdiv: 0x30, smod: 0x90,
};
const signedOp = (op: string): number => (op === "sdiv" || op === "smod" ? 1 : 0);
const JMP: Record<string, number> = {
  jeq: 0x10, jgt: 0x20, jge: 0x30, jset: 0x40, jne: 0x50, jsgt: 0x60, jsge: 0x70, jlt: 0xa0, jle: 0xb0,
  jslt: 0xc0, jsle: 0xd0,
};

/** ALU64 with imm: alu64("add", 0, 5) = add %r0, 5. */
export const alu64 = (op: string, d: number, imm: number): Insn => insn(0x07 | ALU[op], d, 0, signedOp(op), imm);
export const alu64r = (op: string, d: number, s: number): Insn => insn(0x0f | ALU[op], d, s, signedOp(op), 0);
export const alu32 = (op: string, d: number, imm: number): Insn => insn(0x04 | ALU[op], d, 0, signedOp(op), imm);
export const alu32r = (op: string, d: number, s: number): Insn => insn(0x0c | ALU[op], d, s, signedOp(op), 0);
export const neg64 = (d: number): Insn => insn(0x87, d);
export const neg32 = (d: number): Insn => insn(0x84, d);
export const movsx64 = (d: number, s: number, bits: 8 | 16 | 32): Insn => insn(0xbf, d, s, bits);
export const movsx32 = (d: number, s: number, bits: 8 | 16): Insn => insn(0xbc, d, s, bits);
export const le = (d: number, bits: number): Insn => insn(0xd4, d, 0, 0, bits);
export const be = (d: number, bits: number): Insn => insn(0xdc, d, 0, 0, bits);
export const bswap = (d: number, bits: number): Insn => insn(0xd7, d, 0, 0, bits);
export const mov = (d: number, imm: number): Insn => alu64("mov", d, imm);
export const movr = (d: number, s: number): Insn => alu64r("mov", d, s);
export const exit = (): Insn => insn(0x95);
export const ja = (off: number): Insn => insn(0x05, 0, 0, off);
export const gotol = (imm: number): Insn => insn(0x06, 0, 0, 0, imm);
export const jmp = (op: string, d: number, imm: number, off: number): Insn => insn(0x05 | JMP[op], d, 0, off, imm);
export const jmpr = (op: string, d: number, s: number, off: number): Insn => insn(0x0d | JMP[op], d, s, off);
export const jmp32 = (op: string, d: number, imm: number, off: number): Insn => insn(0x06 | JMP[op], d, 0, off, imm);
export const jmp32r = (op: string, d: number, s: number, off: number): Insn => insn(0x0e | JMP[op], d, s, off);
export const call = (id: number): Insn => insn(0x85, 0, 0, 0, id);
export const callLocal = (rel: number): Insn => insn(0x85, 0, 1, 0, rel);
export const callx = (d: number): Insn => insn(0x8d, d);
const SZ: Record<number, number> = { 1: 0x10, 2: 0x08, 4: 0x00, 8: 0x18 };
export const ldx = (size: 1 | 2 | 4 | 8, d: number, s: number, off: number): Insn => insn(0x61 | SZ[size], d, s, off);
export const ldxs = (size: 1 | 2 | 4, d: number, s: number, off: number): Insn => insn(0x81 | SZ[size], d, s, off);
export const st = (size: 1 | 2 | 4 | 8, d: number, off: number, imm: number): Insn => insn(0x62 | SZ[size], d, 0, off, imm);
export const stx = (size: 1 | 2 | 4 | 8, d: number, off: number, s: number): Insn => insn(0x63 | SZ[size], d, s, off);
export const atomic = (size: 4 | 8, op: number, d: number, off: number, s: number): Insn => insn(size === 4 ? 0xc3 : 0xdb, d, s, off, op);
export const ldabs = (size: 1 | 2 | 4, imm: number): Insn => insn(0x20 | SZ[size], 0, 0, 0, imm);
export const ldind = (size: 1 | 2 | 4, s: number, imm: number): Insn => insn(0x40 | SZ[size], 0, s, 0, imm);

/** lddw %rD, v (two slots); src selects the LD_IMM64 kind (§2.4) with imm/nextImm as given. */
export function lddw(d: number, v: bigint): Insn[] {
  const u = BigInt.asUintN(64, v);
  return [insn(0x18, d, 0, 0, Number(u & 0xffffffffn)), insn(0, 0, 0, 0, Number(u >> 32n))];
}
export const lddwSrc = (d: number, src: number, imm: number, nextImm = 0): Insn[] => [insn(0x18, d, src, 0, imm), insn(0, 0, 0, 0, nextImm)];

/** Load a 64-bit constant into d, apply body, exit: the common "compute r0" shape. */
export function prog(...parts: (Insn | Insn[])[]): Program {
  return parts.flat();
}

export function run(p: Program, opts: Partial<ReferenceOptions> = {}): ReferenceResult {
  return runReference(p, { layout: LE64, mem: new Uint8Array(0), ...opts });
}

/** Run and return R0 of a normal exit; throws (failing the test) on any other outcome. */
export function r0Of(p: Program, opts: Partial<ReferenceOptions> = {}): bigint {
  const res = run(p, opts);
  if (res.kind !== "exit") throw new Error(`expected exit, got ${res.kind}: ${res.message}`);
  return res.r0;
}

export const u64 = (x: bigint): bigint => BigInt.asUintN(64, x);
