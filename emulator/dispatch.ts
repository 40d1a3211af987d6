// Builds the emulator's dispatch from the ISA table: for every table row (MIPS_TABLE id) its semantic
// function (looked up by the row's unique key in sem-*.ts) and its data-flow flags (the row's cti class,
// link, memory access and word32 operands, plus the semantic's `df` string). Also the special ids the
// decoder hook returns for words that are not plain table rows: Reserved Instruction, UNPREDICTABLE
// encodings, disabled features, host trampolines and the exit trampoline. Owns nothing else.
import { MIPS_TABLE } from "../src/mips/index";
import type { MipsInsnDef } from "../src/mips/index";
import type { Sem } from "./cpu";
import type { SemSpec } from "./sem-alu";
import { ALU } from "./sem-alu";
import { MULDIV } from "./sem-muldiv";
import { MEM } from "./sem-mem";
import { BRANCH, MISC } from "./sem-branch";
import {
  F_ADDR, F_CLEAN, F_CTI, F_DECIDE, F_DECIDET, F_LOAD, F_OWNPOISON, F_RHI, F_RLO, F_RS, F_RT, F_STORE,
  F_SLOTBAN, F_TARGET, F_W31, F_W32RS, F_W32RT, F_WHI, F_WLO, F_WRD, F_WRS, F_WRT,
} from "./flags";

const MOVE: Record<string, SemSpec> = {
  // MOVZ/MOVN: rd keeps its old value (and its poison) when not moved; rt decides (Vol. II MOVZ)
  movz: { df: "-st", fn: (c, w) => movc(c, w, true) },
  movn: { df: "-st", fn: (c, w) => movc(c, w, false) },
};

function movc(c: import("./cpu").Cpu, w: number, ifZero: boolean): number {
  const s = (w >>> 21) & 31, t = (w >>> 16) & 31, d = (w >>> 11) & 31;
  const z = (c.hi[t] | c.lo[t]) === 0;
  if (z === ifZero) {
    c.set64(d, c.hi[s], c.lo[s]);
    if (c.pm !== 0) c.pm = ((c.pm & ~(1 << d)) | (((c.pm >>> s) & 1) << d)) & ~1;
  }
  return 0;
}

/** Every semantic definition, by table key. */
export const SEMANTICS: Readonly<Record<string, SemSpec>> = { ...ALU, ...MULDIV, ...MEM, ...BRANCH, ...MISC, ...MOVE };

const TRAPS = new Set(["teq", "tne", "tge", "tgeu", "tlt", "tltu", "teqi", "tnei", "tgei", "tgeiu", "tlti", "tltiu"]);
const SELECTS = new Set(["movz", "movn", "seleqz", "selnez"]);

/** Flags of one row: table facts + the semantic's data flow. */
export function rowFlags(def: MipsInsnDef, spec: SemSpec): number {
  let f = 0;
  const df = spec.df;
  const eq = df.indexOf("=");
  const dests = eq >= 0 ? df.slice(0, eq) : "";
  const srcs = eq >= 0 ? df.slice(eq + 1) : df.replace(/^-/, "");
  if (srcs.includes("s")) f |= F_RS;
  if (srcs.includes("t")) f |= F_RT;
  if (srcs.includes("h")) f |= F_RHI;
  if (srcs.includes("l")) f |= F_RLO;
  if (dests.includes("d")) f |= F_WRD;
  if (dests.includes("t")) f |= F_WRT;
  if (dests.includes("s")) f |= F_WRS;
  if (dests.includes("h")) f |= F_WHI;
  if (dests.includes("l")) f |= F_WLO;
  if (eq >= 0 && srcs === "") f |= F_CLEAN;
  if (def.cti !== "none") {
    f |= F_CTI;
    if (def.cti === "jump" || (def.cti === "compact" && (f & F_RT) !== 0)) f |= F_TARGET;
    else f |= F_DECIDE;
  }
  if (def.link === "ra") f |= F_W31;
  if (def.link === "rd") f |= F_CLEAN;
  if (def.mem !== null) {
    const k = def.mem.kind;
    if ((f & F_RS) !== 0 && k !== "prefetch" && k !== "synci") f |= F_ADDR;
    if (k === "load" || k === "ll" || k === "load-left" || k === "load-right") f |= F_LOAD | F_CLEAN;
    if (k === "store" || k === "sc" || k === "store-left" || k === "store-right") f |= F_STORE;
    if (k === "sc") f |= F_CLEAN;
    // LWL/LWR/LDL/LDR: rt is merged, not read as an operand (MIPS I bypasses it; see sem-mem.ts)
    if (k === "load-left" || k === "load-right") f &= ~F_RT;
  }
  if (TRAPS.has(def.key)) f |= F_DECIDE;
  if (SELECTS.has(def.key)) f |= F_DECIDET;
  if (def.key === "movz" || def.key === "movn") f |= F_OWNPOISON;
  // PAUSE in a delay slot: UNPREDICTABLE before Release 6, Reserved Instruction in a delay or forbidden slot
  // on Release 6 (MIPS32 Vol. II PAUSE, Restrictions) — exactly the CTI-in-slot rule, so it shares that check.
  if (def.key === "pause") f |= F_SLOTBAN;
  if (def.word32.includes("rs")) f |= F_W32RS;
  if (def.word32.includes("rt")) f |= F_W32RT;
  return f;
}

export const N_ROWS = MIPS_TABLE.length;
/** Special dispatch ids after the table rows. */
export const ID_RI = N_ROWS;
export const ID_UNPRED = N_ROWS + 1;
export const ID_NOFEATURE = N_ROWS + 2;
export const ID_HOST = N_ROWS + 3;
export const ID_EXIT = N_ROWS + 4;
export const N_IDS = N_ROWS + 5;

export interface Dispatch {
  readonly fns: Sem[];
  readonly flags: Int32Array;
}

/** Table rows without semantics (a defect: the dispatch test checks there are none). */
export function missingSemantics(): string[] {
  return MIPS_TABLE.filter((d) => SEMANTICS[d.key] === undefined).map((d) => d.key);
}

let rowCache: Dispatch | undefined;

/** Row semantics and flags do not depend on the machine: computed once, copied per machine. */
function rows(): Dispatch {
  if (rowCache !== undefined) return rowCache;
  const fns: Sem[] = new Array<Sem>(N_IDS);
  const flags = new Int32Array(N_IDS);
  for (const def of MIPS_TABLE) {
    const spec = SEMANTICS[def.key];
    if (spec === undefined) {
      fns[def.id] = (c) => c.exc("RI", `emulator defect: no semantics for table row '${def.key}'`);
      continue;
    }
    fns[def.id] = spec.fn;
    flags[def.id] = rowFlags(def, spec);
  }
  flags[ID_HOST] = F_CTI;
  flags[ID_EXIT] = F_CTI;
  rowCache = { fns, flags };
  return rowCache;
}

export function buildDispatch(special: { ri: Sem; unpred: Sem; nofeature: Sem; host: Sem; exit: Sem }): Dispatch {
  const base = rows();
  const fns = base.fns.slice();
  fns[ID_RI] = special.ri;
  fns[ID_UNPRED] = special.unpred;
  fns[ID_NOFEATURE] = special.nofeature;
  fns[ID_HOST] = special.host;
  fns[ID_EXIT] = special.exit;
  return { fns, flags: base.flags };
}
