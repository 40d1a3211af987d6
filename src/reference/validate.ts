// The reference interpreter's admission check: a program runs on the reference only if src/ebpf's
// table-driven validateProgram accepts it (known variants, reserved fields, registers, LD_IMM64 pairing,
// jump targets: ebpf-semantics.md §2.7) AND every slot has a meaning the reference can give both sides
// (map indices, LD_IMM64 kinds, helper ids, no writes to the read-only R10). Owns only the second part;
// structural rules live once, in src/ebpf/validate.ts and the opcode table. Does not check data flow
// (src/verifier).
import type { Program } from "../ebpf/insn";
import { BPF_CMPXCHG, BPF_FETCH, BPF_PSEUDO_BTF_ID, BPF_PSEUDO_FUNC, BPF_PSEUDO_KFUNC_CALL, R10 } from "../ebpf/insn";
import { isInputError } from "../ebpf/errors";
import { lookupInsn } from "../ebpf/opcode-table";
import type { OpcodeEntry } from "../ebpf/opcode-table";
import { validateProgram } from "../ebpf/validate";
import type { Insn } from "../ebpf/insn";
import { isCallableHelper } from "./helpers";

export interface ValidationContext {
  /** Number of maps (LD_IMM64 src 1/2/5/6 index range). */
  readonly mapCount: number;
  /** For src 2/6: may this map index be used as a direct value (array maps) and how big is it? */
  readonly mapValueSize: (index: number) => number | undefined;
}

/** Shapes whose dst register is written (R10 is the read-only frame pointer, ebpf-semantics.md §2.5). */
const WRITES_DST: ReadonlySet<OpcodeEntry["shape"]> = new Set(["alu", "neg", "end", "movsx", "ldx", "lddw"]);

/**
 * First reason the program cannot run on the reference, as "insn N: reason", or undefined.
 * Register 11 (AX, constant blinding) and the verifier's `mov32 rX, rX` imm 1 zext marker are accepted,
 * so verifier-rewritten programs run too (ebpf-semantics.md §3 rows 4–5).
 */
export function checkProgram(prog: Program, ctx: ValidationContext): string | undefined {
  try {
    validateProgram(prog, { allowAx: true, allowZextMarker: true });
  } catch (e) {
    if (isInputError(e)) return e.message;
    throw e;
  }
  for (let i = 0; i < prog.length; i++) {
    const e = lookupInsn(prog[i])!; // validateProgram accepted every slot it visits
    const why = meaningless(prog[i], e, prog[i + 1], ctx);
    if (why !== undefined) return `insn ${i}: ${why}`;
    if (e.shape === "lddw") i++;
  }
  return undefined;
}

/** Why a structurally valid slot has no meaning on the reference, or undefined. */
function meaningless(x: Insn, e: OpcodeEntry, next: Insn | undefined, ctx: ValidationContext): string | undefined {
  if (WRITES_DST.has(e.shape) && x.dst === R10) return "R10 is read-only";
  // FETCH forms write src (XCHG included); CMPXCHG writes R0 instead (RFC 9669 §5.3).
  if (e.shape === "atomic" && (x.imm & BPF_FETCH) !== 0 && x.imm !== BPF_CMPXCHG && x.src === R10) return "R10 is read-only";
  if (e.shape === "call") {
    if (x.src === 0) return isCallableHelper(x.imm) ? undefined : `call: unknown helper id ${x.imm}`;
    if (x.src === BPF_PSEUDO_KFUNC_CALL) return "call: kfunc calls (src 2) are not supported";
    return undefined;
  }
  if (e.shape !== "lddw") return undefined;
  // LD_IMM64 kinds (RFC 9669 §5.4): the reference treats imm as an index into the case's maps for fd and idx alike.
  switch (x.src) {
    case 0: return undefined;
    case 1: case 5:
      return x.imm >= 0 && x.imm < ctx.mapCount ? undefined : `LD_IMM64 map ${x.imm} does not exist (${ctx.mapCount} maps)`;
    case 2: case 6: {
      if (x.imm < 0 || x.imm >= ctx.mapCount) return `LD_IMM64 map ${x.imm} does not exist (${ctx.mapCount} maps)`;
      const vs = ctx.mapValueSize(x.imm);
      if (vs === undefined) return `LD_IMM64 map value: map ${x.imm} is not an array map`;
      const o = (next?.imm ?? 0) >>> 0;
      return o < vs ? undefined : `LD_IMM64 map value offset ${o} is outside the map's ${vs} value bytes`;
    }
    case BPF_PSEUDO_BTF_ID: return "LD_IMM64 src 3 (BTF variable address) is not supported: there is no BTF";
    case BPF_PSEUDO_FUNC: return "LD_IMM64 src 4 (code address) is not supported: code addresses differ between the reference and the JIT";
    default: return `LD_IMM64 src ${x.src} is not defined`;
  }
}
