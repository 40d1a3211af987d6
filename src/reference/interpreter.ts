// The reference eBPF interpreter: runs the ORIGINAL program with RFC 9669 semantics and reports R0, the
// final contents of every writable region, the helper-call log and the trace. Owns the run loop, entry
// state, the instruction budget and result assembly; instruction meaning is in compile.ts/semantics.ts,
// memory in memory.ts, helpers and maps in helpers.ts/maps.ts. Never throws for any program or input.
import type { Program } from "../ebpf/insn";
import { BPF_STACK_SIZE } from "../ebpf/insn";
import type { MemoryLayout } from "../ebpf/layout";
import type { MapDef } from "../ebpf/maps";
import { placeMaps } from "../ebpf/layout";
import { isInputError } from "../ebpf/errors";
import type { ExtraRegion } from "./memory";
import { planRegions, RegionMemory } from "./memory";
import { createMapState } from "./maps";
import type { HelperCall } from "./helpers";
import { createHelperEnv } from "./helpers";
import { checkProgram } from "./validate";
import { compile, EXIT, Machine, SWITCH } from "./compile";

export type { HelperCall } from "./helpers";

export interface ReferenceOptions {
  readonly layout: MemoryLayout;
  /** Context contents: R1 = layout.ctx.base, R2 = mem.length at entry. */
  readonly mem: Uint8Array;
  readonly maps?: readonly MapDef[];
  /** prog_array targets by name. */
  readonly programs?: Readonly<Record<string, Program>>;
  /** Instruction budget (default 1_000_000); exceeding it ends the run with kind "budget". */
  readonly budget?: number;
  /** Seed of get_prandom_u32's xorshift32 stream. */
  readonly seed?: number;
  /** Additional regions (read-only data by default) at caller-chosen addresses. */
  readonly extraRegions?: readonly ExtraRegion[];
}

export interface ResultRegion {
  readonly name: string;
  readonly base: number;
  readonly bytes: Uint8Array;
}

export interface ReferenceResult {
  readonly kind: "exit" | "fault" | "budget";
  /** R0 as u64 (at exit; the current R0 for faults and budget). */
  readonly r0: bigint;
  readonly message?: string;
  /** True when the program (or a named program or map init) was rejected before running. */
  readonly invalid?: boolean;
  /** Instructions started, including the final EXIT or the faulting instruction; LD_IMM64 counts 1. */
  readonly insnCount: number;
  /** Final contents of every writable region: ctx, stack frames 0..deepest used, map values. */
  readonly regions: ResultRegion[];
  readonly helperCalls: HelperCall[];
  readonly trace: string[];
  readonly tailCalls: number;
  /** Deepest bpf-to-bpf call depth reached (0 = never called). */
  readonly maxDepth: number;
}

export const DEFAULT_BUDGET = 1_000_000;

export function runReference(program: Program, opts: ReferenceOptions): ReferenceResult {
  try {
    return run(program, opts);
  } catch (e) {
    // Reaching here is a bug in the reference, not in the input: report it as a fault, never throw.
    const msg = e instanceof Error ? e.message : String(e);
    return {
      kind: "fault", r0: 0n, message: isInputError(e) ? msg : `internal error: ${msg}`, invalid: isInputError(e),
      insnCount: 0, regions: [], helperCalls: [], trace: [], tailCalls: 0, maxDepth: 0,
    };
  }
}

function run(program: Program, opts: ReferenceOptions): ReferenceResult {
  const { layout } = opts;
  const defs = opts.maps ?? [];
  const programs = opts.programs ?? {};
  const budget = opts.budget ?? DEFAULT_BUDGET;
  const placements = placeMaps(layout, defs);
  const mem = new RegionMemory(planRegions(layout, opts.mem.length, defs), layout.littleEndian, opts.extraRegions);
  mem.poke(layout.ctx.base, opts.mem);
  const invalid = (message: string): ReferenceResult => ({
    kind: "fault", r0: 0n, message, invalid: true, insnCount: 0, regions: [], helperCalls: [], trace: [], tailCalls: 0, maxDepth: 0,
  });

  // Frames must not overlap (layout.ts: frameStride ≥ 512), or one call level would corrupt another's stack.
  if (!(layout.frameStride >= BPF_STACK_SIZE)) return invalid(`layout.frameStride ${layout.frameStride} is below the 512-byte stack`);
  const vctx = {
    mapCount: defs.length,
    mapValueSize: (i: number): number | undefined => (defs[i]?.type === "array" ? placements[i].valuesSize : undefined),
  };
  // validate.ts: src/ebpf's structural validator, then what the reference needs to give every slot a meaning.
  const admit = (p: Program): string | undefined => checkProgram(p, vctx);
  const why = admit(program);
  if (why !== undefined) return invalid(why);
  for (const [name, p] of Object.entries(programs)) {
    const w = admit(p);
    if (w !== undefined) return invalid(`program "${name}": ${w}`);
  }
  let maps;
  try {
    maps = createMapState(layout, defs, mem, programs);
  } catch (e) {
    if (isInputError(e)) return invalid(e.message);
    throw e;
  }

  const env = createHelperEnv(mem, maps, opts.seed ?? 0);
  const m = new Machine(layout, mem, env, placements);
  for (const [name, p] of Object.entries(programs)) m.programs.set(name, compile(m, name, p));
  m.code = compile(m, "", program);
  const r = m.r;
  r[1] = BigInt(layout.ctx.base);
  r[2] = BigInt(opts.mem.length);
  r[10] = BigInt(layout.stackTop);

  let steps = m.code.steps;
  let pc = 0;
  let n = 0;
  let kind: ReferenceResult["kind"];
  for (;;) {
    if (n >= budget) { kind = "budget"; break; }
    n++;
    const next = steps[pc]();
    if (next >= 0) { pc = next; continue; }
    if (next === SWITCH) { steps = m.code.steps; pc = m.pc; continue; }
    kind = next === EXIT ? "exit" : "fault";
    break;
  }

  const regions: ResultRegion[] = [];
  for (const reg of mem.regions) {
    if (!reg.writable) continue;
    if (reg.kind === "stack" && (reg.depth ?? 0) > m.maxDepth) continue;
    regions.push({ name: reg.name, base: reg.base, bytes: reg.bytes.slice() });
  }
  const message = kind === "fault" ? m.fault : kind === "budget" ? `budget exceeded: ${budget} instructions` : undefined;
  return {
    kind, r0: r[0], ...(message !== undefined ? { message } : {}), insnCount: n, regions,
    helperCalls: env.log, trace: env.trace, tailCalls: m.tailCalls, maxDepth: m.maxDepth,
  };
}
