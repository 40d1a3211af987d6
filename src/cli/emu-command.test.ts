// `bpf-mips emu` through emuCommand with a captured CliIo: program output, exit status, the one-line stop
// report, and bad options as InputErrors.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { elf, li } from "../../emulator/test-util";
import { isInputError } from "../ebpf/errors";
import { emuCommand } from "./emu-command";
import type { CliIo } from "./io";

function io(): CliIo & { outText: string; errText: string } {
  const o = {
    outText: "", errText: "",
    out(t: string) { o.outText += t; }, err(t: string) { o.errText += t; },
    readStdin: async () => Buffer.alloc(0), stderrIsTTY: false, writeStderr: () => true,
  };
  return o;
}

const dir = mkdtempSync(path.join(tmpdir(), "emu-cmd-"));
const file = (name: string, bytes: Uint8Array): string => { const p = path.join(dir, name); writeFileSync(p, bytes); return p; };

describe("bpf-mips emu", () => {
  it("prints the program's stdout and returns its exit status", () => {
    const msg = 0x40_0000 + 84 + 10 * 4;
    const f = file("hello.elf", elf({ is64: false, le: false, level: "mips32r2", data: new TextEncoder().encode("hi!\n"),
      code: ["addiu $a0, $zero, 1", ...li("$a1", msg), "addiu $a2, $zero, 4", "addiu $v0, $zero, 4004", "syscall", "addiu $a0, $zero, 9", "addiu $v0, $zero, 4001", "syscall", "nop"] }));
    const c = io();
    expect(emuCommand(c, f, {})).toBe(9);
    expect([c.outText, c.errText]).toEqual(["hi!\n", ""]);
  });
  it("a stop prints one line on stderr with pc, disassembly and reason, and exits with the distinct status", () => {
    const f = file("ri.elf", elf({ is64: false, le: true, level: "mips32r2", code: ["nop", "seb $2, $3"] }));
    const c = io();
    expect(emuCommand(c, f, { isa: "mips2" })).toBe(132);
    // the word is not an instruction of mips2, so the disassembly is the raw word
    expect(c.errText).toBe("bpf-mips emu: exception RI at pc 0x400058: .4byte 0x7c031420: reserved instruction on mips2\n");
  });
  it("bad --isa, --tripwires and --budget are InputErrors naming the option", () => {
    const f = file("nop.elf", elf({ is64: false, le: true, level: "mips32r2", code: ["nop"] }));
    for (const [o, re] of [[{ isa: "mips7" }, /--isa/], [{ tripwires: "nope" }, /--tripwires/], [{ budget: "-3" }, /--budget/]] as const) {
      try { emuCommand(io(), f, o); expect.unreachable(); } catch (e) { expect(isInputError(e)).toBe(true); expect((e as Error).message).toMatch(re); }
    }
  });
});
