// The reference interpreter's own admission check: every slot it would execute must be an RFC 9669
// instruction it can give a meaning to (reference/ebpf-semantics.md §2.7 for reserved fields), so
// predecoding never meets an unknown case and running never throws. Owns only what the interpreter
// needs; the full validator with all messages is src/ebpf's. Does not check data flow (src/verifier).
import type { Insn, Program } from "../ebpf/insn";
import {
  BPF_ABS, BPF_ALU, BPF_ALU64, BPF_ATOMIC, BPF_CALL, BPF_CMPXCHG, BPF_DIV, BPF_END, BPF_EXIT, BPF_FETCH,
  BPF_IND, BPF_JA, BPF_JMP, BPF_JMP32, BPF_LD, BPF_LDX, BPF_MEM, BPF_MEMSX, BPF_MOD, BPF_MOV, BPF_NEG,
  BPF_PSEUDO_BTF_ID, BPF_PSEUDO_CALL, BPF_PSEUDO_FUNC, BPF_PSEUDO_KFUNC_CALL, BPF_ST, BPF_STX, BPF_XCHG,
  BPF_DW, BPF_W, BPF_X, LD_IMM64_OPCODE, MAX_BPF_REG, R10, aluOp, cls, mode, size, srcBit,
} from "../ebpf/insn";
import { BPF_FUNC_tail_call } from "../ebpf/helper-protos";
import { alu32Fn, alu64Fn, jmp32Cond, jmp64Cond } from "./semantics";
import { isCallableHelper } from "./helpers";

export interface ValidationContext {
  /** Number of maps (LD_IMM64 src 1/2/5/6 index range). */
  readonly mapCount: number;
  /** For src 2/6: may this map index be used as a direct value (array maps) and how big is it? */
  readonly mapValueSize: (index: number) => number | undefined;
}

/** Atomic imm values of RFC 9669 §5.3 (FETCH mandatory for XCHG and CMPXCHG). */
export const ATOMIC_OPS: ReadonlySet<number> = new Set([
  0x00, 0x01, 0x40, 0x41, 0x50, 0x51, 0xa0, 0xa1, BPF_XCHG, BPF_CMPXCHG,
]);

const reg = (r: number): boolean => r >= 0 && r <= MAX_BPF_REG; // R0–R10 plus AX (verifier blinding)

/** First reason the program cannot run on the reference, as "insn N: reason", or undefined. */
export function checkProgram(prog: Program, ctx: ValidationContext): string | undefined {
  if (prog.length === 0) return "empty program";
  const second = new Uint8Array(prog.length + 1); // second slot of an LD_IMM64
  for (let i = 0; i < prog.length; i++) {
    if (prog[i].opcode === LD_IMM64_OPCODE && !second[i]) second[i + 1] = 1;
  }
  const target = (i: number, t: number): string | undefined => {
    if (t < 0 || t >= prog.length) return `jump target ${t} is outside the program (0..${prog.length - 1})`;
    if (second[t]) return `jump target ${t} is the second slot of an LD_IMM64`;
    return undefined;
  };
  for (let i = 0; i < prog.length; i++) {
    if (second[i]) continue;
    const why = checkInsn(prog, i, ctx, target);
    if (why !== undefined) return `insn ${i}: ${why}`;
  }
  return undefined;
}

function checkInsn(
  prog: Program, i: number, ctx: ValidationContext, target: (i: number, t: number) => string | undefined,
): string | undefined {
  const x: Insn = prog[i];
  const op = x.opcode;
  const hex = "0x" + op.toString(16).padStart(2, "0");
  if (!reg(x.dst)) return `invalid destination register r${x.dst}`;
  if (!reg(x.src)) return `invalid source register r${x.src}`;
  switch (cls(op)) {
    case BPF_LD: {
      if (op === LD_IMM64_OPCODE) {
        const n = prog[i + 1];
        if (n === undefined) return "LD_IMM64 without its second slot";
        if (n.opcode !== 0 || n.dst !== 0 || n.src !== 0 || n.off !== 0) return "LD_IMM64 second slot must have opcode, registers and offset 0";
        if (x.off !== 0) return "LD_IMM64 offset must be 0";
        if (x.dst === R10) return "R10 is read-only";
        switch (x.src) {
          case 0: return undefined;
          case 1: case 5:
            return x.imm >= 0 && x.imm < ctx.mapCount ? undefined : `LD_IMM64 map ${x.imm} does not exist (${ctx.mapCount} maps)`;
          case 2: case 6: {
            if (x.imm < 0 || x.imm >= ctx.mapCount) return `LD_IMM64 map ${x.imm} does not exist (${ctx.mapCount} maps)`;
            const vs = ctx.mapValueSize(x.imm);
            if (vs === undefined) return `LD_IMM64 map value: map ${x.imm} is not an array map`;
            const o = n.imm >>> 0;
            return o < vs ? undefined : `LD_IMM64 map value offset ${o} is outside the map's ${vs} value bytes`;
          }
          case BPF_PSEUDO_BTF_ID: return "LD_IMM64 src 3 (BTF variable address) is not supported: there is no BTF";
          case BPF_PSEUDO_FUNC: return "LD_IMM64 src 4 (code address) is not supported: code addresses differ between the reference and the JIT";
          default: return `LD_IMM64 src ${x.src} is not defined`;
        }
      }
      const m = mode(op);
      if ((m === BPF_ABS || m === BPF_IND) && size(op) !== BPF_DW) {
        if (x.dst !== 0 || x.off !== 0 || (m === BPF_ABS && x.src !== 0)) return `${hex}: packet load reserved fields must be 0`;
        return undefined;
      }
      return `unknown opcode ${hex}`;
    }
    case BPF_LDX: {
      const m = mode(op);
      if (m !== BPF_MEM && !(m === BPF_MEMSX && size(op) !== BPF_DW)) return `unknown opcode ${hex}`;
      if (x.imm !== 0) return `${hex}: imm must be 0`;
      return x.dst === R10 ? "R10 is read-only" : undefined;
    }
    case BPF_ST:
      if (mode(op) !== BPF_MEM) return `unknown opcode ${hex}`;
      return x.src !== 0 ? `${hex}: src must be 0` : undefined;
    case BPF_STX: {
      const m = mode(op);
      if (m === BPF_MEM) return x.imm !== 0 ? `${hex}: imm must be 0` : undefined;
      if (m === BPF_ATOMIC && (size(op) === BPF_W || size(op) === BPF_DW)) {
        if (!ATOMIC_OPS.has(x.imm)) return `${hex}: atomic operation 0x${(x.imm >>> 0).toString(16)} is not defined`;
        if ((x.imm & BPF_FETCH) !== 0 && x.imm !== BPF_CMPXCHG && x.src === R10) return "R10 is read-only";
        return undefined;
      }
      return `unknown opcode ${hex}`;
    }
    case BPF_ALU: case BPF_ALU64: {
      const is64 = cls(op) === BPF_ALU64;
      const a = aluOp(op);
      if (x.dst === R10) return "R10 is read-only";
      if (a === BPF_END) {
        if (is64 && srcBit(op) !== 0) return `unknown opcode ${hex}`;
        if (x.src !== 0 || x.off !== 0) return `${hex}: src and offset must be 0`;
        return x.imm === 16 || x.imm === 32 || x.imm === 64 ? undefined : `${hex}: byte swap width ${x.imm} must be 16, 32 or 64`;
      }
      if (a === BPF_NEG) {
        if (srcBit(op) !== 0) return `unknown opcode ${hex} (NEG has no X form)`;
        return x.src !== 0 || x.off !== 0 || x.imm !== 0 ? `${hex}: src, offset and imm must be 0` : undefined;
      }
      const fn = is64 ? alu64Fn(a, x.off) : alu32Fn(a, x.off);
      if (fn === undefined) return x.off !== 0 ? `${hex}: offset ${x.off} is not defined for this operation` : `unknown opcode ${hex}`;
      if (srcBit(op) === BPF_X) {
        // mov32 rX, rX with imm 1 is the verifier's zero-extension marker (ebpf-semantics.md §3 row 5).
        const zext = !is64 && a === BPF_MOV && x.off === 0 && x.imm === 1 && x.src === x.dst;
        return x.imm !== 0 && !zext ? `${hex}: imm must be 0` : undefined;
      }
      if (x.src !== 0) return `${hex}: src must be 0`;
      if (a === BPF_MOV && x.off !== 0) return `${hex}: MOVSX has no K form`;
      if (x.off !== 0 && a !== BPF_DIV && a !== BPF_MOD) return `${hex}: offset must be 0`;
      return undefined;
    }
    case BPF_JMP: case BPF_JMP32: {
      const is32 = cls(op) === BPF_JMP32;
      const j = aluOp(op);
      if (j === BPF_JA) {
        if (srcBit(op) !== 0) return `unknown opcode ${hex}`;
        if (is32) {
          if (x.dst !== 0 || x.src !== 0 || x.off !== 0) return "gotol: registers and offset must be 0";
          return target(i, i + 1 + x.imm);
        }
        if (x.dst !== 0 || x.src !== 0 || x.imm !== 0) return "ja: registers and imm must be 0";
        return target(i, i + 1 + x.off);
      }
      if (j === BPF_CALL) {
        if (is32) return `unknown opcode ${hex}`;
        if (srcBit(op) === BPF_X) {
          // callx: the register is in dst (Linux, bpf_conformance).
          return x.src !== 0 || x.off !== 0 || x.imm !== 0 ? "callx: src, offset and imm must be 0" : undefined;
        }
        if (x.dst !== 0 || x.off !== 0) return "call: dst and offset must be 0";
        if (x.src === 0) return isCallableHelper(x.imm) || x.imm === BPF_FUNC_tail_call ? undefined : `call: unknown helper id ${x.imm}`;
        if (x.src === BPF_PSEUDO_CALL) return target(i, i + 1 + x.imm);
        if (x.src === BPF_PSEUDO_KFUNC_CALL) return "call: kfunc calls (src 2) are not supported";
        return `call: src ${x.src} is not defined`;
      }
      if (j === BPF_EXIT) {
        if (is32 || srcBit(op) !== 0) return `unknown opcode ${hex}`;
        return x.dst !== 0 || x.src !== 0 || x.off !== 0 || x.imm !== 0 ? "exit: all fields must be 0" : undefined;
      }
      const c = is32 ? jmp32Cond(j) : jmp64Cond(j);
      if (c === undefined) return `unknown opcode ${hex}`;
      if (srcBit(op) === BPF_X ? x.imm !== 0 : x.src !== 0) return `${hex}: ${srcBit(op) === BPF_X ? "imm" : "src"} must be 0`;
      return target(i, i + 1 + x.off);
    }
    default:
      return `unknown opcode ${hex}`;
  }
}

