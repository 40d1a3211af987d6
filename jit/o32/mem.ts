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
import { Cond, T6, T7, T8, T9, ZERO } from "../emitter";
import type { Emitter } from "../emitter";
import { clearHi } from "./alu";
import type { O32 } from "./ctx";

/** Base register and offsets for an access of `bytes` at base+off, rebasing into T6 when off+4 overflows. */
function addr(c: O32, base: number, off: number, span: number): [number, number] {
  if (off + span - 1 <= 0x7fff) return [base, off];
  c.e.addiu(T6, base, off);
  return [T6, 0];
}

export function ldx(c: O32, _i: number, x: Insn): void {
  const e = c.e;
  const dl = c.lo[x.dst], dh = c.hi[x.dst];
  const sz = x.opcode & 0x18;
  const sx = (x.opcode & 0xe0) === BPF_MEMSX;
  if (sz === BPF_DW) {
    const [b, off] = addr(c, c.lo[x.src], x.off, 8);
    const lo = c.le ? off : off + 4, hi = c.le ? off + 4 : off;
    if (dl === b) { e.lw(dh, hi, b); e.lw(dl, lo, b); } else { e.lw(dl, lo, b); e.lw(dh, hi, b); }
    return;
  }
  const b = c.lo[x.src];
  if (sz === BPF_B) { if (sx) e.lb(dl, x.off, b); else e.lbu(dl, x.off, b); }
  else if (sz === BPF_H) { if (sx) e.lh(dl, x.off, b); else e.lhu(dl, x.off, b); }
  else e.lw(dl, x.off, b);
  if (sx) e.sra(dh, dl, 31);
  else clearHi(c, x.dst); // also fills the MIPS I load-delay slot (writes dh, reads nothing loaded)
}

function storeSized(e: Emitter, sz: number, r: number, off: number, b: number): void {
  if (sz === BPF_B) e.sb(r, off, b);
  else if (sz === BPF_H) e.sh(r, off, b);
  else e.sw(r, off, b);
}

export function st(c: O32, _i: number, x: Insn): void {
  const e = c.e;
  const sz = x.opcode & 0x18;
  const imm = x.imm | 0;
  if (sz === BPF_DW) {
    const [b, off] = addr(c, c.lo[x.dst], x.off, 8);
    const lo = c.le ? off : off + 4, hi = c.le ? off + 4 : off;
    // The immediate is sign-extended to 64 bits (RFC 9669 §5.2).
    let rl = ZERO;
    if (imm !== 0) { e.li(T9, imm); rl = T9; }
    let rh = ZERO;
    if (imm < 0) { if (imm === -1) rh = T9; else { e.addiu(T8, ZERO, -1); rh = T8; } }
    e.sw(rl, lo, b);
    e.sw(rh, hi, b);
    return;
  }
  let r = ZERO;
  const v = sz === BPF_B ? imm & 0xff : sz === BPF_H ? imm & 0xffff : imm;
  if (v !== 0) { e.li(T9, v); r = T9; } // sb/sh store only the low byte/half
  storeSized(e, sz, r, x.off, c.lo[x.dst]);
}

export function stx(c: O32, i: number, x: Insn): void {
  if ((x.opcode & 0xe0) === BPF_ATOMIC) { atomic(c, i, x); return; }
  const e = c.e;
  const sz = x.opcode & 0x18;
  const sl = c.lo[x.src], sh = c.hi[x.src];
  if (sz === BPF_DW) {
    const [b, off] = addr(c, c.lo[x.dst], x.off, 8);
    e.sw(sl, c.le ? off : off + 4, b);
    e.sw(sh, c.le ? off + 4 : off, b);
    return;
  }
  storeSized(e, sz, sl, x.off, c.lo[x.dst]);
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
  if (op === BPF_CMPXCHG) { e.move(r0l, T8); clearHi(c, R0); }
  else if (op & BPF_FETCH) { e.move(sl, T8); if (sh !== ZERO) e.addu(sh, ZERO, ZERO); }
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
