// The public emulator API: a Machine is one MIPS CPU (ISA level, byte order, trip-wires, target options)
// with its memory map, host functions (ABI bridge, abi.ts) and a top-level call() that runs a function
// under the o32/n64 calling convention and checks what the callee must preserve. Owns construction,
// the decoder hook (table decode, UNPREDICTABLE encodings, nollsc), run/call orchestration and turning the
// CPU's stop record into a structured Outcome. Never throws during execution: only bad configuration
// (overlapping regions, bad call options) throws InputError before anything runs.
import { InputError } from "../src/ebpf/errors";
import { decoderFor, disassemble, encodingViolation, MIPS_TABLE } from "../src/mips/index";
import { hasHiLoHazard, hasLlSc, is64, isR6, type IsaLevel } from "../src/mips/levels";
import { Cpu, regName, STOP_BUDGET, STOP_EXC, STOP_EXIT, STOP_HOSTERR, STOP_TRAP } from "./cpu";
import { buildDispatch, ID_EXIT, ID_HOST, ID_NOFEATURE, ID_RI, ID_UNPRED, N_ROWS } from "./dispatch";
import { Memory, type Region, type RegionSpec } from "./memory";
import { allTripwires } from "./types";
import type { Abi, CallOptions, HostSpec, MachineOptions, Outcome, OutcomeKind, Pair, Tripwires } from "./types";
import { hostCall, setupCall, checkReturn } from "./abi";

const TWO32 = 4294967296;
export const DEFAULT_BUDGET = 10_000_000;
/** Where call() places its exit trampoline unless the caller maps one (top page of the address space used). */
export const EXIT_ADDR_32 = 0xffff_f000;
export const EXIT_ADDR_64 = 0xff_ffff_f000;

const LLSC_KEYS = new Set(["ll", "sc", "lld", "scd", "ll_r6", "sc_r6", "lld_r6", "scd_r6"]);

export class Machine {
  readonly level: IsaLevel;
  readonly littleEndian: boolean;
  readonly is64: boolean;
  readonly abi: Abi;
  readonly tripwires: Tripwires;
  readonly nollsc: boolean;
  readonly mem: Memory;
  readonly cpu: Cpu;
  /** Host functions by trampoline address. */
  readonly hosts = new Map<number, HostSpec>();
  exitAddr: number;
  /** Set by hostCall when a host function throws. */
  hostError: string | undefined;

  constructor(opts: MachineOptions) {
    this.level = opts.level;
    this.littleEndian = opts.littleEndian;
    this.is64 = is64(opts.level);
    this.abi = opts.abi ?? (this.is64 ? "n64" : "o32");
    if (this.abi === "n64" && !this.is64) throw new InputError(`the n64 ABI needs a 64-bit ISA level, not ${opts.level}`);
    this.tripwires = { ...allTripwires(true), ...(opts.tripwires ?? {}) };
    this.nollsc = opts.nollsc ?? false;
    this.mem = new Memory(opts.littleEndian, this.is64 ? 64 : 32);
    const tw = this.tripwires;
    this.cpu = new Cpu(this.mem, {
      is64: this.is64, le: opts.littleEndian, tw,
      mips1: opts.level === "mips1", hiloHazard: hasHiLoHazard(opts.level), r6: isR6(opts.level),
    });
    this.exitAddr = this.is64 ? EXIT_ADDR_64 : EXIT_ADDR_32;
    this.cpu.n64 = this.abi === "n64";

    const dec = decoderFor(opts.level);
    const noLlSc = !hasLlSc(opts.level) || (this.nollsc && tw.isa);
    const hosts = this.hosts;
    this.cpu.decodeHook = (w: number, pc: number): number => {
      if (hosts.has(pc)) return ID_HOST;
      if (pc === this.exitAddr) return ID_EXIT;
      const id = dec(w);
      if (id < 0) return ID_RI;
      if (noLlSc && LLSC_KEYS.has(MIPS_TABLE[id].key)) return ID_NOFEATURE;
      if (tw.unpredictable && encodingViolation(id, w) !== null) return ID_UNPRED;
      return id;
    };
    const d = buildDispatch({
      ri: (c) => c.exc("RI", `reserved instruction on ${this.level}`),
      unpred: (c, w) => {
        const id = dec(w);
        return c.trap("unpredictable", `${MIPS_TABLE[id].mnemonic}: ${encodingViolation(id, w) ?? "?"} (UNPREDICTABLE encoding)`);
      },
      nofeature: (c) => c.exc("RI", this.nollsc ? "LL/SC family disabled by the target option nollsc" : `LL/SC not available on ${this.level}`),
      host: (c) => hostCall(this, c),
      exit: (c) => { c.stop = STOP_EXIT; c.stopReason = "returned to the exit trampoline"; return STOP_EXIT; },
    });
    this.cpu.fns = d.fns;
    this.cpu.flags = d.flags;
  }

  // ---------------- memory ----------------

  addRegion(spec: RegionSpec): Region {
    const r = this.mem.add(spec);
    this.cpu.resetCaches();
    return r;
  }

  /** Register a host function at addr, which must lie in an executable region (the trampoline region). */
  registerHost(addr: number, spec: HostSpec): void {
    const r = this.mem.find(addr, 4);
    if (r === null || r.dOp === null) throw new InputError(`host function address 0x${addr.toString(16)} is not in an executable region`);
    if ((addr & 3) !== 0) throw new InputError(`host function address 0x${addr.toString(16)} is not word-aligned`);
    if (spec.abi !== this.abi) throw new InputError(`host function uses the ${spec.abi} ABI but the machine runs ${this.abi}`);
    this.hosts.set(addr, spec);
    r.invalidate(addr - r.base, 4);
  }

  // ---------------- registers (host side) ----------------

  getReg(r: number): Pair {
    return { lo: this.cpu.lo[r] >>> 0, hi: this.is64 ? this.cpu.hi[r] >>> 0 : 0 };
  }

  /** Set a GPR; 32-bit levels take lo only. Clears its poison. */
  setReg(r: number, lo: number, hi?: number): void {
    if (r === 0) return;
    const l = lo | 0;
    this.cpu.lo[r] = l;
    this.cpu.hi[r] = this.is64 ? (hi ?? l >> 31) | 0 : l >> 31;
    this.cpu.pm &= ~(1 << r);
  }

  // ---------------- running ----------------

  /** Run from the current state (pc set by the caller) until a stop or budget instructions. */
  run(opts: { pc?: number; budget?: number } = {}): Outcome {
    const c = this.cpu;
    if (opts.pc !== undefined) {
      // a new entry point: no pipeline state carries over from an earlier run (slots, load delay, HI/LO window)
      c.pc = opts.pc; c.npc = opts.pc + 4; c.nextSlot = 0; c.ldReg = 0; c.lastMf = c.icount - 10;
    }
    c.stop = 0; c.stopExc = undefined; c.stopTw = undefined; c.stopReason = ""; c.stopReg = -1; c.stopVal = ""; c.stopAddr = undefined; c.stopPc = undefined;
    this.hostError = undefined;
    const limit = c.icount + (opts.budget ?? DEFAULT_BUDGET);
    let code: number;
    try {
      code = c.run(limit);
    } catch (e) {
      // Not expected (the emulator's contract is no exceptions); reported, never propagated.
      c.stop = STOP_HOSTERR;
      c.stopReason = `internal emulator error: ${(e as Error).message}`;
      code = STOP_HOSTERR;
    }
    return this.outcome(code);
  }

  /** Call a function under the machine's ABI; returns when it returns to the exit trampoline (or stops). */
  call(entry: number, opts: CallOptions): Outcome {
    this.ensureExitTrampoline();
    const saved = setupCall(this, entry, opts);
    this.cpu.icount = 0;
    const out = this.run({ pc: entry, budget: opts.budget ?? DEFAULT_BUDGET });
    if (out.kind !== "exit") return out;
    const bad = checkReturn(this, saved, opts.ret ?? "u64");
    return bad ?? out;
  }

  private ensureExitTrampoline(): void {
    const r = this.mem.find(this.exitAddr, 4);
    if (r === null) this.addRegion({ name: "exit-trampoline", base: this.exitAddr, size: 0x1000, perms: "rx" });
    else if (r.dOp === null) throw new InputError(`exit trampoline address 0x${this.exitAddr.toString(16)} lies in non-executable region '${r.name}'`);
  }

  // ---------------- outcomes ----------------

  hex64(hi: number, lo: number): string {
    return this.is64
      ? "0x" + (hi >>> 0).toString(16).padStart(8, "0") + "_" + (lo >>> 0).toString(16).padStart(8, "0")
      : "0x" + (lo >>> 0).toString(16).padStart(8, "0");
  }

  /** Disassembly of the word at pc (LLVM syntax); "" when it cannot be read. */
  disasmAt(pc: number): { word: number; disasm: string } {
    const r = this.mem.find(pc, 4);
    if (r === null || (pc & 3) !== 0) return { word: 0, disasm: "" };
    if (this.hosts.has(pc)) return { word: 0, disasm: `<host ${this.hosts.get(pc)?.name ?? "function"}>` };
    if (pc === this.exitAddr) return { word: 0, disasm: "<exit trampoline>" };
    const word = r.dv.getUint32(pc - r.base, this.littleEndian);
    let disasm: string;
    try { disasm = disassemble(word, pc, this.level, { abiNames: true }); } catch { disasm = `.word 0x${word.toString(16).padStart(8, "0")}`; }
    return { word, disasm };
  }

  outcome(code: number, extra: Partial<Outcome> = {}): Outcome {
    const c = this.cpu;
    const kind: OutcomeKind = code === STOP_EXIT ? "exit" : code === STOP_TRAP ? "trap" : code === STOP_EXC ? "exception"
      : code === STOP_BUDGET ? "budget" : code === STOP_HOSTERR ? "host-error" : "host-error";
    const pc = c.stopPc ?? c.cpc;
    const { word, disasm } = this.disasmAt(pc);
    const o: Outcome = {
      kind, pc, word, disasm,
      reason: c.stopReason,
      instructions: c.icount,
      v0: this.getReg(2),
      v1: this.getReg(3),
      ...(c.stopExc !== undefined && code === STOP_EXC ? { exception: c.stopExc } : {}),
      ...(c.stopTw !== undefined && code === STOP_TRAP ? { tripwire: c.stopTw } : {}),
      ...(c.stopReg >= 0 && code === STOP_TRAP ? { register: regName(c.stopReg, c.n64), value: c.stopVal } : {}),
      ...(c.stopAddr !== undefined ? { address: c.stopAddr } : {}),
      ...extra,
    };
    return o;
  }
}

/** One line for a stop: "pc 0x…: <disasm>: <reason>" (the CLI and reports print it). */
export function formatOutcome(o: Outcome): string {
  const what = o.kind === "trap" ? `trap [${o.tripwire}]` : o.kind === "exception" ? `exception ${o.exception}` : o.kind;
  const reg = o.register !== undefined ? ` (${o.register} = ${o.value})` : "";
  return `${what} at pc 0x${o.pc.toString(16)}: ${(o.disasm || "?").replace(/\s+/g, " ")}: ${o.reason}${reg}`;
}

export { TWO32, N_ROWS, ID_RI };
