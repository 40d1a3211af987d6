// `bpf-mips conformance <paths…>` and `--default` (npm start): collect cases, run them on the chosen
// engines/targets, print the table or one JSON document, and optionally write JUnit XML and replayable
// .data files for the failures.
import path from "node:path";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { InputError } from "../ebpf/errors";
import { GROUPS as EBPF_GROUPS, type CpuVersion, type Group } from "../ebpf/opcode-table";
import type { Case } from "../harness/case";
import { engineFor } from "../harness/engines";
import { loadCases } from "../harness/load-case";
import { createProgress } from "../harness/progress";
import { formatJson, formatJunit, formatText, summarize } from "../harness/report";
import { replayFileName, toReplayData } from "../harness/replay";
import { anyFailure, collectCaseFiles, compileRegex, runSuite } from "../harness/suite";
import { DEFAULT_TARGETS, parseTargets } from "../harness/targets";
import { isFailure, verdictReason } from "../harness/verdict";
import type { CliIo } from "./io";
import { isDirectory, listFiles, writeOutputFile } from "./io";

export interface ConformanceOptions {
  engine?: string;
  targets?: string;
  default?: boolean;
  json?: boolean;
  junit?: string;
  include?: string;
  exclude?: string;
  groups?: string;
  cpu?: "v1" | "v2" | "v3" | "v4";
  replayDir?: string;
  progress?: boolean;
}

/** The repository root (this file is src/cli/cmd-conformance.ts). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** What `--default` runs: the upstream corpus, the project's cases and the ELF fixtures that exist. */
export function defaultPaths(root = REPO_ROOT): string[] {
  const candidates = [
    path.resolve(root, "../shared/bpf_conformance/tests"),
    path.resolve(root, "conformance/cases"),
    path.resolve(root, "conformance/elf/build"),
  ];
  return candidates.filter((p) => existsSync(p));
}

function parseGroups(list: string): Group[] {
  return list.split(",").map((g) => g.trim()).filter(Boolean).map((g) => {
    if (!(EBPF_GROUPS as readonly string[]).includes(g)) throw new InputError(`unknown group '${g}' (known: ${EBPF_GROUPS.join(", ")})`, { field: "--groups" });
    return g as Group;
  });
}

export function conformanceCommand(io: CliIo, paths: readonly string[], o: ConformanceOptions): number {
  if (o.engine !== undefined && o.targets !== undefined) throw new InputError("give either --engine or --targets, not both", { field: "--engine" });
  // Without --engine/--targets: the reference engine, or the default target set for --default (npm start).
  const targetList = o.targets ?? o.engine ?? (o.default ? DEFAULT_TARGETS : "reference");
  const targets = parseTargets(targetList, o.targets !== undefined ? "--targets" : "--engine");
  const inputs = o.default ? [...defaultPaths(), ...paths] : [...paths];
  if (inputs.length === 0) throw new InputError("no case files or folders given (or use --default)", { field: "conformance" });
  const filter = { include: compileRegex(o.include, "--include"), exclude: compileRegex(o.exclude, "--exclude") };
  const files = collectCaseFiles(inputs, { isDir: isDirectory, list: listFiles }, filter);
  if (files.length === 0) throw new InputError(`no case files (.data, .o) found in ${inputs.join(", ")}${o.include || o.exclude ? " after --include/--exclude" : ""}`, { field: "conformance" });

  const engines = targets.map(engineFor);
  const features = {
    ...(o.groups !== undefined ? { groups: parseGroups(o.groups) } : {}),
    ...(o.cpu !== undefined ? { cpu: Number(o.cpu.slice(1)) as CpuVersion } : {}),
  };
  // Progress per file × engine (ELF sidecars add runs, so the bar can overshoot by a little; it clamps).
  const progress = o.progress === false || o.json ? createProgress(0, { write: () => true }) : createProgress(files.length * engines.length, { isTTY: io.stderrIsTTY, columns: io.stderrColumns, write: (s) => io.writeStderr(s) });
  const failing: { c: Case; target: string; reason: string }[] = [];
  const t0 = performance.now();
  const records = runSuite(files, engines, loadCases, {
    features,
    onRecord: (r, c) => {
      progress.tick(`${r.target} ${r.name}`, isFailure(r.verdict));
      if (isFailure(r.verdict) && o.replayDir) failing.push({ c, target: r.target, reason: `${r.verdict.kind}: ${verdictReason(r.verdict)}` });
    },
  });
  progress.done();
  const seconds = (performance.now() - t0) / 1000;
  const summary = summarize(records);

  if (o.json) io.out(formatJson(summary, records, { targets: targets.map((t) => t.name), inputs, seconds: Math.round(seconds * 1000) / 1000 }));
  else io.out(formatText(summary, { seconds }));
  if (o.junit) writeOutputFile(o.junit, formatJunit(records));
  if (o.replayDir) {
    for (const f of failing) {
      if (f.c.invalid) continue; // nothing to replay: the file itself is malformed
      writeOutputFile(path.join(o.replayDir, replayFileName(f.c, f.target)), toReplayData(f.c, { comments: [`target ${f.target}`, f.reason, `replay: bpf-mips run FILE --target ${f.target}`] }));
    }
  }
  return anyFailure(records) ? 1 : 0;
}
