// `bpf-mips emu <static ELF> [--isa LEVEL] [--tripwires LIST] [--budget N] [--nollsc]`: run a static MIPS
// Linux executable on the emulator (issue 3 §6), print its stdout/stderr and exit with its status; a trap
// or fault prints ONE line on stderr (pc, disassembly, reason) and exits with a distinct status (see
// emulator/elf-runner.ts: 128 + signal as qemu-user on x86, 250 trip-wire, 251 budget, 252 host error).
// Owned by the emulator engineer; the CLI wires it with addEmuCommand (or calls emuCommand directly).
import type { Command } from "commander";
import { InputError } from "../ebpf/errors";
import { parseIsaLevel } from "../mips/levels";
import { parseTripwires, runElfExecutable } from "../../emulator/index";
import type { CliIo } from "./io";
import { readInputFile } from "./io";

export interface EmuOptions {
  readonly isa?: string;
  readonly tripwires?: string;
  readonly budget?: string;
  readonly nollsc?: boolean;
}

export function emuCommand(io: CliIo, file: string, o: EmuOptions): number {
  const isa = o.isa !== undefined ? parseIsaLevel(o.isa) : undefined;
  if (o.isa !== undefined && isa === undefined) throw new InputError(`unknown ISA level '${o.isa}'`, { field: "--isa" });
  const budget = o.budget !== undefined ? Number(o.budget) : undefined;
  if (budget !== undefined && (!Number.isInteger(budget) || budget <= 0)) throw new InputError(`invalid budget '${o.budget}'`, { field: "--budget" });
  const bytes = readInputFile(file);
  const r = runElfExecutable(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
    file,
    ...(isa !== undefined ? { isa } : {}),
    ...(o.tripwires !== undefined ? { tripwires: parseTripwires(o.tripwires) } : {}),
    ...(budget !== undefined ? { budget } : {}),
    ...(o.nollsc === true ? { nollsc: true } : {}),
  });
  const text = (b: Uint8Array): string => new TextDecoder().decode(b);
  if (r.stdout.length > 0) io.out(text(r.stdout));
  if (r.stderr.length > 0) io.err(text(r.stderr));
  if (r.kind === "stopped") io.err(`bpf-mips emu: ${r.line}\n`);
  return r.exitCode;
}

/** Adds the `emu` sub-command; `run` is main.ts's wrapper that stores the exit code. */
export function addEmuCommand(program: Command, io: CliIo, run: (f: () => number) => () => Promise<void>): Command {
  return program
    .command("emu")
    .description("run a static MIPS Linux executable (ELF32 o32 / ELF64 n64) on the emulator with trip-wires armed")
    .argument("<file>", "static ELF executable")
    .option("--isa <level>", "ISA level (default: from the ELF flags): mips1…mips5, mips32r1/r2/r6, mips64r1/r2/r6")
    .option("--tripwires <list>", "trip-wires: all, none, or names (word32,load-delay,hilo,cti-slot,isa,unpredictable,poison,abi), '-name' to disable")
    .option("--budget <n>", "instruction budget (default 100000000)")
    .option("--nollsc", "target without LL/SC (they raise Reserved Instruction)")
    .action((file: string, o: EmuOptions) => run(() => emuCommand(io, file, o))());
}
