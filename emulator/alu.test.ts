// Semantics of every ALU, shift, multiply/divide and bit-field row, on 32- and 64-bit levels, against
// independent BigInt oracles written from the Vol. II operation pseudocode (not from the emulator's code).
// Operands: edge values (0, ±1, 2^n ± 1 for both widths) crossed with seeded random values. On 64-bit
// levels, operands of 32-bit operations are kept sign-extended (otherwise the word32 trip-wire fires,
// which tripwires.test.ts checks).
import { describe, expect, it } from "vitest";
import type { IsaLevel } from "../src/mips/index";
import { edgeValues, endedAtBreak, i32, i64, prng, rig, sx32, u32, u64, type Rig } from "./test-util";

const SEED = 0x5eed_a1b2_c3d4_e5f6n;
const RS = 4, RT = 5, RD = 2;

type Oracle = (a: bigint, b: bigint, old: bigint) => bigint | "Ov";

function operands(n: number, word32: boolean): [bigint, bigint][] {
  const r = prng(SEED);
  const edges = edgeValues();
  const norm = (x: bigint): bigint => (word32 ? sx32(x) : x);
  const out: [bigint, bigint][] = [];
  for (const a of edges) for (const b of [0n, 1n, 31n, 32n, 0x8000_0000n, u64(-1n), u64(-0x8000_0000n)]) out.push([norm(a), norm(b)]);
  for (let i = 0; i < n; i++) out.push([norm(r()), norm(r() >> (r() & 63n))]);
  return out;
}

/** Run `asm` with rs = a, rt = b, rd = old; compare rd (or dest) with the oracle. */
function checkBinary(rg: Rig, asm: string, o: Oracle, word32: boolean, dest = RD): void {
  rg.load([asm]);
  const is64 = rg.m.is64;
  for (const [a0, b0] of operands(150, word32 || !is64)) {
    const a = is64 ? a0 : sx32(a0), b = is64 ? b0 : sx32(b0);
    const old = 0x1234_5678_9abc_def0n;
    rg.set(RS, a); rg.set(RT, b); if (dest !== RS && dest !== RT) rg.set(dest, is64 ? old : sx32(old));
    const exp = o(a, b, is64 ? old : sx32(old));
    const out = rg.run();
    if (exp === "Ov") {
      expect(out.exception, `${asm} a=${a.toString(16)} b=${b.toString(16)}`).toBe("Ov");
      continue;
    }
    expect(endedAtBreak(out), `${asm}: ${out.kind} ${out.reason}`).toBe(true);
    const got = rg.get(dest);
    const want = is64 ? u64(exp) : u32(exp);
    if (got !== want) expect(`${asm} a=0x${a.toString(16)} b=0x${b.toString(16)} → 0x${got.toString(16)}`).toBe(`… → 0x${want.toString(16)}`);
  }
}

const ovf32 = (x: bigint): boolean => x !== i32(x);
const ovf64 = (x: bigint): boolean => x !== i64(x);
const s32 = (x: bigint): bigint => i32(x);
const s64 = (x: bigint): bigint => i64(x);
const rotr32 = (x: bigint, n: bigint): bigint => sx32((u32(x) >> n) | (u32(x) << (32n - n)));
const rotr64 = (x: bigint, n: bigint): bigint => u64((u64(x) >> n) | (u64(x) << (64n - n)));
const tdiv = (a: bigint, b: bigint): bigint => a / b; // BigInt division truncates toward zero, like MIPS
const tmod = (a: bigint, b: bigint): bigint => a % b;

// 32-bit three-register ops: valid on every level; operands sign-extended
const BIN32: Record<string, Oracle> = {
  "addu $2, $4, $5": (a, b) => sx32(a + b),
  "subu $2, $4, $5": (a, b) => sx32(a - b),
  "add $2, $4, $5": (a, b) => (ovf32(s32(a) + s32(b)) ? "Ov" : sx32(a + b)),
  "sub $2, $4, $5": (a, b) => (ovf32(s32(a) - s32(b)) ? "Ov" : sx32(a - b)),
  "sllv $2, $5, $4": (a, b) => sx32(b << (a & 31n)),
  "srlv $2, $5, $4": (a, b) => sx32(u32(b) >> (a & 31n)),
  "srav $2, $5, $4": (a, b) => sx32(s32(b) >> (a & 31n)),
};
// full-width ops (64-bit on 64-bit levels)
const BINW: Record<string, Oracle> = {
  "and $2, $4, $5": (a, b) => a & b,
  "or $2, $4, $5": (a, b) => a | b,
  "xor $2, $4, $5": (a, b) => a ^ b,
  "nor $2, $4, $5": (a, b) => ~(a | b),
  "slt $2, $4, $5": (a, b) => (s64(a) < s64(b) ? 1n : 0n),
  "sltu $2, $4, $5": (a, b) => (u64(a) < u64(b) ? 1n : 0n),
};
const BIN64: Record<string, Oracle> = {
  "daddu $2, $4, $5": (a, b) => a + b,
  "dsubu $2, $4, $5": (a, b) => a - b,
  "dadd $2, $4, $5": (a, b) => (ovf64(s64(a) + s64(b)) ? "Ov" : a + b),
  "dsub $2, $4, $5": (a, b) => (ovf64(s64(a) - s64(b)) ? "Ov" : a - b),
  "dsllv $2, $5, $4": (a, b) => b << (a & 63n),
  "dsrlv $2, $5, $4": (a, b) => u64(b) >> (a & 63n),
  "dsrav $2, $5, $4": (a, b) => s64(b) >> (a & 63n),
};
const BIN64R2: Record<string, Oracle> = {
  "drotrv $2, $5, $4": (a, b) => rotr64(b, a & 63n),
};
const R2_32: Record<string, Oracle> = {
  "rotrv $2, $5, $4": (a, b) => rotr32(b, a & 31n),
  "wsbh $2, $5": (_a, b) => sx32(((u32(b) >> 8n) & 0x00ff00ffn) | ((u32(b) & 0x00ff00ffn) << 8n)),
  "seb $2, $5": (_a, b) => u64(BigInt.asIntN(8, b)),
  "seh $2, $5": (_a, b) => u64(BigInt.asIntN(16, b)),
};
const PRE_R6_MOVES: Record<string, Oracle> = {
  "movz $2, $4, $5": (a, b, old) => (u64(b) === 0n ? a : old),
  "movn $2, $4, $5": (a, b, old) => (u64(b) !== 0n ? a : old),
};
const R6_32: Record<string, Oracle> = {
  "seleqz $2, $4, $5": (a, b) => (u64(b) === 0n ? a : 0n),
  "selnez $2, $4, $5": (a, b) => (u64(b) !== 0n ? a : 0n),
  "mul $2, $4, $5": (a, b) => sx32(s32(a) * s32(b)),
  "muh $2, $4, $5": (a, b) => sx32((s32(a) * s32(b)) >> 32n),
  "mulu $2, $4, $5": (a, b) => sx32(u32(a) * u32(b)),
  "muhu $2, $4, $5": (a, b) => sx32((u32(a) * u32(b)) >> 32n),
  "lsa $2, $4, $5, 3": (a, b) => sx32((a << 3n) + b),
  "align $2, $4, $5, 1": (a, b) => sx32((u32(b) << 8n) | (u32(a) >> 24n)),
  "bitswap $2, $5": (_a, b) => {
    let r = 0n;
    for (let byte = 0n; byte < 4n; byte++) for (let bit = 0n; bit < 8n; bit++) if ((u32(b) >> (byte * 8n + bit)) & 1n) r |= 1n << (byte * 8n + 7n - bit);
    return sx32(r);
  },
};
const R6_DIV32: Record<string, Oracle> = {
  "div $2, $4, $5": (a, b) => sx32(tdiv(s32(a), s32(b))),
  "mod $2, $4, $5": (a, b) => sx32(tmod(s32(a), s32(b))),
  "divu $2, $4, $5": (a, b) => sx32(u32(a) / u32(b)),
  "modu $2, $4, $5": (a, b) => sx32(u32(a) % u32(b)),
};
const R6_64: Record<string, Oracle> = {
  "dmul $2, $4, $5": (a, b) => s64(a) * s64(b),
  "dmuh $2, $4, $5": (a, b) => (s64(a) * s64(b)) >> 64n,
  "dmulu $2, $4, $5": (a, b) => u64(a) * u64(b),
  "dmuhu $2, $4, $5": (a, b) => (u64(a) * u64(b)) >> 64n,
  "dlsa $2, $4, $5, 2": (a, b) => (a << 2n) + b,
  "dalign $2, $4, $5, 3": (a, b) => (u64(b) << 24n) | (u64(a) >> 40n),
};
const R6_DIV64: Record<string, Oracle> = {
  "ddiv $2, $4, $5": (a, b) => tdiv(s64(a), s64(b)),
  "dmod $2, $4, $5": (a, b) => tmod(s64(a), s64(b)),
  "ddivu $2, $4, $5": (a, b) => u64(a) / u64(b),
  "dmodu $2, $4, $5": (a, b) => u64(a) % u64(b),
};

function suite(level: IsaLevel, table: Record<string, Oracle>, word32: boolean, skipDivZero = false): void {
  for (const [asm, o] of Object.entries(table)) {
    it(`${asm.split(" ")[0]} computes the Vol. II result on ${level} (${asm})`, () => {
      const rg = rig(level);
      const oracle: Oracle = skipDivZero ? (a, b, old) => o(a, b === 0n || u64(b) === 0n ? 1n : b, old) : o;
      if (skipDivZero) {
        // divide by zero / INT_MIN ÷ −1 are UNPREDICTABLE (checked in tripwires.test.ts): use b' ≠ 0 instead
        const orig = rg.set.bind(rg);
        (rg as { set: Rig["set"] }).set = (r, v) => orig(r, r === RT && (rg.m.is64 ? u64(v) === 0n : u32(v) === 0n) ? 1n : r === RT && isMinusOne(v, rg) ? 3n : v);
        const wrapped: Oracle = (a, b, old) => oracle(a, isMinusOne(b, rg) ? 3n : b, old);
        checkBinary(rg, asm, wrapped, word32);
      } else checkBinary(rg, asm, oracle, word32);
    });
  }
}
const isMinusOne = (v: bigint, rg: Rig): boolean => (rg.m.is64 ? u64(v) === u64(-1n) : u32(v) === u32(-1n));

describe("ALU semantics, 32-bit levels", () => {
  suite("mips1", BIN32, true);
  suite("mips32r2", { ...BIN32, ...BINW, ...R2_32, ...PRE_R6_MOVES, "mul $2, $4, $5": (a, b) => sx32(s32(a) * s32(b)) }, true);
  suite("mips32r6", { ...R6_32 }, true);
  suite("mips32r6", R6_DIV32, true, true);
});

describe("ALU semantics, 64-bit levels", () => {
  suite("mips3", { ...BIN32 }, true);
  suite("mips3", { ...BINW, ...BIN64 }, false);
  suite("mips64r2", { ...R2_32 }, true);
  suite("mips64r2", PRE_R6_MOVES, false);
  suite("mips64r2", BIN64R2, false);
  suite("mips64r6", { ...R6_32 }, true);
  suite("mips64r6", R6_DIV32, true, true);
  suite("mips64r6", R6_64, false);
  suite("mips64r6", R6_DIV64, false, true);
});

// ---- shifts by a constant and immediates ----
type Unary = (a: bigint) => bigint | "Ov";
function checkUnary(level: IsaLevel, asm: string, o: Unary, word32: boolean, dest = RD, src = RS): void {
  const rg = rig(level);
  rg.load([asm]);
  for (const [a0] of operands(100, word32 || !rg.m.is64)) {
    const a = rg.m.is64 ? a0 : sx32(a0);
    rg.set(src, a);
    if (dest !== src) rg.set(dest, 0x0bad_f00dn);
    const exp = o(a);
    const out = rg.run();
    if (exp === "Ov") { expect(out.exception).toBe("Ov"); continue; }
    expect(endedAtBreak(out), `${asm}: ${out.reason}`).toBe(true);
    const want = rg.m.is64 ? u64(exp) : u32(exp);
    const got = rg.get(dest);
    if (got !== want) expect(`${asm} a=0x${a.toString(16)} → 0x${got.toString(16)}`).toBe(`→ 0x${want.toString(16)}`);
  }
}

const UN32: Record<string, Unary> = {
  "sll $2, $4, 7": (a) => sx32(a << 7n),
  "sll $2, $4, 0": (a) => sx32(a),
  "srl $2, $4, 31": (a) => sx32(u32(a) >> 31n),
  "sra $2, $4, 13": (a) => sx32(s32(a) >> 13n),
  "addiu $2, $4, -32768": (a) => sx32(a - 32768n),
  "addiu $2, $4, 32767": (a) => sx32(a + 32767n),
  "addi $2, $4, 32767": (a) => (ovf32(s32(a) + 32767n) ? "Ov" : sx32(a + 32767n)),
  "addi $2, $4, -1": (a) => (ovf32(s32(a) - 1n) ? "Ov" : sx32(a - 1n)),
};
const UNW: Record<string, Unary> = {
  "slti $2, $4, -5": (a) => (s64(a) < -5n ? 1n : 0n),
  "sltiu $2, $4, -5": (a) => (u64(a) < u64(-5n) ? 1n : 0n),
  "andi $2, $4, 0xf0f0": (a) => a & 0xf0f0n,
  "ori $2, $4, 0x8001": (a) => a | 0x8001n,
  "xori $2, $4, 0xffff": (a) => a ^ 0xffffn,
  "lui $2, 0x8765": () => sx32(0x8765_0000n),
};
const UN32R1: Record<string, Unary> = {
  "clz $2, $4": (a) => BigInt(32 - u32(a).toString(2).length + (u32(a) === 0n ? 1 : 0)) - (u32(a) === 0n ? 1n : 0n) + (u32(a) === 0n ? 1n : 0n),
  "clo $2, $4": (a) => { const x = u32(~a); return x === 0n ? 32n : BigInt(32 - x.toString(2).length); },
};
const UNR2: Record<string, Unary> = {
  "rotr $2, $4, 9": (a) => rotr32(a, 9n),
  "ext $2, $4, 5, 11": (a) => (u32(a) >> 5n) & 0x7ffn,
  "ext $2, $4, 0, 32": (a) => sx32(a),
};
const UN64: Record<string, Unary> = {
  "dsll $2, $4, 5": (a) => a << 5n,
  "dsrl $2, $4, 5": (a) => u64(a) >> 5n,
  "dsra $2, $4, 5": (a) => s64(a) >> 5n,
  "dsll32 $2, $4, 3": (a) => a << 35n,
  "dsrl32 $2, $4, 0": (a) => u64(a) >> 32n,
  "dsra32 $2, $4, 31": (a) => s64(a) >> 63n,
  "daddiu $2, $4, -32768": (a) => a - 32768n,
  "daddi $2, $4, 32767": (a) => (ovf64(s64(a) + 32767n) ? "Ov" : a + 32767n),
};
const UN64R1: Record<string, Unary> = {
  "dclz $2, $4": (a) => (u64(a) === 0n ? 64n : BigInt(64 - u64(a).toString(2).length)),
  "dclo $2, $4": (a) => (u64(~a) === 0n ? 64n : BigInt(64 - u64(~a).toString(2).length)),
};
const UN64R2: Record<string, Unary> = {
  "drotr $2, $4, 7": (a) => rotr64(a, 7n),
  "drotr32 $2, $4, 1": (a) => rotr64(a, 33n),
  "dsbh $2, $4": (a) => { let r = 0n; for (let h = 0n; h < 4n; h++) { const x = (u64(a) >> (16n * h)) & 0xffffn; r |= (((x >> 8n) | ((x & 0xffn) << 8n)) << (16n * h)); } return r; },
  "dshd $2, $4": (a) => { let r = 0n; for (let h = 0n; h < 4n; h++) { const x = (u64(a) >> (16n * h)) & 0xffffn; r |= x << (16n * (3n - h)); } return r; },
  "dext $2, $4, 3, 20": (a) => (u64(a) >> 3n) & ((1n << 20n) - 1n),
  "dextm $2, $4, 2, 40": (a) => (u64(a) >> 2n) & ((1n << 40n) - 1n),
  "dextu $2, $4, 40, 10": (a) => (u64(a) >> 40n) & 0x3ffn,
};
const UN64R6: Record<string, Unary> = {
  "daui $2, $4, 0x8000": (a) => a + u64(-0x8000_0000n),
  "aui $2, $4, 0x7fff": (a) => sx32(a + 0x7fff_0000n),
  "dbitswap $2, $4": (a) => {
    let r = 0n;
    for (let byte = 0n; byte < 8n; byte++) for (let bit = 0n; bit < 8n; bit++) if ((u64(a) >> (byte * 8n + bit)) & 1n) r |= 1n << (byte * 8n + 7n - bit);
    return r;
  },
};

function usuite(level: IsaLevel, t: Record<string, Unary>, word32: boolean): void {
  for (const [asm, o] of Object.entries(t)) {
    it(`${asm.split(" ")[0]} computes the Vol. II result on ${level} (${asm})`, () => checkUnary(level, asm, o, word32));
  }
}

describe("shift and immediate semantics", () => {
  usuite("mips1", { ...UN32, ...UNW }, true);
  usuite("mips32r1", UN32R1, true);
  usuite("mips32r2", UNR2, true);
  usuite("mips4", UN32, true);
  usuite("mips4", { ...UNW, ...UN64 }, false);
  usuite("mips64r1", UN64R1, false);
  usuite("mips64r2", UN64R2, false);
  usuite("mips64r6", UN64R6, false);
  it("dahi/dati add to the upper 32 and 16 bits of rs (mips64r6)", () => {
    checkUnary("mips64r6", "dahi $4, $4, 0x8001", (a) => a + u64(-0x7fffn << 32n), false, RS, RS);
    checkUnary("mips64r6", "dati $4, $4, 0x1234", (a) => a + (0x1234n << 48n), false, RS, RS);
  });
  it("ins/dins/dinsm/dinsu insert rs's low bits into rt (mips64r2)", () => {
    const rg = rig("mips64r2");
    const cases: [string, bigint, bigint, bigint][] = [
      ["ins $5, $4, 4, 8", sx32(0xffff_fff0n), sx32(0x1234_5678n), sx32(0x1234_5f08n)],
      ["dins $5, $4, 28, 8", 0xabn, 0n, 0xabn << 28n],
      ["dinsm $5, $4, 30, 34", u64(-1n), 0n, ((1n << 34n) - 1n) << 30n],
      ["dinsu $5, $4, 40, 16", 0xbeefn, u64(-1n), u64(-1n) & ~(0xffffn << 40n) | (0xbeefn << 40n)],
    ];
    for (const [asm, a, b, want] of cases) {
      rg.load([asm]); rg.set(RS, a); rg.set(RT, b);
      expect(endedAtBreak(rg.run())).toBe(true);
      expect(rg.get(RT).toString(16), asm).toBe(want.toString(16));
    }
  });
});

// ---- HI/LO multiply and divide ----
describe("HI/LO multiply and divide", () => {
  const cases: { level: IsaLevel; asm: string; o: (a: bigint, b: bigint) => [bigint, bigint] | null; w32: boolean }[] = [
    { level: "mips1", asm: "mult $4, $5", o: (a, b) => { const p = s32(a) * s32(b); return [sx32(p >> 32n), sx32(p)]; }, w32: true },
    { level: "mips1", asm: "multu $4, $5", o: (a, b) => { const p = u32(a) * u32(b); return [sx32(p >> 32n), sx32(p)]; }, w32: true },
    { level: "mips2", asm: "div $zero, $4, $5", o: (a, b) => (s32(b) === 0n || (s32(a) === -(1n << 31n) && s32(b) === -1n) ? null : [sx32(tmod(s32(a), s32(b))), sx32(tdiv(s32(a), s32(b)))]), w32: true },
    { level: "mips2", asm: "divu $zero, $4, $5", o: (a, b) => (u32(b) === 0n ? null : [sx32(u32(a) % u32(b)), sx32(u32(a) / u32(b))]), w32: true },
    { level: "mips64r1", asm: "mult $4, $5", o: (a, b) => { const p = s32(a) * s32(b); return [sx32(p >> 32n), sx32(p)]; }, w32: true },
    { level: "mips3", asm: "dmult $4, $5", o: (a, b) => { const p = s64(a) * s64(b); return [u64(p >> 64n), u64(p)]; }, w32: false },
    { level: "mips3", asm: "dmultu $4, $5", o: (a, b) => { const p = u64(a) * u64(b); return [u64(p >> 64n), u64(p)]; }, w32: false },
    { level: "mips3", asm: "ddiv $zero, $4, $5", o: (a, b) => (u64(b) === 0n || (s64(a) === -(1n << 63n) && s64(b) === -1n) ? null : [u64(tmod(s64(a), s64(b))), u64(tdiv(s64(a), s64(b)))]), w32: false },
    { level: "mips3", asm: "ddivu $zero, $4, $5", o: (a, b) => (u64(b) === 0n ? null : [u64(a) % u64(b), u64(a) / u64(b)]), w32: false },
  ];
  for (const { level, asm, o, w32 } of cases) {
    it(`${asm.split(" ")[0]} leaves the Vol. II HI/LO result on ${level} (read back with nop-separated mfhi/mflo)`, () => {
      const rg = rig(level);
      rg.load([asm, "nop", "nop", "mfhi $2", "mflo $3"]);
      for (const [a0, b0] of operands(120, w32 || !rg.m.is64)) {
        const a = rg.m.is64 ? a0 : sx32(a0), b = rg.m.is64 ? b0 : sx32(b0);
        const exp = o(a, b);
        if (exp === null) continue;
        rg.set(RS, a); rg.set(RT, b);
        const out = rg.run();
        expect(endedAtBreak(out), out.reason).toBe(true);
        const mask = rg.m.is64 ? u64 : u32;
        expect([rg.get(2).toString(16), rg.get(3).toString(16)], `${asm} ${a.toString(16)} ${b.toString(16)}`).toEqual([mask(exp[0]).toString(16), mask(exp[1]).toString(16)]);
      }
    });
  }
  for (const level of ["mips32r2", "mips64r2"] as const) it(`madd/maddu/msub/msubu accumulate the 64-bit product into HI:LO, each half sign-extended (${level})`, () => {
    const rg = rig(level);
    const r = prng(SEED ^ 7n);
    for (const [op, signed, sub] of [["madd", true, false], ["maddu", false, false], ["msub", true, true], ["msubu", false, true]] as const) {
      rg.load(["mthi $6", "mtlo $7", op + " $4, $5", "mfhi $2", "mflo $3"]);
      for (let i = 0; i < 60; i++) {
        const a = sx32(r()), b = sx32(r()), h = sx32(r()), l = sx32(r());
        rg.set(RS, a); rg.set(RT, b); rg.set(6, h); rg.set(7, l);
        const acc = (u32(h) << 32n) | u32(l);
        const p = signed ? s32(a) * s32(b) : u32(a) * u32(b);
        const res = BigInt.asUintN(64, sub ? acc - p : acc + p);
        expect(endedAtBreak(rg.run())).toBe(true);
        const half = (x: bigint): bigint => (rg.m.is64 ? sx32(x) : u32(x));
        expect([rg.get(2), rg.get(3)], op).toEqual([half(res >> 32n), half(res)]);
      }
    }
  });
});
