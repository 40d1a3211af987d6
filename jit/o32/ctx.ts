// o32 backend state: the eBPF → MIPS register-pair mapping, the frame layout and the level features.
// Owns the mapping table (reference/linux-mips-jit.md §3, with the o32 pair order of mips-isa.md §7: the
// lower-numbered register holds the lower-address word, so on big-endian it holds the HIGH half) and the
// frame shape. Does not own code emission (the sibling files) nor the pass driver (../core.ts).
import type { Program } from "../../src/ebpf/insn";
import type { MapPlacement } from "../../src/ebpf/layout";
import { placeMaps } from "../../src/ebpf/layout";
import type { IsaLevel } from "../../src/mips/levels";
import { isR2Plus, isR6, isRelease } from "../../src/mips/levels";
import type { Core, ProgramInfo } from "../core";
import type { Emitter } from "../emitter";
import {
  A0, A1, A2, A3, AT, FP, GP, O32_NAMES, RA, S0, S1, S2, S3, S4, S5, S6, S7, T0, T1, T2, T3, T4, T5, V0, V1, ZERO,
} from "../emitter";
import type { CallSiteKind, JitOptions } from "../options";

/** Pairs [lowerNumbered, higherNumbered] per eBPF register R0–R10 and AX (11). R10's high half is $zero. */
const PAIRS: readonly (readonly [number, number])[] = [
  [V0, V1], [A0, A1], [A2, A3], [T0, T1], [T2, T3], [T4, T5],
  [S0, S1], [S2, S3], [S4, S5], [S6, S7], [FP, ZERO], [AT, GP],
];

/**
 * Frame, from the entry sp (sp0) down (all offsets below are from the allocated sp = sp0 − F):
 *   sp0+0 (= F(sp))        tail-call count slot, in the caller's home area (as Linux)
 *   [R10OFF, F)            saved callee-saved registers (those the program touches), ra first
 *   [OUT, R10OFF)          the 512-byte eBPF stack; R10 = sp + R10OFF
 *   [16, OUT)              outgoing stack arguments of helper calls (o32: from sp+16)
 *   [0, 16)                outgoing home area (o32: always reserved by the caller)
 *   [0, 16) also serves as scratch for inline 64-bit division (no call is in flight then), and 0(sp) carries
 *   the tail-call count into a bpf-to-bpf callee (it is the callee's sp0+0).
 * Every function of a program has the same F, so R10 of a callee = caller's R10 − F (frameStride = F).
 */
export const OUT = 64;
export const STACK_BYTES = 512;
export const R10OFF = OUT + STACK_BYTES;
/** Save slots, in this order: ra, s0–s7, fp, gp. */
export const SAVE_ORDER = [RA, S0, S1, S2, S3, S4, S5, S6, S7, FP, GP];
export const saveSlot = (r: number): number => R10OFF + 4 * SAVE_ORDER.indexOf(r);
export const FRAME_SIZE = (R10OFF + 4 * SAVE_ORDER.length + 7) & ~7;
/** Inline 64-bit divide scratch words. */
export const SCR_DLO = 0, SCR_DHI = 4, SCR_CNT = 8, SCR_SIGN = 12;

export class O32 {
  readonly lo = new Int8Array(12);
  readonly hi = new Int8Array(12);
  readonly le: boolean;
  readonly r6: boolean;
  readonly r2: boolean;
  /** SPECIAL2 three-operand MUL: MIPS32 r1/r2 (reference/mips-isa.md §2). */
  readonly mul32: boolean;
  readonly llsc: boolean;
  readonly zext: boolean;
  readonly saved: number[];
  /** Injected faults (mutation check only). */
  readonly mut: { dropCarry: boolean; jmpNoSext: boolean; movn: boolean; dropZext: boolean; tailOffByOne: boolean };
  readonly maps: MapPlacement[];
  /** Scratch for the argument parallel move (call.ts). */
  readonly movDst = new Int8Array(8);
  readonly movSrc = new Int8Array(8);
  /** Call sites, recorded in the writing pass only. */
  readonly callSites: { insn: number; offset: number; kind: CallSiteKind }[] = [];
  readonly frameSize: number;

  constructor(
    readonly e: Emitter,
    readonly core: Core,
    readonly prog: Program,
    readonly info: ProgramInfo,
    readonly opts: JitOptions,
    readonly level: IsaLevel,
    llscAvail: boolean,
  ) {
    this.le = opts.littleEndian;
    const mut = opts.mutations ?? [];
    this.mut = {
      dropCarry: mut.includes("drop-add64-carry"),
      jmpNoSext: mut.includes("jmp-imm-no-sext"),
      movn: mut.includes("movz-on-mips2"),
      // mutation check (h9): see HarnessJitMutation in ../options.ts
      dropZext: mut.includes("drop-alu32-zext"),
      tailOffByOne: mut.includes("tail-call-limit-off-by-one"),
    };
    const pairLe = this.le || mut.includes("swap-pair-order-be");
    for (let r = 0; r < 12; r++) {
      const [a, b] = PAIRS[r]!;
      // lo/hi as seen from the value: on LE the lower-numbered register holds the low word.
      if (r === 10) { this.lo[r] = FP; this.hi[r] = ZERO; continue; }
      this.lo[r] = pairLe ? a : b;
      this.hi[r] = pairLe ? b : a;
    }
    this.r6 = isR6(level);
    this.r2 = isR2Plus(level);
    this.mul32 = isRelease(level) && !this.r6;
    this.llsc = llscAvail;
    this.zext = opts.verifierZext === true;
    const saved: number[] = [];
    if (info.hasCall) saved.push(RA);
    for (let r = 6; r <= 9; r++) if (info.regsUsed & (1 << r)) saved.push(PAIRS[r]![0], PAIRS[r]![1]);
    if (info.regsUsed & (1 << 10)) saved.push(FP);
    if (info.regsUsed & (1 << 11)) saved.push(GP);
    this.saved = saved;
    this.maps = placeMaps(opts.layout, opts.maps ?? []);
    // Every register has a fixed save slot (saveSlot), so every program and subprogram has the same frame:
    // a tail-called program's R10 equals its caller's (the stack is shared, as in Linux) and frameStride
    // is one constant.
    this.frameSize = FRAME_SIZE;
  }

  /** Record a call site whose transfer instruction is the next word emitted. */
  site(insn: number, kind: CallSiteKind): void {
    this.siteAt(insn, kind, this.e.n);
  }

  siteAt(insn: number, kind: CallSiteKind, word: number): void {
    if (!this.e.dry) this.callSites.push({ insn, offset: word * 4, kind });
  }

  /** Byte offset of the tail-call count from the allocated sp. */
  get tccOff(): number {
    return this.frameSize;
  }

  regMap(): string[] {
    const names = ["R0", "R1", "R2", "R3", "R4", "R5", "R6", "R7", "R8", "R9", "R10", "AX"];
    const n = (r: number): string => O32_NAMES[r]!;
    return names.map((nm, r) => `${nm} = ${n(this.lo[r])}/${n(this.hi[r])} (lo/hi)`)
      .concat(["temporaries: t6 t7 t8 t9 (t9 = call target)", `tail-call count: ${this.frameSize}(sp)`]);
  }
}
