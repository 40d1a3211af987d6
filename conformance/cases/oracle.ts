// An independent statement of the RFC 9669 ALU / JMP rules (reference/ebpf-semantics.md §2.1, §2.3) used
// as the expected-value oracle of conformance/cases/gen.ts and of oracle.test.ts. Deliberately written
// apart from src/reference (no imports, different structure), so the two can check each other.
// Owns nothing else.
export const u64 = (x: bigint): bigint => BigInt.asUintN(64, x);
export const s64 = (x: bigint): bigint => BigInt.asIntN(64, x);
export const u32 = (x: bigint): bigint => BigInt.asUintN(32, x);
export const s32 = (x: bigint): bigint => BigInt.asIntN(32, x);
export const hex = (x: bigint): string => "0x" + u64(x).toString(16);
export const imm64 = (imm: number): bigint => u64(BigInt(imm)); // K operand of ALU64/JMP: sign-extended
export const imm32 = (imm: number): bigint => u32(BigInt(imm)); // K operand of ALU32/JMP32

export function alu64(op: string, a: bigint, b: bigint): bigint {
  switch (op) {
    case "add": return u64(a + b);
    case "sub": return u64(a - b);
    case "mul": return u64(a * b);
    case "div": return b === 0n ? 0n : a / b;
    case "sdiv": return b === 0n ? 0n : u64(s64(a) / s64(b)); // BigInt division truncates toward zero
    case "mod": return b === 0n ? a : a % b;
    case "smod": return b === 0n ? a : u64(s64(a) - s64(b) * (s64(a) / s64(b)));
    case "or": return a | b;
    case "and": return a & b;
    case "xor": return a ^ b;
    case "lsh": return u64(a << (b % 64n));
    case "rsh": return a >> (b % 64n);
    case "arsh": return u64(s64(a) >> (b % 64n));
    case "mov": return b;
    default: throw new Error(op);
  }
}
export function alu32(op: string, a64: bigint, b64: bigint): bigint {
  const a = u32(a64), b = u32(b64);
  switch (op) {
    case "div": return b === 0n ? 0n : a / b;
    case "sdiv": return b === 0n ? 0n : u32(s32(a) / s32(b));
    case "mod": return b === 0n ? a : a % b;
    case "smod": return b === 0n ? a : u32(s32(a) - s32(b) * (s32(a) / s32(b)));
    case "lsh": return u32(a << (b % 32n));
    case "rsh": return a >> (b % 32n);
    case "arsh": return u32(s32(a) >> (b % 32n));
    default: return u32(alu64(op, a, b));
  }
}
export function cond(op: string, w: 32 | 64, a: bigint, b: bigint): boolean {
  const ua = w === 32 ? u32(a) : a, ub = w === 32 ? u32(b) : b;
  const sa = w === 32 ? s32(a) : s64(a), sb = w === 32 ? s32(b) : s64(b);
  switch (op) {
    case "jeq": return ua === ub;
    case "jne": return ua !== ub;
    case "jgt": return ua > ub;
    case "jge": return ua >= ub;
    case "jlt": return ua < ub;
    case "jle": return ua <= ub;
    case "jset": return (ua & ub) !== 0n;
    case "jsgt": return sa > sb;
    case "jsge": return sa >= sb;
    case "jslt": return sa < sb;
    case "jsle": return sa <= sb;
    default: throw new Error(op);
  }
}
export const swapBytes = (x: bigint, bytes: number): bigint => {
  let r = 0n;
  for (let i = 0; i < bytes; i++) r = (r << 8n) | ((x >> BigInt(8 * i)) & 0xffn);
  return r;
};

