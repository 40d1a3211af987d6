// Bit-field extractors for 32-bit MIPS instruction words (MIPS32/MIPS64 Vol. II, "Instruction Formats").
// Owns: plain, allocation-free field accessors shared by the decoder, disassembler and emulator.
// Does not own: which fields an instruction uses (that is the ISA table, table.ts).

export const op = (w: number): number => w >>> 26;
export const rs = (w: number): number => (w >>> 21) & 31;
export const rt = (w: number): number => (w >>> 16) & 31;
export const rd = (w: number): number => (w >>> 11) & 31;
export const sa = (w: number): number => (w >>> 6) & 31;
export const funct = (w: number): number => w & 63;
export const simm16 = (w: number): number => (w << 16) >> 16;
export const uimm16 = (w: number): number => w & 0xffff;
/** Conditional-branch displacement in bytes, relative to the delay slot / PC+4 (Vol. II BEQ). */
export const brOff16 = (w: number): number => ((w << 16) >> 16) * 4;
/** r6 BEQZC/BNEZC 21-bit displacement in bytes, relative to PC+4. */
export const brOff21 = (w: number): number => ((w << 11) >> 11) * 4;
/** r6 BC/BALC 26-bit displacement in bytes, relative to PC+4. */
export const brOff26 = (w: number): number => ((w << 6) >> 6) * 4;
/** J/JAL: the 28-bit in-segment byte address (the upper bits come from the delay slot's PC). */
export const target26 = (w: number): number => (w & 0x03ffffff) * 4;
/** r6 SPECIAL3 LL/SC/LLD/SCD/PREF 9-bit signed offset (bits 15..7). */
export const simm9 = (w: number): number => (w << 16) >> 23;
/** r6 ADDIUPC/LWPC/LWUPC: 19-bit signed immediate (bits 18..0). */
export const simm19 = (w: number): number => (w << 13) >> 13;
/** r6 LDPC: 18-bit signed immediate (bits 17..0). */
export const simm18 = (w: number): number => (w << 14) >> 14;
