// Constant blinding, Linux bpf_jit_blind_constants/bpf_jit_blind_insn (kernel/bpf/core.c) as a pure
// Program → Program function: every user-controlled immediate of ALU (ADD SUB AND OR XOR MUL MOV DIV MOD),
// conditional JMP/JMP32, ST MEM and LD_IMM64 is loaded into AX as (imm ^ rnd), xored with rnd, and the
// instruction is replaced by its register form. Shifts, NEG, END, JA, CALL and EXIT are left alone, as in
// the kernel; instructions that already use AX (earlier rewrites) are skipped, as in the kernel. Owns the
// per-case sequences; patching is ../patch.ts.
//
// Difference: LD_IMM64 with src ≠ 0 (map references, code addresses) is not blinded. The kernel blinds map
// addresses because it resolved them first; here the address depends on the target's layout, which this
// pure rewrite does not know (and src=4 is skipped by the kernel too).
import {
  AX, BPF_ADD, BPF_ALU, BPF_ALU64, BPF_AND, BPF_DIV, BPF_JA, BPF_JMP, BPF_JMP32, BPF_LSH, BPF_MOD, BPF_MOV,
  BPF_MUL, BPF_OR, BPF_ST, BPF_SUB, BPF_X, BPF_XOR, cls, insn, isLdImm64, type Insn, type Program,
} from "../../ebpf/insn";
import { alu32K, alu64K, alu64X, mov32K, mov64K, stx, zextReg, type Size } from "../build";
import { expandProgram, type Expanded, type PatchSlot } from "../patch";
import { makeRng } from "../rng";

const BLINDED_ALU = new Set([BPF_ADD, BPF_SUB, BPF_AND, BPF_OR, BPF_XOR, BPF_MUL, BPF_MOV, BPF_DIV, BPF_MOD]);

export interface BlindOptions {
  /** The verifier inserted zexts (prog->aux->verifier_zext): the low half of LD_IMM64 gets BPF_ZEXT_REG(AX). */
  readonly emitZext?: boolean;
}

/**
 * The replacement of one instruction (an LD_IMM64 pair as a whole, `next` its second slot), or undefined
 * when nothing is blinded. `index` is the instruction's original index, for branch retargeting.
 */
export function blindInsn(from: Insn, next: Insn | undefined, index: number, rnd: () => number, emitZext: boolean): PatchSlot[] | undefined {
  if (from.dst === AX || from.src === AX) return undefined;
  const c = cls(from.opcode);
  const op = from.opcode & 0xf0;
  const isK = (from.opcode & BPF_X) === 0;
  if ((c === BPF_ALU || c === BPF_ALU64) && op === BPF_MOV && isK && from.imm === 0) {
    // mov 0 needs no constant at all: xor64 dst, dst (also for ALU32: the result is the same zero).
    return [alu64X(BPF_XOR, from.dst, from.dst)];
  }
  if ((c === BPF_ALU || c === BPF_ALU64) && isK && BLINDED_ALU.has(op)) {
    const r = rnd();
    const mov = c === BPF_ALU ? mov32K : mov64K;
    const xor = c === BPF_ALU ? alu32K : alu64K;
    return [mov(AX, r ^ from.imm), xor(BPF_XOR, AX, r), insn(c | op | BPF_X, from.dst, AX, from.off, 0)];
  }
  if ((c === BPF_JMP || c === BPF_JMP32) && isK && op !== BPF_JA && op <= 0xd0 && op !== 0x80 && op !== 0x90) {
    // Conditional jumps (CALL 0x80 and EXIT 0x90 carry no blindable constant). The kernel shifts backward
    // offsets by 2 by hand; a Retarget keeps the original target instead.
    const r = rnd();
    const mov = c === BPF_JMP32 ? mov32K : mov64K;
    const xor = c === BPF_JMP32 ? alu32K : alu64K;
    return [mov(AX, r ^ from.imm), xor(BPF_XOR, AX, r), { insn: insn(c | op | BPF_X, from.dst, AX, 0, 0), target: index + 1 + from.off }];
  }
  if (c === BPF_ST && (from.opcode & 0xe0) === 0x60) {
    const r = rnd();
    return [mov64K(AX, r ^ from.imm), alu64K(BPF_XOR, AX, r), stx((from.opcode & 0x18) as Size, from.dst, AX, from.off)];
  }
  if (isLdImm64(from) && from.src === 0 && next !== undefined) {
    // Part 1 (upper half) and part 2 (lower half) each with their own random value, as the kernel's two runs.
    const r1 = rnd();
    const r2 = rnd();
    const out: Insn[] = [
      mov64K(AX, r1 ^ next.imm), alu64K(BPF_XOR, AX, r1), alu64K(BPF_LSH, AX, 32), alu64X(BPF_MOV, from.dst, AX),
      mov32K(AX, r2 ^ from.imm), alu32K(BPF_XOR, AX, r2),
    ];
    if (emitZext) out.push(zextReg(AX));
    out.push(alu64X(BPF_OR, from.dst, AX));
    return out;
  }
  return undefined;
}

/** Blind every constant of `p` (deterministic in `seed`). */
export function blindConstants(p: Program, seed: number, opts: BlindOptions = {}): Program {
  return blindWith(p, makeRng(seed), opts.emitZext ?? false);
}

export function blindWith(p: Program, rnd: () => number, emitZext: boolean): Program {
  return blindExpanded(p, rnd, emitZext).program;
}

/** Blinding with the slot mapping (Expanded.origin: new slot → original slot). */
export function blindExpanded(p: Program, rnd: () => number, emitZext: boolean): Expanded {
  return expandProgram(p, (i, idx, next) => blindInsn(i, next, idx, rnd, emitZext));
}
