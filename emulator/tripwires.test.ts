// Each trip-wire both firing and not firing (issue 3 §4), and switched off by name.
import { describe, expect, it } from "vitest";
import type { IsaLevel } from "../src/mips/index";
import { parseTripwires } from "./types";
import type { Tripwires } from "./types";
import { endedAtBreak, rig } from "./test-util";

function run(level: IsaLevel, lines: string[], init: Record<number, bigint> = {}, tripwires: Partial<Tripwires> = {}) {
  const rg = rig(level, true, { tripwires });
  rg.load(lines);
  for (const [r, v] of Object.entries(init)) rg.set(Number(r), v);
  return { o: rg.run(), rg };
}

describe("trip-wire 1: word32 (32-bit op on a non-sign-extended value, 64-bit CPU)", () => {
  it("addu reading 0x00000000_80000000 traps naming pc, instruction, register and value", () => {
    const { o, rg } = run("mips64r2", ["nop", "addu $2, $4, $5"], { 4: 0x8000_0000n, 5: 1n });
    expect([o.kind, o.tripwire, o.pc, o.register, o.value]).toEqual(["trap", "word32", rg.code + 4, "$a0 ($4)", "0x00000000_80000000"]);
    expect(o.disasm).toMatch(/^addu/);
  });
  it("does not fire for sign-extended operands, nor for 64-bit or full-width ops, nor on 32-bit CPUs", () => {
    expect(endedAtBreak(run("mips64r2", ["addu $2, $4, $5"], { 4: 0xffff_ffff_8000_0000n, 5: 1n }).o)).toBe(true);
    expect(endedAtBreak(run("mips64r2", ["daddu $2, $4, $5", "and $3, $4, $5", "sll $6, $4, 0"], { 4: 0x8000_0000n }).o)).toBe(true);
    expect(endedAtBreak(run("mips32r2", ["addu $2, $4, $5"], { 4: 0x8000_0000n }).o)).toBe(true);
  });
  it("checks the operands the table lists: srl's rt, not its (unused) rs; sll is exempt", () => {
    expect(run("mips3", ["srl $2, $5, 3"], { 5: 1n << 40n }).o.tripwire).toBe("word32");
    expect(endedAtBreak(run("mips3", ["sll $2, $5, 3"], { 5: 1n << 40n }).o)).toBe(true);
  });
  it("switched off, the operation runs on the low word", () => {
    const { o, rg } = run("mips64r2", ["addu $2, $4, $5"], { 4: 0x1_0000_0001n, 5: 1n }, { word32: false });
    expect(endedAtBreak(o)).toBe(true);
    expect(rg.get(2)).toBe(2n);
  });
});

describe("trip-wire 2: MIPS I load delay", () => {
  it("fires when the next instruction reads the loaded register", () => {
    const { o, rg } = run("mips1", ["lw $2, 0($4)", "addu $3, $2, $zero"], {});
    void rg;
    expect(o.kind).toBe("exception"); // $4 = 0 is unmapped: use a mapped base below
    const r2 = rig("mips1");
    r2.load(["lw $2, 0($4)", "addu $3, $2, $zero"]);
    r2.set(4, BigInt(r2.data));
    const t = r2.run();
    expect([t.kind, t.tripwire, t.pc, t.register]).toEqual(["trap", "load-delay", r2.code + 4, "$v0 ($2)"]);
  });
  it("does not fire with an independent instruction in the slot, on MIPS II, for lwl/lwr pairs, or when off", () => {
    for (const [level, lines, tw] of [
      ["mips1", ["lw $2, 0($4)", "nop", "addu $3, $2, $zero"], {}],
      ["mips2", ["lw $2, 0($4)", "addu $3, $2, $zero"], {}],
      ["mips1", ["lwl $2, 3($4)", "lwr $2, 0($4)", "nop"], {}],
      ["mips1", ["lw $2, 0($4)", "addu $3, $2, $zero"], { "load-delay": false }],
    ] as const) {
      const rg = rig(level, true, { tripwires: tw });
      rg.load([...lines]); rg.set(4, BigInt(rg.data));
      const o = rg.run();
      expect(endedAtBreak(o), `${level} ${lines.join("; ")}: ${o.reason}`).toBe(true);
    }
  });
  it("fires in the delay slot of a branch too (the slot reads the register loaded before the branch)", () => {
    const rg = rig("mips1");
    rg.load(["lw $2, 0($4)", "beq $2, $zero, 8", "nop"]);
    rg.set(4, BigInt(rg.data));
    expect(rg.run().tripwire).toBe("load-delay");
  });
});

describe("trip-wire 3: HI/LO hazards", () => {
  it("MIPS I–III: a HI/LO write within two instructions of mfhi/mflo traps; MIPS IV and MIPS32 do not", () => {
    expect(run("mips3", ["mfhi $2", "nop", "mult $4, $5"]).o.tripwire).toBe("hilo");
    expect(run("mips1", ["mflo $2", "mtlo $4"]).o.tripwire).toBe("hilo");
    expect(endedAtBreak(run("mips1", ["mfhi $2", "nop", "nop", "mult $4, $5"]).o)).toBe(true);
    expect(endedAtBreak(run("mips4", ["mfhi $2", "mult $4, $5"]).o)).toBe(true);
    expect(endedAtBreak(run("mips32r1", ["mfhi $2", "mult $4, $5"]).o)).toBe(true);
  });
  it("on every level, mthi between a multiply and the read of its result makes LO unpredictable", () => {
    for (const level of ["mips1", "mips4", "mips32r2", "mips64r2"] as const) {
      expect(run(level, ["mult $4, $5", "mthi $6", "nop", "nop", "mflo $2"]).o.tripwire, level).toBe("hilo");
      expect(endedAtBreak(run(level, ["mult $4, $5", "mflo $2", "nop", "nop", "mthi $6", "mfhi $3"]).o), level).toBe(true);
    }
  });
  it("SPECIAL2 mul leaves HI/LO unpredictable: reading them traps; rewriting them first does not", () => {
    expect(run("mips32r2", ["mul $2, $4, $5", "mfhi $3"]).o.tripwire).toBe("hilo");
    expect(endedAtBreak(run("mips32r2", ["mul $2, $4, $5", "mthi $6", "mfhi $3"]).o)).toBe(true);
  });
  it("divide by zero leaves HI/LO unpredictable (read traps; off: QEMU's values LO = dividend, HI = 0)", () => {
    expect(run("mips32r2", ["div $zero, $4, $5", "mflo $2"], { 4: 7n }).o.tripwire).toBe("hilo");
    const { o, rg } = run("mips32r2", ["div $zero, $4, $5", "mflo $2", "mfhi $3"], { 4: 7n, 3: 9n }, { hilo: false });
    expect(endedAtBreak(o)).toBe(true);
    expect([rg.get(2), rg.get(3)]).toEqual([7n, 0n]);
  });
});

describe("trip-wire 4: CTI in a delay or forbidden slot", () => {
  it("a jump in a branch delay slot traps (pre-r6)", () => {
    const { o, rg } = run("mips32r2", ["beq $zero, $zero, 8", "j 0", "nop", "nop"]);
    expect([o.tripwire, o.pc]).toEqual(["cti-slot", rg.code + 4]);
  });
  it("r6: a CTI in the forbidden slot traps when the compact branch is not taken, not when it is taken", () => {
    expect(run("mips32r6", ["beqzc $4, 8", "bc 4", "nop", "nop"], { 4: 1n }).o.tripwire).toBe("cti-slot");
    expect(endedAtBreak(run("mips32r6", ["beqzc $4, 8", "bc 4", "nop", "nop"], { 4: 0n }).o)).toBe(true);
  });
  it("switched off: r6 raises Reserved Instruction (the architecture), pre-r6 runs the pair", () => {
    expect(run("mips32r6", ["beqzc $4, 8", "bc 4", "nop", "nop"], { 4: 1n }, { "cti-slot": false }).o.exception).toBe("RI");
    expect(run("mips32r2", ["beq $zero, $zero, 8", "beq $zero, $zero, 8", "nop", "nop", "nop", "nop"], {}, { "cti-slot": false }).o.kind).toBe("exception");
  });
});

describe("trip-wire 4: pause in a delay or forbidden slot (Vol. II PAUSE Restrictions)", () => {
  it("pause in a branch delay slot traps on every level with pause (pre-r6 UNPREDICTABLE, r6 RI)", () => {
    for (const level of ["mips32r2", "mips64r2", "mips32r6", "mips64r6"] as const) {
      const rg = rig(level);
      rg.load(["beq $zero, $zero, 8", "pause", "nop", "nop"]);
      const o = rg.run();
      expect([o.tripwire, o.pc], level).toEqual(["cti-slot", rg.code + 4]);
    }
  });
  it("r6: pause in the forbidden slot of a not-taken compact branch traps; after a taken one it is not reached", () => {
    expect(run("mips32r6", ["beqzc $4, 8", "pause", "nop", "nop"], { 4: 1n }).o.tripwire).toBe("cti-slot");
    expect(endedAtBreak(run("mips32r6", ["beqzc $4, 8", "pause", "nop", "nop"], { 4: 0n }).o)).toBe(true);
  });
  it("pause outside a slot is a nop; switched off, r6 raises RI and pre-r6 runs it", () => {
    expect(endedAtBreak(run("mips32r2", ["pause", "beq $zero, $zero, 8", "nop", "pause", "nop"]).o)).toBe(true);
    expect(run("mips32r6", ["bnezc $4, 8", "pause", "nop", "nop"], { 4: 0n }, { "cti-slot": false }).o.exception).toBe("RI");
    expect(endedAtBreak(run("mips32r2", ["beq $zero, $zero, 8", "pause", "nop", "nop"], {}, { "cti-slot": false }).o)).toBe(true);
  });
  it("a hot loop with pause in its delay slot traps too (the block compiler leaves such a slot to the checks)", () => {
    const rg = rig("mips32r2");
    rg.m.cpu.hotThreshold = 1; // compile at first execution, so the slot runs inside a compiled block
    rg.load(["addiu $4, $4, -1", "bne $4, $zero, -8", "pause"]);
    rg.set(4, 100n);
    const o = rg.run();
    expect([o.tripwire, o.pc]).toEqual(["cti-slot", rg.code + 8]);
  });
});

describe("trip-wire 5: instructions the level lacks / features the target disables", () => {
  it("movz on MIPS III, SPECIAL2 mul on MIPS II, beql on r6 and pre-r6 jr on r6 raise Reserved Instruction", () => {
    const words: [IsaLevel, number][] = [["mips3", 0x0085100a], ["mips2", 0x70851002], ["mips32r6", 0x50000001], ["mips64r6", 0x03e00008]];
    for (const [level, w] of words) {
      const rg = rig(level);
      rg.m.mem.writeWords(rg.code, [w]);
      const o = rg.run();
      expect([o.kind, o.exception], `${level} 0x${w.toString(16)}`).toEqual(["exception", "RI"]);
    }
  });
  it("nollsc is honoured only while the isa trip-wire is on", () => {
    const on = rig("mips32r2", true, { nollsc: true });
    on.load(["ll $2, 0($4)"]); on.set(4, BigInt(on.data));
    expect(on.run().exception).toBe("RI");
    const off = rig("mips32r2", true, { nollsc: true, tripwires: { isa: false } });
    off.load(["ll $2, 0($4)"]); off.set(4, BigInt(off.data));
    expect(endedAtBreak(off.run())).toBe(true);
  });
});

describe("trip-wire 6: other UNPREDICTABLE encodings", () => {
  it("jalr with rs == rd and non-zero must-be-zero fields trap; clean encodings and the switched-off wire do not", () => {
    const rg = rig("mips32r2");
    rg.m.mem.writeWords(rg.code, [(2 << 21) | (2 << 11) | 9]); // jalr $2, $2: rs = rd = 2
    expect(rg.run().tripwire).toBe("unpredictable");
    rg.m.mem.writeWords(rg.code, [0x00851021 | (3 << 6), 0x0000000d]); // addu $2, $4, $5 with sa = 3
    const o = rg.run();
    expect([o.tripwire, /must-be-zero/.test(o.reason)]).toEqual(["unpredictable", true]);
    const off = rig("mips32r2", true, { tripwires: { unpredictable: false } });
    off.m.mem.writeWords(off.code, [0x00851021 | (3 << 6), 0x0000000d]);
    expect(endedAtBreak(off.run())).toBe(true);
  });
  it("branch-and-link testing $31 traps: pre-r6 bltzal/bgezal/bltzall/bgezall rs = $31, r6 *zalc rt = $31", () => {
    for (const l of ["bltzal $31, 8", "bgezal $31, 8", "bltzall $31, 8", "bgezall $31, 8"]) {
      const o = run("mips32r2", [l, "nop", "nop", "nop"]).o;
      expect([o.tripwire, o.pc], l).toEqual(["unpredictable", 0x0040_0000]);
    }
    for (const level of ["mips32r6", "mips64r6"] as const) {
      for (const l of ["blezalc $31, 8", "bgezalc $31, 8", "bgtzalc $31, 8", "bltzalc $31, 8", "beqzalc $31, 8", "bnezalc $31, 8"]) {
        const rg = rig(level);
        rg.load([l, "nop", "nop", "nop"]);
        const o = rg.run();
        expect([o.tripwire, o.pc], `${level} ${l}`).toEqual(["unpredictable", rg.code]);
      }
    }
  });
  it("branch-and-link on another register links $31 and runs; with the wire off, $31 runs with the test first", () => {
    const { o, rg } = run("mips32r6", ["bgezalc $4, 8", "nop", "nop", "nop"], { 4: 1n });
    expect(endedAtBreak(o)).toBe(true);
    expect(rg.get(31)).toBe(BigInt(rg.code + 4));
    // $31 = -1 before: evaluated first, bgezalc is not taken, so both nops and the break run
    const off = run("mips32r6", ["bgezalc $31, 8", "addiu $2, $zero, 7", "nop", "nop"], { 31: -1n }, { unpredictable: false });
    expect(endedAtBreak(off.o)).toBe(true);
    expect(off.rg.get(2)).toBe(7n);
  });
  it("sc to an address other than the ll's traps", () => {
    const rg = rig("mips32r2");
    rg.load(["ll $2, 0($4)", "sc $2, 4($4)"]); rg.set(4, BigInt(rg.data));
    expect(rg.run().tripwire).toBe("unpredictable");
  });
  it("an r6 divide by zero poisons the quotient: deciding a branch with it traps", () => {
    const rg = rig("mips32r6");
    rg.load(["div $2, $4, $5", "beqzc $2, 4", "nop"]); rg.set(4, 9n);
    const o = rg.run();
    expect([o.tripwire, /divide by zero/.test(o.reason)]).toEqual(["poison", true]);
  });
});

describe("trip-wire parsing", () => {
  it("parses all/none/-name/+name lists and rejects unknown names", () => {
    expect(parseTripwires("all,-poison").poison).toBe(false);
    expect(parseTripwires("all,-poison").word32).toBe(true);
    expect(parseTripwires("word32").hilo).toBe(false);
    expect(parseTripwires("none,+abi").abi).toBe(true);
    expect(parseTripwires("-hilo").isa).toBe(true);
    expect(() => parseTripwires("bogus")).toThrow(/unknown trip-wire 'bogus'/);
  });
});
