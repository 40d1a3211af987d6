// Tests of assembler.ts and disassembler.ts: round trip per table row in both syntaxes, documented examples,
// bpf_conformance conventions and exact error texts, listings as input.
import { describe, it, expect } from "vitest";
import { fc, test } from "@fast-check/vitest";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { assemble, detectSyntax } from "./assembler";
import { disassemble, disassembleInsn } from "./disassembler";
import { TABLE, insnFor } from "./opcode-table";
import { InputError } from "./errors";
import { thrownInputError } from "./test-support";
import { insn, type Insn } from "./insn";

// Operand values per used field that hit the field edges (s16/s32 extremes, r10).
function instances(row: (typeof TABLE)[number]): Insn[][] {
  const out: Insn[][] = [];
  for (const v of [0, 1, -1, 0x7fff, -0x8000]) {
    const f: Record<string, number> = {};
    if (row.uses.includes("dst")) f.dst = row.shape === "atomic" && row.llvm === "cmpxchg" ? 10 : (v & 7) + 3;
    if (row.uses.includes("src")) f.src = v === 0 ? 10 : 1;
    if (row.uses.includes("off")) f.off = v;
    if (row.uses.includes("imm")) f.imm = v === 0x7fff ? 0x7fffffff : v === -0x8000 ? -0x80000000 : v;
    const x = insnFor(row, f);
    out.push(row.shape === "lddw" ? [x, insn(0, 0, 0, 0, row.llvm.startsWith("map_val") || row.match!.value === 0 ? v * 3 : 0)] : [x]);
  }
  return out;
}

describe("assemble(disassemble(x)) == x for every table entry", () => {
  for (const row of TABLE) {
    for (const syntax of ["llvm", "conformance"] as const) {
      it(`${row.id} in ${syntax} syntax`, () => {
        for (const p of instances(row)) {
          const text = disassemble(p, { syntax }).join("\n");
          expect(assemble(text, { syntax })).toEqual(p);
          expect(assemble(text)).toEqual(p); // auto-detection agrees
        }
      });
    }
  }
});

describe("LLVM syntax examples from llvm-objdump / bpftool", () => {
  const cases: [string, Insn[]][] = [
    ["r0 = r1", [insn(0xbf, 0, 1)]],
    ["w0 += 5", [insn(0x04, 0, 0, 0, 5)]],
    ["r0 = *(u64 *)(r10 - 8)", [insn(0x79, 0, 10, -8)]],
    ["*(u32 *)(r1 + 4) = w2", [insn(0x63, 1, 2, 4)]],
    ["lock *(u64 *)(r10 - 8) += r1", [insn(0xdb, 10, 1, -8, 0)]],
    ["r1 = atomic_fetch_add((u64 *)(r10 - 8), r1)", [insn(0xdb, 10, 1, -8, 1)]],
    ["w0 = cmpxchg32_relaxed(r10 - 8, w0, w3)", [insn(0xc3, 10, 3, -8, 0xf1)]],
    ["r0 = cmpxchg_64(r10 - 8, r0, r3)", [insn(0xdb, 10, 3, -8, 0xf1)]],
    ["if w1 s> w2 goto +3", [insn(0x6e, 1, 2, 3)]],
    ["gotol +5", [insn(0x06, 0, 0, 0, 5)]],
    ["call 1", [insn(0x85, 0, 0, 0, 1)]],
    ["r0 = 0x1122334455667788 ll", [insn(0x18, 0, 0, 0, 0x55667788), insn(0, 0, 0, 0, 0x11223344)]],
    ["r1 = be16 r1", [insn(0xdc, 1, 0, 0, 16)]],
    ["r1 = bswap64 r1", [insn(0xd7, 1, 0, 0, 64)]],
    ["r1 = (s8)r2", [insn(0xbf, 1, 2, 8)]],
    ["r0 = *(s16 *)(r1 + 2)", [insn(0x89, 0, 1, 2)]],
    ["exit", [insn(0x95)]],
    ["goto +2 <LBB0_3>", [insn(0x05, 0, 0, 2)]],
    ["w3 = -w3", [insn(0x84, 3)]],
    ["r0 = *(u16 *)skb[r1 + 4]", [insn(0x48, 0, 1, 0, 4)]],
  ];
  for (const [text, want] of cases) {
    it(`'${text}' assembles to the documented encoding`, () => {
      expect(assemble(text, { syntax: "llvm" })).toEqual(want);
    });
  }

  it("labels: goto LBB0_1 resolves backwards and forwards, and name: lines define them", () => {
    const p = assemble("LBB0_1:\nr0 += 1\nif r0 < 10 goto LBB0_1\ngoto LBB0_2\nr0 = 5\nLBB0_2:\nexit");
    expect(p.map((i) => i.off)).toEqual([0, -2, 1, 0, 0]);
  });
});

describe("bpf_conformance syntax", () => {
  it("the implicit exit label points at the first exit", () => {
    const p = assemble("jne %r0, %r1, exit\nmov %r0, 1\nexit\nmov %r0, 2\nexit");
    expect(p[0].off).toBe(1);
  });

  it("lddw counts two slots for label offsets", () => {
    const p = assemble("ja l\nlddw %r0, 0x100000002\nl:\nexit");
    expect(p[0].off).toBe(2);
  });

  it("call local label sets src 1 and a pc-relative imm", () => {
    const p = assemble("call local f\nexit\nf:\nmov %r0, 1\nexit");
    expect(p[0]).toEqual(insn(0x85, 0, 1, 0, 1));
  });

  it("call %r2 is callx with the register in dst; call runtime N is a kfunc call", () => {
    expect(assemble("call %r2")).toEqual([insn(0x8d, 2)]);
    expect(assemble("call runtime 7")).toEqual([insn(0x85, 0, 2, 0, 7)]);
    expect(assemble("call helper 7")).toEqual([insn(0x85, 0, 0, 0, 7)]);
  });

  it("ja32 puts the offset in imm", () => {
    expect(assemble("ja32 l\nmov %r0, 0\nl:\nexit")[0]).toEqual(insn(0x06, 0, 0, 0, 1));
  });

  it("hex immediates up to 0xffffffff are bit patterns, decimals must fit int32", () => {
    expect(assemble("mov32 %r0, 0xffffffff")[0].imm).toBe(-1);
    expect(() => assemble("mov32 %r0, 0x100000000")).toThrow(/out of range/);
    expect(() => assemble("mov32 %r0, 2147483648")).toThrow(/out of range/);
    expect(assemble("mov32 %r0, -2147483648")[0].imm).toBe(-2147483648);
  });

  it("offsets are checked s16", () => {
    expect(() => assemble("ldxb %r0, [%r1+0x10000]")).toThrow(/offset .* out of range/);
    expect(() => assemble("ldxb %r0, [%r1+32768]")).toThrow(/out of range/);
    expect(assemble("ldxb %r0, [%r1-32768]")[0].off).toBe(-32768);
  });

  it("swap16 is accepted as bswap16 and sdiv sets off 1", () => {
    expect(assemble("swap16 %r1")).toEqual([insn(0xd7, 1, 0, 0, 16)]);
    expect(assemble("sdiv32 %r1, 3")).toEqual([insn(0x34, 1, 0, 1, 3)]);
  });

  it("%r11-%r15 assemble (negative tests encode them); validation rejects them later", () => {
    expect(assemble("mov %r11, 1")[0].dst).toBe(11);
  });
});

describe("assembler errors carry file and line", () => {
  const err = (text: string, syntax?: "llvm" | "conformance"): InputError =>
    thrownInputError(() => assemble(text, { file: "t.s", syntax }), "assembled");
  it("Invalid register (exact bpf_conformance text)", () => {
    const e = err("mov %r0, 1\nor %r0, %r50");
    expect(e.reason).toBe("Invalid register");
    expect(e.where).toMatchObject({ file: "t.s", line: 2 });
  });
  it("Invalid number of operands for lock (exact bpf_conformance text)", () => {
    expect(err("lock").reason).toBe("Invalid number of operands for lock");
    expect(err("lock or [%r10-8]").reason).toBe("Invalid number of operands for lock");
  });
  it("unknown mnemonic, bad operand count, bad memory operand, unknown and duplicate labels", () => {
    expect(err("ldxq %r0, %r1").reason).toMatch(/Invalid mnemonic: ldxq/);
    expect(err("lddw %r0").reason).toMatch(/wrong number of operands/);
    expect(err("ldxb %r0, %r1").reason).toMatch(/memory operand/);
    expect(err("ja NOT_A_LABEL\nexit").reason).toBe("Invalid label: NOT_A_LABEL");
    expect(err("a:\na:\nexit").reason).toMatch(/duplicate label 'a' \(first defined at line 1\)/);
  });
  it("LLVM syntax: unparsable line and mixed register widths", () => {
    expect(err("r0 += ", "llvm").where.line).toBe(1);
    expect(err("w0 += r1", "llvm").reason).toMatch(/mixed w and r/);
  });
  it("firstLine shifts reported line numbers (for .data sections)", () => {
    try {
      assemble("exit\nbogus %r1", { file: "f.data", firstLine: 10 });
    } catch (e) {
      expect((e as InputError).message).toBe("f.data:11: Invalid mnemonic: bogus");
    }
  });
});

describe("syntax detection", () => {
  it("detects conformance from %r and LLVM from assignments", () => {
    expect(detectSyntax("# c\nmov %r0, 1")).toBe("conformance");
    expect(detectSyntax("; c\nr0 = 1\nexit")).toBe("llvm");
    expect(detectSyntax("exit")).toBe("conformance");
  });
});

describe("disassembler", () => {
  it("prints invalid slots as .insn, which reassembles to the same bits", () => {
    const p = [insn(0x07, 0, 1, 0, 1), insn(0xff, 2, 3, -4, 5)];
    const lines = disassemble(p);
    expect(lines).toEqual([".insn 0x07, 0, 1, 0, 1", ".insn 0xff, 2, 3, -4, 5"]);
    expect(assemble(lines.join("\n"), { syntax: "llvm" })).toEqual(p);
  });

  it("labels mode names targets and reassembles identically", () => {
    const p = assemble("mov %r0, 0\nl:\nadd %r0, 1\njlt %r0, 5, l\nja32 out\nmov %r0, 9\nout:\nexit");
    for (const syntax of ["llvm", "conformance"] as const) {
      const lines = disassemble(p, { syntax, labels: true });
      expect(lines.filter((l) => l.endsWith(":"))).toEqual(["L1:", "L5:"]);
      expect(assemble(lines.join("\n"), { syntax })).toEqual(p);
    }
  });

  it("LD_IMM64 is one line and disassembleInsn reads its second slot", () => {
    const p = [insn(0x18, 1, 0, 0, -1), insn(0, 0, 0, 0, 0x7fffffff), insn(0x95)];
    expect(disassemble(p, { syntax: "conformance" })).toEqual(["lddw %r1, 0x7fffffffffffffff", "exit"]);
    expect(disassembleInsn(p, 0, "llvm")).toBe("r1 = 9223372036854775807 ll");
  });

  test.prop([fc.array(fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 15 }), fc.integer({ min: 0, max: 15 }),
    fc.integer({ min: -32768, max: 32767 }), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })), { minLength: 1, maxLength: 8 }),
  fc.constantFrom("llvm" as const, "conformance" as const)])(
    "any slot sequence, valid or not, survives disassemble then assemble",
    (slots, syntax) => {
      const p = slots.map(([o, d, s, off, imm]) => insn(o, d, s, off, imm));
      expect(assemble(disassemble(p, { syntax }).join("\n"), { syntax })).toEqual(p);
    },
  );
});

describe("every bpf_conformance test program assembles", () => {
  const dir = path.resolve(__dirname, "../../../shared/bpf_conformance/tests");
  it("all 313 -- asm sections", () => {
    const files = readdirSync(dir).filter((f) => f.endsWith(".data"));
    expect(files.length).toBe(313);
    for (const f of files) {
      const text = readFileSync(path.join(dir, f), "utf8");
      const m = /-- asm\n([\s\S]*?)(?=\n-- |$)/.exec(text);
      expect(m, f).not.toBeNull();
      expect(() => assemble(m![1], { file: f }), f).not.toThrow();
    }
  });
});


describe("listings pasted as input (LLVM syntax)", () => {
  it("llvm-objdump lines: address and bytes are skipped, the LD_IMM64 continuation line is empty", () => {
    const text = "0000000000000000 <prog>:\n       0:\t18 01 00 00 ff ff ff ff\tr1 = -1 ll\n       2:\t00 00 00 00 ff ff ff ff\n       3:\t95 00 00 00 00 00 00 00\texit";
    expect(assemble(text.split("\n").slice(1).join("\n"))).toEqual([insn(0x18, 1, 0, 0, -1), insn(0, 0, 0, 0, -1), insn(0x95)]);
  });
  it("bpftool xlated lines: `0: (b7) r0 = 1`, `goto pc+1`, `call name#id`", () => {
    const text = "   0: (b7) r0 = 1\n   1: (25) if r0 > 0x2 goto pc+1\n   2: (85) call bpf_ktime_get_ns#5\n   3: (95) exit";
    expect(assemble(text)).toEqual([insn(0xb7, 0, 0, 0, 1), insn(0x25, 0, 0, 1, 2), insn(0x85, 0, 0, 0, 5), insn(0x95)]);
  });
});
