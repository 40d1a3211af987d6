// The differential JIT engine (issue 4 §3): for a MIPS target, the verifier pipeline (div guards, sdiv −1,
// zext since MIPS needs it, blinding on +hardened) → jitCompile → load into a fresh emulator at the
// reference's addresses (load-image.ts) → run `u64 prog(ctx, len)` with every trip-wire armed → compare
// with the reference interpreter run of the ORIGINAL program in the target's byte order (compare.ts).
// Verdicts: pass | mismatch | trap | jit-error | invalid-case (and skip for a case in the other byte order).
// Owns the native run, its classification and the verdict (static rejections included); does not own
// compiling (compile.ts), the comparison rules (compare.ts), the listing format (listing.ts) nor the memory
// map (load-image.ts). The one JIT + emulator engine: every user reaches it through this module.
import type { Program } from "../ebpf/insn";
import type { MemoryLayout } from "../ebpf/layout";
import { isInputError } from "../ebpf/errors";
import { validateProgram } from "../ebpf/validate";
import type { IsaLevel } from "../mips/levels";
import { verifyProgram } from "../verifier/index";
import { DEFAULT_BUDGET, runReference } from "../reference/index";
import { formatOutcome } from "../../emulator/index";
import type { Outcome } from "../../emulator/index";
import type { JitImage } from "../../jit/index";
import type { Case } from "./case";
import type { Engine } from "./run-case";
import { byteOrderSkip, judgeRejection, rejection } from "./run-case";
import type { MipsTarget } from "./targets";
import type { Observation, Verdict } from "./verdict";
import { compareRuns } from "./compare";
import { formatListing, insnAtPc } from "./listing";
import { loadMachine, readRegions } from "./load-image";
import { compileCase, targetLayout, type CompiledCase, type JitEngineOptions } from "./compile";

export { compileCase, jitOptionsFor, targetLayout, type CompiledCase, type JitEngineOptions } from "./compile";

/** Native MIPS instructions allowed per eBPF instruction of the reference budget (only non-terminating runs use it). */
const NATIVE_BUDGET_FACTOR = 256;
const NATIVE_BUDGET_CAP = 200_000_000;

/** The result of the native side of one case. */
export type NativeResult =
  | { readonly kind: "ran"; readonly obs: Observation; readonly outcome: Outcome }
  | { readonly kind: "trap"; readonly message: string; readonly outcome: Outcome };

const u64 = (hi: number, lo: number): bigint => (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);

/** Run a compiled case on a fresh machine and classify the stop. */
export function runCompiled(cc: CompiledCase, c: Case, target: MipsTarget): NativeResult {
  const named = new Map([...cc.named].map(([k, v]) => [k, v.image] as const));
  const lm = loadMachine({
    level: target.isa, littleEndian: target.littleEndian, nollsc: target.options.includes("nollsc"), layout: cc.layout,
    main: cc.image, named, mem: c.mem, maps: c.maps, programs: c.programs, ...(c.seed !== undefined ? { seed: c.seed } : {}),
  });
  const budget = Math.min(NATIVE_BUDGET_CAP, (c.budget ?? DEFAULT_BUDGET) * NATIVE_BUDGET_FACTOR);
  const o = lm.machine.call(cc.image.entry, {
    sp: lm.sp0,
    args: [{ kind: "ptr", lo: cc.layout.ctx.base }, { kind: "u32", lo: c.mem.length }],
    ret: "u64",
    budget,
  });
  const regions = (): Observation["regions"] => readRegions(lm.machine, cc.layout, c.mem.length, c.maps);
  const base = { helperCalls: lm.env.log, trace: lm.env.trace, insnCount: o.instructions };
  switch (o.kind) {
    case "exit": {
      const r0 = o.ret ? u64(o.ret.hi, o.ret.lo) : 0n;
      return { kind: "ran", outcome: o, obs: { kind: "exit", r0, regions: regions(), ...base } };
    }
    case "budget":
      return { kind: "ran", outcome: o, obs: { kind: "budget", r0: 0n, message: `native budget exceeded: ${budget} MIPS instructions`, regions: regions(), ...base } };
    case "exception":
      // A data access outside the program's regions is the eBPF-level fault the reference reports too;
      // every other exception (RI, XI, fetch errors, Ov, Tr …) is code the program cannot cause.
      if ((o.exception === "AdEL" || o.exception === "AdES") && !o.reason.includes("instruction fetch")) {
        return { kind: "ran", outcome: o, obs: { kind: "fault", r0: 0n, message: formatOutcome(o), regions: regions(), ...base } };
      }
      return { kind: "trap", outcome: o, message: formatOutcome(o) };
    case "host-error":
      if (lm.helperFault !== undefined) return { kind: "ran", outcome: o, obs: { kind: "fault", r0: 0n, message: lm.helperFault, regions: regions(), ...base } };
      return { kind: "trap", outcome: o, message: formatOutcome(o) };
    default:
      return { kind: "trap", outcome: o, message: formatOutcome(o) };
  }
}

/** Listing of every image of a compiled case (the entry program first), optionally around a pc. */
export function listCompiled(cc: CompiledCase, level: IsaLevel, focus?: { pc?: number; context?: number }): string {
  const parts: [string, Program, JitImage][] = [["entry program", cc.prepared, cc.image], ...[...cc.named].map(([n, v]) => [`program '${n}'`, v.prepared, v.image] as [string, Program, JitImage])];
  const out: string[] = [];
  for (const [title, p, img] of parts) {
    const inThis = focus?.pc !== undefined && insnAtPc(img, focus.pc) !== undefined;
    if (focus?.pc !== undefined && !inThis && parts.length > 1) continue;
    const slots = img.insnOffsets.length - 1;
    out.push(formatListing(p, img, level, {
      title: `${title} at 0x${img.codeBase.toString(16)} (${slots} eBPF slots, ${img.words.length} MIPS words)`,
      ...(inThis ? { focusPc: focus!.pc! } : { focusInsn: slots - 1 }),
      ...(focus?.context !== undefined ? { context: focus.context } : {}),
    }));
  }
  return out.join("\n");
}

/**
 * The reference faulted on an access that overruns the context only into its native alignment padding
 * (load-image.ts pads the context to 8 bytes for lwl/lwr): natively mapped, so no fault can be observed.
 */
function paddingAccess(c: Case, layout: MemoryLayout, refMessage: string): string | undefined {
  const m = /of (\d+) bytes at 0x([0-9a-f]+)/.exec(refMessage);
  if (!m) return undefined;
  const size = Number(m[1]);
  const addr = parseInt(m[2]!, 16);
  const end = layout.ctx.base + c.mem.length;
  const padded = layout.ctx.base + Math.ceil(c.mem.length / 8) * 8;
  if (c.mem.length > 0 && addr >= layout.ctx.base && addr < end && addr + size > end && addr + size <= padded) {
    return "the access reaches the context's alignment padding, which is mapped natively";
  }
  return undefined;
}

function verifierRejection(c: Case): string | undefined {
  try {
    verifyProgram(c.program, { maps: [...c.maps] });
    return undefined;
  } catch (e) {
    if (isInputError(e)) return e.message;
    throw e;
  }
}


const LISTING_CONTEXT = 8;

/** Run one case on a MIPS target and judge it against the reference. Never throws for bad input. */
export function runJitCase(c: Case, target: MipsTarget, extra: JitEngineOptions = {}): Verdict {
  if (c.invalid) return { kind: "invalid-case", message: c.invalid.message };
  const wrongOrder = byteOrderSkip(c, target);
  if (wrongOrder) return wrongOrder;
  const rejected = rejection(c, validateProgram);
  if (rejected !== undefined) return judgeRejection(c.expect, rejected);
  let cc: CompiledCase;
  try {
    cc = compileCase(c, target, extra);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    // The reference's admission check (map indices, helper ids …) may reject what validateProgram let
    // through; then the JIT's InputError is the same rejection, not a JIT defect.
    if (isInputError(e)) {
      const ref = runReference(c.program, { layout: targetLayout(target, c.mem.length), mem: c.mem, maps: [...c.maps], programs: { ...c.programs } });
      if (ref.invalid) return judgeRejection(c.expect, ref.message ?? msg);
    }
    return { kind: "jit-error", message: msg };
  }
  const ref = runReference(c.program, {
    layout: cc.layout, mem: c.mem, maps: [...c.maps], programs: { ...c.programs },
    ...(c.budget !== undefined ? { budget: c.budget } : {}), ...(c.seed !== undefined ? { seed: c.seed } : {}),
  });
  if (ref.invalid) return judgeRejection(c.expect, ref.message ?? "program rejected");
  let nat: NativeResult;
  try {
    nat = runCompiled(cc, c, target);
  } catch (e) {
    // Loading failed (e.g. a layout overlap): a harness defect for this case, reported as a trap.
    return { kind: "trap", message: `loading the image failed: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (nat.kind === "trap") {
    const at = insnAtPc(cc.image, nat.outcome.pc);
    const where = at !== undefined && at >= 0 && at < cc.image.insnOffsets.length - 1 ? ` [eBPF insn ${at}]` : "";
    return { kind: "trap", message: nat.message + where, listing: listCompiled(cc, target.isa, { pc: nat.outcome.pc, context: LISTING_CONTEXT }) };
  }
  if (ref.kind === "fault" && nat.obs.kind !== "fault") {
    // A JIT only ever sees verified programs: where the reference faults (stack below the frame, call
    // depth 9, a store to a map object) and the Linux verifier (src/verifier) refuses the program, the
    // native access may legitimately land in the JIT's own frame, so the refusal is the verdict.
    const pad = paddingAccess(c, cc.layout, ref.message ?? "");
    if (pad !== undefined) return { kind: "pass", note: `the reference faults (${ref.message}); natively not observable: ${pad}` };
    const why = verifierRejection(c);
    if (why !== undefined) return { kind: "pass", note: `the reference faults (${ref.message ?? "fault"}) and the verifier rejects the program: ${why}` };
  }
  const diff = compareRuns(ref, nat.obs);
  if (diff) {
    const pc = nat.obs.kind === "fault" ? nat.outcome.pc : undefined;
    return {
      kind: "mismatch", what: diff.what, message: diff.message, observed: nat.obs,
      listing: listCompiled(cc, target.isa, { ...(pc !== undefined ? { pc } : {}), context: LISTING_CONTEXT }),
    };
  }
  return { kind: "pass", observed: nat.obs };
}

/** Is the 32-bit (o32) backend the one for this target? The 64-bit backend is a later issue (jit/index.ts). */
export const hasJitBackend = (t: MipsTarget): boolean => t.addressBits === 32;

export const NO_64BIT_BACKEND = "the 64-bit (n64) JIT backend is a later issue: jit/ compiles only MIPS I, II and MIPS32 (r1/r2/r6)";

/** The engine for a MIPS target. */
export function jitEngine(target: MipsTarget, extra: JitEngineOptions = {}): Engine {
  if (!hasJitBackend(target)) return { name: target.name, target, run: () => ({ kind: "skip", reason: NO_64BIT_BACKEND }) };
  return { name: target.name, target, run: (c) => runJitCase(c, target, extra) };
}
