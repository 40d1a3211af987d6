// The ABI bridge (issue 3 §5; reference mips-isa.md §7): argument/return marshalling for host functions
// reached through trampoline addresses, and the set-up and checks of a top-level call. o32: 32-bit
// registers, 64-bit values in aligned even/odd register pairs (lower-numbered register = lower-address word,
// i.e. the high word on big-endian), stack arguments above the 16-byte home area, sp 8-aligned.
// n64: a0–a7, stack arguments from 0(sp), sp 16-aligned, 32-bit values sign-extended. Owns the caller's
// obligations (trip-wire "abi"), the callee's freedom to clobber (poison) and the callee-saved check on
// return. Does not own what host functions do (they are plain TypeScript functions supplied by the user).
import { InputError } from "../src/ebpf/errors";
import type { Cpu } from "./cpu";
import { STOP_HOSTERR, STOP_TRAP, regName } from "./cpu";
import type { Machine } from "./machine";
import { PERM_W } from "./memory";
import type { ArgKind, CallOptions, HostArg, Outcome, Pair } from "./types";

const TWO32 = 4294967296;
/** Registers a callee may clobber (both ABIs): at, v0–v1, a0–a3 / a0–a7, t*, t8, t9, k0, k1, ra. */
const CALLER_SAVED = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 31];
const HOME_POISON = 0xdeadc0de;

function calleeSaved(m: Machine): number[] {
  // s0–s7, sp, fp; gp too on n64 (on o32 the PIC caller restores gp itself — mips-isa.md §7, uncertain)
  return m.abi === "n64" ? [16, 17, 18, 19, 20, 21, 22, 23, 28, 29, 30] : [16, 17, 18, 19, 20, 21, 22, 23, 29, 30];
}

/** Where each argument goes: o32 slot numbers (4-byte units; 0–3 = a0–a3) or n64 register/stack indices. */
function o32Slots(kinds: readonly ArgKind[]): number[] {
  const slots: number[] = [];
  let n = 0;
  for (const k of kinds) {
    if (k === "u64") { n = (n + 1) & ~1; slots.push(n); n += 2; } else { slots.push(n); n += 1; }
  }
  return slots;
}

export interface SavedState {
  readonly regs: number[];
  readonly lo: Int32Array;
  readonly hi: Int32Array;
}

/** Prepare registers and stack for a top-level call; returns the callee-saved snapshot. */
export function setupCall(m: Machine, entry: number, opts: CallOptions): SavedState {
  const c = m.cpu;
  const sp = opts.sp;
  const align = m.abi === "o32" ? 8 : 16;
  if (sp % align !== 0) throw new InputError(`call: sp 0x${sp.toString(16)} is not ${align}-byte aligned (${m.abi})`);
  const args = opts.args ?? [];
  // reset machine state
  c.pm = 0; c.pmHL = 0; c.mpMask = 0; c.mpHit = false; c.hlBad = 0; c.hlPend = false; c.lastMf = -10; c.ldReg = 0; c.llBit = 0; c.llMem = false;
  c.curSlot = 0; c.nextSlot = 0;
  const why = "undefined at entry (caller-saved / not an argument)";
  for (const r of CALLER_SAVED) c.poison(r, why);
  c.poison(32, "HI undefined at entry");
  c.poison(33, "LO undefined at entry");
  // callee-saved registers hold recognisable caller values
  for (let r = 16; r <= 23; r++) m.setReg(r, 0x5a5a0000 | (r << 8) | r, 0x00c0ffee);
  m.setReg(28, 0x5a5a1c1c, 0x00c0ffee);
  m.setReg(30, 0x5a5a1e1e, 0x00c0ffee);
  m.setReg(29, sp % TWO32, Math.floor(sp / TWO32));
  m.setReg(31, m.exitAddr % TWO32, Math.floor(m.exitAddr / TWO32));
  m.setReg(25, entry % TWO32, Math.floor(entry / TWO32)); // PIC convention: callee address in $t9
  if (m.abi === "o32") {
    const slots = o32Slots(args.map((a) => a.kind));
    args.forEach((a, i) => {
      const s = slots[i];
      const words = a.kind === "u64" ? (m.littleEndian ? [a.lo, a.hi ?? 0] : [a.hi ?? 0, a.lo]) : [a.lo];
      words.forEach((v, j) => {
        const slot = s + j;
        if (slot < 4) m.setReg(4 + slot, v);
        else {
          try { m.mem.write32(sp + 4 * slot, v >>> 0); } catch { throw new InputError(`call: stack argument ${i + 1} at 0x${(sp + 4 * slot).toString(16)} is not mapped`); }
        }
      });
    });
  } else {
    args.forEach((a, i) => {
      const hi = a.kind === "u32" ? (a.lo | 0) >> 31 : (a.hi ?? 0);
      if (i < 8) m.setReg(4 + i, a.lo, hi);
      else {
        try { m.mem.write64(sp + 8 * (i - 8), hi, a.lo); } catch { throw new InputError(`call: stack argument ${i + 1} is not mapped`); }
      }
    });
  }
  const regs = calleeSaved(m);
  return { regs, lo: Int32Array.from(c.lo), hi: Int32Array.from(c.hi) };
}

function trapOutcome(m: Machine, reason: string, tw: "abi" | "poison", reg?: number, extra: Partial<Outcome> = {}): Outcome {
  const c = m.cpu;
  c.stop = STOP_TRAP; c.stopTw = tw; c.stopReason = reason; c.stopReg = reg ?? -1;
  c.stopVal = reg !== undefined ? c.hex(reg) : "";
  return m.outcome(STOP_TRAP, extra);
}

/** After the callee returned to the exit trampoline: callee-saved registers, poisoned results, ret value. */
export function checkReturn(m: Machine, saved: SavedState, ret: ArgKind | "void"): Outcome | null {
  const c = m.cpu;
  if (m.tripwires.abi) {
    for (const r of saved.regs) {
      if (c.lo[r] !== saved.lo[r] || (m.is64 && c.hi[r] !== saved.hi[r])) {
        return trapOutcome(m, `callee-saved register ${regName(r, m.abi === "n64")} not restored on return (entry value ${m.hex64(saved.hi[r], saved.lo[r])})`, "abi", r);
      }
    }
  }
  let value: Pair = { lo: 0, hi: 0 };
  const poisoned = (r: number): boolean => ((c.pm >>> r) & 1) !== 0;
  if (ret !== "void") {
    if (m.abi === "o32" && ret === "u64") {
      for (const r of [2, 3]) if (poisoned(r)) return trapOutcome(m, `returns an undefined value in ${regName(r)} (${c.poisonWhy[r]})`, "poison", r);
      value = m.littleEndian ? { lo: c.lo[2] >>> 0, hi: c.lo[3] >>> 0 } : { lo: c.lo[3] >>> 0, hi: c.lo[2] >>> 0 };
    } else {
      if (poisoned(2)) return trapOutcome(m, `returns an undefined value in ${regName(2, m.abi === "n64")} (${c.poisonWhy[2]})`, "poison", 2);
      if (m.abi === "n64" && ret === "u32" && m.tripwires.abi && !c.isWord(2)) {
        return trapOutcome(m, "n64 32-bit return value in $v0 is not sign-extended", "abi", 2);
      }
      value = ret === "u32" || m.abi === "o32" ? { lo: c.lo[2] >>> 0, hi: 0 } : { lo: c.lo[2] >>> 0, hi: c.hi[2] >>> 0 };
    }
  }
  return m.outcome(4 /* STOP_EXIT */, { ret: value });
}

/** Executing at a host trampoline: marshal, check, clobber, call, return to $ra. */
export function hostCall(m: Machine, c: Cpu): number {
  const addr = c.cpc;
  const spec = m.hosts.get(addr);
  if (spec === undefined) return c.exc("RI", "host trampoline without a registered function");
  const name = spec.name ?? `host@0x${addr.toString(16)}`;
  const tw = m.tripwires;
  const sp = c.regAddr(29);
  const o32 = m.abi === "o32";
  const abiTrap = (reason: string, reg?: number): number => c.trap("abi", `call to ${name}: ${reason}`, reg ?? -1, reg !== undefined ? c.hex(reg) : "");
  if (tw.poison && ((c.pm >>> 29) & 1) !== 0) return c.poisonTrap(29, `is the stack pointer at the call to ${name}`);
  if (tw.abi) {
    const align = o32 ? 8 : 16;
    if (sp % align !== 0) return abiTrap(`sp 0x${sp.toString(16)} is not ${align}-byte aligned (${m.abi})`, 29);
    if (spec.requireT9 === true && c.regAddr(25) !== addr) return abiTrap(`call target must be in $t9 (PIC), but $t9 = ${c.hex(25)}`, 25);
    if (o32) {
      const r = m.mem.find(sp, 16);
      if (r === null || (r.perm & PERM_W) === 0) return abiTrap(`the 16-byte argument home area at sp 0x${sp.toString(16)} is not reserved in writable stack memory`, 29);
    }
  }
  // arguments
  const args: HostArg[] = [];
  const argPoison = (r: number, i: number): number => c.poisonTrap(r, `is argument ${i + 1} of ${name}`);
  const stackWord = (a: number): number | null => {
    const r = m.mem.find(a, 4);
    return r === null ? null : r.dv.getUint32(a - r.base, m.littleEndian);
  };
  if (o32) {
    const slots = o32Slots(spec.args);
    for (let i = 0; i < spec.args.length; i++) {
      const k = spec.args[i], s = slots[i], n = k === "u64" ? 2 : 1;
      const words: number[] = [];
      for (let j = 0; j < n; j++) {
        const slot = s + j;
        if (slot < 4) {
          const r = 4 + slot;
          if (tw.poison && ((c.pm >>> r) & 1) !== 0) return argPoison(r, i);
          words.push(c.lo[r] >>> 0);
        } else {
          const v = stackWord(sp + 4 * slot);
          if (v === null) return abiTrap(`stack argument ${i + 1} at 0x${(sp + 4 * slot).toString(16)} is not mapped`);
          words.push(v);
        }
      }
      if (k === "u64") args.push(m.littleEndian ? { lo: words[0], hi: words[1] } : { lo: words[1], hi: words[0] });
      else args.push({ lo: words[0], hi: 0 });
    }
  } else {
    for (let i = 0; i < spec.args.length; i++) {
      const k = spec.args[i];
      let lo: number, hi: number;
      if (i < 8) {
        const r = 4 + i;
        if (tw.poison && ((c.pm >>> r) & 1) !== 0) return argPoison(r, i);
        lo = c.lo[r] >>> 0; hi = c.hi[r] >>> 0;
        if (k === "u32" && tw.abi && !c.isWord(r)) return abiTrap(`32-bit argument ${i + 1} in ${regName(r, m.abi === "n64")} is not sign-extended (n64 keeps 32-bit values sign-extended)`, r);
      } else {
        const a = sp + 8 * (i - 8);
        const x = stackWord(a), y = stackWord(a + 4);
        if (x === null || y === null) return abiTrap(`stack argument ${i + 1} at 0x${a.toString(16)} is not mapped`);
        if (m.littleEndian) { lo = x; hi = y; } else { hi = x; lo = y; }
      }
      args.push(k === "u32" ? { lo, hi: 0 } : { lo, hi });
    }
  }
  if (tw.poison && ((c.pm >>> 31) & 1) !== 0) return c.poisonTrap(31, `is the return address of the call to ${name}`);
  const ra = c.regAddr(31);
  // the callee may clobber the home area and every caller-saved register (and HI/LO)
  if (o32) {
    const r = m.mem.find(sp, 16);
    if (r !== null && (r.perm & PERM_W) !== 0) for (let j = 0; j < 4; j++) r.dv.setUint32(sp - r.base + 4 * j, (HOME_POISON + j) >>> 0, m.littleEndian);
    if (tw.poison) { c.mpBase = sp; c.mpMask = 0xffff; c.mpWhy = `home area at 0x${sp.toString(16)} clobbered by the call to ${name}`; }
  }
  const why = `clobbered by the call to ${name} at 0x${addr.toString(16)}`;
  for (const r of CALLER_SAVED) c.poison(r, why);
  c.poison(32, why);
  c.poison(33, why);
  let res: Pair;
  try {
    res = spec.fn(args);
  } catch (e) {
    c.stop = STOP_HOSTERR;
    c.stopReason = `host function ${name} threw: ${(e as Error)?.message ?? String(e)}`;
    return STOP_HOSTERR;
  }
  const rlo = res.lo | 0, rhi = res.hi | 0;
  if (spec.ret === "u64" && o32) {
    m.setReg(2, m.littleEndian ? rlo : rhi);
    m.setReg(3, m.littleEndian ? rhi : rlo);
  } else if (spec.ret === "u32") {
    m.setReg(2, rlo, rlo >> 31); // n64 keeps 32-bit values sign-extended; o32 registers are 32-bit
  } else if (spec.ret !== "void") {
    m.setReg(2, rlo, rhi);
  }
  c.pc = ra;
  c.npc = ra + 4;
  c.nextSlot = 0;
  return 0;
}
