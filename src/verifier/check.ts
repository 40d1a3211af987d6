// Structural verification: the facts a JIT relies on (Issue 2 §6, ebpf-semantics.md §3), each rejection with
// its own message as an InputError {insn, field}. Owns: jump and call targets, subprogram boundaries,
// fall-through, exit reachability, R10 read-only, must-initialised registers on every path (a dataflow over
// the CFG, interprocedural over the acyclic call graph), constant-offset R10 stack bounds and alignment,
// accesses through R10 + k copies and stack bytes read before written (stack-init.ts),
// helper ids, LD_IMM64 form and map references, immediate division by zero, invalid constant shifts, call
// depth and recursion. Does not own byte-level decoding (src/ebpf) or the rewrites (rewrites/*.ts).
//
// Deliberate differences from Linux, documented in docs/verifier.md: unreachable code is accepted (Linux
// rejects it); loops are accepted when an exit stays reachable (this verifier cannot bound them); stack
// bounds are checked only for accesses whose base register is R10 itself (no pointer tracking); R2 is defined
// at entry because layout.ts defines R2 = ctx size (bpf_conformance mem-len.data).
import { InputError } from "../ebpf/errors";
import { helperProto } from "../ebpf/helper-protos";
import {
  AX, BPF_ARSH, BPF_CALL, BPF_DIV, BPF_EXIT, BPF_JA, BPF_JMP, BPF_JMP32, BPF_LSH, BPF_MOD, BPF_PSEUDO_BTF_ID,
  BPF_PSEUDO_CALL, BPF_PSEUDO_FUNC, BPF_PSEUDO_KFUNC_CALL, BPF_PSEUDO_MAP_FD, BPF_PSEUDO_MAP_IDX,
  BPF_PSEUDO_MAP_IDX_VALUE, BPF_PSEUDO_MAP_VALUE, BPF_RSH, BPF_STACK_SIZE, MAX_CALL_FRAMES, R0, R10, isLdImm64,
  type Insn, type Program,
} from "../ebpf/insn";
import type { MapDef } from "../ebpf/maps";
import { isKnownOpcode } from "../ebpf/opcode-table";
import { fallsThrough, isCallOrFuncRef, slotSize, subprogStarts, subprogsOf, successors, type Subprog } from "./cfg";
import { ARG_REGS, bit, insnEffects, isZextMarker, type InsnEffects } from "./operands";
import { branchTarget, ldImm64Seconds } from "./patch";
import { checkStack } from "./stack-init";

export interface VerifyOptions {
  /** Maps the program may reference: LD_IMM64 src=1/2 (fd) and src=5/6 (index) are indices into this list. */
  readonly maps?: readonly MapDef[];
  /** Registers defined at entry of the main program. Default R1 (ctx), R2 (ctx size, layout.ts) and R10. */
  readonly entryRegs?: readonly number[];
  /** Accept what only rewritten programs contain: AX (R11) and the zext marker `mov32 rX, rX` imm = 1. */
  readonly rewritten?: boolean;
  /**
   * Reads through R10 of stack bytes not written on every path: "reject" (default; Linux for unprivileged
   * programs) or "allow" (Linux with allow_uninit_stack; the JIT then reads whatever its frame holds).
   */
  readonly uninitStack?: "reject" | "allow";
}

export const DEFAULT_ENTRY_REGS: readonly number[] = [1, 2, R10];

const hex = (v: number): string => "0x" + (v >>> 0).toString(16);
const fail = (reason: string, insn: number, field?: string): never => {
  throw new InputError(reason, field === undefined ? { insn } : { insn, field });
};
const lowestBit = (m: number): number => 31 - Math.clz32(m & -m);
const regName = (r: number): string => (r === AX ? "AX" : `R${r}`);


/**
 * Throw InputError at the first structural problem of `p`; return normally when the program is acceptable
 * to the JIT pipeline.
 */
export function verifyProgram(p: Program, opts: VerifyOptions = {}): void {
  const n = p.length;
  if (n === 0) throw new InputError("empty program");
  const maps = opts.maps ?? [];
  const maxReg = opts.rewritten ? AX : R10;
  const second = ldImm64Seconds(p);
  const effects: (InsnEffects | undefined)[] = new Array(n);

  // Pass 1: each instruction on its own.
  for (let i = 0; i < n; i++) {
    if (second[i]) continue;
    const ins = p[i];
    effects[i] = checkInsn(p, i, ins, maps, maxReg, opts.rewritten === true);
  }

  // Pass 2: subprograms, branch targets, fall-through.
  for (let i = 0; i < n; i++) {
    if (second[i] || !isCallOrFuncRef(p, i)) continue;
    const t = i + 1 + p[i].imm;
    const what = isLdImm64(p[i]) ? "code address" : "call";
    if (t < 0 || t >= n) fail(`${what} target ${t} is outside the program (0..${n - 1})`, i, "imm");
    if (second[t]) fail(`${what} target ${t} is the second slot of LD_IMM64`, i, "imm");
    if (t === 0 && !isLdImm64(p[i])) fail("call to the main program (recursion)", i, "imm");
  }
  const subs = subprogsOf(p, subprogStarts(p));
  const subOf = new Int32Array(n);
  subs.forEach((s, k) => subOf.fill(k, s.start, s.end));
  for (let i = 0; i < n; i++) {
    if (second[i]) continue;
    const ins = p[i];
    if (isCallOrFuncRef(p, i)) continue;
    const t = branchTarget(ins, i);
    if (t === undefined) continue;
    const field = ins.opcode === (BPF_JMP32 | BPF_JA) ? "imm" : "off";
    if (t < 0 || t >= n) fail(`jump target ${t} is outside the program (0..${n - 1})`, i, field);
    if (second[t]) fail(`jump target ${t} is the second slot of LD_IMM64`, i, field);
    const s = subs[subOf[i]];
    if (t < s.start || t >= s.end) fail(`jump target ${t} leaves the subprogram at ${s.start}..${s.end - 1}`, i, field);
  }
  for (const s of subs) {
    let last = s.end - 1;
    if (second[last]) last--;
    if (fallsThrough(p, last)) {
      const where = s.end === n ? "the end of the program" : `the end of the subprogram at ${s.start}`;
      fail(`control falls through past ${where} (last instruction is not exit or an unconditional jump)`, last);
    }
  }

  // Pass 3: the static call graph: recursion and depth.
  const callees = subs.map(() => [] as { at: number; sub: number }[]);
  for (let i = 0; i < n; i++) {
    if (second[i]) continue;
    const ins = p[i];
    if (ins.opcode === (BPF_JMP | BPF_CALL) && ins.src === BPF_PSEUDO_CALL) {
      callees[subOf[i]].push({ at: i, sub: subOf[i + 1 + ins.imm] });
    }
  }
  const order = callOrder(callees);

  // Pass 4: must-initialised registers per frame, in caller-before-callee order.
  const entryMask = (opts.entryRegs ?? DEFAULT_ENTRY_REGS).reduce((m, r) => m | bit(r), 0);
  const entry: (number | undefined)[] = subs.map(() => undefined);
  entry[0] = entryMask;
  for (const k of order) {
    const e = entry[k];
    if (e === undefined) continue; // never called from reachable code
    const inSets = mustInit(p, subs[k], e, effects, second);
    checkUses(p, subs[k], inSets, effects);
    checkStack(p, subs[k], effects, (i) => inSets[i] !== undefined, { checkInit: opts.uninitStack !== "allow" });
    checkExitReachable(p, subs[k], inSets, second);
    for (const c of callees[k]) {
      const at = inSets[c.at];
      if (at === undefined) continue;
      const pass = (at & ARG_REGS) | bit(R10);
      entry[c.sub] = entry[c.sub] === undefined ? pass : entry[c.sub]! & pass;
    }
  }
}

function checkInsn(p: Program, i: number, ins: Insn, maps: readonly MapDef[], maxReg: number, rewritten: boolean): InsnEffects {
  if (isLdImm64(ins)) {
    if (i + 1 >= p.length) fail("LD_IMM64 is missing its second slot", i, "opcode");
    const nx = p[i + 1];
    if (nx.opcode !== 0 || nx.dst !== 0 || nx.src !== 0 || nx.off !== 0) {
      fail("second slot of LD_IMM64 must have opcode, registers and offset zero", i + 1);
    }
  }
  const eff = insnEffects(ins);
  if (eff === undefined) {
    if (!isKnownOpcode(ins.opcode)) fail(`unknown opcode ${hex(ins.opcode)}`, i, "opcode");
    fail(`no instruction variant for opcode ${hex(ins.opcode)} with src=${ins.src} off=${ins.off} imm=${ins.imm}`, i);
  }
  const e = eff!;
  for (const f of ["dst", "src"] as const) {
    if (e.entry.uses.includes(f) && (ins[f] < 0 || ins[f] > maxReg)) fail(`invalid register r${ins[f]}`, i, f);
  }
  for (const f of e.entry.reserved) {
    if (ins[f] === 0) continue;
    if (rewritten && f === "imm" && isZextMarker(ins)) continue;
    fail(`reserved field must be zero (is ${ins[f]})`, i, f);
  }
  if (e.def & bit(R10)) fail("R10 (frame pointer) is read-only", i, e.entry.shape === "atomic" ? "src" : "dst");

  const shape = e.entry.shape;
  const op = ins.opcode & 0xf0;
  if (shape === "alu" && e.entry.source === "K") {
    if ((op === BPF_DIV || op === BPF_MOD) && ins.imm === 0) fail("division by zero", i, "imm");
    if ((op === BPF_LSH || op === BPF_RSH || op === BPF_ARSH) && (ins.imm < 0 || ins.imm >= e.entry.width)) {
      fail(`invalid shift ${ins.imm} (must be 0..${e.entry.width - 1})`, i, "imm");
    }
  }
  if (shape === "call" && ins.src === 0 && helperProto(ins.imm) === undefined) fail(`unknown helper id ${ins.imm}`, i, "imm");
  if (shape === "call" && ins.src === BPF_PSEUDO_KFUNC_CALL) fail("kfunc calls (src=2) are not supported", i, "src");
  if (shape === "lddw") checkLdImm64(p, i, ins, maps);
  if (shape === "ldx" || shape === "st" || shape === "stx" || shape === "atomic") {
    const base = shape === "ldx" ? ins.src : ins.dst;
    if (base === R10) {
      const size = e.entry.size!;
      if (ins.off < -BPF_STACK_SIZE || ins.off + size > 0) {
        fail(`stack access [R10${ins.off}] of ${size} bytes is outside the ${BPF_STACK_SIZE}-byte stack`, i, "off");
      }
      // Linux check_ptr_alignment is strict for PTR_TO_STACK; MIPS traps on misaligned lw/sw/ld/sd.
      if (ins.off % size !== 0) fail(`misaligned stack access [R10${ins.off}] of ${size} bytes`, i, "off");
    }
  }
  return e;
}

function checkLdImm64(p: Program, i: number, ins: Insn, maps: readonly MapDef[]): void {
  switch (ins.src) {
    case 0:
    case BPF_PSEUDO_FUNC:
      return;
    case BPF_PSEUDO_MAP_FD:
    case BPF_PSEUDO_MAP_IDX:
    case BPF_PSEUDO_MAP_VALUE:
    case BPF_PSEUDO_MAP_IDX_VALUE: {
      if (ins.imm < 0 || ins.imm >= maps.length) {
        fail(`map reference ${ins.imm} out of range (the program has ${maps.length} map${maps.length === 1 ? "" : "s"})`, i, "imm");
      }
      if (ins.src === BPF_PSEUDO_MAP_VALUE || ins.src === BPF_PSEUDO_MAP_IDX_VALUE) {
        const m = maps[ins.imm];
        const off = p[i + 1].imm;
        if (m.type === "prog_array") fail(`map '${m.name}' has no directly addressable values (prog_array)`, i, "src");
        if (m.type === "hash") fail(`map '${m.name}' values are not one contiguous region (hash)`, i, "src");
        if (off < 0 || off >= m.valueSize * m.maxEntries) {
          fail(`map value offset ${off} outside map '${m.name}' (${m.valueSize * m.maxEntries} bytes)`, i + 1, "imm");
        }
      }
      return;
    }
    case BPF_PSEUDO_BTF_ID:
      fail("LD_IMM64 src=3 (BTF variable address) is not supported", i, "src");
  }
}

/** Subprogram indices, callers before callees; throws on recursion or more than MAX_CALL_FRAMES frames. */
function callOrder(callees: readonly { at: number; sub: number }[][]): number[] {
  const state = new Uint8Array(callees.length); // 0 new, 1 on stack, 2 done
  const depth = new Int32Array(callees.length); // deepest frame count below and including this subprogram
  const post: number[] = [];
  const visit = (k: number): void => {
    state[k] = 1;
    let d = 1;
    for (const c of callees[k]) {
      if (state[c.sub] === 1) fail("recursive call (the call graph must be acyclic)", c.at, "imm");
      if (state[c.sub] === 0) visit(c.sub);
      d = Math.max(d, 1 + depth[c.sub]);
    }
    depth[k] = d;
    state[k] = 2;
    post.push(k);
  };
  for (let k = 0; k < callees.length; k++) if (state[k] === 0) visit(k);
  // Depth from main: frames on the deepest chain starting at main (Linux MAX_CALL_FRAMES).
  if (depth[0] > MAX_CALL_FRAMES) {
    let k = 0;
    let frames = 1;
    for (;;) {
      const c = callees[k].find((x) => 1 + depth[x.sub] === depth[k])!;
      frames++;
      if (frames > MAX_CALL_FRAMES) fail(`call depth exceeds ${MAX_CALL_FRAMES} frames`, c.at, "imm");
      k = c.sub;
    }
  }
  return post.reverse();
}

/** in[i]: registers initialised on every path to slot i from the subprogram entry (undefined: unreachable). */
function mustInit(p: Program, s: Subprog, entryMask: number, effects: readonly (InsnEffects | undefined)[], second: Uint8Array): (number | undefined)[] {
  const inSets: (number | undefined)[] = new Array(p.length).fill(undefined);
  inSets[s.start] = entryMask;
  const work: number[] = [s.start];
  const queued = new Uint8Array(p.length);
  queued[s.start] = 1;
  while (work.length > 0) {
    const i = work.pop()!;
    queued[i] = 0;
    if (second[i]) continue;
    const e = effects[i]!;
    const out = ((inSets[i]! & ~e.clobber) | e.def) >>> 0;
    for (const t of successors(p, i)) {
      if (t >= s.end) continue; // reported by the fall-through check
      const prev = inSets[t];
      const next = prev === undefined ? out : prev & out;
      if (next !== prev) {
        inSets[t] = next;
        if (!queued[t]) {
          queued[t] = 1;
          work.push(t);
        }
      }
    }
  }
  return inSets;
}

function checkUses(p: Program, s: Subprog, inSets: readonly (number | undefined)[], effects: readonly (InsnEffects | undefined)[]): void {
  for (let i = s.start; i < s.end; i++) {
    const have = inSets[i];
    if (have === undefined) continue;
    const e = effects[i]!;
    const missing = e.use & ~have;
    if (missing === 0) continue;
    const r = lowestBit(missing);
    const ins = p[i];
    if (e.entry.shape === "exit") fail("R0 is not initialised at exit", i);
    if (e.entry.shape === "call") {
      const proto = helperProto(ins.imm);
      fail(`argument ${regName(r)} of helper ${proto?.name ?? ins.imm} is not initialised on every path`, i);
    }
    const field = r === ins.dst && e.entry.uses.includes("dst") ? "dst" : r === ins.src && e.entry.uses.includes("src") ? "src" : undefined;
    fail(`${regName(r)} is read before it is initialised on some path${r === R0 && field === undefined ? " (implicit operand)" : ""}`, i, field);
  }
}

/** Every reachable instruction must be able to reach an EXIT of its subprogram (no inescapable loop). */
function checkExitReachable(p: Program, s: Subprog, inSets: readonly (number | undefined)[], second: Uint8Array): void {
  const preds: number[][] = [];
  for (let i = s.start; i < s.end; i++) preds.push([]);
  const exits: number[] = [];
  for (let i = s.start; i < s.end; i++) {
    if (second[i] || inSets[i] === undefined) continue;
    if (p[i].opcode === (BPF_JMP | BPF_EXIT)) exits.push(i);
    for (const t of successors(p, i)) if (t < s.end) preds[t - s.start].push(i);
  }
  const canExit = new Uint8Array(s.end - s.start);
  const work = [...exits];
  for (const x of exits) canExit[x - s.start] = 1;
  while (work.length > 0) {
    const t = work.pop()!;
    for (const q of preds[t - s.start]) {
      if (!canExit[q - s.start]) {
        canExit[q - s.start] = 1;
        work.push(q);
      }
    }
  }
  if (exits.length === 0) fail(`no exit is reachable in the ${s.start === 0 ? "program" : `subprogram at ${s.start}`}`, s.start);
  for (let i = s.start; i < s.end; i += slotSize(p, i)) {
    if (inSets[i] !== undefined && !canExit[i - s.start]) fail("no exit is reachable from here (infinite loop)", i);
  }
}
