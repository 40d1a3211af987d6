// `bpf-mips asm` and `bpf-mips disasm`: thin wrappers over src/ebpf's assembler and disassembler. The hex
// that `asm` prints (one 8-byte slot per line) is what `disasm` and `plugin` read back, and what `disasm`
// prints reassembles with `asm`, so the two commands round-trip.
import path from "node:path";
import { assemble } from "../ebpf/assembler";
import { disassemble } from "../ebpf/disassembler";
import { encodeProgram } from "../ebpf/encode";
import { InputError } from "../ebpf/errors";
import { loadElfObject } from "../ebpf/elf/index";
import type { Program } from "../ebpf/insn";
import { detectFormat, loadCasesStrict, loadRawBytes } from "../harness/load-case";
import type { CliIo } from "./io";
import { readInputFile, writeOutputFile } from "./io";

async function readInput(io: CliIo, file: string): Promise<Buffer> {
  return file === "-" ? io.readStdin() : readInputFile(file);
}

/** One slot per line as hex bytes: readable, and accepted by `disasm` and the plugin's stdin. */
export function hexSlots(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 8) s += Array.from(bytes.subarray(i, i + 8), (b) => b.toString(16).padStart(2, "0")).join(" ") + "\n";
  return s;
}

export async function asmCommand(io: CliIo, file: string, o: { output?: string; syntax: "auto" | "conformance" | "llvm"; be?: boolean }): Promise<number> {
  const text = (await readInput(io, file)).toString("utf8");
  const name = file === "-" ? "<stdin>" : file;
  const program = assemble(text, { file: name, syntax: o.syntax });
  if (program.length === 0) throw new InputError("no instructions", { file: name });
  const bytes = encodeProgram(program, !o.be);
  if (o.output) writeOutputFile(o.output, bytes);
  else io.out(hexSlots(bytes));
  return 0;
}

export async function disasmCommand(io: CliIo, file: string, o: { syntax: "llvm" | "conformance"; raw?: boolean; elf?: boolean; be?: boolean }): Promise<number> {
  if (o.raw && o.elf) throw new InputError("give either --raw or --elf, not both", { field: "disasm" });
  const bytes = await readInput(io, file);
  const name = file === "-" ? "<stdin>" : file;
  const format = o.raw ? "raw" : o.elf ? "elf" : detectFormat(name, bytes);
  const print = (p: Program): void => {
    for (const line of disassemble(p, { syntax: o.syntax, labels: true })) io.out(line + "\n");
  };
  if (format === "elf") {
    const obj = loadElfObject(bytes, name);
    obj.programs.forEach((p, i) => {
      io.out(`${i > 0 ? "\n" : ""}# ${p.name} (section ${p.section}, ${p.insns.length} slots)\n`);
      print(p.insns);
    });
    return 0;
  }
  if (format === "data") {
    if (file === "-") throw new InputError(".data input must be a file (use --raw for hex on stdin)", { file: name });
    for (const c of loadCasesStrict({ file, name: path.basename(file) })) print(c.program);
    return 0;
  }
  print(loadRawBytes(bytes, name, !o.be));
  return 0;
}
