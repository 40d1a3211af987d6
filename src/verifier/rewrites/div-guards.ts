// Linux do_misc_fixups' division rewrites (kernel/bpf/verifier.c; ebpf-semantics.md §3 rows 2–3), as pure
// Program → Program functions. Owns the patchlets chk_and_div, chk_and_mod, chk_and_sdiv, chk_and_smod and
// the static SDIV/SMOD-by-−1 rewrite, transcribed slot by slot from the kernel so a JIT sees exactly what
// Linux hands it. Does not own the patching mechanics (../patch.ts).
//
// After these rewrites a JIT may assume: every DIV/MOD by register has a non-zero divisor, and no SDIV/SMOD
// divides by −1 (the INT_MIN / −1 trap of x86 idiv and MIPS div is unreachable).
import {
  AX, BPF_ADD, BPF_ALU, BPF_ALU64, BPF_DIV, BPF_JEQ, BPF_JGT, BPF_JMP, BPF_JMP32, BPF_JNE, BPF_K, BPF_MOD,
  BPF_MOV, BPF_NEG, BPF_X, BPF_XOR, cls, insn, type Insn, type Program,
} from "../../ebpf/insn";
import { alu32X, ja, mov32K, mov32X, mov64X } from "../build";
import { expandProgram, type Expanded } from "../patch";

const isDivMod = (i: Insn, src: number): boolean => {
  const c = cls(i.opcode);
  const op = i.opcode & 0xf0;
  return (c === BPF_ALU || c === BPF_ALU64) && (op === BPF_DIV || op === BPF_MOD) && (i.opcode & 0x08) === src;
};
const isSigned = (i: Insn): boolean => i.off === 1;

/** The kernel's patchlet for a DIV/MOD/SDIV/SMOD by register, ending with (or containing) the insn itself. */
export function divByRegPatchlet(i: Insn): Insn[] {
  const is64 = cls(i.opcode) === BPF_ALU64;
  const isdiv = (i.opcode & 0xf0) === BPF_DIV;
  const alu = is64 ? BPF_ALU64 : BPF_ALU;
  const jmp = is64 ? BPF_JMP : BPF_JMP32;
  if (isSigned(i) && isdiv) {
    // [R,W]x sdiv 0 -> 0; LLONG_MIN sdiv -1 -> LLONG_MIN; INT_MIN sdiv -1 -> INT_MIN (via neg).
    return [
      mov64X(AX, i.src),
      insn(alu | BPF_ADD | BPF_K, AX, 0, 0, 1),
      insn(jmp | BPF_JGT | BPF_K, AX, 0, 4, 1),
      insn(jmp | BPF_JEQ | BPF_K, AX, 0, 1, 0),
      insn(alu | BPF_MOV | BPF_K, i.dst, 0, 0, 0),
      insn(alu | BPF_NEG | BPF_K, i.dst, 0, 0, 0),
      ja(1),
      i,
    ];
  }
  if (isSigned(i)) {
    // [R,W]x smod 0 -> [R,W]x (ALU32: zero-extended); [R,W]x smod -1 -> 0.
    const all = [
      mov64X(AX, i.src),
      insn(alu | BPF_ADD | BPF_K, AX, 0, 0, 1),
      insn(jmp | BPF_JGT | BPF_K, AX, 0, 3, 1),
      insn(jmp | BPF_JEQ | BPF_K, AX, 0, 3 + (is64 ? 0 : 1), 1),
      mov32K(i.dst, 0),
      ja(1),
      i,
      ja(1),
      mov32X(i.dst, i.dst),
    ];
    return is64 ? all.slice(0, 7) : all;
  }
  if (isdiv) {
    // [R,W]x div 0 -> 0
    return [insn(jmp | BPF_JNE | BPF_K, i.src, 0, 2, 0), alu32X(BPF_XOR, i.dst, i.dst), ja(1), i];
  }
  // [R,W]x mod 0 -> [R,W]x (ALU32: zero-extended by mov32 dst, dst)
  const all = [insn(jmp | BPF_JEQ | BPF_K, i.src, 0, 1 + (is64 ? 0 : 1), 0), i, ja(1), mov32X(i.dst, i.dst)];
  return is64 ? all.slice(0, 2) : all;
}

/** SDIV/SMOD by the immediate −1 (kernel: "Make sdiv/smod divide-by-minus-one exceptions impossible"). */
export function sdivNegOneImmPatchlet(i: Insn): Insn[] {
  const is64 = cls(i.opcode) === BPF_ALU64;
  if ((i.opcode & 0xf0) === BPF_DIV) return [insn((is64 ? BPF_ALU64 : BPF_ALU) | BPF_NEG | BPF_K, i.dst, 0, 0, 0)];
  return [mov32K(i.dst, 0)];
}

const isSdivNegOneImm = (i: Insn): boolean => isDivMod(i, BPF_K) && isSigned(i) && i.imm === -1;

/**
 * Runtime divisor checks before every DIV/MOD by register, as the current kernel emits them: unsigned ops get
 * chk_and_div/chk_and_mod (zero check), signed ops chk_and_sdiv/chk_and_smod (zero and −1 checks in one).
 */
export function guardDivByReg(p: Program): Program {
  return expandProgram(p, (i) => (isDivMod(i, BPF_X) ? divByRegPatchlet(i) : undefined)).program;
}

/**
 * SDIV/SMOD by −1: with an immediate, statically to `neg dst` / `mov32 dst, 0`; by register, at run time
 * through chk_and_sdiv/chk_and_smod (which also guard against zero, as in the kernel).
 */
export function rewriteSdivNegOne(p: Program): Program {
  return expandProgram(p, (i) => {
    if (isSdivNegOneImm(i)) return sdivNegOneImmPatchlet(i);
    if (isDivMod(i, BPF_X) && isSigned(i)) return divByRegPatchlet(i);
    return undefined;
  }).program;
}

/** Both rewrites in the kernel's single do_misc_fixups pass (immediate −1 first, then by-register). */
export function divFixups(p: Program): Program {
  return divFixupsExpanded(p).program;
}

/** divFixups with the slot mapping (Expanded.origin: new slot → original slot). */
export function divFixupsExpanded(p: Program): Expanded {
  return expandProgram(p, (i) => {
    if (isSdivNegOneImm(i)) return sdivNegOneImmPatchlet(i);
    if (isDivMod(i, BPF_X)) return divByRegPatchlet(i);
    return undefined;
  });
}

