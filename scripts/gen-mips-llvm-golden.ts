// Regenerates src/mips/fixtures/llvm-golden.json: for every MIPS_TABLE entry, a few instance lines with
// representative operands, assembled by `llvm-mc -show-encoding` on every ISA level × byte order, and the
// resulting words disassembled by `llvm-mc --disassemble` on the same level/byte order.
// Also src/mips/fixtures/llvm-random.json: seeded random words (half of them on the SPECIAL, REGIMM, SPECIAL2
// and SPECIAL3 opcodes) and LLVM's disassembly of each on every level ("" = LLVM: invalid encoding).
// Needs llvm-mc (LLVM 14). Run: npx tsx scripts/gen-mips-llvm-golden.ts
// Owns only fixture generation; the checks live in src/mips/golden.test.ts.

import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ISA_LEVELS, LEVEL_BIT } from "../src/mips/levels";
import type { IsaLevel } from "../src/mips/levels";
import { MIPS_TABLE } from "../src/mips/table";
import { encode } from "../src/mips/encode";
import { formatLine, formatOperandList } from "../src/mips/format";
import { LLVM_NAMES } from "../src/mips/registers";
import type { OperandKind } from "../src/mips/types";

const here = path.dirname(fileURLToPath(import.meta.url));
const OUT = path.resolve(here, "../src/mips/fixtures/llvm-golden.json");
const OUT_RANDOM = path.resolve(here, "../src/mips/fixtures/llvm-random.json");
const RANDOM_WORDS = 3000;
const INSTANCES = 4;

/** Representative values per operand kind; instance i takes element i (extremes, negatives, distinct regs, $0). */
const VALUES: Record<OperandKind, readonly number[]> = {
  rd: [2, 31, 8, 25], rs: [3, 29, 12, 4], rt: [4, 30, 0, 5], base: [4, 29, 0, 31], rdrt: [2, 31, 8, 25],
  rsrt: [4, 31, 1, 17],
  sa: [0, 31, 1, 17], simm16: [-32768, 32767, -1, 0], uimm16: [0, 65535, 1, 0x8000],
  off16: [-32768, 32767, -4, 0], off9: [-256, 255, -1, 0],
  br16: [-131072, 131068, -4, 16], br21: [-4194304, 4194300, -8, 64], br26: [-134217728, 134217724, -4, 1024],
  jtarget: [0, 0x0ffffffc, 4096, 0x04000000],
  code10: [0, 1023, 7, 512], code10hi: [0, 1023, 7, 5], code10lo: [0, 1023, 3, 0], code20: [0, 0xfffff, 5, 1],
  hint: [0, 31, 1, 17], stype: [0, 31, 4, 16], hwr: [29, 0, 2, 31], sel3: [0, 7, 1, 3],
  pos: [0, 31, 4, 16], pos32: [32, 63, 36, 48],
  sizeExt: [32, 1, 8, 16], sizeExtm: [64, 33, 40, 48], sizeIns: [32, 1, 8, 16], sizeInsm: [64, 33, 40, 48],
  lsa2: [1, 4, 2, 3], bp2: [0, 3, 1, 2], bp3: [0, 7, 1, 4],
  pc19: [-1048576, 1048572, -4, 8], pc18: [-1048576, 1048568, -8, 8],
};

interface Case { key: string; values: number[]; asm: string; llvm: Record<string, LevelResult> }
/** [big-endian word, little-endian word, BE disassembly, LE disassembly]; words as 8-digit hex */
type LevelResult = [string, string, string, string] | { multi: string[] };

function llvmTarget(level: IsaLevel, le: boolean): { triple: string; cpu: string } {
  const wide = /^mips(3|4|5|64)/.test(level);
  const triple = (wide ? "mips64" : "mips") + (le ? "el" : "");
  const cpu = level === "mips32r1" ? "mips32" : level === "mips64r1" ? "mips64" : level;
  return { triple, cpu };
}

function run(args: string[], input: string): { stdout: string; stderr: string } {
  const r = spawnSync("llvm-mc", args, { input, encoding: "utf8", maxBuffer: 1 << 28 });
  if (r.error) throw r.error;
  return { stdout: r.stdout, stderr: r.stderr };
}

const MARK = 0x7ff0_0000;

/** Assemble every line; result per line: list of words (empty if rejected). */
function assembleAll(lines: string[], level: IsaLevel, le: boolean): number[][] {
  const { triple, cpu } = llvmTarget(level, le);
  const src = [".set noreorder"];
  lines.forEach((l, i) => { src.push(l); src.push(`.4byte ${MARK + i}`); });
  const { stdout } = run(["-triple", triple, `-mcpu=${cpu}`, "-show-encoding"], src.join("\n") + "\n");
  const out: number[][] = lines.map(() => []);
  let cur: number[] = [];
  for (const line of stdout.split("\n")) {
    const m = /\.4byte\s+(\d+)/.exec(line);
    if (m) { out[Number(m[1]) - MARK] = cur; cur = []; continue; }
    const e = /encoding: \[([^\]]*)\]/.exec(line);
    if (e) {
      const b = e[1]!.split(",").map((x) => Number(x.trim()));
      for (let i = 0; i + 3 < b.length; i += 4) {
        const w = le ? (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) : ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!);
        cur.push(w >>> 0);
      }
    }
  }
  return out;
}

/** Disassemble each word; "" where LLVM reports an invalid encoding. */
function disassembleAll(words: number[], level: IsaLevel, le: boolean): string[] {
  if (words.length === 0) return [];
  const { triple, cpu } = llvmTarget(level, le);
  const bytes = (w: number) => {
    const b = [w >>> 24, (w >>> 16) & 255, (w >>> 8) & 255, w & 255];
    if (le) b.reverse();
    return b.map((x) => "0x" + x.toString(16).padStart(2, "0")).join(" ");
  };
  const { stdout, stderr } = run(["--disassemble", "-triple", triple, `-mcpu=${cpu}`], words.map(bytes).join("\n") + "\n");
  const bad = new Set<number>();
  for (const m of stderr.matchAll(/<stdin>:(\d+):\d+: warning: invalid instruction encoding/g)) bad.add(Number(m[1]) - 1);
  const texts = stdout.split("\n").map((l) => l.trim())
    .filter((l) => l && l !== ".text" && !/^\.set\s+(push|pop|mips\w+)$/.test(l));
  const out: string[] = [];
  let k = 0;
  for (let i = 0; i < words.length; i++) out.push(bad.has(i) ? "" : texts[k++] ?? "<missing>");
  if (k !== texts.length) throw new Error(`disassembly line mismatch on ${level}${le ? "el" : ""}`);
  return out;
}

const cases: Case[] = [];
for (const def of MIPS_TABLE) {
  const seen = new Set<string>();
  for (let i = 0; i < INSTANCES; i++) {
    const values = def.operands.map((k) => VALUES[k][i % VALUES[k].length]!);
    try { encode(def.id, values); } catch { continue; } // e.g. an r6 register-order rule excludes this pick
    const asm = formatLine(def.mnemonic, formatOperandList(def, values, { regNames: LLVM_NAMES, branchBias: 0 }));
    if (seen.has(asm)) continue;
    seen.add(asm);
    cases.push({ key: def.key, values, asm, llvm: {} });
  }
}

const lines = cases.map((c) => c.asm);
for (const level of ISA_LEVELS) {
  const be = assembleAll(lines, level, false);
  const le = assembleAll(lines, level, true);
  const singles: number[] = [];
  cases.forEach((c, i) => {
    const b = be[i]!, l = le[i]!;
    if (b.length === 0 && l.length === 0) return;
    if (b.length === 1 && l.length === 1) singles.push(i);
    else c.llvm[level] = { multi: b.map((w) => w.toString(16).padStart(8, "0")) };
  });
  const disBe = disassembleAll(singles.map((i) => be[i]![0]!), level, false);
  const disLe = disassembleAll(singles.map((i) => le[i]![0]!), level, true);
  singles.forEach((ci, k) => {
    const hex = (w: number) => w.toString(16).padStart(8, "0");
    cases[ci]!.llvm[level] = [hex(be[ci]![0]!), hex(le[ci]![0]!), disBe[k]!.replace(/\s+/g, " "), disLe[k]!.replace(/\s+/g, " ")];
  });
  process.stderr.write(`${level}: ${singles.length} accepted\n`);
}

const version = spawnSync("llvm-mc", ["--version"], { encoding: "utf8" }).stdout.split("\n").find((l) => /version/i.test(l))?.trim() ?? "?";
writeFileSync(OUT, JSON.stringify({
  comment: "Generated by scripts/gen-mips-llvm-golden.ts; do not edit. llvm[level] = [BE word, LE word, BE disassembly, LE disassembly] or {multi} when LLVM expanded the line.",
  llvm: version,
  tableLevels: Object.fromEntries(MIPS_TABLE.map((d) => [d.key, ISA_LEVELS.filter((l) => d.levels & LEVEL_BIT[l])])),
  cases,
}, null, 0).replace(/\{"key"/g, '\n{"key"') + "\n");
process.stderr.write(`${cases.length} cases → ${OUT}\n`);

// Random words: checks the decoder and disassembler against LLVM's decoder beyond the table's own encodings.
let seed = 0x2545f491;
const next = (): number => {
  seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5; // xorshift32
  return seed >>> 0;
};
const OPCODES_WITH_SUBTABLES = [0, 1, 28, 31];
const words: number[] = [];
for (let i = 0; i < RANDOM_WORDS; i++) {
  const r = next();
  words.push(i & 1 ? r : ((r & 0x03ffffff) | (OPCODES_WITH_SUBTABLES[next() & 3]! << 26)) >>> 0);
}
const texts: Record<string, string[]> = {};
for (const level of ISA_LEVELS) {
  texts[level] = disassembleAll(words, level, false).map((t) => t.replace(/\s+/g, " "));
}
writeFileSync(OUT_RANDOM, JSON.stringify({
  comment: "Generated by scripts/gen-mips-llvm-golden.ts; do not edit. texts[level][i] = llvm-mc --disassemble of words[i] (big-endian), '' = invalid.",
  llvm: version,
  words: words.map((w) => w.toString(16).padStart(8, "0")),
  texts,
}) + "\n");
process.stderr.write(`${words.length} random words → ${OUT_RANDOM}\n`);
