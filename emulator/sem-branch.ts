// Semantics of control transfers: delay-slot branches and jumps, branch-likely (slot annulled when not
// taken), r6 compact branches (no delay slot; the conditional ones leave a forbidden slot) and the
// exception-raising SYSCALL/BREAK/trap group. Owns pc/next-pc updates (reference mips-isa.md §3–§4.1): when
// an instruction runs, cpu.pc already holds its successor (the delay slot) and cpu.npc the one after;
// a taken delay-slot branch replaces npc, a compact branch replaces both. Does not own the CTI-in-slot
// check or poison checks on the condition (cpu.ts, from the table's cti class).
import type { Cpu } from "./cpu";
import type { SemSpec } from "./sem-alu";

const S = (w: number): number => (w >>> 21) & 31;
const T = (w: number): number => (w >>> 16) & 31;
const D = (w: number): number => (w >>> 11) & 31;
const I16 = (w: number): number => (w << 16) >> 16;
const SEG = 268435456; // 256 MiB: J/JAL stay in the delay slot's segment

/** Delay-slot branch: cond decides; likely annuls the slot when not taken; link writes $31 = pc + 8. */
function br(c: Cpu, w: number, cond: boolean, likely: boolean, link: boolean): number {
  const cpc = c.cpc;
  if (link) {
    if (S(w) === 31 && c.tw.unpredictable && !c.r6) {
      return c.trap("unpredictable", "branch-and-link with rs = $31 (UNPREDICTABLE: not restartable)");
    }
    c.setAddr(31, c.wrap(cpc + 8));
  }
  if (cond) {
    c.npc = c.wrap(cpc + 4 + I16(w) * 4);
    c.nextSlot = 1;
  } else if (likely) {
    c.pc = c.wrap(cpc + 8);
    c.npc = c.pc + 4;
  } else {
    c.nextSlot = 1;
  }
  return 0;
}

/** Compact branch: taken → straight to the target; not taken → the next instruction is a forbidden slot. */
function cbr(c: Cpu, cond: boolean, off: number, link: boolean): number {
  const cpc = c.cpc;
  if (link) c.setAddr(31, c.wrap(cpc + 4));
  if (cond) {
    const t = c.wrap(cpc + 4 + off);
    c.pc = t;
    c.npc = t + 4;
  } else {
    c.nextSlot = 2;
  }
  return 0;
}

/**
 * r6 B{LE,GE,GT,LT,EQ,NE}ZALC with rt = $31: the condition reads the register the link overwrites. Vol. II r6
 * ("the condition is evaluated … places the return address link in GPR 31 … unconditionally") does not order
 * the two, QEMU 7.2 links first, and the pre-r6 analogue (BLTZAL/BGEZAL/…ALL with rs = 31, Vol. II
 * Restrictions: "not restartable") is UNPREDICTABLE; the judge treats it as UNPREDICTABLE too.
 */
function zalc(c: Cpu, w: number): number {
  if (T(w) === 31 && c.tw.unpredictable) {
    return c.trap("unpredictable", "compact branch-and-link tests $ra ($31), the register it links (order of test and link UNPREDICTABLE)");
  }
  return 0;
}

const cmpz = (c: Cpu, r: number): number => (c.hi[r] < 0 ? -1 : (c.hi[r] | c.lo[r]) === 0 ? 0 : 1);
const eq = (c: Cpu, a: number, b: number): boolean => c.lo[a] === c.lo[b] && c.hi[a] === c.hi[b];
const lt = (c: Cpu, a: number, b: number): boolean => c.hi[a] < c.hi[b] || (c.hi[a] === c.hi[b] && (c.lo[a] >>> 0) < (c.lo[b] >>> 0));
const ltu = (c: Cpu, a: number, b: number): boolean => (c.hi[a] >>> 0) < (c.hi[b] >>> 0) || (c.hi[a] === c.hi[b] && (c.lo[a] >>> 0) < (c.lo[b] >>> 0));
const off16 = (w: number): number => I16(w) * 4;
const off21 = (w: number): number => ((w << 11) >> 11) * 4;
const off26 = (w: number): number => ((w << 6) >> 6) * 4;

function jump(c: Cpu, target: number): number {
  c.npc = target;
  c.nextSlot = 1;
  return 0;
}

function jalr(c: Cpu, w: number): number {
  const s = S(w), d = D(w);
  if (s === d && c.tw.unpredictable) return c.trap("unpredictable", `jalr with rs == rd (${s}) is UNPREDICTABLE`);
  const target = c.regAddr(s);
  c.setAddr(d, c.wrap(c.cpc + 8));
  return jump(c, target);
}

/** BOVC/BNVC (r6): signed 32-bit overflow of rs + rt; on 64-bit CPUs a non-word input counts as overflow. */
function addOverflows(c: Cpu, w: number): boolean {
  const s = S(w), t = T(w);
  if (c.is64 && (!c.isWord(s) || !c.isWord(t))) return true;
  const a = c.lo[s], b = c.lo[t], v = (a + b) | 0;
  return ((a ^ v) & (b ^ v)) < 0;
}

function trapIf(c: Cpu, cond: boolean, name: string): number {
  return cond ? c.exc("Tr", `${name} condition true`) : 0;
}

export const BRANCH: Record<string, SemSpec> = {
  beq: { df: "-st", fn: (c, w) => br(c, w, eq(c, S(w), T(w)), false, false) },
  bne: { df: "-st", fn: (c, w) => br(c, w, !eq(c, S(w), T(w)), false, false) },
  blez: { df: "-s", fn: (c, w) => br(c, w, cmpz(c, S(w)) <= 0, false, false) },
  bgtz: { df: "-s", fn: (c, w) => br(c, w, cmpz(c, S(w)) > 0, false, false) },
  bltz: { df: "-s", fn: (c, w) => br(c, w, c.hi[S(w)] < 0, false, false) },
  bgez: { df: "-s", fn: (c, w) => br(c, w, c.hi[S(w)] >= 0, false, false) },
  bltzal: { df: "-s", fn: (c, w) => br(c, w, c.hi[S(w)] < 0, false, true) },
  bgezal: { df: "-s", fn: (c, w) => br(c, w, c.hi[S(w)] >= 0, false, true) },
  bal: { df: "", fn: (c, w) => br(c, w, true, false, true) },
  nal: { df: "", fn: (c, w) => br(c, w, false, false, true) },
  beql: { df: "-st", fn: (c, w) => br(c, w, eq(c, S(w), T(w)), true, false) },
  bnel: { df: "-st", fn: (c, w) => br(c, w, !eq(c, S(w), T(w)), true, false) },
  blezl: { df: "-s", fn: (c, w) => br(c, w, cmpz(c, S(w)) <= 0, true, false) },
  bgtzl: { df: "-s", fn: (c, w) => br(c, w, cmpz(c, S(w)) > 0, true, false) },
  bltzl: { df: "-s", fn: (c, w) => br(c, w, c.hi[S(w)] < 0, true, false) },
  bgezl: { df: "-s", fn: (c, w) => br(c, w, c.hi[S(w)] >= 0, true, false) },
  bltzall: { df: "-s", fn: (c, w) => br(c, w, c.hi[S(w)] < 0, true, true) },
  bgezall: { df: "-s", fn: (c, w) => br(c, w, c.hi[S(w)] >= 0, true, true) },

  j: { df: "", fn: (c, w) => { const n = c.cpc + 4; return jump(c, n - (n % SEG) + (w & 0x03ffffff) * 4); } },
  jal: { df: "", fn: (c, w) => { const n = c.cpc + 4; c.setAddr(31, c.wrap(c.cpc + 8)); return jump(c, n - (n % SEG) + (w & 0x03ffffff) * 4); } },
  jr: { df: "-s", fn: (c, w) => jump(c, c.regAddr(S(w))) },
  jr_hb: { df: "-s", fn: (c, w) => jump(c, c.regAddr(S(w))) },
  jr_r6: { df: "-s", fn: (c, w) => jump(c, c.regAddr(S(w))) },
  jr_hb_r6: { df: "-s", fn: (c, w) => jump(c, c.regAddr(S(w))) },
  jalr: { df: "d=s", fn: jalr },
  jalr_hb: { df: "d=s", fn: jalr },

  // ---- Release 6 compact branches (Vol. II r6 B{cond}C, BC, BALC, JIC, JIALC) ----
  bc: { df: "", fn: (c, w) => cbr(c, true, off26(w), false) },
  balc: { df: "", fn: (c, w) => cbr(c, true, off26(w), true) },
  jic: { df: "-t", fn: (c, w) => { const t = c.wrap(c.regAddr(T(w)) + I16(w)); c.pc = t; c.npc = t + 4; return 0; } },
  jialc: { df: "-t", fn: (c, w) => { const t = c.wrap(c.regAddr(T(w)) + I16(w)); c.setAddr(31, c.wrap(c.cpc + 4)); c.pc = t; c.npc = t + 4; return 0; } },
  beqzc: { df: "-s", fn: (c, w) => cbr(c, cmpz(c, S(w)) === 0, off21(w), false) },
  bnezc: { df: "-s", fn: (c, w) => cbr(c, cmpz(c, S(w)) !== 0, off21(w), false) },
  beqc: { df: "-st", fn: (c, w) => cbr(c, eq(c, S(w), T(w)), off16(w), false) },
  bnec: { df: "-st", fn: (c, w) => cbr(c, !eq(c, S(w), T(w)), off16(w), false) },
  bltc: { df: "-st", fn: (c, w) => cbr(c, lt(c, S(w), T(w)), off16(w), false) },
  bgec: { df: "-st", fn: (c, w) => cbr(c, !lt(c, S(w), T(w)), off16(w), false) },
  bltuc: { df: "-st", fn: (c, w) => cbr(c, ltu(c, S(w), T(w)), off16(w), false) },
  bgeuc: { df: "-st", fn: (c, w) => cbr(c, !ltu(c, S(w), T(w)), off16(w), false) },
  bovc: { df: "-st", fn: (c, w) => cbr(c, addOverflows(c, w), off16(w), false) },
  bnvc: { df: "-st", fn: (c, w) => cbr(c, !addOverflows(c, w), off16(w), false) },
  blezc: { df: "-t", fn: (c, w) => cbr(c, cmpz(c, T(w)) <= 0, off16(w), false) },
  bgezc: { df: "-t", fn: (c, w) => cbr(c, cmpz(c, T(w)) >= 0, off16(w), false) },
  bgtzc: { df: "-t", fn: (c, w) => cbr(c, cmpz(c, T(w)) > 0, off16(w), false) },
  bltzc: { df: "-t", fn: (c, w) => cbr(c, cmpz(c, T(w)) < 0, off16(w), false) },
  // the *ALC forms write $31 = pc + 4 whether or not the branch is taken; rt = $31 traps (zalc below)
  blezalc: { df: "-t", fn: (c, w) => zalc(c, w) || cbr(c, cmpz(c, T(w)) <= 0, off16(w), true) },
  bgezalc: { df: "-t", fn: (c, w) => zalc(c, w) || cbr(c, cmpz(c, T(w)) >= 0, off16(w), true) },
  bgtzalc: { df: "-t", fn: (c, w) => zalc(c, w) || cbr(c, cmpz(c, T(w)) > 0, off16(w), true) },
  bltzalc: { df: "-t", fn: (c, w) => zalc(c, w) || cbr(c, cmpz(c, T(w)) < 0, off16(w), true) },
  beqzalc: { df: "-t", fn: (c, w) => zalc(c, w) || cbr(c, cmpz(c, T(w)) === 0, off16(w), true) },
  bnezalc: { df: "-t", fn: (c, w) => zalc(c, w) || cbr(c, cmpz(c, T(w)) !== 0, off16(w), true) },

  // ---- exceptions ----
  syscall: { df: "", fn: (c) => (c.onSyscall !== null ? c.onSyscall(c) : c.exc("Sys", "syscall")) },
  break: { df: "", fn: (c, w) => c.exc("Bp", `break ${(w >>> 16) & 0x3ff}, ${(w >>> 6) & 0x3ff}`) },
  // r6 SIGRIE: signal a Reserved Instruction exception on purpose (Vol. II r6 SIGRIE)
  sigrie: { df: "", fn: (c, w) => c.exc("RI", `sigrie ${w & 0xffff}`) },
  teq: { df: "-st", fn: (c, w) => trapIf(c, eq(c, S(w), T(w)), "teq") },
  tne: { df: "-st", fn: (c, w) => trapIf(c, !eq(c, S(w), T(w)), "tne") },
  tge: { df: "-st", fn: (c, w) => trapIf(c, !lt(c, S(w), T(w)), "tge") },
  tgeu: { df: "-st", fn: (c, w) => trapIf(c, !ltu(c, S(w), T(w)), "tgeu") },
  tlt: { df: "-st", fn: (c, w) => trapIf(c, lt(c, S(w), T(w)), "tlt") },
  tltu: { df: "-st", fn: (c, w) => trapIf(c, ltu(c, S(w), T(w)), "tltu") },
  teqi: { df: "-s", fn: (c, w) => { const s = S(w), i = I16(w); return trapIf(c, c.lo[s] === i && c.hi[s] === i >> 31, "teqi"); } },
  tnei: { df: "-s", fn: (c, w) => { const s = S(w), i = I16(w); return trapIf(c, !(c.lo[s] === i && c.hi[s] === i >> 31), "tnei"); } },
  tgei: { df: "-s", fn: (c, w) => { const s = S(w), i = I16(w); return trapIf(c, !(c.hi[s] < i >> 31 || (c.hi[s] === i >> 31 && (c.lo[s] >>> 0) < (i >>> 0))), "tgei"); } },
  tgeiu: { df: "-s", fn: (c, w) => { const s = S(w), i = I16(w); return trapIf(c, !((c.hi[s] >>> 0) < (i >> 31) >>> 0 || (c.hi[s] === i >> 31 && (c.lo[s] >>> 0) < (i >>> 0))), "tgeiu"); } },
  tlti: { df: "-s", fn: (c, w) => { const s = S(w), i = I16(w); return trapIf(c, c.hi[s] < i >> 31 || (c.hi[s] === i >> 31 && (c.lo[s] >>> 0) < (i >>> 0)), "tlti"); } },
  tltiu: { df: "-s", fn: (c, w) => { const s = S(w), i = I16(w); return trapIf(c, (c.hi[s] >>> 0) < (i >> 31) >>> 0 || (c.hi[s] === i >> 31 && (c.lo[s] >>> 0) < (i >>> 0)), "tltiu"); } },
};

export const MISC: Record<string, SemSpec> = {
  sync: { df: "", fn: () => 0 },
  rdhwr: { df: "t=", fn: (c, w) => rdhwr(c, w) },
  rdhwr_r6: { df: "t=", fn: (c, w) => rdhwr(c, w) },
  // r6 PC-relative arithmetic (Vol. II r6 ADDIUPC, AUIPC, ALUIPC)
  addiupc: { df: "s=", fn: (c, w) => { c.setAddr(S(w), c.wrap(c.cpc + ((w << 13) >> 13) * 4)); return 0; } },
  auipc: { df: "s=", fn: (c, w) => { pcAdd(c, S(w), w << 16, false); return 0; } },
  aluipc: { df: "s=", fn: (c, w) => { pcAdd(c, S(w), w << 16, true); return 0; } },
};

/** rd = pc + sext(imm) as a full-width address; ALUIPC clears the low 16 bits. */
function pcAdd(c: Cpu, r: number, imm: number, align: boolean): void {
  let v = c.cpc + imm;
  if (!c.is64) v = v >>> 0;
  c.setAddr(r, v);
  if (align) c.lo[r] &= ~0xffff;
}

/** User-mode RDHWR (Vol. II RDHWR; Linux enables CPUNum, SYNCI_Step, CC, CCRes and UserLocal). */
function rdhwr(c: Cpu, w: number): number {
  const t = T(w);
  switch (D(w)) {
    case 0: c.set64(t, 0, 0); return 0;
    case 1: c.set64(t, 0, 32); return 0;
    case 2: c.setW(t, c.icount | 0); return 0;
    case 3: c.set64(t, 0, 1); return 0;
    case 29: c.setW(t, c.userLocal); return 0;
    default: return c.exc("RI", `rdhwr of hardware register ${D(w)} (not enabled in user mode)`);
  }
}
