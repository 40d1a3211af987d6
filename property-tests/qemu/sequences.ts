// Random MIPS instruction sequences for the QEMU differential test, drawn from the ISA table (src/mips) so
// every row valid on a level is exercised. Owns operand choice and which rows are left out (and why);
// does not own the surrounding harness code (harness-program.ts) or the comparison (campaign.ts).
//
// Conventions the harness relies on: $k0 ($26) and $k1 ($27) are never written by a body; $k1 holds the
// sequence's 256-byte scratch area, and every memory access is $k1-relative inside it.
import { LEVEL_BIT, MIPS_TABLE, encode } from "../../src/mips";
import type { IsaLevel, MipsInsnDef, OperandKind } from "../../src/mips";
import type { Rng } from "./rng";

export const SCRATCH_BYTES = 256;
export const SCRATCH_BASE_REG = 27; // $k1
export const BLOCK_BASE_REG = 26; // $k0

/**
 * Rows left out of the random bodies, each with its reason:
 * - traps, break, syscall, sdbbp (code operands, trap-on-immediate): they end the QEMU process with a signal,
 *   losing the rest of the packed program's output; the emulator's exception results are unit-tested instead.
 * - j/jal/jr/jalr/jic/jialc (class "jump" and register-target compact jumps): targets are absolute or come
 *   from registers, so they would leave the body; conditional and PC-relative branches are generated instead.
 * - sc/scd (all encodings): whether an SC succeeds after an intervening store is implementation-dependent
 *   (QEMU compares values, hardware tracks the line); LL is kept.
 * - rdhwr, synci: user-mode hardware registers and cache operations differ by kernel/QEMU configuration.
 */
function excluded(d: MipsInsnDef): boolean {
  if (d.operands.some((k) => k.startsWith("code") || k === "hwr" || k === "sel3")) return true;
  if (/^(t(eq|ne|ge|geu|lt|ltu)i?u?|sigrie|sdbbp|break|syscall|eret|wait|deret)$/.test(d.mnemonic)) return true;
  if (d.cti === "jump") return true;
  if (d.mnemonic === "jic" || d.mnemonic === "jialc") return true;
  if (d.mem && (d.mem.kind === "sc" || d.mem.kind === "synci")) return true;
  return false;
}

/**
 * Exact patterns where QEMU 7.2 is wrong on defined behaviour, left out of the bodies:
 * - BOVC/BNVC $zero, $zero (POP10/POP30 with rs = rt = 0): Vol. II r6 encodes BOVC/BNVC as rs >= rt, so this is
 *   BOVC/BNVC (never overflows), which does not link; QEMU's decoder tests "rs <= rt && rs == 0" for the
 *   BEQZALC/BNEZALC link and so writes $31 = pc + 4 for it (found by the differential, seed 13).
 */
export function qemuBug(d: MipsInsnDef, word: number): boolean {
  return (d.mnemonic === "bovc" || d.mnemonic === "bnvc") && ((word >>> 16) & 0x3ff) === 0;
}

export function eligibleRows(level: IsaLevel): MipsInsnDef[] {
  const bit = LEVEL_BIT[level];
  return MIPS_TABLE.filter((d) => (d.levels & bit) !== 0 && !excluded(d));
}

const REG_POOL = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 28, 29, 30, 31];

function imm16(r: Rng, signed: boolean): number {
  const edges = signed ? [0, 1, -1, 0x7fff, -0x8000, 0x7ffe, -0x7fff, 2, -2] : [0, 1, 0xffff, 0x8000, 0x7fff, 0xfffe];
  if (r.chance(0.3)) return r.pick(edges);
  const v = r.int(0x10000);
  return signed ? (v << 16) >> 16 : v;
}

export interface BodyInsn {
  readonly word: number;
  readonly def: MipsInsnDef;
}

/** Operand value for one kind; `branchBytes` is the forward displacement already chosen for CTIs. */
function operand(r: Rng, d: MipsInsnDef, k: OperandKind, branchBytes: number): number {
  const size = d.mem?.size || 1;
  const memOff = (): number => r.int(SCRATCH_BYTES / size) * size;
  switch (k) {
    case "rd": case "rs": case "rt": case "rdrt": case "rsrt": return r.pick(REG_POOL);
    case "base": return SCRATCH_BASE_REG;
    case "sa": case "pos": case "stype": return r.int(32);
    case "pos32": return 32 + r.int(32);
    case "simm16": return imm16(r, true);
    case "uimm16": return imm16(r, false);
    case "off16": case "off9": {
      // left/right partial accesses may sit at any byte; others are aligned to their size
      const k2 = d.mem?.kind ?? "load";
      return k2.endsWith("left") || k2.endsWith("right") ? r.int(SCRATCH_BYTES - 8) : memOff();
    }
    case "br16": case "br21": case "br26": return branchBytes;
    case "hint": return r.pick([0, 1, 4, 5, 6, 7]);
    case "sizeExt": case "sizeExtm": case "sizeIns": case "sizeInsm": return 1 + r.int(32);
    case "lsa2": return 1 + r.int(4);
    case "bp2": return r.int(4);
    case "bp3": return r.int(8);
    case "pc19": return (r.int(129) - 64) * 4;
    case "pc18": return (r.int(65) - 32) * 8;
    default: throw new Error(`sequences: no generator for operand kind ${k} (${d.key})`);
  }
}

const isCti = (d: MipsInsnDef): boolean => d.cti !== "none";
const hasDelaySlot = (d: MipsInsnDef): boolean => d.cti === "branch" || d.cti === "likely" || d.cti === "jump";

/**
 * A body of `len` instructions. CTIs branch forward to a point inside the body or just past its end, never
 * sit in a delay or forbidden slot, and always have their slot inside the body.
 */
export function randomBody(r: Rng, rows: readonly MipsInsnDef[], len: number): BodyInsn[] {
  const plain = rows.filter((d) => !isCti(d));
  const ctis = rows.filter(isCti);
  const inSlot = plain.filter((d) => d.mnemonic !== "pause");
  const body: BodyInsn[] = [];
  let prevCti = null as MipsInsnDef | null;
  for (let i = 0; i < len; i++) {
    const slotForbidsCti: boolean = prevCti !== null && (hasDelaySlot(prevCti) || prevCti.cti === "compact-forbidden");
    const roomForSlot = i + 1 < len;
    const wantCti: boolean = ctis.length > 0 && !slotForbidsCti && roomForSlot && r.chance(0.15);
    for (let attempt = 0; ; attempt++) {
      // PAUSE is barred from delay and forbidden slots like a CTI (Vol. II PAUSE Restrictions: UNPREDICTABLE
      // before r6, Reserved Instruction on r6); the emulator's cti-slot trip-wire is unit-tested for it.
      const d: MipsInsnDef = wantCti && attempt < 20 ? r.pick(ctis) : r.pick(slotForbidsCti ? inSlot : plain);
      // target t (instruction index, len = end of body): after the delay slot for delay-slot branches
      const minT = hasDelaySlot(d) ? i + 2 : i + 1;
      const t = minT + r.int(len - minT + 1);
      const bytes = (t - (i + 1)) * 4; // relative to PC+4 (mips-isa.md §3.1, §3.2)
      try {
        // REG_POOL leaves out $k0/$k1, so no body instruction can write them; only `base` names $k1.
        const word = encode(d.id, d.operands.map((k: OperandKind) => operand(r, d, k, bytes)));
        if (qemuBug(d, word)) continue;
        body.push({ word, def: d });
        prevCti = isCti(d) ? d : null;
        break;
      } catch {
        if (attempt > 200) throw new Error(`sequences: cannot encode ${d.key}`);
      }
    }
  }
  return body;
}
