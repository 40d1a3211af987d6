// `bpf-mips run <case> [--target T] [--json] [--trace]`: one case file (every run of an ELF sidecar) on one
// engine, with the verdict, R0 and (on request) the helper calls and trace. Replays the .data files the
// harness writes for failures.
import path from "node:path";
import { InputError } from "../ebpf/errors";
import { engineFor } from "../harness/engines";
import { loadCasesStrict } from "../harness/load-case";
import { describeExpectation } from "../harness/case";
import { parseTarget } from "../harness/targets";
import { hex64, isFailure, verdictReason, type Verdict } from "../harness/verdict";
import type { CliIo } from "./io";

const jsonBig = (_k: string, v: unknown): unknown => (typeof v === "bigint" ? hex64(v) : v);

export function runCommand(io: CliIo, file: string, o: { target: string; json?: boolean; trace?: boolean }): number {
  const target = parseTarget(o.target, "--target");
  const cases = loadCasesStrict({ file, name: path.basename(file) });
  const engine = engineFor(target);
  const results: { name: string; expect: string; verdict: Verdict }[] = [];
  for (const c of cases) results.push({ name: c.name, expect: describeExpectation(target.littleEndian ? c.expect : (c.expectBigEndian ?? c.expect)), verdict: engine.run(c) });

  if (o.json) {
    const doc = results.map(({ name, expect, verdict: v }) => {
      const obs = v.kind === "pass" || v.kind === "mismatch" ? v.observed : undefined;
      return {
        case: name, file, target: target.name, expect, verdict: v.kind,
        ...(v.kind !== "pass" || v.note ? { reason: verdictReason(v) } : {}),
        ...(obs ? { exit: obs.kind, r0: obs.r0, ...(obs.message ? { message: obs.message } : {}), insnCount: obs.insnCount } : {}),
        ...(obs && o.trace ? { helperCalls: obs.helperCalls, trace: obs.trace ?? [] } : {}),
        ...("listing" in v && v.listing ? { listing: v.listing } : {}),
      };
    });
    io.out(JSON.stringify(doc.length === 1 ? doc[0] : doc, jsonBig, 2) + "\n");
  } else {
    for (const { name, expect, verdict: v } of results) {
      const obs = v.kind === "pass" || v.kind === "mismatch" ? v.observed : undefined;
      io.out(`${name} on ${target.name}: ${v.kind.toUpperCase()}${v.kind === "pass" && !v.note ? "" : ` — ${verdictReason(v)}`}\n`);
      io.out(`  expected: ${expect}\n`);
      if (obs) {
        const ended = obs.kind === "exit" ? `exit, r0 = ${hex64(obs.r0)} (${BigInt.asIntN(64, obs.r0)})` : `${obs.kind}${obs.message ? `: ${obs.message}` : ""}`;
        io.out(`  got:      ${ended}${obs.insnCount !== undefined ? `, ${obs.insnCount} instructions` : ""}\n`);
        if (o.trace) {
          for (const c of obs.helperCalls) io.out(`  call ${c.name}(${c.args.map(hex64).join(", ")}) = ${hex64(c.ret)}\n`);
          for (const t of obs.trace ?? []) io.out(`  trace: ${t}\n`);
        }
      }
      if ("listing" in v && v.listing) io.out(v.listing.replace(/^/gm, "  ") + "\n");
    }
  }
  if (results.some((r) => r.verdict.kind === "invalid-case")) {
    const bad = results.find((r) => r.verdict.kind === "invalid-case")!;
    if (!o.json) throw new InputError(verdictReason(bad.verdict));
    return 2;
  }
  return results.some((r) => isFailure(r.verdict) || r.verdict.kind === "skip") ? 1 : 0;
}
