// The JIT's instruction emitter, shared by the o32 and (later) n64 backends.
// Owns: the word buffer (dry-run or writing), local labels with forward patching, and the two pipeline
// hazards the ISA leaves to software, enforced here once for every emitted instruction:
//  - MIPS I load delay (reference/mips-isa.md §4.1): an instruction right after a load never reads (or
//    writes) the loaded register — a nop is inserted instead;
//  - MIPS I–III HI/LO hazard (§4.3): no MULT/DIV within two instructions after MFHI/MFLO.
// Also owns the nop encoding (Loongson-2F: `or at, at, zero`, §8) and the r6 `jr` (= `jalr $0, rs`).
// Does not own instruction selection (the backends) nor branch range resolution (core.ts).
// Hot path: no allocation per instruction; labels and fixups live in preallocated typed arrays.
import type { IsaLevel } from "../src/mips/levels";
import { hasHiLoHazard, hasLoadDelay, isR6 } from "../src/mips/levels";
import { E } from "./enc";
import type { Emitter as Enc } from "../src/mips/index";
import { JitError } from "./errors";

// o32 register numbers (reference/mips-isa.md §1).
export const ZERO = 0, AT = 1, V0 = 2, V1 = 3, A0 = 4, A1 = 5, A2 = 6, A3 = 7;
export const T0 = 8, T1 = 9, T2 = 10, T3 = 11, T4 = 12, T5 = 13, T6 = 14, T7 = 15;
export const S0 = 16, S1 = 17, S2 = 18, S3 = 19, S4 = 20, S5 = 21, S6 = 22, S7 = 23;
export const T8 = 24, T9 = 25, GP = 28, SP = 29, FP = 30, RA = 31;

export const O32_NAMES = [
  "zero", "at", "v0", "v1", "a0", "a1", "a2", "a3", "t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7",
  "s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "t8", "t9", "k0", "k1", "gp", "sp", "fp", "ra",
];

/** Branch conditions of the delay-slot branches; `cond ^ 1` is the inverse. */
export const enum Cond {
  EQ = 0, NE = 1, LEZ = 2, GTZ = 3, LTZ = 4, GEZ = 5, ALWAYS = 6, NEVER = 7,
}

export const isS16 = (v: number): boolean => v >= -0x8000 && v <= 0x7fff;
export const isU16 = (v: number): boolean => v >= 0 && v <= 0xffff;

const MAX_LABELS = 64;
const MAX_FIXUPS = 256;

export interface EmitterFlags {
  level: IsaLevel;
  loongson2fNop: boolean;
  /** Mutation check only: do not insert MIPS I load-delay nops. */
  skipLoadDelay?: boolean;
}

export class Emitter {
  buf: Uint32Array;
  /** Words emitted so far in this pass. */
  n = 0;
  /** Dry run: count words, write nothing (the layout passes). */
  dry = true;
  readonly loadDelay: boolean;
  readonly hiloHazard: boolean;
  readonly r6: boolean;
  readonly nopWord: number;
  private lastLoadReg = -1;
  private lastLoadAt = -10;
  private lastMfAt = -10;
  private lastMerge = false;
  private readonly labelPos = new Int32Array(MAX_LABELS);
  private nLabels = 0;
  private readonly fixPos = new Int32Array(MAX_FIXUPS);
  private readonly fixLabel = new Int32Array(MAX_FIXUPS);
  private nFix = 0;

  constructor(flags: EmitterFlags, capacity = 1024) {
    this.buf = new Uint32Array(capacity);
    this.loadDelay = hasLoadDelay(flags.level) && flags.skipLoadDelay !== true;
    this.hiloHazard = hasHiLoHazard(flags.level);
    this.r6 = isR6(flags.level);
    // Loongson-2F: nop must be `or at, at, zero` (reference/mips-isa.md §8).
    this.nopWord = flags.loongson2fNop ? E.or(AT, AT, ZERO) : E.sll(ZERO, ZERO, 0);
  }

  /** Start a pass. */
  reset(dry: boolean): void {
    this.n = 0;
    this.dry = dry;
    this.lastLoadReg = -1;
    this.lastLoadAt = -10;
    this.lastMfAt = -10;
    this.nLabels = 0;
    this.nFix = 0;
  }

  private put(w: number): void {
    if (!this.dry) {
      if (this.n >= this.buf.length) {
        const nb = new Uint32Array(this.buf.length * 2);
        nb.set(this.buf);
        this.buf = nb;
      }
      this.buf[this.n] = w;
    }
    this.n++;
  }

  /** Emit a word that reads registers a and b (0 = none) and writes w (0 = none). */
  private emit(word: number, a: number, b: number, w: number): void {
    this.settle(a, b, w);
    this.put(word);
  }

  // Encode only when writing: the dry layout passes need sizes, not words (this halves the JIT's time).
  private emit1(f: Enc, x: number, a: number, b: number, w: number): void {
    this.settle(a, b, w);
    if (this.dry) this.n++; else this.put(f(x));
  }
  private emit2(f: Enc, x: number, y: number, a: number, b: number, w: number): void {
    this.settle(a, b, w);
    if (this.dry) this.n++; else this.put(f(x, y));
  }
  private emit3(f: Enc, x: number, y: number, z: number, a: number, b: number, w: number): void {
    this.settle(a, b, w);
    if (this.dry) this.n++; else this.put(f(x, y, z));
  }
  private emitLoad3(f: Enc, x: number, y: number, z: number, base: number, rt: number): void {
    this.emitLoad(this.dry ? 0 : f(x, y, z), base, rt);
  }
  private emitLoadMerge3(f: Enc, x: number, y: number, z: number, base: number, rt: number): void {
    this.emitLoadMerge(this.dry ? 0 : f(x, y, z), base, rt);
  }
  private emitHiLoWrite2(f: Enc, x: number, y: number, a: number, b: number): void {
    this.emitHiLoWrite(this.dry ? 0 : f(x, y), a, b);
  }
  private emitMf1(f: Enc, x: number, rd: number): void {
    this.emitMf(this.dry ? 0 : f(x), rd);
  }

  /**
   * Insert the MIPS I load-delay nop now if an instruction using a/b/w would need one. Branch emitters call
   * this before computing a displacement from `n`, so the displacement counts the nop.
   */
  settle(a: number, b: number, w = 0): void {
    if (this.loadDelay && this.lastLoadAt === this.n - 1) {
      const r = this.lastLoadReg;
      if (r !== 0 && (a === r || b === r || w === r)) this.put(this.nopWord);
    }
  }

  private emitLoad(word: number, base: number, rt: number): void {
    this.emit(word, base, 0, rt);
    this.lastMerge = false;
    this.lastLoadReg = rt;
    this.lastLoadAt = this.n - 1;
  }

  private emitLoadMerge(word: number, base: number, rt: number): void {
    this.settle(base, 0, this.lastLoadReg === rt && this.lastMerge ? 0 : rt);
    this.put(word);
    this.lastLoadReg = rt;
    this.lastLoadAt = this.n - 1;
    this.lastMerge = true;
  }

  private emitHiLoWrite(word: number, a: number, b: number): void {
    if (this.hiloHazard) while (this.n - this.lastMfAt <= 2) this.put(this.nopWord);
    this.emit(word, a, b, 0);
  }

  private emitMf(word: number, rd: number): void {
    this.emit(word, 0, 0, rd);
    this.lastMfAt = this.n - 1;
  }

  nop(): void { this.put(this.nopWord); }

  // ── ALU ──
  addu(rd: number, rs: number, rt: number): void { this.emit3(E.addu, rd, rs, rt, rs, rt, rd); }
  subu(rd: number, rs: number, rt: number): void { this.emit3(E.subu, rd, rs, rt, rs, rt, rd); }
  and(rd: number, rs: number, rt: number): void { this.emit3(E.and, rd, rs, rt, rs, rt, rd); }
  or(rd: number, rs: number, rt: number): void { this.emit3(E.or, rd, rs, rt, rs, rt, rd); }
  xor(rd: number, rs: number, rt: number): void { this.emit3(E.xor, rd, rs, rt, rs, rt, rd); }
  nor(rd: number, rs: number, rt: number): void { this.emit3(E.nor, rd, rs, rt, rs, rt, rd); }
  slt(rd: number, rs: number, rt: number): void { this.emit3(E.slt, rd, rs, rt, rs, rt, rd); }
  sltu(rd: number, rs: number, rt: number): void { this.emit3(E.sltu, rd, rs, rt, rs, rt, rd); }
  move(rd: number, rs: number): void { if (rd !== rs) this.addu(rd, rs, ZERO); }
  addiu(rt: number, rs: number, imm: number): void { this.emit3(E.addiu, rt, rs, imm, rs, 0, rt); }
  slti(rt: number, rs: number, imm: number): void { this.emit3(E.slti, rt, rs, imm, rs, 0, rt); }
  sltiu(rt: number, rs: number, imm: number): void { this.emit3(E.sltiu, rt, rs, imm, rs, 0, rt); }
  andi(rt: number, rs: number, imm: number): void { this.emit3(E.andi, rt, rs, imm, rs, 0, rt); }
  ori(rt: number, rs: number, imm: number): void { this.emit3(E.ori, rt, rs, imm, rs, 0, rt); }
  xori(rt: number, rs: number, imm: number): void { this.emit3(E.xori, rt, rs, imm, rs, 0, rt); }
  lui(rt: number, imm: number): void { this.emit2(E.lui, rt, imm, 0, 0, rt); }
  sll(rd: number, rt: number, sa: number): void { this.emit3(E.sll, rd, rt, sa, rt, 0, rd); }
  srl(rd: number, rt: number, sa: number): void { this.emit3(E.srl, rd, rt, sa, rt, 0, rd); }
  sra(rd: number, rt: number, sa: number): void { this.emit3(E.sra, rd, rt, sa, rt, 0, rd); }
  rotr(rd: number, rt: number, sa: number): void { this.emit3(E.rotr, rd, rt, sa, rt, 0, rd); }
  sllv(rd: number, rt: number, rs: number): void { this.emit3(E.sllv, rd, rt, rs, rt, rs, rd); }
  srlv(rd: number, rt: number, rs: number): void { this.emit3(E.srlv, rd, rt, rs, rt, rs, rd); }
  srav(rd: number, rt: number, rs: number): void { this.emit3(E.srav, rd, rt, rs, rt, rs, rd); }
  wsbh(rd: number, rt: number): void { this.emit2(E.wsbh, rd, rt, rt, 0, rd); }
  seb(rd: number, rt: number): void { this.emit2(E.seb, rd, rt, rt, 0, rd); }
  seh(rd: number, rt: number): void { this.emit2(E.seh, rd, rt, rt, 0, rd); }

  /** Shortest constant load (reference linux-mips-jit.md §14: `lui` alone when the low half is 0). */
  li(rd: number, v: number): void {
    v |= 0;
    if (v === 0) this.addu(rd, ZERO, ZERO);
    else if (isS16(v)) this.addiu(rd, ZERO, v);
    else if (isU16(v)) this.ori(rd, ZERO, v);
    else if ((v & 0xffff) === 0) this.lui(rd, v >>> 16);
    else { this.lui(rd, v >>> 16); this.ori(rd, rd, v & 0xffff); }
  }

  /** Constant load of fixed length 2, for values that depend on the layout (addresses). */
  li2(rd: number, v: number): void {
    this.lui(rd, (v >>> 16) & 0xffff);
    this.ori(rd, rd, v & 0xffff);
  }

  // ── multiply / divide ──
  mult(rs: number, rt: number): void { this.emitHiLoWrite2(E.mult, rs, rt, rs, rt); }
  multu(rs: number, rt: number): void { this.emitHiLoWrite2(E.multu, rs, rt, rs, rt); }
  div(rs: number, rt: number): void { this.emitHiLoWrite2(E.div, rs, rt, rs, rt); }
  divu(rs: number, rt: number): void { this.emitHiLoWrite2(E.divu, rs, rt, rs, rt); }
  mfhi(rd: number): void { this.emitMf1(E.mfhi, rd, rd); }
  mflo(rd: number): void { this.emitMf1(E.mflo, rd, rd); }
  mul(rd: number, rs: number, rt: number): void { this.emit3(E.mul, rd, rs, rt, rs, rt, rd); }
  mulR6(rd: number, rs: number, rt: number): void { this.emit3(E.mul_r6, rd, rs, rt, rs, rt, rd); }
  muhu(rd: number, rs: number, rt: number): void { this.emit3(E.muhu, rd, rs, rt, rs, rt, rd); }
  mulu(rd: number, rs: number, rt: number): void { this.emit3(E.mulu, rd, rs, rt, rs, rt, rd); }
  divR6(rd: number, rs: number, rt: number): void { this.emit3(E.div_r6, rd, rs, rt, rs, rt, rd); }
  mod(rd: number, rs: number, rt: number): void { this.emit3(E.mod, rd, rs, rt, rs, rt, rd); }
  divuR6(rd: number, rs: number, rt: number): void { this.emit3(E.divu_r6, rd, rs, rt, rs, rt, rd); }
  modu(rd: number, rs: number, rt: number): void { this.emit3(E.modu, rd, rs, rt, rs, rt, rd); }

  // ── memory ──
  lb(rt: number, off: number, base: number): void { this.emitLoad3(E.lb, rt, off, base, base, rt); }
  lbu(rt: number, off: number, base: number): void { this.emitLoad3(E.lbu, rt, off, base, base, rt); }
  lh(rt: number, off: number, base: number): void { this.emitLoad3(E.lh, rt, off, base, base, rt); }
  lhu(rt: number, off: number, base: number): void { this.emitLoad3(E.lhu, rt, off, base, base, rt); }
  lw(rt: number, off: number, base: number): void { this.emitLoad3(E.lw, rt, off, base, base, rt); }
  sb(rt: number, off: number, base: number): void { this.emit3(E.sb, rt, off, base, rt, base, 0); }
  sh(rt: number, off: number, base: number): void { this.emit3(E.sh, rt, off, base, rt, base, 0); }
  sw(rt: number, off: number, base: number): void { this.emit3(E.sw, rt, off, base, rt, base, 0); }
  // LWL/LWR merge into rt instead of reading it, so the second of a pair may follow the first directly even
  // on MIPS I (the R3000 forwards between them; reference/mips-isa.md §2 lists them in MIPS I).
  lwl(rt: number, off: number, base: number): void { this.emitLoadMerge3(E.lwl, rt, off, base, base, rt); }
  lwr(rt: number, off: number, base: number): void { this.emitLoadMerge3(E.lwr, rt, off, base, base, rt); }
  swl(rt: number, off: number, base: number): void { this.emit3(E.swl, rt, off, base, rt, base, 0); }
  swr(rt: number, off: number, base: number): void { this.emit3(E.swr, rt, off, base, rt, base, 0); }
  ll(rt: number, off: number, base: number): void {
    this.emit(this.r6 ? E.ll_r6(rt, off, base) : E.ll(rt, off, base), base, 0, rt);
  }
  sc(rt: number, off: number, base: number): void {
    this.emit(this.r6 ? E.sc_r6(rt, off, base) : E.sc(rt, off, base), rt, base, rt);
  }
  movn(rd: number, rs: number, rt: number): void { this.emit(E.movn(rd, rs, rt), rs, rt, rd); }
  sync(): void { this.emit1(E.sync, 0, 0, 0, 0); }

  // ── control transfer (the caller fills the delay slot) ──
  /** A conditional branch with a byte displacement relative to the delay slot. */
  branch(c: Cond, rs: number, rt: number, byteOff: number): void {
    switch (c) {
      case Cond.EQ: this.emit3(E.beq, rs, rt, byteOff, rs, rt, 0); break;
      case Cond.NE: this.emit3(E.bne, rs, rt, byteOff, rs, rt, 0); break;
      case Cond.LEZ: this.emit2(E.blez, rs, byteOff, rs, 0, 0); break;
      case Cond.GTZ: this.emit2(E.bgtz, rs, byteOff, rs, 0, 0); break;
      case Cond.LTZ: this.emit2(E.bltz, rs, byteOff, rs, 0, 0); break;
      case Cond.GEZ: this.emit2(E.bgez, rs, byteOff, rs, 0, 0); break;
      case Cond.ALWAYS: this.emit3(E.beq, ZERO, ZERO, byteOff, 0, 0, 0); break;
      default: throw new JitError(-1, "branch: NEVER has no encoding");
    }
  }
  /** R10000 erratum (§8): the sc-retry branch is branch-likely. */
  beqzl(rs: number, byteOff: number): void { this.emit3(E.beql, rs, ZERO, byteOff, rs, 0, 0); }
  /** `j`/`jal` to an absolute address; the caller checks the 256 MiB segment. */
  j(addr: number): void { this.emit1(E.j, addr & 0x0ffffffc, 0, 0, 0); }
  jal(addr: number): void { this.emit1(E.jal, addr & 0x0ffffffc, 0, 0, RA); }
  /** `jr rs`; on r6 the pre-r6 JR encoding is RI, so `jalr $0, rs` (§2.1). */
  jr(rs: number): void { this.emit(this.r6 ? E.jr_r6(rs) : E.jr(rs), rs, 0, 0); }
  jalr(rs: number): void { this.emit2(E.jalr, RA, rs, rs, 0, RA); }

  // ── local labels (within one eBPF instruction or prologue/epilogue) ──
  newLabel(): number {
    if (this.nLabels >= MAX_LABELS) throw new JitError(-1, "too many local labels");
    this.labelPos[this.nLabels] = -1;
    return this.nLabels++;
  }
  /** Forget all labels (between eBPF instructions): every local label is bound by then. */
  clearLabels(): void {
    for (let i = 0; i < this.nFix; i++) if (this.fixLabel[i] >= 0) throw new JitError(-1, "unbound local label");
    this.nLabels = 0;
    this.nFix = 0;
  }
  bind(l: number): void {
    const at = this.n;
    this.labelPos[l] = at;
    for (let i = 0; i < this.nFix; i++) {
      if (this.fixLabel[i] !== l) continue;
      const p = this.fixPos[i];
      const off = at - (p + 1);
      if (off < -0x8000 || off > 0x7fff) throw new JitError(-1, "local branch out of range");
      if (!this.dry) this.buf[p] = ((this.buf[p] & 0xffff0000) | (off & 0xffff)) >>> 0;
      this.fixLabel[i] = -1;
    }
  }
  /** Branch to a local label (bound earlier or later in this pass). */
  branchTo(c: Cond, rs: number, rt: number, l: number): void {
    const pos = this.labelPos[l];
    this.settle(rs, rt);
    if (pos >= 0) { this.branch(c, rs, rt, (pos - (this.n + 1)) * 4); return; }
    this.branch(c, rs, rt, 0);
    if (this.nFix >= MAX_FIXUPS) throw new JitError(-1, "too many local fixups");
    this.fixPos[this.nFix] = this.n - 1;
    this.fixLabel[this.nFix++] = l;
  }
  beqzlTo(rs: number, l: number): void {
    const pos = this.labelPos[l];
    if (pos < 0) throw new JitError(-1, "beqzl: backward labels only");
    this.settle(rs, 0);
    this.beqzl(rs, (pos - (this.n + 1)) * 4);
  }
}
