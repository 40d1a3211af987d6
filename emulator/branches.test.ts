// Control transfers: delay slots (always executed), branch-likely (slot annulled when not taken), links,
// J/JAL segment rule, JR/JALR, r6 compact branches (no delay slot, forbidden slot only when not taken),
// 64-bit comparisons. Each program is run by the interpreter and, after warming up, by the block compiler.
import { describe, expect, it } from "vitest";
import type { IsaLevel } from "../src/mips/index";
import { assemble } from "../src/mips/index";
import { Machine } from "./machine";
import { endedAtBreak, rig, u64 } from "./test-util";

/** Run lines (ending with break) 12 times so the block compiler takes over; every run must agree. */
function runBoth(level: IsaLevel, lines: string[], init: Record<number, bigint> = {}, le = true): Record<number, bigint> {
  const rg = rig(level, le);
  rg.load(lines);
  let first: Record<number, bigint> | undefined;
  for (let k = 0; k < 12; k++) {
    for (let r = 1; r < 32; r++) rg.set(r, init[r] ?? 0n);
    const o = rg.run();
    expect(endedAtBreak(o), `${o.kind} ${o.reason} at ${o.disasm}`).toBe(true);
    const regs: Record<number, bigint> = {};
    for (let r = 1; r < 32; r++) regs[r] = rg.get(r);
    if (first === undefined) first = regs;
    else expect(regs, `run ${k} (blocks)`).toEqual(first);
  }
  return first as Record<number, bigint>;
}

describe("delay-slot branches", () => {
  it("a taken beq executes its delay slot, then continues at pc+4+offset", () => {
    const r = runBoth("mips32r2", ["beq $zero, $zero, 8", "addiu $2, $2, 1", "addiu $3, $3, 1", "addiu $4, $4, 1", "addiu $5, $5, 1"]);
    expect([r[2], r[3], r[4], r[5]]).toEqual([1n, 0n, 1n, 1n]);
  });
  it("a not-taken bne still executes its delay slot and falls through", () => {
    const r = runBoth("mips1", ["bne $zero, $zero, 8", "addiu $2, $2, 1", "addiu $3, $3, 1", "addiu $4, $4, 1"]);
    expect([r[2], r[3], r[4]]).toEqual([1n, 1n, 1n]);
  });
  it("beql annuls the delay slot when not taken and executes it when taken", () => {
    const nt = runBoth("mips2", ["beql $4, $zero, 8", "addiu $2, $2, 1", "addiu $3, $3, 1", "addiu $5, $5, 1"], { 4: 7n });
    expect([nt[2], nt[3], nt[5]]).toEqual([0n, 1n, 1n]);
    const t = runBoth("mips2", ["beql $4, $zero, 8", "addiu $2, $2, 1", "addiu $3, $3, 1", "addiu $5, $5, 1"], { 4: 0n });
    expect([t[2], t[3], t[5]]).toEqual([1n, 0n, 1n]);
  });
  it("bgezal and bltzal write $ra = pc + 8 whether or not they branch", () => {
    const rg = rig("mips32r2");
    const r = runBoth("mips32r2", ["bltzal $4, 8", "nop", "addiu $2, $2, 1", "nop"], { 4: 1n });
    expect([r[31], r[2]]).toEqual([BigInt(rg.code + 8), 1n]);
  });
  it("bltzall/bgezall link pc + 8 always and annul the slot when not taken", () => {
    const rg = rig("mips2");
    const nt = runBoth("mips2", ["bltzall $4, 8", "addiu $2, $2, 1", "addiu $3, $3, 1", "nop"], { 4: 1n });
    expect([nt[2], nt[3], nt[31]]).toEqual([0n, 1n, BigInt(rg.code + 8)]);
    const t = runBoth("mips2", ["bgezall $4, 8", "addiu $2, $2, 1", "addiu $3, $3, 1", "nop"], { 4: 1n });
    expect([t[2], t[3], t[31]]).toEqual([1n, 0n, BigInt(rg.code + 8)]);
  });
  it("blez/bgtz/bltz/bgez compare the full 64-bit register on 64-bit levels", () => {
    const neg = u64(-(1n << 40n)); // negative in 64 bits, zero in the low word
    const r = runBoth("mips3", ["bltz $4, 8", "nop", "addiu $2, $2, 1", "blez $4, 8", "nop", "addiu $3, $3, 1", "bgtz $5, 8", "nop", "addiu $6, $6, 1"], { 4: neg, 5: 1n << 40n });
    expect([r[2], r[3], r[6]]).toEqual([0n, 0n, 0n]);
  });
  it("beq/bne compare all 64 bits on 64-bit levels", () => {
    const r = runBoth("mips64r2", ["beq $4, $5, 8", "nop", "addiu $2, $2, 1", "bne $4, $5, 8", "nop", "addiu $3, $3, 1"], { 4: 1n, 5: (1n << 32n) | 1n });
    expect([r[2], r[3]]).toEqual([1n, 0n]);
  });
});

describe("jumps", () => {
  it("jal links pc + 8 and j/jal stay in the 256 MiB segment of the delay slot", () => {
    const m = new Machine({ level: "mips32r2", littleEndian: false });
    m.addRegion({ name: "a", base: 0x0fff_f000, size: 0x2000, perms: "rx" });
    m.addRegion({ name: "b", base: 0x0000_0000, size: 0x1000, perms: "rx" });
    // j at 0x0ffffffc: its delay slot 0x10000000 lies in the next segment, so the target does too
    m.mem.writeWords(0x0fff_fffc, [assemble("jal 0x100", "mips32r2"), assemble("nop", "mips32r2")]);
    m.mem.writeWords(0x1000_0100, [assemble("break", "mips32r2")]);
    m.mem.writeWords(0x0000_0100, [assemble("teq $zero, $zero", "mips32r2")]);
    const o = m.run({ pc: 0x0fff_fffc, budget: 10 });
    expect([o.exception, o.pc, m.getReg(31).lo]).toEqual(["Bp", 0x1000_0100, 0x1000_0004]);
  });
  it("jalr writes rd = pc + 8 and jumps to the old rs; jr jumps to rs", () => {
    const rg = rig("mips32r2");
    const r = runBoth("mips32r2", ["jalr $7, $4", "nop", "addiu $2, $2, 1", "jr $5", "nop", "addiu $3, $3, 1", "nop"], { 4: BigInt(rg.code + 12), 5: BigInt(rg.code + 24) });
    expect([r[7], r[2], r[3]]).toEqual([BigInt(rg.code + 8), 0n, 0n]);
  });
  it("r6 jr (jalr $zero) jumps through a register above 4 GiB", () => {
    const rg = rig("mips64r6");
    const r = runBoth("mips64r6", ["jr $4", "nop", "addiu $2, $2, 1", "nop"], { 4: BigInt(rg.code + 12) });
    expect(r[2]).toBe(0n);
    expect(rg.code).toBeGreaterThan(2 ** 32);
  });
});

describe("Release 6 compact branches", () => {
  it("bc and balc have no delay slot; balc links pc + 4", () => {
    const rg = rig("mips32r6");
    const r = runBoth("mips32r6", ["balc 4", "addiu $2, $2, 1", "addiu $3, $3, 1", "bc 4", "addiu $5, $5, 1", "nop"]);
    expect([r[2], r[3], r[5], r[31]]).toEqual([0n, 1n, 0n, BigInt(rg.code + 4)]);
  });
  it("a taken beqzc skips the next instruction; a not-taken one executes it (the forbidden slot)", () => {
    const t = runBoth("mips32r6", ["beqzc $4, 4", "addiu $2, $2, 1", "addiu $3, $3, 1"], { 4: 0n });
    expect([t[2], t[3]]).toEqual([0n, 1n]);
    const nt = runBoth("mips32r6", ["beqzc $4, 4", "addiu $2, $2, 1", "addiu $3, $3, 1"], { 4: 5n });
    expect([nt[2], nt[3]]).toEqual([1n, 1n]);
  });
  it("the two-register compact branches compare as Vol. II states (signed, unsigned, equality, overflow)", () => {
    const cases: [string, bigint, bigint, boolean][] = [
      ["bltc $4, $5, 4", u64(-1n), 1n, true], ["bltuc $4, $5, 4", u64(-1n), 1n, false], ["bgec $4, $5, 4", 5n, 5n, true],
      ["bgeuc $4, $5, 4", 1n, u64(-1n), false], ["beqc $4, $5, 4", 9n, 9n, true], ["bnec $4, $5, 4", 9n, 9n, false],
      ["bovc $4, $5, 4", 0x7fff_ffffn, 1n, true], ["bnvc $4, $5, 4", 0x7fff_ffffn, 1n, false], ["bovc $4, $5, 4", 5n, 6n, false],
    ];
    for (const [asm, a, b, taken] of cases) {
      const r = runBoth("mips64r6", [asm, "addiu $2, $2, 1", "nop"], { 4: a, 5: b });
      expect(r[2], asm).toBe(taken ? 0n : 1n);
    }
  });
  it("the *ALC forms link pc + 4 even when not taken; blezc/bgtzc test rt against zero", () => {
    const rg = rig("mips32r6");
    const r = runBoth("mips32r6", ["bgtzalc $4, 4", "addiu $2, $2, 1", "blezc $4, 4", "addiu $3, $3, 1", "nop"], { 4: u64(-3n) });
    expect([r[31], r[2], r[3]]).toEqual([BigInt(rg.code + 4), 1n, 0n]);
  });
  it("bovc/bnvc $zero, $zero (rs >= rt: not the *ZALC forms) never link; bnvc $0, $0 is taken (QEMU 7.2 links here)", () => {
    for (const w of [0x2000_0001, 0x6000_0001]) { // bovc $0, $0, 4 / bnvc $0, $0, 4
      const rg = rig("mips32r6");
      rg.m.mem.writeWords(rg.code, [w, assemble("addiu $2, $2, 1", "mips32r6"), assemble("break", "mips32r6")]);
      rg.set(31, 0x1234n);
      const o = rg.run();
      expect(endedAtBreak(o), o.reason).toBe(true);
      expect([rg.get(31), rg.get(2)], w.toString(16)).toEqual([0x1234n, w === 0x2000_0001 ? 1n : 0n]);
    }
  });
  it("jic/jialc jump to rt + offset without a delay slot; jialc links pc + 4", () => {
    const rg = rig("mips32r6");
    const r = runBoth("mips32r6", ["jialc $4, 8", "addiu $2, $2, 1", "addiu $3, $3, 1", "addiu $5, $5, 1"], { 4: BigInt(rg.code + 4) });
    expect([r[2], r[3], r[5], r[31]]).toEqual([0n, 0n, 1n, BigInt(rg.code + 4)]);
  });
  it("nal links without branching; bal always branches (mips64r6)", () => {
    const rg = rig("mips64r6");
    const r = runBoth("mips64r6", ["nal", "addiu $2, $2, 1", "bal 8", "nop", "addiu $3, $3, 1", "nop"]);
    expect([r[2], r[3], r[31]]).toEqual([1n, 0n, BigInt(rg.code + 16)]);
  });
});

describe("exceptions", () => {
  it("syscall, break and the trap instructions report Sys, Bp and Tr at their pc", () => {
    const rg = rig("mips32r2");
    rg.load(["nop", "syscall"]);
    expect([rg.run().exception, rg.run().pc]).toEqual(["Sys", rg.code + 4]);
    rg.load(["teq $4, $5"]); rg.set(4, 3n); rg.set(5, 3n);
    expect(rg.run().exception).toBe("Tr");
    rg.set(5, 4n);
    expect(endedAtBreak(rg.run())).toBe(true);
    rg.load(["tlti $4, -2"]); rg.set(4, u64(-3n));
    expect(rg.run().exception).toBe("Tr");
    rg.load(["tgeiu $4, -2"]); rg.set(4, 5n);
    expect(endedAtBreak(rg.run())).toBe(true);
  });
  it("the instruction budget stops a run with kind budget and the exact count", () => {
    const rg = rig("mips32r2");
    rg.load(["addiu $2, $2, 1", "beq $zero, $zero, -8", "nop"]);
    const o = rg.m.run({ pc: rg.code, budget: 1000 });
    expect([o.kind, o.instructions]).toEqual(["budget", 1000]);
    expect(rg.get(2)).toBe(BigInt(Math.ceil(1000 / 3)));
  });
});

describe("interpreter → block hand-over", () => {
  it("a compiled block entered right after an interpreted delay slot does not inherit the slot flag", () => {
    // regression (reported by the JIT tests): the block's branch reads a poisoned register, which must be
    // reported as poison deciding a branch, not as a CTI in a delay slot
    const rg = rig("mips32r2");
    rg.load(["addiu $2, $2, 1", "bne $2, $5, -8", "nop"]);
    rg.set(5, 20n);
    expect(endedAtBreak(rg.run())).toBe(true); // 20 iterations: the block at code+0 is compiled
    rg.set(2, 0n);
    rg.m.cpu.curSlot = 1; // as left by an interpreted delay slot
    rg.m.cpu.pm |= 1 << 5;
    rg.m.cpu.poisonWhy[5] = "test poison";
    const o = rg.m.run({ pc: rg.code, budget: 100 });
    expect([o.kind, o.tripwire]).toEqual(["trap", "poison"]);
  });
});

describe("instruction counts inside compiled blocks", () => {
  it("the MIPS I–III HI/LO hazard window counts instructions the same inside a hot block", () => {
    // mfhi; nop; nop; mult is legal (two instructions apart); mfhi; nop; mult is not — hot or cold
    const ok = rig("mips1");
    ok.load(["mfhi $6", "nop", "nop", "mult $4, $5", "addiu $2, $2, 1", "bne $2, $7, -24", "nop"]);
    ok.set(7, 40n);
    const o = ok.run(2000);
    expect(endedAtBreak(o), o.reason).toBe(true);
    const bad = rig("mips3");
    bad.load(["addiu $2, $2, 1", "bne $2, $7, -8", "nop", "mfhi $6", "nop", "mult $4, $5"]);
    bad.set(7, 40n);
    expect(bad.run(2000).tripwire).toBe("hilo");
  });
  it("rdhwr $2 (cycle counter = instructions executed) reads the exact count inside a hot block", () => {
    const rg = rig("mips32r2");
    rg.load(["addiu $2, $2, 1", "rdhwr $3, $2", "bne $2, $7, -12", "nop"]);
    rg.set(7, 30n);
    expect(endedAtBreak(rg.run(2000))).toBe(true);
    // the last rdhwr is instruction 4·29 + 2 of this run (the count is cumulative over the machine's runs)
    expect(Number(rg.get(3)) - rg.m.cpu.icount).toBe(4 * 29 + 2 - (4 * 30 + 1));
  });
});

