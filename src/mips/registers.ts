// MIPS GPR names (reference/mips-isa.md §1): o32 and n64 ABI names, and LLVM's printing names.
// Owns name tables and register-name parsing; not calling-convention roles (emulator/ ABI bridge, jit/).

export const O32_NAMES: readonly string[] = [
  "zero", "at", "v0", "v1", "a0", "a1", "a2", "a3",
  "t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7",
  "s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7",
  "t8", "t9", "k0", "k1", "gp", "sp", "fp", "ra",
];

/** n64/n32: $8–$11 are a4–a7 and $12–$15 are t0–t3. */
export const N64_NAMES: readonly string[] = [
  "zero", "at", "v0", "v1", "a0", "a1", "a2", "a3",
  "a4", "a5", "a6", "a7", "t0", "t1", "t2", "t3",
  "s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7",
  "t8", "t9", "k0", "k1", "gp", "sp", "fp", "ra",
];

/** How LLVM's MIPS printer names GPRs: numbers, except $zero, $gp, $sp, $fp, $ra. */
export const LLVM_NAMES: readonly string[] = Array.from({ length: 32 }, (_, i) =>
  i === 0 ? "zero" : i === 28 ? "gp" : i === 29 ? "sp" : i === 30 ? "fp" : i === 31 ? "ra" : String(i),
);

/** Register numbers by symbolic name. */
export const REG = Object.freeze({
  zero: 0, at: 1, v0: 2, v1: 3, a0: 4, a1: 5, a2: 6, a3: 7,
  t0: 8, t1: 9, t2: 10, t3: 11, t4: 12, t5: 13, t6: 14, t7: 15,
  s0: 16, s1: 17, s2: 18, s3: 19, s4: 20, s5: 21, s6: 22, s7: 23,
  t8: 24, t9: 25, k0: 26, k1: 27, gp: 28, sp: 29, fp: 30, s8: 30, ra: 31,
} as const);

/** n64 register numbers by name (a4–a7 = $8–$11, t0–t3 = $12–$15). */
export const REG64 = Object.freeze({
  ...REG, a4: 8, a5: 9, a6: 10, a7: 11, t0: 12, t1: 13, t2: 14, t3: 15,
} as const);

/**
 * Parse "$4", "$a0", "$t0" … to a register number. `n64` selects which ABI's names apply to $8–$15
 * (o32 t0–t7 vs n64 a4–a7/t0–t3). Returns -1 for an unknown name.
 */
export function parseRegister(text: string, n64 = false): number {
  const s = text.startsWith("$") ? text.slice(1) : text;
  if (/^\d+$/.test(s)) {
    const n = Number(s);
    return n <= 31 ? n : -1;
  }
  const names = n64 ? N64_NAMES : O32_NAMES;
  const i = names.indexOf(s);
  if (i >= 0) return i;
  if (s === "s8") return 30;
  return -1;
}
