// `bpf-mips plugin`: the bpf_conformance plugin protocol (ebpf-semantics.md §4.4). The runner starts
// `<plugin> [<mem as base16>] [<plugin options>] [--elf]`, writes the program as base16 on stdin and reads R0
// in hex from stdout (exit 0); on failure it wants a non-zero exit and the message (stdout, else stderr).
// The runner passes its --plugin_options as ONE argument, so options are split here by hand rather than
// by commander. Owns the protocol; the run itself is the harness's engine for the chosen target.
import { decodeProgram } from "../ebpf/encode";
import { InputError } from "../ebpf/errors";
import { loadElfObject } from "../ebpf/elf/index";
import type { Program } from "../ebpf/insn";
import type { Case } from "../harness/case";
import { engineFor } from "../harness/engines";
import { parseHexBytes } from "../harness/load-case";
import { parseTarget, type Target } from "../harness/targets";
import { verdictReason } from "../harness/verdict";
import type { CliIo } from "./io";

interface PluginArgs {
  mem: Uint8Array;
  target: Target;
  elf: boolean;
}

export function parsePluginArgs(args: readonly string[]): PluginArgs {
  let mem: Uint8Array | undefined;
  let target: Target = parseTarget("reference", "--target");
  let elf = false;
  const opts: string[] = [];
  for (const a of args) {
    // The memory argument is base16 with spaces; it is the first argument that is pure hex (possibly empty).
    if (mem === undefined && /^[0-9a-fA-F\s]*$/.test(a)) mem = parseHexBytes(a, "plugin memory argument");
    else opts.push(...a.split(/\s+/).filter((t) => t.length > 0));
  }
  for (let i = 0; i < opts.length; i++) {
    const o = opts[i];
    if (o === "--elf") elf = true;
    else if (o === "--target" || o.startsWith("--target=")) {
      const v = o === "--target" ? opts[++i] : o.slice("--target=".length);
      if (v === undefined) throw new InputError("--target needs a value", { field: "plugin" });
      target = parseTarget(v, "--target");
    } else throw new InputError(`unknown plugin option '${o}' (known: --target T, --elf)`, { field: "plugin" });
  }
  return { mem: mem ?? new Uint8Array(0), target, elf };
}

export async function pluginCommand(io: CliIo, args: readonly string[]): Promise<number> {
  const a = parsePluginArgs(args);
  const input = (await io.readStdin()).toString("utf8");
  const bytes = parseHexBytes(input, "program on stdin");
  let program: Program;
  let programs: Record<string, Program> = {};
  let maps: Case["maps"] = [];
  if (a.elf) {
    const obj = loadElfObject(bytes, "<stdin>");
    if (obj.programs.length === 0) throw new InputError("the ELF object has no program", { file: "<stdin>" });
    program = obj.programs[0].insns;
    programs = Object.fromEntries(obj.programs.map((p) => [p.name, p.insns]));
    maps = obj.maps;
  } else {
    // bpf_conformance sends the LE encoding (low byte = opcode) whatever the target's byte order.
    program = decodeProgram(bytes, true, "<stdin>");
  }
  const c: Case = { name: "<stdin>", file: "<stdin>", source: "raw", program, programs, mem: a.mem, maps, expect: { kind: "none" } };
  const v = engineFor(a.target).run(c);
  if ((v.kind === "pass" || v.kind === "mismatch") && v.observed && v.observed.kind === "exit") {
    // A mismatch against the reference still prints the target's R0: the runner judges it.
    if (v.kind === "mismatch") io.err(`bpf-mips: ${a.target.name}: ${verdictReason(v)}\n`);
    io.out(BigInt.asUintN(64, v.observed.r0).toString(16) + "\n");
    return 0;
  }
  const reason = v.kind === "pass" || v.kind === "mismatch" ? (v.observed?.message ?? v.observed?.kind ?? verdictReason(v)) : verdictReason(v);
  io.err(`${reason.replace(/^program rejected: /, "")}\n`);
  return v.kind === "invalid-case" ? 2 : 1;
}
