// Random-word robustness run (issue 3 "Done when": 1,000,000 random 32-bit words executed on every ISA level
// with no JavaScript exception, only architectural results). Fills an rwx code region with random words,
// points some registers into mapped memory so loads/stores/jumps often succeed, and starts a short run at
// every word. Any outcome is fine except an internal error. Used by random-words.test.ts (fewer words) and
// runnable for the full million: `npx tsx emulator/random-words.ts [wordsPerLevel] [seed]`.
import { ISA_LEVELS, type IsaLevel } from "../src/mips/index";
import { Machine } from "./machine";
import type { OutcomeKind } from "./types";

export interface RandomWordsSummary {
  readonly level: IsaLevel;
  readonly words: number;
  readonly kinds: Record<OutcomeKind, number>;
  readonly internal: string[];
}

const CHUNK = 4096;

export function runRandomWords(level: IsaLevel, words: number, seed: number, littleEndian: boolean): RandomWordsSummary {
  let s = seed >>> 0 || 1;
  const rnd = (): number => { s ^= s << 13; s ^= s >>> 17; s ^= s << 5; return s >>> 0; };
  const m = new Machine({ level, littleEndian });

  const hi = m.is64 ? 0x1_0000_0000 : 0;
  const code = hi + 0x0040_0000, data = hi + 0x1000_0000, stack = hi + 0x7ff0_0000;
  m.addRegion({ name: "code", base: code, size: CHUNK * 4 + 64, perms: "rwx" });
  m.addRegion({ name: "data", base: data, size: 0x1_0000, perms: "rw" });
  m.addRegion({ name: "stack", base: stack - 0x1_0000, size: 0x1_0000, perms: "rw" });
  m.mem.writeBytes(code + CHUNK * 4, new Uint8Array(64)); // nops after the chunk
  const kinds: Record<OutcomeKind, number> = { exit: 0, trap: 0, exception: 0, budget: 0, "host-error": 0 };
  const internal: string[] = [];
  const ptrs = [code, data, data + 0x8000, stack - 0x100];
  for (let done = 0; done < words; done += CHUNK) {
    const n = Math.min(CHUNK, words - done);
    const w = new Array<number>(n);
    for (let i = 0; i < n; i++) w[i] = rnd();
    m.mem.writeWords(code, w);
    // every 8th chunk compiles each block at its first execution, so the block compiler sees random words
    // too (compiling is ~50 µs a block, too slow for every word)
    m.cpu.hotThreshold = (done / CHUNK) % 8 === 0 ? 1 : 8;
    for (let i = 0; i < n; i++) {
      for (let r = 1; r < 32; r++) {
        const k = rnd() & 7;
        if (k < 4) { const p = ptrs[k] + (rnd() & 0xff0); m.setReg(r, p % 4294967296, Math.floor(p / 4294967296)); }
        else if (k === 4) m.setReg(r, 0, 0);
        else m.setReg(r, rnd() | 0, m.is64 ? (k === 5 ? rnd() | 0 : (rnd() | 0) >> 31) : 0);
      }
      const o = m.run({ pc: code + 4 * i, budget: 24 });
      kinds[o.kind]++;
      if (o.kind === "host-error") internal.push(`${level} word 0x${(w[i] >>> 0).toString(16)}: ${o.reason}`);
    }
  }
  return { level, words, kinds, internal };
}

// CLI: the full run
if (process.argv[1] !== undefined && /random-words\.ts$/.test(process.argv[1])) {
  const per = Number(process.argv[2] ?? 1_000_000);
  const seed = Number(process.argv[3] ?? 0x9e3779b9);
  let bad = 0;
  for (const level of ISA_LEVELS) {
    const t0 = performance.now();
    const r = runRandomWords(level, per, seed ^ level.length, level.length % 2 === 0);
    bad += r.internal.length;
    console.log(`${level}: ${per} words, seed ${seed}, ${JSON.stringify(r.kinds)}, ${r.internal.length} internal errors, ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    for (const e of r.internal.slice(0, 5)) console.log("  " + e);
  }
  process.exitCode = bad === 0 ? 0 : 1;
}
