// The native side of the differential harness: verifier pipeline → JIT (jit/) → load into the MIPS
// emulator (emulator/) at the same addresses the reference uses → run with every trip-wire armed → an
// Observation in the reference's terms (R0, every writable region by the reference's region names, the
// helper-call log). Owns loading (code, stack, context, maps, prog records for tail calls, helper
// trampolines through the ABI bridge), the mapping of emulator outcomes to exit kinds and the interleaved
// listing. Does not compare (run-case.ts) and does not know how code is generated.
import type { Program } from "../ebpf/insn";
import { disassembleInsn } from "../ebpf/disassembler";
import { isInputError } from "../ebpf/errors";
import { BPF_FUNC_tail_call, HELPER_PROTOS } from "../ebpf/helper-protos";
import { defaultLayout, helperAddress, placeMaps, PROG_ARRAY_PTRS_OFF, type MemoryLayout } from "../ebpf/layout";
import type { MapDef } from "../ebpf/maps";
import { disassemble as mipsDisassemble } from "../mips/index";
import { Machine, type Outcome } from "../../emulator/index";
import { jitCompile, JitError, type JitImage, type JitOptions } from "../../jit/index";
import { callHelper, createHelperEnv, createMapState, planRegions } from "../reference/index";
import { isZextMarker, pipeline, verifyProgram } from "../verifier/index";
import type { Case } from "./case";
import type { NativeBackend, NativeOutcome } from "./run-case";
import type { MipsTarget } from "./targets";
import type { Observation, ObservedRegion } from "./verdict";

/** Where the entry program's code is loaded; named programs (tail-call targets) follow it. */
export const CODE_BASE = 0x0040_0000;
/** MIPS instructions one case may execute (a runaway loop becomes "budget", not a hang). */
export const NATIVE_BUDGET = 50_000_000;

const u64 = (p: { hi: number; lo: number }): bigint => (BigInt(p.hi >>> 0) << 32n) | BigInt(p.lo >>> 0);
const page = (n: number): number => Math.ceil(n / 4096) * 4096;
const hex = (n: number): string => "0x" + (n >>> 0).toString(16).padStart(8, "0");

/** JIT options for a target (the verifier pipeline has already blinded constants for +hardened). */
export function jitOptionsFor(target: MipsTarget, layout: MemoryLayout, maps: readonly MapDef[], codeBase: number): JitOptions {
  const has = (o: string): boolean => target.options.includes(o as never);
  return {
    level: target.isa, littleEndian: target.littleEndian, layout, maps: [...maps], codeBase, verifierZext: true,
    nollsc: has("nollsc"),
    errata: { r10000: has("r10000"), loongson3: has("loongson3"), loongson2f: has("loongson2f"), daddi: has("daddi"), r4000: has("r4000") },
  };
}

/** The program as the JIT receives it: Linux's rewrites, blinding on hardened targets (ebpf-semantics.md §3). */
export function prepareProgram(p: Program, target: MipsTarget, seed = 1): Program {
  return pipeline(p, { needsZext: true, hardened: target.options.includes("hardened"), seed });
}

export interface CompiledCase {
  readonly layout: MemoryLayout;
  readonly main: { readonly program: Program; readonly image: JitImage };
  readonly named: ReadonlyMap<string, { readonly program: Program; readonly image: JitImage }>;
}

/**
 * The layout of a native run. Loongson-2F's jump erratum workaround clears address bits 28–29 before every
 * jr/jalr (reference/mips-isa.md §8; Linux's kernel runs in KSEG0, where the masking changes nothing), so on
 * +loongson2f targets the helper trampolines move to an address with those bits clear. Helper addresses
 * are not visible to eBPF programs (calls name helper ids), so the reference result is unaffected.
 */
export function nativeLayout(target: MipsTarget, memSize: number): MemoryLayout {
  const base = defaultLayout(target.addressBits, target.littleEndian, memSize);
  if (!target.options.includes("loongson2f")) return base;
  const helperBase = (target.addressBits === 64 ? 0x1_0000_0000 : 0) + 0x0e00_0000;
  return { ...base, helperBase };
}

/** Compile the case's entry program and every named program; the layout takes the JIT's frame stride. */
export function compileCase(c: Case, target: MipsTarget): CompiledCase {
  const base = nativeLayout(target, c.mem.length);
  const main = prepareProgram(c.program, target);
  const mainImage = jitCompile(main, jitOptionsFor(target, base, c.maps, CODE_BASE));
  const named = new Map<string, { program: Program; image: JitImage }>();
  let at = page(CODE_BASE + mainImage.words.length * 4 + 4096);
  for (const [name, p] of Object.entries(c.programs)) {
    const prepared = prepareProgram(p, target);
    const image = jitCompile(prepared, jitOptionsFor(target, base, c.maps, at));
    named.set(name, { program: prepared, image });
    at = page(at + image.words.length * 4 + 4096);
  }
  const layout: MemoryLayout = { ...base, frameStride: mainImage.frame.frameStride };
  return { layout, main: { program: main, image: mainImage }, named };
}

function codeBytes(image: JitImage, le: boolean): Uint8Array {
  const out = new Uint8Array(image.words.length * 4);
  const dv = new DataView(out.buffer);
  image.words.forEach((w, i) => dv.setUint32(i * 4, w, le));
  return out;
}

/**
 * The interleaved listing: each eBPF instruction followed by its MIPS code with addresses, `window` eBPF
 * instructions either side of the one containing `pc` (or the last instruction when pc is outside).
 */
export function listing(program: Program, image: JitImage, target: MipsTarget, pc?: number, window = 4): string {
  const offs = image.insnOffsets;
  const n = program.length;
  const slotOf = (addr: number): number => {
    const off = addr - image.codeBase;
    let best = -1;
    for (let k = 0; k <= n; k++) if (offs[k] >= 0 && offs[k] <= off) best = k;
    return best;
  };
  const at = pc !== undefined && pc >= image.codeBase && pc < image.codeBase + image.words.length * 4 ? slotOf(pc) : n - 1;
  const lines: string[] = [];
  const from = Math.max(0, at - window);
  const to = Math.min(n, at + window + 1);
  if (from === 0 && offs[0] > 0) dumpWords(0, offs[0], "prologue");
  for (let k = from; k < to; k++) {
    if (offs[k] < 0) continue; // second slot of LD_IMM64
    let end = image.words.length * 4;
    for (let j = k + 1; j <= n; j++) if (offs[j] >= 0) { end = offs[j]; break; }
    // The verifier's zext marker (mov32 rX, rX with imm 1) is not user syntax; name it (ebpf-semantics.md §3).
    const text = isZextMarker(program[k]) ? `w${program[k].dst} = w${program[k].dst}  ; zext marker (imm 1)` : disassembleInsn(program, k, "llvm");
    dumpWords(offs[k], end, `${k}: ${text}`);
  }
  if (to >= n && offs[n] >= 0) dumpWords(offs[n], image.words.length * 4, "epilogue");
  return lines.join("\n");

  function dumpWords(start: number, end: number, head: string): void {
    lines.push(head);
    for (let o = start; o < end; o += 4) {
      const addr = image.codeBase + o;
      const w = image.words[o / 4];
      lines.push(`${addr === pc ? "=>" : "  "} ${hex(addr)}: ${hex(w).slice(2)}  ${mipsDisassemble(w, addr, target.isa)}`);
    }
  }
}

/**
 * Is an address error where an eBPF program can cause one: outside every region, or a write to a region
 * the program may only read (map objects; reference/memory.ts makes them read-only too). An address error
 * in code, the machine stack or the trampolines is wrong code, not a program fault.
 */
function isProgramFault(regionName: string | undefined): boolean {
  return regionName === undefined || regionName.startsWith("map:") || regionName === "prog-records";
}

/** Load, run and observe one compiled case on the emulator. */
export function runCompiled(c: Case, target: MipsTarget, cc: CompiledCase): NativeOutcome {
  const { layout } = cc;
  const le = target.littleEndian;
  const m = new Machine({ level: target.isa, littleEndian: le, nollsc: target.options.includes("nollsc") });
  const images = [cc.main.image, ...[...cc.named.values()].map((x) => x.image)];
  images.forEach((img, i) => m.addRegion({ name: i === 0 ? "code" : `code${i}`, base: img.codeBase, size: page(img.words.length * 4 + 4), perms: "rx", data: codeBytes(img, le) }));

  // The machine stack holds the JIT's own frame above R10 and every bpf-to-bpf frame below it.
  const F = layout.frameStride;
  const sp0 = layout.stackTop + cc.main.image.frame.fpBelowEntrySp;
  const stackLow = Math.floor((layout.stackTop - 9 * F - 4096) / 4096) * 4096;
  m.addRegion({ name: "stack", base: stackLow, size: page(sp0 + 256) - stackLow, perms: "rw" });
  // The context is padded to a multiple of 8 bytes: lwl/lwr (and ldl/ldr) address the aligned word that
  // holds the bytes they access, which real hardware maps by the page; only the case's bytes are compared.
  if (c.mem.length > 0) {
    const data = new Uint8Array((c.mem.length + 7) & ~7);
    data.set(c.mem);
    m.addRegion({ name: "ctx", base: layout.ctx.base, size: data.length, perms: "rw", data });
  }
  const placements = placeMaps(layout, c.maps);
  for (const p of placements) {
    // Map objects are read-only to the program, as on the reference side (src/reference/memory.ts).
    m.addRegion({ name: `map:${p.def.name}:object`, base: p.objectAddr, size: p.valuesAddr - p.objectAddr, perms: "r" });
    if (p.valuesSize > 0 && p.def.type !== "prog_array") m.addRegion({ name: `map:${p.def.name}`, base: p.valuesAddr, size: p.valuesSize, perms: "rw" });
  }

  // Helpers run the reference implementations on a view of the emulator's memory, so both sides share
  // one implementation (ARCHITECTURE.md) and the log has the reference's shape.
  const guest = {
    read: (a: number, len: number): Uint8Array | undefined => {
      const r = m.mem.find(a, len);
      return r ? r.bytes.slice(a - r.base, a - r.base + len) : undefined;
    },
    write: (a: number, bytes: Uint8Array): boolean => {
      const r = m.mem.find(a, bytes.length);
      if (!r) return false;
      r.bytes.set(bytes, a - r.base);
      r.invalidate(a - r.base, bytes.length);
      return true;
    },
  };
  const mapState = createMapState(layout, c.maps, guest, c.programs);
  // Prog arrays: one record per named program holding its tail-call entry (jit/options.ts), and the
  // object's entry pointers at the records (layout.ts format).
  const ptrBytes = layout.addressBits / 8;
  const recordsBase = page(Math.max(...images.map((img) => img.codeBase + img.words.length * 4)) + 4096);
  const names = [...cc.named.keys()];
  if (names.length > 0) {
    const rec = new Uint8Array(names.length * 8);
    const dv = new DataView(rec.buffer);
    names.forEach((n, i) => dv.setUint32(i * 8 + (ptrBytes === 8 && !le ? 4 : 0), cc.named.get(n)!.image.tailCallEntry, le));
    m.addRegion({ name: "prog-records", base: recordsBase, size: page(rec.length), perms: "r", data: rec });
  }
  for (const p of placements) {
    if (p.def.type !== "prog_array") continue;
    for (const [idx, name] of Object.entries(p.def.init ?? {})) {
      const i = names.indexOf(name);
      if (i < 0) continue;
      const ptr = new Uint8Array(ptrBytes);
      new DataView(ptr.buffer).setUint32(ptrBytes === 8 && !le ? 4 : 0, recordsBase + i * 8, le);
      guest.write(p.objectAddr + PROG_ARRAY_PTRS_OFF + Number(idx) * ptrBytes, ptr);
    }
  }
  const env = createHelperEnv(guest, mapState, c.seed ?? 0);
  const maxId = Math.max(...HELPER_PROTOS.map((p) => p.id));
  m.addRegion({ name: "helpers", base: layout.helperBase, size: page((maxId + 1) * layout.helperStride), perms: "rx" });
  for (const p of HELPER_PROTOS) {
    if (p.id === BPF_FUNC_tail_call) continue;
    m.registerHost(helperAddress(layout, p.id), {
      abi: target.addressBits === 64 ? "n64" : "o32", args: p.args, ret: p.ret, name: p.name, requireT9: true,
      fn: (args) => {
        const r = callHelper(p.id, args.map(u64), env);
        return { lo: Number(r & 0xffffffffn) | 0, hi: Number((r >> 32n) & 0xffffffffn) | 0 };
      },
    });
  }

  const out = m.call(cc.main.image.entry, {
    sp: sp0, budget: NATIVE_BUDGET, ret: "u64",
    args: [{ kind: "ptr", lo: layout.ctx.base }, { kind: "u32", lo: c.mem.length }],
  });
  const regions: ObservedRegion[] = [];
  for (const spec of planRegions(layout, c.mem.length, c.maps)) {
    if (!spec.writable) continue;
    const r = m.mem.find(spec.base, spec.size);
    regions.push({ name: spec.name, base: spec.base, bytes: r ? r.bytes.slice(spec.base - r.base, spec.base - r.base + spec.size) : new Uint8Array(0) });
  }
  const pcListing = (o: Outcome): string => {
    for (const [name, x] of [["", cc.main] as const, ...[...cc.named].map(([n, v]) => [n, v] as const)]) {
      const img = x.image;
      if (o.pc >= img.codeBase && o.pc < img.codeBase + img.words.length * 4) return (name ? `program ${name}:\n` : "") + listing(x.program, img, target, o.pc);
    }
    return listing(cc.main.program, cc.main.image, target);
  };
  const where = (o: Outcome): string =>
    `pc ${hex(o.pc)} ${o.disasm}: ${o.reason}${o.register ? ` (${o.register}${o.value ? ` = ${o.value}` : ""})` : ""}`;
  const obs = (kind: Observation["kind"], r0: bigint, message?: string): Observation => ({
    kind, r0, ...(message !== undefined ? { message } : {}), regions, helperCalls: env.log, trace: env.trace, insnCount: out.instructions,
  });
  switch (out.kind) {
    case "exit":
      return { kind: "ran", obs: obs("exit", out.ret ? u64(out.ret) : 0n), listing: () => pcListing(out) };
    case "budget":
      return { kind: "ran", obs: obs("budget", 0n, `budget exceeded: ${NATIVE_BUDGET} MIPS instructions`), listing: () => pcListing(out) };
    case "exception":
      // An out-of-bounds eBPF access becomes an address error: the eBPF-level "fault" the reference
      // reports too. Any other exception is wrong code.
      if ((out.exception === "AdEL" || out.exception === "AdES") && out.address !== undefined && isProgramFault(m.mem.find(out.address, 1)?.name)) {
        return { kind: "ran", obs: obs("fault", 0n, where(out)), listing: () => pcListing(out) };
      }
      return { kind: "trap", message: where(out), listing: pcListing(out) };
    case "host-error":
      // A helper refused its arguments (HelperFault): the reference faults on the same call.
      return { kind: "ran", obs: obs("fault", 0n, where(out)), listing: () => pcListing(out) };
    default:
      return { kind: "trap", message: `${out.tripwire ? `trip-wire ${out.tripwire}: ` : ""}${where(out)}`, listing: pcListing(out) };
  }
}

/** The NativeBackend the differential engine uses for MIPS targets. */
export const jitEmulatorBackend: NativeBackend = {
  staticRejection(c: Case, refFault: string): string | undefined {
    try {
      verifyProgram(c.program, { maps: [...c.maps] });
    } catch (e) {
      if (isInputError(e)) return `the verifier rejects the program: ${e.message}`;
      throw e;
    }
    // The context is mapped padded to 8 bytes natively (see runCompiled); an access the reference refuses
    // only because it reaches into that padding cannot fault on the emulator.
    const m = /at (0x[0-9a-f]+)/.exec(refFault);
    const layout = defaultLayout(32, true, c.mem.length);
    if (m && c.mem.length > 0) {
      const addr = Number(m[1]);
      const end = layout.ctx.base + c.mem.length;
      if (addr >= layout.ctx.base && addr < ((end + 7) & ~7)) return "the access reaches the context's alignment padding, which is mapped natively";
    }
    return undefined;
  },
  run(c: Case, target: MipsTarget) {
    let cc: CompiledCase;
    try {
      cc = compileCase(c, target);
    } catch (e) {
      const layout = nativeLayout(target, c.mem.length);
      if (e instanceof JitError) return { layout, outcome: { kind: "jit-error", message: e.message } };
      if (isInputError(e)) return { layout, outcome: { kind: "jit-error", message: `rejected by the verifier pipeline or the JIT: ${e.message}` } };
      return { layout, outcome: { kind: "jit-error", message: `JIT crashed: ${e instanceof Error ? e.message : String(e)}` } };
    }
    try {
      return { layout: cc.layout, outcome: runCompiled(c, target, cc) };
    } catch (e) {
      return { layout: cc.layout, outcome: { kind: "trap", message: `loading or running failed: ${e instanceof Error ? e.message : String(e)}` } };
    }
  },
};
