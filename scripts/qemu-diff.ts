// The QEMU differential campaign as a command: `npx tsx scripts/qemu-diff.ts [--count N] [--seed S]
// [--profile PREFIX] [--detail]`. Prints one summary line per profile and every mismatch; exits 1 on any mismatch,
// 2 when qemu-user is missing. `npm run test:qemu` runs the same campaign inside vitest.
import { runCampaign, qemuAvailable } from "../property-tests/qemu/campaign";
import { PROFILES } from "../property-tests/qemu/profiles";

const args = process.argv.slice(2);
const opt = (name: string, dflt: string): string => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : dflt;
};
const count = Number(opt("--count", "10000"));
const seed = Number(opt("--seed", String(Date.now() % 1_000_000)));
const prefix = opt("--profile", "");
if (!Number.isInteger(count) || count < 1 || !Number.isInteger(seed)) {
  console.error("qemu-diff: --count and --seed take integers");
  process.exit(2);
}
let failed = 0;
for (const p of PROFILES.filter((x) => x.name.startsWith(prefix))) {
  if (!qemuAvailable(p)) {
    console.error(`qemu-diff: ${p.qemu} not found (apt-get install qemu-user)`);
    process.exit(2);
  }
  const t0 = Date.now();
  const r = runCampaign(p, count, seed);
  const ex = Object.entries(r.excluded).map(([k, v]) => `${k} ${v}`).join(", ");
  const part = Object.entries(r.partial).map(([k, v]) => `${k} ${v}`).join(", ");
  console.log(`${r.profile}: seed ${seed}, ${r.compared} compared, ${r.generated - r.compared} excluded (${ex || "none"}), partial (${part || "none"}), ${r.mismatches.length} mismatches, ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  if (args.includes("--detail")) {
    const by = Object.entries(r.excludedBy).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`);
    console.log(`  excluded by instruction: ${by.join(", ")}`);
  }
  for (const m of r.mismatches) console.log(m);
  failed += r.mismatches.length;
}
process.exit(failed > 0 ? 1 : 0);
