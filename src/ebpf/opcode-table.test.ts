// Tests of the opcode table's classification rows (opcode-table.ts) against RFC 9669: conformance group
// (§2.4 and the Appendix A registry's "groups" column), cpu version (ebpf-semantics.md §2.8) and the
// must-be-zero fields (§4 "unused fields SHALL be cleared to zero", registry columns with value 0).
// The expectations are written here from raw opcode bits, independently of the table's row builders.
// Does not test encoding, validation messages or assembly (encode/validate/assembler tests).
import { describe, expect, it } from "vitest";
import { TABLE, lookupInsn } from "./opcode-table";
import type { Field, Group, OpcodeEntry } from "./opcode-table";
import { insn } from "./insn";

const cls = (op: number): number => op & 0x07;
const hi = (op: number): number => op & 0xf0;
const isX = (op: number): boolean => (op & 0x08) !== 0;
const matchOf = (e: OpcodeEntry, f: "off" | "imm" | "src"): number | undefined =>
  e.match?.field === f ? e.match.value : undefined;

/** RFC 9669 §2.4 + Appendix A, restated from the opcode bits. */
function expectedGroup(e: OpcodeEntry): Group {
  const op = e.opcode;
  switch (cls(op)) {
    case 0x04: // ALU: MUL/DIV/MOD → divmul32; le64/be64 → base64; everything else base32
      if ([0x20, 0x30, 0x90].includes(hi(op))) return "divmul32";
      if (hi(op) === 0xd0 && matchOf(e, "imm") === 64) return "base64";
      return "base32";
    case 0x07: // ALU64: MUL/DIV/MOD → divmul64; bswap16/32 → base32; everything else base64
      if ([0x20, 0x30, 0x90].includes(hi(op))) return "divmul64";
      if (op === 0xd7 && matchOf(e, "imm") !== 64) return "base32";
      // neg64 (0x87) is base32 in the RFC's Appendix A registry (ietf-wg-bpf rst/instruction-set-opcodes.rst)
      // and in bpf_conformance's spec table, although ebpf-semantics.md §2.1 generalises "ALU64 → base64".
      if (op === 0x87) return "base32";
      return "base64";
    case 0x05: // JMP: JA, CALL, EXIT → base32; callx → its own bpf_conformance group; conditions → base64
      if (op === 0x05 || op === 0x85 || op === 0x95) return "base32";
      if (op === 0x8d) return "callx";
      return "base64";
    case 0x06: return "base32"; // JMP32, gotol included
    case 0x00: return op === 0x18 ? "base64" : "packet";
    default: { // LDX / ST / STX
      const mode = op & 0xe0;
      const dw = (op & 0x18) === 0x18;
      if (mode === 0xc0) return dw ? "atomic64" : "atomic32";
      if (mode === 0x80) return "base32"; // MEMSX (B/H/W only)
      return dw ? "base64" : "base32";
    }
  }
}

/**
 * ebpf-semantics.md §2.8: v2 = JLT/JLE/JSLT/JSLE; v3 = JMP32 and atomics; v4 = MOVSX, MEMSX, SDIV/SMOD, BSWAP,
 * gotol. RFC 9669 gives local (src 1) and kfunc (src 2) calls no version; bpf_conformance's spec table says v3.
 */
function expectedCpu(e: OpcodeEntry): number {
  const op = e.opcode;
  if (op === 0x85 && e.match?.value !== 0) return 3;
  if (op === 0x06) return 4;
  if (cls(op) === 0x06) return 3;
  if (cls(op) === 0x05 && [0xa0, 0xb0, 0xc0, 0xd0].includes(hi(op))) return 2;
  if ((cls(op) === 0x03) && (op & 0xe0) === 0xc0) return 3;
  if ((cls(op) === 0x04 || cls(op) === 0x07) && e.match?.field === "off" && e.match.value !== 0) return 4;
  if (op === 0xd7) return 4;
  if (cls(op) === 0x01 && (op & 0xe0) === 0x80) return 4;
  return 1;
}

/** Fields whose registry column is "0" (RFC 9669 Appendix A), minus the field that selects the row. */
function expectedReserved(e: OpcodeEntry): Field[] {
  const op = e.opcode;
  let r: Field[];
  switch (cls(op)) {
    case 0x04: case 0x07:
      if (hi(op) === 0x80) r = ["src", "off", "imm"]; // NEG
      else if (hi(op) === 0xd0) r = ["src", "off"]; // END / BSWAP (imm = width)
      else r = isX(op) ? ["off", "imm"] : ["src", "off"];
      break;
    case 0x05: case 0x06:
      if (op === 0x05) r = ["dst", "src", "imm"];
      else if (op === 0x06) r = ["dst", "src", "off"];
      else if (op === 0x85) r = ["dst", "off"];
      else if (op === 0x8d) r = ["src", "off", "imm"]; // callx: register in dst (Linux, bpf_conformance)
      else if (op === 0x95) r = ["dst", "src", "off", "imm"];
      else r = isX(op) ? ["imm"] : ["src"];
      break;
    case 0x00:
      if (op === 0x18) r = ["off"];
      else r = (op & 0xe0) === 0x20 ? ["dst", "src", "off"] : ["dst", "off"]; // ABS / IND
      break;
    case 0x01: r = ["imm"]; break;
    case 0x02: r = ["src"]; break;
    default: r = (op & 0xe0) === 0xc0 ? [] : ["imm"]; // atomics select by imm
  }
  const m = e.match?.field;
  return r.filter((f) => f !== m);
}

describe("opcode table classification (RFC 9669 Appendix A)", () => {
  for (const e of TABLE) {
    it(`${e.id} (0x${e.opcode.toString(16)}) is in group ${expectedGroup(e)} as RFC 9669 §2.4 assigns it`, () => {
      expect(e.group).toBe(expectedGroup(e));
    });
    const cpu = expectedCpu(e);
    it(`${e.id} needs cpu v${cpu} (ebpf-semantics.md §2.8)`, () => expect(e.cpu).toBe(cpu));
    it(`${e.id} reserves exactly the fields RFC 9669 marks 0`, () => {
      expect([...e.reserved].sort()).toEqual(expectedReserved(e).sort());
    });
  }

  it("version counts: 8 rows at v2 (JLT/JLE/JSLT/JSLE × K/X) and 20 at v4", () => {
    expect(TABLE.filter((e) => e.cpu === 2).length).toBe(8);
    expect(TABLE.filter((e) => e.cpu === 4).length).toBe(20);
  });

  it("row ids and (opcode, selector) pairs are unique", () => {
    expect(new Set(TABLE.map((e) => e.id)).size).toBe(TABLE.length);
    const keys = TABLE.map((e) => `${e.opcode}:${e.match?.field ?? "-"}:${e.match?.value ?? "-"}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe("encodings RFC 9669 leaves undefined are not admitted by the table", () => {
  /** No row for the encoding, or its row reserves a field the encoding sets: undefined means "not admitted". */
  const none = (op: number, dst = 0, src = 0, off = 0, imm = 0) => {
    const i = insn(op, dst, src, off, imm);
    const e = lookupInsn(i);
    return e === undefined || e.reserved.some((f) => i[f] !== 0) ? undefined : e;
  };
  it("NEG with source bit X (0x8c, 0x8f) is not an instruction (§2.1 NEG)", () => {
    expect(none(0x8c)).toBeUndefined();
    expect(none(0x8f)).toBeUndefined();
  });
  it("MOVSX has no K form and ALU MOVSX has no offset 32 (§2.1 MOVSX)", () => {
    expect(none(0xb7, 0, 0, 8)).toBeUndefined();
    expect(none(0xb4, 0, 0, 16)).toBeUndefined();
    expect(none(0xbc, 0, 1, 32)).toBeUndefined();
    expect(none(0xbf, 0, 1, 32)?.id).toBe("movsx3264");
  });
  it("BSWAP with the source bit set (0xdf) is not an instruction (§2.1 BSWAP: source bit MUST be 0)", () => {
    expect(none(0xdf, 0, 0, 0, 16)).toBeUndefined();
  });
  it("END widths other than 16/32/64 have no row", () => {
    for (const op of [0xd4, 0xdc, 0xd7]) expect(none(op, 0, 0, 0, 8)).toBeUndefined();
  });
  it("SDIV/SMOD exist only with offset 1 (§2.1)", () => {
    expect(none(0x3f, 0, 1, 2)).toBeUndefined();
    expect(none(0x9c, 0, 1, -1)).toBeUndefined();
  });
  it("there is no MEMSX DW load (0x99) (§2.2)", () => expect(none(0x99)).toBeUndefined());
  it("8- and 16-bit atomics are not defined (0xd3, 0xcb) (§2.6)", () => {
    expect(none(0xd3)).toBeUndefined();
    expect(none(0xcb)).toBeUndefined();
  });
  it("XCHG and CMPXCHG exist only with FETCH: imm 0xe0 and 0xf0 have no row (§2.6)", () => {
    expect(none(0xdb, 0, 0, 0, 0xe0)).toBeUndefined();
    expect(none(0xc3, 0, 0, 0, 0xf0)).toBeUndefined();
    expect(none(0xdb, 0, 0, 0, 0xf1)?.id).toBe("lock_cmpxchg64");
  });
  it("LD_IMM64 src 7 and CALL src 3 have no row (§2.4, §2.5)", () => {
    expect(none(0x18, 0, 7)).toBeUndefined();
    expect(none(0x85, 0, 3)).toBeUndefined();
  });
  it("DW packet loads (0x38, 0x58) are not defined (§2.8 packet: B/H/W only)", () => {
    expect(none(0x38)).toBeUndefined();
    expect(none(0x58)).toBeUndefined();
  });
});
