// Per-instruction data-flow flags the CPU loop uses for the generic trip-wire checks (poison propagation,
// MIPS I load delay, word32 operands, CTI-in-slot). Owns only the bit assignments; each semantic definition
// (sem-*.ts) states its flags, and the word32 bits come from the ISA table's `word32` operand list.

/** Reads GPR rs as a value. */
export const F_RS = 1 << 0;
/** Reads GPR rt as a value. */
export const F_RT = 1 << 1;
/** Writes GPR rd. */
export const F_WRD = 1 << 2;
/** Writes GPR rt. */
export const F_WRT = 1 << 3;
/** Writes GPR 31 (link). */
export const F_W31 = 1 << 4;
/** rs is an address base: a poisoned rs forms an address. */
export const F_ADDR = 1 << 5;
/** rt's value is stored to memory. */
export const F_STORE = 1 << 6;
/** The rs/rt values read decide a branch, trap or selection. */
export const F_DECIDE = 1 << 7;
/** rs is a jump target. */
export const F_TARGET = 1 << 8;
/** Reads HI / LO. */
export const F_RHI = 1 << 9;
export const F_RLO = 1 << 10;
/** Writes HI / LO. */
export const F_WHI = 1 << 11;
export const F_WLO = 1 << 12;
/** Control-transfer instruction (must not sit in a delay or forbidden slot). */
export const F_CTI = 1 << 13;
/** A load: on MIPS I its rt is not available to the next instruction (load delay, mips-isa.md §4.1). */
export const F_LOAD = 1 << 14;
/** The written register's value does not derive from the registers read (loads, link, pc-relative). */
export const F_CLEAN = 1 << 15;
/** The semantic function updates the poison mask itself (conditional moves and selects). */
export const F_OWNPOISON = 1 << 16;
/** Table word32: rs / rt must be a sign-extended 32-bit value on a 64-bit CPU (mips-isa.md §5). */
export const F_W32RS = 1 << 17;
export const F_W32RT = 1 << 18;

/** Writes GPR rs (r6 DAHI/DATI and the PC-relative group). */
export const F_WRS = 1 << 19;

/** Only rt decides (conditional moves and selects: rs is mere data). */
export const F_DECIDET = 1 << 20;

/** Not a CTI, but barred from delay and forbidden slots like one (PAUSE: Vol. II PAUSE Restrictions). */
export const F_SLOTBAN = 1 << 21;

export const F_POISON_USE = F_ADDR | F_STORE | F_DECIDE | F_TARGET | F_DECIDET;
