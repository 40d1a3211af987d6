// JitError: the JIT's only exception, for defects (an instruction it cannot compile, an encoder field out
// of range, a layout that failed to converge). Bad input is InputError (src/ebpf/errors.ts), not this.
// Owns nothing else.

export class JitError extends Error {
  override readonly name = "JitError";
  constructor(
    /** eBPF slot index, or -1 when the defect is not tied to one instruction. */
    readonly insn: number,
    readonly reason: string,
  ) {
    super(insn >= 0 ? `jit: insn ${insn}: ${reason}` : `jit: ${reason}`);
  }
}
