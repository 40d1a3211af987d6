// Global fast-check configuration for npm test. CI runs with a fixed seed, so a landing is judged on the
// same cases every time; local runs draw a fresh seed, so repeated runs keep exploring. Either way the seed
// is printed, and FC_SEED=<n> replays it (fast-check also prints the seed and path of any failure).
import fc from "fast-check";

const fixed = process.env.FC_SEED ?? (process.env.CI ? "20261123" : undefined);
const seed = fixed !== undefined ? Number(fixed) : (Date.now() ^ (Math.random() * 0x7fffffff)) | 0;
if (!Number.isInteger(seed)) throw new Error(`FC_SEED must be an integer, got '${fixed}'`);
fc.configureGlobal({ seed });
if (process.env.VITEST_POOL_ID === "1" || process.env.VITEST_POOL_ID === undefined) {
  console.log(`fast-check seed ${seed} (replay with FC_SEED=${seed})`);
}
