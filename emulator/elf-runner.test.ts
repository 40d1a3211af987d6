// The ELF runner: static executables built here byte by byte (ELF32 o32 and ELF64 n64, both byte orders)
// so the test needs no toolchain. Checks write/exit/exit_group, stdout capture, exit status, ISA level from
// e_flags, stops with their one-line report and distinct statuses, and InputErrors for bad ELF input.
import { describe, expect, it } from "vitest";
import { isInputError } from "../src/ebpf/errors";
import { runElfExecutable, TRAP_EXIT_STATUS } from "./elf-runner";
import { elf, li } from "./test-util";

function hello(is64: boolean, base: number): string[] {
  // write(1, msg, 6); exit_group(3). msg follows the code: code = 14 instructions (is64) / 13
  const nWrite = is64 ? 5001 : 4004, nExit = is64 ? 5205 : 4246;
  const codeLen = 14;
  const msg = base + (is64 ? 120 : 84) + codeLen * 4;
  return [
    "addiu $a0, $zero, 1", ...li("$a1", msg), "addiu $a2, $zero, 6", `addiu $v0, $zero, ${nWrite}`, "syscall",
    "bne $a3, $zero, 16", "nop",
    "addiu $a0, $zero, 3", `addiu $v0, $zero, ${nExit}`, "syscall",
    "break", "nop", "nop",
  ].slice(0, codeLen);
}

describe("ELF runner", () => {
  for (const [is64, le, level] of [[false, false, "mips32r2"], [false, true, "mips1"], [true, true, "mips64r2"], [true, false, "mips64r6"]] as const) {
    it(`runs a static ${is64 ? "ELF64 n64" : "ELF32 o32"} ${le ? "LE" : "BE"} executable: write to stdout, exit_group(3), level from e_flags (${level})`, () => {
      const code = hello(is64, 0x40_0000);
      while (code.length < 14) code.push("nop");
      const bytes = elf({ is64, le, level, code, data: new TextEncoder().encode("hello\n") });
      const r = runElfExecutable(bytes);
      expect(r.kind, r.kind === "stopped" ? r.line : "").toBe("exit");
      expect([r.exitCode, new TextDecoder().decode(r.stdout), r.level]).toEqual([3, "hello\n", level]);
    });
  }
  it("--isa overrides e_flags; an instruction the level lacks stops the run with SIGILL's status and a one-line report", () => {
    const bytes = elf({ is64: false, le: true, level: "mips32r2", code: ["nop", "seb $2, $3", "break"] });
    const ok = runElfExecutable(bytes);
    expect(ok.kind === "stopped" && ok.outcome.exception).toBe("Bp");
    const r = runElfExecutable(bytes, { isa: "mips32r1" });
    expect(r.kind).toBe("stopped");
    if (r.kind !== "stopped") return;
    expect([r.exitCode, r.outcome.exception, r.outcome.pc]).toEqual([132, "RI", 0x40_0000 + 84 + 4]);
    expect(r.line).toMatch(/^exception RI at pc 0x400058: .*reserved instruction/);
  });
  it("a trip-wire trap exits with the distinct trap status; turning the wire off lets it run", () => {
    const bytes = elf({ is64: true, le: true, level: "mips64r2", code: ["daddiu $4, $zero, 1", "dsll32 $4, $4, 0", "addu $2, $4, $4", "addiu $a0, $zero, 0", "addiu $v0, $zero, 5058", "syscall"] });
    const r = runElfExecutable(bytes);
    expect(r.kind === "stopped" && [r.exitCode, r.outcome.tripwire]).toEqual([TRAP_EXIT_STATUS, "word32"]);
    const off = runElfExecutable(bytes, { tripwires: { word32: false } });
    expect([off.kind, off.exitCode]).toEqual(["exit", 0]);
  });
  it("an unsupported syscall stops the run naming its number", () => {
    const bytes = elf({ is64: false, le: true, level: "mips32r2", code: ["addiu $v0, $zero, 4020", "syscall"] });
    const r = runElfExecutable(bytes);
    expect(r.kind === "stopped" && r.outcome.reason).toMatch(/unsupported syscall 4020/);
  });
  it("bad input is an InputError: not ELF, not MIPS, dynamic, truncated program headers", () => {
    const good = elf({ is64: false, le: true, level: "mips32r2", code: ["nop"] });
    const expectInputError = (b: Uint8Array, re: RegExp) => {
      try { runElfExecutable(b, { file: "x.elf" }); expect.unreachable(); } catch (e) { expect(isInputError(e)).toBe(true); expect((e as Error).message).toMatch(re); }
    };
    expectInputError(new Uint8Array(60), /not an ELF file/);
    const notMips = good.slice(); new DataView(notMips.buffer).setUint16(18, 62, true);
    expectInputError(notMips, /not a MIPS executable/);
    const dyn = good.slice(); new DataView(dyn.buffer).setUint32(52, 3, true);
    expectInputError(dyn, /PT_INTERP/);
    expectInputError(good.slice(0, 60), /out of bounds/);
  });
});
