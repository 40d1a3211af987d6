// o32 division: 32-bit DIV/MOD/SDIV/SMOD with the hardware divider, and 64-bit ones INLINE (Linux calls
// div64_u64/jit_mod64 helpers, reference/linux-mips-jit.md §6.2; "inline instead of helpers" is §14).
// 64-bit: when both operands fit the 32-bit divider (unsigned: high words 0; signed: both in [0, 2^31))
// one `divu` does it; otherwise a restoring shift-subtract loop over 64 quotient bits runs with the dividend
// and quotient in the destination pair, the remainder in t6:t7 and the divisor, count and sign in the
// frame's scratch words, so no eBPF register is spilled (spilling a dead caller-saved register would store
// an ABI-undefined value). Signed forms divide magnitudes and fix signs (truncated division, RFC 9669 §4.1).
// Division by zero and INT_MIN / −1 of user registers never reach here: the verifier's guards rewrite them
// (ebpf-semantics.md §3 rows 2–3), as for every Linux JIT. Constant divisors 0 are folded here, and a
// divisor in AX (a constant the verifier blinded after its guards ran) is tested at run time.
import type { Insn } from "../../src/ebpf/insn";
import { AX, BPF_MOD } from "../../src/ebpf/insn";
import { Cond, SP, T6, T7, T8, T9, ZERO } from "../emitter";
import type { O32 } from "./ctx";
import { SCR_CNT, SCR_DHI, SCR_DLO, SCR_SIGN } from "./ctx";
import { clearHi, neg64, shift64K } from "./alu";

const isPow2 = (v: number): boolean => v > 0 && (v & (v - 1)) === 0;

/** 32-bit div/mod of the low words; signed when off = 1. */
export function divmod32(c: O32, _i: number, x: Insn): void {
  const e = c.e;
  const isX = (x.opcode & 0x08) !== 0;
  const mod = (x.opcode & 0xf0) === BPF_MOD;
  const signed = x.off === 1;
  const d = c.lo[x.dst];
  let s = c.lo[x.src];
  if (!isX) {
    const u = x.imm >>> 0;
    if (u === 0) {
      // Constant divisor 0 (Linux rejects it at load; RFC 9669 §4.1 defines it): DIV → 0, MOD → dst.
      if (!mod) e.addu(d, ZERO, ZERO);
      if (!c.zext) clearHi(c, x.dst);
      return;
    }
    if (!signed && isPow2(u)) {
      // DIV 2^n → shift, MOD 2^n → mask (reference/linux-mips-jit.md §6.1 rewrites)
      const k = 31 - Math.clz32(u);
      if (mod) { if (u - 1 <= 0xffff) e.andi(d, d, u - 1); else { e.li(T9, u - 1); e.and(d, d, T9); } }
      else if (k) e.srl(d, d, k);
      if (!c.zext) clearHi(c, x.dst);
      return;
    }
    if (signed && (x.imm === 1 || x.imm === -1)) {
      if (mod) e.addu(d, ZERO, ZERO);
      else if (x.imm === -1) e.subu(d, ZERO, d);
      if (!c.zext) clearHi(c, x.dst);
      return;
    }
    e.li(T9, x.imm);
    s = T9;
  }
  // A divisor in AX is a blinded constant (the verifier blinds after its divide-by-register guards, so a
  // constant 0 arrives unguarded): test it here. Programs without blinding never pay for this.
  const guard = isX && x.src === AX;
  const nz = guard ? e.newLabel() : -1, end = guard ? e.newLabel() : -1;
  if (guard) {
    e.branchTo(Cond.NE, s, ZERO, nz);
    e.nop();
    if (!mod) e.addu(d, ZERO, ZERO); // DIV by 0 → 0; MOD by 0 → dst (RFC 9669 §4.1)
    e.branchTo(Cond.ALWAYS, ZERO, ZERO, end);
    e.nop();
    e.bind(nz);
  }
  if (c.r6) {
    if (signed) { if (mod) e.mod(d, d, s); else e.divR6(d, d, s); }
    else if (mod) e.modu(d, d, s); else e.divuR6(d, d, s);
  } else {
    if (signed) e.div(d, s); else e.divu(d, s);
    if (mod) e.mfhi(d); else e.mflo(d);
  }
  if (guard) e.bind(end);
  if (!c.zext) clearHi(c, x.dst);
}

export function divmod64(c: O32, _i: number, x: Insn): void {
  const e = c.e;
  const isX = (x.opcode & 0x08) !== 0;
  const mod = (x.opcode & 0xf0) === BPF_MOD;
  const signed = x.off === 1;
  const dl = c.lo[x.dst], dh = c.hi[x.dst];
  let sl = c.lo[x.src], sh = c.hi[x.src];
  if (!isX) {
    const imm = x.imm | 0;
    if (imm === 0) {
      // Constant divisor 0: DIV → 0, MOD leaves dst unchanged (RFC 9669 §4.1).
      if (!mod) { e.addu(dl, ZERO, ZERO); e.addu(dh, ZERO, ZERO); }
      return;
    }
    if (!signed && isPow2(imm)) {
      if (mod) {
        if (imm - 1 <= 0xffff) e.andi(dl, dl, imm - 1); else { e.li(T9, imm - 1); e.and(dl, dl, T9); }
        e.addu(dh, ZERO, ZERO);
      } else shift64K(c, 0x70, dl, dh, 31 - Math.clz32(imm));
      return;
    }
    if (signed && (imm === 1 || imm === -1)) {
      if (mod) { e.addu(dl, ZERO, ZERO); e.addu(dh, ZERO, ZERO); }
      else if (imm === -1) neg64(e, dl, dh);
      return;
    }
    e.li(T7, imm);
    if (imm < 0) e.addiu(T6, ZERO, -1);
    sl = T7;
    sh = imm < 0 ? T6 : ZERO;
  }
  const slow = e.newLabel(), done = e.newLabel();
  if (isX && x.src === AX) {
    // Blinded constant divisor (see divmod32): 0 gives DIV → 0, MOD → dst unchanged.
    const nz = e.newLabel();
    e.or(T8, sl, sh);
    e.branchTo(Cond.NE, T8, ZERO, nz);
    e.nop();
    if (!mod) { e.addu(dl, ZERO, ZERO); e.addu(dh, ZERO, ZERO); }
    e.branchTo(Cond.ALWAYS, ZERO, ZERO, done);
    e.nop();
    e.bind(nz);
  }
  // Fast path: both values fit the 32-bit divider.
  e.or(T9, dh, sh);
  if (signed) {
    e.branchTo(Cond.NE, T9, ZERO, slow);
    e.or(T8, dl, sl); // delay slot
    e.branchTo(Cond.LTZ, T8, ZERO, slow);
    e.nop();
  } else {
    e.branchTo(Cond.NE, T9, ZERO, slow);
    e.nop();
  }
  if (c.r6) { if (mod) e.modu(dl, dl, sl); else e.divuR6(dl, dl, sl); }
  else { e.divu(dl, sl); if (mod) e.mfhi(dl); else e.mflo(dl); }
  e.branchTo(Cond.ALWAYS, ZERO, ZERO, done);
  e.nop();

  e.bind(slow);
  e.sw(sl, SCR_DLO, SP);
  e.sw(sh, SCR_DHI, SP);
  if (signed) {
    // Result sign: quotient = sign(n) ^ sign(d); remainder = sign(n). Taken before any operand changes.
    if (mod) e.sw(dh, SCR_SIGN, SP); else { e.xor(T9, dh, sh); e.sw(T9, SCR_SIGN, SP); }
    // |divisor| into the scratch words first: sl/sh may be the destination pair (dst == src).
    const dpos = e.newLabel();
    e.branchTo(Cond.GEZ, sh, ZERO, dpos);
    e.nop();
    e.subu(T9, ZERO, sl);
    e.sw(T9, SCR_DLO, SP);
    e.sltu(T8, ZERO, sl);
    e.subu(T9, ZERO, sh);
    e.subu(T9, T9, T8);
    e.sw(T9, SCR_DHI, SP);
    e.bind(dpos);
    const npos = e.newLabel();
    e.branchTo(Cond.GEZ, dh, ZERO, npos);
    e.nop();
    neg64(e, dl, dh);
    e.bind(npos);
  }
  // Restoring division: R (t6:t7) = 0; 64 times: (R:Q) <<= 1; if (carry out of R or R >= D) { R -= D; Q |= 1 }.
  e.addu(T6, ZERO, ZERO);
  e.addu(T7, ZERO, ZERO);
  e.addiu(T9, ZERO, 64);
  e.sw(T9, SCR_CNT, SP);
  const loop = e.newLabel(), cmp = e.newLabel(), sub = e.newLabel(), next = e.newLabel();
  e.bind(loop);
  e.srl(T8, T6, 31); // bit shifted out of R: then R ≥ 2^64 > D
  e.sll(T6, T6, 1);
  e.srl(T9, T7, 31);
  e.or(T6, T6, T9);
  e.sll(T7, T7, 1);
  e.srl(T9, dh, 31);
  e.or(T7, T7, T9);
  e.sll(dh, dh, 1);
  e.srl(T9, dl, 31);
  e.or(dh, dh, T9);
  e.sll(dl, dl, 1);
  e.branchTo(Cond.NE, T8, ZERO, sub);
  e.nop();
  e.lw(T9, SCR_DHI, SP);
  e.branchTo(Cond.NE, T6, T9, cmp);
  e.sltu(T8, T6, T9); // delay slot: high words differ → they decide
  e.lw(T9, SCR_DLO, SP);
  e.sltu(T8, T7, T9);
  e.bind(cmp);
  e.branchTo(Cond.NE, T8, ZERO, next); // R < D
  e.nop();
  e.bind(sub);
  e.lw(T9, SCR_DLO, SP);
  e.sltu(T8, T7, T9);
  e.subu(T7, T7, T9);
  e.lw(T9, SCR_DHI, SP);
  e.subu(T6, T6, T9);
  e.subu(T6, T6, T8);
  e.ori(dl, dl, 1);
  e.bind(next);
  e.lw(T9, SCR_CNT, SP);
  e.addiu(T9, T9, -1);
  e.sw(T9, SCR_CNT, SP);
  e.branchTo(Cond.NE, T9, ZERO, loop);
  e.nop();
  if (mod) { e.move(dl, T7); e.move(dh, T6); }
  if (signed) {
    e.lw(T9, SCR_SIGN, SP);
    e.branchTo(Cond.GEZ, T9, ZERO, done);
    e.nop();
    neg64(e, dl, dh);
  }
  e.bind(done);
}
