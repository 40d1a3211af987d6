// Reports of a conformance run: the summary counts, the text table, the JSON document (`--json`) and JUnit
// XML (`--junit FILE`). Owns the report formats and their counting rules (pass = passed; skip = skipped;
// every other verdict = failed). Does not run cases (suite.ts) nor write replay files (replay.ts).
import type { Verdict } from "./verdict";
import { isFailure, verdictReason } from "./verdict";

/** One case run on one target. */
export interface RunRecord {
  readonly name: string;
  readonly file: string;
  readonly target: string;
  readonly verdict: Verdict;
  readonly ms: number;
}

export interface Counts {
  total: number;
  passed: number;
  failed: number;
  skipped: number;
}

export interface FailureEntry {
  readonly file: string;
  readonly name: string;
  readonly target: string;
  readonly kind: Verdict["kind"];
  readonly reason: string;
  readonly listing?: string;
}

export interface Summary extends Counts {
  readonly failures: FailureEntry[];
  readonly byTarget: Record<string, Counts>;
  /** Skip reasons with how many cases each one skipped, so a skip is never silent. */
  readonly skipReasons: Record<string, number>;
}

const zero = (): Counts => ({ total: 0, passed: 0, failed: 0, skipped: 0 });

function count(c: Counts, v: Verdict): void {
  c.total++;
  if (v.kind === "pass") c.passed++;
  else if (v.kind === "skip") c.skipped++;
  else c.failed++;
}

export function summarize(records: readonly RunRecord[]): Summary {
  const all = zero();
  const byTarget: Record<string, Counts> = {};
  const failures: FailureEntry[] = [];
  const skipReasons: Record<string, number> = {};
  for (const r of records) {
    count(all, r.verdict);
    count((byTarget[r.target] ??= zero()), r.verdict);
    if (r.verdict.kind === "skip") skipReasons[r.verdict.reason] = (skipReasons[r.verdict.reason] ?? 0) + 1;
    if (isFailure(r.verdict)) {
      const listing = "listing" in r.verdict ? r.verdict.listing : undefined;
      failures.push({ file: r.file, name: r.name, target: r.target, kind: r.verdict.kind, reason: verdictReason(r.verdict), ...(listing ? { listing } : {}) });
    }
  }
  return { ...all, failures, byTarget, skipReasons };
}

function pad(s: string, n: number, right = false): string {
  return right ? s.padStart(n) : s.padEnd(n);
}

/** The summary table (one row per target, then a total row), the failures and the skip reasons. */
export function formatText(summary: Summary, opts: { maxFailures?: number; seconds?: number } = {}): string {
  const rows: [string, Counts][] = Object.entries(summary.byTarget);
  if (rows.length !== 1) rows.push(["total", summary]);
  const w = Math.max(6, ...rows.map(([t]) => t.length));
  const head = `${pad("target", w)}  ${pad("total", 7, true)}  ${pad("passed", 7, true)}  ${pad("failed", 7, true)}  ${pad("skipped", 7, true)}`;
  const lines = [head, "-".repeat(head.length)];
  for (const [t, c] of rows) {
    lines.push(`${pad(t, w)}  ${pad(String(c.total), 7, true)}  ${pad(String(c.passed), 7, true)}  ${pad(String(c.failed), 7, true)}  ${pad(String(c.skipped), 7, true)}`);
  }
  const max = opts.maxFailures ?? 50;
  if (summary.failures.length > 0) {
    lines.push("", `failures (${summary.failures.length}):`);
    for (const f of summary.failures.slice(0, max)) lines.push(`  [${f.target}] ${f.name}: ${f.kind}: ${f.reason}`);
    if (summary.failures.length > max) lines.push(`  … and ${summary.failures.length - max} more (use --json for all)`);
  }
  const skips = Object.entries(summary.skipReasons);
  if (skips.length > 0) {
    lines.push("", "skipped:");
    for (const [reason, n] of skips) lines.push(`  ${n} × ${reason}`);
  }
  const verdict = summary.failed === 0 ? "OK" : "FAILED";
  lines.push("", `${verdict}: ${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped of ${summary.total}${opts.seconds !== undefined ? ` in ${opts.seconds.toFixed(1)} s` : ""}`);
  return lines.join("\n") + "\n";
}

/** The `--json` document: one object, summary first, then every result. */
export function formatJson(summary: Summary, records: readonly RunRecord[], extra: Record<string, unknown> = {}): string {
  const doc = {
    ...extra,
    summary: {
      total: summary.total,
      passed: summary.passed,
      failed: summary.failed,
      skipped: summary.skipped,
      failures: summary.failures,
      byTarget: summary.byTarget,
      skipReasons: summary.skipReasons,
    },
    results: records.map((r) => ({
      name: r.name,
      file: r.file,
      target: r.target,
      verdict: r.verdict.kind,
      ...(r.verdict.kind === "mismatch" ? { what: r.verdict.what } : {}),
      ...(r.verdict.kind !== "pass" || r.verdict.note ? { reason: verdictReason(r.verdict) } : {}),
      ms: Math.round(r.ms * 1000) / 1000,
    })),
  };
  return JSON.stringify(doc, null, 2) + "\n";
}

const XML_ESC: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };
/** Escape for XML text and attributes; characters XML 1.0 forbids are replaced by U+FFFD. */
export function xmlEscape(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[&<>"']/g, (c) => XML_ESC[c]).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "\ufffd");
}

/**
 * JUnit XML (the de-facto schema read by Jenkins, GitLab and GitHub test reporters): one <testsuite> per
 * target, one <testcase> per case. Mismatches, traps and JIT errors are <failure>s (the code under test is
 * wrong); invalid cases are <error>s (the input is wrong); skips are <skipped>.
 */
export function formatJunit(records: readonly RunRecord[], suiteName = "bpf-mips"): string {
  const byTarget = new Map<string, RunRecord[]>();
  for (const r of records) {
    let list = byTarget.get(r.target);
    if (!list) byTarget.set(r.target, (list = []));
    list.push(r);
  }
  const secs = (ms: number): string => (ms / 1000).toFixed(3);
  const totals = { tests: 0, failures: 0, errors: 0, skipped: 0, ms: 0 };
  const suites: string[] = [];
  for (const [target, list] of byTarget) {
    const t = { tests: 0, failures: 0, errors: 0, skipped: 0, ms: 0 };
    const cases: string[] = [];
    for (const r of list) {
      t.tests++;
      t.ms += r.ms;
      const v = r.verdict;
      const open = `    <testcase name="${xmlEscape(r.name)}" classname="${xmlEscape(`${suiteName}.${target}`)}" file="${xmlEscape(r.file)}" time="${secs(r.ms)}"`;
      if (v.kind === "pass") {
        cases.push(`${open}/>`);
        continue;
      }
      const reason = verdictReason(v);
      let body: string;
      if (v.kind === "skip") {
        t.skipped++;
        body = `      <skipped message="${xmlEscape(reason)}"/>`;
      } else if (v.kind === "invalid-case") {
        t.errors++;
        body = `      <error type="invalid-case" message="${xmlEscape(reason)}"/>`;
      } else {
        t.failures++;
        const listing = "listing" in v && v.listing ? v.listing : "";
        body = `      <failure type="${v.kind}" message="${xmlEscape(reason)}">${xmlEscape(listing || reason)}</failure>`;
      }
      cases.push(`${open}>\n${body}\n    </testcase>`);
    }
    totals.tests += t.tests;
    totals.failures += t.failures;
    totals.errors += t.errors;
    totals.skipped += t.skipped;
    totals.ms += t.ms;
    suites.push(
      `  <testsuite name="${xmlEscape(target)}" tests="${t.tests}" failures="${t.failures}" errors="${t.errors}" skipped="${t.skipped}" time="${secs(t.ms)}">\n${cases.join("\n")}\n  </testsuite>`,
    );
  }
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites name="${xmlEscape(suiteName)}" tests="${totals.tests}" failures="${totals.failures}" errors="${totals.errors}" skipped="${totals.skipped}" time="${secs(totals.ms)}">\n` +
    suites.join("\n") +
    (suites.length ? "\n" : "") +
    `</testsuites>\n`
  );
}
