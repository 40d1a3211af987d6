import { describe, it, expect } from "vitest";
import { parseTarget, parseTargets, mipsTarget, REFERENCE_BE, REFERENCE_LE } from "./targets";
import { InputError } from "../ebpf/errors";
import { ISA_LEVELS, is64 } from "../mips/levels";

function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as InputError).message;
  }
  throw new Error("expected an InputError");
}

describe("target names", () => {
  it("a name is <isa>-<endian> with the level, byte order and address width it states", () => {
    const t = parseTarget("mips32r2-le");
    expect(t).toMatchObject({ kind: "mips", isa: "mips32r2", littleEndian: true, addressBits: 32, options: [] });
    expect(parseTarget("mips64r6-be")).toMatchObject({ isa: "mips64r6", littleEndian: false, addressBits: 64 });
    expect(parseTarget("mips3-be")).toMatchObject({ addressBits: 64 });
  });

  it("options are kept and the name is canonicalised to a fixed option order", () => {
    const t = parseTarget("mips32r2-be+nollsc+hardened");
    expect(t.name).toBe("mips32r2-be+hardened+nollsc");
    expect(t.kind === "mips" && t.options).toEqual(["hardened", "nollsc"]);
  });

  it("an unknown ISA names the ISA, the item and the flag", () => {
    expect(errorOf(() => parseTargets("mips7-le"))).toMatch(/^--targets: unknown ISA 'mips7' in 'mips7-le'/);
  });

  it("an unknown byte order, an unknown option, a repeated option and a name without endian are rejected", () => {
    expect(errorOf(() => parseTarget("mips2-xe"))).toMatch(/unknown byte order 'xe' in 'mips2-xe'/);
    expect(errorOf(() => parseTarget("mips2-le+turbo"))).toMatch(/unknown option 'turbo' in 'mips2-le\+turbo'/);
    expect(errorOf(() => parseTarget("mips2-le+hardened+hardened"))).toMatch(/given twice/);
    expect(errorOf(() => parseTarget("mips2"))).toMatch(/'mips2' is not a target/);
  });

  it("options that cannot apply to a level are refused (nollsc on MIPS I, 64-bit errata on 32-bit levels)", () => {
    expect(errorOf(() => parseTarget("mips1-le+nollsc"))).toMatch(/mips1 has no ll\/sc/);
    expect(errorOf(() => parseTarget("mips32r2-le+daddi"))).toMatch(/64-bit erratum/);
    expect(parseTarget("mips64r2-le+daddi").name).toBe("mips64r2-le+daddi");
  });

  it("reference engines are named reference (LE), reference-le and reference-be", () => {
    expect(parseTarget("reference")).toBe(REFERENCE_LE);
    expect(parseTarget("reference-le")).toBe(REFERENCE_LE);
    expect(parseTarget("reference-be")).toBe(REFERENCE_BE);
  });
});

describe("target groups", () => {
  it("all32 is every 32-bit level in both byte orders, all64 every 64-bit level, all the union", () => {
    const n32 = ISA_LEVELS.filter((l) => !is64(l)).length;
    const n64 = ISA_LEVELS.length - n32;
    const all32 = parseTargets("all32");
    expect(all32).toHaveLength(2 * n32);
    expect(all32.every((t) => t.kind === "mips" && !is64(t.isa))).toBe(true);
    expect(parseTargets("all64")).toHaveLength(2 * n64);
    expect(parseTargets("all").map((t) => t.name).sort()).toEqual(
      [...parseTargets("all32"), ...parseTargets("all64")].map((t) => t.name).sort(),
    );
  });

  it("a group with +option applies it where it fits and drops members where it cannot apply", () => {
    const t = parseTargets("all32+nollsc");
    expect(t.some((x) => x.name.startsWith("mips1-"))).toBe(false);
    expect(t.every((x) => x.name.endsWith("+nollsc"))).toBe(true);
    expect(t).toHaveLength(parseTargets("all32").length - 2);
  });

  it("lists merge without duplicates, keeping first-occurrence order", () => {
    const t = parseTargets("mips1-be, reference,all32,mips1-be");
    expect(t[0].name).toBe("mips1-be");
    expect(t[1].name).toBe("reference");
    expect(new Set(t.map((x) => x.name)).size).toBe(t.length);
  });

  it("an empty list is an error", () => {
    expect(errorOf(() => parseTargets(" , "))).toMatch(/--targets: empty target list/);
  });

  it("mipsTarget builds the same canonical name parseTarget gives", () => {
    expect(mipsTarget("mips1", false, ["hardened"]).name).toBe(parseTarget("mips1-be+hardened").name);
  });
});
