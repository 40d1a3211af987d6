// Comparing a JIT + emulator run with the reference run of the ORIGINAL program (issue 4 §3): exit kind,
// R0 (all 64 bits), every writable region, the helper-call log and the trace, first difference first
// (verdict.ts firstDifference). Owns the one rule that is specific to the native side: the native run
// reports the eBPF part of every one of the MAX_CALL_FRAMES stack frames, the reference only the frames it
// entered, so a native frame the reference never entered must still be all zero (a JIT that writes through
// a wrong R10 shows there). Does not run anything and does not format listings (listing.ts).
import { stackRegionName } from "../reference/index";
import { firstDifference, type MismatchWhat, type Observation, type ObservedRegion } from "./verdict";

export interface Difference {
  readonly what: MismatchWhat;
  readonly message: string;
}

const STACK_NAME = /^stack(\d+)$/;

/** The first difference between the reference (expected) and the native (actual) observation, or undefined. */
export function compareRuns(ref: Observation, native: Observation): Difference | undefined {
  const refNames = new Set(ref.regions.map((r) => r.name));
  const kept: ObservedRegion[] = [];
  let extraWrite: Difference | undefined;
  for (const r of native.regions) {
    const m = STACK_NAME.exec(r.name);
    if (m && !refNames.has(r.name)) {
      const i = r.bytes.findIndex((b) => b !== 0);
      if (i >= 0 && extraWrite === undefined) {
        extraWrite = {
          what: "memory",
          message: `region '${r.name}' byte ${i} (address 0x${(r.base + i).toString(16)}): the native code wrote 0x${r.bytes[i]!.toString(16).padStart(2, "0")} into stack frame ${m[1]}, which the reference never entered (expected 0x00)`,
        };
      }
      continue;
    }
    kept.push(r);
  }
  const d = firstDifference(ref, { ...native, regions: kept });
  if (d) return d;
  // Only the native side knows frames beyond the reference's; a write there is reported after the rest.
  if (extraWrite) return extraWrite;
  return undefined;
}

/** Region name of call depth d's eBPF stack (re-exported for callers building expectations). */
export const stackName = stackRegionName;
