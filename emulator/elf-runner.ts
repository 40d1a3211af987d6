// Runs a static MIPS Linux executable on the emulator (issue 3 §6): ELF32 o32 or ELF64 n64, either byte
// order, ISA level from e_flags (EF_MIPS_ARCH) unless given. Owns ELF executable parsing (program headers
// only), the initial process stack (argc/argv/envp/auxv as Linux lays it out), the Linux register state at
// entry (all zero: Linux clears them, so nothing is poisoned) and the syscalls write, exit and exit_group.
// Any other syscall stops the run (reported, never guessed). Exit statuses for stops mirror what a shell
// shows for qemu-user on an x86 host (128 + host signal), and 250–252 for trip-wire traps, budget and host
// errors, so `bpf-mips emu` and qemu-user are directly comparable. Bad ELF input throws InputError.
import { InputError } from "../src/ebpf/errors";
import type { IsaLevel } from "../src/mips/levels";
import { is64 as levelIs64 } from "../src/mips/levels";
import type { Cpu } from "./cpu";
import { STOP_EXIT } from "./cpu";
import { Machine, formatOutcome } from "./machine";
import type { Outcome, Tripwires } from "./types";

export const TRAP_EXIT_STATUS = 250;
export const BUDGET_EXIT_STATUS = 251;
export const HOST_ERROR_EXIT_STATUS = 252;

export interface ElfRunOptions {
  /** ISA level; default from e_flags. */
  readonly isa?: IsaLevel;
  readonly tripwires?: Partial<Tripwires>;
  readonly nollsc?: boolean;
  /** Instruction budget (default 100 million). */
  readonly budget?: number;
  /** argv (default ["prog"]). */
  readonly argv?: readonly string[];
  /** Name for error messages. */
  readonly file?: string;
}

export type ElfRunResult =
  | { readonly kind: "exit"; readonly exitCode: number; readonly stdout: Uint8Array; readonly stderr: Uint8Array; readonly instructions: number; readonly level: IsaLevel }
  | { readonly kind: "stopped"; readonly exitCode: number; readonly outcome: Outcome; readonly line: string; readonly stdout: Uint8Array; readonly stderr: Uint8Array; readonly instructions: number; readonly level: IsaLevel };

const ARCH_LEVELS: Record<number, IsaLevel> = {
  0x0: "mips1", 0x1: "mips2", 0x2: "mips3", 0x3: "mips4", 0x4: "mips5",
  0x5: "mips32r1", 0x6: "mips64r1", 0x7: "mips32r2", 0x8: "mips64r2", 0x9: "mips32r6", 0xa: "mips64r6",
};

interface Segment { vaddr: number; memsz: number; data: Uint8Array; perms: string }
interface ElfExec { is64: boolean; le: boolean; entry: number; flags: number; segments: Segment[] }

function parseElf(bytes: Uint8Array, file: string | undefined): ElfExec {
  const bad = (reason: string): InputError => new InputError(reason, file !== undefined ? { file } : {});
  if (bytes.length < 52 || bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46) throw bad("not an ELF file");
  const cls = bytes[4], data = bytes[5];
  if (cls !== 1 && cls !== 2) throw bad(`invalid ELF class ${cls}`);
  if (data !== 1 && data !== 2) throw bad(`invalid ELF data encoding ${data}`);
  const is64 = cls === 2, le = data === 1;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (o: number): number => dv.getUint16(o, le);
  const u32 = (o: number): number => dv.getUint32(o, le);
  const addr = (o: number, what: string): number => {
    if (!is64) return u32(o);
    const a = dv.getUint32(o, le), b = dv.getUint32(o + 4, le);
    const [lo, hi] = le ? [a, b] : [b, a];
    if (hi >= 0x200000) throw bad(`${what} 0x${hi.toString(16)}${lo.toString(16).padStart(8, "0")} is beyond 2^53`);
    return hi * 4294967296 + lo;
  };
  if (is64 && bytes.length < 64) throw bad("truncated ELF header");
  const type = u16(16), machine = u16(18);
  if (machine !== 8) throw bad(`not a MIPS executable (e_machine ${machine})`);
  if (type !== 2) throw bad(type === 3 ? "not a static executable (ET_DYN)" : `not an executable (e_type ${type})`);
  const entry = addr(24, "e_entry");
  const phoff = is64 ? addr(32, "e_phoff") : u32(28);
  const flags = u32(is64 ? 48 : 36);
  const phentsize = u16(is64 ? 54 : 42), phnum = u16(is64 ? 56 : 44);
  if (!is64 && (flags & 0x20) !== 0) throw bad("n32 executables are not supported (EF_MIPS_ABI2)");
  if (phentsize < (is64 ? 56 : 32) || phoff + phnum * phentsize > bytes.length) throw bad("program header table out of bounds");
  const segments: Segment[] = [];
  for (let i = 0; i < phnum; i++) {
    const p = phoff + i * phentsize;
    const ptype = u32(p);
    if (ptype === 3) throw bad("dynamically linked executable (PT_INTERP): only static executables run");
    if (ptype !== 1) continue;
    const pflags = is64 ? u32(p + 4) : u32(p + 24);
    const offset = is64 ? addr(p + 8, "p_offset") : u32(p + 4);
    const vaddr = is64 ? addr(p + 16, "p_vaddr") : u32(p + 8);
    const filesz = is64 ? addr(p + 32, "p_filesz") : u32(p + 16);
    const memsz = is64 ? addr(p + 40, "p_memsz") : u32(p + 20);
    if (memsz === 0) continue;
    if (filesz > memsz || offset + filesz > bytes.length) throw bad(`PT_LOAD segment ${i} out of bounds`);
    if (memsz > 0x4000_0000) throw bad(`PT_LOAD segment ${i} too large (${memsz} bytes)`);
    const perms = ((pflags & 4) ? "r" : "") + ((pflags & 2) ? "w" : "") + ((pflags & 1) ? "x" : "");
    segments.push({ vaddr, memsz, data: bytes.subarray(offset, offset + filesz), perms });
  }
  if (segments.length === 0) throw bad("no PT_LOAD segments");
  return { is64, le, entry, flags, segments };
}

/** Exit status for a stop, as a shell reports qemu-user dying of the corresponding signal on x86. */
function stopStatus(o: Outcome): number {
  if (o.kind === "trap") return TRAP_EXIT_STATUS;
  if (o.kind === "budget") return BUDGET_EXIT_STATUS;
  if (o.kind !== "exception") return HOST_ERROR_EXIT_STATUS;
  switch (o.exception) {
    case "RI": return 128 + 4; // SIGILL
    case "Ov": return 128 + 8; // SIGFPE
    case "Tr": case "Bp": return 128 + 5; // SIGTRAP
    case "AdEL": case "AdES": return o.reason.includes("misaligned") ? 128 + 7 : 128 + 11; // SIGBUS / SIGSEGV
    case "XI": return 128 + 11;
    default: return 128 + 31; // SIGSYS
  }
}

export function runElfExecutable(bytes: Uint8Array, opts: ElfRunOptions = {}): ElfRunResult {
  const elf = parseElf(bytes, opts.file);
  const arch = (elf.flags >>> 28) & 0xf;
  const level = opts.isa ?? ARCH_LEVELS[arch];
  if (level === undefined) throw new InputError(`unknown EF_MIPS_ARCH 0x${arch.toString(16)} in e_flags; give --isa`, opts.file !== undefined ? { file: opts.file } : {});
  if (elf.is64 && !levelIs64(level)) throw new InputError(`ELF64 (n64) executable needs a 64-bit ISA level, not ${level}`);
  const m = new Machine({ level, littleEndian: elf.le, tripwires: opts.tripwires, nollsc: opts.nollsc, abi: elf.is64 ? "n64" : "o32" });
  elf.segments.forEach((s, i) => {
    m.addRegion({ name: `segment${i}(${s.perms})`, base: s.vaddr, size: s.memsz, perms: s.perms, data: s.data });
  });
  // process stack: argc, argv[], NULL, envp NULL, auxv {AT_PAGESZ, 4096}, AT_NULL (Linux ABI)
  const ptr = elf.is64 ? 8 : 4;
  const stackTop = elf.is64 ? 0x7fff_fff0_0000 : 0x7fff_0000;
  const stackSize = 8 << 20;
  m.addRegion({ name: "stack", base: stackTop - stackSize, size: stackSize, perms: "rw" });
  const argv = opts.argv ?? ["prog"];
  let strAt = stackTop - 256;
  const argPtrs: number[] = [];
  for (const a of argv) {
    const b = new TextEncoder().encode(a + "\0");
    m.mem.writeBytes(strAt, b);
    argPtrs.push(strAt);
    strAt += b.length;
  }
  const words = [argv.length, ...argPtrs, 0, 0, 6, 4096, 0, 0];
  const sp = stackTop - 1024; // 16-byte aligned
  words.forEach((v, i) => (elf.is64 ? m.mem.write64(sp + i * ptr, 0, v >>> 0) : m.mem.write32(sp + i * ptr, v >>> 0)));
  for (let r = 1; r < 32; r++) m.setReg(r, 0, 0);
  m.setReg(29, sp % 4294967296, Math.floor(sp / 4294967296));

  const out: Uint8Array[] = [], err: Uint8Array[] = [];
  let exitCode = 0;
  const o32 = !elf.is64;
  const SYS_WRITE = o32 ? 4004 : 5001, SYS_EXIT = o32 ? 4001 : 5058, SYS_EXIT_GROUP = o32 ? 4246 : 5205;
  m.cpu.onSyscall = (c: Cpu): number => {
    const nr = c.lo[2];
    const ret = (v: number, error: boolean): number => { m.setReg(2, v, v >> 31); m.setReg(7, error ? 1 : 0, 0); return 0; };
    if (nr === SYS_EXIT || nr === SYS_EXIT_GROUP) {
      exitCode = c.lo[4] & 0xff;
      c.stop = STOP_EXIT;
      c.stopReason = `exit(${exitCode})`;
      return STOP_EXIT;
    }
    if (nr === SYS_WRITE) {
      const fd = c.lo[4], buf = c.regAddr(5), n = c.lo[6] >>> 0;
      if (fd !== 1 && fd !== 2) return ret(9, true); // EBADF
      if (n === 0) return ret(0, false);
      const r = m.mem.find(buf, n);
      if (r === null || (r.perm & 1) === 0) return ret(14, true); // EFAULT
      (fd === 1 ? out : err).push(r.bytes.slice(buf - r.base, buf - r.base + n));
      return ret(n, false);
    }
    return c.exc("Sys", `unsupported syscall ${nr} (the runner implements write, exit and exit_group)`);
  };
  const o = m.run({ pc: elf.entry, budget: opts.budget ?? 100_000_000 });
  const cat = (parts: Uint8Array[]): Uint8Array => {
    const total = parts.reduce((a, p) => a + p.length, 0);
    const r = new Uint8Array(total);
    let at = 0;
    for (const p of parts) { r.set(p, at); at += p.length; }
    return r;
  };
  const stdout = cat(out), stderr = cat(err);
  if (o.kind === "exit") return { kind: "exit", exitCode, stdout, stderr, instructions: o.instructions, level };
  return { kind: "stopped", exitCode: stopStatus(o), outcome: o, line: formatOutcome(o), stdout, stderr, instructions: o.instructions, level };
}
