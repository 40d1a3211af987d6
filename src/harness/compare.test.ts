import { describe, expect, it } from "vitest";
import { compareRuns } from "./compare";
import type { Observation, ObservedRegion } from "./verdict";

const region = (name: string, bytes: number[], base = 0x1000): ObservedRegion => ({ name, base, bytes: Uint8Array.from(bytes) });
const obs = (regions: ObservedRegion[], r0 = 1n): Observation => ({ kind: "exit", r0, regions, helperCalls: [] });

describe("compareRuns (reference vs native)", () => {
  it("a native stack frame the reference never entered is ignored while it is all zero", () => {
    const ref = obs([region("stack0", [1, 2])]);
    const nat = obs([region("stack0", [1, 2]), region("stack1", [0, 0], 0x800)]);
    expect(compareRuns(ref, nat)).toBeUndefined();
  });
  it("a write into a native stack frame the reference never entered is a memory difference naming the frame", () => {
    const ref = obs([region("stack0", [1, 2])]);
    const nat = obs([region("stack0", [1, 2]), region("stack3", [0, 0, 0x7f], 0x800)]);
    const d = compareRuns(ref, nat);
    expect(d?.what).toBe("memory");
    expect(d?.message).toContain("stack frame 3");
    expect(d?.message).toContain("0x802");
  });
  it("differences the reference can see come first (R0 before an extra-frame write)", () => {
    const ref = obs([region("stack0", [0])], 5n);
    const nat = obs([region("stack0", [0]), region("stack1", [9], 0x800)], 6n);
    expect(compareRuns(ref, nat)?.what).toBe("r0");
  });
  it("a byte difference in a region both sides report is a memory difference", () => {
    const d = compareRuns(obs([region("ctx", [1, 2, 3])]), obs([region("ctx", [1, 2, 4])]));
    expect(d?.what).toBe("memory");
    expect(d?.message).toContain("byte 2");
  });
});
