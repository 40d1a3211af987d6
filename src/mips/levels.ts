// MIPS ISA levels and the features each has (reference/mips-isa.md §2). The ISA table (table.ts),
// the emulator and the JIT all gate on these predicates, so a level's contents are stated once.
// Releases 3 and 5 add nothing the integer ISA here needs: they are treated as Release 2.

export const ISA_LEVELS = [
  "mips1", "mips2", "mips3", "mips4", "mips5",
  "mips32r1", "mips32r2", "mips32r6",
  "mips64r1", "mips64r2", "mips64r6",
] as const;
export type IsaLevel = (typeof ISA_LEVELS)[number];

/** One bit per level, so a table row can say where it exists with a mask. */
export const LEVEL_BIT: Readonly<Record<IsaLevel, number>> = Object.fromEntries(
  ISA_LEVELS.map((l, i) => [l, 1 << i]),
) as Record<IsaLevel, number>;

export const is64 = (l: IsaLevel): boolean =>
  l === "mips3" || l === "mips4" || l === "mips5" || l === "mips64r1" || l === "mips64r2" || l === "mips64r6";
export const isR6 = (l: IsaLevel): boolean => l === "mips32r6" || l === "mips64r6";
export const isR2Plus = (l: IsaLevel): boolean => l === "mips32r2" || l === "mips64r2" || isR6(l);
/** MIPS32/MIPS64 Release ≥ 1 (has SPECIAL2 MUL, CLZ, MADD … pre-r6). */
export const isRelease = (l: IsaLevel): boolean => l.startsWith("mips32") || l.startsWith("mips64");
/** MIPS I has the load delay slot; every later level interlocks loads (§4.1). */
export const hasLoadDelay = (l: IsaLevel): boolean => l === "mips1";
/** MIPS I–III: MFHI/MFLO followed within two instructions by a HI/LO write is UNPREDICTABLE (§4.3). */
export const hasHiLoHazard = (l: IsaLevel): boolean => l === "mips1" || l === "mips2" || l === "mips3";
export const hasLlSc = (l: IsaLevel): boolean => l !== "mips1";
export const hasBranchLikely = (l: IsaLevel): boolean => l !== "mips1" && !isR6(l);
/** MOVZ/MOVN: MIPS IV, V and MIPS32/64 r1–r5; removed in r6. */
export const hasMovzMovn = (l: IsaLevel): boolean =>
  l === "mips4" || l === "mips5" || (isRelease(l) && !isR6(l));
export const hasHiLo = (l: IsaLevel): boolean => !isR6(l);
export const registerBits = (l: IsaLevel): 32 | 64 => (is64(l) ? 64 : 32);

export function parseIsaLevel(s: string): IsaLevel | undefined {
  return (ISA_LEVELS as readonly string[]).includes(s) ? (s as IsaLevel) : undefined;
}
