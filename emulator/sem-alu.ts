// Semantics of the integer ALU rows of the ISA table: arithmetic, logic, shifts and rotates (32- and 64-bit),
// set-on-less-than, immediates, the r2 bit-field and byte-swap ops and the r6 ALU additions. Keyed by table
// key. Owns what each instruction computes (MIPS64 Vol. II pages; 32-bit results sign-extended on 64-bit
// CPUs, mips-isa.md §5). Does not own operand checks (word32, poison: the CPU loop does those generically
// from the `df` data-flow string and the table's word32 list).
import type { Cpu, Sem } from "./cpu";

/**
 * df: "<dests>=<sources>" over d (rd), t (rt), s (rs), h (HI), l (LO); "-st" reads without writing.
 * Written registers inherit poison from the sources (cpu.ts checks()).
 */
export interface SemSpec {
  readonly df: string;
  readonly fn: Sem;
}

const S = (w: number): number => (w >>> 21) & 31;
const T = (w: number): number => (w >>> 16) & 31;
const D = (w: number): number => (w >>> 11) & 31;
const SA = (w: number): number => (w >>> 6) & 31;
const I16 = (w: number): number => (w << 16) >> 16;
const U16 = (w: number): number => w & 0xffff;

// ---- 64-bit helpers on (hi, lo) pairs, writing register d ----
function add64(c: Cpu, d: number, ah: number, al: number, bh: number, bl: number): void {
  const l = (al >>> 0) + (bl >>> 0);
  c.lo[d] = l | 0;
  c.hi[d] = (ah + bh + (l > 0xffffffff ? 1 : 0)) | 0;
}
function sub64(c: Cpu, d: number, ah: number, al: number, bh: number, bl: number): void {
  const l = (al >>> 0) - (bl >>> 0);
  c.lo[d] = l | 0;
  c.hi[d] = (ah - bh - (l < 0 ? 1 : 0)) | 0;
}
function shl64(c: Cpu, d: number, h: number, l: number, s: number): void {
  if (s === 0) c.set64(d, h, l);
  else if (s < 32) c.set64(d, (h << s) | (l >>> (32 - s)), l << s);
  else c.set64(d, l << (s - 32), 0);
}
function shr64(c: Cpu, d: number, h: number, l: number, s: number): void {
  if (s === 0) c.set64(d, h, l);
  else if (s < 32) c.set64(d, (h >>> s) | 0, (l >>> s) | (h << (32 - s)));
  else c.set64(d, 0, (h >>> (s - 32)) | 0);
}
function sar64(c: Cpu, d: number, h: number, l: number, s: number): void {
  if (s === 0) c.set64(d, h, l);
  else if (s < 32) c.set64(d, h >> s, (l >>> s) | (h << (32 - s)));
  else c.set64(d, h >> 31, h >> (s - 32));
}
function rotr64(c: Cpu, d: number, h: number, l: number, s: number): void {
  if (s >= 32) { const t = h; h = l; l = t; s -= 32; }
  if (s === 0) c.set64(d, h, l);
  else c.set64(d, (h >>> s) | (l << (32 - s)), (l >>> s) | (h << (32 - s)));
}
/** Signed 64-bit a < b. */
function lt64(ah: number, al: number, bh: number, bl: number): boolean {
  return ah < bh || (ah === bh && (al >>> 0) < (bl >>> 0));
}
function ltu64(ah: number, al: number, bh: number, bl: number): boolean {
  return (ah >>> 0) < (bh >>> 0) || (ah === bh && (al >>> 0) < (bl >>> 0));
}
/** BITSWAP: reverse the bits within each byte (Vol. II r6 BITSWAP). */
const bitswapBytes = (x: number): number => {
  x = ((x >>> 1) & 0x55555555) | ((x & 0x55555555) << 1);
  x = ((x >>> 2) & 0x33333333) | ((x & 0x33333333) << 2);
  return (((x >>> 4) & 0x0f0f0f0f) | ((x & 0x0f0f0f0f) << 4)) | 0;
};
const wsbh = (x: number): number => (((x >>> 8) & 0x00ff00ff) | ((x & 0x00ff00ff) << 8)) | 0;
/** Mask of the low n bits (0 ≤ n ≤ 32) as int32. */
const lowMask = (n: number): number => (n >= 32 ? -1 : (1 << n) - 1);

function ovf(c: Cpu, what: string): number {
  return c.exc("Ov", `integer overflow in ${what}`);
}

function dinsGeneric(c: Cpu, w: number, pos: number, size: number): number {
  // rt[pos+size-1 .. pos] ← rs[size-1 .. 0] over 64 bits
  const t = T(w), s = S(w);
  if (pos + size > 64 || size === 0) return c.tw.unpredictable ? c.trap("unpredictable", `dins-family field pos ${pos} size ${size} exceeds 64 bits (UNPREDICTABLE)`) : 0;
  let mh = 0, ml = 0; // field mask at bit 0
  if (size >= 32) { ml = -1; mh = lowMask(size - 32); } else { ml = lowMask(size); }
  // shift mask and source left by pos
  const sh = c.s;
  const shl = (h: number, l: number): void => {
    if (pos === 0) { sh[0] = l; sh[1] = h; } else if (pos < 32) { sh[0] = l << pos; sh[1] = (h << pos) | (l >>> (32 - pos)); } else { sh[0] = 0; sh[1] = l << (pos - 32); }
  };
  shl(mh, ml); const Ml = sh[0], Mh = sh[1];
  shl(c.hi[s] & mh, c.lo[s] & ml); const Vl = sh[0], Vh = sh[1];
  c.set64(t, (c.hi[t] & ~Mh) | Vh, (c.lo[t] & ~Ml) | Vl);
  return 0;
}

function dextGeneric(c: Cpu, w: number, pos: number, size: number): number {
  const t = T(w), s = S(w);
  if (pos + size > 64) return c.tw.unpredictable ? c.trap("unpredictable", `dext-family field pos ${pos} size ${size} exceeds 64 bits (UNPREDICTABLE)`) : 0;
  shr64(c, t, c.hi[s], c.lo[s], pos);
  if (size >= 32) c.hi[t] &= lowMask(size - 32);
  else { c.hi[t] = 0; c.lo[t] &= lowMask(size); }
  return 0;
}

export const ALU: Record<string, SemSpec> = {
  // ---------- shifts ----------
  sll: { df: "d=t", fn: (c, w) => { c.setW(D(w), c.lo[T(w)] << SA(w)); return 0; } },
  ssnop: { df: "", fn: () => 0 },
  ehb: { df: "", fn: () => 0 },
  pause: { df: "", fn: () => 0 },
  srl: { df: "d=t", fn: (c, w) => { c.setW(D(w), (c.lo[T(w)] >>> SA(w)) | 0); return 0; } },
  sra: { df: "d=t", fn: (c, w) => { c.setW(D(w), c.lo[T(w)] >> SA(w)); return 0; } },
  rotr: { df: "d=t", fn: (c, w) => { const x = c.lo[T(w)], s = SA(w); c.setW(D(w), (x >>> s) | (x << (32 - s))); return 0; } },
  sllv: { df: "d=ts", fn: (c, w) => { c.setW(D(w), c.lo[T(w)] << (c.lo[S(w)] & 31)); return 0; } },
  srlv: { df: "d=ts", fn: (c, w) => { c.setW(D(w), (c.lo[T(w)] >>> (c.lo[S(w)] & 31)) | 0); return 0; } },
  srav: { df: "d=ts", fn: (c, w) => { c.setW(D(w), c.lo[T(w)] >> (c.lo[S(w)] & 31)); return 0; } },
  rotrv: { df: "d=ts", fn: (c, w) => { const x = c.lo[T(w)], s = c.lo[S(w)] & 31; c.setW(D(w), (x >>> s) | (x << (32 - s))); return 0; } },
  dsll: { df: "d=t", fn: (c, w) => { const t = T(w); shl64(c, D(w), c.hi[t], c.lo[t], SA(w)); return 0; } },
  dsrl: { df: "d=t", fn: (c, w) => { const t = T(w); shr64(c, D(w), c.hi[t], c.lo[t], SA(w)); return 0; } },
  dsra: { df: "d=t", fn: (c, w) => { const t = T(w); sar64(c, D(w), c.hi[t], c.lo[t], SA(w)); return 0; } },
  drotr: { df: "d=t", fn: (c, w) => { const t = T(w); rotr64(c, D(w), c.hi[t], c.lo[t], SA(w)); return 0; } },
  dsll32: { df: "d=t", fn: (c, w) => { const t = T(w); shl64(c, D(w), c.hi[t], c.lo[t], SA(w) + 32); return 0; } },
  dsrl32: { df: "d=t", fn: (c, w) => { const t = T(w); shr64(c, D(w), c.hi[t], c.lo[t], SA(w) + 32); return 0; } },
  dsra32: { df: "d=t", fn: (c, w) => { const t = T(w); sar64(c, D(w), c.hi[t], c.lo[t], SA(w) + 32); return 0; } },
  drotr32: { df: "d=t", fn: (c, w) => { const t = T(w); rotr64(c, D(w), c.hi[t], c.lo[t], SA(w) + 32); return 0; } },
  dsllv: { df: "d=ts", fn: (c, w) => { const t = T(w); shl64(c, D(w), c.hi[t], c.lo[t], c.lo[S(w)] & 63); return 0; } },
  dsrlv: { df: "d=ts", fn: (c, w) => { const t = T(w); shr64(c, D(w), c.hi[t], c.lo[t], c.lo[S(w)] & 63); return 0; } },
  dsrav: { df: "d=ts", fn: (c, w) => { const t = T(w); sar64(c, D(w), c.hi[t], c.lo[t], c.lo[S(w)] & 63); return 0; } },
  drotrv: { df: "d=ts", fn: (c, w) => { const t = T(w); rotr64(c, D(w), c.hi[t], c.lo[t], c.lo[S(w)] & 63); return 0; } },

  // ---------- add / subtract ----------
  add: { df: "d=st", fn: (c, w) => {
    const a = c.lo[S(w)], b = c.lo[T(w)], v = (a + b) | 0;
    if (((a ^ v) & (b ^ v)) < 0) return ovf(c, "add");
    c.setW(D(w), v); return 0;
  } },
  addu: { df: "d=st", fn: (c, w) => { c.setW(D(w), (c.lo[S(w)] + c.lo[T(w)]) | 0); return 0; } },
  sub: { df: "d=st", fn: (c, w) => {
    const a = c.lo[S(w)], b = c.lo[T(w)], v = (a - b) | 0;
    if (((a ^ b) & (a ^ v)) < 0) return ovf(c, "sub");
    c.setW(D(w), v); return 0;
  } },
  subu: { df: "d=st", fn: (c, w) => { c.setW(D(w), (c.lo[S(w)] - c.lo[T(w)]) | 0); return 0; } },
  addi: { df: "t=s", fn: (c, w) => {
    const a = c.lo[S(w)], b = I16(w), v = (a + b) | 0;
    if (((a ^ v) & (b ^ v)) < 0) return ovf(c, "addi");
    c.setW(T(w), v); return 0;
  } },
  addiu: { df: "t=s", fn: (c, w) => { c.setW(T(w), (c.lo[S(w)] + I16(w)) | 0); return 0; } },
  dadd: { df: "d=st", fn: (c, w) => {
    const s = S(w), t = T(w), ah = c.hi[s], bh = c.hi[t], d = D(w);
    const l = (c.lo[s] >>> 0) + (c.lo[t] >>> 0), h = (ah + bh + (l > 0xffffffff ? 1 : 0)) | 0;
    if (((ah ^ h) & (bh ^ h)) < 0) return ovf(c, "dadd");
    c.set64(d, h, l | 0); return 0;
  } },
  daddu: { df: "d=st", fn: (c, w) => { const s = S(w), t = T(w); add64(c, D(w), c.hi[s], c.lo[s], c.hi[t], c.lo[t]); return 0; } },
  dsub: { df: "d=st", fn: (c, w) => {
    const s = S(w), t = T(w), ah = c.hi[s], bh = c.hi[t];
    const l = (c.lo[s] >>> 0) - (c.lo[t] >>> 0), h = (ah - bh - (l < 0 ? 1 : 0)) | 0;
    if (((ah ^ bh) & (ah ^ h)) < 0) return ovf(c, "dsub");
    c.set64(D(w), h, l | 0); return 0;
  } },
  dsubu: { df: "d=st", fn: (c, w) => { const s = S(w), t = T(w); sub64(c, D(w), c.hi[s], c.lo[s], c.hi[t], c.lo[t]); return 0; } },
  daddi: { df: "t=s", fn: (c, w) => {
    const s = S(w), i = I16(w), ah = c.hi[s], bh = i >> 31;
    const l = (c.lo[s] >>> 0) + (i >>> 0), h = (ah + bh + (l > 0xffffffff ? 1 : 0)) | 0;
    if (((ah ^ h) & (bh ^ h)) < 0) return ovf(c, "daddi");
    c.set64(T(w), h, l | 0); return 0;
  } },
  daddiu: { df: "t=s", fn: (c, w) => { const s = S(w), i = I16(w); add64(c, T(w), c.hi[s], c.lo[s], i >> 31, i); return 0; } },

  // ---------- logic (all 64 bits, mips-isa.md §5) ----------
  and: { df: "d=st", fn: (c, w) => { const s = S(w), t = T(w); c.set64(D(w), c.hi[s] & c.hi[t], c.lo[s] & c.lo[t]); return 0; } },
  or: { df: "d=st", fn: (c, w) => { const s = S(w), t = T(w); c.set64(D(w), c.hi[s] | c.hi[t], c.lo[s] | c.lo[t]); return 0; } },
  xor: { df: "d=st", fn: (c, w) => { const s = S(w), t = T(w); c.set64(D(w), c.hi[s] ^ c.hi[t], c.lo[s] ^ c.lo[t]); return 0; } },
  nor: { df: "d=st", fn: (c, w) => { const s = S(w), t = T(w); c.set64(D(w), ~(c.hi[s] | c.hi[t]), ~(c.lo[s] | c.lo[t])); return 0; } },
  andi: { df: "t=s", fn: (c, w) => { c.set64(T(w), 0, c.lo[S(w)] & U16(w)); return 0; } },
  ori: { df: "t=s", fn: (c, w) => { const s = S(w); c.set64(T(w), c.hi[s], c.lo[s] | U16(w)); return 0; } },
  xori: { df: "t=s", fn: (c, w) => { const s = S(w); c.set64(T(w), c.hi[s], c.lo[s] ^ U16(w)); return 0; } },
  lui: { df: "t=", fn: (c, w) => { c.setW(T(w), w << 16); return 0; } },
  slt: { df: "d=st", fn: (c, w) => { const s = S(w), t = T(w); c.set64(D(w), 0, lt64(c.hi[s], c.lo[s], c.hi[t], c.lo[t]) ? 1 : 0); return 0; } },
  sltu: { df: "d=st", fn: (c, w) => { const s = S(w), t = T(w); c.set64(D(w), 0, ltu64(c.hi[s], c.lo[s], c.hi[t], c.lo[t]) ? 1 : 0); return 0; } },
  slti: { df: "t=s", fn: (c, w) => { const s = S(w), i = I16(w); c.set64(T(w), 0, lt64(c.hi[s], c.lo[s], i >> 31, i) ? 1 : 0); return 0; } },
  sltiu: { df: "t=s", fn: (c, w) => { const s = S(w), i = I16(w); c.set64(T(w), 0, ltu64(c.hi[s], c.lo[s], i >> 31, i) ? 1 : 0); return 0; } },

  // ---------- count leading zeros / ones ----------
  clz: { df: "d=s", fn: (c, w) => { c.setW(D(w), Math.clz32(c.lo[S(w)])); return 0; } },
  clo: { df: "d=s", fn: (c, w) => { c.setW(D(w), Math.clz32(~c.lo[S(w)])); return 0; } },
  clz_r6: { df: "d=s", fn: (c, w) => { c.setW(D(w), Math.clz32(c.lo[S(w)])); return 0; } },
  clo_r6: { df: "d=s", fn: (c, w) => { c.setW(D(w), Math.clz32(~c.lo[S(w)])); return 0; } },
  dclz: { df: "d=s", fn: (c, w) => { const s = S(w), h = c.hi[s]; c.set64(D(w), 0, h !== 0 ? Math.clz32(h) : 32 + Math.clz32(c.lo[s])); return 0; } },
  dclo: { df: "d=s", fn: (c, w) => { const s = S(w), h = ~c.hi[s]; c.set64(D(w), 0, h !== 0 ? Math.clz32(h) : 32 + Math.clz32(~c.lo[s])); return 0; } },
  dclz_r6: { df: "d=s", fn: (c, w) => { const s = S(w), h = c.hi[s]; c.set64(D(w), 0, h !== 0 ? Math.clz32(h) : 32 + Math.clz32(c.lo[s])); return 0; } },
  dclo_r6: { df: "d=s", fn: (c, w) => { const s = S(w), h = ~c.hi[s]; c.set64(D(w), 0, h !== 0 ? Math.clz32(h) : 32 + Math.clz32(~c.lo[s])); return 0; } },

  // ---------- Release 2 bit fields and byte swaps (Vol. II EXT/INS/DEXT*/DINS*/WSBH/SEB/SEH/DSBH/DSHD) ----------
  ext: { df: "t=s", fn: (c, w) => {
    const pos = SA(w), size = D(w) + 1;
    if (pos + size > 32) return c.tw.unpredictable ? c.trap("unpredictable", `ext pos ${pos} + size ${size} > 32 (UNPREDICTABLE)`) : 0;
    c.setW(T(w), size === 32 ? c.lo[S(w)] : (c.lo[S(w)] >>> pos) & lowMask(size)); return 0;
  } },
  ins: { df: "t=st", fn: (c, w) => {
    const pos = SA(w), msb = D(w);
    if (msb < pos) return c.tw.unpredictable ? c.trap("unpredictable", `ins msb ${msb} < lsb ${pos} (UNPREDICTABLE)`) : 0;
    const m = lowMask(msb - pos + 1) << pos, t = T(w);
    c.setW(t, (c.lo[t] & ~m) | ((c.lo[S(w)] << pos) & m)); return 0;
  } },
  dext: { df: "t=s", fn: (c, w) => dextGeneric(c, w, SA(w), D(w) + 1) },
  dextm: { df: "t=s", fn: (c, w) => dextGeneric(c, w, SA(w), D(w) + 33) },
  dextu: { df: "t=s", fn: (c, w) => dextGeneric(c, w, SA(w) + 32, D(w) + 1) },
  dins: { df: "t=st", fn: (c, w) => { const pos = SA(w), msb = D(w); if (msb < pos) return c.tw.unpredictable ? c.trap("unpredictable", `dins msb ${msb} < lsb ${pos} (UNPREDICTABLE)`) : 0; return dinsGeneric(c, w, pos, msb - pos + 1); } },
  dinsm: { df: "t=st", fn: (c, w) => dinsGeneric(c, w, SA(w), D(w) + 32 + 1 - SA(w)) },
  dinsu: { df: "t=st", fn: (c, w) => { const pos = SA(w) + 32, msb = D(w) + 32; if (msb < pos) return c.tw.unpredictable ? c.trap("unpredictable", `dinsu msb ${msb} < lsb ${pos} (UNPREDICTABLE)`) : 0; return dinsGeneric(c, w, pos, msb - pos + 1); } },
  wsbh: { df: "d=t", fn: (c, w) => { c.setW(D(w), wsbh(c.lo[T(w)])); return 0; } },
  seb: { df: "d=t", fn: (c, w) => { c.setW(D(w), (c.lo[T(w)] << 24) >> 24); return 0; } },
  seh: { df: "d=t", fn: (c, w) => { c.setW(D(w), (c.lo[T(w)] << 16) >> 16); return 0; } },
  dsbh: { df: "d=t", fn: (c, w) => { const t = T(w); c.set64(D(w), wsbh(c.hi[t]), wsbh(c.lo[t])); return 0; } },
  dshd: { df: "d=t", fn: (c, w) => {
    const t = T(w), h = c.hi[t], l = c.lo[t];
    c.set64(D(w), (l << 16) | (l >>> 16), (h << 16) | (h >>> 16)); return 0;
  } },
  bitswap: { df: "d=t", fn: (c, w) => { c.setW(D(w), bitswapBytes(c.lo[T(w)])); return 0; } },
  dbitswap: { df: "d=t", fn: (c, w) => { const t = T(w); c.set64(D(w), bitswapBytes(c.hi[t]), bitswapBytes(c.lo[t])); return 0; } },

  // ---------- Release 6 ALU ----------
  seleqz: { df: "d=st", fn: (c, w) => { const s = S(w), t = T(w), z = (c.hi[t] | c.lo[t]) === 0; c.set64(D(w), z ? c.hi[s] : 0, z ? c.lo[s] : 0); return 0; } },
  selnez: { df: "d=st", fn: (c, w) => { const s = S(w), t = T(w), z = (c.hi[t] | c.lo[t]) === 0; c.set64(D(w), z ? 0 : c.hi[s], z ? 0 : c.lo[s]); return 0; } },
  lsa: { df: "d=st", fn: (c, w) => { c.setW(D(w), ((c.lo[S(w)] << (((w >>> 6) & 3) + 1)) + c.lo[T(w)]) | 0); return 0; } },
  dlsa: { df: "d=st", fn: (c, w) => {
    const s = S(w), t = T(w), d = D(w), th = c.hi[t], tl = c.lo[t];
    shl64(c, d, c.hi[s], c.lo[s], ((w >>> 6) & 3) + 1);
    add64(c, d, c.hi[d], c.lo[d], th, tl); return 0;
  } },
  aui: { df: "t=s", fn: (c, w) => { c.setW(T(w), (c.lo[S(w)] + (w << 16)) | 0); return 0; } },
  daui: { df: "t=s", fn: (c, w) => { const s = S(w), i = w << 16; add64(c, T(w), c.hi[s], c.lo[s], i >> 31, i); return 0; } },
  dahi: { df: "s=s", fn: (c, w) => { const s = S(w); c.hi[s] = (c.hi[s] + I16(w)) | 0; return 0; } },
  dati: { df: "s=s", fn: (c, w) => { const s = S(w); c.hi[s] = (c.hi[s] + (w << 16)) | 0; return 0; } },
  align: { df: "d=st", fn: (c, w) => {
    const bp = (w >>> 6) & 3, s = c.lo[S(w)], t = c.lo[T(w)];
    c.setW(D(w), bp === 0 ? t : (t << (8 * bp)) | (s >>> (32 - 8 * bp))); return 0;
  } },
  dalign: { df: "d=st", fn: (c, w) => {
    const bp = (w >>> 6) & 7, s = S(w), t = T(w), sh = c.hi[s], sl = c.lo[s], th = c.hi[t], tl = c.lo[t], d = D(w);
    if (bp === 0) { c.set64(d, th, tl); return 0; }
    // (rt << 8bp) | (rs >> (64 − 8bp))
    shl64(c, d, th, tl, 8 * bp);
    const h = c.hi[d], l = c.lo[d];
    shr64(c, d, sh, sl, 64 - 8 * bp);
    c.set64(d, h | c.hi[d], l | c.lo[d]); return 0;
  } },
};

export { add64, sub64, lt64, ltu64, shl64 };
