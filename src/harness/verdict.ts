// Verdicts and the comparison of two runs. Owns the Observation shape both engines produce (reference
// interpreter, JIT + emulator) and the rule "report the first difference": exit kind, then R0 (all 64 bits),
// then every writable memory region byte by byte, then the helper-call log. Does not run anything
// (run-case.ts) and does not format reports (report.ts).

/** One logged helper call (same shape as src/reference's HelperCall). */
export interface ObservedCall {
  readonly id: number;
  readonly name: string;
  readonly args: readonly bigint[];
  readonly ret: bigint;
}

/** One writable memory region at the end of a run: the stack frames, the context, map values. */
export interface ObservedRegion {
  readonly name: string;
  readonly base: number;
  readonly bytes: Uint8Array;
}

/** What one engine observed at the end of a run. Both sides describe the same layout (src/ebpf/layout.ts). */
export interface Observation {
  readonly kind: "exit" | "fault" | "budget";
  /** R0 as an unsigned 64-bit value. */
  readonly r0: bigint;
  readonly message?: string;
  readonly regions: readonly ObservedRegion[];
  readonly helperCalls: readonly ObservedCall[];
  readonly trace?: readonly string[];
  readonly insnCount?: number;
  /** The engine refused the program (or its maps / named programs) before running it; `message` says why. */
  readonly invalid?: boolean;
}

export type MismatchWhat = "exit-kind" | "r0" | "error" | "memory" | "helper-calls" | "trace";

/**
 * The judgement of one case on one engine. `observed` is the judged engine's own run (the native run for
 * MIPS targets), for `run` output and the plugin protocol, which print R0.
 */
export type Verdict =
  | { readonly kind: "pass"; readonly note?: string; readonly observed?: Observation }
  | { readonly kind: "mismatch"; readonly what: MismatchWhat; readonly message: string; readonly listing?: string; readonly observed?: Observation }
  | { readonly kind: "trap"; readonly message: string; readonly listing?: string }
  | { readonly kind: "jit-error"; readonly message: string }
  | { readonly kind: "invalid-case"; readonly message: string }
  | { readonly kind: "skip"; readonly reason: string };

export type VerdictKind = Verdict["kind"];

export const isFailure = (v: Verdict): boolean => v.kind !== "pass" && v.kind !== "skip";

/** One line saying why a verdict is not a pass (empty for pass). */
export function verdictReason(v: Verdict): string {
  switch (v.kind) {
    case "pass":
      return v.note ?? "";
    case "skip":
      return v.reason;
    case "mismatch":
      return `${v.what}: ${v.message}`;
    default:
      return v.message;
  }
}

export const hex64 = (v: bigint): string => "0x" + BigInt.asUintN(64, v).toString(16).padStart(16, "0");
const hex32 = (v: number): string => "0x" + (v >>> 0).toString(16).padStart(8, "0");
const hexAddr = (v: number): string => "0x" + v.toString(16);

/** Describe the first difference between the expected (reference) and the actual run, or undefined. */
export function firstDifference(
  expected: Observation,
  actual: Observation,
): { what: MismatchWhat; message: string } | undefined {
  if (expected.kind !== actual.kind) {
    const desc = (o: Observation): string => (o.kind === "exit" ? `exit with r0=${hex64(o.r0)}` : `${o.kind}${o.message ? ` (${o.message})` : ""}`);
    return { what: "exit-kind", message: `expected ${desc(expected)}, got ${desc(actual)}` };
  }
  if (expected.kind === "exit" && BigInt.asUintN(64, expected.r0) !== BigInt.asUintN(64, actual.r0)) {
    const e = BigInt.asUintN(64, expected.r0);
    const a = BigInt.asUintN(64, actual.r0);
    const half = (e ^ a) >> 32n !== 0n ? ((e ^ a) & 0xffffffffn) !== 0n ? "both halves differ" : "upper 32 bits differ" : "lower 32 bits differ";
    return { what: "r0", message: `expected r0=${hex64(e)}, got ${hex64(a)} (${half})` };
  }
  const mem = firstRegionDifference(expected.regions, actual.regions);
  if (mem) return { what: "memory", message: mem };
  const calls = firstCallDifference(expected.helperCalls, actual.helperCalls);
  if (calls) return { what: "helper-calls", message: calls };
  if (expected.trace && actual.trace) {
    const n = Math.max(expected.trace.length, actual.trace.length);
    for (let i = 0; i < n; i++) {
      if (expected.trace[i] !== actual.trace[i]) {
        return { what: "trace", message: `trace line ${i}: expected ${JSON.stringify(expected.trace[i] ?? null)}, got ${JSON.stringify(actual.trace[i] ?? null)}` };
      }
    }
  }
  return undefined;
}

function firstRegionDifference(exp: readonly ObservedRegion[], act: readonly ObservedRegion[]): string | undefined {
  const byName = new Map(act.map((r) => [r.name, r]));
  for (const e of exp) {
    const a = byName.get(e.name);
    if (!a) return `region '${e.name}' missing from the actual run`;
    if (a.base !== e.base) return `region '${e.name}' at ${hexAddr(a.base)}, expected at ${hexAddr(e.base)}`;
    if (a.bytes.length !== e.bytes.length) return `region '${e.name}' has ${a.bytes.length} bytes, expected ${e.bytes.length}`;
    for (let i = 0; i < e.bytes.length; i++) {
      if (a.bytes[i] !== e.bytes[i]) {
        const from = i & ~7;
        const show = (b: Uint8Array): string => Array.from(b.subarray(from, Math.min(from + 8, b.length)), (x) => x.toString(16).padStart(2, "0")).join(" ");
        return `region '${e.name}' byte ${i} (address ${hexAddr(e.base + i)}): expected 0x${e.bytes[i].toString(16).padStart(2, "0")}, got 0x${a.bytes[i].toString(16).padStart(2, "0")} [expected ${show(e.bytes)} | got ${show(a.bytes)} at ${hexAddr(e.base + from)}]`;
      }
    }
  }
  const expNames = new Set(exp.map((r) => r.name));
  for (const a of act) if (!expNames.has(a.name)) return `unexpected region '${a.name}' in the actual run`;
  return undefined;
}

function firstCallDifference(exp: readonly ObservedCall[], act: readonly ObservedCall[]): string | undefined {
  const n = Math.min(exp.length, act.length);
  for (let i = 0; i < n; i++) {
    const e = exp[i];
    const a = act[i];
    if (e.id !== a.id) return `call #${i}: expected helper ${e.name} (${e.id}), got ${a.name} (${a.id})`;
    for (let j = 0; j < Math.max(e.args.length, a.args.length); j++) {
      const ea = e.args[j];
      const aa = a.args[j];
      if (ea === undefined || aa === undefined || BigInt.asUintN(64, ea) !== BigInt.asUintN(64, aa)) {
        return `call #${i} ${e.name}: argument ${j + 1} expected ${ea === undefined ? "none" : hex64(ea)}, got ${aa === undefined ? "none" : hex64(aa)}`;
      }
    }
    if (BigInt.asUintN(64, e.ret) !== BigInt.asUintN(64, a.ret)) return `call #${i} ${e.name}: returned ${hex64(a.ret)}, expected ${hex64(e.ret)}`;
  }
  if (exp.length !== act.length) {
    const extra = exp.length > act.length ? `missing call #${n} ${exp[n].name}` : `extra call #${n} ${act[n].name}`;
    return `expected ${exp.length} helper calls, got ${act.length}: ${extra}`;
  }
  return undefined;
}

export { hex32 };
