// A small seeded PRNG (mulberry32) for the QEMU differential campaign: every run prints its seed, and the
// same seed regenerates the same sequences (ARCHITECTURE.md "Everything replayable").
export interface Rng {
  u32(): number;
  /** integer in [0, n) */
  int(n: number): number;
  pick<T>(xs: readonly T[]): T;
  chance(p: number): boolean;
}

export function rng(seed: number): Rng {
  let s = seed >>> 0;
  const u32 = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const int = (n: number): number => Math.floor((u32() / 0x1_0000_0000) * n);
  return { u32, int, pick: (xs) => xs[int(xs.length)]!, chance: (p) => u32() / 0x1_0000_0000 < p };
}
