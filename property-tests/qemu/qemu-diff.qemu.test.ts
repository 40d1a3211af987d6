// `npm run test:qemu`: the emulator against qemu-user, 10,000 compared random sequences per profile
// (issue 3 §7). Needs qemu-user (Debian package qemu-user; .ci/run installs it). The seed is printed and
// can be replayed with `npx tsx scripts/qemu-diff.ts --seed S --profile NAME`.
import { describe, expect, it } from "vitest";
import { runCampaign, qemuAvailable } from "./campaign";
import { PROFILES } from "./profiles";

const COUNT = Number(process.env.QEMU_DIFF_COUNT ?? 10_000);
// CI judges a landing on a fixed seed (as vitest.setup.ts does for fast-check); local runs explore.
const SEED = Number(process.env.QEMU_DIFF_SEED ?? (process.env.CI ? 13 : Date.now() % 1_000_000));

describe(`emulator matches qemu-user byte for byte (seed ${SEED}, ${COUNT} sequences per profile)`, () => {
  for (const p of PROFILES) {
    it(`${p.name}: every compared sequence leaves identical registers, HI/LO and memory`, () => {
      expect(qemuAvailable(p), `${p.qemu} is not installed (apt-get install qemu-user)`).toBe(true);
      const r = runCampaign(p, COUNT, SEED);
      const ex = Object.entries(r.excluded).map(([k, v]) => `${k} ${v}`).join(", ");
      const part = Object.entries(r.partial).map(([k, v]) => `${k} ${v}`).join(", ");
      console.log(`${r.profile}: seed ${SEED}, ${r.compared} compared, ${r.generated - r.compared} excluded (${ex || "none"}), partial (${part || "none"}), ${r.mismatches.length} mismatches`);
      expect(r.compared).toBeGreaterThanOrEqual(COUNT);
      expect(r.mismatches, r.mismatches.slice(0, 5).join("\n\n")).toEqual([]);
    });
  }
});
