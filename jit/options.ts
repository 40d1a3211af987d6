// Public types of the JIT (re-exported by jit/index.ts): options in, image and metadata out.
// Owns the contract the harness codes against; no behaviour.
import type { MapDef } from "../src/ebpf/maps";
import type { MemoryLayout } from "../src/ebpf/layout";
import type { IsaLevel } from "../src/mips/levels";

export interface JitErrata {
  /** R10000: the sc-retry branch of ll/sc loops is branch-likely (`beqzl`). */
  r10000?: boolean;
  /** Loongson-3: `sync` right before every `ll`, the retry branch targets the sync. */
  loongson3?: boolean;
  /** Loongson-2F: nop = `or at, at, zero`; register jump targets masked with ~0x30000000. */
  loongson2f?: boolean;
  /** R4000/R4400 DADDI erratum: only affects daddi/daddiu, which the o32 backend never emits. */
  daddi?: boolean;
  /** R4000/R4400 multiply + shift erratum: only affects doubleword/variable shifts after dmult (64-bit). */
  r4000?: boolean;
}

/**
 * Known faults the JIT can inject on request, for the harness's mutation check (issue 4 §4): each must be
 * reported by the differential harness on the targets it affects. Never set outside tests.
 * - drop-add64-carry: ALU64 ADD forgets the carry from the low word into the high word
 * - skip-load-delay-nop: MIPS I load-delay nops are not inserted
 * - swap-pair-order-be: big-endian targets use the little-endian pair order (R0 comes back swapped)
 * - jmp-imm-no-sext: 64-bit JMP K compares against the zero-extended (not sign-extended) immediate
 * - movz-on-mips2: 64-bit relational jumps select with MOVN on every level (RI before MIPS IV / on r6)
 */
export type JitMutation =
  | "drop-add64-carry" | "skip-load-delay-nop" | "swap-pair-order-be" | "jmp-imm-no-sext" | "movz-on-mips2";
/**
 * Further faults for the differential harness's mutation check (property-tests/mutations, h9; kept apart
 * from JitMutation so jit/mutation.test.ts's table stays complete):
 * - drop-alu32-zext: the verifier's zext marker (BPF_ZEXT_REG) emits nothing, so ALU32 leaves the high half
 * - tail-call-limit-off-by-one: the tail-call count starts at MAX_TAIL_CALL_CNT + 1 (34 calls allowed)
 */
export type HarnessJitMutation = "drop-alu32-zext" | "tail-call-limit-off-by-one";
export const HARNESS_JIT_MUTATIONS: readonly HarnessJitMutation[] = ["drop-alu32-zext", "tail-call-limit-off-by-one"];
export const JIT_MUTATIONS: readonly JitMutation[] = [
  "drop-add64-carry", "skip-load-delay-nop", "swap-pair-order-be", "jmp-imm-no-sext", "movz-on-mips2",
];

export interface JitOptions {
  level: IsaLevel;
  littleEndian: boolean;
  /** helper trampoline addresses, map placement (src/ebpf/layout.ts) */
  layout: MemoryLayout;
  /** LD_IMM64 src=1/5 → placeMaps(layout, maps)[imm].objectAddr; src=2/6 → valuesAddr + next_imm */
  maps?: MapDef[];
  /** address the image will be loaded at */
  codeBase: number;
  /** the program went through insertZext: ALU32 need not clear the high half */
  verifierZext?: boolean;
  /** no ll/sc: single-threaded load/op/store sequences for atomics */
  nollsc?: boolean;
  errata?: JitErrata;
  /** Test-only fault injection (see JitMutation). */
  mutations?: readonly (JitMutation | HarnessJitMutation)[];
}

export type CallSiteKind = "helper" | "local" | "tail";

export interface JitImage {
  /** code, in CPU order as numbers (the loader writes them in target byte order) */
  words: Uint32Array;
  codeBase: number;
  /** address of the prologue */
  entry: number;
  /** where a tail call jumps into: a prog_array record's first word must hold this address */
  tailCallEntry: number;
  /** byte offset of each eBPF slot's code (second LD_IMM64 slot: -1); length = slots + 1 (epilogue) */
  insnOffsets: Int32Array;
  /** R10 = entry sp − fpBelowEntrySp; each bpf-to-bpf call level adds frameStride */
  frame: { fpBelowEntrySp: number; frameStride: number };
  regMap: string[];
  callSites: { insn: number; offset: number; kind: CallSiteKind }[];
  stats: { bpfInsns: number; mipsWords: number };
}
