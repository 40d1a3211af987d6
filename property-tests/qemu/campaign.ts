// The QEMU differential campaign (issue 3 §7): random bodies from the ISA table, packed into one static
// executable per batch, run under qemu-user and under our emulator (`runElfExecutable`, as `bpf-mips emu`
// runs it), compared byte for byte on the dumped registers, HI/LO and scratch memory.
//
// What is excluded, and why (mips-isa.md §4.1, §5.1): our emulator runs first, with every trip-wire armed;
// a slot in which it stops — an UNPREDICTABLE case QEMU does not model (non-sign-extended 32-bit operands,
// HI/LO hazards, divide by zero, …) or an exception that would end QEMU's process (overflow, address
// error) — is neutralised (body replaced by nops, addresses unchanged) and counted by reason. MIPS I's load
// delay is not a profile: QEMU has no MIPS I model. Everything that remains must match exactly.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runElfExecutable } from "../../emulator";
import { disassemble } from "../../src/mips";
import { buildProgram, inDumpPart, randomRegs, slotOfPc, MAX_BODY, CODE_BASE } from "./harness-program";
import type { Layout, Slot } from "./harness-program";
import type { Profile } from "./profiles";
import { rng } from "./rng";
import { eligibleRows, randomBody, SCRATCH_BYTES } from "./sequences";

export interface CampaignResult {
  profile: string;
  seed: number;
  generated: number;
  compared: number;
  /** Neutralised slots by reason (trip-wire name or exception code). */
  excluded: Record<string, number>;
  /** The same, split by the mnemonic of the stopping instruction ("hilo: mfhi"). */
  excludedBy: Record<string, number>;
  /** Compared sequences with one register left uncompared (UNPREDICTABLE after the body), by reason. */
  partial: Record<string, number>;
  mismatches: string[];
}

export function qemuAvailable(p: Profile): boolean {
  const r = spawnSync(p.qemu, ["--version"], { encoding: "utf8" });
  return r.status === 0;
}

function excludeReason(res: ReturnType<typeof runElfExecutable>): string {
  if (res.kind === "exit") return `exit status ${res.exitCode}`;
  const o = res.outcome;
  return o.tripwire ?? o.exception ?? o.kind;
}

/**
 * Generates batches of `batch` sequences until `count` sequences have been compared (excluded ones do not
 * count); returns the counts and a description of every mismatch.
 */
export function runCampaign(p: Profile, count: number, seed: number, batch = 100): CampaignResult {
  const result: CampaignResult = { profile: p.name, seed, generated: 0, compared: 0, excluded: {}, excludedBy: {}, partial: {}, mismatches: [] };
  const rows = eligibleRows(p.level);
  const r = rng(seed);
  const dir = mkdtempSync(join(tmpdir(), "bpf-mips-qemu-"));
  try {
    while (result.compared < count) {
      const n = Math.min(batch, count - result.compared);
      const slots: Slot[] = Array.from({ length: n }, () => ({
        body: randomBody(r, rows, 1 + r.int(MAX_BODY)).map((b) => b.word),
        regs: randomRegs(r, p.level),
        scratch: Uint8Array.from({ length: SCRATCH_BYTES }, () => r.int(256)),
      }));
      result.generated += n;
      let built = buildProgram(p.level, p.littleEndian, slots);
      // Filter: rebuild until our emulator runs the whole program to exit(0).
      for (let guard = 0; ; guard++) {
        const ours = runElfExecutable(built.elf, { isa: p.level, budget: 50_000_000 });
        if (ours.kind === "exit" && ours.exitCode === 0) {
          const theirs = runQemu(p, built.elf, dir);
          if (theirs.ok) {
            compareDumps(p, slots, built.layout, ours.stdout, theirs.stdout, result);
            break;
          }
          // QEMU stopped (a signal) where our emulator ran on: find the slot, report it, neutralise it.
          const k = culpritSlot(p, slots, dir);
          const at = culpritInsn(p, slots, k, dir);
          result.mismatches.push(
            `${p.name} slot ${k}: emulator ran it, qemu stopped (${theirs.why}) at body instruction ${at}:\n${listing(p, slots[k]!)}`,
          );
          slots[k]!.body = [];
          built = buildProgram(p.level, p.littleEndian, slots);
          continue;
        }
        const pc = ours.kind === "stopped" ? ours.outcome.pc : -1;
        const k = slotOfPc(built.layout, pc, slots.length);
        if (k < 0 || slots[k]!.body.length === 0 || guard > 4 * n) {
          throw new Error(`qemu-diff ${p.name} seed ${seed}: emulator stopped outside a body: ${ours.kind === "stopped" ? ours.line : excludeReason(ours)}`);
        }
        // The body ran, but left a register UNPREDICTABLE and the dump read it: skip that register only.
        const why = excludeReason(ours);
        const reg = ours.kind === "stopped" && inDumpPart(built.layout, pc) ? undefinedRegister(ours.outcome) : -1;
        if (reg > 0 && !(slots[k]!.skip ?? []).includes(reg)) {
          (slots[k]!.skip ??= []).push(reg);
          const what = `${why}: ${reg === 32 ? "HI" : reg === 33 ? "LO" : "GPR"} not compared`;
          result.partial[what] = (result.partial[what] ?? 0) + 1;
          built = buildProgram(p.level, p.littleEndian, slots);
          continue;
        }
        result.excluded[why] = (result.excluded[why] ?? 0) + 1;
        const by = `${why}: ${ours.kind === "stopped" ? ours.outcome.disasm.split(/\s/)[0] : "?"}`;
        result.excludedBy[by] = (result.excludedBy[by] ?? 0) + 1;
        slots[k]!.body = [];
        built = buildProgram(p.level, p.littleEndian, slots);
      }
      result.compared += slots.filter((s) => s.body.length > 0).length;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return result;
}

/** The register a dump-part stop names: HI/LO for an UNPREDICTABLE mfhi/mflo, the stored GPR for poison. */
function undefinedRegister(o: { tripwire?: string; disasm: string; register?: string }): number {
  if (o.tripwire === "hilo") return o.disasm.startsWith("mfhi") ? 32 : o.disasm.startsWith("mflo") ? 33 : -1;
  if (o.tripwire === "poison") {
    const m = /\(\$(\d+)\)/.exec(o.register ?? "");
    return m ? Number(m[1]) : -1;
  }
  return -1;
}

type QemuRun = { ok: true; stdout: Uint8Array } | { ok: false; why: string };

function runQemu(p: Profile, elf: Uint8Array, dir: string): QemuRun {
  const file = join(dir, "prog");
  writeFileSync(file, elf, { mode: 0o755 });
  const res = spawnSync(p.qemu, ["-cpu", p.cpu, file], { maxBuffer: 1 << 28 });
  if (res.error) throw new Error(`qemu-diff ${p.name}: cannot run ${p.qemu}: ${res.error.message}`);
  if (res.status === 0) return { ok: true, stdout: new Uint8Array(res.stdout) };
  return { ok: false, why: `${res.signal ?? "exit " + res.status}: ${res.stderr.toString().trim().split("\n")[0]}` };
}

/** Bisect: the first slot whose body, alone with the bodies before it, makes QEMU stop. */
function culpritSlot(p: Profile, slots: Slot[], dir: string): number {
  const keep = slots.map((s) => s.body);
  const runPrefix = (n: number): boolean => {
    const trial = slots.map((s, i) => ({ ...s, body: i < n ? keep[i]! : [] }));
    return runQemu(p, buildProgram(p.level, p.littleEndian, trial).elf, dir).ok;
  };
  let lo = 0, hi = slots.length; // runPrefix(lo) ok, runPrefix(hi) fails
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (runPrefix(mid)) lo = mid; else hi = mid;
  }
  return hi - 1;
}

/** Within slot k (all later slots neutralised): the first body instruction whose inclusion makes QEMU stop. */
function culpritInsn(p: Profile, slots: Slot[], k: number, dir: string): number {
  const body = slots[k]!.body;
  for (let n = 1; n <= body.length; n++) {
    const trial = slots.map((s, i) => ({ ...s, body: i < k ? s.body : i === k ? body.slice(0, n) : [] }));
    if (!runQemu(p, buildProgram(p.level, p.littleEndian, trial).elf, dir).ok) return n - 1;
  }
  return -1;
}

function listing(p: Profile, s: Slot): string {
  return s.body.map((w) => `    ${(w >>> 0).toString(16).padStart(8, "0")}  ${disassemble(w, CODE_BASE, p.level)}`).join("\n");
}

const REG_NAMES = ["zero", "at", "v0", "v1", "a0", "a1", "a2", "a3", "t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7",
  "s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "t8", "t9", "k0", "k1", "gp", "sp", "fp", "ra", "hi", "lo"];

function compareDumps(p: Profile, slots: Slot[], L: Layout, ours: Uint8Array, theirs: Uint8Array, out: CampaignResult): void {
  if (ours.length !== theirs.length) {
    out.mismatches.push(`${p.name}: output length ${ours.length} (emulator) vs ${theirs.length} (qemu)`);
    return;
  }
  // Values, not memory bytes: read each word in the target's byte order.
  const hex = (b: Uint8Array, o: number, n: number): string => {
    const bytes = Array.from(b.subarray(o, o + n), (x) => x.toString(16).padStart(2, "0"));
    return (p.littleEndian ? bytes.reverse() : bytes).join("");
  };
  for (let i = 0; i < slots.length; i++) {
    const base = i * L.outputStride;
    const diffs: string[] = [];
    for (let o = 0; o < SCRATCH_BYTES; o += 8) {
      if (hex(ours, base + o, 8) !== hex(theirs, base + o, 8)) diffs.push(`scratch+${o}: ${hex(ours, base + o, 8)} vs ${hex(theirs, base + o, 8)}`);
    }
    for (let reg = 1; reg < 34; reg++) {
      const o = base + SCRATCH_BYTES + reg * L.wordBytes;
      if (hex(ours, o, L.wordBytes) !== hex(theirs, o, L.wordBytes)) {
        diffs.push(`$${REG_NAMES[reg]}: ${hex(ours, o, L.wordBytes)} (emulator) vs ${hex(theirs, o, L.wordBytes)} (qemu)`);
      }
    }
    if (diffs.length > 0) {
      const s = slots[i]!;
      const init = s.regs.map(([hi, lo], k) => `${REG_NAMES[k]}=${L.wordBytes === 8 ? hi.toString(16) + ":" : ""}${lo.toString(16)}`).join(" ");
      out.mismatches.push(`${p.name} slot ${i}:\n${listing(p, s)}\n  initial: ${init}\n  ${diffs.join("\n  ")}`);
    }
  }
}
