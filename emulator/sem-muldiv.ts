// Semantics of multiply/divide: the HI/LO family (MULT…DDIVU, MADD/MSUB, SPECIAL2 MUL, MFHI/MFLO/MTHI/MTLO)
// and the Release 6 three-operand MUL/MUH/DIV/MOD family. Owns the results and the HI/LO hazard and
// UNPREDICTABLE bookkeeping of mips-isa.md §4.2–4.3 (trip-wire "hilo"); divide by zero and INT_MIN / −1 leave
// the result UNPREDICTABLE: HI/LO are marked (a later read traps) and r6 destinations are poisoned (a later
// decisive use traps). The values written in those cases are QEMU's (quotient = dividend, remainder = 0),
// so a run with the trip-wires off matches qemu-user. Does not own operand checks (cpu.ts).
import type { Cpu } from "./cpu";
import type { SemSpec } from "./sem-alu";
import { mul64x64, mulhs32, mulhu32, sdiv64, udiv64 } from "./wide";

const S = (w: number): number => (w >>> 21) & 31;
const T = (w: number): number => (w >>> 16) & 31;
const D = (w: number): number => (w >>> 11) & 31;

function setHL(c: Cpu, hi: number, lo: number): void {
  // On 64-bit CPUs HI and LO receive sign-extended 32-bit values (§4.2)
  c.hl[0] = hi; c.hl[1] = hi >> 31; c.hl[2] = lo; c.hl[3] = lo >> 31;
}

function readHL(c: Cpu, w: number, k: 0 | 2): number {
  const bit = k === 0 ? 1 : 2;
  if ((c.hlBad & bit) !== 0 && c.tw.hilo) {
    return c.trap("hilo", `${k === 0 ? "MFHI" : "MFLO"} reads ${k === 0 ? "HI" : "LO"}, which is UNPREDICTABLE (${c.hlBadWhy})`);
  }
  c.lastMf = c.icount;
  c.hlPend = false;
  c.set64(D(w), c.hl[k + 1], c.hl[k]);
  return 0;
}

/** MTHI/MTLO: a write between a multiply/divide and the read of its result spoils the other half (§4.3). */
function writeHL(c: Cpu, w: number, k: 0 | 2): number {
  if (c.hiloHazard && c.tw.hilo && c.icount - c.lastMf <= 2) {
    return c.trap("hilo", `${k === 0 ? "MTHI" : "MTLO"} within two instructions of MFHI/MFLO (MIPS I–III hazard: the MFHI/MFLO result is UNPREDICTABLE)`);
  }
  if (c.hlPend) {
    c.hlBad |= k === 0 ? 2 : 1;
    c.hlBadWhy = `${k === 0 ? "MTHI" : "MTLO"} at 0x${c.cpc.toString(16)} between a multiply/divide and the read of its result`;
    c.hlPend = false;
  }
  c.hlBad &= k === 0 ? ~1 : ~2;
  const s = S(w);
  c.hl[k] = c.lo[s]; c.hl[k + 1] = c.hi[s];
  return 0;
}

function div32(c: Cpu, w: number, signed: boolean): number {
  if (c.hlWrite() !== 0) return 1;
  const a = c.lo[S(w)], b = c.lo[T(w)];
  if (b === 0 || (signed && a === -0x80000000 && b === -1)) {
    setHL(c, 0, a);
    c.hlUnpredictable(b === 0 ? `divide by zero at 0x${c.cpc.toString(16)}` : `INT_MIN / −1 at 0x${c.cpc.toString(16)}`);
    return 0;
  }
  if (signed) setHL(c, a % b, (a / b) | 0);
  else { const ua = a >>> 0, ub = b >>> 0; setHL(c, (ua % ub) | 0, Math.floor(ua / ub) | 0); }
  return 0;
}

function ddiv(c: Cpu, w: number, signed: boolean): number {
  if (c.hlWrite() !== 0) return 1;
  const s = S(w), t = T(w), ah = c.hi[s], al = c.lo[s], bh = c.hi[t], bl = c.lo[t];
  if ((bh | bl) === 0 || (signed && ah === -0x80000000 && al === 0 && bh === -1 && bl === -1)) {
    c.hl[0] = 0; c.hl[1] = 0; c.hl[2] = al; c.hl[3] = ah;
    c.hlUnpredictable((bh | bl) === 0 ? `divide by zero at 0x${c.cpc.toString(16)}` : `INT64_MIN / −1 at 0x${c.cpc.toString(16)}`);
    return 0;
  }
  const o = c.s;
  if (signed) sdiv64(ah, al, bh, bl, o); else udiv64(ah, al, bh, bl, o);
  c.hl[2] = o[0]; c.hl[3] = o[1]; c.hl[0] = o[2]; c.hl[1] = o[3];
  return 0;
}

function maddFamily(c: Cpu, w: number, signed: boolean, sub: boolean): number {
  if (c.hlWrite() !== 0) return 1;
  const a = c.lo[S(w)], b = c.lo[T(w)];
  const pl = Math.imul(a, b), ph = signed ? mulhs32(a, b) : mulhu32(a, b);
  const hl = c.hl;
  let l: number, h: number;
  if (!sub) { l = (hl[2] >>> 0) + (pl >>> 0); h = (hl[0] + ph + (l > 0xffffffff ? 1 : 0)) | 0; }
  else { l = (hl[2] >>> 0) - (pl >>> 0); h = (hl[0] - ph - (l < 0 ? 1 : 0)) | 0; }
  setHL(c, h, l | 0);
  return 0;
}

/** r6 three-operand divide: rd UNPREDICTABLE for divide by zero (and the overflow case) → poisoned. */
function r6div(c: Cpu, w: number, signed: boolean, mod: boolean): number {
  const a = c.lo[S(w)], b = c.lo[T(w)], d = D(w);
  if (b === 0 || (signed && a === -0x80000000 && b === -1)) {
    c.setW(d, mod ? 0 : a);
    if (c.tw.unpredictable) c.poisonAs(d, b === 0 ? `${mod ? "remainder" : "quotient"} of a divide by zero at 0x${c.cpc.toString(16)}` : `INT_MIN / −1 at 0x${c.cpc.toString(16)}`);
    return 0;
  }
  if (signed) c.setW(d, mod ? a % b : (a / b) | 0);
  else { const ua = a >>> 0, ub = b >>> 0; c.setW(d, mod ? (ua % ub) | 0 : Math.floor(ua / ub) | 0); }
  return 0;
}

function r6ddiv(c: Cpu, w: number, signed: boolean, mod: boolean): number {
  const s = S(w), t = T(w), d = D(w), ah = c.hi[s], al = c.lo[s], bh = c.hi[t], bl = c.lo[t];
  if ((bh | bl) === 0 || (signed && ah === -0x80000000 && al === 0 && bh === -1 && bl === -1)) {
    if (mod) c.set64(d, 0, 0); else c.set64(d, ah, al);
    if (c.tw.unpredictable) c.poisonAs(d, (bh | bl) === 0 ? `${mod ? "remainder" : "quotient"} of a divide by zero at 0x${c.cpc.toString(16)}` : `INT64_MIN / −1 at 0x${c.cpc.toString(16)}`);
    return 0;
  }
  const o = c.s;
  if (signed) sdiv64(ah, al, bh, bl, o); else udiv64(ah, al, bh, bl, o);
  if (mod) c.set64(d, o[3], o[2]); else c.set64(d, o[1], o[0]);
  return 0;
}

function dmulr6(c: Cpu, w: number, signed: boolean, high: boolean): number {
  const s = S(w), t = T(w), o = c.s;
  mul64x64(c.hi[s], c.lo[s], c.hi[t], c.lo[t], signed, o);
  if (high) c.set64(D(w), o[3], o[2]); else c.set64(D(w), o[1], o[0]);
  return 0;
}

export const MULDIV: Record<string, SemSpec> = {
  mult: { df: "hl=st", fn: (c, w) => { if (c.hlWrite() !== 0) return 1; const a = c.lo[S(w)], b = c.lo[T(w)]; setHL(c, mulhs32(a, b), Math.imul(a, b)); return 0; } },
  multu: { df: "hl=st", fn: (c, w) => { if (c.hlWrite() !== 0) return 1; const a = c.lo[S(w)], b = c.lo[T(w)]; setHL(c, mulhu32(a, b), Math.imul(a, b)); return 0; } },
  div: { df: "hl=st", fn: (c, w) => div32(c, w, true) },
  divu: { df: "hl=st", fn: (c, w) => div32(c, w, false) },
  dmult: { df: "hl=st", fn: (c, w) => {
    if (c.hlWrite() !== 0) return 1;
    const s = S(w), t = T(w), o = c.s; mul64x64(c.hi[s], c.lo[s], c.hi[t], c.lo[t], true, o);
    c.hl[2] = o[0]; c.hl[3] = o[1]; c.hl[0] = o[2]; c.hl[1] = o[3]; return 0;
  } },
  dmultu: { df: "hl=st", fn: (c, w) => {
    if (c.hlWrite() !== 0) return 1;
    const s = S(w), t = T(w), o = c.s; mul64x64(c.hi[s], c.lo[s], c.hi[t], c.lo[t], false, o);
    c.hl[2] = o[0]; c.hl[3] = o[1]; c.hl[0] = o[2]; c.hl[1] = o[3]; return 0;
  } },
  ddiv: { df: "hl=st", fn: (c, w) => ddiv(c, w, true) },
  ddivu: { df: "hl=st", fn: (c, w) => ddiv(c, w, false) },
  madd: { df: "hl=sthl", fn: (c, w) => maddFamily(c, w, true, false) },
  maddu: { df: "hl=sthl", fn: (c, w) => maddFamily(c, w, false, false) },
  msub: { df: "hl=sthl", fn: (c, w) => maddFamily(c, w, true, true) },
  msubu: { df: "hl=sthl", fn: (c, w) => maddFamily(c, w, false, true) },
  // SPECIAL2 MUL: rd = low word; HI and LO become UNPREDICTABLE (§4.2)
  mul: { df: "d=st", fn: (c, w) => {
    c.setW(D(w), Math.imul(c.lo[S(w)], c.lo[T(w)]));
    c.hlUnpredictable(`SPECIAL2 MUL at 0x${c.cpc.toString(16)} leaves HI/LO UNPREDICTABLE`);
    return 0;
  } },
  mfhi: { df: "d=h", fn: (c, w) => readHL(c, w, 0) },
  mflo: { df: "d=l", fn: (c, w) => readHL(c, w, 2) },
  mthi: { df: "h=s", fn: (c, w) => writeHL(c, w, 0) },
  mtlo: { df: "l=s", fn: (c, w) => writeHL(c, w, 2) },

  // ---------- Release 6 ----------
  mul_r6: { df: "d=st", fn: (c, w) => { c.setW(D(w), Math.imul(c.lo[S(w)], c.lo[T(w)])); return 0; } },
  muh: { df: "d=st", fn: (c, w) => { c.setW(D(w), mulhs32(c.lo[S(w)], c.lo[T(w)])); return 0; } },
  mulu: { df: "d=st", fn: (c, w) => { c.setW(D(w), Math.imul(c.lo[S(w)], c.lo[T(w)])); return 0; } },
  muhu: { df: "d=st", fn: (c, w) => { c.setW(D(w), mulhu32(c.lo[S(w)], c.lo[T(w)])); return 0; } },
  div_r6: { df: "d=st", fn: (c, w) => r6div(c, w, true, false) },
  mod: { df: "d=st", fn: (c, w) => r6div(c, w, true, true) },
  divu_r6: { df: "d=st", fn: (c, w) => r6div(c, w, false, false) },
  modu: { df: "d=st", fn: (c, w) => r6div(c, w, false, true) },
  dmul: { df: "d=st", fn: (c, w) => dmulr6(c, w, true, false) },
  dmuh: { df: "d=st", fn: (c, w) => dmulr6(c, w, true, true) },
  dmulu: { df: "d=st", fn: (c, w) => dmulr6(c, w, false, false) },
  dmuhu: { df: "d=st", fn: (c, w) => dmulr6(c, w, false, true) },
  ddiv_r6: { df: "d=st", fn: (c, w) => r6ddiv(c, w, true, false) },
  dmod: { df: "d=st", fn: (c, w) => r6ddiv(c, w, true, true) },
  ddivu_r6: { df: "d=st", fn: (c, w) => r6ddiv(c, w, false, false) },
  dmodu: { df: "d=st", fn: (c, w) => r6ddiv(c, w, false, true) },
};
