// The Case model: one program (plus named programs for tail calls), its input memory, its maps and what
// the case expects. Every input form (.data, raw, ELF + sidecar JSON, generated) becomes a Case; engines
// (run-case.ts) only ever see Cases. Owns the expectation rules; does not parse files (load-case.ts) and
// does not know any engine.
import type { Program } from "../ebpf/insn";
import type { MapDef } from "../ebpf/maps";
import type { InputError } from "../ebpf/errors";

/**
 * What the case file says should happen.
 * - result: the run exits and R0 (all 64 bits) equals r0.
 * - error: the program is rejected or the run fails with a message containing `text`. bpf_conformance's
 *   rule (ebpf-semantics.md §4.4) is that an EMPTY `-- error` text expects no error at all: a plugin error
 *   is then a failure. We keep that: an empty text never matches.
 * - fault / budget: project cases (`-- options {"expect": …}`) that must end in a fault (bad access, call
 *   depth …; optionally with a message substring) or by exhausting the instruction budget.
 * - none: no stated expectation; only useful differentially (reference against a JIT target).
 */
export type Expectation =
  | { readonly kind: "result"; readonly r0: bigint }
  | { readonly kind: "error"; readonly text: string }
  /** `message`: a substring the fault message must contain. */
  | { readonly kind: "fault"; readonly message?: string }
  | { readonly kind: "budget" }
  | { readonly kind: "none" };

export type CaseSource = "data" | "raw" | "elf" | "generated";

export interface Case {
  /** Display name: the path as given on the command line or relative to the suite folder. */
  readonly name: string;
  readonly file: string;
  readonly source: CaseSource;
  /** The entry program. Empty when `invalid` is set. */
  readonly program: Program;
  /** Named programs (prog_array targets, `-- asm NAME`). */
  readonly programs: Readonly<Record<string, Program>>;
  readonly mem: Uint8Array;
  readonly maps: readonly MapDef[];
  readonly expect: Expectation;
  /**
   * The expectation for a big-endian run, where the source states one (ELF sidecars' resultBigEndian).
   * Without it, big-endian values come from the reference run in BE (ebpf-semantics.md §5).
   */
  readonly expectBigEndian?: Expectation;
  /**
   * The byte order the case's data is in, when it has one (an ELF object's initialised global data is
   * stored in the object's byte order, docs/elf.md): the case runs only on targets of that order, and
   * `expect` holds for that order. Unset: the case is byte-order neutral data (bpf_conformance files).
   */
  readonly byteOrder?: "le" | "be";
  /** Instruction budget of one run (reference default 1,000,000 when unset). */
  readonly budget?: number;
  /** Seed for deterministic helpers (prandom). */
  readonly seed?: number;
  /** The assembler text, kept so a failure can be replayed with the author's own text. */
  readonly asm?: string;
  /**
   * The case itself is malformed (unknown directive, assembler error, bad JSON …): it cannot be run, and
   * every engine reports it as invalid-case with this error's message.
   */
  readonly invalid?: InputError;
}

/** Does an engine's error message satisfy an `error` expectation? (Substring: engines add locations.) */
export function errorMatches(expectedText: string, actualMessage: string): boolean {
  const want = expectedText.trim();
  return want.length > 0 && actualMessage.includes(want);
}

/** A human description of an expectation for reports. */
export function describeExpectation(e: Expectation): string {
  switch (e.kind) {
    case "result":
      return `r0=0x${BigInt.asUintN(64, e.r0).toString(16)}`;
    case "error":
      return e.text ? `error '${e.text}'` : "error (no text)";
    case "fault":
      return e.message ? `fault '${e.message}'` : "fault";
    default:
      return e.kind;
  }
}

/** An invalid case: the file could not be turned into a program. */
export function invalidCase(name: string, file: string, source: CaseSource, error: InputError): Case {
  return { name, file, source, program: [], programs: {}, mem: new Uint8Array(0), maps: [], expect: { kind: "none" }, invalid: error };
}
