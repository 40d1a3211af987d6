// Running many cases on many engines: collecting case files from files and folders, --include/--exclude,
// bpf_conformance's group/cpu-version filtering (ebpf-semantics.md §4.4) and the run loop that produces
// RunRecords for the reports. Does not parse case files (load-case.ts) or judge runs (run-case.ts).
import path from "node:path";
import { InputError } from "../ebpf/errors";
import { listInstructionVariants } from "../ebpf/validate";
import type { CpuVersion, Group } from "../ebpf/opcode-table";
import type { Case } from "./case";
import type { Engine } from "./run-case";
import type { RunRecord } from "./report";
import type { Verdict } from "./verdict";
import { isFailure } from "./verdict";

/** One case file to run, with the name reports use (relative to the folder it was found in). */
export interface CaseFile {
  readonly file: string;
  readonly name: string;
}

/** File extensions a folder scan picks up: bpf_conformance/project cases and ELF objects. */
export const CASE_EXTENSIONS = [".data", ".o"] as const;

export interface Filter {
  readonly include?: RegExp;
  readonly exclude?: RegExp;
}

/** Compile a --include/--exclude pattern, with the flag named in the error. */
export function compileRegex(source: string | undefined, flag: string): RegExp | undefined {
  if (source === undefined) return undefined;
  try {
    return new RegExp(source);
  } catch (e) {
    throw new InputError(`invalid regular expression '${source}': ${(e as Error).message.replace(/^Invalid regular expression: /, "")}`, { field: flag });
  }
}

/**
 * Expand files and folders to case files. Folders are scanned recursively for CASE_EXTENSIONS; files are
 * taken as given. `isDir` and `list` are injected (src/cli/io.ts) so this stays pure. A name matches the
 * filter on its path relative to the folder given (as bpf_conformance's --include_regex matches names).
 */
export function collectCaseFiles(
  inputs: readonly string[],
  fs: { isDir(p: string): boolean; list(dir: string, exts: readonly string[]): string[] },
  filter: Filter = {},
): CaseFile[] {
  const out: CaseFile[] = [];
  const seen = new Set<string>();
  for (const input of inputs) {
    const found: CaseFile[] = fs.isDir(input)
      ? fs.list(input, CASE_EXTENSIONS).map((f) => ({ file: f, name: path.relative(input, f) }))
      : [{ file: input, name: path.basename(input) }];
    for (const cf of found) {
      const key = path.resolve(cf.file);
      if (seen.has(key)) continue;
      if (filter.include && !filter.include.test(cf.name)) continue;
      if (filter.exclude && filter.exclude.test(cf.name)) continue;
      seen.add(key);
      out.push(cf);
    }
  }
  return out;
}

/** bpf_conformance's filter: skip a case needing a higher cpu version or a group outside the selection. */
export interface FeatureFilter {
  readonly groups?: readonly Group[];
  readonly cpu?: CpuVersion;
}

export function featureSkip(c: Case, f: FeatureFilter): Verdict | undefined {
  if (c.invalid || (f.groups === undefined && f.cpu === undefined)) return undefined;
  const inv = listInstructionVariants(c.program);
  if (f.cpu !== undefined && inv.cpu > f.cpu) return { kind: "skip", reason: `needs cpu v${inv.cpu} (selected v${f.cpu})` };
  if (f.groups) {
    const missing = inv.groups.filter((g) => !f.groups!.includes(g));
    if (missing.length > 0) return { kind: "skip", reason: `needs group ${missing.join(", ")} (not selected)` };
  }
  return undefined;
}

export interface RunSuiteOptions {
  readonly features?: FeatureFilter;
  /** Called after every record (progress bar, streaming output). */
  readonly onRecord?: (r: RunRecord, c: Case) => void;
  readonly now?: () => number;
}

/**
 * Run every case of every file on every engine. `load` turns one file into its cases (an ELF object can
 * hold several programs); it reports malformed files as invalid cases rather than throwing, so one bad file
 * never stops a suite.
 */
export function runSuite(files: readonly CaseFile[], engines: readonly Engine[], load: (cf: CaseFile) => Case[], opts: RunSuiteOptions = {}): RunRecord[] {
  const now = opts.now ?? (() => performance.now());
  const records: RunRecord[] = [];
  for (const cf of files) {
    const cases = load(cf);
    for (const c of cases) {
      const skip = opts.features ? featureSkip(c, opts.features) : undefined;
      for (const e of engines) {
        const t0 = now();
        const verdict = skip ?? e.run(c);
        const rec: RunRecord = { name: c.name, file: c.file, target: e.name, verdict, ms: now() - t0 };
        records.push(rec);
        opts.onRecord?.(rec, c);
      }
    }
  }
  return records;
}

export const anyFailure = (records: readonly RunRecord[]): boolean => records.some((r) => isFailure(r.verdict));
