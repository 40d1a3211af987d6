// The ABI bridge and top-level calls (issue 3 §5; reference mips-isa.md §7), plus trip-wire 7 (poison) and 8
// (abi). Caller code is hand-written assembly that places arguments the way the manuals say (o32: aligned
// even/odd pairs, lower-numbered register = lower-address word, stack slots above the 16-byte home area;
// n64: a0–a7, 32-bit values sign-extended), so the bridge is checked against the convention, not itself.
import { describe, expect, it } from "vitest";
import type { IsaLevel } from "../src/mips/index";
import { assemble } from "../src/mips/index";
import { Machine } from "./machine";
import type { ArgKind, HostArg, Pair } from "./types";

const HOST = 0x7e00_0000;

function setup(level: IsaLevel, le: boolean) {
  const m = new Machine({ level, littleEndian: le });
  const hi = m.is64 ? 0x1_0000_0000 : 0;
  const code = hi + 0x0040_0000, host = hi + HOST, stackTop = hi + 0x7ff0_0000;
  m.addRegion({ name: "code", base: code, size: 0x1000, perms: "rx" });
  m.addRegion({ name: "helpers", base: host, size: 0x1000, perms: "rx" });
  m.addRegion({ name: "stack", base: stackTop - 0x4000, size: 0x4000, perms: "rw" });
  const load = (lines: string[]) => m.mem.writeWords(code, lines.map((l) => assemble(l, level)));
  return { m, code, host, stackTop, load };
}

/** li for a 32-bit constant into register r (lui + ori). */
const li = (r: string, v: number): string[] => [`lui ${r}, ${(v >>> 16) & 0xffff}`, `ori ${r}, ${r}, ${v & 0xffff}`];

describe("o32 host calls", () => {
  for (const le of [true, false]) {
    it(`marshals (u32, u64, u32, u64, u32): a0, a2/a3 pair, stack 16, stack 24/28, stack 32 (${le ? "LE" : "BE"})`, () => {
      const { m, code, host, stackTop, load } = setup("mips32r2", le);
      let seen: HostArg[] = [];
      m.registerHost(host, { abi: "o32", args: ["u32", "u64", "u32", "u64", "u32"], ret: "u64", name: "mixed", requireT9: true,
        fn: (a) => { seen = a; return { lo: 0x89ab_cdef, hi: 0x0123_4567 }; } });
      // 64-bit values: A = 0x11112222_33334444 in a2/a3; B = 0x55556666_77778888 at sp+24
      const [Ahi, Alo, Bhi, Blo] = [0x1111_2222, 0x3333_4444, 0x5555_6666, 0x7777_8888];
      const first = (h: number, l: number) => (le ? l : h), second = (h: number, l: number) => (le ? h : l);
      load([
        "addiu $sp, $sp, -48", "sw $ra, 44($sp)",
        ...li("$a0", 0xaaaa_0001),
        ...li("$a2", first(Ahi, Alo)), ...li("$a3", second(Ahi, Alo)),
        ...li("$t0", 0xcccc_0003), "sw $t0, 16($sp)",
        ...li("$t0", first(Bhi, Blo)), "sw $t0, 24($sp)", ...li("$t0", second(Bhi, Blo)), "sw $t0, 28($sp)",
        ...li("$t0", 0xeeee_0005), "sw $t0, 32($sp)",
        ...li("$t9", host), "jalr $t9", "nop",
        "lw $ra, 44($sp)", "jr $ra", "addiu $sp, $sp, 48",
      ]);
      const o = m.call(code, { sp: stackTop - 64, ret: "u64" });
      expect(o.kind, o.reason).toBe("exit");
      expect(seen).toEqual([
        { lo: 0xaaaa_0001, hi: 0 }, { lo: Alo, hi: Ahi }, { lo: 0xcccc_0003, hi: 0 }, { lo: Blo, hi: Bhi }, { lo: 0xeeee_0005, hi: 0 },
      ]);
      // the 64-bit result comes back in v0/v1 in pair order and call() reassembles it
      expect(o.ret).toEqual({ lo: 0x89ab_cdef, hi: 0x0123_4567 });
      expect(o.v0.lo).toBe(le ? 0x89ab_cdef : 0x0123_4567);
    });
  }
  it("checks the caller's obligations: sp alignment, $t9 for PIC callees, home area in writable stack", () => {
    const { m, code, host, stackTop, load } = setup("mips32r2", true);
    m.registerHost(host, { abi: "o32", args: [], ret: "u32", requireT9: true, name: "pic", fn: () => ({ lo: 1, hi: 0 }) });
    load(["addiu $sp, $sp, -4", ...li("$t9", host), "jalr $t9", "nop"]);
    const a = m.call(code, { sp: stackTop - 64 });
    expect([a.kind, a.tripwire, /not 8-byte aligned/.test(a.reason)]).toEqual(["trap", "abi", true]);
    load(["addiu $sp, $sp, -16", ...li("$t8", host), "jalr $t8", "nop"]);
    const b = m.call(code, { sp: stackTop - 64 });
    expect([b.tripwire, /\$t9/.test(b.reason)]).toEqual(["abi", true]);
    load([...li("$sp", stackTop - 8), ...li("$t9", host), "jalr $t9", "nop"]);
    const c = m.call(code, { sp: stackTop - 64 });
    expect([c.tripwire, /home area/.test(c.reason)]).toEqual(["abi", true]);
  });
  it("after a host call the home area is scribbled (loads from it are poisoned until stored) and caller-saved registers are poisoned", () => {
    const { m, code, host, stackTop, load } = setup("mips32r2", true);
    m.registerHost(host, { abi: "o32", args: ["u32"], ret: "u32", name: "h", fn: (a) => ({ lo: a[0].lo + 1, hi: 0 }) });
    const pre = ["addiu $sp, $sp, -24", "sw $ra, 20($sp)", "addiu $a0, $zero, 41", "addiu $t0, $zero, 7", ...li("$t9", host), "jalr $t9", "nop"];
    const post = ["lw $ra, 20($sp)", "jr $ra", "addiu $sp, $sp, 24"];
    load([...pre, "lw $v1, 0($sp)", ...post]);
    const ok = m.call(code, { sp: stackTop - 64, ret: "u32" });
    expect([ok.kind, ok.ret?.lo, ok.v1.lo]).toEqual(["exit", 42, 0xdeadc0de]);
    load([...pre, "lw $t1, 4($sp)", "bne $t1, $zero, 8", "nop", ...post]);
    const home = m.call(code, { sp: stackTop - 64, ret: "u32" });
    expect([home.tripwire, home.register, /home area .* clobbered by the call to h/.test(home.reason)]).toEqual(["poison", "$t1 ($9)", true]);
    load([...pre, "sw $zero, 4($sp)", "lw $t1, 4($sp)", "bne $t1, $zero, 8", "nop", ...post]);
    expect(m.call(code, { sp: stackTop - 64, ret: "u32" }).kind).toBe("exit");
    load([...pre, "beq $t0, $zero, 8", "nop", ...post]);
    const bad = m.call(code, { sp: stackTop - 64, ret: "u32" });
    expect([bad.kind, bad.tripwire, bad.register, /clobbered by the call to h/.test(bad.reason)]).toEqual(["trap", "poison", "$t0 ($8)", true]);
  });
  it("a host function that throws is reported as host-error, not thrown", () => {
    const { m, code, host, stackTop, load } = setup("mips32r2", true);
    m.registerHost(host, { abi: "o32", args: [], ret: "void", name: "boom", fn: () => { throw new Error("kaput"); } });
    load(["addiu $sp, $sp, -16", ...li("$t9", host), "jalr $t9", "nop"]);
    const o = m.call(code, { sp: stackTop - 64 });
    expect([o.kind, /kaput/.test(o.reason)]).toEqual(["host-error", true]);
  });
});

describe("n64 host calls", () => {
  for (const le of [true, false]) {
    it(`marshals five u64 in a0–a4 and checks that u32 arguments are sign-extended (${le ? "LE" : "BE"})`, () => {
      const { m, code, host, stackTop, load } = setup("mips64r2", le);
      let seen: HostArg[] = [];
      const kinds: ArgKind[] = ["u64", "u32", "ptr", "u64", "u32"];
      m.registerHost(host, { abi: "n64", args: kinds, ret: "u32", name: "n", fn: (a) => { seen = a; return { lo: 0x8000_0000, hi: 0 }; } });
      const hostHi = Math.floor(host / 2 ** 32), hostLo = host >>> 0;
      const call = ["daddiu $sp, $sp, -16", "sd $ra, 8($sp)", "daddiu $t9, $zero, " + hostHi, "dsll32 $t9, $t9, 0", ...li("$t8", hostLo), "daddu $t9, $t9, $t8", "jalr $t9", "nop", "ld $ra, 8($sp)", "jr $ra", "daddiu $sp, $sp, 16"];
      load([
        "daddiu $a0, $zero, -2",            // u64 0xffff…fffe
        "lui $a1, 0x8000",                  // u32 0x80000000, sign-extended by lui
        "lui $a2, 1", "dsll32 $a2, $a2, 0", // ptr 0x00010000_00000000
        "daddiu $a3, $zero, 5", "addiu $a4, $zero, -1",
        ...call,
      ]);
      const o = m.call(code, { sp: stackTop - 64, ret: "u32" });
      expect(o.kind, o.reason).toBe("exit");
      expect(seen).toEqual([
        { lo: 0xffff_fffe, hi: 0xffff_ffff }, { lo: 0x8000_0000, hi: 0 }, { lo: 0, hi: 0x0001_0000 }, { lo: 5, hi: 0 }, { lo: 0xffff_ffff, hi: 0 },
      ]);
      // a u32 result comes back sign-extended in v0 (n64 keeps 32-bit values sign-extended)
      expect([o.v0.lo, o.v0.hi, o.ret]).toEqual([0x8000_0000, 0xffff_ffff, { lo: 0x8000_0000, hi: 0 }]);
      load(["daddiu $a0, $zero, -2", "lui $a1, 0x8000", "dsrl32 $a1, $a1, 0", "dsll32 $a1, $a1, 0", "ori $a1, $a1, 1", "lui $a2, 1", "daddiu $a3, $zero, 5", "addiu $a4, $zero, -1", ...call]);
      const bad = m.call(code, { sp: stackTop - 64, ret: "u32" });
      expect([bad.tripwire, /not sign-extended/.test(bad.reason)]).toEqual(["abi", true]);
    });
  }
  it("requires 16-byte stack alignment", () => {
    const { m, code, host, stackTop, load } = setup("mips64r2", true);
    m.registerHost(host, { abi: "n64", args: [], ret: "void", fn: () => ({ lo: 0, hi: 0 }) });
    load(["daddiu $sp, $sp, -8", "daddiu $t9, $zero, 1", "dsll32 $t9, $t9, 0", ...li("$t8", host >>> 0), "daddu $t9, $t9, $t8", "jalr $t9", "nop"]);
    expect(m.call(code, { sp: stackTop - 64 }).reason).toMatch(/16-byte aligned/);
  });
});

describe("top-level calls", () => {
  it("passes o32 arguments (u64 in an aligned pair, stack beyond a3) and returns a 64-bit result", () => {
    const { m, code, stackTop, load } = setup("mips32r2", false);
    // f(u32 x, u64 y, u32 z): x in a0, y in a2/a3 (BE: a2 = high), z at 16(sp); return y + x + z as u64
    load(["lw $t0, 16($sp)", "addu $v1, $a3, $a0", "sltu $t1, $v1, $a3", "addu $v0, $a2, $t1", "addu $v1, $v1, $t0", "sltu $t1, $v1, $t0", "jr $ra", "addu $v0, $v0, $t1"]);
    const o = m.call(code, { sp: stackTop - 64, ret: "u64", args: [{ kind: "u32", lo: 1 }, { kind: "u64", lo: 0xffff_ffff, hi: 2 }, { kind: "u32", lo: 1 }] });
    expect([o.kind, o.ret]).toEqual(["exit", { lo: 1, hi: 3 }]);
  });
  it("trap 8 (abi): a callee-saved register not restored; sp must come back too", () => {
    const { m, code, stackTop, load } = setup("mips64r2", true);
    load(["daddiu $s3, $s3, 1", "jr $ra", "daddiu $v0, $zero, 0"]);
    const o = m.call(code, { sp: stackTop - 64 });
    expect([o.kind, o.tripwire, o.register]).toEqual(["trap", "abi", "$s3 ($19)"]);
    load(["daddiu $sp, $sp, -16", "jr $ra", "daddiu $v0, $zero, 0"]);
    expect(m.call(code, { sp: stackTop - 64 }).register).toBe("$sp ($29)");
    load(["daddiu $sp, $sp, -16", "sd $s3, 0($sp)", "daddiu $s3, $zero, 9", "ld $s3, 0($sp)", "daddiu $sp, $sp, 16", "jr $ra", "daddiu $v0, $zero, 0"]);
    expect(m.call(code, { sp: stackTop - 64 }).kind).toBe("exit");
  });
  it("trap 7 (poison): undefined registers may be overwritten freely but not used to branch, address, store or return", () => {
    const { m, code, stackTop, load } = setup("mips32r2", true);
    const cases: [string[], string | null][] = [
      [["addiu $t0, $zero, 1", "beq $t0, $zero, 8", "nop", "jr $ra", "addiu $v0, $zero, 0"], null],
      [["beq $t0, $zero, 8", "nop", "jr $ra", "addiu $v0, $zero, 0"], "decides a branch"],
      [["lw $v0, 0($at)", "jr $ra", "nop"], "forms an address"],
      [["sw $t3, 0($sp)", "jr $ra", "addiu $v0, $zero, 0"], "stored to memory"],
      [["jr $ra", "addu $v0, $t0, $a0"], "returns an undefined value"],
      [["mfhi $v0", "jr $ra", "nop"], "returns an undefined value"],
      [["jr $ra", "addu $v0, $a0, $a0"], null],
    ];
    for (const [lines, why] of cases) {
      load(lines);
      const o = m.call(code, { sp: stackTop - 64, ret: "u32", args: [{ kind: "u32", lo: 3 }] });
      if (why === null) expect(o.kind, `${lines.join("; ")}: ${o.reason}`).toBe("exit");
      else expect([o.kind, o.tripwire, o.reason.includes(why)], `${lines.join("; ")}: ${o.reason}`).toEqual(["trap", "poison", true]);
    }
  });
  it("with the poison trip-wire off, undefined registers still hold recorded junk but nothing traps", () => {
    const m = new Machine({ level: "mips32r2", littleEndian: true, tripwires: { poison: false } });
    m.addRegion({ name: "code", base: 0x40_0000, size: 0x1000, perms: "rx" });
    m.addRegion({ name: "stack", base: 0x7000_0000, size: 0x1000, perms: "rw" });
    m.mem.writeWords(0x40_0000, ["jr $ra", "addu $v0, $t0, $zero"].map((l) => assemble(l, "mips32r2")));
    const o = m.call(0x40_0000, { sp: 0x7000_0800, ret: "u32" });
    expect(o.kind).toBe("exit");
    expect((o.ret as Pair).lo >>> 16).toBe(0xdead);
  });
});
