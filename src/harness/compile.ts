// Compiling a case for a MIPS target (issue 4 §3): the target's layout (Loongson-2F moves the helper
// trampolines), the target → JitOptions mapping, the verifier pipeline (div guards, sdiv −1, zext since MIPS
// needs it, blinding on +hardened with a chosen seed) and jitCompile for the entry program and every named
// program, at the code addresses load-image.ts maps. Owns the engine options (fault injection, blinding
// seed, a pre-computed pipeline output). Does not load, run or judge (jit-engine.ts).
import type { Program } from "../ebpf/insn";
import { defaultLayout, type MemoryLayout } from "../ebpf/layout";
import { pipeline } from "../verifier/index";
import { jitCompile } from "../../jit/index";
import type { JitImage, JitOptions } from "../../jit/index";
import type { Case } from "./case";
import type { MipsTarget } from "./targets";
import { nextCodeBase } from "./load-image";

/** Engine options beyond the target. */
export interface JitEngineOptions {
  /** Test-only fault injection (property-tests/mutations): JitOptions.mutations, checked at a handful of points in jit/. */
  readonly mutations?: JitOptions["mutations"];
  /** Seed of constant blinding on +hardened targets (default: the case's seed, else 1). */
  readonly blindSeed?: number;
  /** The entry program already through the verifier pipeline for this target (sweeps reuse it across targets). */
  readonly prepared?: Program;
  /** Test-only fault injection after compiling: change the entry image's words (src/harness tests). */
  readonly patch?: (words: Uint32Array, cc: CompiledCase) => void;
}

/** Loongson-2F masks register-jump targets with ~0x30000000 (mips-isa.md §8): helpers must sit where bits 28–29 are 0. */
const LOONGSON2F_HELPER_BASE = 0x4e00_0000;

/** The shared layout for a target before the JIT reports its frame stride. */
export function targetLayout(target: MipsTarget, memSize: number): MemoryLayout {
  const l = defaultLayout(32, target.littleEndian, memSize);
  return target.options.includes("loongson2f") ? { ...l, helperBase: LOONGSON2F_HELPER_BASE } : l;
}

/** The JIT options of a target (errata and nollsc from its options; the pipeline has already run). */
export function jitOptionsFor(target: MipsTarget, layout: MemoryLayout, c: Case, codeBase: number, extra: JitEngineOptions = {}): JitOptions {
  const has = (o: string): boolean => (target.options as readonly string[]).includes(o);
  const errata = { r10000: has("r10000"), loongson3: has("loongson3"), loongson2f: has("loongson2f"), daddi: has("daddi"), r4000: has("r4000") };
  return {
    level: target.isa, littleEndian: target.littleEndian, layout, maps: [...c.maps], codeBase,
    verifierZext: true, nollsc: has("nollsc"), errata,
    ...(extra.mutations ? { mutations: extra.mutations } : {}),
  };
}

/** What the JIT produced for a case: the rewritten programs and their images. */
export interface CompiledCase {
  readonly layout: MemoryLayout;
  readonly prepared: Program;
  readonly image: JitImage;
  readonly named: ReadonlyMap<string, { readonly prepared: Program; readonly image: JitImage }>;
}

/** Verifier pipeline + JIT for the entry program and every named program. Throws what the JIT throws. */
export function compileCase(c: Case, target: MipsTarget, extra: JitEngineOptions = {}): CompiledCase {
  const base = targetLayout(target, c.mem.length);
  const hardened = target.options.includes("hardened");
  const seed = extra.blindSeed ?? c.seed ?? 1;
  const prep = (p: Program): Program => pipeline(p, { needsZext: true, hardened, seed });
  const prepared = extra.prepared ?? prep(c.program);
  const image = jitCompile(prepared, jitOptionsFor(target, base, c, nextCodeBase(undefined), extra));
  const named = new Map<string, { prepared: Program; image: JitImage }>();
  let prev: JitImage = image;
  for (const [name, p] of Object.entries(c.programs)) {
    const q = prep(p);
    const img = jitCompile(q, jitOptionsFor(target, base, c, nextCodeBase(prev), extra));
    named.set(name, { prepared: q, image: img });
    prev = img;
  }
  const layout = { ...base, frameStride: image.frame.frameStride };
  const cc: CompiledCase = { layout, prepared, image, named };
  extra.patch?.(image.words, cc);
  return cc;
}

