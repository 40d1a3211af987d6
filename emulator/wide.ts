// 64-bit and 128-bit integer arithmetic on 32-bit halves for the CPU semantics — no BigInt (hot path rule).
// Owns multiply-high, 64×64→128 products and 64-bit division; results go to a caller-supplied scratch
// Int32Array so nothing is allocated per instruction. Does not own any MIPS semantics.

const TWO32 = 4294967296;

/** High 32 bits of the unsigned 32×32 product (as int32). */
export function mulhu32(a: number, b: number): number {
  const a0 = a & 0xffff, a1 = a >>> 16, b0 = b & 0xffff, b1 = b >>> 16;
  const p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  return (p11 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16)) | 0;
}

/** High 32 bits of the signed 32×32 product. */
export function mulhs32(a: number, b: number): number {
  let h = mulhu32(a, b);
  if (a < 0) h = (h - b) | 0;
  if (b < 0) h = (h - a) | 0;
  return h;
}

/**
 * 64×64 → 128-bit product of (ah:al)·(bh:bl); out[0..3] = words from least to most significant.
 * signed: two's-complement operands (correct the unsigned product by subtracting b·2^64 when a < 0, etc.).
 */
export function mul64x64(ah: number, al: number, bh: number, bl: number, signed: boolean, out: Int32Array): void {
  // partial products, each 64 bits: ll = al·bl, lh = al·bh, hl = ah·bl, hh = ah·bh
  const llL = Math.imul(al, bl), llH = mulhu32(al, bl);
  const lhL = Math.imul(al, bh), lhH = mulhu32(al, bh);
  const hlL = Math.imul(ah, bl), hlH = mulhu32(ah, bl);
  const hhL = Math.imul(ah, bh), hhH = mulhu32(ah, bh);
  const w0 = llL;
  let t = (llH >>> 0) + (lhL >>> 0) + (hlL >>> 0);
  const w1 = t >>> 0;
  let carry = Math.floor(t / TWO32);
  t = (lhH >>> 0) + (hlH >>> 0) + (hhL >>> 0) + carry;
  let w2 = t >>> 0;
  carry = Math.floor(t / TWO32);
  let w3 = ((hhH >>> 0) + carry) >>> 0;
  if (signed) {
    if (ah < 0) { // subtract b from the upper 64 bits
      const s = w2 - (bl >>> 0);
      w2 = s >>> 0;
      w3 = (w3 - (bh >>> 0) - (s < 0 ? 1 : 0)) >>> 0;
    }
    if (bh < 0) {
      const s = w2 - (al >>> 0);
      w2 = s >>> 0;
      w3 = (w3 - (ah >>> 0) - (s < 0 ? 1 : 0)) >>> 0;
    }
  }
  out[0] = w0; out[1] = w1; out[2] = w2; out[3] = w3;
}

/**
 * Unsigned 64-bit division (nh:nl) / (dh:dl), d ≠ 0. out[0..1] = quotient (lo, hi), out[2..3] = remainder
 * (lo, hi). Restoring shift-subtract division: 64 steps, only for operands that do not fit 53 bits.
 */
export function udiv64(nh: number, nl: number, dh: number, dl: number, out: Int32Array): void {
  nh >>>= 0; nl >>>= 0; dh >>>= 0; dl >>>= 0;
  if (nh < 0x200000 && dh < 0x200000) { // both < 2^53: exact in doubles
    const n = nh * TWO32 + nl, d = dh * TWO32 + dl;
    let q = Math.floor(n / d);
    let r = n - q * d;
    if (r < 0) { q -= 1; r += d; } else if (r >= d) { q += 1; r -= d; }
    out[0] = q | 0; out[1] = Math.floor(q / TWO32) | 0;
    out[2] = r | 0; out[3] = Math.floor(r / TWO32) | 0;
    return;
  }
  let qh = 0, ql = 0, rh = 0, rl = 0;
  for (let i = 63; i >= 0; i--) {
    const top = rh >>> 31; // r ≥ 2^63 before the shift: after it r ≥ 2^64 > d
    rh = ((rh << 1) | (rl >>> 31)) >>> 0;
    rl = ((rl << 1) | (i >= 32 ? (nh >>> (i - 32)) & 1 : (nl >>> i) & 1)) >>> 0;
    if (top !== 0 || rh > dh || (rh === dh && rl >= dl)) {
      const s = rl - dl;
      rl = s >>> 0;
      rh = (rh - dh - (s < 0 ? 1 : 0)) >>> 0;
      if (i >= 32) qh |= 1 << (i - 32);
      else ql |= 1 << i;
    }
  }
  out[0] = ql; out[1] = qh; out[2] = rl; out[3] = rh;
}

/** Signed 64-bit division truncating toward zero (remainder has the dividend's sign). Same out layout. */
export function sdiv64(nh: number, nl: number, dh: number, dl: number, out: Int32Array): void {
  const nneg = nh < 0, dneg = dh < 0;
  if (nneg) { nl = -nl | 0; nh = (~nh + (nl === 0 ? 1 : 0)) | 0; }
  if (dneg) { dl = -dl | 0; dh = (~dh + (dl === 0 ? 1 : 0)) | 0; }
  udiv64(nh, nl, dh, dl, out);
  if (nneg !== dneg) { const l = -out[0] | 0; out[1] = (~out[1] + (l === 0 ? 1 : 0)) | 0; out[0] = l; }
  if (nneg) { const l = -out[2] | 0; out[3] = (~out[3] + (l === 0 ? 1 : 0)) | 0; out[2] = l; }
}
