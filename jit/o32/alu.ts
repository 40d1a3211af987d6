// o32 ALU code: ALU32 on the low register of a pair, ALU64 on register pairs (carries via sltu, cross-word
// shifts, three-partial-product multiply), MOVSX and byte swaps. Division lives in divmod.ts.
// Strategies follow reference/linux-mips-jit.md §6.1–6.2, improved where noted (lui-only constants,
// no redundant zero-extension under verifierZext, X shifts without a branch for amount 0).
// Does not own: 64-bit division (divmod.ts), jumps, memory, calls.
import {
  BPF_ADD, BPF_AND, BPF_ARSH, BPF_DIV, BPF_END, BPF_LSH, BPF_MOD, BPF_MOV, BPF_MUL, BPF_NEG, BPF_OR, BPF_RSH,
  BPF_SUB, BPF_XOR,
} from "../../src/ebpf/insn";
import type { Insn } from "../../src/ebpf/insn";
import { Cond, isS16, isU16, T6, T7, T8, T9, ZERO } from "../emitter";
import type { Emitter } from "../emitter";
import { InputError } from "../../src/ebpf/errors";
import type { O32 } from "./ctx";
import { divmod32, divmod64 } from "./divmod";

const isPow2 = (v: number): boolean => v > 0 && (v & (v - 1)) === 0;
const log2 = (v: number): number => 31 - Math.clz32(v);

export function clearHi(c: O32, r: number): void {
  const h = c.hi[r];
  if (h !== ZERO) c.e.addu(h, ZERO, ZERO);
}

/** rd = low 32 bits of rs × rt (MIPS32 `mul`, r6 `mul`, else `multu` + `mflo`). */
export function mulLo(c: O32, rd: number, rs: number, rt: number): void {
  const e = c.e;
  if (c.r6) e.mulR6(rd, rs, rt);
  else if (c.mul32) e.mul(rd, rs, rt);
  else { e.multu(rs, rt); e.mflo(rd); }
}

// ───────────── ALU32 ─────────────

export function alu32(c: O32, i: number, x: Insn): void {
  const e = c.e;
  const op = x.opcode & 0xf0;
  const isX = (x.opcode & 0x08) !== 0;
  const d = c.lo[x.dst];
  const s = c.lo[x.src];
  const imm = x.imm | 0;
  if (op === BPF_END) { endian(c, x, false); return; }
  if (op === BPF_MOV) {
    if (isX) {
      // BPF_ZEXT_REG marker (ebpf-semantics.md §3 row 5): mov32 rX, rX with imm = 1 only clears the high half.
      if (x.imm === 1 && x.src === x.dst && x.off === 0) { if (!c.mut.dropZext /* mutation check */) clearHi(c, x.dst); return; }
      if (x.off === 8) signExt(c, d, s, 8);
      else if (x.off === 16) signExt(c, d, s, 16);
      else e.move(d, s);
    } else e.li(d, imm);
    if (!c.zext) clearHi(c, x.dst);
    return;
  }
  switch (op) {
    case BPF_ADD:
      if (isX) e.addu(d, d, s);
      else if (imm === 0) { /* nothing */ } else if (isS16(imm)) e.addiu(d, d, imm);
      else { e.li(T9, imm); e.addu(d, d, T9); }
      break;
    case BPF_SUB:
      if (isX) e.subu(d, d, s);
      else if (imm === 0) { /* nothing */ } else if (isS16(-imm)) e.addiu(d, d, -imm);
      else { e.li(T9, imm); e.subu(d, d, T9); }
      break;
    case BPF_MUL:
      if (isX) mulLo(c, d, d, s);
      else if (imm === 0) e.addu(d, ZERO, ZERO);
      else if (imm === 1) { /* nothing */ } else if (isPow2(imm)) e.sll(d, d, log2(imm));
      else { e.li(T9, imm); mulLo(c, d, d, T9); }
      break;
    case BPF_DIV:
    case BPF_MOD:
      divmod32(c, i, x);
      break;
    case BPF_OR:
      if (isX) e.or(d, d, s);
      else if (imm === 0) { /* nothing */ } else if (isU16(imm)) e.ori(d, d, imm);
      else { e.li(T9, imm); e.or(d, d, T9); }
      break;
    case BPF_AND:
      if (isX) e.and(d, d, s);
      else if (imm === 0) e.addu(d, ZERO, ZERO);
      else if (imm === -1) { /* nothing */ } else if (isU16(imm)) e.andi(d, d, imm);
      else { e.li(T9, imm); e.and(d, d, T9); }
      break;
    case BPF_XOR:
      if (isX) { if (x.src === x.dst) e.addu(d, ZERO, ZERO); else e.xor(d, d, s); }
      else if (imm === 0) { /* nothing */ } else if (isU16(imm)) e.xori(d, d, imm);
      else if (imm === -1) e.nor(d, d, ZERO);
      else { e.li(T9, imm); e.xor(d, d, T9); }
      break;
    // Shift amounts are masked to 5 bits by both eBPF (RFC 9669 §4.1) and MIPS sllv/srlv/srav.
    case BPF_LSH: if (isX) e.sllv(d, d, s); else if (imm & 31) e.sll(d, d, imm & 31); break;
    case BPF_RSH: if (isX) e.srlv(d, d, s); else if (imm & 31) e.srl(d, d, imm & 31); break;
    case BPF_ARSH: if (isX) e.srav(d, d, s); else if (imm & 31) e.sra(d, d, imm & 31); break;
    case BPF_NEG: e.subu(d, ZERO, d); break;
    default: throw new InputError(`unknown ALU opcode 0x${x.opcode.toString(16)}`, { insn: i });
  }
  if (!c.zext) clearHi(c, x.dst);
}

/** d = sign-extend the low `bits` of s, 32-bit. */
function signExt(c: O32, d: number, s: number, bits: 8 | 16): void {
  const e = c.e;
  if (c.r2) { if (bits === 8) e.seb(d, s); else e.seh(d, s); return; }
  e.sll(d, s, 32 - bits);
  e.sra(d, d, 32 - bits);
}

// ───────────── byte swaps (shared shapes, reference/linux-mips-jit.md §6.2 END) ─────────────

/** dst = bswap16(src) zero-extended; src/dst may alias. Uses T9. */
export function swap16(e: Emitter, r2: boolean, d: number, s: number): void {
  if (r2) { e.wsbh(d, s); e.andi(d, d, 0xffff); return; }
  e.andi(T9, s, 0xff);
  e.sll(T9, T9, 8);
  e.srl(d, s, 8);
  e.andi(d, d, 0xff);
  e.or(d, d, T9);
}

/** dst = bswap32(src); src/dst may alias. Uses T8, T9 before r2. */
export function swap32(e: Emitter, r2: boolean, d: number, s: number): void {
  if (r2) { e.wsbh(d, s); e.rotr(d, d, 16); return; }
  e.sll(T9, s, 24);
  e.srl(T8, s, 24);
  e.or(T9, T9, T8);
  e.andi(T8, s, 0xff00);
  e.sll(T8, T8, 8);
  e.or(T9, T9, T8);
  e.srl(T8, s, 8);
  e.andi(T8, T8, 0xff00);
  e.or(d, T9, T8);
}

/** END (ALU class, to-LE/to-BE relative to the target's byte order) and BSWAP (ALU64 class, always). */
export function endian(c: O32, x: Insn, always: boolean): void {
  const e = c.e;
  const d = c.lo[x.dst], h = c.hi[x.dst];
  const toBE = (x.opcode & 0x08) !== 0;
  const swap = always || toBE === c.le;
  const bits = x.imm;
  // 16/32-bit END and BSWAP are 32-bit definitions for the verifier's zext pass (Linux is_reg64).
  if (bits === 16) {
    if (swap) swap16(e, c.r2, d, d); else e.andi(d, d, 0xffff);
    if (!c.zext) clearHi(c, x.dst);
  } else if (bits === 32) {
    if (swap) swap32(e, c.r2, d, d);
    if (!c.zext) clearHi(c, x.dst);
  } else if (bits === 64) {
    if (!swap) return;
    swap32(e, c.r2, T7, d);
    swap32(e, c.r2, d, h);
    e.move(h, T7);
  } else throw new InputError(`END/BSWAP width ${bits} (must be 16, 32 or 64)`);
}

// ───────────── ALU64 ─────────────

export function alu64(c: O32, i: number, x: Insn): void {
  const e = c.e;
  const op = x.opcode & 0xf0;
  const isX = (x.opcode & 0x08) !== 0;
  const dl = c.lo[x.dst], dh = c.hi[x.dst];
  const sl = c.lo[x.src], sh = c.hi[x.src];
  const imm = x.imm | 0;
  const ih = imm >> 31; // K is sign-extended to 64 bits (RFC 9669 §4.1)
  const same = isX && x.src === x.dst;
  switch (op) {
    case BPF_MOV:
      if (isX) {
        if (x.off === 0) { e.move(dl, sl); e.move(dh, sh); return; }
        if (x.off === 32) e.move(dl, sl); else signExt(c, dl, sl, x.off as 8 | 16);
        e.sra(dh, dl, 31);
      } else { e.li(dl, imm); e.li(dh, ih); }
      return;
    case BPF_ADD:
      if (isX) {
        if (same) { e.srl(T9, dl, 31); e.addu(dl, dl, dl); e.addu(dh, dh, dh); e.addu(dh, dh, T9); return; }
        e.addu(dl, dl, sl);
        e.sltu(T9, dl, sl); // carry out of the low word
        if (sh !== ZERO) e.addu(dh, dh, sh);
        if (!c.mut.dropCarry) e.addu(dh, dh, T9);
      } else addImm64(c, dl, dh, imm);
      return;
    case BPF_SUB:
      if (isX) {
        if (same) { e.addu(dl, ZERO, ZERO); e.addu(dh, ZERO, ZERO); return; }
        e.sltu(T9, dl, sl); // borrow
        e.subu(dl, dl, sl);
        if (sh !== ZERO) e.subu(dh, dh, sh);
        e.subu(dh, dh, T9);
      } else if (imm === (-0x80000000 | 0)) {
        // −INT_MIN does not fit an s32: subtract 0xffffffff80000000 = add 0x0000000080000000.
        e.lui(T8, 0x8000); e.addu(dl, dl, T8); e.sltu(T9, dl, T8); e.addu(dh, dh, T9);
      } else addImm64(c, dl, dh, -imm);
      return;
    case BPF_AND:
    case BPF_OR:
    case BPF_XOR:
      if (isX) logic64X(c, op, dl, dh, sl, sh, same);
      else logic64K(c, op, dl, dh, imm);
      return;
    case BPF_LSH: case BPF_RSH: case BPF_ARSH:
      if (isX) shift64X(c, op, dl, dh, sl);
      else shift64K(c, op, dl, dh, imm & 63);
      return;
    case BPF_NEG: neg64(e, dl, dh); return;
    case BPF_MUL:
      if (isX) { mul64(c, dl, dh, sl, sh); return; }
      if (imm === 0) { e.addu(dl, ZERO, ZERO); e.addu(dh, ZERO, ZERO); return; }
      if (imm === 1) return;
      if (imm === -1) { neg64(e, dl, dh); return; }
      if (isPow2(imm)) { shift64K(c, BPF_LSH, dl, dh, log2(imm)); return; }
      e.li(T7, imm);
      if (ih) e.addiu(T6, ZERO, -1);
      mul64(c, dl, dh, T7, ih ? T6 : ZERO);
      return;
    case BPF_DIV: case BPF_MOD: divmod64(c, i, x); return;
    case BPF_END: endian(c, x, true); return;
    default: throw new InputError(`unknown ALU64 opcode 0x${x.opcode.toString(16)}`, { insn: i });
  }
}

/** (dh:dl) += sext64(k) for an s32 k (k ≠ INT_MIN is guaranteed by the callers' use of −imm only ≠ INT_MIN). */
function addImm64(c: O32, dl: number, dh: number, k: number): void {
  const e = c.e;
  k |= 0;
  if (k === 0) return;
  if (k > 0 && k <= 0x7fff) {
    e.addiu(dl, dl, k);
    e.sltiu(T9, dl, k); // carry: new low < k
    e.addu(dh, dh, T9);
  } else if (k < 0 && k >= -0x7fff) {
    e.sltiu(T9, dl, -k); // borrow of subtracting −k
    e.addiu(dl, dl, k);
    e.subu(dh, dh, T9);
  } else {
    e.li(T8, k);
    e.addu(dl, dl, T8);
    e.sltu(T9, dl, T8);
    e.addu(dh, dh, T9);
    if (k < 0) e.addiu(dh, dh, -1);
  }
}

function logic64X(c: O32, op: number, dl: number, dh: number, sl: number, sh: number, same: boolean): void {
  const e = c.e;
  if (op === BPF_AND) { if (same) return; e.and(dl, dl, sl); e.and(dh, dh, sh); return; }
  if (op === BPF_OR) { if (same) return; e.or(dl, dl, sl); if (sh !== ZERO) e.or(dh, dh, sh); return; }
  if (same) { e.addu(dl, ZERO, ZERO); e.addu(dh, ZERO, ZERO); return; }
  e.xor(dl, dl, sl);
  if (sh !== ZERO) e.xor(dh, dh, sh);
}

function logic64K(c: O32, op: number, dl: number, dh: number, imm: number): void {
  const e = c.e;
  const neg = imm < 0;
  if (op === BPF_AND) {
    if (imm === 0) { e.addu(dl, ZERO, ZERO); e.addu(dh, ZERO, ZERO); return; }
    if (imm !== -1) { if (isU16(imm)) e.andi(dl, dl, imm); else { e.li(T9, imm); e.and(dl, dl, T9); } }
    if (!neg) e.addu(dh, ZERO, ZERO);
    return;
  }
  if (op === BPF_OR) {
    if (imm === -1) e.addiu(dl, ZERO, -1);
    else if (isU16(imm)) { if (imm) e.ori(dl, dl, imm); }
    else { e.li(T9, imm); e.or(dl, dl, T9); }
    if (neg) e.addiu(dh, ZERO, -1);
    return;
  }
  if (imm === -1) e.nor(dl, dl, ZERO);
  else if (isU16(imm)) { if (imm) e.xori(dl, dl, imm); }
  else { e.li(T9, imm); e.xor(dl, dl, T9); }
  if (neg) e.nor(dh, dh, ZERO);
}

export function neg64(e: Emitter, dl: number, dh: number): void {
  e.subu(dl, ZERO, dl);
  e.sltu(T9, ZERO, dl); // borrow = low ≠ 0
  e.subu(dh, ZERO, dh);
  e.subu(dh, dh, T9);
}

/** Constant 64-bit shifts, k in 0..63 (reference/linux-mips-jit.md §6.2). */
export function shift64K(c: O32, op: number, dl: number, dh: number, k: number): void {
  const e = c.e;
  if (k === 0) return;
  if (op === BPF_LSH) {
    if (k < 32) { e.srl(T9, dl, 32 - k); e.sll(dh, dh, k); e.or(dh, dh, T9); e.sll(dl, dl, k); }
    else { e.sll(dh, dl, k - 32); e.addu(dl, ZERO, ZERO); }
  } else if (op === BPF_RSH) {
    if (k < 32) { e.sll(T9, dh, 32 - k); e.srl(dl, dl, k); e.or(dl, dl, T9); e.srl(dh, dh, k); }
    else { e.srl(dl, dh, k - 32); e.addu(dh, ZERO, ZERO); }
  } else {
    if (k < 32) { e.sll(T9, dh, 32 - k); e.srl(dl, dl, k); e.or(dl, dl, T9); e.sra(dh, dh, k); }
    else { e.sra(dl, dh, k - 32); e.sra(dh, dh, 31); }
  }
}

/**
 * Register 64-bit shifts by n = s & 63. Bit 5 of n picks the cross-word form; below 32 the bits crossing
 * words are `(x >> 1) >> (31 − n)` (resp. `<<`), which is 0 for n = 0 without a branch.
 */
function shift64X(c: O32, op: number, dl: number, dh: number, s: number): void {
  const e = c.e;
  const lt32 = e.newLabel(), done = e.newLabel();
  e.andi(T9, s, 32);
  if (op === BPF_LSH) {
    e.branchTo(Cond.EQ, T9, ZERO, lt32);
    e.srl(T8, dl, 1); // delay slot, used on the < 32 path only
    e.sllv(dh, dl, s);
    e.branchTo(Cond.ALWAYS, ZERO, ZERO, done);
    e.addu(dl, ZERO, ZERO);
    e.bind(lt32);
    e.nor(T9, s, ZERO);
    e.srlv(T8, T8, T9);
    e.sllv(dh, dh, s);
    e.or(dh, dh, T8);
    e.sllv(dl, dl, s);
  } else {
    const arith = op === BPF_ARSH;
    e.branchTo(Cond.EQ, T9, ZERO, lt32);
    e.sll(T8, dh, 1); // delay slot, used on the < 32 path only
    if (arith) { e.srav(dl, dh, s); e.branchTo(Cond.ALWAYS, ZERO, ZERO, done); e.sra(dh, dh, 31); }
    else { e.srlv(dl, dh, s); e.branchTo(Cond.ALWAYS, ZERO, ZERO, done); e.addu(dh, ZERO, ZERO); }
    e.bind(lt32);
    e.nor(T9, s, ZERO);
    e.sllv(T8, T8, T9);
    // High word first: s may be dl (dst == src) and must be read before dl changes.
    if (arith) e.srav(dh, dh, s); else e.srlv(dh, dh, s);
    e.srlv(dl, dl, s);
    e.or(dl, dl, T8);
  }
  e.bind(done);
}

/**
 * (dh:dl) ×= (sh:sl) mod 2^64: lo = lo32(dl·sl); hi = hi32(dl·sl) + dh·sl + dl·sh. All partial products
 * read the original operands, so dst == src is fine. sh may be $zero.
 */
function mul64(c: O32, dl: number, dh: number, sl: number, sh: number): void {
  const e = c.e;
  mulLo(c, T9, dh, sl);
  if (sh !== ZERO) { mulLo(c, T8, dl, sh); e.addu(T9, T9, T8); }
  if (c.r6) { e.muhu(T8, dl, sl); e.mulu(dl, dl, sl); }
  else { e.multu(dl, sl); e.mflo(dl); e.mfhi(T8); }
  e.addu(dh, T9, T8);
}
