// o32 conditional and unconditional jumps: JMP (64-bit pairs) and JMP32 (low words), K and X, every
// condition; JA and gotol. Each jump reduces to one MIPS branch condition on registers and ends in
// core.farBranch (which owns the range forms). Conditions known at JIT time become an unconditional branch
// or nothing (reference/linux-mips-jit.md §6.4). Does not own CALL/EXIT (call.ts).
import type { Insn } from "../../src/ebpf/insn";
import {
  BPF_JA, BPF_JEQ, BPF_JGE, BPF_JGT, BPF_JLE, BPF_JLT, BPF_JMP32, BPF_JNE, BPF_JSET, BPF_JSGE, BPF_JSGT,
  BPF_JSLE, BPF_JSLT, cls,
} from "../../src/ebpf/insn";
import { Cond, isS16, isU16, T6, T7, T8, T9, ZERO } from "../emitter";
import { JitError } from "../errors";
import type { O32 } from "./ctx";

export function jump(c: O32, i: number, x: Insn): void {
  const op = x.opcode & 0xf0;
  const j32 = cls(x.opcode) === BPF_JMP32;
  const core = c.core;
  if (op === BPF_JA) {
    const t = i + 1 + (j32 ? x.imm : x.off);
    if (t !== i + 1) core.farBranch(Cond.ALWAYS, ZERO, ZERO, t);
    return;
  }
  const t = i + 1 + x.off;
  if (t === i + 1) return; // a jump to the next instruction has no effect (operands are never modified)
  if (j32) jmp32(c, i, x, op, t);
  else jmp64(c, i, x, op, t);
}

/** Unsigned/signed "less than" flag into T9 and the branch sense, for a < b (a, b registers). */
function relX(c: O32, op: number, a: number, b: number, t: number): void {
  const e = c.e;
  const signed = op === BPF_JSGT || op === BPF_JSGE || op === BPF_JSLT || op === BPF_JSLE;
  // GT/LE compare b < a; LT/GE compare a < b. LT/GT branch on the flag set, GE/LE on it clear.
  const swap = op === BPF_JGT || op === BPF_JSGT || op === BPF_JLE || op === BPF_JSLE;
  const onSet = op === BPF_JGT || op === BPF_JSGT || op === BPF_JLT || op === BPF_JSLT;
  const p = swap ? b : a, q = swap ? a : b;
  if (signed) e.slt(T9, p, q); else e.sltu(T9, p, q);
  c.core.farBranch(onSet ? Cond.NE : Cond.EQ, T9, ZERO, t);
}

function jmp32(c: O32, i: number, x: Insn, op: number, t: number): void {
  const e = c.e, core = c.core;
  const a = c.lo[x.dst];
  if (x.opcode & 0x08) {
    const b = c.lo[x.src];
    if (x.src === x.dst) { sameReg(c, op, a, t); return; }
    switch (op) {
      case BPF_JEQ: core.farBranch(Cond.EQ, a, b, t); return;
      case BPF_JNE: core.farBranch(Cond.NE, a, b, t); return;
      case BPF_JSET: e.and(T9, a, b); core.farBranch(Cond.NE, T9, ZERO, t); return;
      default: relX(c, op, a, b, t); return;
    }
  }
  const imm = x.imm | 0;
  switch (op) {
    case BPF_JEQ: case BPF_JNE: {
      const cc = op === BPF_JEQ ? Cond.EQ : Cond.NE;
      if (imm === 0) core.farBranch(cc, a, ZERO, t);
      else { e.li(T9, imm); core.farBranch(cc, a, T9, t); }
      return;
    }
    case BPF_JSET:
      if (imm === 0) return;
      if (isU16(imm)) e.andi(T9, a, imm); else { e.li(T9, imm); e.and(T9, a, T9); }
      core.farBranch(Cond.NE, T9, ZERO, t);
      return;
  }
  relK(c, op, a, imm, false, t);
}

/** dst compared with itself. */
function sameReg(c: O32, op: number, a: number, t: number): void {
  const core = c.core;
  switch (op) {
    case BPF_JEQ: case BPF_JGE: case BPF_JLE: case BPF_JSGE: case BPF_JSLE:
      core.farBranch(Cond.ALWAYS, ZERO, ZERO, t); return;
    case BPF_JSET: core.farBranch(Cond.NE, a, ZERO, t); return;
    default: return; // JNE, JGT, JLT, JSGT, JSLT: never
  }
}

/**
 * 32-bit relational compare of register a with imm (u32 for unsigned ops, s32 for signed). `sltiu`/`slti`
 * sign-extend their 16-bit immediate, so for an imm in s16 range they compare with exactly (u32)imm.
 * GT/LE compare with imm + 1 (valid when that does not wrap). Against 0 the signed ops are one branch.
 */
function relK(c: O32, op: number, a: number, imm: number, _64: boolean, t: number): void {
  const e = c.e, core = c.core;
  const signed = op === BPF_JSGT || op === BPF_JSGE || op === BPF_JSLT || op === BPF_JSLE;
  if (signed && imm === 0) {
    const cc = op === BPF_JSGT ? Cond.GTZ : op === BPF_JSGE ? Cond.GEZ : op === BPF_JSLT ? Cond.LTZ : Cond.LEZ;
    core.farBranch(cc, a, ZERO, t);
    return;
  }
  const max = signed ? 0x7fffffff : -1; // largest value, as s32 bit pattern
  const min = signed ? (0x80000000 | 0) : 0;
  switch (op) {
    case BPF_JLT: case BPF_JSLT:
      if (imm === min) return; // never
      if (isS16(imm)) { slti(c, signed, T9, a, imm); core.farBranch(Cond.NE, T9, ZERO, t); return; }
      break;
    case BPF_JGE: case BPF_JSGE:
      if (imm === min) { core.farBranch(Cond.ALWAYS, ZERO, ZERO, t); return; }
      if (isS16(imm)) { slti(c, signed, T9, a, imm); core.farBranch(Cond.EQ, T9, ZERO, t); return; }
      break;
    case BPF_JGT: case BPF_JSGT:
      if (imm === max) return; // never
      if (isS16(imm + 1)) { slti(c, signed, T9, a, imm + 1); core.farBranch(Cond.EQ, T9, ZERO, t); return; }
      break;
    case BPF_JLE: case BPF_JSLE:
      if (imm === max) { core.farBranch(Cond.ALWAYS, ZERO, ZERO, t); return; }
      if (isS16(imm + 1)) { slti(c, signed, T9, a, imm + 1); core.farBranch(Cond.NE, T9, ZERO, t); return; }
      break;
    default: throw new JitError(-1, `unknown jump op 0x${op.toString(16)}`);
  }
  e.li(T8, imm);
  relX(c, op, a, T8, t);
}

function slti(c: O32, signed: boolean, d: number, a: number, imm: number): void {
  if (signed) c.e.slti(d, a, imm); else c.e.sltiu(d, a, imm);
}

function jmp64(c: O32, i: number, x: Insn, op: number, t: number): void {
  const e = c.e, core = c.core;
  const al = c.lo[x.dst], ah = c.hi[x.dst];
  let bl: number, bh: number;
  if (x.opcode & 0x08) {
    if (x.src === x.dst) { sameReg64(c, op, al, ah, t); return; }
    bl = c.lo[x.src]; bh = c.hi[x.src];
    switch (op) {
      case BPF_JEQ: case BPF_JNE:
        e.xor(T9, al, bl);
        if (bh !== ZERO || ah !== ZERO) { e.xor(T8, ah, bh); e.or(T9, T9, T8); }
        core.farBranch(op === BPF_JEQ ? Cond.EQ : Cond.NE, T9, ZERO, t);
        return;
      case BPF_JSET:
        e.and(T9, al, bl);
        if (bh !== ZERO && ah !== ZERO) { e.and(T8, ah, bh); e.or(T9, T9, T8); }
        core.farBranch(Cond.NE, T9, ZERO, t);
        return;
    }
  } else {
    const imm = x.imm | 0;
    const neg = imm < 0 && !c.mut.jmpNoSext; // the high word of sext64(imm) is all ones
    switch (op) {
      case BPF_JEQ: case BPF_JNE: {
        const cc = op === BPF_JEQ ? Cond.EQ : Cond.NE;
        // T9 = (al ^ lo) | (ah ^ hi): zero iff equal.
        let l = al;
        if (imm !== 0) {
          if (isU16(imm)) e.xori(T9, al, imm);
          else if (isS16(-imm)) e.addiu(T9, al, -imm);
          else { e.li(T9, imm); e.xor(T9, al, T9); }
          l = T9;
        }
        if (neg) { e.nor(T8, ah, ZERO); e.or(T9, l, T8); core.farBranch(cc, T9, ZERO, t); return; }
        if (ah === ZERO) { core.farBranch(cc, l, ZERO, t); return; }
        e.or(T9, l, ah);
        core.farBranch(cc, T9, ZERO, t);
        return;
      }
      case BPF_JSET:
        if (imm === 0) return;
        if (isU16(imm)) e.andi(T9, al, imm); else { e.li(T9, imm); e.and(T9, al, T9); }
        if (neg) e.or(T9, T9, ah);
        core.farBranch(Cond.NE, T9, ZERO, t);
        return;
      case BPF_JSLT: if (imm === 0) { core.farBranch(Cond.LTZ, ah, ZERO, t); return; } break;
      case BPF_JSGE: if (imm === 0) { core.farBranch(Cond.GEZ, ah, ZERO, t); return; } break;
      case BPF_JLT: if (imm === 0) return; break;
      case BPF_JGE: if (imm === 0) { core.farBranch(Cond.ALWAYS, ZERO, ZERO, t); return; } break;
    }
    e.li(T7, imm);
    if (neg) e.addiu(T6, ZERO, -1);
    bl = T7; bh = neg ? T6 : ZERO;
  }
  rel64(c, op, al, ah, bl, bh, t);
}

function sameReg64(c: O32, op: number, al: number, ah: number, t: number): void {
  const e = c.e, core = c.core;
  if (op === BPF_JSET) {
    if (ah === ZERO) { core.farBranch(Cond.NE, al, ZERO, t); return; }
    e.or(T9, al, ah);
    core.farBranch(Cond.NE, T9, ZERO, t);
    return;
  }
  sameReg(c, op, al, t);
}

/**
 * 64-bit a < b: when the high words differ they decide (signed or unsigned), else the low words (unsigned):
 *   beq ah, bh, 1f ; sltu t9, al, bl (delay slot: runs on both paths) ; slt[u] t9, ah, bh ; 1: branch on t9
 */
function rel64(c: O32, op: number, al: number, ah: number, bl: number, bh: number, t: number): void {
  const e = c.e;
  const signed = op === BPF_JSGT || op === BPF_JSGE || op === BPF_JSLT || op === BPF_JSLE;
  const swap = op === BPF_JGT || op === BPF_JSGT || op === BPF_JLE || op === BPF_JSLE;
  const onSet = op === BPF_JGT || op === BPF_JSGT || op === BPF_JLT || op === BPF_JSLT;
  const pl = swap ? bl : al, ph = swap ? bh : ah, ql = swap ? al : bl, qh = swap ? ah : bh;
  if (c.mut.movn) {
    // Injected fault: a MOVN select, which MIPS I–III and r6 do not have.
    e.sltu(T9, pl, ql);
    if (signed) e.slt(T8, ph, qh); else e.sltu(T8, ph, qh);
    e.xor(T7, ph, qh);
    e.movn(T9, T8, T7);
  } else {
    const l = e.newLabel();
    e.branchTo(Cond.EQ, ph, qh, l);
    e.sltu(T9, pl, ql);
    if (signed) e.slt(T9, ph, qh); else e.sltu(T9, ph, qh);
    e.bind(l);
  }
  c.core.farBranch(onSet ? Cond.NE : Cond.EQ, T9, ZERO, t);
}
