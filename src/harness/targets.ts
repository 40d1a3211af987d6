// Target names for the harness and the CLI: `<isa>-<endian>[+option…]`, the groups all32/all64/all, and
// the reference-interpreter engines. Owns parsing (with precise InputErrors for --targets) and the default
// target set of `npm start`; does not own what a level can do (src/mips/levels.ts) nor how an option
// changes code generation (jit/).
import { InputError } from "../ebpf/errors";
import { ISA_LEVELS, is64, hasLlSc, type IsaLevel } from "../mips/levels";

/** Target options (ARCHITECTURE.md "Targets"; the errata are reference/mips-isa.md §8). */
export const TARGET_OPTIONS = ["hardened", "nollsc", "r10000", "loongson3", "loongson2f", "daddi", "r4000"] as const;
export type TargetOption = (typeof TARGET_OPTIONS)[number];

/** A MIPS target: the JIT compiles for it and the emulator runs it. */
export interface MipsTarget {
  readonly kind: "mips";
  /** Canonical name: options in TARGET_OPTIONS order, e.g. "mips32r2-be+hardened+nollsc". */
  readonly name: string;
  readonly isa: IsaLevel;
  readonly littleEndian: boolean;
  readonly addressBits: 32 | 64;
  readonly options: readonly TargetOption[];
}

/** The reference interpreter as an engine: it judges a case against the file's own expectations. */
export interface ReferenceTarget {
  readonly kind: "reference";
  readonly name: "reference" | "reference-be";
  readonly littleEndian: boolean;
  /** The reference runs with the 64-bit layout (as a 64-bit host runtime does for bpf_conformance). */
  readonly addressBits: 64;
}

export type Target = MipsTarget | ReferenceTarget;

export const REFERENCE_LE: ReferenceTarget = { kind: "reference", name: "reference", littleEndian: true, addressBits: 64 };
export const REFERENCE_BE: ReferenceTarget = { kind: "reference", name: "reference-be", littleEndian: false, addressBits: 64 };

/** Aliases accepted for the reference engines (`--engine reference`, `--targets reference-le`). */
const REFERENCE_NAMES: Readonly<Record<string, ReferenceTarget>> = {
  reference: REFERENCE_LE,
  "reference-le": REFERENCE_LE,
  "reference-be": REFERENCE_BE,
};

export const GROUPS = ["all32", "all64", "all"] as const;

/**
 * Which options make sense on which level: refusing meaningless combinations early gives the user a clear
 * message instead of a JIT that silently ignores the option. The errata follow reference/mips-isa.md §8:
 * R10000 ll/sc (beqzl retry) needs branch-likely and ll/sc; Loongson-3 and Loongson-2F are 64-bit cores
 * running 32- or 64-bit code; DADDI and R4000 errata concern 64-bit instructions.
 */
function optionProblem(isa: IsaLevel, opt: TargetOption): string | undefined {
  switch (opt) {
    case "hardened":
      return undefined;
    case "nollsc":
      return hasLlSc(isa) ? undefined : `${isa} has no ll/sc, so +nollsc changes nothing`;
    case "r10000":
      return hasLlSc(isa) && isa !== "mips32r6" && isa !== "mips64r6" ? undefined : `+r10000 needs ll/sc and branch-likely (not on ${isa})`;
    case "loongson3":
    case "loongson2f":
      return isa === "mips32r6" || isa === "mips64r6" || isa === "mips1" ? `+${opt} does not apply to ${isa}` : undefined;
    case "daddi":
    case "r4000":
      return is64(isa) ? undefined : `+${opt} is a 64-bit erratum and does not apply to 32-bit ${isa}`;
  }
}

export function mipsTarget(isa: IsaLevel, littleEndian: boolean, options: readonly TargetOption[] = []): MipsTarget {
  const sorted = TARGET_OPTIONS.filter((o) => options.includes(o));
  const name = `${isa}-${littleEndian ? "le" : "be"}${sorted.map((o) => "+" + o).join("")}`;
  return { kind: "mips", name, isa, littleEndian, addressBits: is64(isa) ? 64 : 32, options: sorted };
}

/** Every ISA level × both byte orders, plain. */
function group(which: (typeof GROUPS)[number]): MipsTarget[] {
  const out: MipsTarget[] = [];
  for (const isa of ISA_LEVELS) {
    if (which === "all32" && is64(isa)) continue;
    if (which === "all64" && !is64(isa)) continue;
    for (const le of [false, true]) out.push(mipsTarget(isa, le));
  }
  return out;
}

/** Parse one target name (not a group). `flag` names the option for the error message. */
export function parseTarget(text: string, flag = "--target"): Target {
  const name = text.trim();
  const ref = REFERENCE_NAMES[name];
  if (ref) return ref;
  const [base, ...opts] = name.split("+");
  const dash = base.lastIndexOf("-");
  if (dash < 0) {
    throw new InputError(`'${name}' is not a target: expected <isa>-<be|le>[+option…], a group (${GROUPS.join(", ")}) or reference[-be]`, { field: flag });
  }
  const isaText = base.slice(0, dash);
  const endian = base.slice(dash + 1);
  if (!(ISA_LEVELS as readonly string[]).includes(isaText)) {
    throw new InputError(`unknown ISA '${isaText}' in '${name}' (known: ${ISA_LEVELS.join(" ")})`, { field: flag });
  }
  if (endian !== "be" && endian !== "le") {
    throw new InputError(`unknown byte order '${endian}' in '${name}' (expected be or le)`, { field: flag });
  }
  const isa = isaText as IsaLevel;
  const seen: TargetOption[] = [];
  for (const o of opts) {
    if (!(TARGET_OPTIONS as readonly string[]).includes(o)) {
      throw new InputError(`unknown option '${o}' in '${name}' (known: ${TARGET_OPTIONS.join(" ")})`, { field: flag });
    }
    const opt = o as TargetOption;
    if (seen.includes(opt)) throw new InputError(`option '${o}' given twice in '${name}'`, { field: flag });
    const problem = optionProblem(isa, opt);
    if (problem) throw new InputError(`${problem} ('${name}')`, { field: flag });
    seen.push(opt);
  }
  return mipsTarget(isa, endian === "le", seen);
}

/**
 * Parse a comma-separated target list: names, groups (all32, all64, all) and reference engines. A group
 * followed by `+option` (e.g. `all32+hardened`) applies the option to every member it fits. Duplicates are
 * dropped, first occurrence wins the order.
 */
export function parseTargets(list: string, flag = "--targets"): Target[] {
  const items = list.split(",").map((s) => s.trim()).filter((s) => s.length > 0);
  if (items.length === 0) throw new InputError("empty target list", { field: flag });
  const out: Target[] = [];
  const add = (t: Target): void => {
    if (!out.some((o) => o.name === t.name)) out.push(t);
  };
  for (const item of items) {
    const [head, ...opts] = item.split("+");
    if ((GROUPS as readonly string[]).includes(head)) {
      for (const o of opts) {
        if (!(TARGET_OPTIONS as readonly string[]).includes(o)) {
          throw new InputError(`unknown option '${o}' in '${item}' (known: ${TARGET_OPTIONS.join(" ")})`, { field: flag });
        }
      }
      for (const t of group(head as (typeof GROUPS)[number])) {
        const fitting = (opts as TargetOption[]).filter((o) => optionProblem(t.isa, o) === undefined);
        if (fitting.length === opts.length) add(mipsTarget(t.isa, t.littleEndian, fitting));
      }
      continue;
    }
    add(parseTarget(item, flag));
  }
  return out;
}

/**
 * What `npm start` (`conformance --default`) runs: the reference engine in both byte orders (the oracle
 * itself judged against the files), and a small JIT matrix covering the three 32-bit code generators'
 * distinguishing levels: MIPS I (load delays, no ll/sc), MIPS32r2 in both byte orders, MIPS32r6 (compact
 * branches, no HI/LO) and one hardened target (constant blinding). The full matrix is `--targets all32`.
 */
export const DEFAULT_TARGETS = "reference,reference-be,mips1-be,mips32r2-le,mips32r2-be,mips32r6-le,mips32r2-le+hardened";
