// Register effects of one instruction, as the verifier's analyses need them: which registers must be
// initialised, which are read with their upper 32 bits, which are written (and whether by a zero-extending
// 32-bit definition), which a call clobbers. Derived from the opcode table (src/ebpf/opcode-table.ts) so no
// instruction is described twice. Does not own validity messages (check.ts) or the analyses (cfg.ts,
// liveness.ts).
import { lookupInsn, type OpcodeEntry } from "../ebpf/opcode-table";
import { helperProto } from "../ebpf/helper-protos";
import { AX, BPF_CMPXCHG, BPF_FETCH, BPF_PSEUDO_CALL, R0, type Insn } from "../ebpf/insn";

export const bit = (r: number): number => 1 << r;
/** R1–R5: argument registers, clobbered by every call (Linux psABI, ebpf-semantics.md §2.5). */
export const ARG_REGS = 0b111110;
/** Registers a call leaves undefined: R1–R5 and the scratch register AX (Linux uses AX only inside one
 * rewritten sequence, never across a call). */
export const CALL_CLOBBER = ARG_REGS | bit(AX);

export interface InsnEffects {
  readonly entry: OpcodeEntry;
  /** Registers that must hold a defined value before this instruction runs. */
  readonly use: number;
  /** Registers whose upper 32 bits this instruction may read (Linux is_reg64(…, SRC_OP), conservative). */
  readonly useWide: number;
  /** Registers this instruction writes. */
  readonly def: number;
  /** Subset of `def` written by a 32-bit, zero-extending definition (Linux insn_def_regno + !is_reg64). */
  readonly def32: number;
  /** Registers left undefined afterwards (calls). */
  readonly clobber: number;
  /** Is this a bpf-to-bpf call (src = 1)? Its callee is analysed on its own. */
  readonly localCall: boolean;
}

function mk(entry: OpcodeEntry, use: number, useWide: number, def: number, def32: number, clobber = 0, localCall = false): InsnEffects {
  return { entry, use, useWide, def, def32, clobber, localCall };
}

/** Bits of R1..Rn for a helper with n arguments. */
/** Is `i` the Linux zero-extension marker BPF_ZEXT_REG (mov32 rX, rX with imm = 1, ebpf-semantics §3 row 5)? */
export const isZextMarker = (i: Insn): boolean => i.opcode === 0xbc && i.imm === 1 && i.src === i.dst && i.off === 0;

const argMask = (n: number): number => ARG_REGS & ((1 << (n + 1)) - 1);

/**
 * The effects of `i`, or undefined when the opcode table has no variant for it. Helper calls read the
 * arguments their prototype names (unknown helper ids are check.ts's business: treated as reading R1–R5).
 */
export function insnEffects(i: Insn): InsnEffects | undefined {
  const e = lookupInsn(i);
  if (e === undefined) return undefined;
  const d = bit(i.dst);
  const s = bit(i.src);
  const wide = e.width === 64;
  switch (e.shape) {
    case "alu": {
      const isMov = (i.opcode & 0xf0) === 0xb0;
      // `xor rX, rX` is the zeroing idiom constant blinding emits for `mov rX, 0` (kernel/bpf/core.c): its
      // result does not depend on rX, so it only defines rX.
      if ((i.opcode & 0xf8) === 0xa8 && i.src === i.dst) return mk(e, 0, 0, d, wide ? 0 : d);
      const srcUse = e.source === "X" ? s : 0;
      const use = (isMov ? 0 : d) | srcUse;
      return mk(e, use, wide ? use : 0, d, wide ? 0 : d);
    }
    case "movsx":
      return mk(e, s, wide ? s : 0, d, wide ? 0 : d);
    case "neg":
      return mk(e, d, wide ? d : 0, d, wide ? 0 : d);
    case "end": {
      // Linux is_reg64: ALU-class END with imm 64 is a 64-bit op; ALU64 BSWAP16/32 are 32-bit ones.
      const w64 = i.imm === 64;
      return mk(e, d, w64 ? d : 0, d, w64 ? 0 : d);
    }
    case "jcond": {
      const use = d | (e.source === "X" ? s : 0);
      return mk(e, use, wide ? use : 0, 0, 0);
    }
    case "ja":
    case "gotol":
      return mk(e, 0, 0, 0, 0);
    case "call": {
      if (i.src === BPF_PSEUDO_CALL) return mk(e, 0, ARG_REGS, bit(R0), 0, CALL_CLOBBER, true);
      const proto = i.src === 0 ? helperProto(i.imm) : undefined;
      const args = proto === undefined ? ARG_REGS : argMask(proto.args.length);
      return mk(e, args, args, bit(R0), 0, CALL_CLOBBER);
    }
    case "callx":
      return mk(e, d, d | ARG_REGS, bit(R0), 0, CALL_CLOBBER);
    case "exit":
      return mk(e, bit(R0), bit(R0), 0, 0);
    case "lddw":
      return mk(e, 0, 0, d, 0);
    case "ldx": {
      // Zero-extending B/H/W loads are 32-bit definitions; DW and sign-extending loads define 64 bits.
      const sx = (i.opcode & 0xe0) === 0x80;
      return mk(e, s, s, d, e.size === 8 || sx ? 0 : d);
    }
    case "st":
      return mk(e, d, d, 0, 0);
    case "stx":
      return mk(e, d | s, d | (e.size === 8 ? s : 0), 0, 0);
    case "atomic": {
      const w = e.size === 8;
      if (i.imm === BPF_CMPXCHG) {
        const r0 = bit(R0);
        return mk(e, d | s | r0, d | (w ? s | r0 : 0), r0, w ? 0 : r0);
      }
      const fetch = (i.imm & BPF_FETCH) !== 0;
      return mk(e, d | s, d | (w ? s : 0), fetch ? s : 0, fetch && !w ? s : 0);
    }
    case "ldabs":
    case "ldind": {
      // Legacy packet loads: the context is implicit (src/reference/compile.ts reads ctx directly; Linux
      // requires R6 = ctx, which this harness does not), IND reads the low 32 bits of src, and Linux
      // implements them as a call, so R1–R5 are clobbered.
      const use = e.shape === "ldind" ? s : 0;
      return mk(e, use, 0, bit(R0), 0, CALL_CLOBBER);
    }
  }
}
