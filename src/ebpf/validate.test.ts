// Tests of validate.ts: every table row accepted with valid operands, every rejection rule, the inventory.
import { describe, it, expect } from "vitest";
import { validateProgram, listInstructionVariants } from "./validate";
import { TABLE, insnFor, entryById } from "./opcode-table";
import { InputError } from "./errors";
import { thrownInputError } from "./test-support";
import { insn, type Insn, type Program } from "./insn";

const EXIT = insn(0x95);
const e = (id: string) => {
  const r = entryById(id);
  if (!r) throw new Error(`no table entry ${id}`);
  return r;
};

const rejection = (p: Program, opts = {}): InputError => thrownInputError(() => validateProgram(p, opts), "program was accepted");

describe("validateProgram accepts", () => {
  for (const row of TABLE) {
    it(`${row.id} with in-range operands followed by exit`, () => {
      const f: Record<string, number> = {};
      if (row.uses.includes("dst")) f.dst = 10;
      if (row.uses.includes("src")) f.src = 1;
      if (row.uses.includes("off")) f.off = row.shape === "jcond" || row.shape === "ja" ? 0 : -8;
      if (row.uses.includes("imm")) f.imm = row.shape === "gotol" || row.id === "call_local" ? 0 : row.id === "lddw_code_addr" ? 1 : 7;
      const p: Insn[] = [insnFor(row, f)];
      if (row.shape === "lddw") p.push(insn(0, 0, 0, 0, row.match!.value === 1 || row.match!.value >= 3 && row.match!.value <= 5 ? 0 : 9));
      p.push(EXIT);
      expect(() => validateProgram(p)).not.toThrow();
    });
  }
});

describe("validateProgram rejects", () => {
  it("an empty program", () => {
    expect(rejection([]).reason).toMatch(/no instructions/);
  });

  it("an unknown opcode, naming it and the slot", () => {
    const err = rejection([EXIT, insn(0xff)]);
    expect(err.where).toMatchObject({ insn: 1, field: "opcode" });
    expect(err.reason).toBe("unknown opcode 0xff");
  });

  for (const row of TABLE) {
    for (const f of row.reserved) {
      it(`${row.id} with non-zero reserved field ${f}`, () => {
        const x = { ...insnFor(row, {}), [f]: 1 } as Insn;
        const p = row.shape === "lddw" ? [x, insn(0), EXIT] : [x, EXIT];
        const err = rejection(p);
        expect(err.where).toMatchObject({ insn: 0, field: f });
        expect(err.reason).toContain(`reserved field ${f}`);
      });
    }
  }

  it("a register number above 10 in dst", () => {
    const err = rejection([insn(0xb7, 11, 0, 0, 1), EXIT]);
    expect(err.where).toMatchObject({ insn: 0, field: "dst" });
    expect(err.reason).toMatch(/bad register number 11/);
  });

  it("a register number above 10 in src", () => {
    expect(rejection([insn(0xbf, 0, 12), EXIT]).where.field).toBe("src");
  });

  it("register 11 (AX) unless allowAx is set", () => {
    expect(() => validateProgram([insn(0xbf, 11, 1), EXIT])).toThrow(InputError);
    expect(() => validateProgram([insn(0xbf, 11, 1), EXIT], { allowAx: true })).not.toThrow();
  });

  it("mov32 X with imm 1 (the zext marker) unless allowZextMarker is set, and then only with src == dst", () => {
    expect(() => validateProgram([insn(0xbc, 3, 3, 0, 1), EXIT])).toThrow(/reserved field imm/);
    expect(() => validateProgram([insn(0xbc, 3, 3, 0, 1), EXIT], { allowZextMarker: true })).not.toThrow();
    expect(() => validateProgram([insn(0xbc, 3, 4, 0, 1), EXIT], { allowZextMarker: true })).toThrow(InputError);
  });

  it("LD_IMM64 in the last slot (no second half)", () => {
    const err = rejection([EXIT, insn(0x18, 0, 0, 0, 1)]);
    expect(err.where.insn).toBe(1);
    expect(err.reason).toMatch(/no second half/);
  });

  it("LD_IMM64 whose second half has a non-zero opcode", () => {
    const err = rejection([insn(0x18, 0, 0, 0, 1), insn(0x95), EXIT]);
    expect(err.where.insn).toBe(1);
    expect(err.reason).toMatch(/second half must have opcode, registers and off 0/);
  });

  it("LD_IMM64 whose second half has non-zero registers or off", () => {
    expect(rejection([insn(0x18, 0, 0, 0, 1), insn(0, 1), EXIT]).where.insn).toBe(1);
    expect(rejection([insn(0x18, 0, 0, 0, 1), insn(0, 0, 1), EXIT]).where.insn).toBe(1);
    expect(rejection([insn(0x18, 0, 0, 0, 1), insn(0, 0, 0, 1), EXIT]).where.insn).toBe(1);
  });

  it("LD_IMM64 map_by_fd with a non-zero next_imm", () => {
    expect(rejection([insn(0x18, 1, 1, 0, 0), insn(0, 0, 0, 0, 4), EXIT]).where).toMatchObject({ insn: 1, field: "imm" });
  });

  it("LD_IMM64 src 7 (no such pseudo source)", () => {
    expect(rejection([insn(0x18, 1, 7, 0, 0), insn(0), EXIT]).where.field).toBe("src");
  });

  it("a jump past the end", () => {
    const err = rejection([insn(0x05, 0, 0, 1), EXIT]);
    expect(err.where).toMatchObject({ insn: 0, field: "off" });
    expect(err.reason).toMatch(/outside the program/);
  });

  it("a jump before the start", () => {
    expect(rejection([EXIT, insn(0x15, 1, 0, -3, 0)]).where).toMatchObject({ insn: 1, field: "off" });
  });

  it("a jump into the second slot of LD_IMM64", () => {
    const err = rejection([insn(0x05, 0, 0, 1), insn(0x18, 0, 0, 0, 1), insn(0), EXIT]);
    expect(err.reason).toMatch(/second slot of the LD_IMM64 at 1/);
  });

  it("gotol (JMP32 JA) out of range, checking imm", () => {
    expect(rejection([insn(0x06, 0, 0, 0, 5), EXIT]).where).toMatchObject({ insn: 0, field: "imm" });
  });

  it("a local call out of range", () => {
    expect(rejection([insn(0x85, 0, 1, 0, 7), EXIT]).reason).toMatch(/call target 8/);
  });

  it("NEG with source bit X", () => {
    expect(rejection([insn(0x8f), EXIT]).reason).toMatch(/NEG with source bit X is undefined/);
    expect(rejection([insn(0x8c), EXIT]).reason).toMatch(/NEG with source bit X is undefined/);
  });

  it("XCHG and CMPXCHG without FETCH", () => {
    expect(rejection([insn(0xdb, 10, 1, -8, 0xe0), EXIT]).reason).toMatch(/XCHG without FETCH/);
    expect(rejection([insn(0xc3, 10, 1, -8, 0xf0), EXIT]).reason).toMatch(/CMPXCHG without FETCH/);
  });

  it("an atomic with an undefined operation", () => {
    expect(rejection([insn(0xdb, 10, 1, -8, 0x10), EXIT]).where.field).toBe("imm");
  });

  it("BSWAP with source bit X, and END with a width other than 16/32/64", () => {
    expect(rejection([insn(0xdf, 1, 0, 0, 16), EXIT]).reason).toMatch(/source bit 0/);
    expect(rejection([insn(0xdc, 1, 0, 0, 8), EXIT]).where.field).toBe("imm");
  });

  it("MOVSX with an immediate source, and with an undefined width", () => {
    expect(rejection([insn(0xb7, 1, 0, 8, 0), EXIT]).reason).toMatch(/MOVSX exists only with a register source/);
    expect(rejection([insn(0xbf, 1, 2, 4, 0), EXIT]).where.field).toBe("off");
    expect(rejection([insn(0xbc, 1, 2, 32, 0), EXIT]).where.field).toBe("off"); // ALU MOVSX has no off 32
  });

  it("SDIV with off other than 0 or 1", () => {
    expect(rejection([insn(0x3f, 1, 2, 2, 0), EXIT]).where.field).toBe("off");
  });

  it("CALL with src 3", () => {
    expect(rejection([insn(0x85, 0, 3, 0, 1), EXIT]).where.field).toBe("src");
  });

  it("MEMSX DW, 8-bit atomics and DW packet loads", () => {
    expect(rejection([insn(0x99, 0, 1), EXIT]).reason).toMatch(/no sign-extending DW load/);
    expect(rejection([insn(0xd3, 10, 1, -8), EXIT]).reason).toMatch(/8-bit atomics/);
    expect(rejection([insn(0x38, 0, 0, 0, 1), EXIT]).reason).toMatch(/no DW legacy packet load/);
  });

  it("errors carry the file name when given", () => {
    expect(rejection([insn(0xff)], { file: "x.data" }).message).toBe("x.data: insn 0: opcode: unknown opcode 0xff");
  });
});

describe("listInstructionVariants", () => {
  it("cpu version is the max over the instructions and groups the union", () => {
    const p = [insn(0x3f, 1, 2, 1), insn(0xc3, 10, 1, -8, 1), insn(0x18, 0, 0, 0, 1), insn(0), EXIT];
    const inv = listInstructionVariants(p);
    expect(inv.cpu).toBe(4);
    expect([...inv.groups].sort()).toEqual(["atomic32", "base32", "base64", "divmul64"]);
    expect(inv.entries.map((x) => x.id)).toEqual(["sdiv64_reg", "lock_fetch_add32", "lddw", "exit"]);
  });

  it("a plain v1 program is cpu v1", () => {
    expect(listInstructionVariants([insn(0xb7, 0, 0, 0, 1), EXIT]).cpu).toBe(1);
  });

  it("JLT is cpu v2 and JMP32 is cpu v3", () => {
    expect(listInstructionVariants([e("jlt_imm").opcode].map((o) => insn(o))).cpu).toBe(2);
    expect(listInstructionVariants([insn(0x16)]).cpu).toBe(3);
  });

  it("unknown opcodes are listed, not counted", () => {
    expect(listInstructionVariants([insn(0xff), EXIT]).unknown).toEqual([0]);
  });
});
