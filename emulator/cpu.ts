// The CPU model: register file (64-bit registers as hi/lo Int32Array pairs; 32-bit levels keep hi as the
// sign extension of lo so one set of semantics serves both), HI/LO, pc/next-pc with delay and forbidden
// slots, LL/SC link, MIPS I load delay, poison bits, and the fetch–check–execute loop over the predecode
// cache. Owns the loop and the generic, table-driven trip-wire checks (word32, load delay, CTI in slot,
// poison). Does not own instruction semantics (sem-*.ts), the public Machine API, host calls or outcomes
// formatting (machine.ts). Hot path: no BigInt, no allocation per instruction; a stop records its facts in
// fields and the Machine builds the Outcome once.
import type { BlockFn, Region, Memory } from "./memory";
import { compileBlock, HOT } from "./blocks";
import { PERM_R, PERM_W, PERM_X, UNDECODED } from "./memory";
import type { ExceptionCode, TripwireName, Tripwires } from "./types";
import {
  F_ADDR, F_CLEAN, F_CTI, F_DECIDE, F_OWNPOISON, F_RHI, F_RLO, F_RS, F_RT, F_STORE, F_TARGET, F_W31,
  F_W32RS, F_W32RT, F_WHI, F_WLO, F_WRD, F_WRS, F_WRT, F_LOAD, F_POISON_USE, F_DECIDET, F_SLOTBAN,
} from "./flags";

/** A semantic function: executes one instruction; returns 0 to continue, non-zero after recording a stop. */
export type Sem = (c: Cpu, w: number) => number;

export const STOP_NONE = 0;
export const STOP_EXC = 1;
export const STOP_TRAP = 2;
export const STOP_BUDGET = 3;
export const STOP_EXIT = 4;
export const STOP_HOSTERR = 5;

const TWO32 = 4294967296;

/** Decoder hook the Machine provides: table id for a word (or a special id), computed once per word. */
export type DecodeHook = (word: number, pc: number) => number;

export class Cpu {
  // ---- architectural state ----
  readonly lo = new Int32Array(32);
  readonly hi = new Int32Array(32);
  /** HI and LO: [HI.lo, HI.hi, LO.lo, LO.hi]. */
  readonly hl = new Int32Array(4);
  pc = 0;
  npc = 4;
  /** pc of the instruction being executed. */
  cpc = 0;
  /** Slot kind of the instruction being executed / of the next one: 0 none, 1 delay slot, 2 forbidden slot. */
  curSlot = 0;
  nextSlot = 0;
  llBit = 0;
  llAddr = 0;
  /** A load or store executed between LL and SC (the SC outcome is then UNPREDICTABLE, Vol. II SC). */
  llMem = false;
  /** MIPS I: register loaded by the previous instruction (0: none). */
  ldReg = 0;
  /** rdhwr $29 (UserLocal, the TLS pointer). */
  userLocal = 0;
  icount = 0;

  // ---- trip-wire state ----
  /** Poisoned GPRs (bit n: $n) and HI/LO (bit 0 HI, bit 1 LO). */
  pm = 0;
  pmHL = 0;
  readonly poisonWhy: string[] = new Array<string>(34).fill("");
  /** HI/LO UNPREDICTABLE: bit 0 HI, bit 1 LO, with the reason. */
  hlBad = 0;
  hlBadWhy = "";
  /** A multiply/divide result is in HI/LO and neither half has been read or rewritten yet. */
  hlPend = false;
  /** Poisoned memory: byte mpBase + i is undefined while bit i of mpMask is set (the o32 home area after a
   *  host call). A load touching such bytes poisons its destination; a store defines them. */
  mpBase = 0;
  mpMask = 0;
  mpWhy = "";
  /** Set by ldR when the access read poisoned bytes; the load semantic then poisons its destination. */
  mpHit = false;
  /** icount of the last MFHI/MFLO (MIPS I–III hazard window). */
  lastMf = -10;

  // ---- configuration ----
  readonly is64: boolean;
  readonly le: boolean;
  readonly tw: Tripwires;
  /** Level predicates cached for semantics. */
  readonly mips1: boolean;
  readonly hiloHazard: boolean;
  readonly r6: boolean;
  /** MIPS I with the load-delay trip-wire armed. */
  readonly ldDelay: boolean;
  /** Register names in messages follow n64 (set by the Machine from its ABI). */
  n64 = false;
  /** Use the block compiler for hot code (off: pure interpreter, e.g. to cross-check the two). */
  useBlocks = true;
  /** Executions of a block start before it is compiled (1: compile at once, as the random-word run does). */
  hotThreshold = HOT;
  /** Flags whose presence sends an instruction through the generic checks. */
  readonly slowMask: number;

  // ---- memory and dispatch ----
  readonly mem: Memory;
  private dr: Region | null = null;
  private cr: Region | null = null;
  fns: Sem[] = [];
  flags: Int32Array = new Int32Array(0);
  decodeHook: DecodeHook = () => -1;
  /** Syscall handler (ELF runner): returns 0 to continue or a STOP_* code after recording the stop. */
  onSyscall: ((c: Cpu) => number) | null = null;

  // ---- stop record ----
  stop = STOP_NONE;
  stopExc: ExceptionCode | undefined = undefined;
  stopTw: TripwireName | undefined = undefined;
  stopReason = "";
  stopReg = -1;
  stopVal = "";
  stopAddr: number | undefined = undefined;
  /** Set by host trampolines: the stop happened outside an instruction (e.g. during a host call). */
  stopPc: number | undefined = undefined;

  // scratch for wide multiply/divide results (no allocation on the hot path)
  readonly s = new Int32Array(4);

  constructor(mem: Memory, opts: { is64: boolean; le: boolean; tw: Tripwires; mips1: boolean; hiloHazard: boolean; r6: boolean }) {
    this.mem = mem;
    this.is64 = opts.is64;
    this.le = opts.le;
    this.tw = opts.tw;
    this.mips1 = opts.mips1;
    this.hiloHazard = opts.hiloHazard;
    this.r6 = opts.r6;
    this.ldDelay = opts.mips1 && opts.tw["load-delay"];
    this.slowMask = (opts.is64 && opts.tw.word32 ? F_W32RS | F_W32RT : 0);
  }

  // ---------------- register helpers ----------------

  /** Write a 32-bit result, sign-extended (mips-isa.md §5). */
  setW(r: number, v: number): void {
    this.lo[r] = v;
    this.hi[r] = v >> 31;
  }

  set64(r: number, h: number, l: number): void {
    this.lo[r] = l;
    this.hi[r] = h;
  }

  /** Register value as an address / pc number (32-bit levels: the low word, unsigned). */
  regAddr(r: number): number {
    return this.is64 ? (this.hi[r] >>> 0) * TWO32 + (this.lo[r] >>> 0) : this.lo[r] >>> 0;
  }

  /** Write an address-sized value (link addresses, pc-relative results). */
  setAddr(r: number, v: number): void {
    const l = v | 0;
    this.lo[r] = l;
    this.hi[r] = this.is64 ? Math.floor(v / TWO32) | 0 : l >> 31;
  }

  /** Effective address base + sext(offset). */
  ea(base: number, off: number): number {
    if (!this.is64) return (this.lo[base] + off) >>> 0;
    const s = (this.lo[base] >>> 0) + off;
    const h = (this.hi[base] + Math.floor(s / TWO32)) >>> 0;
    return h * TWO32 + (s >>> 0);
  }

  /** pc arithmetic: wraps at 2^32 on 32-bit levels. */
  wrap(a: number): number {
    return this.is64 ? a : a >>> 0;
  }

  isWord(r: number): boolean {
    return this.hi[r] === this.lo[r] >> 31;
  }

  hex(r: number): string {
    return this.is64
      ? "0x" + (this.hi[r] >>> 0).toString(16).padStart(8, "0") + "_" + (this.lo[r] >>> 0).toString(16).padStart(8, "0")
      : "0x" + (this.lo[r] >>> 0).toString(16).padStart(8, "0");
  }

  // ---------------- memory access (data) ----------------

  /** Region for a data access of len bytes with permission perm, or null (the caller raises AdEL/AdES). */
  rgn(a: number, len: number, perm: number): Region | null {
    const r = this.dr;
    if (r !== null && a >= r.base && a + len <= r.end && (r.perm & perm) !== 0) return r;
    const f = this.mem.find(a, len);
    if (f === null || (f.perm & perm) === 0) return null;
    this.dr = f;
    return f;
  }

  /** Region for a load; records AdEL when unmapped/unreadable/misaligned (align: required alignment mask). */
  ldR(a: number, len: number, align: number): Region | null {
    if (this.llBit !== 0) this.llMem = true;
    if ((a & align) !== 0) {
      this.exc("AdEL", `misaligned ${len}-byte load from 0x${a.toString(16)}`, a);
      return null;
    }
    const r = this.rgn(a, len, PERM_R);
    if (r === null) this.exc("AdEL", `${len}-byte load from ${this.describe(a, len, PERM_R)} address 0x${a.toString(16)}`, a);
    else if (this.mpMask !== 0) this.mpHit = (this.mpMask & this.mpBits(a, len)) !== 0;
    return r;
  }

  stR(a: number, len: number, align: number): Region | null {
    if (this.llBit !== 0) this.llMem = true;
    if ((a & align) !== 0) {
      this.exc("AdES", `misaligned ${len}-byte store to 0x${a.toString(16)}`, a);
      return null;
    }
    const r = this.rgn(a, len, PERM_W);
    if (r === null) this.exc("AdES", `${len}-byte store to ${this.describe(a, len, PERM_W)} address 0x${a.toString(16)}`, a);
    else {
      if (r.dOp !== null) r.invalidate(a - r.base, len);
      if (this.mpMask !== 0) this.mpMask &= ~this.mpBits(a, len);
    }
    return r;
  }

  /** Bits of mpMask covered by [a, a + len). */
  private mpBits(a: number, len: number): number {
    const lo = Math.max(a, this.mpBase), hi = Math.min(a + len, this.mpBase + 16);
    return lo < hi ? (((1 << (hi - lo)) - 1) << (lo - this.mpBase)) & 0xffff : 0;
  }

  /** After a load into r: poison it if the load read poisoned bytes. */
  ldPoison(r: number): void {
    this.mpHit = false;
    this.poisonAs(r, this.mpWhy);
  }

  private describe(a: number, len: number, perm: number): string {
    const f = this.mem.find(a, len);
    if (f === null) return "unmapped";
    return perm === PERM_W ? `read-only (region '${f.name}')` : `unreadable (region '${f.name}')`;
  }

  // ---------------- stops ----------------

  exc(code: ExceptionCode, reason: string, addr?: number): number {
    this.stop = STOP_EXC;
    this.stopExc = code;
    this.stopReason = reason;
    this.stopAddr = addr;
    return STOP_EXC;
  }

  trap(tw: TripwireName, reason: string, reg = -1, val = ""): number {
    this.stop = STOP_TRAP;
    this.stopTw = tw;
    this.stopReason = reason;
    this.stopReg = reg;
    this.stopVal = val;
    return STOP_TRAP;
  }

  // ---------------- HI/LO bookkeeping (mips-isa.md §4.2, §4.3) ----------------

  /** A multiply/divide is about to write HI and LO. */
  hlWrite(): number {
    if (this.hiloHazard && this.tw.hilo && this.icount - this.lastMf <= 2) {
      return this.trap("hilo", `HI/LO written within two instructions of MFHI/MFLO at 0x${this.cpc.toString(16)} (MIPS I–III hazard: the MFHI/MFLO result is UNPREDICTABLE)`);
    }
    this.hlBad = 0;
    this.hlPend = true;
    return 0;
  }

  /** Mark HI and LO UNPREDICTABLE (SPECIAL2 MUL, divide by zero, INT_MIN / −1). */
  hlUnpredictable(why: string): void {
    this.hlBad = 3;
    this.hlBadWhy = why;
    this.hlPend = false;
  }

  // ---------------- decode cache ----------------

  fetchRegion(pc: number): Region | null {
    if ((pc & 3) !== 0) {
      this.cpc = pc;
      this.exc("AdEL", `instruction fetch from misaligned address 0x${pc.toString(16)}`, pc);
      return null;
    }
    const r = this.mem.find(pc, 4);
    if (r === null) {
      this.cpc = pc;
      this.exc("AdEL", `instruction fetch from unmapped address 0x${pc.toString(16)}`, pc);
      return null;
    }
    if ((r.perm & PERM_X) === 0 || r.dOp === null) {
      this.cpc = pc;
      this.exc("XI", `instruction fetch from non-executable region '${r.name}' at 0x${pc.toString(16)}`, pc);
      return null;
    }
    this.cr = r;
    return r;
  }

  // ---------------- the loop ----------------

  /** Run until a stop or until icount reaches limit. Returns the STOP_* code. */
  run(limit: number): number {
    const fns = this.fns;
    const flags = this.flags;
    const lo = this.lo;
    const hi = this.hi;
    const slowMask = this.slowMask;
    let r = this.cr;
    if (r === null) {
      r = this.fetchRegion(this.pc);
      if (r === null) return (this.stop = STOP_EXC);
    }
    for (;;) {
      if (this.icount >= limit) {
        this.cpc = this.pc;
        this.stopReason = `instruction budget of ${limit} exhausted`;
        return (this.stop = STOP_BUDGET);
      }
      const pc = this.pc;
      let off: number = pc - r.base;
      if (off < 0 || off >= r.size || (pc & 3) !== 0) {
        r = this.fetchRegion(pc);
        if (r === null) return STOP_EXC;
        off = pc - r.base;
      }
      const i = off >>> 2;
      if (this.useBlocks && (this.nextSlot | this.ldReg) === 0) {
        const bl = r.blocks.length !== 0 ? r.blocks[i] : undefined;
        if (bl !== undefined && bl !== null) {
          if (this.icount + (r.blockLen as Uint16Array)[i] <= limit) {
            // a block never starts in a slot (nextSlot is 0 here); clear the flag the interpreter may have
            // left from the previous instruction, or the block's checks would see a stale "in delay slot"
            this.curSlot = 0;
            if (bl(this, limit) !== 0) return this.stop;
            continue;
          }
        } else if (bl === undefined && ++(r.heat as Uint8Array)[i] >= this.hotThreshold) {
          if (r.blocks.length === 0) r.blocks = new Array<BlockFn | null | undefined>((r.dOp as Int32Array).length).fill(undefined);
          const b = compileBlock(this, r, i);
          r.blocks[i] = b === null ? null : b.fn;
          if (b !== null) (r.blockLen as Uint16Array)[i] = b.len;
          continue;
        }
      }
      const dOp = r.dOp as Int32Array;
      let id = dOp[i];
      const dWord = r.dWord as Int32Array;
      if (id === UNDECODED) {
        const w0 = r.dv.getInt32(i << 2, this.le);
        dWord[i] = w0;
        id = this.decodeHook(w0, pc);
        dOp[i] = id;
      }
      const w = dWord[i];
      this.cpc = pc;
      this.pc = this.npc;
      this.npc = this.npc + 4;
      this.curSlot = this.nextSlot;
      this.nextSlot = 0;
      this.icount++;
      const f = flags[id];
      if ((f & slowMask) !== 0 || (this.curSlot | this.ldReg | this.pm | this.pmHL) !== 0) {
        if (this.checks(f, w) !== 0) return this.stop;
      }
      if (fns[id](this, w) !== 0) return this.stop;
      lo[0] = 0;
      hi[0] = 0;
      if ((f & F_LOAD) !== 0 && this.ldDelay) this.ldReg = (w >>> 16) & 31;
    }
  }

  /** The generic, flag-driven trip-wire checks (slow path; runs only when something is pending). */
  checks(f: number, w: number): number {
    const rs = (w >>> 21) & 31;
    const rt = (w >>> 16) & 31;
    // (4) CTI in a delay slot (pre-r6: UNPREDICTABLE) or forbidden slot (r6: Reserved Instruction)
    // PAUSE (F_SLOTBAN) follows the same rule (Vol. II PAUSE Restrictions).
    if (this.curSlot !== 0 && (f & (F_CTI | F_SLOTBAN)) !== 0) {
      const where = this.curSlot === 1 ? "delay slot" : "forbidden slot";
      const what = (f & F_CTI) !== 0 ? "control-transfer instruction" : "pause";
      if (this.tw["cti-slot"]) return this.trap("cti-slot", `${what} in a ${where}`);
      if (this.r6) return this.exc("RI", `${what} in a ${where} (Release 6: Reserved Instruction)`);
    }
    // (2) MIPS I load delay: the loaded register is not yet available to this instruction
    const ld = this.ldReg;
    if (ld !== 0) {
      this.ldReg = 0;
      if (((f & F_RS) !== 0 && rs === ld) || ((f & F_RT) !== 0 && rt === ld)) {
        return this.trap("load-delay", `reads ${regName(ld, this.n64)} in the load delay slot of the load at 0x${(this.cpc - 4).toString(16)} (MIPS I: the value is not yet loaded)`, ld, this.hex(ld));
      }
    }
    // (1) 32-bit operation on a non-sign-extended operand (NotWordValue → UNPREDICTABLE)
    if ((f & this.slowMask) !== 0) {
      if ((f & F_W32RS) !== 0 && !this.isWord(rs)) {
        return this.trap("word32", `32-bit operation reads ${regName(rs, this.n64)} which is not a sign-extended 32-bit value (result UNPREDICTABLE)`, rs, this.hex(rs));
      }
      if ((f & F_W32RT) !== 0 && !this.isWord(rt)) {
        return this.trap("word32", `32-bit operation reads ${regName(rt, this.n64)} which is not a sign-extended 32-bit value (result UNPREDICTABLE)`, rt, this.hex(rt));
      }
    }
    // (7) poison: use checks, then propagation to the written register
    const pm = this.pm;
    if ((pm | this.pmHL) !== 0) {
      const ps = (f & F_RS) !== 0 ? (pm >>> rs) & 1 : 0;
      const pt = (f & F_RT) !== 0 ? (pm >>> rt) & 1 : 0;
      if ((ps | pt) !== 0 && (f & F_POISON_USE) !== 0) {
        if ((f & F_ADDR) !== 0 && ps !== 0) return this.poisonTrap(rs, "forms an address");
        if ((f & F_STORE) !== 0 && pt !== 0) return this.poisonTrap(rt, "is stored to memory");
        if ((f & F_TARGET) !== 0) return this.poisonTrap(ps !== 0 ? rs : rt, "is a jump target");
        if ((f & F_DECIDE) !== 0) return this.poisonTrap(ps !== 0 ? rs : rt, "decides a branch or trap");
        if ((f & F_DECIDET) !== 0 && pt !== 0) return this.poisonTrap(rt, "decides a conditional move or select");
      }
      if ((f & F_OWNPOISON) === 0) {
        let src = ps | pt;
        if ((f & F_RHI) !== 0) src |= this.pmHL & 1;
        if ((f & F_RLO) !== 0) src |= (this.pmHL >>> 1) & 1;
        if ((f & F_CLEAN) !== 0) src = 0;
        let m = pm;
        const why = src !== 0 ? this.poisonWhy[ps !== 0 ? rs : pt !== 0 ? rt : (f & F_RHI) !== 0 ? 32 : 33] : "";
        if ((f & F_WRD) !== 0) {
          const rd = (w >>> 11) & 31;
          m = (m & ~(1 << rd)) | (src << rd);
          if (src !== 0) this.poisonWhy[rd] = why;
        }
        if ((f & F_WRT) !== 0) {
          m = (m & ~(1 << rt)) | (src << rt);
          if (src !== 0) this.poisonWhy[rt] = why;
        }
        if ((f & F_WRS) !== 0) {
          m = (m & ~(1 << rs)) | (src << rs);
          if (src !== 0) this.poisonWhy[rs] = why;
        }
        if ((f & F_W31) !== 0) m &= 0x7fffffff;
        if ((f & (F_WHI | F_WLO)) !== 0) {
          let h = this.pmHL;
          if ((f & F_WHI) !== 0) h = (h & ~1) | src;
          if ((f & F_WLO) !== 0) h = (h & ~2) | (src << 1);
          if (src !== 0) this.poisonWhy[32] = this.poisonWhy[33] = why;
          this.pmHL = h;
        }
        this.pm = m & ~1;
      }
    }
    return 0;
  }

  poisonTrap(r: number, what: string): number {
    return this.trap("poison", `undefined value in ${regName(r, this.n64)} (${this.poisonWhy[r]}) ${what}`, r, this.hex(r));
  }

  /** Poison register r (0–31, 32 HI, 33 LO) with a recorded value pattern. */
  poison(r: number, why: string): void {
    if (r === 0) return;
    const pat = (0xdead0000 | (r << 8) | (this.icount & 0xff)) | 0;
    if (r < 32) {
      this.lo[r] = pat;
      this.hi[r] = this.is64 ? 0x5ca1ab1e : pat >> 31;
      if (this.tw.poison) this.pm |= 1 << r;
    } else {
      const k = r === 32 ? 0 : 2;
      this.hl[k] = pat;
      this.hl[k + 1] = this.is64 ? 0x5ca1ab1e : pat >> 31;
      if (this.tw.poison) this.pmHL |= r === 32 ? 1 : 2;
    }
    this.poisonWhy[r] = why;
  }

  /** Mark register r (0–31) as holding an UNPREDICTABLE value, keeping its current value. */
  poisonAs(r: number, why: string): void {
    if (r === 0) return;
    this.pm |= 1 << r;
    this.poisonWhy[r] = why;
  }

  /** Reset the cached code/data regions (after memory map changes). */
  resetCaches(): void {
    this.cr = null;
    this.dr = null;
  }
}

const O32 = ["zero", "at", "v0", "v1", "a0", "a1", "a2", "a3", "t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7",
  "s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "t8", "t9", "k0", "k1", "gp", "sp", "fp", "ra", "HI", "LO"];

const N64 = [...O32.slice(0, 8), "a4", "a5", "a6", "a7", "t0", "t1", "t2", "t3", ...O32.slice(16)];

/** "$t0 ($8)"-style name for messages (o32 names, or n64's where $8–$15 are a4–a7, t0–t3). */
export function regName(r: number, n64 = false): string {
  const names = n64 ? N64 : O32;
  return r < 32 ? `$${names[r]} ($${r})` : names[r];
}

export { PERM_R, PERM_W, PERM_X };
export { F_ADDR, F_CLEAN, F_CTI, F_DECIDE, F_RS, F_RT, F_STORE, F_TARGET, F_W31, F_WRD, F_WRT };
