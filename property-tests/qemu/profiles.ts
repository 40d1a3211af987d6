// The QEMU differential profiles (issue 3 §7): ISA level, byte order, qemu-user binary and -cpu model per
// reference/mips-isa.md §6. MIPS III, IV and V run on the closest QEMU models (R4000, VR5432, 5Kf); we only
// generate instructions of the level itself, so the models' extra instructions are never executed.
import type { IsaLevel } from "../../src/mips/levels";

export interface Profile {
  readonly name: string;
  readonly level: IsaLevel;
  readonly littleEndian: boolean;
  readonly qemu: string;
  readonly cpu: string;
}

const q = (level: IsaLevel, le: boolean, cpu: string): Profile => {
  const wide = level.startsWith("mips64") || level === "mips3" || level === "mips4" || level === "mips5";
  const bin = (wide ? "qemu-mips64" : "qemu-mips") + (le ? "el" : "");
  return { name: `${level}-${le ? "le" : "be"} (${cpu})`, level, littleEndian: le, qemu: bin, cpu };
};

export const PROFILES: readonly Profile[] = [
  q("mips32r2", false, "24Kf"),
  q("mips32r2", true, "24Kf"),
  q("mips32r6", true, "mips32r6-generic"),
  q("mips64r2", false, "MIPS64R2-generic"),
  q("mips64r2", true, "MIPS64R2-generic"),
  q("mips64r6", true, "I6400"),
  q("mips3", false, "R4000"),
  q("mips4", true, "VR5432"),
  q("mips5", false, "5Kf"),
];
