// The JIT's fault-injection hook (JitOptions.mutations) really injects each fault: a small program run
// through the kit shows a mismatch or a trap on the target the fault affects, and none without it.
import { describe, it, expect } from "vitest";
import { assemble } from "../src/ebpf/index";
import { runBoth, describe2 } from "./test-kit";
import type { Target } from "./test-kit";
import { JIT_MUTATIONS } from "./index";
import type { JitMutation } from "./index";

const CASES: Record<JitMutation, { target: Target; asm: string }> = {
  "drop-add64-carry": { target: { level: "mips32r2", le: true }, asm: "lddw %r0, 0xffffffff\nmov %r1, 1\nadd %r0, %r1\nexit" },
  "skip-load-delay-nop": { target: { level: "mips1", le: false }, asm: "stw [%r10-4], 7\nldxw %r0, [%r10-4]\nadd32 %r0, 1\nexit" },
  "swap-pair-order-be": { target: { level: "mips2", le: false }, asm: "lddw %r0, 0x100000002\nexit" },
  "jmp-imm-no-sext": { target: { level: "mips32r1", le: true }, asm: "mov %r1, -1\nmov %r0, 1\njeq %r1, -1, +1\nmov %r0, 2\nexit" },
  "movz-on-mips2": { target: { level: "mips2", le: true }, asm: "mov %r1, 3\nmov %r2, 2\nmov %r0, 1\njgt %r1, %r2, +1\nmov %r0, 2\nexit" },
};

describe("JIT fault injection for the harness's mutation check", () => {
  for (const m of JIT_MUTATIONS) {
    it(`${m}: the fault shows as a mismatch or trap, and the unmutated JIT agrees with the reference`, () => {
      const { target, asm } = CASES[m];
      const p = assemble(asm);
      const good = runBoth(p, target);
      expect(good.nat.outcome.kind, describe2(good)).toBe("exit");
      expect(good.nat.r0).toBe(good.ref.r0);
      const bad = runBoth(p, { ...target, mutations: [m] });
      expect(bad.nat.outcome.kind !== "exit" || bad.nat.r0 !== bad.ref.r0, describe2(bad)).toBe(true);
    });
  }
});
