// Builds the packed test program of the QEMU differential: many random bodies in one static executable,
// each in a fixed-size code slot that loads every register from an input block, runs the body, and stores
// every register (and HI/LO) to an output block; at the end one write(2) dumps all output blocks and the
// scratch areas to stdout, and exit(0). Fixed slots keep every address stable when a slot is neutralised
// (its body replaced by nops), so PC-relative loads and link values are identical in every rebuild.
import { is64, hasHiLo } from "../../src/mips/levels";
import type { IsaLevel } from "../../src/mips/levels";
import { ops } from "../../src/mips";
import { BLOCK_BASE_REG, SCRATCH_BASE_REG, SCRATCH_BYTES } from "./sequences";
import { writeElf, wordsToBytes } from "./elf-writer";
import type { Rng } from "./rng";

export const MAX_BODY = 12;
export const CODE_BASE = 0x0040_0000;
const NOP = 0;
const K1 = SCRATCH_BASE_REG;
const K0 = BLOCK_BASE_REG;
/** Registers loaded from the input block (all but $zero, $k0, $k1). */
const LOADED = Array.from({ length: 31 }, (_, i) => i + 1).filter((r) => r !== K0 && r !== K1);
/** Registers stored to the output block: everything but $zero and $k0 (the block pointer itself). */
const STORED = Array.from({ length: 31 }, (_, i) => i + 1).filter((r) => r !== K0);

export interface Slot {
  /** Body words (at most MAX_BODY); [] for a neutralised slot. */
  body: number[];
  /** Initial register values, 34 entries (r0…r31, HI, LO) as [hi, lo] u32 pairs; r0, k0, k1 unused. */
  regs: [number, number][];
  /** Initial scratch bytes. */
  scratch: Uint8Array;
  /**
   * Registers (1–31, 32 = HI, 33 = LO) whose dump is replaced by nops: the body left them UNPREDICTABLE (HI/LO
   * after SPECIAL2 MUL or a divide by zero, an r6 divide-by-zero result), so only they go uncompared while the
   * rest of the sequence still is. Both sides then see the output block's initial zeros there.
   */
  skip?: number[];
}

export interface Layout {
  wordBytes: 4 | 8;
  slotWords: number;
  /** Words from a slot's start to its body (the load part); the dump part starts MAX_BODY words later. */
  bodyStart: number;
  dataBase: number;
  inputBase: number;
  outputBase: number;
  /** Per slot: scratch (SCRATCH_BYTES) followed by the register dump (34 words). */
  outputStride: number;
  outputBytes: number;
}

export function layoutFor(level: IsaLevel, slots: number): Layout {
  const wordBytes = is64(level) ? 8 : 4;
  const loadWords = 4 + (hasHiLo(level) ? 4 : 0) + LOADED.length;
  const dumpWords = 2 + STORED.length + (hasHiLo(level) ? 4 : 0);
  const slotWords = loadWords + MAX_BODY + dumpWords;
  const codeWords = slots * slotWords + 12;
  const dataBase = CODE_BASE + Math.ceil((codeWords * 4) / 4096) * 4096;
  const inputBytes = 34 * wordBytes;
  const outputStride = SCRATCH_BYTES + 34 * wordBytes;
  const inputBase = dataBase;
  const outputBase = dataBase + Math.ceil((slots * inputBytes) / 4096) * 4096;
  return { wordBytes, slotWords, bodyStart: loadWords, dataBase, inputBase, outputBase, outputStride, outputBytes: slots * outputStride };
}

/** Random initial values biased to edges; 64-bit levels get mostly sign-extended 32-bit values (§5). */
export function randomRegs(r: Rng, level: IsaLevel): [number, number][] {
  const edges = [0, 1, 0xffffffff, 0x80000000, 0x7fffffff, 0x8000, 0x7fff, 0xffff, 0xffff8000, 2, 31, 32, 63];
  const lo32 = (): number => (r.chance(0.35) ? r.pick(edges) : r.u32()) >>> 0;
  return Array.from({ length: 34 }, (): [number, number] => {
    const lo = lo32();
    if (!is64(level)) return [0, lo];
    // canonical (sign-extended) mostly: a 32-bit operation reading a non-canonical value is UNPREDICTABLE and
    // its sequence is excluded, so a few non-canonical values per sequence are enough to exercise the 64-bit ops
    if (r.chance(0.96)) return [lo & 0x80000000 ? 0xffffffff : 0, lo];
    return [r.chance(0.3) ? r.pick([0, 0xffffffff, 0x80000000, 1]) : r.u32(), lo];
  });
}

function li32(reg: number, value: number): number[] {
  return [ops.lui!(reg, value >>> 16), ops.ori!(reg, reg, value & 0xffff)];
}

export function buildProgram(level: IsaLevel, littleEndian: boolean, slots: readonly Slot[]): { elf: Uint8Array; layout: Layout } {
  const L = layoutFor(level, slots.length);
  const W = L.wordBytes;
  const load = W === 8 ? ops.ld! : ops.lw!;
  const store = W === 8 ? ops.sd! : ops.sw!;
  const hilo = hasHiLo(level);
  const code: number[] = [];
  slots.forEach((s, i) => {
    const start = code.length;
    const inAddr = L.inputBase + i * 34 * W;
    const outAddr = L.outputBase + i * L.outputStride;
    code.push(...li32(K0, inAddr), ...li32(K1, outAddr));
    if (hilo) code.push(load(1, 32 * W, K0), ops.mthi!(1), load(1, 33 * W, K0), ops.mtlo!(1));
    for (const r of LOADED) code.push(load(r, r * W, K0));
    for (let j = 0; j < MAX_BODY; j++) code.push(s.body[j] ?? NOP);
    code.push(...li32(K0, outAddr + SCRATCH_BYTES));
    const skip = s.skip ?? [];
    for (const r of STORED) code.push(skip.includes(r) ? NOP : store(r, r * W, K0));
    if (hilo) {
      code.push(...(skip.includes(32) ? [NOP, NOP] : [ops.mfhi!(K1), store(K1, 32 * W, K0)]));
      code.push(...(skip.includes(33) ? [NOP, NOP] : [ops.mflo!(K1), store(K1, 33 * W, K0)]));
    }
    if (code.length - start !== L.slotWords) throw new Error("harness-program: slot size mismatch");
  });
  // write(1, outputBase, outputBytes); exit(0) — o32 4004/4001, n64 5001/5058 (Linux unistd tables).
  const [sysWrite, sysExit] = is64(level) ? [5001, 5058] : [4004, 4001];
  code.push(ops.addiu!(2, 0, sysWrite), ops.addiu!(4, 0, 1), ...li32(5, L.outputBase), ...li32(6, L.outputBytes), ops.syscall!(0));
  code.push(ops.addiu!(2, 0, sysExit), ops.addiu!(4, 0, 0), ops.syscall!(0));

  const seg = new Uint8Array(L.outputBase + L.outputBytes - CODE_BASE);
  seg.set(wordsToBytes(code, littleEndian), 0);
  const dv = new DataView(seg.buffer);
  slots.forEach((s, i) => {
    const inOff = L.inputBase - CODE_BASE + i * 34 * W;
    s.regs.forEach(([hi, lo], r) => {
      if (W === 8) {
        dv.setUint32(inOff + r * 8 + (littleEndian ? 4 : 0), hi >>> 0, littleEndian);
        dv.setUint32(inOff + r * 8 + (littleEndian ? 0 : 4), lo >>> 0, littleEndian);
      } else dv.setUint32(inOff + r * 4, lo >>> 0, littleEndian);
    });
    seg.set(s.scratch, L.outputBase - CODE_BASE + i * L.outputStride);
  });
  return { elf: writeElf({ level, littleEndian, vaddr: CODE_BASE, segment: seg, bssSize: 0 }), layout: L };
}

/** Whether a code address lies in a slot's dump part (after the body). */
export function inDumpPart(L: Layout, pc: number): boolean {
  return ((pc - CODE_BASE) / 4) % L.slotWords >= L.bodyStart + MAX_BODY;
}

/** Which slot a code address belongs to (−1: scaffolding after the slots). */
export function slotOfPc(L: Layout, pc: number, slots: number): number {
  const i = Math.floor((pc - CODE_BASE) / 4 / L.slotWords);
  return i >= 0 && i < slots ? i : -1;
}
