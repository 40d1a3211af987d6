// Robustness of loadElfObject: random byte flips and truncations of every committed fixture (both byte
// orders) must either load or throw InputError — never a RangeError, TypeError, hang or other crash.
// Flips are biased towards the bytes the loader interprets (ELF header, section headers, symbol table,
// relocations, code, map definitions, .BTF), since flips in debug info are ignored by design.
import { describe, expect } from "vitest";
import { fc, test } from "@fast-check/vitest";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadElfObject } from "./loader";
import { isInputError } from "../errors";

const buildDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../conformance/elf/build");
const NAMES = ["arith", "array_map", "atomics", "bpf2bpf", "globals", "hash_map", "static_data", "tail_call"];
const INTERESTING = /^(|\.text|\.symtab|\.strtab|\.BTF|\.maps|maps|\.data|\.rodata|\.bss|\.rel.*|socket|xdp|tc|classifier)$/;

/** Byte ranges worth mutating: header, section header table and the sections the loader reads. */
function structuralRanges(b: Uint8Array): [number, number][] {
  const le = b[5] === 1;
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const shoff = Number(v.getBigUint64(40, le));
  const shnum = v.getUint16(60, le);
  const strHdr = shoff + v.getUint16(62, le) * 64;
  const strOff = Number(v.getBigUint64(strHdr + 24, le));
  const ranges: [number, number][] = [[0, 64], [shoff, shnum * 64]];
  for (let i = 1; i < shnum; i++) {
    const h = shoff + i * 64;
    let name = "";
    for (let o = strOff + v.getUint32(h, le); b[o] !== 0; o++) name += String.fromCharCode(b[o]);
    const type = v.getUint32(h + 4, le);
    const size = Number(v.getBigUint64(h + 32, le));
    if (INTERESTING.test(name) && type !== 8 && size > 0) ranges.push([Number(v.getBigUint64(h + 24, le)), size]);
  }
  return ranges;
}

function mustLoadOrInputError(bytes: Uint8Array, file: string): void {
  try {
    const o = loadElfObject(bytes, file);
    expect(o.programs.length).toBeGreaterThan(0);
  } catch (e) {
    if (!isInputError(e)) throw new Error(`not an InputError: ${(e as Error)?.stack ?? String(e)}`);
    expect(e.message.startsWith(file + ": ")).toBe(true);
  }
}

describe("loadElfObject never crashes on mutated fixtures", () => {
  for (const name of NAMES) {
    for (const t of ["bpfel", "bpfeb"]) {
      const file = `${name}.${t}.o`;
      const original = new Uint8Array(readFileSync(path.join(buildDir, file)));
      const ranges = structuralRanges(original);
      const flip = fc.tuple(fc.nat(ranges.length - 1), fc.nat(), fc.integer({ min: 1, max: 255 }), fc.boolean());
      test.prop([fc.array(flip, { minLength: 1, maxLength: 6 }), fc.option(fc.nat(original.length), { freq: 6 })], { numRuns: 400 })(
        `${file}: byte flips (structural or anywhere) and truncation load or throw InputError`,
        (flips, cut) => {
          const b = original.slice();
          for (const [r, at, x, anywhere] of flips) {
            const [start, len] = ranges[r];
            const pos = anywhere ? at % b.length : start + (at % len);
            b[pos] ^= x;
          }
          mustLoadOrInputError(cut === null ? b : b.subarray(0, cut), file);
        },
      );
    }
  }
});

// Regression: found by the property above (seed 749738413): one flipped byte at offset
// 1062636736 mod size made a relocation name a symbol in a section without code; link() crashed with a
// TypeError instead of an InputError.
test("static_data.bpfel.o: a call relocated to a symbol of a non-code section is an InputError", () => {
  const file = "static_data.bpfel.o";
  const b = new Uint8Array(readFileSync(path.join(buildDir, file)));
  b[1062636736 % b.length] ^= 252;
  mustLoadOrInputError(b, file);
});
