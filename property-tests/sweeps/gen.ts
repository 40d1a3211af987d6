// Exhaustive sweep families (issue 4 §4; test_bpf's designs, reference/anchors.md §1.3): every ALU, ALU32,
// JMP and JMP32 operation over operand magnitudes sign·2^n+δ (every n, δ ∈ −2…2), every shift amount (K and
// X, including out-of-range register amounts), and every register pair including dst == src. Many checks
// are packed into one self-checking program: load the operands with LD_IMM64, do the operation, compare with
// the expected value computed on the host by the reference's own semantics (src/reference/semantics.ts)
// and, on a mismatch, exit with the case's distinct number. The harness also runs the reference on the same
// program, so a wrong expectation shows as a reference failure, not as a silent pass. Owns the generators
// only; the suites that run them are the *.test.ts files beside this one.
import type { Insn, Program } from "../../src/ebpf/insn";
import {
  BPF_ADD, BPF_ALU, BPF_ALU64, BPF_AND, BPF_ARSH, BPF_DIV, BPF_END, BPF_EXIT, BPF_JA, BPF_JEQ, BPF_JGE, BPF_JGT,
  BPF_JLE, BPF_JLT, BPF_JMP, BPF_JMP32, BPF_JNE, BPF_JSET, BPF_JSGE, BPF_JSGT, BPF_JSLE, BPF_JSLT, BPF_K, BPF_LSH,
  BPF_MOD, BPF_MOV, BPF_MUL, BPF_NEG, BPF_OR, BPF_RSH, BPF_SUB, BPF_TO_BE, BPF_X, BPF_XOR, insn, LD_IMM64_OPCODE,
} from "../../src/ebpf/insn";
import { alu32Fn, alu64Fn, bswap, endConvert, jmp32Cond, jmp64Cond } from "../../src/reference/semantics";

const U64 = (x: bigint): bigint => BigInt.asUintN(64, x);

/** One generated program with its checks: case k (1-based) exits with R0 = k when it fails. */
export interface SweepProgram {
  readonly name: string;
  readonly program: Program;
  readonly cases: number;
  /** R0 when every check passed. */
  readonly success: bigint;
  /** What case k checked (for failure messages). */
  describe(k: number): string;
}

export const SUCCESS_BASE = 0x5eed_0000n;

export interface AluOp {
  readonly name: string;
  readonly code: number;
  readonly off: number;
}

export const ALU_OPS: readonly AluOp[] = [
  { name: "add", code: BPF_ADD, off: 0 }, { name: "sub", code: BPF_SUB, off: 0 }, { name: "mul", code: BPF_MUL, off: 0 },
  { name: "div", code: BPF_DIV, off: 0 }, { name: "sdiv", code: BPF_DIV, off: 1 }, { name: "mod", code: BPF_MOD, off: 0 },
  { name: "smod", code: BPF_MOD, off: 1 }, { name: "or", code: BPF_OR, off: 0 }, { name: "and", code: BPF_AND, off: 0 },
  { name: "xor", code: BPF_XOR, off: 0 }, { name: "lsh", code: BPF_LSH, off: 0 }, { name: "rsh", code: BPF_RSH, off: 0 },
  { name: "arsh", code: BPF_ARSH, off: 0 }, { name: "mov", code: BPF_MOV, off: 0 },
  { name: "movsx8", code: BPF_MOV, off: 8 }, { name: "movsx16", code: BPF_MOV, off: 16 }, { name: "movsx32", code: BPF_MOV, off: 32 },
];

export const SHIFT_OPS = ALU_OPS.filter((o) => o.code === BPF_LSH || o.code === BPF_RSH || o.code === BPF_ARSH);

export interface JmpOp {
  readonly name: string;
  readonly code: number;
}

export const JMP_OPS: readonly JmpOp[] = [
  { name: "jeq", code: BPF_JEQ }, { name: "jne", code: BPF_JNE }, { name: "jgt", code: BPF_JGT }, { name: "jge", code: BPF_JGE },
  { name: "jlt", code: BPF_JLT }, { name: "jle", code: BPF_JLE }, { name: "jset", code: BPF_JSET }, { name: "jsgt", code: BPF_JSGT },
  { name: "jsge", code: BPF_JSGE }, { name: "jslt", code: BPF_JSLT }, { name: "jsle", code: BPF_JSLE },
];

/** sign·2^n + δ for n in [0, bits), δ ∈ −2…2, sign ∈ {+, −}, as unsigned `bits`-bit values (test_bpf pattern). */
export function magnitudes(bits: 32 | 64, n: number, delta: number, negative: boolean): bigint {
  const v = (1n << BigInt(n)) + BigInt(delta);
  return BigInt.asUintN(bits, negative ? -v : v);
}

const DELTAS = [-2, -1, 0, 1, 2];
const SIGNS = [false, true];

const SIGN_PAIRS: readonly [boolean, boolean][] = [[false, false], [false, true], [true, false], [true, true]];

/**
 * Operand pairs over the magnitudes sign·2^n+δ (test_bpf's two patterns, reference/anchors.md §1.3).
 * Full (density "full"): pattern 2 — equal n, every δ pair, every sign pair (100 per n) — and pattern 1 —
 * every n × m with δ = 0 and every sign pair. Thinned (the default, so `npm test` stays fast on every
 * target): per n every δ of the first operand, each with a rotating δ and a rotating sign pair for the
 * second (5 per n: every n, every δ and every sign on both sides still occurs), plus two rotating m ≠ n
 * for pattern 1.
 */
export function operandPairs(bitsA: 32 | 64, bitsB: 32 | 64, density: "thin" | "full" = "thin"): [bigint, bigint][] {
  const out: [bigint, bigint][] = [];
  const nb = Math.min(bitsA, bitsB);
  for (let n = 0; n < nb; n++) {
    if (density === "full") {
      for (const da of DELTAS) for (const db of DELTAS) for (const [sa, sb] of SIGN_PAIRS) out.push([magnitudes(bitsA, n, da, sa), magnitudes(bitsB, n, db, sb)]);
      continue;
    }
    for (let i = 0; i < DELTAS.length; i++) {
      const db = DELTAS[(i + n) % DELTAS.length]!;
      const [sa, sb] = SIGN_PAIRS[(i + n) % 4]!;
      out.push([magnitudes(bitsA, n, DELTAS[i]!, sa), magnitudes(bitsB, n, db, sb)]);
    }
  }
  for (let n = 0; n < bitsA; n++) {
    if (density === "full") {
      for (let m = 0; m < bitsB; m++) if (m !== n) for (const [sa, sb] of SIGN_PAIRS) out.push([magnitudes(bitsA, n, 0, sa), magnitudes(bitsB, m, 0, sb)]);
      continue;
    }
    for (let j = 0; j < 2; j++) {
      const m = (n + 1 + 7 * j) % bitsB;
      if (m === n) continue;
      const [sa, sb] = SIGN_PAIRS[(n + j) % 4]!;
      out.push([magnitudes(bitsA, n, 0, sa), magnitudes(bitsB, m, 0, sb)]);
    }
  }
  return out;
}

// ───────────── instruction builders ─────────────

function lddw(dst: number, v: bigint, out: Insn[]): void {
  const u = U64(v);
  out.push(insn(LD_IMM64_OPCODE, dst, 0, 0, Number(BigInt.asIntN(32, u))), insn(0, 0, 0, 0, Number(BigInt.asIntN(32, u >> 32n))));
}

/** Fail check: if reg != expected (all 64 bits, via tmp) exit with R0 = k. */
function checkEq(reg: number, tmp: number, expected: bigint, k: number, out: Insn[]): void {
  lddw(tmp, expected, out);
  out.push(insn(BPF_JMP | BPF_JEQ | BPF_X, reg, tmp, 2, 0));
  out.push(insn(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, k));
  out.push(insn(BPF_JMP | BPF_EXIT));
}

function finish(out: Insn[], cases: number): bigint {
  const success = SUCCESS_BASE + BigInt(cases);
  out.push(insn(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, Number(success)));
  out.push(insn(BPF_JMP | BPF_EXIT));
  return success;
}

const hex = (v: bigint): string => "0x" + U64(v).toString(16);
const s32 = (v: bigint): number => Number(BigInt.asIntN(32, v));

/** A scratch register different from every register in `used` (R1–R9; R0 carries the failure code). */
function scratch(used: readonly number[]): number {
  for (let r = 9; r >= 1; r--) if (!used.includes(r)) return r;
  throw new Error("no scratch register");
}

// ───────────── ALU families ─────────────

export interface AluSweep {
  readonly op: AluOp;
  readonly wide: boolean;
  readonly src: "K" | "X";
}

function aluFn(s: AluSweep): (a: bigint, b: bigint) => bigint {
  const f = s.wide ? alu64Fn(s.op.code, s.op.off) : alu32Fn(s.op.code, s.op.off);
  if (!f) throw new Error(`no semantics for ${s.op.name}`);
  return f;
}

const aluName = (s: AluSweep): string => `${s.op.name}${s.wide ? "" : "32"}-${s.src === "K" ? "imm" : "reg"}`;

/** Cases of one ALU operation over explicit operand pairs (b: the register value, or the imm as u32). */
export function aluProgram(s: AluSweep, pairs: readonly [bigint, bigint][], regs: { dst: number; src: number } = { dst: 1, src: 2 }, label = "magnitudes"): SweepProgram {
  const f = aluFn(s);
  const out: Insn[] = [];
  const cls = s.wide ? BPF_ALU64 : BPF_ALU;
  const { dst, src } = regs;
  const tmp = scratch([dst, src]);
  const descr: string[] = [];
  // DIV/MOD by a zero immediate is refused by every verifier (RFC 9669 §2.1 keeps the register form).
  if (s.src === "K" && (s.op.code === BPF_DIV || s.op.code === BPF_MOD)) pairs = pairs.filter(([, b]) => s32(b) !== 0);
  pairs.forEach(([a, b], i) => {
    const k = i + 1;
    if (s.src === "K") {
      const imm = s32(b);
      // The K operand of ALU64 is the sign-extended imm; of ALU32 its 32 bits (RFC 9669 §2.1).
      const bv = s.wide ? U64(BigInt(imm)) : BigInt(imm >>> 0);
      lddw(dst, a, out);
      out.push(insn(cls | s.op.code | BPF_K, dst, 0, s.op.off, imm));
      checkEq(dst, tmp, f(a, bv), k, out);
      descr.push(`${aluName(s)} r${dst}=${hex(a)}, imm=${imm}`);
    } else {
      const av = dst === src ? b : a;
      lddw(dst, av, out);
      if (dst !== src) lddw(src, b, out);
      out.push(insn(cls | s.op.code | BPF_X, dst, src, s.op.off, 0));
      checkEq(dst, tmp, f(av, b), k, out);
      // The source register is an input only: it must survive (a clobbered pair half shows here). Checked
      // on every 8th case here and on every case of the register-pair family.
      if (dst !== src && k % 8 === 0) checkEq(src, tmp, b, k, out);
      descr.push(`${aluName(s)} r${dst}=${hex(av)}, r${src}=${hex(b)}`);
    }
  });
  const success = finish(out, pairs.length);
  return { name: `${aluName(s)} ${label} r${dst},r${src}`, program: out, cases: pairs.length, success, describe: (k) => descr[k - 1] ?? `case ${k}` };
}

/** Shifts: every amount 0…63 / 0…31 on 4 operands covering each hi/lo sign combination; X adds out-of-range amounts. */
export const SHIFT_OPERANDS: readonly bigint[] = [0x0123456789abcdefn, 0xfedcba9876543210n, 0x80000000_7fffffffn, 0x7fffffff_80000001n];

export function shiftProgram(s: AluSweep): SweepProgram {
  const width = s.wide ? 64 : 32;
  const amounts: bigint[] = [];
  for (let n = 0; n < width; n++) amounts.push(BigInt(n));
  if (s.src === "X") {
    // Register amounts beyond the width are masked (RFC 9669 §2.1 "Shifts"); the upper half must not matter.
    for (const x of [width, width + 1, 2 * width - 1, 2 * width, 255, 0xffffffffn, 0x1_0000_0003n, 0x8000_0000_0000_0000n + 5n, -1n]) amounts.push(BigInt(x));
  }
  const pairs: [bigint, bigint][] = [];
  for (const v of SHIFT_OPERANDS) for (const a of amounts) pairs.push([v, U64(a)]);
  return aluProgram(s, pairs, { dst: 3, src: 4 }, "all shift amounts");
}

/** Every (dst, src) register pair R0…R9 incl. dst == src, two operand pairs each, both halves checked. */
export function registerPairsProgram(s: AluSweep): SweepProgram {
  const out: Insn[] = [];
  const f = aluFn(s);
  const cls = s.wide ? BPF_ALU64 : BPF_ALU;
  const descr: string[] = [];
  const values: [bigint, bigint][] = [[0x89abcdef_fedcba98n, 0x00000003_80000005n], [0xffffffff_00000007n, 0x7fffffff_fffffffdn]];
  let k = 0;
  for (let dst = 0; dst <= 9; dst++) {
    for (let src = 0; src <= 9; src++) {
      for (const [a, b] of values) {
        k++;
        const tmp = scratch([dst, src, 0].filter((r, i, arr) => arr.indexOf(r) === i));
        const av = dst === src ? b : a;
        lddw(dst, av, out);
        if (dst !== src) lddw(src, b, out);
        out.push(insn(cls | s.op.code | BPF_X, dst, src, s.op.off, 0));
        const exp = f(av, b);
        // R0 is the failure code register: when dst is R0, compare before writing it.
        lddw(tmp, exp, out);
        out.push(insn(BPF_JMP | BPF_JEQ | BPF_X, dst, tmp, 2, 0));
        out.push(insn(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, k));
        out.push(insn(BPF_JMP | BPF_EXIT));
        if (dst !== src) {
          lddw(tmp, b, out);
          out.push(insn(BPF_JMP | BPF_JEQ | BPF_X, src, tmp, 2, 0));
          out.push(insn(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, k));
          out.push(insn(BPF_JMP | BPF_EXIT));
        }
        descr.push(`${aluName(s)} r${dst}=${hex(av)}, r${src}=${hex(b)}`);
      }
    }
  }
  const success = finish(out, k);
  return { name: `${aluName(s)} register pairs`, program: out, cases: k, success, describe: (i) => descr[i - 1] ?? `case ${i}` };
}

/** NEG and the byte-order instructions on every magnitude (unary: one operand). */
export interface UnarySweep {
  readonly name: string;
  readonly build: (dst: number) => Insn;
  readonly fn: (a: bigint, hostLittleEndian: boolean) => bigint;
  /** The result depends on the target's byte order (END): the program is generated per byte order. */
  readonly byteOrder: boolean;
}

export const UNARY_OPS: readonly UnarySweep[] = [
  { name: "neg", build: (d) => insn(BPF_ALU64 | BPF_NEG, d), fn: (a) => U64(-a), byteOrder: false },
  { name: "neg32", build: (d) => insn(BPF_ALU | BPF_NEG, d), fn: (a) => BigInt.asUintN(32, -a), byteOrder: false },
  ...([16, 32, 64] as const).flatMap((bits) => [
    { name: `le${bits}`, build: (d: number) => insn(BPF_ALU | BPF_END, d, 0, 0, bits), fn: (a: bigint, le: boolean) => endConvert(a, bits, false, le), byteOrder: true },
    { name: `be${bits}`, build: (d: number) => insn(BPF_ALU | BPF_END | BPF_TO_BE, d, 0, 0, bits), fn: (a: bigint, le: boolean) => endConvert(a, bits, true, le), byteOrder: true },
    { name: `bswap${bits}`, build: (d: number) => insn(BPF_ALU64 | BPF_END, d, 0, 0, bits), fn: (a: bigint) => bswap(a, bits), byteOrder: false },
  ]),
];

export function unaryProgram(u: UnarySweep, littleEndian: boolean): SweepProgram {
  const out: Insn[] = [];
  const descr: string[] = [];
  let k = 0;
  for (let dst = 1; dst <= 9; dst++) {
    for (let n = 0; n < 64; n++) for (const d of DELTAS) for (const neg of SIGNS) {
      if ((n + d + dst) % 9 !== 0 && dst !== 1) continue; // every register sees a spread of values; R1 sees all
      k++;
      const a = magnitudes(64, n, d, neg) ^ (BigInt(k) << 40n);
      lddw(dst, a, out);
      out.push(u.build(dst));
      checkEq(dst, scratch([dst]), u.fn(a, littleEndian), k, out);
      descr.push(`${u.name} r${dst}=${hex(a)}`);
    }
  }
  const success = finish(out, k);
  return { name: `${u.name} magnitudes`, program: out, cases: k, success, describe: (i) => descr[i - 1] ?? `case ${i}` };
}

// ───────────── JMP / JMP32 families ─────────────

export interface JmpSweep {
  readonly op: JmpOp;
  readonly wide: boolean;
  readonly src: "K" | "X";
}

const jmpName = (s: JmpSweep): string => `${s.op.name}${s.wide ? "" : "32"}-${s.src === "K" ? "imm" : "reg"}`;

/**
 * Branch cases: the expected outcome is computed on the host; a taken branch lands on the failure exit when
 * it should not have been taken and vice versa. The compared registers must be unchanged afterwards.
 */
export function jmpProgram(s: JmpSweep, pairs: readonly [bigint, bigint][], regs: { dst: number; src: number } = { dst: 6, src: 7 }): SweepProgram {
  const cond = s.wide ? jmp64Cond(s.op.code) : jmp32Cond(s.op.code);
  if (!cond) throw new Error(`no condition ${s.op.name}`);
  const cls = s.wide ? BPF_JMP : BPF_JMP32;
  const { dst, src } = regs;
  const tmp = scratch([dst, src]);
  const out: Insn[] = [];
  const descr: string[] = [];
  pairs.forEach(([a, b], i) => {
    const k = i + 1;
    let bv: bigint;
    let j: Insn;
    if (s.src === "K") {
      const imm = s32(b);
      // JMP's K is the sign-extended imm; JMP32 compares with its 32 bits (RFC 9669 §2.3).
      bv = s.wide ? U64(BigInt(imm)) : BigInt(imm >>> 0);
      lddw(dst, a, out);
      j = insn(cls | s.op.code | BPF_K, dst, 0, 0, imm);
      descr.push(`${jmpName(s)} r${dst}=${hex(a)}, imm=${imm}`);
    } else {
      bv = b;
      lddw(dst, a, out);
      lddw(src, b, out);
      j = insn(cls | s.op.code | BPF_X, dst, src, 0, 0);
      descr.push(`${jmpName(s)} r${dst}=${hex(a)}, r${src}=${hex(b)}`);
    }
    const taken = cond(a, bv);
    if (taken) {
      // [j +2] [mov r0,k] [exit] — falling through is the failure.
      out.push({ ...j, off: 2 }, insn(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, k), insn(BPF_JMP | BPF_EXIT));
    } else {
      // [j +1] [ja +2] [mov r0,k] [exit] — taking the branch is the failure.
      out.push({ ...j, off: 1 }, insn(BPF_JMP | BPF_JA, 0, 0, 2, 0), insn(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, k), insn(BPF_JMP | BPF_EXIT));
    }
    // Compares never modify their operands (RFC 9669 §2.3); checked on every 4th case.
    if (k % 4 === 0) {
      checkEq(dst, tmp, a, k, out);
      if (s.src === "X") checkEq(src, tmp, b, k, out);
    }
  });
  const success = finish(out, pairs.length);
  return { name: `${jmpName(s)} magnitudes`, program: out, cases: pairs.length, success, describe: (k) => descr[k - 1] ?? `case ${k}` };
}

/** The standard family list for one byte order (END results depend on it). */
export function allFamilies(littleEndian: boolean, density: "thin" | "full" = "thin"): SweepProgram[] {
  const out: SweepProgram[] = [];
  for (const wide of [true, false]) {
    const bits = wide ? 64 : 32;
    for (const op of ALU_OPS) {
      if (!wide && op.name === "movsx32") continue; // MOVSX32 exists only in ALU64 (RFC 9669 §2.1)
      const isShift = SHIFT_OPS.includes(op);
      for (const src of ["K", "X"] as const) {
        if (op.off !== 0 && op.code === BPF_MOV && src === "K") continue; // MOVSX has no K form
        const s: AluSweep = { op, wide, src };
        if (isShift) {
          out.push(shiftProgram(s));
        } else {
          out.push(aluProgram(s, operandPairs(bits, src === "K" ? 32 : bits, density)));
        }
        if (src === "X") out.push(registerPairsProgram(s));
      }
    }
    for (const op of JMP_OPS) for (const src of ["K", "X"] as const) out.push(jmpProgram({ op, wide, src }, operandPairs(bits, src === "K" ? 32 : bits, density)));
  }
  for (const u of UNARY_OPS) out.push(unaryProgram(u, littleEndian));
  return out;
}
