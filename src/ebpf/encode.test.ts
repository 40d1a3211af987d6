// Tests of encode.ts: every table row round-trips through bytes in both byte orders; the LE/BE layouts.
import { describe, it, expect } from "vitest";
import { fc, test } from "@fast-check/vitest";
import { TABLE, insnFor } from "./opcode-table";
import { encodeProgram, decodeProgram } from "./encode";
import { InputError } from "./errors";
import type { Insn } from "./insn";

// Operand values that exercise every bit of every used field.
function sample(e: (typeof TABLE)[number]): Insn {
  const f: Record<string, number> = {};
  if (e.uses.includes("dst")) f.dst = 3;
  if (e.uses.includes("src")) f.src = 10;
  if (e.uses.includes("off")) f.off = -2;
  if (e.uses.includes("imm")) f.imm = 0x12345678;
  return insnFor(e, f);
}

describe("encode/decode", () => {
  for (const e of TABLE) {
    it(`${e.id}: decode(encode(x)) == x in both byte orders`, () => {
      const x = sample(e);
      for (const le of [true, false]) {
        expect(decodeProgram(encodeProgram([x], le), le)).toEqual([x]);
      }
    });
  }

  it("little-endian layout: opcode, src<<4|dst, off LE, imm LE", () => {
    const b = encodeProgram([{ opcode: 0x61, dst: 1, src: 2, off: 0x0102, imm: 0x03040506 }], true);
    expect([...b]).toEqual([0x61, 0x21, 0x02, 0x01, 0x06, 0x05, 0x04, 0x03]);
  });

  it("big-endian layout: register nibbles swap (dst high) and off/imm are big-endian", () => {
    const b = encodeProgram([{ opcode: 0x61, dst: 1, src: 2, off: 0x0102, imm: 0x03040506 }], false);
    expect([...b]).toEqual([0x61, 0x12, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06]);
  });

  it("decode sign-extends off and imm", () => {
    const [i] = decodeProgram(new Uint8Array([0x07, 0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), true);
    expect(i.off).toBe(-1);
    expect(i.imm).toBe(-1);
  });

  it("a length that is not a multiple of 8 is an InputError", () => {
    expect(() => decodeProgram(new Uint8Array(9), true)).toThrow(InputError);
  });

  it("a register number above 15 cannot be encoded", () => {
    expect(() => encodeProgram([{ opcode: 0xbf, dst: 16, src: 0, off: 0, imm: 0 }], true)).toThrow(/dst/);
  });

  test.prop([fc.uint8Array({ minLength: 8, maxLength: 8 }), fc.boolean()])(
    "any 8 bytes survive decode then encode unchanged",
    (bytes, le) => {
      expect([...encodeProgram(decodeProgram(bytes, le), le)]).toEqual([...bytes]);
    },
  );
});
