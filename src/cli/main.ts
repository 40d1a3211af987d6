// The `bpf-mips` command: sub-commands, option parsing (commander) and the exit-code contract.
// Exit codes: 0 all passed / success, 1 failures (a case did not pass, a plugin run failed), 2 bad input
// (an InputError or a usage error: ONE line `bpf-mips: <file:line: reason>` on stderr), 70 internal error
// (EX_SOFTWARE from sysexits.h: any other exception is a bug in this project; one line, no stack trace).
// Owns the command table and error handling; each command's work lives in its cmd-*.ts file.
import { Command, CommanderError, Option } from "commander";
import { isInputError } from "../ebpf/errors";
import type { CliIo } from "./io";
import { processIo } from "./io";
import { addEmuCommand } from "./emu-command";
// Command modules are imported when their command runs: `helpers` or a usage error should not pay for
// loading the interpreter, the ELF loader and zod (start-up time matters for the plugin protocol, which
// bpf_conformance starts once per test).

export const EXIT_OK = 0;
export const EXIT_FAILURES = 1;
export const EXIT_BAD_INPUT = 2;
export const EXIT_INTERNAL = 70;

const oneLine = (s: string): string => s.replace(/\s*\n\s*/g, " ").trim();

function buildProgram(io: CliIo, setCode: (c: number) => void): Command {
  const program = new Command("bpf-mips")
    .description("Verification harness for eBPF JIT compilers targeting MIPS")
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.out(s),
      writeErr: (s) => io.err(s),
      // Commander's own messages ("error: unknown option '--x'") become our one-line format.
      outputError: (s, write) => write(`bpf-mips: ${oneLine(s.replace(/^error: /, ""))}\n`),
    })
    .showSuggestionAfterError(true);

  const run = (f: () => Promise<number> | number) => async () => setCode(await f());

  program
    .command("asm")
    .description("assemble eBPF text (bpf_conformance or LLVM syntax) to instruction bytes")
    .argument("<file>", "assembler source ('-' for stdin)")
    .option("-o, --output <file>", "write the binary program here (default: hex words on stdout)")
    .addOption(new Option("--syntax <syntax>", "input syntax").choices(["auto", "conformance", "llvm"]).default("auto"))
    .option("--be", "encode for a big-endian host (register nibbles swapped, off/imm big-endian)")
    .action((file: string, o: { output?: string; syntax: "auto" | "conformance" | "llvm"; be?: boolean }) => run(async () => (await import("./cmd-asm")).asmCommand(io, file, o))());

  program
    .command("disasm")
    .description("disassemble a raw program (hex text or binary), a .data case or an ELF object")
    .argument("<file>", "input file ('-' for stdin)")
    .addOption(new Option("--syntax <syntax>", "output syntax").choices(["llvm", "conformance"]).default("llvm"))
    .option("--raw", "read the input as a raw program even if it looks like something else")
    .option("--elf", "read the input as an ELF object")
    .option("--be", "raw input is big-endian encoded")
    .action((file: string, o: { syntax: "llvm" | "conformance"; raw?: boolean; elf?: boolean; be?: boolean }) => run(async () => (await import("./cmd-asm")).disasmCommand(io, file, o))());

  program
    .command("run")
    .description("run one case (.data, raw program or ELF object with sidecar) and judge it")
    .argument("<case>", "case file")
    .option("--target <target>", "engine or MIPS target: reference, reference-be, <isa>-<be|le>[+option…]", "reference")
    .option("--json", "print one JSON document")
    .option("--trace", "print the reference run's trace_printk output and helper calls")
    .action((file: string, o: { target: string; json?: boolean; trace?: boolean }) => run(async () => (await import("./cmd-run")).runCommand(io, file, o))());

  program
    .command("conformance")
    .description("run conformance cases (files or folders) on engines/targets and report")
    .argument("[paths...]", ".data files, ELF objects or folders of them")
    .option("--engine <engine>", "engine: reference (LE), reference-be; same as --targets with one name")
    .option("--targets <list>", "comma-separated targets and groups (all32, all64, all, reference, reference-be)")
    .option("--default", "run ../shared/bpf_conformance/tests and conformance/cases on the default targets (npm start)")
    .option("--json", "print one JSON document instead of the table")
    .option("--junit <file>", "also write a JUnit XML report")
    .option("--include <regex>", "run only cases whose name matches")
    .option("--exclude <regex>", "skip cases whose name matches")
    .option("--groups <list>", "bpf_conformance groups to run (others skipped): base32,base64,atomic32,atomic64,divmul32,divmul64,callx,packet")
    .addOption(new Option("--cpu <version>", "highest cpu version to run (others skipped)").choices(["v1", "v2", "v3", "v4"]))
    .option("--replay-dir <dir>", "write every failing case as a replayable .data file here")
    .option("--no-progress", "no progress bar even on a terminal")
    .action((paths: string[], o) => run(async () => (await import("./cmd-conformance")).conformanceCommand(io, paths, o))());

  program
    .command("plugin")
    .description("bpf_conformance plugin protocol: program as base16 on stdin, memory as base16 in the first argument; prints r0 in hex")
    .argument("[args...]", "memory (base16) and plugin options (e.g. \"--target mips32r2-be\")")
    .allowUnknownOption(true)
    .helpOption(false)
    .action((args: string[]) => run(async () => (await import("./cmd-plugin")).pluginCommand(io, args))());

  program
    .command("jit")
    .description("compile a case for a MIPS target and print the interleaved listing (eBPF instruction, then its MIPS code)")
    .argument("<case>", "case file (.data, raw program or ELF object)")
    .requiredOption("--target <target>", "MIPS target <isa>-<be|le>[+option…]")
    .action((file: string, o: { target: string }) => run(async () => (await import("./cmd-jit")).jitCommand(io, file, o))());

  addEmuCommand(program, io, run);

  program
    .command("helpers")
    .description("list the helper functions: id, name, prototype and what each does")
    .option("--json", "print JSON")
    .action((o: { json?: boolean }) => run(async () => (await import("./cmd-helpers")).helpersCommand(io, o))());

  return program;
}

/** Run the CLI; returns the exit code. Never throws. */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  let code = EXIT_OK;
  try {
    const program = buildProgram(io, (c) => (code = c));
    if (argv.length === 0) {
      io.err(program.helpInformation());
      return EXIT_BAD_INPUT;
    }
    await program.parseAsync([...argv], { from: "user" });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // help and version exit 0; every parse error was already printed as one line by outputError.
      return e.exitCode === 0 ? EXIT_OK : EXIT_BAD_INPUT;
    }
    if (isInputError(e)) {
      io.err(`bpf-mips: ${oneLine(e.message)}\n`);
      return EXIT_BAD_INPUT;
    }
    const msg = e instanceof Error ? e.message : String(e);
    io.err(`bpf-mips: internal error: ${oneLine(msg)}\n`);
    return EXIT_INTERNAL;
  }
}
