// bpf-to-bpf calls, callx, tail calls and the instruction budget on the reference interpreter
// (reference/ebpf-semantics.md §2.5; Linux semantics for tail calls, MAX_CALL_FRAMES, MAX_TAIL_CALL_CNT).
import { describe, expect, it } from "vitest";
import type { MapDef } from "../ebpf/maps";
import { placeMaps } from "../ebpf/layout";
import { insn } from "../ebpf/insn";
import {
  alu64, alu64r, call, callLocal, callx, exit, ja, jmp, LE32, LE64, lddwSrc, ldx, mov, movr, prog, r0Of, run, st, stx,
} from "./test-kit";

describe("bpf-to-bpf calls", () => {
  it("R1–R5 reach the callee and R0 comes back (call_local shape)", () => {
    const p = prog(
      mov(1, 1), mov(2, 2), mov(3, 3), mov(4, 4), mov(5, 5), callLocal(1), exit(),
      mov(0, 0), alu64r("add", 0, 1), alu64r("add", 0, 2), alu64r("add", 0, 3), alu64r("add", 0, 4), alu64r("add", 0, 5), exit(),
    );
    expect(r0Of(p)).toBe(15n);
  });
  it("R6–R9 are preserved across a call even when the callee writes them", () => {
    const p = prog(
      mov(6, 6), mov(7, 7), mov(8, 8), mov(9, 9), callLocal(6),
      movr(0, 6), alu64r("add", 0, 7), alu64r("add", 0, 8), alu64r("add", 0, 9), exit(), exit(),
      mov(6, 100), mov(7, 100), mov(8, 100), mov(9, 100), exit(),
    );
    expect(r0Of(p)).toBe(30n);
  });
  it("the callee gets its own frame: R10 = stackTop − frameStride, restored after return", () => {
    const p = prog(callLocal(3), movr(1, 10), alu64r("sub", 0, 1), exit(), movr(0, 10), exit());
    // r0 = callee R10, then r0 -= caller R10 → −frameStride.
    expect(r0Of(p)).toBe(BigInt.asUintN(64, BigInt(-LE64.frameStride)));
  });
  it("callee stack writes land in stack1, caller's in stack0; both regions are reported", () => {
    const p = prog(st(1, 10, -1, 0xaa), callLocal(2), mov(0, 0), exit(), st(1, 10, -1, 0xbb), exit());
    const res = run(p);
    expect(res.maxDepth).toBe(1);
    const s0 = res.regions.find((r) => r.name === "stack0")!;
    const s1 = res.regions.find((r) => r.name === "stack1")!;
    expect(s0.bytes[511]).toBe(0xaa);
    expect(s1.bytes[511]).toBe(0xbb);
    expect(s1.base).toBe(LE64.stackTop - LE64.frameStride - 512);
    expect(res.regions.some((r) => r.name === "stack2")).toBe(false);
  });
  it("a callee can read its caller's frame through a pointer", () => {
    const p = prog(st(8, 10, -8, 42), movr(1, 10), alu64("add", 1, -8), callLocal(1), exit(), ldx(8, 0, 1, 0), exit());
    expect(r0Of(p)).toBe(42n);
  });
  it("8 frames (depth 0–7) are allowed; a call from depth 7 faults (MAX_CALL_FRAMES = 8)", () => {
    // f(n): r1 = n; if n == limit exit; r1 += 1; call f; exit. Recursion depth = limit.
    const rec = (limit: number) => prog(mov(1, 0), mov(0, 0), callLocal(1), exit(), jmp("jeq", 1, limit, 3), alu64("add", 1, 1), alu64("add", 0, 1), callLocal(-4), exit());
    // The first call from main reaches depth 1; callee calls itself until r1 == limit.
    const ok = run(rec(6)); // depths 1..7
    expect(ok.kind).toBe("exit");
    expect(ok.maxDepth).toBe(7);
    const bad = run(rec(7));
    expect(bad.kind).toBe("fault");
    expect(bad.message).toContain("call depth");
  });
});

describe("callx", () => {
  it("callx calls the helper whose id is in the register (bpf_conformance callx)", () => {
    const res = run(prog(mov(1, -1), mov(2, 5), callx(2), exit()));
    expect(res.r0).toBe(1_000_000_000n);
    expect(res.helperCalls.map((c) => c.name)).toEqual(["ktime_get_ns"]);
  });
  it("callx with a value that is no helper id faults", () => {
    expect(run(prog(mov(2, 99), callx(2), exit())).kind).toBe("fault");
    expect(run(prog(mov(2, -1), callx(2), exit())).message).toContain("not a helper id");
  });
});

describe("tail calls", () => {
  const pa = (init: Record<string, string>, maxEntries = 4): MapDef => ({ name: "jt", type: "prog_array", keySize: 4, valueSize: 4, maxEntries, init });
  /** Main: r0 = 7; tail_call(ctx, jt, r3 = idx); r0 += 100; exit. */
  const main = (idx: number) => prog(mov(0, 7), lddwSrc(2, 1, 0), mov(3, idx), call(12), alu64("add", 0, 100), exit());
  const target = prog(alu64("add", 0, 1000), exit());

  it("a successful tail call runs the target and never returns to the caller", () => {
    const res = run(main(1), { maps: [pa({ 1: "t" })], programs: { t: target } });
    expect(res.r0).toBe(1007n);
    expect(res.tailCalls).toBe(1);
  });
  it("index ≥ max_entries falls through with R0 unchanged", () =>
    expect(r0Of(main(4), { maps: [pa({ 1: "t" })], programs: { t: target } })).toBe(107n));
  it("an empty slot falls through with R0 unchanged but uses up one tail call", () => {
    const res = run(main(0), { maps: [pa({ 1: "t" })], programs: { t: target } });
    expect(res.r0).toBe(107n);
    expect(res.tailCalls).toBe(1);
  });
  it("the index is the low 32 bits of R3", () => {
    const p = prog(mov(0, 7), lddwSrc(2, 1, 0), insn(0x18, 3, 0, 0, 1), insn(0, 0, 0, 0, 1), call(12), alu64("add", 0, 100), exit());
    expect(r0Of(p, { maps: [pa({ 1: "t" })], programs: { t: target } })).toBe(1007n);
  });
  it("at most 33 tail calls succeed per run (MAX_TAIL_CALL_CNT); the 34th falls through", () => {
    // self: r0 += 1; tail_call(self); exit → R0 counts executions: 1 (first run) + 33 tail calls.
    const self = prog(alu64("add", 0, 1), lddwSrc(2, 1, 0), mov(3, 0), call(12), exit());
    const res = run(prog(mov(0, 0), lddwSrc(2, 1, 0), mov(3, 0), call(12), exit()), { maps: [pa({ 0: "self" }, 1)], programs: { self } });
    expect(res.tailCalls).toBe(33);
    expect(res.r0).toBe(33n);
  });
  it("the tail-called program keeps the frame: R10 and the stack contents carry over", () => {
    const t = prog(ldx(8, 0, 10, -8), exit());
    const p = prog(st(8, 10, -8, 77), lddwSrc(2, 1, 0), mov(3, 0), call(12), mov(0, 0), exit());
    expect(r0Of(p, { maps: [pa({ 0: "t" })], programs: { t } })).toBe(77n);
  });
  it("a tail call from a subprogram returns to that subprogram's caller", () => {
    const t = prog(mov(0, 5), exit());
    const p = prog(callLocal(2), alu64("add", 0, 10), exit(), lddwSrc(2, 1, 0), mov(3, 0), call(12), mov(0, 99), exit());
    expect(r0Of(p, { maps: [pa({ 0: "t" })], programs: { t } })).toBe(15n);
  });
  it("tail calls are not in the helper log (the JIT performs them inline)", () => {
    expect(run(main(1), { maps: [pa({ 1: "t" })], programs: { t: target } }).helperCalls).toEqual([]);
  });
  it("R2 that is not a prog_array pointer faults", () => {
    const res = run(prog(mov(2, 0), mov(3, 0), call(12), exit()));
    expect(res.kind).toBe("fault");
    expect(res.message).toContain("prog_array");
  });
  it("a prog_array naming a missing program is an invalid case", () => {
    const res = run(main(1), { maps: [pa({ 1: "nope" })] });
    expect(res.invalid).toBe(true);
    expect(res.message).toContain("nope");
  });
  it("the prog_array object holds max_entries in the layout's byte order and zero entry pointers", () => {
    const res = run(prog(lddwSrc(1, 1, 0), ldx(4, 0, 1, 0), ldx(4, 2, 1, 8), alu64r("or", 0, 2), exit()), { maps: [pa({}, 3)], layout: LE32 });
    expect(res.r0).toBe(3n);
    expect(placeMaps(LE32, [pa({}, 3)])[0].valuesAddr - placeMaps(LE32, [pa({}, 3)])[0].objectAddr).toBeGreaterThanOrEqual(8 + 12);
  });
});

describe("budget", () => {
  it("an endless loop ends with kind budget after exactly `budget` instructions", () => {
    const res = run(prog(mov(0, 1), ja(-1)), { budget: 1000 });
    expect(res.kind).toBe("budget");
    expect(res.insnCount).toBe(1000);
    expect(res.message).toContain("budget exceeded");
  });
  it("a program that needs exactly `budget` instructions exits normally", () => {
    expect(run(prog(mov(0, 1), exit()), { budget: 2 }).kind).toBe("exit");
    expect(run(prog(mov(0, 1), exit()), { budget: 1 }).kind).toBe("budget");
  });
  it("the default budget is 1,000,000", () => {
    const res = run(prog(mov(0, 1), ja(-1)));
    expect(res.insnCount).toBe(1_000_000);
  });
});

describe("stores through R10-relative pointers after a call", () => {
  it("stx through a saved caller pointer writes the caller's frame", () => {
    const p = prog(movr(6, 10), callLocal(2), ldx(8, 0, 10, -8), exit(), mov(1, 9), stx(8, 6, -8, 1), exit());
    expect(r0Of(p)).toBe(9n);
  });
});

describe("layout checks", () => {
  it("a layout whose frameStride is below 512 bytes is refused (frames would overlap)", () => {
    const res = run(prog(mov(0, 0), exit()), { layout: { ...LE64, frameStride: 256 } });
    expect(res.invalid).toBe(true);
    expect(res.message).toContain("frameStride");
  });
  it("a larger frameStride moves the callee's R10 accordingly", () => {
    const layout = { ...LE64, frameStride: 4096 };
    expect(r0Of(prog(callLocal(1), exit(), movr(0, 10), exit()), { layout })).toBe(BigInt(LE64.stackTop - 4096));
  });
});
