// `npm run bench`: runs every benchmark in bench/ one after another, each in its own process (so one
// benchmark's JIT warm-up and heap do not colour the next), and prints their figures as they come.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const benches = readdirSync(here).filter((f) => f.endsWith(".ts") && f !== "run-all.ts" && !f.endsWith(".test.ts")).sort();
let failed = 0;
for (const b of benches) {
  console.log(`\n## ${b}\n`);
  const r = spawnSync(process.execPath, ["--import", "tsx", join(here, b)], { stdio: "inherit" });
  if (r.status !== 0) {
    console.error(`bench: ${b} ended with ${r.status ?? r.signal}`);
    failed++;
  }
}
process.exit(failed > 0 ? 1 : 0);
