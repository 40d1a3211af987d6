// Tests of data-file.ts and raw.ts: the whole bpf_conformance corpus, every section and extension, the writer.
import { describe, it, expect } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseDataFile, writeDataFile } from "./data-file";
import { loadRawProgram, formatRawWords } from "./raw";
import { encodeProgram } from "./encode";
import { validateProgram } from "./validate";
import { InputError } from "./errors";
import { thrownInputError } from "./test-support";
import { insn } from "./insn";

const CONF = path.resolve(__dirname, "../../../shared/bpf_conformance");

const inputError = (f: () => unknown): InputError => thrownInputError(f, "no error");

describe("bpf_conformance corpus", () => {
  const tests = readdirSync(path.join(CONF, "tests")).filter((f) => f.endsWith(".data"));
  it("has 313 test files", () => expect(tests.length).toBe(313));
  for (const f of tests) {
    it(`tests/${f} parses, assembles, validates and has a result`, () => {
      const c = parseDataFile(readFileSync(path.join(CONF, "tests", f), "utf8"), f);
      expect(c.result).toBeTypeOf("bigint");
      expect(() => validateProgram(c.program())).not.toThrow();
    });
  }

  // Every negative case must end in an error or in a result/error expectation the program cannot meet.
  const negatives = readdirSync(path.join(CONF, "negative")).filter((f) => f.endsWith(".data"));
  const assemblerErrors: Record<string, string> = {
    "invalid_register.data": "Invalid register",
    "invalid_lock.data": "Invalid number of operands for lock",
    "invalid_lock2.data": "Invalid number of operands for lock",
  };
  for (const f of negatives) {
    it(`negative/${f} is rejected or cannot pass`, () => {
      const text = readFileSync(path.join(CONF, "negative", f), "utf8");
      let err: InputError | undefined;
      let expectation: { result?: bigint; error?: string } = {};
      try {
        const c = parseDataFile(text, f);
        expectation = { result: c.result, error: c.error };
        validateProgram(c.program());
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        err = e;
      }
      if (assemblerErrors[f]) {
        expect(err?.reason).toBe(assemblerErrors[f]);
        return;
      }
      if (err) return; // rejected
      // Accepted programs: the runner must still fail them. error.data expects an error from a valid program;
      // incorrect_return_value_high_bits expects a wrong upper half (checked by the harness suite).
      expect(["error.data", "incorrect_return_value_high_bits.data"]).toContain(f);
      expect(expectation.error !== undefined || expectation.result !== undefined).toBe(true);
    });
  }

  it("unused-* byte-token raw sections decode as bytes (8 tokens per slot)", () => {
    const c = parseDataFile(readFileSync(path.join(CONF, "negative", "unused-add64_imm-offset.data"), "utf8"), "x");
    expect(c.raw).toEqual([insn(0x07, 0, 0, 1, 1), insn(0x95)]);
    expect(c.error).toBe("");
  });

  it("lddw.data: raw wins over asm, words are little-endian with the opcode in the low byte", () => {
    const c = parseDataFile(readFileSync(path.join(CONF, "tests", "lddw.data"), "utf8"), "lddw.data");
    expect(c.program()).toEqual([insn(0x18, 0, 0, 0, 0x55667788), insn(0, 0, 0, 0, 0x11223344), insn(0x95)]);
    expect(c.asm).toContain("lddw %r0, 0x1122334455667788");
  });
});

describe("parseDataFile sections", () => {
  it("reads mem across lines, the last result line, and error text; ignores -- c and -- no register offset", () => {
    const c = parseDataFile("# hi\n-- asm\nexit\n-- mem\n00 01 # c\n0a ff\n-- c\nint x;\n-- result\n0x1\n0x10\n-- no register offset\ncall\n", "f");
    expect([...c.mem]).toEqual([0, 1, 10, 255]);
    expect(c.result).toBe(16n);
    expect(c.ignored).toEqual(["c", "no register offset"]);
    expect(c.asmLine).toBe(3);
  });

  it("an unknown directive is an InputError with file:line", () => {
    expect(inputError(() => parseDataFile("-- asm\nexit\n-- foo\n", "f.data")).message).toBe("f.data:3: unknown directive '-- foo'");
  });

  it("text before any section is an error; comments and blank lines are not", () => {
    expect(inputError(() => parseDataFile("\n# ok\nexit\n", "f")).where.line).toBe(3);
  });

  it("assembler errors in program() carry the file line of the asm text", () => {
    const c = parseDataFile("# c\n-- asm\nmov %r0, 1\nor %r0, %r50\n", "f.data");
    expect(inputError(() => c.program()).message).toBe("f.data:4: Invalid register");
  });

  it("a bad mem byte and a bad result are located", () => {
    expect(inputError(() => parseDataFile("-- mem\n00 zz\n", "f")).where.line).toBe(2);
    expect(inputError(() => parseDataFile("-- result\nnope\n", "f")).where.line).toBe(2);
  });

  it("a file without a program throws when the program is asked for", () => {
    const c = parseDataFile("-- result\n0x0\n", "f");
    expect(inputError(() => c.program()).reason).toMatch(/no -- asm or -- raw/);
  });

  it("-- maps is validated with zod and named programs resolve prog_array init", () => {
    const text = [
      "-- maps",
      '[{"name":"jmp","type":"prog_array","keySize":4,"valueSize":4,"maxEntries":2,"init":{"0":"tail","1":"main"}}]',
      "-- asm", "exit", "-- asm tail", "mov %r0, 7", "exit", "-- options", '{"budget": 100, "expect": "exit"}',
    ].join("\n");
    const c = parseDataFile(text, "f");
    expect(c.maps[0].name).toBe("jmp");
    expect(c.programs.tail()).toEqual([insn(0xb7, 0, 0, 0, 7), insn(0x95)]);
    expect(c.programs.main).toBe(c.program);
    expect(c.options).toEqual({ budget: 100, expect: "exit" });
  });

  it("-- maps errors name the field; prog_array init must name a program", () => {
    const bad = '-- maps\n[{"name":"a","type":"array","keySize":8,"valueSize":4,"maxEntries":1}]\n';
    expect(inputError(() => parseDataFile(bad, "f")).message).toMatch(/^f:1: -- maps: .*keySize 4/);
    const miss = '-- asm\nexit\n-- maps\n[{"name":"p","type":"prog_array","keySize":4,"valueSize":4,"maxEntries":1,"init":{"0":"nope"}}]\n';
    expect(inputError(() => parseDataFile(miss, "f")).reason).toMatch(/names program 'nope'/);
  });

  it("-- options rejects unknown keys and bad JSON with a line", () => {
    expect(inputError(() => parseDataFile('-- options\n{"budgit": 1}\n', "f")).reason).toMatch(/-- options: .*budgit/);
    expect(inputError(() => parseDataFile("-- options\n{\n  budget: 1\n}\n", "f")).where.line).toBeGreaterThanOrEqual(2);
  });

  it("duplicate sections and the reserved name main are errors", () => {
    expect(inputError(() => parseDataFile("-- asm\nexit\n-- asm\nexit\n", "f")).where.line).toBe(3);
    expect(inputError(() => parseDataFile("-- asm main\nexit\n", "f")).reason).toMatch(/main/);
  });
});

describe("writeDataFile", () => {
  it("round-trips program, named programs, maps, options, mem and result", () => {
    const program = [insn(0x18, 1, 1, 0, 0), insn(0), insn(0xb7, 2, 0, 0, 0), insn(0x85, 0, 0, 0, 12), insn(0xb7, 0, 0, 0, -1), insn(0x95)];
    const maps = [{ name: "jmp", type: "prog_array" as const, keySize: 4, valueSize: 4, maxEntries: 1, init: { "0": "t" } }];
    const text = writeDataFile({
      comment: "seed 42\nfirst difference: r0", program, programs: { t: [insn(0xb7, 0, 0, 0, 3), insn(0x95)] }, maps,
      options: { budget: 50 }, mem: new Uint8Array(20).map((_, k) => k), result: -1n,
    });
    const c = parseDataFile(text, "w");
    expect(c.program()).toEqual(program);
    expect(c.programs.t()).toEqual([insn(0xb7, 0, 0, 0, 3), insn(0x95)]);
    expect(c.maps).toEqual(maps);
    expect(c.options).toEqual({ budget: 50 });
    expect([...c.mem]).toEqual([...Array(20).keys()]);
    expect(c.result).toBe(0xffffffffffffffffn);
    expect(text.startsWith("# seed 42\n# first difference: r0\n")).toBe(true);
  });

  it("writes programs with invalid slots as -- raw words that read back identically", () => {
    const program = [insn(0x07, 0, 1, 0, 1), insn(0x95)];
    const text = writeDataFile({ program, error: "" });
    expect(text).toContain("-- raw\n0x0000000100001007\n");
    expect(parseDataFile(text, "w").program()).toEqual(program);
  });
});

describe("loadRawProgram", () => {
  const p = [insn(0x61, 1, 2, -4, 0x12345678), insn(0x95)];
  for (const le of [true, false]) {
    it(`reads binary, byte tokens and 64-bit words (${le ? "LE" : "BE"})`, () => {
      const bytes = encodeProgram(p, le);
      expect(loadRawProgram(bytes, { littleEndian: le })).toEqual(p);
      const byteText = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join(" ");
      expect(loadRawProgram(byteText, { littleEndian: le })).toEqual(p);
      const words = formatRawWords(bytes, le);
      expect(loadRawProgram(words.join("\n"), { littleEndian: le })).toEqual(p);
      expect(loadRawProgram(words.map((w) => w.slice(2)).join(" "), { littleEndian: le })).toEqual(p); // bare hex words
    });
  }

  it("a binary length that is not a multiple of 8 and a bad word are InputErrors naming file (and line)", () => {
    expect(inputError(() => loadRawProgram(new Uint8Array(7), { littleEndian: true, file: "p.bin" })).message).toMatch(/^p\.bin: .*multiple of 8/);
    expect(inputError(() => loadRawProgram("0x95\nzz", { littleEndian: true, file: "p.txt" })).message).toMatch(/^p\.txt:2: bad raw/);
  });

  it("empty text is an error", () => {
    expect(inputError(() => loadRawProgram("# nothing\n", { littleEndian: true })).reason).toMatch(/no instructions/);
  });
});
