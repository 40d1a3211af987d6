// Emulator speed benchmark (issue 3 §8): emulated MIPS instructions per second on a loop-heavy program
// (ALU, shifts, loads/stores, a conditional branch with a filled delay slot), for MIPS32 and MIPS64 code,
// with all trip-wires armed and with all off. Prints one line per configuration. Run: npx tsx bench/emulator.ts
import { Machine } from "../emulator/index";
import { assemble, type IsaLevel } from "../src/mips/index";

const LOOP32 = [
  "lui $9, 0x1000",          // data pointer
  "addiu $8, $zero, 0",      // i
  "addiu $2, $zero, 0",      // acc
  "lui $10, 0x0040",          // iteration count (0x400000)
  // loop:
  "addu $2, $2, $8",
  "sll $11, $8, 3",
  "xor $2, $2, $11",
  "andi $12, $8, 0xfc",
  "addu $12, $12, $9",
  "sw $2, 0($12)",
  "lw $13, 0($12)",
  "addiu $8, $8, 1",
  "subu $14, $13, $2",
  "bne $8, $10, -40",
  "srl $15, $2, 1",         // delay slot
  "jr $ra",
  "nop",
];

const LOOP64 = LOOP32.map((l) => l.replace(/^addu /, "daddu ").replace(/^subu /, "dsubu ").replace(/^sw /, "sd ").replace(/^lw /, "ld ").replace(/^sll /, "dsll ").replace(/^srl /, "dsrl ").replace(/^andi \$12, \$8, 0xfc/, "andi $12, $8, 0xf8"));

/** [instructions per wall-clock second, per CPU second of this process]. */
function bench(level: IsaLevel, le: boolean, tripwiresOn: boolean): [number, number] {
  const m = new Machine({ level, littleEndian: le, tripwires: tripwiresOn ? {} : Object.fromEntries(["word32", "load-delay", "hilo", "cti-slot", "isa", "unpredictable", "poison", "abi"].map((k) => [k, false])) });
  const hi = m.is64 ? 0x1_0000_0000 : 0;
  const src = m.is64 ? LOOP64 : LOOP32;
  const words = src.map((l) => assemble(l, level));
  const code = 0x0040_0000, data = 0x1000_0000;
  m.addRegion({ name: "code", base: hi + code, size: 0x1000, perms: "rx" });
  m.addRegion({ name: "data", base: data, size: 0x1000, perms: "rw" });
  m.addRegion({ name: "stack", base: hi + 0x7ff0_0000, size: 0x10000, perms: "rw" });
  m.mem.writeWords(hi + code, words);
  // warm-up
  m.call(hi + code, { sp: hi + 0x7ff0_8000, budget: 2_000_000 });
  const t0 = performance.now(), c0 = process.cpuUsage();
  const o = m.call(hi + code, { sp: hi + 0x7ff0_8000, budget: 100_000_000, ret: m.is64 ? "u64" : "u32" });
  const dt = (performance.now() - t0) / 1000, cu = process.cpuUsage(c0);
  if (o.kind !== "exit") throw new Error(`benchmark program stopped: ${o.kind} ${o.reason}`);
  return [o.instructions / dt, o.instructions / ((cu.user + cu.system) / 1e6)];
}

for (const [level, le] of (process.env.BENCH_ONLY ? [[process.env.BENCH_ONLY, true]] : [["mips32r2", true], ["mips32r2", false], ["mips64r2", true], ["mips64r2", false]]) as [IsaLevel, boolean][]) {
  for (const on of [true, false]) {
    const [wall, cpu] = bench(level, le, on);
    console.log(`${level}-${le ? "le" : "be"} trip-wires ${on ? "on " : "off"}: ${(wall / 1e6).toFixed(1)} M emulated instructions/s (${(cpu / 1e6).toFixed(1)} M per CPU-second)`);
  }
}
