// JIT benchmarks (issue 4 §5): (1) compile throughput in eBPF instructions per second (bar: ≥ 1 M/s) on a
// program mixing every instruction class, per 32-bit level; (2) code size: MIPS words per eBPF instruction
// for each opcode form and level (little-endian; the big-endian figures differ only where noted in
// docs/jit.md). Prints both as Markdown tables. Run: npx tsx bench/jit-throughput.ts
import type { Insn, Program } from "../src/ebpf/insn";
import { insn } from "../src/ebpf/insn";
import { defaultLayout } from "../src/ebpf/layout";
import type { IsaLevel } from "../src/mips/levels";
import { jitCompile } from "../jit/index";

const LEVELS: IsaLevel[] = ["mips1", "mips2", "mips32r1", "mips32r2", "mips32r6"];
const layout = defaultLayout(32, true, 64);

/** A representative block of 32 instructions (ALU32/64 K and X, shifts, mul/div, loads/stores, jumps). */
function block(): Insn[] {
  return [
    insn(0xb7, 1, 0, 0, 5), insn(0x0f, 0, 1, 0, 0), insn(0x07, 0, 0, 0, 100), insn(0x17, 0, 0, 0, 70000),
    insn(0x04, 3, 0, 0, 7), insn(0x0c, 3, 1, 0, 0), insn(0x2f, 0, 3, 0, 0), insn(0x27, 3, 0, 0, 3),
    insn(0x67, 0, 0, 0, 13), insn(0x7f, 0, 3, 0, 0), insn(0xc7, 3, 0, 0, 40), insn(0x4f, 3, 0, 0, 0),
    insn(0x5f, 0, 3, 0, 0), insn(0xaf, 0, 1, 0, 0), insn(0x87, 3), insn(0xdc, 3, 0, 0, 32),
    insn(0x7b, 10, 0, -8, 0), insn(0x79, 4, 10, -8, 0), insn(0x63, 10, 3, -16, 0), insn(0x61, 5, 10, -16, 0),
    insn(0x72, 10, 0, -24, 9), insn(0x71, 5, 10, -24, 0), insn(0x3f, 0, 1, 0, 0), insn(0x9f, 0, 1, 0, 0),
    insn(0x2d, 0, 3, 1, 0), insn(0x07, 0, 0, 0, 1), insn(0x16, 3, 0, 1, 9), insn(0x07, 0, 0, 0, 1),
    insn(0x65, 0, 0, 1, -1), insn(0xbf, 6, 0, 0, 0), insn(0xbc, 7, 0, 0, 0), insn(0x37, 0, 0, 0, 8),
  ];
}

function bigProgram(blocks: number): Program {
  const p: Insn[] = [];
  for (let i = 0; i < blocks; i++) p.push(...block());
  p.push(insn(0x95));
  return p;
}

function throughput(): void {
  const prog = bigProgram(300); // 9601 instructions
  console.log("## JIT throughput (eBPF instructions compiled per second)\n");
  // The machine is shared: the rate is also given per CPU second of this process, which load does not dilute.
  console.log("| level | insns | MIPS words | words/insn | insns/s (wall) | insns/s (CPU) |");
  console.log("|---|---|---|---|---|---|");
  for (const level of LEVELS) {
    const opts = { level, littleEndian: true, layout, codeBase: 0x400000, verifierZext: true };
    for (let i = 0; i < 5; i++) jitCompile(prog, opts); // warm-up
    let n = 0;
    const t0 = process.hrtime.bigint();
    const c0 = process.cpuUsage();
    let words = 0;
    while (Number(process.hrtime.bigint() - t0) < 1e9) { words = jitCompile(prog, opts).words.length; n++; }
    const secs = Number(process.hrtime.bigint() - t0) / 1e9;
    const cu = process.cpuUsage(c0);
    const cpu = (cu.user + cu.system) / 1e6;
    const rate = (n * prog.length) / secs, crate = (n * prog.length) / cpu;
    console.log(`| ${level} | ${prog.length} | ${words} | ${(words / prog.length).toFixed(2)} | ${(rate / 1e6).toFixed(2)} M | ${(crate / 1e6).toFixed(2)} M |`);
  }
}

const FORMS: [string, Insn][] = [
  ["add64 K (s16)", insn(0x07, 1, 0, 0, 100)], ["add64 K (large)", insn(0x07, 1, 0, 0, 0x123456)], ["add64 X", insn(0x0f, 1, 2)],
  ["sub64 X", insn(0x1f, 1, 2)], ["mul64 X", insn(0x2f, 1, 2)], ["mul64 K", insn(0x27, 1, 0, 0, 7)],
  ["div64 X", insn(0x3f, 1, 2)], ["sdiv64 X", insn(0x3f, 1, 2, 1)], ["mod64 K 2^n", insn(0x97, 1, 0, 0, 16)],
  ["and64 K (u16)", insn(0x57, 1, 0, 0, 0xff)], ["or64 X", insn(0x4f, 1, 2)], ["xor64 K (neg)", insn(0xa7, 1, 0, 0, -2)],
  ["lsh64 K", insn(0x67, 1, 0, 0, 13)], ["rsh64 K ≥ 32", insn(0x77, 1, 0, 0, 40)], ["arsh64 X", insn(0xcf, 1, 2)],
  ["neg64", insn(0x87, 1)], ["mov64 K", insn(0xb7, 1, 0, 0, -3)], ["mov64 X", insn(0xbf, 1, 2)],
  ["movsx864", insn(0xbf, 1, 2, 8)], ["bswap64", insn(0xd7, 1, 0, 0, 64)], ["be32", insn(0xdc, 1, 0, 0, 32)],
  ["add32 K", insn(0x04, 1, 0, 0, 5)], ["add32 X", insn(0x0c, 1, 2)], ["mul32 X", insn(0x2c, 1, 2)], ["div32 X", insn(0x3c, 1, 2)],
  ["lsh32 X", insn(0x6c, 1, 2)], ["mov32 K", insn(0xb4, 1, 0, 0, 0x10000)], ["zext marker", insn(0xbc, 1, 1, 0, 1)],
  ["lddw", insn(0x18, 1, 0, 0, 0x12345678)],
  ["ldxw [r10]", insn(0x61, 1, 10, -8)], ["ldxw [r2] (align unknown)", insn(0x61, 1, 2, 4)], ["ldxh [r2]", insn(0x69, 1, 2, 4)],
  ["ldxb", insn(0x71, 1, 2, 4)], ["ldxdw [r10]", insn(0x79, 1, 10, -8)], ["ldxdw [r2]", insn(0x79, 1, 2, 8)],
  ["stxw [r10]", insn(0x63, 10, 1, -8)], ["stxdw [r2]", insn(0x7b, 2, 1, 8)], ["stw [r10] imm", insn(0x62, 10, 0, -8, 77)],
  ["lock add32", insn(0xc3, 10, 1, -8, 0x00)], ["lock fetch add64", insn(0xdb, 10, 1, -8, 0x01)], ["lock cmpxchg32", insn(0xc3, 10, 1, -8, 0xf1)],
  ["jeq X", insn(0x1d, 1, 2, 0)], ["jeq32 K", insn(0x16, 1, 0, 0, 5)], ["jgt X", insn(0x2d, 1, 2, 0)], ["jgt K", insn(0x25, 1, 0, 0, 5)],
  ["jslt32 K 0", insn(0xc6, 1, 0, 0, 0)], ["jset K", insn(0x45, 1, 0, 0, 8)], ["ja", insn(0x05, 0, 0, 0, 0)],
  ["call helper (2 ptr args)", insn(0x85, 0, 0, 0, 1)], ["call helper (5 u64 args)", insn(0x85, 0, 0, 0, 0x1000)],
];

function codeSize(): void {
  console.log("\n## Code size: MIPS words per eBPF instruction (little-endian, verifierZext)\n");
  console.log(`| form | ${LEVELS.join(" | ")} |`);
  console.log(`|---|${LEVELS.map(() => "---").join("|")}|`);
  // Context: define R0–R5 first so every register is live; the measured instruction sits before a jump
  // target, whose jumps use offset 0 here (jumps to the next instruction emit nothing) — so jumps get +1.
  const pre: Insn[] = [0, 1, 2, 3, 4, 5].map((r) => insn(0xb7, r, 0, 0, r + 1));
  const post: Insn[] = [insn(0x95)];
  for (const [name, x0] of FORMS) {
    const isJump = (x0.opcode & 7) === 5 || (x0.opcode & 7) === 6;
    const x = isJump && (x0.opcode & 0xf0) !== 0x80 ? { ...x0, off: 1 } : x0;
    const body: Insn[] = isJump && (x0.opcode & 0xf0) !== 0x80 ? [x, insn(0xb7, 0, 0, 0, 0)] : [x];
    const wide = x.opcode === 0x18 ? [insn(0, 0, 0, 0, 0)] : [];
    const cells = LEVELS.map((level) => {
      const opts = { level, littleEndian: true, layout, codeBase: 0x400000, verifierZext: true };
      const a = jitCompile([...pre, ...body, ...wide, ...post], opts).insnOffsets;
      const len = a[pre.length + 1 + wide.length]! - a[pre.length]!;
      return String(len / 4);
    });
    console.log(`| ${name} | ${cells.join(" | ")} |`);
  }
}

throughput();
codeSize();
