// Number parsing and printing shared by the assembler, the disassembler and the loaders.
// Owns the range rules for immediates and offsets (ebpf-semantics.md §4.2: hex up to the field width is a bit
// pattern, decimal must fit the signed field). Throws plain `NumberError`s; callers attach file/line.

export class NumberError extends Error {}

const NUM = /^([-+]?)(0x[0-9a-f]+|[0-9]+)$/i;

/** Parse a 32-bit immediate: decimal in int32, hex up to 0xffffffff (kept as a bit pattern), -hex down to -2^31. */
export function parseImm32(tok: string): number {
  return parseBits(tok, 32, "immediate");
}

/** Parse a 16-bit offset: decimal in int16, hex up to 0xffff (bit pattern), -hex down to -2^15. */
export function parseOff16(tok: string): number {
  return parseBits(tok, 16, "offset");
}

function parseBits(tok: string, bits: 16 | 32, what: string): number {
  const m = NUM.exec(tok.trim());
  if (!m) throw new NumberError(`invalid ${what} '${tok}'`);
  const neg = m[1] === "-";
  const isHex = m[2].length > 2 && m[2][1].toLowerCase() === "x";
  const mag = Number(m[2]); // Number("0x…") parses hex; exact below 2^53
  const min = -(2 ** (bits - 1));
  const maxDec = 2 ** (bits - 1) - 1;
  const maxHex = 2 ** bits - 1;
  const v = neg ? -mag : mag;
  const ok = neg ? v >= min : v <= (isHex ? maxHex : maxDec);
  if (!ok || !Number.isSafeInteger(mag)) {
    throw new NumberError(
      `${what} ${tok} out of range (decimal must fit int${bits}, hex at most 0x${maxHex.toString(16)})`,
    );
  }
  return bits === 32 ? v | 0 : (v << 16) >> 16;
}

/** Parse a 64-bit immediate (LD_IMM64): decimal in [-2^63, 2^64), hex up to 16 digits. Returns [lo, hi] as int32s. */
export function parseImm64(tok: string): [number, number] {
  const m = NUM.exec(tok.trim());
  if (!m) throw new NumberError(`invalid 64-bit immediate '${tok}'`);
  let v = BigInt(m[2]);
  if (m[1] === "-") v = -v;
  if (v < -(1n << 63n) || v >= 1n << 64n) throw new NumberError(`64-bit immediate ${tok} out of range`);
  v = BigInt.asUintN(64, v);
  return [Number(v & 0xffffffffn) | 0, Number(v >> 32n) | 0];
}

/** Parse a u64 (raw words, results): decimal or 0x-hex, 0..2^64-1; negative decimal wraps (two's complement). */
export function parseU64(tok: string, hexDefault = false): bigint {
  const t = tok.trim();
  const m = /^([-+]?)(0x[0-9a-f]+|[0-9a-f]+)$/i.exec(t);
  if (!m) throw new NumberError(`invalid number '${tok}'`);
  const isHex = /^0x/i.test(m[2]);
  if (!isHex && !hexDefault && !/^[0-9]+$/.test(m[2])) throw new NumberError(`invalid number '${tok}'`);
  let v = BigInt(isHex || !hexDefault ? m[2] : "0x" + m[2]);
  if (m[1] === "-") v = -v;
  if (v < -(1n << 63n) || v >= 1n << 64n) throw new NumberError(`number ${tok} does not fit 64 bits`);
  return BigInt.asUintN(64, v);
}

/** The 64-bit value of an LD_IMM64 pair as unsigned. */
export const imm64Of = (lo: number, hi: number): bigint => (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);

export const signed = (n: number): string => (n < 0 ? `-${-n}` : `+${n}`);
export const hex64 = (v: bigint): string => "0x" + BigInt.asUintN(64, v).toString(16).padStart(16, "0");
