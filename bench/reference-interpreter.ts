// Benchmark of the reference interpreter (src/reference): instructions per second on a loop-heavy
// program mixing ALU64, ALU32, stack loads/stores and conditional jumps. Prints one figure per layout.
// Bar (issue 2 §5): ≥ 5 M eBPF instructions per second.
import { insn } from "../src/ebpf/insn";
import type { Program } from "../src/ebpf/insn";
import { defaultLayout } from "../src/ebpf/layout";
import { runReference } from "../src/reference/index";

const ITER = 200_000;
// r0 = 0; r1 = ITER; loop: r0 += r1; r2 = r0; r2 ^= 0x55; w2 *= 3; r2 >>= 3;
// *(u64 *)(r10 - 8) = r2; r3 = *(u64 *)(r10 - 8); r0 += r3; r1 -= 1; if r1 != 0 goto loop; exit
export const benchProgram: Program = [
  insn(0xb7, 0, 0, 0, 0),
  insn(0xb7, 1, 0, 0, ITER),
  insn(0x0f, 0, 1),
  insn(0xbf, 2, 0),
  insn(0xa7, 2, 0, 0, 0x55),
  insn(0x24, 2, 0, 0, 3),
  insn(0x77, 2, 0, 0, 3),
  insn(0x7b, 10, 2, -8),
  insn(0x79, 3, 10, -8),
  insn(0x0f, 0, 3),
  insn(0x17, 1, 0, 0, 1),
  insn(0x55, 1, 0, -10, 0),
  insn(0x95),
];

const REPEAT = 5; // the machine is shared: report the best and the median of several runs
for (const [bits, le] of [[64, true], [32, false]] as const) {
  const layout = defaultLayout(bits, le);
  runReference(benchProgram, { layout, mem: new Uint8Array(0), budget: 100_000_000 }); // warm-up
  const rates: number[] = [];
  let count = 0;
  for (let k = 0; k < REPEAT; k++) {
    const t0 = process.hrtime.bigint();
    const res = runReference(benchProgram, { layout, mem: new Uint8Array(0), budget: 100_000_000 });
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    if (res.kind !== "exit") throw new Error(`benchmark program ended with ${res.kind}: ${res.message}`);
    count = res.insnCount;
    rates.push(res.insnCount / s);
  }
  rates.sort((a, b) => a - b);
  const m = (x: number): string => (x / 1e6).toFixed(2);
  console.log(
    `reference interpreter (${bits}-bit ${le ? "LE" : "BE"} layout): ${count} insns per run, ` +
      `best ${m(rates[REPEAT - 1])} M insn/s, median ${m(rates[REPEAT >> 1])} M insn/s over ${REPEAT} runs`,
  );
}
