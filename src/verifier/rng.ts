// The seeded random source of the randomising rewrites (constant blinding, hi32 randomisation). Owns only
// determinism: the same seed gives the same program, so every rewritten program can be replayed from the
// seed the harness prints (ARCHITECTURE.md "Everything replayable"). Not cryptographic, unlike Linux's
// get_random_u32(); blinding here tests JITs, it does not defend against JIT spraying.

/** mulberry32: a 32-bit state generator; returns successive values as signed 32-bit integers (imm fields). */
export function makeRng(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) | 0;
  };
}
