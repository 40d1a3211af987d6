// Public types of the emulator: options, trip-wire names, structured outcomes, host-function specs.
// Owns the vocabulary shared by the CPU core, the ABI bridge and the ELF runner; no behaviour beyond parsing
// the trip-wire list. Everything the emulator reports is one of these structured results — never an
// exception (issue 3 §2: "No JavaScript exception ever escapes the emulator").
import { InputError } from "../src/ebpf/errors";

/**
 * Trip-wires (issue 3 §4), each switchable off by name; all on by default.
 * - word32: 64-bit CPU, 32-bit op reading a non-sign-extended operand (mips-isa.md §5 NotWordValue)
 * - load-delay: MIPS I, the instruction in a load delay slot reads the loaded register (§4.1)
 * - hilo: HI/LO hazards (§4.3) and reads of HI/LO left UNPREDICTABLE (SPECIAL2 MUL, divide by zero, §4.2)
 * - cti-slot: a control transfer in a delay slot (pre-r6) or forbidden slot (r6) (§3.2, §4.1)
 * - isa: features the target turns off (nollsc) raise Reserved Instruction; instructions the level lacks
 *   always do, since that is the architecture, not a check
 * - unpredictable: other UNPREDICTABLE encodings and results (jalr rs == rd, must-be-zero fields, ext/ins
 *   field overflow, sc without matching ll, r6 div/mod by zero, …)
 * - poison: a value the calling convention leaves undefined decides a branch, forms an address, is stored,
 *   passed to a host function or returned
 * - abi: caller obligations at host calls and callee-saved registers at top-level return (§7)
 */
export const TRIPWIRES = ["word32", "load-delay", "hilo", "cti-slot", "isa", "unpredictable", "poison", "abi"] as const;
export type TripwireName = (typeof TRIPWIRES)[number];
export type Tripwires = Record<TripwireName, boolean>;

export const allTripwires = (on = true): Tripwires =>
  Object.fromEntries(TRIPWIRES.map((t) => [t, on])) as Tripwires;

/**
 * Parse a `--tripwires` list: "all", "none", or comma-separated names, each optionally prefixed with "-"
 * (off) or "+" (on). A list that starts with a bare name means "only these"; one starting with "-" means
 * "all except". E.g. "all,-poison", "-word32,-hilo", "isa,abi", "none".
 */
export function parseTripwires(list: string): Tripwires {
  const items = list.split(",").map((s) => s.trim()).filter((s) => s !== "");
  if (items.length === 0) throw new InputError("empty trip-wire list", { field: "--tripwires" });
  const first = items[0];
  const bare = first !== "all" && first !== "none" && !first.startsWith("-") && !first.startsWith("+");
  const t = allTripwires(!bare);
  for (const it of items) {
    if (it === "all") { Object.assign(t, allTripwires(true)); continue; }
    if (it === "none") { Object.assign(t, allTripwires(false)); continue; }
    const on = !it.startsWith("-");
    const name = it.replace(/^[-+]/, "");
    if (!(TRIPWIRES as readonly string[]).includes(name)) {
      throw new InputError(`unknown trip-wire '${name}' (known: ${TRIPWIRES.join(", ")}, all, none)`, { field: "--tripwires" });
    }
    t[name as TripwireName] = on;
  }
  return t;
}

/** MIPS exception codes reported by the emulator. XI: fetch from a mapped but non-executable region. */
export type ExceptionCode = "RI" | "AdEL" | "AdES" | "XI" | "Ov" | "Tr" | "Bp" | "Sys";

export type OutcomeKind = "exit" | "trap" | "exception" | "budget" | "host-error";

/** A 64-bit value as two 32-bit halves (hi, lo as unsigned or signed int32 — compare with >>> 0). */
export interface Pair {
  readonly lo: number;
  readonly hi: number;
}

export interface Outcome {
  readonly kind: OutcomeKind;
  /** pc of the instruction that stopped the run (for "exit": the exit trampoline address). */
  readonly pc: number;
  readonly word: number;
  readonly disasm: string;
  readonly reason: string;
  readonly exception?: ExceptionCode;
  readonly tripwire?: TripwireName;
  /** Register involved (ABI name, e.g. "$t0"), where there is one. */
  readonly register?: string;
  /** Its value as hex (16 digits on 64-bit CPUs). */
  readonly value?: string;
  /** Faulting data address, for Address Errors. */
  readonly address?: number;
  /** Instructions executed (the faulting one included). */
  readonly instructions: number;
  /** Return value of a top-level call (kind "exit"), per the `ret` kind asked for. */
  readonly ret?: Pair;
  readonly v0: Pair;
  readonly v1: Pair;
}

/** How an argument or return value is passed (mirrors src/ebpf/helper-protos.ts ArgKind; not imported). */
export type ArgKind = "u32" | "u64" | "ptr";
export type HostArg = Pair;
export type Abi = "o32" | "n64";

export interface HostSpec {
  readonly abi: Abi;
  readonly args: readonly ArgKind[];
  readonly ret: ArgKind | "void";
  /** Name used in trap messages. */
  readonly name?: string;
  /** PIC callee: the caller must have the call target in $t9 (mips-isa.md §7). Default false. */
  readonly requireT9?: boolean;
  /** Throwing from fn is reported as a "host-error" outcome, never propagated. */
  readonly fn: (args: HostArg[]) => Pair;
}

export interface CallArg {
  readonly kind: ArgKind;
  readonly lo: number;
  /** High half for u64 (and ptr on n64); ignored for u32. Default 0. */
  readonly hi?: number;
}

export interface CallOptions {
  readonly args?: readonly CallArg[];
  /** Stack pointer at entry (must lie inside a mapped writable region, with the o32 home area below it). */
  readonly sp: number;
  /** Instruction budget (default 10 million). */
  readonly budget?: number;
  /** How to read the return value into Outcome.ret (default "u64"). */
  readonly ret?: ArgKind | "void";
}

export interface MachineOptions {
  readonly level: import("../src/mips/levels").IsaLevel;
  readonly littleEndian: boolean;
  /** Default: all on. */
  readonly tripwires?: Partial<Tripwires>;
  /** Target option: LL/SC absent (Reserved Instruction). */
  readonly nollsc?: boolean;
  /** Default: n64 on 64-bit levels, o32 otherwise. */
  readonly abi?: Abi;
}
