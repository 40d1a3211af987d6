// Tests of the fixture sidecar format (expectations.ts): valid files parse, every defect is an InputError
// naming the file and the field.
import { describe, it, expect } from "vitest";
import { loadElfExpectations, expectedResult } from "./expectations";
import { InputError } from "../errors";

const ok = { source: "x.c", runs: [{ description: "d", program: "p", mem: "01 02", result: "0x10", resultBigEndian: "17" }] };

describe("ELF fixture sidecars", () => {
  it("a valid sidecar parses and results are read per byte order as u64", () => {
    const e = loadElfExpectations(JSON.stringify(ok), "x.json");
    expect(expectedResult(e.runs[0], true)).toBe(16n);
    expect(expectedResult(e.runs[0], false)).toBe(17n);
  });
  it("without resultBigEndian both byte orders expect `result`; mem defaults to empty", () => {
    const e = loadElfExpectations(JSON.stringify({ source: "x.c", runs: [{ description: "d", program: "p", result: "0xffffffffffffffff" }] }), "x.json");
    expect(expectedResult(e.runs[0], false)).toBe(2n ** 64n - 1n);
    expect(e.runs[0].mem).toBe("");
  });
  it("malformed JSON is an InputError naming the file", () => {
    expect(() => loadElfExpectations("{", "x.json")).toThrow(InputError);
    expect(() => loadElfExpectations("{", "x.json")).toThrow(/^x\.json: not JSON/);
  });
  it("a bad field is an InputError naming the file and the field path", () => {
    const bad = { ...ok, runs: [{ ...ok.runs[0], result: "-1" }] };
    expect(() => loadElfExpectations(JSON.stringify(bad), "x.json")).toThrow(/^x\.json: runs\.0\.result: a u64/);
    const badMem = { ...ok, runs: [{ ...ok.runs[0], mem: "0102" }] };
    expect(() => loadElfExpectations(JSON.stringify(badMem), "x.json")).toThrow(/runs\.0\.mem: hex bytes/);
  });
  it("unknown keys are rejected (strict), so typos do not silently drop expectations", () => {
    const bad = { ...ok, runs: [{ ...ok.runs[0], reslt: "1" }] };
    expect(() => loadElfExpectations(JSON.stringify(bad), "x.json")).toThrow(InputError);
  });
  it("a sidecar needs at least one run", () => {
    expect(() => loadElfExpectations(JSON.stringify({ source: "x.c", runs: [] }), "x.json")).toThrow(/runs/);
  });
});
