// The interleaved listing of a JIT image (issue 4 §3, `bpf-mips jit`): each eBPF instruction of the
// program the JIT compiled (after the verifier pipeline) followed by its MIPS code with addresses, from the
// image's insnOffsets. Owns the formatting and the pc → eBPF instruction mapping used by failure reports;
// does not compile (jit/) or run anything.
import type { Program } from "../ebpf/insn";
import { disassembleInsn } from "../ebpf/disassembler";
import { disassemble } from "../mips/disasm";
import type { IsaLevel } from "../mips/levels";
import type { JitImage } from "../../jit/index";
import { isZextMarker } from "../verifier/index";

export interface ListingOptions {
  /** Mark the MIPS word at this address with `>>` and centre the window on its eBPF instruction. */
  readonly focusPc?: number;
  /** eBPF instruction to centre on when there is no focusPc (e.g. the last one). */
  readonly focusInsn?: number;
  /** eBPF instructions shown either side of the focus; undefined = the whole program. */
  readonly context?: number;
  /** Title line (the program's name). */
  readonly title?: string;
  /**
   * The `bpf-mips jit` style (docs/cli.md): `k: insn` and `prologue`/`epilogue` at the line start, MIPS
   * lines `  0xADDR: WORD  text`, no focus markers. Failure reports use the default (marked) style.
   */
  readonly plain?: boolean;
}

/** Byte range [start, end) of eBPF slot i's code; empty for the second slot of LD_IMM64. */
function slotRange(img: JitImage, i: number): [number, number] {
  const offs = img.insnOffsets;
  const start = offs[i]!;
  if (start < 0) return [0, 0];
  let j = i + 1;
  while (j < offs.length && offs[j]! < 0) j++;
  return [start, j < offs.length ? offs[j]! : img.words.length * 4];
}

/** The eBPF slot whose code contains `pc`; -1 for the prologue, `slots` for the epilogue, undefined outside. */
export function insnAtPc(img: JitImage, pc: number): number | undefined {
  const off = pc - img.codeBase;
  if (off < 0 || off >= img.words.length * 4) return undefined;
  const offs = img.insnOffsets;
  const slots = offs.length - 1;
  if (off >= offs[slots]!) return slots;
  for (let i = 0; i < slots; i++) {
    const [s, e] = slotRange(img, i);
    if (off >= s && off < e) return i;
  }
  return -1;
}

const hex8 = (x: number): string => (x >>> 0).toString(16).padStart(8, "0");

function mipsLines(img: JitImage, level: IsaLevel, from: number, to: number, focusPc: number | undefined, plain = false): string[] {
  const out: string[] = [];
  for (let off = from; off < to; off += 4) {
    const addr = img.codeBase + off;
    const w = img.words[off >>> 2]!;
    let text: string;
    try { text = disassemble(w, addr, level, { abiNames: true, absoluteTargets: true }); } catch { text = `.4byte 0x${hex8(w)}`; }
    if (plain) out.push(`   0x${hex8(addr)}: ${hex8(w)}  ${text.replace(/\t/g, " ")}`);
    else out.push(`${addr === focusPc ? ">>" : "  "}   0x${hex8(addr)}:  ${hex8(w)}  ${text.replace(/\t/g, " ")}`);
  }
  return out;
}

/** The interleaved listing (whole program, or a window around the focus). */
export function formatListing(p: Program, img: JitImage, level: IsaLevel, o: ListingOptions = {}): string {
  const slots = img.insnOffsets.length - 1;
  const focus = o.focusPc !== undefined ? insnAtPc(img, o.focusPc) : o.focusInsn;
  let lo = 0;
  let hi = slots - 1;
  if (o.context !== undefined && focus !== undefined) {
    lo = Math.max(0, Math.min(focus, slots - 1) - o.context);
    hi = Math.min(slots - 1, Math.max(focus, 0) + o.context);
  }
  const lines: string[] = [];
  if (o.title) lines.push(o.title);
  if (lo === 0) {
    lines.push(o.plain ? "prologue" : "prologue:");
    lines.push(...mipsLines(img, level, 0, img.insnOffsets[0]! < 0 ? 0 : img.insnOffsets[0]!, o.focusPc, o.plain));
  } else {
    lines.push(`  … ${lo} eBPF instructions before`);
  }
  for (let i = lo; i <= hi; i++) {
    if (img.insnOffsets[i]! < 0) continue;
    let text: string;
    // The verifier's zext marker (mov32 rX, rX with imm 1) is not user syntax; name it (ebpf-semantics.md §3).
    if (isZextMarker(p[i]!)) text = `w${p[i]!.dst} = w${p[i]!.dst}  ; zext marker (imm 1)`;
    else try { text = disassembleInsn(p, i, "llvm"); } catch { text = "?"; }
    lines.push(o.plain ? `${i}: ${text}` : `${i === focus ? "=>" : "  "}${String(i).padStart(5)}: ${text}`);
    const [s, e] = slotRange(img, i);
    lines.push(...mipsLines(img, level, s, e, o.focusPc, o.plain));
  }
  if (hi >= slots - 1) {
    lines.push(o.plain ? "epilogue" : "epilogue:");
    lines.push(...mipsLines(img, level, img.insnOffsets[slots]!, img.words.length * 4, o.focusPc, o.plain));
  } else {
    lines.push(`  … ${slots - 1 - hi} eBPF instructions after`);
  }
  return lines.join("\n");
}
