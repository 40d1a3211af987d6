// Regenerates src/ebpf/fixtures/llvm-golden.json (LLVM 14, cpu v1–v3) and llvm19-golden.json (LLVM 19, v1–v4):
// LLVM's own encoding and disassembly for LLVM-syntax lines per opcode-table entry. Needs llvm-mc;
// the test that reads the fixture (src/ebpf/llvm-golden.test.ts) does not.
//   npx tsx scripts/gen-ebpf-llvm-golden.ts            (or: bash scripts/gen-ebpf-llvm-golden.sh)
// Each input line is printed by our disassembler from a sample instance; LLVM then independently encodes that
// text (checks our assembler) and disassembles its bytes (checks our printer). Lines LLVM rejects are listed
// under "rejected" so the fixture documents what LLVM 14 does not accept.
import { execFileSync } from "node:child_process";
import { writeFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { TABLE, insnFor, type OpcodeEntry } from "../src/ebpf/opcode-table";
import { disassemble } from "../src/ebpf/disassembler";
import { encodeProgram } from "../src/ebpf/encode";
import { insn, type Insn } from "../src/ebpf/insn";

// LLVM_MC / MCPU / OUT select the LLVM and cpu level: LLVM 14 with v3 (the default, llvm-golden.json) and,
// where Debian's llvm-19 is installed, LLVM 19 with v4 (llvm19-golden.json: the only oracle for cpu v4 rows).
const LLVM_MC = process.env.LLVM_MC ?? "llvm-mc";
const MCPU = process.env.MCPU ?? "v3";
const MAX_CPU = Number(MCPU.slice(1));
const out = path.resolve(import.meta.dirname, "../src/ebpf/fixtures", process.env.OUT ?? "llvm-golden.json");

function samples(e: OpcodeEntry): Insn[][] {
  const res: Insn[][] = [];
  for (const [dst, src, off, imm] of [[1, 2, 8, 5], [3, 10, -16, -7], [0, 9, 32767, 0x7fffffff]]) {
    const f: Record<string, number> = {};
    if (e.uses.includes("dst")) f.dst = e.shape === "atomic" ? 10 : dst;
    if (e.uses.includes("src")) f.src = e.shape === "atomic" ? (dst === 0 ? 3 : src === 10 ? 4 : src) : src;
    if (e.uses.includes("off")) f.off = e.shape === "jcond" || e.shape === "ja" ? (off > 0 ? 3 : -3) : off;
    if (e.uses.includes("imm")) f.imm = e.shape === "ldind" ? 0 : imm;
    const x = insnFor(e, f);
    res.push(e.shape === "lddw" ? [x, insn(0, 0, 0, 0, imm * 3)] : [x]);
  }
  return res;
}

function encode(line: string, triple = "bpfel"): number[] | undefined {
  try {
    const r = execFileSync(LLVM_MC, ["-triple", triple, `-mcpu=${MCPU}`, "-show-encoding"], { input: line + "\n", stdio: ["pipe", "pipe", "pipe"] }).toString();
    // A line LLVM reads as a symbol expression (e.g. `call pc+5`) encodes imm 0 plus a fixup: not a real accept.
    if (/fixup/.test(r)) return undefined;
    const m = /encoding: \[([^\]]*)\]/.exec(r);
    return m ? m[1].split(",").map((x) => parseInt(x, 16)) : undefined;
  } catch {
    return undefined;
  }
}

function disasm(bytes: number[]): string | undefined {
  const r = execFileSync(LLVM_MC, ["-triple", "bpfel", `-mcpu=${MCPU}`, "--disassemble"], {
    input: bytes.map((b) => "0x" + b.toString(16)).join(" ") + "\n", stdio: ["pipe", "pipe", "pipe"],
  }).toString();
  const lines = r.split("\n").map((l) => l.trim()).filter((l) => l !== "" && !l.startsWith("."));
  return lines.length === 1 ? lines[0] : undefined;
}

const version = execFileSync(LLVM_MC, ["--version"]).toString().split("\n").find((l) => /version/i.test(l))?.trim();
// bytesBE: the same line encoded for bpfeb (big-endian: dst in the high register nibble, off/imm big-endian).
const accepted: { id: string; text: string; bytes: string; bytesBE: string | null; llvmText: string | null }[] = [];
const hexOf = (b: number[]): string => b.map((x) => x.toString(16).padStart(2, "0")).join("");
// For lines LLVM's parser rejects, LLVM's disassembly of OUR bytes still checks the encoding where LLVM decodes it.
const rejected: { id: string; text: string; ourBytes: string; llvmText: string | null }[] = [];
for (const e of TABLE) {
  if (e.cpu > MAX_CPU) continue;
  for (const p of samples(e)) {
    const text = disassemble(p, { syntax: "llvm" })[0];
    const bytes = encode(text);
    if (!bytes) {
      const ours = [...encodeProgram(p, true)];
      rejected.push({ id: e.id, text, ourBytes: ours.map((b) => b.toString(16).padStart(2, "0")).join(""), llvmText: disasm(ours) ?? null });
      continue;
    }
    const be = encode(text, "bpfeb");
    accepted.push({ id: e.id, text, bytes: hexOf(bytes), bytesBE: be ? hexOf(be) : null, llvmText: disasm(bytes) ?? null });
  }
}
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify({ generator: "scripts/gen-ebpf-llvm-golden.ts", llvm: version, triples: ["bpfel", "bpfeb"], mcpu: MCPU, accepted, rejected }, null, 1) + "\n");
console.log(`${accepted.length} accepted, ${rejected.length} rejected → ${path.relative(process.cwd(), out)}`);
