// Instruction-word encoding for the JIT: the emitters of src/mips (derived from the one MIPS ISA table),
// bound once by table key. Owns only the choice of keys the JIT uses; range checks live in src/mips/encode.ts
// (a bad operand there is a JIT defect). Does not own instruction selection (backends) or hazards (emitter.ts).
import { ops } from "../src/mips/index";
import type { Emitter as Enc } from "../src/mips/index";

function k(key: string): Enc {
  const f = ops[key];
  if (!f) throw new Error(`jit/enc: no ISA table row '${key}'`);
  return f;
}

/** Table rows the JIT emits; operands in assembler order (see the table's "syntax"). */
export const E = {
  sll: k("sll"), srl: k("srl"), sra: k("sra"), rotr: k("rotr"),
  sllv: k("sllv"), srlv: k("srlv"), srav: k("srav"),
  jr: k("jr"), jr_r6: k("jr_r6"), jalr: k("jalr"),
  sync: k("sync"), movn: k("movn"),
  mfhi: k("mfhi"), mflo: k("mflo"),
  mult: k("mult"), multu: k("multu"), div: k("div"), divu: k("divu"),
  mul_r6: k("mul_r6"), muhu: k("muhu"), mulu: k("mulu"),
  div_r6: k("div_r6"), mod: k("mod"), divu_r6: k("divu_r6"), modu: k("modu"),
  mul: k("mul"),
  addu: k("addu"), subu: k("subu"), and: k("and"), or: k("or"), xor: k("xor"), nor: k("nor"),
  slt: k("slt"), sltu: k("sltu"),
  bltz: k("bltz"), bgez: k("bgez"), beql: k("beql"),
  j: k("j"), jal: k("jal"),
  beq: k("beq"), bne: k("bne"), blez: k("blez"), bgtz: k("bgtz"),
  addiu: k("addiu"), slti: k("slti"), sltiu: k("sltiu"),
  andi: k("andi"), ori: k("ori"), xori: k("xori"), lui: k("lui"),
  wsbh: k("wsbh"), seb: k("seb"), seh: k("seh"),
  ll: k("ll"), sc: k("sc"), ll_r6: k("ll_r6"), sc_r6: k("sc_r6"),
  lb: k("lb"), lh: k("lh"), lw: k("lw"), lbu: k("lbu"), lhu: k("lhu"),
  sb: k("sb"), sh: k("sh"), sw: k("sw"),
  lwl: k("lwl"), lwr: k("lwr"), swl: k("swl"), swr: k("swr"),
} as const;
