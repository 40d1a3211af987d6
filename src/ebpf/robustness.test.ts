// Bad input gets an InputError, never another exception (ARCHITECTURE.md "Bad input gets a clear error").
import { describe, expect } from "vitest";
import { fc, test } from "@fast-check/vitest";
import { assemble } from "./assembler";
import { parseDataFile } from "./data-file";
import { loadRawProgram } from "./raw";
import { validateProgram } from "./validate";
import { InputError } from "./errors";
import { insn } from "./insn";
import { disassemble } from "./disassembler";
import { TABLE, insnFor } from "./opcode-table";

function onlyInputErrors(f: () => unknown): void {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
  }
}

// Text built from the tokens both syntaxes use, so the fuzzer reaches deep into the parsers.
const TOKENS = ["%r1", "%r10", "r0", "w3", "r11", "%r99", "[", "]", "(", ")", "*", "+", "-", ",", " ", "=", "+=", "s>>=", "ll",
  "0x", "ffffffff", "8", "-32769", "65536", "lock", "fetch", "add", "add32", "xchg", "cmpxchg32", "ldxw", "stw", "lddw", "ja",
  "ja32", "goto", "gotol", "if", "call", "local", "callx", "pc", "exit", "l:", "l", "u32", "s8", "(s16)", "skb", "map_by_fd(",
  "be16", "bswap64", "neg", "movsx832", ".insn", "atomic_fetch_or(", "\n", "#", "--", "-- asm", "-- raw", "-- mem", "-- maps",
  "-- options", "-- result", "-- error", "{", "}", "\"budget\"", ":", "[{\"name\":\"m\"}]", "07", "95", "00"];
const soup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 40 }).map((t) => t.join(""));

// Mutations of valid text: the disassembly of table-row instances with random edits, so most inputs get deep
// into operand parsing before (possibly) failing.
const slot = fc.tuple(fc.constantFrom(...TABLE), fc.nat(15), fc.nat(15), fc.integer({ min: -40, max: 40 }), fc.integer({ min: -300, max: 300 }))
  .map(([e, dst, src, off, imm]) => {
    const i = insnFor(e, { dst, src, off, imm });
    return e.shape === "lddw" ? [i, insn(0, 0, 0, 0, imm)] : [i];
  });
const edit = fc.tuple(fc.nat(), fc.nat(6), fc.constantFrom(...TOKENS, ""));
const mutated = fc.tuple(fc.array(slot, { minLength: 1, maxLength: 6 }), fc.constantFrom("llvm" as const, "conformance" as const), fc.array(edit, { maxLength: 3 }))
  .map(([slots, syntax, edits]) => {
    let t = disassemble(slots.flat(), { syntax, labels: true }).join("\n");
    for (const [at, len, tok] of edits) {
      const k = at % (t.length + 1);
      t = t.slice(0, k) + tok + t.slice(k + len);
    }
    return t;
  });
const text = fc.oneof(soup, mutated);

describe("robustness", () => {
  test.prop([text], { numRuns: 2000 })("assemble throws only InputError", (t) => onlyInputErrors(() => assemble(t)));
  test.prop([text])("parseDataFile and program() throw only InputError", (t) =>
    onlyInputErrors(() => {
      const c = parseDataFile("-- asm\n" + t, "fuzz.data");
      for (const p of Object.values(c.programs)) p();
    }),
  );
  test.prop([text, fc.boolean()])("loadRawProgram throws only InputError", (t, le) => onlyInputErrors(() => loadRawProgram(t, { littleEndian: le })));
  test.prop([fc.array(fc.tuple(fc.nat(255), fc.nat(15), fc.nat(15), fc.integer({ min: -32768, max: 32767 }), fc.integer()), { maxLength: 12 })])(
    "validateProgram throws only InputError on any slots",
    (slots) => onlyInputErrors(() => validateProgram(slots.map(([o, d, s, off, imm]) => insn(o, d, s, off, imm)))),
  );
});
