// Helper-function prototypes: the part of the helper registry both sides must agree on.
// The JIT needs the argument kinds to marshal calls (o32 passes a 64-bit argument in an aligned register
// pair and a 32-bit one in a single register — reference/mips-isa.md §7); the reference interpreter and the
// emulator's ABI bridge use them to decide which arguments to log and compare.
// Implementations live in src/reference/helpers.ts, not here: jit/ must not depend on src/reference.

/** How one argument or the return value is passed in the native ABI. */
export type ArgKind = "u64" | "u32" | "ptr";

export interface HelperProto {
  readonly id: number;
  readonly name: string;
  readonly args: readonly ArgKind[]; // at most 5 (R1–R5)
  readonly ret: ArgKind | "void";
  /** What the helper does, for the README's helper list and `bpf-mips helpers`. */
  readonly doc: string;
}

/** Ids follow Linux's `enum bpf_func_id` where a Linux helper exists; test-only helpers start at 0x1000. */
export const HELPER_PROTOS: readonly HelperProto[] = [
  { id: 1, name: "map_lookup_elem", args: ["ptr", "ptr"], ret: "ptr", doc: "pointer to the value stored under *key, or 0" },
  { id: 2, name: "map_update_elem", args: ["ptr", "ptr", "ptr", "u64"], ret: "u64", doc: "store *value under *key (flags: 0 any, 1 noexist, 2 exist); 0 or a negative errno" },
  { id: 3, name: "map_delete_elem", args: ["ptr", "ptr"], ret: "u64", doc: "remove *key; 0 or -ENOENT (arrays: -EINVAL)" },
  { id: 5, name: "ktime_get_ns", args: [], ret: "u64", doc: "deterministic clock: 1_000_000_000 + 1000 × (number of earlier calls in this run)" },
  { id: 6, name: "trace_printk", args: ["ptr", "u32", "u64", "u64", "u64"], ret: "u64", doc: "formats fmt (%d %u %x %llx %lld %llu %s %c %%) into the run's trace log; returns the length written" },
  { id: 7, name: "get_prandom_u32", args: [], ret: "u32", doc: "deterministic xorshift32 stream seeded per run" },
  { id: 8, name: "get_smp_processor_id", args: [], ret: "u32", doc: "always 0" },
  { id: 12, name: "tail_call", args: ["ptr", "ptr", "u32"], ret: "u64", doc: "handled by the JIT/interpreter itself (RFC 9669 does not define it; Linux semantics): jump to prog_array[index] or fall through" },
  { id: 0x1000, name: "test_mix5", args: ["u64", "u64", "u64", "u64", "u64"], ret: "u64", doc: "returns a1 ^ rotl(a2,7) ^ rotl(a3,19) ^ rotl(a4,31) ^ rotl(a5,47) over full 64-bit arguments: any marshalling slip shows" },
  { id: 0x1001, name: "test_mixed_proto", args: ["u32", "u64", "u32", "u64", "u32"], ret: "u64", doc: "mixed widths: o32 aligns each u64 to an even register pair or 8-byte stack slot; returns a hash of the five values (u32s truncated)" },
  { id: 0x1002, name: "test_ret32", args: ["u64"], ret: "u32", doc: "returns the low 32 bits of a1 plus 1, as a u32 (upper half of R0 must read as zero)" },
];

const byId = new Map<number, HelperProto>(HELPER_PROTOS.map((p) => [p.id, p]));

export function helperProto(id: number): HelperProto | undefined {
  return byId.get(id);
}

export const BPF_FUNC_tail_call = 12;
