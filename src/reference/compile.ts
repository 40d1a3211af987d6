// Predecoding for the reference interpreter: each slot of a validated program becomes one closure that
// performs the instruction on the run's Machine and returns the next pc (or a negative control code).
// BigInt is used for register values only; decoding, dispatch and address arithmetic are done once here.
// Owns instruction meaning at run time (memory, calls, tail calls, packet loads); the arithmetic itself is
// semantics.ts and admission is validate.ts. Does not own result assembly (interpreter.ts).
import type { Insn, Program } from "../ebpf/insn";
import {
  BPF_ABS, BPF_ALU, BPF_ALU64, BPF_ATOMIC, BPF_CALL, BPF_CMPXCHG, BPF_END, BPF_EXIT, BPF_FETCH, BPF_JA,
  BPF_JMP, BPF_JMP32, BPF_LD, BPF_LDX, BPF_MEMSX, BPF_PSEUDO_CALL, BPF_ST, BPF_STX, BPF_TO_BE, BPF_X,
  BPF_XCHG, LD_IMM64_OPCODE, MAX_CALL_FRAMES, MAX_TAIL_CALL_CNT, aluOp, cls, mode, sizeBytes, srcBit,
} from "../ebpf/insn";
import type { MemoryLayout, MapPlacement } from "../ebpf/layout";
import { BPF_FUNC_tail_call } from "../ebpf/helper-protos";
import { imm64Of } from "../ebpf/numbers";
import { alu32Fn, alu64Fn, bswap, endConvert, immToU32, immToU64, jmp32Cond, jmp64Cond } from "./semantics";
import type { RegionMemory } from "./memory";
import { hexAddr } from "./memory";
import type { HelperEnv } from "./helpers";
import { callHelper, HelperFault } from "./helpers";

/** Control codes a step returns instead of a pc. */
export const EXIT = -1;
export const FAULT = -2;
/** The current program changed (tail call, or return into a frame of another program): resume at m.pc. */
export const SWITCH = -3;

export type Step = () => number;

export interface Compiled {
  readonly name: string;
  readonly steps: Step[];
}

interface Frame {
  readonly code: Compiled;
  readonly retPc: number;
  readonly r6: bigint; readonly r7: bigint; readonly r8: bigint; readonly r9: bigint;
}

/** Mutable state of one run. Registers hold u64 BigInts in [0, 2^64). */
export class Machine {
  readonly r: bigint[] = new Array<bigint>(12).fill(0n);
  readonly frames: Frame[] = [];
  depth = 0;
  maxDepth = 0;
  tailCalls = 0;
  pc = 0;
  fault = "";
  code!: Compiled;
  readonly programs = new Map<string, Compiled>();
  readonly ctxBytes: Uint8Array;

  constructor(
    readonly layout: MemoryLayout,
    readonly mem: RegionMemory,
    readonly env: HelperEnv,
    readonly placements: readonly MapPlacement[],
  ) {
    this.ctxBytes = mem.region("ctx")?.bytes ?? new Uint8Array(0);
  }
}

const U64 = (x: bigint): bigint => BigInt.asUintN(64, x);

/** Translate a validated program into steps. Slot i of the result executes slot i of the program. */
export function compile(m: Machine, name: string, prog: Program): Compiled {
  const steps: Step[] = new Array<Step>(prog.length + 1);
  const code: Compiled = { name, steps };
  const where = (pc: number): string => (name === "" ? `insn ${pc}` : `insn ${pc} of program "${name}"`);
  const fault = (pc: number, msg: string): number => {
    m.fault = `${where(pc)}: ${msg}`;
    return FAULT;
  };
  for (let pc = 0; pc < prog.length; pc++) {
    steps[pc] = step(m, prog, pc, fault);
    if (prog[pc].opcode === LD_IMM64_OPCODE) {
      pc++;
      const at = pc;
      steps[pc] = () => fault(at, "executed the second slot of an LD_IMM64");
    }
  }
  const end = prog.length;
  steps[end] = () => fault(end, "fell off the end of the program");
  return code;
}

type FaultFn = (pc: number, msg: string) => number;

function step(m: Machine, prog: Program, pc: number, fault: FaultFn): Step {
  const x: Insn = prog[pc];
  const op = x.opcode;
  const r = m.r;
  const mem = m.mem;
  const d = x.dst;
  const s = x.src;
  const off = x.off;
  const next = pc + 1;
  const addrMsg = (base: bigint, size: number, what: string): string =>
    `${what} of ${size} bytes at ${hexAddr(U64(base + BigInt(off)))} is outside every ${what === "load" ? "" : "writable "}region`;

  switch (cls(op)) {
    case BPF_ALU:
    case BPF_ALU64: {
      const is64 = cls(op) === BPF_ALU64;
      const a = aluOp(op);
      if (a === BPF_END) {
        const bits = x.imm as 16 | 32 | 64;
        if (is64) return () => { r[d] = bswap(r[d], bits); return next; };
        const toBE = srcBit(op) === BPF_TO_BE;
        const le = m.layout.littleEndian;
        return () => { r[d] = endConvert(r[d], bits, toBE, le); return next; };
      }
      const fn = (is64 ? alu64Fn(a, off) : alu32Fn(a, off))!;
      if (srcBit(op) === BPF_X) return () => { r[d] = fn(r[d], r[s]); return next; };
      const k = is64 ? immToU64(x.imm) : immToU32(x.imm);
      return () => { r[d] = fn(r[d], k); return next; };
    }

    case BPF_JMP:
    case BPF_JMP32: {
      const is32 = cls(op) === BPF_JMP32;
      const j = aluOp(op);
      if (j === BPF_JA) {
        const t = next + (is32 ? x.imm : off);
        return () => t;
      }
      if (j === BPF_EXIT) return () => doExit(m);
      if (j === BPF_CALL) {
        if (srcBit(op) === BPF_X) {
          return () => {
            const id = r[d];
            if (id > 0x7fffffffn) return fault(pc, `callx: R${d} = ${hexAddr(id)} is not a helper id`);
            return callById(m, Number(id), pc, fault);
          };
        }
        if (x.src === BPF_PSEUDO_CALL) {
          const t = next + x.imm;
          return () => {
            if (m.depth + 1 >= MAX_CALL_FRAMES) return fault(pc, `call depth would exceed ${MAX_CALL_FRAMES} frames`);
            m.frames.push({ code: m.code, retPc: next, r6: r[6], r7: r[7], r8: r[8], r9: r[9] });
            m.depth++;
            if (m.depth > m.maxDepth) m.maxDepth = m.depth;
            r[10] = BigInt(m.layout.stackTop - m.depth * m.layout.frameStride);
            return t;
          };
        }
        const id = x.imm;
        return () => callById(m, id, pc, fault);
      }
      const t = next + off;
      const c = (is32 ? jmp32Cond(j) : jmp64Cond(j))!;
      if (srcBit(op) === BPF_X) return () => (c(r[d], r[s]) ? t : next);
      const k = immToU64(x.imm);
      return () => (c(r[d], k) ? t : next);
    }

    case BPF_LDX: {
      const size = sizeBytes(op);
      const signed = mode(op) === BPF_MEMSX;
      const bits = size * 8;
      return () => {
        const v = mem.load(Number(r[s]) + off, size);
        if (v === undefined) return fault(pc, addrMsg(r[s], size, "load"));
        r[d] = signed ? U64(BigInt.asIntN(bits, v)) : v;
        return next;
      };
    }

    case BPF_ST: {
      const size = sizeBytes(op);
      const k = immToU64(x.imm); // stdw stores the sign-extended imm (§2.2)
      return () => (mem.store(Number(r[d]) + off, size, k) ? next : fault(pc, addrMsg(r[d], size, "store")));
    }

    case BPF_STX: {
      const size = sizeBytes(op);
      if (mode(op) !== BPF_ATOMIC) {
        return () => (mem.store(Number(r[d]) + off, size, r[s]) ? next : fault(pc, addrMsg(r[d], size, "store")));
      }
      return atomicStep(m, x, pc, size, fault);
    }

    case BPF_LD: {
      if (op === LD_IMM64_OPCODE) {
        const v = ldImm64Value(m, x, prog[pc + 1]);
        const after = pc + 2;
        return () => { r[d] = v; return after; };
      }
      // Legacy packet loads (Linux semantics, §2.8 "packet"): R0 = big-endian value at ctx + offset,
      // offset = imm (ABS) or (s32)(src + imm) (IND); out of bounds returns 0 from the current function,
      // exactly like the EXIT that Linux's LD_ABS rewrite emits.
      const size = sizeBytes(op);
      const ind = mode(op) !== BPF_ABS;
      const imm = BigInt(x.imm);
      const ctx = m.ctxBytes;
      return () => {
        const o = ind ? Number(BigInt.asIntN(32, r[s] + imm)) : x.imm;
        if (o < 0 || o + size > ctx.length) {
          r[0] = 0n;
          return doExit(m);
        }
        let v = 0;
        for (let i = 0; i < size; i++) v = v * 256 + ctx[o + i];
        r[0] = BigInt(v);
        return next;
      };
    }

    default:
      return () => fault(pc, `opcode 0x${op.toString(16)} cannot be executed`);
  }
}

/** EXIT: leave the program at depth 0, else restore the caller's R6–R9, R10, code and pc. */
function doExit(m: Machine): number {
  if (m.depth === 0) return EXIT;
  const f = m.frames.pop()!;
  const r = m.r;
  r[6] = f.r6; r[7] = f.r7; r[8] = f.r8; r[9] = f.r9;
  m.depth--;
  r[10] = BigInt(m.layout.stackTop - m.depth * m.layout.frameStride);
  if (f.code !== m.code) {
    m.code = f.code;
    m.pc = f.retPc;
    return SWITCH;
  }
  return f.retPc;
}

function callById(m: Machine, id: number, pc: number, fault: FaultFn): number {
  if (id === BPF_FUNC_tail_call) return tailCall(m, pc, fault);
  const r = m.r;
  try {
    r[0] = callHelper(id, [r[1], r[2], r[3], r[4], r[5]], m.env);
  } catch (e) {
    if (e instanceof HelperFault) return fault(pc, e.message);
    throw e;
  }
  return pc + 1;
}

/**
 * bpf_tail_call(ctx, prog_array, index), Linux semantics (kernel/bpf/core.c and every JIT):
 * index (u32) ≥ max_entries → fall through; more than MAX_TAIL_CALL_CNT (33) tail calls in this run →
 * fall through; the counter is incremented BEFORE the empty-slot check, so an empty slot uses up one
 * call; empty slot → fall through. A fall-through leaves every register, R0 included, unchanged.
 * Success: the target runs from its first instruction with the same registers and the same frame
 * (R10 and the stack are kept); its EXIT returns to whoever called the current function.
 */
function tailCall(m: Machine, pc: number, fault: FaultFn): number {
  const r = m.r;
  const ptr = Number(BigInt.asUintN(m.layout.addressBits, r[2]));
  const map = m.env.maps.byObject(ptr);
  if (map === undefined || map.def.type !== "prog_array") return fault(pc, `tail_call: R2 = ${hexAddr(r[2])} is not a prog_array pointer`);
  const index = Number(r[3] & 0xffffffffn);
  if (index >= map.def.maxEntries) return pc + 1;
  if (m.tailCalls >= MAX_TAIL_CALL_CNT) return pc + 1;
  m.tailCalls++;
  const name = m.env.maps.progAt(map, index);
  if (name === undefined) return pc + 1;
  const target = m.programs.get(name);
  if (target === undefined) return fault(pc, `tail_call: program "${name}" was not given`);
  m.code = target;
  m.pc = 0;
  return SWITCH;
}

function atomicStep(m: Machine, x: Insn, pc: number, size: 1 | 2 | 4 | 8, fault: FaultFn): Step {
  const r = m.r;
  const mem = m.mem;
  const { dst: d, src: s, off } = x;
  const op = x.imm;
  const mask = size === 4 ? 0xffffffffn : (1n << 64n) - 1n;
  const fetch = (op & BPF_FETCH) !== 0;
  const base = op & ~BPF_FETCH;
  const combine: (old: bigint, v: bigint) => bigint =
    base === 0x00 ? (o, v) => (o + v) & mask
    : base === 0x40 ? (o, v) => o | (v & mask)
    : base === 0x50 ? (o, v) => o & v
    : base === 0xa0 ? (o, v) => o ^ (v & mask)
    : (_o, v) => v & mask; // XCHG
  return () => {
    const a = Number(r[d]) + off;
    const where = hexAddr(U64(r[d] + BigInt(off)));
    // Linux requires naturally aligned atomics (the verifier enforces strict alignment for them) and
    // MIPS ll/lld trap on misalignment, so a misaligned atomic is a fault on both sides.
    if (a % size !== 0) return fault(pc, `atomic access of ${size} bytes at ${where} is misaligned`);
    const old = mem.load(a, size);
    if (old === undefined) return fault(pc, `atomic access of ${size} bytes at ${where} is outside every region`);
    const v = r[s];
    if (op === BPF_CMPXCHG) {
      // Compare the low 32 bits of R0 for W; R0 receives the zero-extended old value either way.
      if (old === (r[0] & mask) && !mem.store(a, size, v)) return fault(pc, `atomic store of ${size} bytes at ${where} is outside every writable region`);
      r[0] = old;
      return pc + 1;
    }
    if (!mem.store(a, size, combine(old, v))) return fault(pc, `atomic store of ${size} bytes at ${where} is outside every writable region`);
    if (fetch || op === BPF_XCHG) r[s] = old;
    return pc + 1;
  };
}

/** LD_IMM64 value by src (§2.4): 0 constant; 1/5 map object address; 2/6 map value address + next_imm. */
function ldImm64Value(m: Machine, x: Insn, n: Insn): bigint {
  switch (x.src) {
    case 0: return imm64Of(x.imm, n.imm);
    case 1: case 5: return BigInt(m.placements[x.imm].objectAddr);
    default: return BigInt(m.placements[x.imm].valuesAddr) + BigInt(n.imm >>> 0);
  }
}

