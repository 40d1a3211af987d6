// The o32 backend's instruction dispatch and pass loop: lays out [main entry | tail-call entry | frame
// prologue | body of every function (each subprogram preceded by its frame prologue) | shared epilogue] and
// drives the core's convergence loop (../core.ts). Owns JitImage assembly for 32-bit levels.
import type { Program } from "../../src/ebpf/insn";
import {
  BPF_ALU, BPF_ALU64, BPF_CALL, BPF_EXIT, BPF_JMP, BPF_JMP32, BPF_LD, BPF_LDX, BPF_MEM, BPF_MEMSX,
  BPF_PSEUDO_CALL, BPF_ST, BPF_STX, cls, LD_IMM64_OPCODE,
} from "../../src/ebpf/insn";
import { InputError } from "../../src/ebpf/errors";
import { BPF_FUNC_tail_call } from "../../src/ebpf/helper-protos";
import { hasLlSc } from "../../src/mips/levels";
import { analyze, Core } from "../core";
import { Cond, Emitter, ZERO } from "../emitter";
import { JitError } from "../errors";
import type { JitImage, JitOptions } from "../options";
import { alu32, alu64 } from "./alu";
import { callx, epilogue, framePrologue, helperCall, localCall, mainEntry } from "./call";
import { O32, R10OFF } from "./ctx";
import { jump } from "./jmp";
import { ldImm64, ldPacket, ldx, st, stx } from "./mem";

function insn(c: O32, i: number): number {
  const x = c.prog[i]!;
  const op = x.opcode;
  switch (cls(op)) {
    case BPF_ALU: alu32(c, i, x); return 1;
    case BPF_ALU64: alu64(c, i, x); return 1;
    case BPF_LD:
      if (op !== LD_IMM64_OPCODE) { ldPacket(c, i, x); return 1; }
      ldImm64(c, i, x, c.prog[i + 1]!);
      return 2;
    case BPF_LDX:
      if ((op & 0xe0) !== BPF_MEM && (op & 0xe0) !== BPF_MEMSX) throw new InputError(`bad LDX mode 0x${op.toString(16)}`, { insn: i });
      ldx(c, i, x);
      return 1;
    case BPF_ST:
      if ((op & 0xe0) !== BPF_MEM) throw new InputError(`bad ST mode 0x${op.toString(16)}`, { insn: i });
      st(c, i, x);
      return 1;
    case BPF_STX:
      if ((op & 0xe0) !== BPF_MEM && (op & 0xe0) !== 0xc0) throw new InputError(`bad STX mode 0x${op.toString(16)}`, { insn: i });
      stx(c, i, x);
      return 1;
    case BPF_JMP: case BPF_JMP32: {
      const jop = op & 0xf0;
      if (jop === BPF_CALL) {
        if (op & 0x08) callx(c, i, x.dst);
        else if (x.src === BPF_PSEUDO_CALL) localCall(c, i, i + 1 + x.imm);
        else if (x.src === 0) helperCall(c, i, x.imm);
        else throw new InputError(`call kind src=${x.src} is not supported`, { insn: i });
        return 1;
      }
      if (jop === BPF_EXIT) {
        if (i !== c.prog.length - 1) c.core.farBranch(Cond.ALWAYS, ZERO, ZERO, c.prog.length);
        return 1;
      }
      jump(c, i, x);
      return 1;
    }
    default: throw new JitError(i, "unreachable class");
  }
}

function pass(c: O32, dry: boolean): number {
  const core = c.core, e = c.e;
  core.startPass(dry);
  const n = c.prog.length;
  mainEntry(c);
  const tailEntry = e.n;
  core.curEntries[0] = 0;
  framePrologue(c);
  for (let i = 0; i < n;) {
    if (i > 0 && c.info.funcStart[i]) {
      core.curEntries[i] = e.n;
      framePrologue(c);
    }
    core.cur[i] = e.n;
    core.insn = i;
    const k = insn(c, i);
    e.clearLabels();
    if (k === 2) core.cur[i + 1] = -1;
    i += k;
  }
  core.insn = n;
  core.cur[n] = e.n;
  epilogue(c);
  return tailEntry;
}

export function compileO32(program: Program, opts: JitOptions): JitImage {
  const info = analyze(program, BPF_FUNC_tail_call);
  const errata = opts.errata ?? {};
  const e = new Emitter({
    level: opts.level, loongson2fNop: errata.loongson2f === true,
    skipLoadDelay: opts.mutations?.includes("skip-load-delay-nop") === true,
  }, Math.max(256, program.length * 8));
  const core = new Core(program, e, opts.codeBase >>> 0, errata.loongson2f === true);
  const c = new O32(e, core, program, info, opts, opts.level, hasLlSc(opts.level) && opts.nollsc !== true);
  // Dry passes until no site needs a longer form (see the convergence argument in core.ts).
  const bound = 2 * program.length + 2;
  for (let k = 0; ; k++) {
    if (k > bound) throw new JitError(-1, "branch resolution did not converge (monotonicity broken)");
    pass(c, true);
    const changes = core.resolve();
    core.commit();
    if (changes === 0) break;
  }
  const tailEntry = pass(c, false);
  if (!core.sameLayout()) throw new JitError(-1, "final pass layout differs from the resolved layout");
  const words = e.buf.slice(0, e.n);
  const insnOffsets = new Int32Array(program.length + 1);
  for (let i = 0; i <= program.length; i++) insnOffsets[i] = core.cur[i] < 0 ? -1 : core.cur[i] * 4;
  return {
    words,
    codeBase: opts.codeBase >>> 0,
    entry: opts.codeBase >>> 0,
    tailCallEntry: (opts.codeBase + tailEntry * 4) >>> 0,
    insnOffsets,
    frame: { fpBelowEntrySp: c.frameSize - R10OFF, frameStride: c.frameSize },
    regMap: c.regMap(),
    callSites: c.callSites,
    stats: { bpfInsns: program.length, mipsWords: e.n },
  };
}
