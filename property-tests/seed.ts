// The one seed convention of the property tests (docs/differential.md "Seeds"): fast-check's global
// configuration, set by vitest.setup.ts from FC_SEED (fixed under CI, fresh and printed locally). Owns
// only reading that value back for a test that needs its own numeric seed (file names, replay hints, a
// private PRNG); it does not choose seeds itself except outside vitest, where it applies the same rule.
import fc from "fast-check";

/** The run's fast-check seed: fc's global seed when vitest.setup.ts set it, else FC_SEED, else fresh. */
export function fcSeed(): number {
  const g = fc.readConfigureGlobal().seed;
  if (g !== undefined) return g;
  const env = process.env.FC_SEED;
  if (env !== undefined) {
    const n = Number(env);
    if (!Number.isInteger(n)) throw new Error(`FC_SEED must be an integer, got '${env}'`);
    return n;
  }
  return (Date.now() ^ (Math.random() * 0x7fffffff)) | 0;
}

