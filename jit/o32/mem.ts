// o32 memory access: LDX/LDXSX, ST, STX of every size, atomics (W and DW) and LD_IMM64.
// Pair words are stored in target byte order: on LE the low word is at +0, on BE at +4.
// Atomics W: ll/sc loops (shared shape of reference/linux-mips-jit.md §6.2, with the R10000 beqzl and the
// Loongson-3 sync errata of mips-isa.md §8) where the level has ll/sc and !nollsc. Without ll/sc (MIPS I,
// nollsc) and for every DW atomic (o32 has no 64-bit ll/sc) the sequence is a plain load/op/store: exact
// for a single hardware thread with no interrupt handler touching the same word — the model of this
// harness. (Linux calls atomic*_ helpers there; those take a lock, which a self-contained image cannot.)
// Does not own address-space checks (the emulator traps bad accesses).
import type { Insn } from "../../src/ebpf/insn";
import {
  BPF_ADD, BPF_AND, BPF_ATOMIC, BPF_B, BPF_CMPXCHG, BPF_DW, BPF_FETCH, BPF_H, BPF_MEMSX, BPF_OR,
  BPF_PSEUDO_FUNC, BPF_PSEUDO_MAP_FD, BPF_PSEUDO_MAP_IDX, BPF_PSEUDO_MAP_IDX_VALUE, BPF_PSEUDO_MAP_VALUE,
  BPF_W, BPF_XCHG, BPF_XOR, R0,
} from "../../src/ebpf/insn";
import { InputError } from "../../src/ebpf/errors";
import { Cond, isS16, T6, T7, T8, T9, ZERO } from "../emitter";
import type { Emitter } from "../emitter";
import { clearHi } from "./alu";
import type { O32 } from "./ctx";

/** Base register and offsets for an access of `span` bytes at base+off, rebasing into T6 when off overflows. */
function addr(c: O32, base: number, off: number, span: number): [number, number] {
  if (off + span - 1 <= 0x7fff) return [base, off];
  c.e.addiu(T6, base, off);
  return [T6, 0];
}

/**
 * eBPF has no alignment rule (RFC 9669 §5.2) but MIPS lw/lh/sw/sh raise Address Error when misaligned
 * (mips-isa.md §5.2; r6 leaves misaligned support to an OS trap handler the image does not have). An access
 * is known aligned only through R10, which the frame keeps 8-aligned; every other access uses a
 * misalignment-safe form: LWL/LWR and SWL/SWR pairs before r6, byte sequences on r6 and for halfwords.
 */
const knownAligned = (baseReg: number, off: number, bytes: number): boolean =>
  bytes === 1 || (baseReg === 10 && (off & (bytes - 1)) === 0);

/** rt = zero- or sign-extended load of `bytes` (2 or 4) at off(b), alignment unknown. Uses T8/T9. */
function loadUnaligned(c: O32, rt: number, off: number, b: number, bytes: 2 | 4, signed: boolean): void {
  const e = c.e;
  const le = c.le;
  if (bytes === 4 && !c.r6) {
    // Merge into a temporary when rt is the base: lwl would clobber the base lwr still needs.
    const d = rt === b ? T9 : rt;
    if (le) { e.lwl(d, off + 3, b); e.lwr(d, off, b); } else { e.lwl(d, off, b); e.lwr(d, off + 3, b); }
    e.move(rt, d);
    return;
  }
  // Bytes, most significant first: byte k of the value sits at off + (le ? k : bytes-1-k).
  const at = (k: number): number => off + (le ? k : bytes - 1 - k);
  if (signed && bytes === 2) e.lb(T9, at(1), b); else e.lbu(T9, at(bytes - 1), b);
  for (let k = bytes - 2; k >= 0; k--) {
    e.lbu(T8, at(k), b);
    e.sll(T9, T9, 8);
    if (k === 0) e.or(rt, T9, T8); else e.or(T9, T9, T8);
  }
}

/** Store the low `bytes` (2 or 4) of r at off(b), alignment unknown. r is not T8. Uses T8. */
function storeUnaligned(c: O32, r: number, off: number, b: number, bytes: 2 | 4): void {
  const e = c.e;
  const le = c.le;
  if (bytes === 4 && !c.r6) {
    if (le) { e.swl(r, off + 3, b); e.swr(r, off, b); } else { e.swl(r, off, b); e.swr(r, off + 3, b); }
    return;
  }
  const at = (k: number): number => off + (le ? k : bytes - 1 - k);
  e.sb(r, at(0), b);
  for (let k = 1; k < bytes; k++) {
    e.srl(T8, r, 8 * k);
    e.sb(T8, at(k), b);
  }
}

function load(c: O32, baseReg: number, rt: number, off: number, b: number, bytes: 1 | 2 | 4, signed: boolean): void {
  const e = c.e;
  if (knownAligned(baseReg, off, bytes)) {
    if (bytes === 1) { if (signed) e.lb(rt, off, b); else e.lbu(rt, off, b); }
    else if (bytes === 2) { if (signed) e.lh(rt, off, b); else e.lhu(rt, off, b); }
    else e.lw(rt, off, b);
  } else loadUnaligned(c, rt, off, b, bytes as 2 | 4, signed);
}

function store(c: O32, baseReg: number, r: number, off: number, b: number, bytes: 1 | 2 | 4): void {
  const e = c.e;
  if (knownAligned(baseReg, off, bytes)) {
    if (bytes === 1) e.sb(r, off, b); else if (bytes === 2) e.sh(r, off, b); else e.sw(r, off, b);
  } else storeUnaligned(c, r, off, b, bytes as 2 | 4);
}

const BYTES = (sz: number): 1 | 2 | 4 => (sz === BPF_B ? 1 : sz === BPF_H ? 2 : 4);

export function ldx(c: O32, _i: number, x: Insn): void {
  const e = c.e;
  const dl = c.lo[x.dst], dh = c.hi[x.dst];
  const sz = x.opcode & 0x18;
  const sx = (x.opcode & 0xe0) === BPF_MEMSX;
  if (sz === BPF_DW) {
    const [b, off] = addr(c, c.lo[x.src], x.off, 8);
    const al = knownAligned(x.src, x.off, 4);
    const lo = c.le ? off : off + 4, hi = c.le ? off + 4 : off;
    // Load the half that is not the base last.
    const first = dl === b ? dh : dl, firstOff = dl === b ? hi : lo;
    const second = dl === b ? dl : dh, secondOff = dl === b ? lo : hi;
    if (al) { e.lw(first, firstOff, b); e.lw(second, secondOff, b); }
    else { load(c, -1, first, firstOff, b, 4, false); load(c, -1, second, secondOff, b, 4, false); }
    return;
  }
  const [b, off] = addr(c, c.lo[x.src], x.off, 4);
  load(c, b === c.lo[x.src] ? x.src : -1, dl, off, b, BYTES(sz), sx);
  if (sx) e.sra(dh, dl, 31);
  // Narrow zero-extending loads are 32-bit definitions for the verifier's zext pass (Linux is_reg64), so
  // under verifierZext the high half is left alone; otherwise clearing it also fills a MIPS I load delay.
  else if (!c.zext) clearHi(c, x.dst);
}

export function st(c: O32, _i: number, x: Insn): void {
  const e = c.e;
  const sz = x.opcode & 0x18;
  const imm = x.imm | 0;
  if (sz === BPF_DW) {
    const [b, off] = addr(c, c.lo[x.dst], x.off, 8);
    const bReg = b === c.lo[x.dst] ? x.dst : -1;
    const lo = c.le ? off : off + 4, hi = c.le ? off + 4 : off;
    // The immediate is sign-extended to 64 bits (RFC 9669 §5.2).
    let rl = ZERO;
    if (imm !== 0) { e.li(T9, imm); rl = T9; }
    let rh = ZERO;
    if (imm < 0) { if (imm === -1) rh = T9; else { e.addiu(T7, ZERO, -1); rh = T7; } }
    store(c, bReg, rl, lo, b, 4);
    store(c, bReg, rh, hi, b, 4);
    return;
  }
  const [b, off] = addr(c, c.lo[x.dst], x.off, 4);
  let r = ZERO;
  const v = sz === BPF_B ? imm & 0xff : sz === BPF_H ? imm & 0xffff : imm;
  if (v !== 0) { e.li(T9, v); r = T9; } // sb/sh store only the low byte/half
  store(c, b === c.lo[x.dst] ? x.dst : -1, r, off, b, BYTES(sz));
}

export function stx(c: O32, i: number, x: Insn): void {
  if ((x.opcode & 0xe0) === BPF_ATOMIC) { atomic(c, i, x); return; }
  const sz = x.opcode & 0x18;
  const sl = c.lo[x.src], sh = c.hi[x.src];
  if (sz === BPF_DW) {
    const [b, off] = addr(c, c.lo[x.dst], x.off, 8);
    const bReg = b === c.lo[x.dst] ? x.dst : -1;
    store(c, bReg, sl, c.le ? off : off + 4, b, 4);
    store(c, bReg, sh, c.le ? off + 4 : off, b, 4);
    return;
  }
  const [b, off] = addr(c, c.lo[x.dst], x.off, 4);
  store(c, b === c.lo[x.dst] ? x.dst : -1, sl, off, b, BYTES(sz));
}

function atomic(c: O32, i: number, x: Insn): void {
  const sz = x.opcode & 0x18;
  const op = x.imm;
  const base = op & ~BPF_FETCH;
  const valid = op === BPF_XCHG || op === BPF_CMPXCHG ||
    base === BPF_ADD || base === BPF_AND || base === BPF_OR || base === BPF_XOR;
  if (!valid) throw new InputError(`unsupported atomic operation 0x${op.toString(16)}`, { insn: i });
  if (sz === BPF_W) atomicW(c, x);
  else if (sz === BPF_DW) atomicDW(c, x);
  else throw new InputError("atomics exist only for W and DW", { insn: i });
}

/** T9 = T8 <op> src (the new memory word). */
function rmwOp(e: Emitter, op: number, src: number): void {
  switch (op & ~BPF_FETCH) {
    case BPF_ADD: e.addu(T9, T8, src); break;
    case BPF_AND: e.and(T9, T8, src); break;
    case BPF_OR: e.or(T9, T8, src); break;
    case BPF_XOR: e.xor(T9, T8, src); break;
    default: e.move(T9, src); break; // XCHG
  }
}

function atomicW(c: O32, x: Insn): void {
  const e = c.e;
  const op = x.imm;
  const sl = c.lo[x.src], sh = c.hi[x.src];
  const r0l = c.lo[R0];
  let b = c.lo[x.dst], off = x.off;
  const errata = c.opts.errata ?? {};
  if (c.llsc) {
    // r6 LL/SC have a 9-bit offset (mips-isa.md §2.1).
    if (c.r6 ? off < -256 || off > 255 : false) { e.addiu(T6, b, off); b = T6; off = 0; }
    const retry = e.newLabel();
    e.bind(retry);
    if (errata.loongson3) e.sync(); // sync right before ll; the retry branch targets it (§8)
    e.ll(T8, off, b);
    if (op === BPF_CMPXCHG) {
      const out = e.newLabel();
      e.branchTo(Cond.NE, T8, r0l, out);
      e.move(T9, sl); // delay slot
      e.sc(T9, off, b);
      retryBranch(c, retry);
      e.nop();
      e.bind(out);
    } else {
      rmwOp(e, op, sl);
      e.sc(T9, off, b);
      retryBranch(c, retry);
      e.nop();
    }
  } else {
    e.lw(T8, off, b);
    if (op === BPF_CMPXCHG) {
      const out = e.newLabel();
      e.branchTo(Cond.NE, T8, r0l, out);
      e.nop();
      e.sw(sl, off, b);
      e.bind(out);
    } else {
      rmwOp(e, op, sl);
      e.sw(T9, off, b);
    }
  }
  // Fetched / old values are zero-extended (ebpf-semantics.md §2.6).
  // (32-bit definitions for the verifier's zext pass, like ALU32.)
  if (op === BPF_CMPXCHG) { e.move(r0l, T8); if (!c.zext) clearHi(c, R0); }
  else if (op & BPF_FETCH) { e.move(sl, T8); if (sh !== ZERO && !c.zext) e.addu(sh, ZERO, ZERO); }
}

function retryBranch(c: O32, retry: number): void {
  // R10000 erratum (§8): the sc-retry branch must be branch-likely.
  if (c.opts.errata?.r10000 && !c.r6) c.e.beqzlTo(T9, retry);
  else c.e.branchTo(Cond.EQ, T9, ZERO, retry);
}

function atomicDW(c: O32, x: Insn): void {
  const e = c.e;
  const op = x.imm;
  const sl = c.lo[x.src], sh = c.hi[x.src];
  const [b, off] = addr(c, c.lo[x.dst], x.off, 8);
  const lo = c.le ? off : off + 4, hi = c.le ? off + 4 : off;
  e.lw(T8, lo, b);
  e.lw(T7, hi, b);
  if (op === BPF_CMPXCHG) {
    const out = e.newLabel();
    e.branchTo(Cond.NE, T8, c.lo[R0], out);
    e.nop();
    e.branchTo(Cond.NE, T7, c.hi[R0], out);
    e.nop();
    e.sw(sl, lo, b);
    e.sw(sh, hi, b);
    e.bind(out);
    e.move(c.lo[R0], T8);
    e.move(c.hi[R0], T7);
    return;
  }
  switch (op & ~BPF_FETCH) {
    case BPF_ADD:
      e.addu(T9, T8, sl);
      e.sw(T9, lo, b);
      e.sltu(T9, T9, sl); // carry
      e.addu(T9, T9, T7);
      e.addu(T9, T9, sh);
      e.sw(T9, hi, b);
      break;
    case BPF_AND: e.and(T9, T8, sl); e.sw(T9, lo, b); e.and(T9, T7, sh); e.sw(T9, hi, b); break;
    case BPF_OR: e.or(T9, T8, sl); e.sw(T9, lo, b); e.or(T9, T7, sh); e.sw(T9, hi, b); break;
    case BPF_XOR: e.xor(T9, T8, sl); e.sw(T9, lo, b); e.xor(T9, T7, sh); e.sw(T9, hi, b); break;
    default: e.sw(sl, lo, b); e.sw(sh, hi, b); break; // XCHG
  }
  if (op & BPF_FETCH) { e.move(sl, T8); if (sh !== ZERO) e.move(sh, T7); }
}

/** LD_IMM64 in the variants the loader resolves (ebpf-semantics.md §2.4). Returns slots consumed (2). */
export function ldImm64(c: O32, i: number, x: Insn, next: Insn): void {
  const e = c.e;
  const dl = c.lo[x.dst], dh = c.hi[x.dst];
  switch (x.src) {
    case 0:
      e.li(dl, x.imm);
      e.li(dh, next.imm);
      return;
    case BPF_PSEUDO_MAP_FD: case BPF_PSEUDO_MAP_IDX:
    case BPF_PSEUDO_MAP_VALUE: case BPF_PSEUDO_MAP_IDX_VALUE: {
      const p = c.maps[x.imm];
      if (!p) throw new InputError(`LD_IMM64 refers to map ${x.imm}, but ${c.maps.length} maps are defined`, { insn: i });
      const v = x.src === BPF_PSEUDO_MAP_FD || x.src === BPF_PSEUDO_MAP_IDX ? p.objectAddr : p.valuesAddr + (next.imm | 0);
      e.li(dl, v);
      clearHi(c, x.dst); // 32-bit address space
      return;
    }
    case BPF_PSEUDO_FUNC: {
      // Layout-dependent: the fixed-length form keeps the instruction's size independent of offsets.
      const t = i + 1 + x.imm;
      e.li2(dl, e.dry ? 0 : c.core.addrOfWord(c.core.entries[t]));
      clearHi(c, x.dst);
      return;
    }
    default:
      throw new InputError(`LD_IMM64 src ${x.src} is not supported`, { insn: i });
  }
}

/**
 * Legacy packet loads (RFC 9669 §5.5, deprecated; Linux semantics as the reference implements them):
 * R0 = the big-endian B/H/W at ctx + offset, offset = imm (ABS) or (s32)(lo(src) + imm) (IND); an access
 * outside [0, ctx size) ends the current function with R0 = 0. The context's address and size come from the
 * layout the image is compiled for (layout.ctx), as the harness calls the program with exactly that buffer.
 */
export function ldPacket(c: O32, i: number, x: Insn): void {
  const e = c.e;
  const size = x.opcode & 0x18;
  const bytes = size === BPF_B ? 1 : size === BPF_H ? 2 : size === BPF_W ? 4 : 0;
  if (bytes === 0) throw new InputError("legacy packet loads exist only for B, H and W", { insn: i });
  const ind = (x.opcode & 0xe0) !== 0x20;
  const { base, size: len } = c.opts.layout.ctx;
  const r0l = c.lo[R0];
  const exit0 = (): void => {
    e.addu(r0l, ZERO, ZERO);
    clearHi(c, R0);
    c.core.farBranch(Cond.ALWAYS, ZERO, ZERO, c.prog.length);
  };
  let b: number, off: number;
  if (!ind) {
    const o = x.imm | 0;
    if (o < 0 || o + bytes > len) { exit0(); return; }
    e.li(T7, (base + o) | 0);
    b = T7; off = 0;
  } else {
    const sl = c.lo[x.src];
    if (isS16(x.imm)) e.addiu(T7, sl, x.imm); else { e.li(T7, x.imm); e.addu(T7, sl, T7); }
    // In bounds iff (u32)o ≤ len − bytes: a negative s32 offset is a huge u32.
    const lim = len - bytes + 1; // compare o < lim
    const inb = e.newLabel();
    if (lim <= 0) { exit0(); return; }
    if (isS16(lim)) e.sltiu(T9, T7, lim); else { e.li(T9, lim); e.sltu(T9, T7, T9); }
    e.branchTo(Cond.NE, T9, ZERO, inb);
    e.nop();
    exit0();
    e.bind(inb);
    if (base !== 0) { e.li(T9, base); e.addu(T7, T7, T9); }
    b = T7; off = 0;
  }
  // Network byte order, alignment unknown: bytes, most significant first.
  e.lbu(T9, off, b);
  for (let k = 1; k < bytes; k++) {
    e.lbu(T8, off + k, b);
    e.sll(T9, T9, 8);
    e.or(T9, T9, T8);
  }
  e.move(r0l, T9);
  clearHi(c, R0);
}
