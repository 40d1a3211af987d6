// The block compiler (issue 3 §8): translates a hot run of straight-line instructions, ending at a control
// transfer plus its delay slot, into one JavaScript function that calls the SAME semantic functions the
// interpreter dispatches to — one call site per instruction, each with a constant word, so V8 inlines them
// and folds the field extraction. Semantics therefore stay defined once (sem-*.ts); the block only removes
// the fetch/decode/dispatch overhead. Owns block boundaries and the pc/npc/icount bookkeeping inside a
// block, which must equal the interpreter's: a stop inside a block leaves cpc and icount exactly as
// single-stepping would. Anything unusual (specials, a CTI or load-delay hazard in a slot, pending slot
// state) is left to the interpreter, which handles every case.
import type { Cpu, Sem } from "./cpu";
import { F_CLEAN, F_CTI, F_SLOTBAN, F_LOAD, F_OWNPOISON, F_RHI, F_RLO, F_RS, F_RT, F_W31, F_WHI, F_WLO, F_WRD, F_WRS, F_WRT } from "./flags";
import { N_ROWS } from "./dispatch";
import { MIPS_TABLE } from "../src/mips/index";
import { UNDECODED, type BlockFn, type Region } from "./memory";

/** Executions of a block start before it is compiled (cold code is cheaper to interpret). */
export const HOT = 8;
const MAX_BLOCK = 96;

/** Rows whose semantics read cpu.icount (HI/LO hazard window, cycle counter): they see the exact count. */
const READS_ICOUNT = new Set([
  "mfhi", "mflo", "mthi", "mtlo", "mult", "multu", "div", "divu", "dmult", "dmultu", "ddiv", "ddivu",
  "madd", "maddu", "msub", "msubu", "rdhwr", "rdhwr_r6",
]);

/**
 * Rows whose semantics never stop and never read cpc/icount: inside a block they need no pc bookkeeping
 * (a stop in their operand checks sets cpc itself).
 */
const PURE = new Set([
  "sll", "srl", "sra", "rotr", "sllv", "srlv", "srav", "rotrv", "dsll", "dsrl", "dsra", "drotr", "dsll32", "dsrl32",
  "dsra32", "drotr32", "dsllv", "dsrlv", "dsrav", "drotrv", "addu", "subu", "addiu", "daddu", "dsubu", "daddiu",
  "and", "or", "xor", "nor", "andi", "ori", "xori", "lui", "slt", "sltu", "slti", "sltiu", "clz", "clo", "clz_r6",
  "clo_r6", "dclz", "dclo", "dclz_r6", "dclo_r6", "wsbh", "seb", "seh", "dsbh", "dshd", "bitswap", "dbitswap",
  "seleqz", "selnez", "lsa", "dlsa", "aui", "daui", "dahi", "dati", "align", "dalign", "movz", "movn", "mul_r6",
  "muh", "mulu", "muhu", "dmul", "dmuh", "dmulu", "dmuhu", "sync", "ssnop", "ehb", "pause", "pref", "pref_r6", "synci",
]);

function decoded(c: Cpu, r: Region, i: number): number {
  const dOp = r.dOp as Int32Array;
  let id = dOp[i];
  if (id === UNDECODED) {
    const w = r.dv.getInt32(i << 2, c.le);
    (r.dWord as Int32Array)[i] = w;
    id = c.decodeHook(w, r.base + 4 * i);
    dOp[i] = id;
  }
  return id;
}

/** Compile the block starting at word i of region r; null when the first instruction is not compilable. */
export function compileBlock(c: Cpu, r: Region, i: number): { fn: BlockFn; len: number } | null {
  const n = (r.dOp as Int32Array).length;
  const dWord = r.dWord as Int32Array;
  const items: { id: number; w: number; pc: number }[] = [];
  let kind: "fall" | "delay" | "compact" = "fall";
  for (let j = i; j < n && items.length < MAX_BLOCK; j++) {
    const id = decoded(c, r, j);
    if (id >= N_ROWS) break; // specials (RI, traps at decode, host/exit trampolines): interpreter
    const f = c.flags[id];
    const cti = MIPS_TABLE[id].cti;
    if ((f & F_CTI) !== 0) {
      if (cti === "compact" || cti === "compact-forbidden") {
        items.push({ id, w: dWord[j], pc: r.base + 4 * j });
        kind = "compact";
        break;
      }
      // delay-slot CTI: include it only with a plain slot instruction
      if (j + 1 >= n) break;
      const sid = decoded(c, r, j + 1);
      if (sid >= N_ROWS || (c.flags[sid] & (F_CTI | F_SLOTBAN)) !== 0 || ((c.flags[sid] & F_LOAD) !== 0 && c.ldDelay)) break;
      items.push({ id, w: dWord[j], pc: r.base + 4 * j });
      items.push({ id: sid, w: dWord[j + 1], pc: r.base + 4 * (j + 1) });
      kind = "delay";
      break;
    }
    items.push({ id, w: dWord[j], pc: r.base + 4 * j });
    if ((f & F_LOAD) !== 0 && c.ldDelay) break; // MIPS I: the next instruction needs the load-delay check
  }
  if (items.length === 0) return null;

  // one parameter per distinct semantic function, so every call site is monomorphic
  const fnIndex = new Map<Sem, number>();
  const params: Sem[] = [];
  const fname = (id: number): string => {
    const fn = c.fns[id];
    let k = fnIndex.get(fn);
    if (k === undefined) { k = params.length; fnIndex.set(fn, k); params.push(fn); }
    return `f${k}`;
  };
  const len = items.length;
  let src = `c.icount += ${len};\n`;
  const emit = (k: number, rem: number, slot: boolean): void => {
    const { id, w, pc } = items[k];
    const f = c.flags[id];
    const wl = w | 0;
    const rt = (w >>> 16) & 31, rd = (w >>> 11) & 31, rs = (w >>> 21) & 31;
    const pure = PURE.has(MIPS_TABLE[id].key);
    const setPc = slot ? "" : `c.cpc = ${pc}; `;
    if (!slot && !pure) src += setPc;
    const fail = `{ c.icount -= ${rem}; return 1; }`;
    if ((f & c.slowMask) !== 0) {
      src += `${pure ? setPc : ""}if (c.checks(${f}, ${wl}) !== 0) ${fail}\n`;
    } else {
      // poison: full checks only when a register this instruction reads is poisoned; otherwise the
      // written registers just become defined
      const rm = ((f & F_RS) !== 0 ? 1 << rs : 0) | ((f & F_RT) !== 0 ? 1 << rt : 0);
      const hm = ((f & F_RHI) !== 0 ? 1 : 0) | ((f & F_RLO) !== 0 ? 2 : 0);
      const dm = (f & F_OWNPOISON) !== 0 ? 0 : ((f & F_WRD) !== 0 ? 1 << rd : 0) | ((f & F_WRT) !== 0 ? 1 << rt : 0) | ((f & F_WRS) !== 0 ? 1 << rs : 0) | ((f & F_W31) !== 0 ? 1 << 31 : 0);
      const dhm = ((f & F_WHI) !== 0 ? 1 : 0) | ((f & F_WLO) !== 0 ? 2 : 0);
      const cond = [rm !== 0 ? `(c.pm & ${rm | 0}) !== 0` : "", hm !== 0 ? `(c.pmHL & ${hm}) !== 0` : ""].filter((x) => x !== "").join(" || ");
      const clear = (dm !== 0 ? `if ((c.pm & ${dm | 0}) !== 0) c.pm &= ${~dm | 0}; ` : "") + (dhm !== 0 ? `if ((c.pmHL & ${dhm}) !== 0) c.pmHL &= ${~dhm}; ` : "");
      if (cond !== "") src += `if (${cond}) { ${pure ? setPc : ""}if (c.checks(${f}, ${wl}) !== 0) ${fail} }${clear !== "" ? ` else { ${clear}}` : ""}\n`;
      else if (clear !== "") src += clear + "\n";
    }
    if (READS_ICOUNT.has(MIPS_TABLE[id].key) && rem !== 0) {
      // the block added its whole length up front; these see the count as single-stepping would
      src += `c.icount -= ${rem}; if (${fname(id)}(c, ${wl}) !== 0) return 1; c.icount += ${rem};\n`;
    } else {
      src += pure ? `${fname(id)}(c, ${wl});\n` : `if (${fname(id)}(c, ${wl}) !== 0) ${fail}\n`;
    }
    if (((f & F_WRD) !== 0 && rd === 0) || ((f & F_WRT) !== 0 && rt === 0) || ((f & F_WRS) !== 0 && rs === 0)) {
      src += "c.lo[0] = 0; c.hi[0] = 0; c.pm &= -2;\n";
    }
    if ((f & F_LOAD) !== 0 && c.ldDelay) src += `c.ldReg = ${rt};\n`;
  };
  if (kind === "fall") {
    for (let k = 0; k < len; k++) emit(k, len - k - 1, false);
    const end = items[len - 1].pc + 4;
    src += `c.pc = ${end}; c.npc = ${end + 4};\nreturn 0;\n`;
  } else if (kind === "compact") {
    for (let k = 0; k < len - 1; k++) emit(k, len - k - 1, false);
    const last = items[len - 1];
    const p = last.pc;
    src += `c.pc = ${p + 4}; c.npc = ${p + 8};\n`;
    emit(len - 1, 0, false);
    const ops = MIPS_TABLE[last.id].operands;
    const off = ops.includes("br16") ? ((last.w << 16) >> 16) * 4 : ops.includes("br21") ? ((last.w << 11) >> 11) * 4 : ops.includes("br26") ? ((last.w << 6) >> 6) * 4 : NaN;
    if (p + 4 + off === items[0].pc && !c.ldDelay) {
      src = `for (;;) {\n${src}if (c.pc === ${items[0].pc} && c.nextSlot === 0 && c.icount + ${len} <= limit) continue;\nreturn 0;\n}\n`;
    } else src += "return 0;\n";
  } else {
    for (let k = 0; k < len - 2; k++) emit(k, len - k - 1, false);
    const b = items[len - 2];
    src += `c.pc = ${b.pc + 4}; c.npc = ${b.pc + 8};\n`;
    emit(len - 2, 1, false);
    if (MIPS_TABLE[b.id].cti === "likely") src += "if (c.nextSlot === 0) { c.icount -= 1; return 0; }\n";
    // the delay slot: exactly the interpreter's step (pc ← npc, npc += 4) before it executes
    src += `c.nextSlot = 0; c.cpc = ${b.pc + 4}; c.pc = c.npc; c.npc = c.pc + 4;\n`;
    emit(len - 1, 0, true);
    // a loop closing on this block's own start runs on inside the function while the budget allows
    const cls = MIPS_TABLE[b.id].cti;
    const target = cls === "branch" || cls === "likely" ? b.pc + 4 + ((b.w << 16) >> 16) * 4 : -1;
    if (target === items[0].pc && !c.ldDelay) {
      src = `for (;;) {\n${src}if (c.pc === ${target} && c.icount + ${len} <= limit) continue;\nreturn 0;\n}\n`;
    } else src += "return 0;\n";
  }
  const names = params.map((_, k) => `f${k}`);
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const factory = new Function(...names, `"use strict";\nreturn function block_${items[0].pc.toString(16)}(c, limit) {\n${src}};`) as (...f: Sem[]) => BlockFn;
  return { fn: factory(...params), len };
}
