// o32 calls and frame: prologue/epilogue, helper calls marshalled by prototype (reference/mips-isa.md §7:
// u32/ptr take one argument slot, u64 an aligned even/odd slot pair, slots 0–3 are a0–a3, later slots are
// stack words from sp+16, the 16-byte home area is always reserved, the callee address is in t9), callx
// (register holds a helper id), bpf-to-bpf calls, tail calls (Linux shape, §5 of linux-mips-jit.md) and
// EXIT. Does not own the frame constants (ctx.ts) or the far-branch forms (core.ts).
import type { ArgKind } from "../../src/ebpf/helper-protos";
import { BPF_FUNC_tail_call, HELPER_PROTOS, helperProto } from "../../src/ebpf/helper-protos";
import { helperAddress, PROG_ARRAY_MAX_ENTRIES_OFF, PROG_ARRAY_PTRS_OFF, PROG_BPF_FUNC_OFF } from "../../src/ebpf/layout";
import { MAX_TAIL_CALL_CNT } from "../../src/ebpf/insn";
import { A0, A1, Cond, FP, RA, SP, T8, T9, V0, V1, ZERO } from "../emitter";
import { JUMP_MASK } from "../core";
import { mulLo } from "./alu";
import type { O32 } from "./ctx";
import { R10OFF, saveSlot } from "./ctx";

const U64X5: readonly ArgKind[] = ["u64", "u64", "u64", "u64", "u64"];

// ───────────── prologue / epilogue ─────────────

/** Main entry: tail-call count, then R1 = zext(a0), R2 = zext(a1). Returns nothing; tail entry follows. */
export function mainEntry(c: O32): void {
  const e = c.e;
  if (c.info.hasTailCall) {
    e.addiu(T9, ZERO, MAX_TAIL_CALL_CNT + (c.mut.tailOffByOne ? 1 : 0) /* mutation check */);
    e.sw(T9, 0, SP); // sp0+0: the caller's home area word (Linux 32-bit JIT, §4)
  }
  const r1l = c.lo[1], r1h = c.hi[1], r2l = c.lo[2], r2h = c.hi[2];
  // a1 (len) moves out before a1 is overwritten as part of R1.
  e.move(r2l, A1);
  e.move(r1l, A0);
  if (r2h !== r2l) e.addu(r2h, ZERO, ZERO);
  e.addu(r1h, ZERO, ZERO);
}

export function framePrologue(c: O32): void {
  const e = c.e;
  e.addiu(SP, SP, -c.frameSize);
  for (const r of c.saved) e.sw(r, saveSlot(r), SP);
  if (c.info.regsUsed & (1 << 10)) e.addiu(FP, SP, R10OFF);
}

function restoreSaved(c: O32): void {
  for (const r of c.saved) c.e.lw(r, saveSlot(r), SP);
}

export function epilogue(c: O32): void {
  const e = c.e;
  restoreSaved(c);
  e.jr(RA);
  e.addiu(SP, SP, c.frameSize); // delay slot
}

// ───────────── helper calls ─────────────

/** Move the arguments R1–R5 into o32 argument slots. Stack words first, while every source is intact. */
function marshal(c: O32, kinds: readonly ArgKind[]): void {
  const e = c.e;
  const dst = c.movDst, src = c.movSrc;
  let nm = 0;
  let s = 0;
  const place = (slot: number, reg: number): void => {
    if (slot < 4) { if (A0 + slot !== reg) { dst[nm] = A0 + slot; src[nm++] = reg; } }
    else e.sw(reg, 4 * slot, SP);
  };
  for (let j = 0; j < kinds.length; j++) {
    const r = j + 1;
    // A register the program never defines holds no value (the helper's argument is undefined either way);
    // copying it would store or pass an ABI-undefined register.
    if (!c.info.defined(r)) { s = kinds[j] === "u64" ? ((s + 1) & ~1) + 2 : s + 1; continue; }
    if (kinds[j] === "u64") {
      s = (s + 1) & ~1;
      // The lower-numbered slot holds the lower-address word: the low word on LE, the high word on BE.
      place(s, c.le ? c.lo[r] : c.hi[r]);
      place(s + 1, c.le ? c.hi[r] : c.lo[r]);
      s += 2;
    } else {
      place(s, c.lo[r]);
      s += 1;
    }
  }
  // Parallel move into a0–a3: emit a move whose destination no pending move still reads; break a cycle by
  // parking one destination's old value in t8.
  while (nm > 0) {
    let k = -1;
    for (let a = 0; a < nm && k < 0; a++) {
      let read = false;
      for (let b = 0; b < nm; b++) if (b !== a && src[b] === dst[a]) { read = true; break; }
      if (!read) k = a;
    }
    if (k < 0) {
      const d = dst[0]!;
      e.move(T8, d);
      for (let b = 0; b < nm; b++) if (src[b] === d) src[b] = T8;
      continue;
    }
    e.move(dst[k]!, src[k]!);
    dst[k] = dst[nm - 1]!; src[k] = src[nm - 1]!; nm--;
  }
}

function retFix(c: O32, ret: ArgKind | "void"): void {
  if (ret !== "u32" && ret !== "ptr") return;
  const e = c.e;
  // A 32-bit result is in v0; R0 = its zero-extension.
  if (c.le) e.addu(V1, ZERO, ZERO);
  else { e.move(V1, V0); e.addu(V0, ZERO, ZERO); }
}

function callT9(c: O32, i: number): void {
  c.site(i, "helper");
  c.e.jalr(T9);
  c.e.nop();
}

export function helperCall(c: O32, i: number, id: number): void {
  if (id === BPF_FUNC_tail_call) { tailCall(c, i); return; }
  const p = helperProto(id);
  marshal(c, p ? p.args : U64X5);
  c.e.li(T9, c.core.jumpAddr(helperAddress(c.opts.layout, id)));
  callT9(c, i);
  retFix(c, p ? p.ret : "u64");
}

const shapeKey = (args: readonly ArgKind[], ret: string): string => args.join(",") + "|" + ret;
const DEFAULT_SHAPE = shapeKey(U64X5, "u64");

interface Shape { args: readonly ArgKind[]; ret: ArgKind | "void"; ids: number[] }

/** Known helper prototypes grouped by marshalling shape; the all-u64 shape is the fallback. */
const SHAPES: readonly Shape[] = (() => {
  const shapes = new Map<string, Shape>();
  for (const p of HELPER_PROTOS) {
    if (p.id === BPF_FUNC_tail_call) continue;
    const k = shapeKey(p.args, p.ret);
    if (k === DEFAULT_SHAPE) continue;
    const g = shapes.get(k);
    if (g) g.ids.push(p.id); else shapes.set(k, { args: p.args, ret: p.ret, ids: [p.id] });
  }
  return [...shapes.values()];
})();

/** callx: the register holds a helper id; marshalling is picked at run time among the known prototypes. */
export function callx(c: O32, i: number, reg: number): void {
  const e = c.e;
  const id = c.lo[reg];
  const lay = c.opts.layout;
  const stride = lay.helperStride;
  if (stride > 0 && (stride & (stride - 1)) === 0) e.sll(T9, id, 31 - Math.clz32(stride));
  else { e.li(T8, stride); mulLo(c, T9, id, T8); }
  if (lay.helperBase !== 0) { e.li(T8, lay.helperBase); e.addu(T9, T9, T8); }
  if (c.opts.errata?.loongson2f) { e.li(T8, JUMP_MASK); e.and(T9, T9, T8); }
  const groups = SHAPES;
  const labels = groups.map(() => e.newLabel());
  const done = e.newLabel();
  groups.forEach((g, n) => {
    for (const hid of g.ids) { e.li(T8, hid); e.branchTo(Cond.EQ, id, T8, labels[n]!); e.nop(); }
  });
  marshal(c, U64X5);
  callT9(c, i);
  e.branchTo(Cond.ALWAYS, ZERO, ZERO, done);
  e.nop();
  groups.forEach((g, n) => {
    e.bind(labels[n]!);
    marshal(c, g.args);
    e.jalr(T9);
    e.nop();
    retFix(c, g.ret);
    if (n < groups.length - 1) { e.branchTo(Cond.ALWAYS, ZERO, ZERO, done); e.nop(); }
  });
  e.bind(done);
}

/** bpf-to-bpf call: the count travels in 0(sp), which is the callee's sp0+0 (its own count slot). */
export function localCall(c: O32, i: number, target: number): void {
  const e = c.e;
  const tc = c.info.hasTailCall;
  if (tc) { e.lw(T9, c.tccOff, SP); e.sw(T9, 0, SP); }
  const before = e.n;
  c.core.farCall(target);
  c.siteAt(i, "local", c.core.state[i] === 0 ? before : before + 2);
  if (tc) { e.lw(T9, 0, SP); e.sw(T9, c.tccOff, SP); }
}

/**
 * Tail call (R2 = prog_array object, R3 = index): fall through unless index < max_entries, the count
 * (initially 33, decremented per call: `if (TCC-- <= 0) out`) allows it and ptrs[index] ≠ 0. Then leave
 * this frame as the epilogue does and jump to the word the prog record holds: the target's tailCallEntry.
 */
export function tailCall(c: O32, i: number): void {
  const e = c.e;
  const a = c.lo[2], idx = c.lo[3];
  const out = e.newLabel();
  e.lw(T9, PROG_ARRAY_MAX_ENTRIES_OFF, a);
  e.sltu(T8, idx, T9);
  e.branchTo(Cond.EQ, T8, ZERO, out);
  e.nop();
  e.lw(T9, c.tccOff, SP);
  e.branchTo(Cond.LEZ, T9, ZERO, out);
  e.addiu(T9, T9, -1); // delay slot
  // As Linux (kernel/bpf/core.c), the count is spent before the empty-slot check.
  e.sw(T9, c.tccOff, SP);
  e.sll(T8, idx, 2);
  e.addu(T8, T8, a);
  e.lw(T8, PROG_ARRAY_PTRS_OFF, T8);
  e.branchTo(Cond.EQ, T8, ZERO, out);
  e.nop();
  e.lw(T9, PROG_BPF_FUNC_OFF, T8);
  if (c.opts.errata?.loongson2f) { e.li(T8, JUMP_MASK); e.and(T9, T9, T8); }
  restoreSaved(c);
  e.settle(T9, 0);
  c.site(i, "tail");
  e.jr(T9);
  e.addiu(SP, SP, c.frameSize); // delay slot
  e.bind(out);
}
