// End-to-end tests of the `bpf-mips` command: each test spawns `node bin/bpf-mips.js …` as a user would and
// checks stdout, stderr and the exit code (0 passed, 1 failures, 2 bad input — one line, no stack trace).
import { describe, it, expect, beforeAll } from "vitest";
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync, readFileSync, readdirSync, existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const BIN = path.join(ROOT, "bin/bpf-mips.js");
const UPSTREAM = path.resolve(ROOT, "../shared/bpf_conformance");

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], stdin = ""): Promise<Run> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    p.stdout.on("data", (d) => (stdout += d));
    p.stderr.on("data", (d) => (stderr += d));
    p.on("error", reject);
    p.on("close", (code) => resolve({ code, stdout, stderr }));
    p.stdin.end(stdin);
  });
}

/** The bad-input contract: exit 2 and exactly one line on stderr, starting with the command name. */
function expectOneLineError(r: Run, pattern: RegExp): void {
  expect(r.code).toBe(2);
  const lines = r.stderr.split("\n").filter((l) => l.length > 0);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^bpf-mips: /);
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
}

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), "bpf-mips-cli-"));
  writeFileSync(path.join(tmp, "prog.s"), "mov %r0, 5\nadd32 %r0, 1\nexit\n");
  writeFileSync(path.join(tmp, "bad.s"), "mov %r0, 5\nor %r0, %r50\nexit\n");
  writeFileSync(path.join(tmp, "pass.data"), "-- asm\nmov %r0, 0x11\nexit\n-- result\n0x11\n");
  writeFileSync(path.join(tmp, "fail.data"), "-- asm\nmov %r0, 0x11\nexit\n-- result\n0x12\n");
  writeFileSync(path.join(tmp, "mem.data"), "-- asm\nldxw %r0, [%r1]\nexit\n-- mem\n11 22 33 44\n-- result\n0x44332211\n");
});

describe.concurrent("bpf-mips asm / disasm", () => {
  it("asm prints one 8-byte slot per line in the little-endian encoding", async () => {
    const r = await cli(["asm", path.join(tmp, "prog.s")]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("b7 00 00 00 05 00 00 00\n04 00 00 00 01 00 00 00\n95 00 00 00 00 00 00 00\n");
  });

  it("asm --be swaps the register nibbles and writes off/imm big-endian; -o writes binary; disasm --raw --be reads it back", async () => {
    const out = path.join(tmp, "prog.be.bin");
    const r = await cli(["asm", path.join(tmp, "prog.s"), "--be", "-o", out]);
    expect(r.code).toBe(0);
    expect(Array.from(readFileSync(out).subarray(0, 8))).toEqual([0xb7, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05]);
    const back = await cli(["disasm", out, "--raw", "--be"]);
    expect(back.stdout).toBe("r0 = 5\nw0 += 1\nexit\n");
  });

  it("disasm reads asm's hex back and prints LLVM syntax by default, bpf_conformance syntax on request", async () => {
    const hex = (await cli(["asm", path.join(tmp, "prog.s")])).stdout;
    const llvm = await cli(["disasm", "-"], hex);
    expect(llvm.code).toBe(0);
    expect(llvm.stdout).toBe("r0 = 5\nw0 += 1\nexit\n");
    const conf = await cli(["disasm", "-", "--syntax", "conformance"], hex);
    expect(conf.stdout.split("\n")[0]).toMatch(/^mov %r0, 5$/);
  });

  it("disasm prints every program of an ELF object under a header", async () => {
    const obj = path.join(ROOT, "conformance/elf/build/bpf2bpf.bpfel.o");
    if (!existsSync(obj)) return; // the ELF fixtures belong to the ELF loader; nothing to check without them
    const r = await cli(["disasm", obj]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^# \S+ \(section \S+, \d+ slots\)$/m);
    expect(r.stdout).toMatch(/call/);
  });

  it("an assembler error is one line naming file and line, exit 2", async () => {
    expectOneLineError(await cli(["asm", path.join(tmp, "bad.s")]), /bad\.s:2: Invalid register/);
  });

  it("a missing file is one line naming it, exit 2", async () => {
    expectOneLineError(await cli(["disasm", path.join(tmp, "nope.bin")]), /nope\.bin: cannot read: no such file or directory/);
  });

  it("a bad --syntax choice is a usage error, exit 2", async () => {
    expectOneLineError(await cli(["disasm", "-", "--syntax", "intel"]), /intel/);
  });
});

describe.concurrent("bpf-mips run", () => {
  it("a passing .data case exits 0 and prints the verdict and r0", async () => {
    const r = await cli(["run", path.join(tmp, "pass.data")]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/PASS/);
    expect(r.stdout).toMatch(/r0 = 0x0000000000000011/);
  });

  it("a failing case exits 1 and names the difference", async () => {
    const r = await cli(["run", path.join(tmp, "fail.data")]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/MISMATCH.*expected r0=0x0000000000000012, got 0x0000000000000011/);
  });

  it("--json prints one JSON document with the verdict and r0", async () => {
    const r = await cli(["run", path.join(tmp, "mem.data"), "--json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ verdict: "pass", target: "reference", exit: "exit", r0: "0x0000000044332211" });
  });

  it("--target reference-be runs big-endian: the LE file value is the oracle, the BE value is reported", async () => {
    const r = await cli(["run", path.join(tmp, "mem.data"), "--json", "--target", "reference-be"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ verdict: "pass", target: "reference-be", r0: "0x0000000011223344" });
  });

  it("--target on a MIPS target runs JIT + emulator against the reference (BE value from the BE reference)", async () => {
    const r = await cli(["run", path.join(tmp, "mem.data"), "--json", "--target", "mips32r2-be"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ verdict: "pass", target: "mips32r2-be", exit: "exit", r0: "0x0000000011223344" });
  });

  it("an unknown target is one line naming the ISA, exit 2", async () => {
    expectOneLineError(await cli(["run", path.join(tmp, "pass.data"), "--target", "mips7-le"]), /--target: unknown ISA 'mips7' in 'mips7-le'/);
  });

  it("an invalid case (assembler error in the file) is one line with file:line, exit 2", async () => {
    expectOneLineError(await cli(["run", path.join(UPSTREAM, "negative/invalid_register.data")]), /invalid_register\.data:\d+: Invalid register/);
  });
});

describe.concurrent("bpf-mips plugin (bpf_conformance protocol)", () => {
  it("reads the program as base16 on stdin and the memory from the first argument, prints r0 in hex, exits 0", async () => {
    // ldxw r0, [r1+0]; exit — memory 11 22 33 44 → 0x44332211 (little-endian read).
    const r = await cli(["plugin", "11 22 33 44"], "61 10 00 00 00 00 00 00 95 00 00 00 00 00 00 00\n");
    expect(r.code).toBe(0);
    expect(parseInt(r.stdout.trim(), 16)).toBe(0x44332211);
  });

  it("takes options as one argument like the upstream runner passes them (--target reference-be)", async () => {
    const r = await cli(["plugin", "11 22 33 44", "--target reference-be"], "61 10 00 00 00 00 00 00 95 00 00 00 00 00 00 00\n");
    expect(r.code).toBe(0);
    expect(parseInt(r.stdout.trim(), 16)).toBe(0x11223344);
  });

  it("--target mips32r2-be runs the program through the JIT and prints the native r0", async () => {
    const r = await cli(["plugin", "11 22 33 44", "--target mips32r2-be"], "61 10 00 00 00 00 00 00 95 00 00 00 00 00 00 00\n");
    expect(r.code).toBe(0);
    expect(parseInt(r.stdout.trim(), 16)).toBe(0x11223344);
  });

  it("a program that faults prints the reason on stderr and exits non-zero", async () => {
    // ldxw r0, [r1+0x100] outside the 4-byte context.
    const r = await cli(["plugin", "11 22 33 44"], "61 10 00 01 00 00 00 00 95 00 00 00 00 00 00 00\n");
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim().length).toBeGreaterThan(0);
  });

  it("an invalid program (non-zero reserved field) is rejected with a message and a non-zero exit", async () => {
    const r = await cli(["plugin"], "07 00 01 00 01 00 00 00 95 00 00 00 00 00 00 00\n");
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/off/);
  });

  it("bad base16 on stdin is one line, exit 2", async () => {
    expectOneLineError(await cli(["plugin"], "zz 00"), /program on stdin: 'z' is not a hex digit/);
  });
});

describe.concurrent("bpf-mips jit", () => {
  it("prints the image header and the interleaved listing of every eBPF instruction", async () => {
    const r = await cli(["jit", path.join(tmp, "mem.data"), "--target", "mips1-le"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^# mem\.data on mips1-le: \d+ eBPF → \d+ MIPS instructions/m);
    expect(r.stdout).toMatch(/^0: [rw]0 = \*\(u32 \*\)\(r1 \+ 0\)$/m);
    expect(r.stdout).toMatch(/^\s+0x[0-9a-f]{8}: [0-9a-f]{8}  (lw|lwl|lwr)\s/m);
    expect(r.stdout).toMatch(/^epilogue$/m);
  });

  it("a reference engine is not a JIT target: one line, exit 2", async () => {
    expectOneLineError(await cli(["jit", path.join(tmp, "mem.data"), "--target", "reference"]), /--target: 'reference' is not a MIPS target/);
  });
});

describe.concurrent("bpf-mips helpers", () => {
  it("lists every helper with id, prototype and doc", async () => {
    const r = await cli(["helpers"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\s*1\s+ptr map_lookup_elem\(ptr a1, ptr a2\)$/m);
    expect(r.stdout).toMatch(/0x1000\s+u64 test_mix5\(u64 a1, u64 a2, u64 a3, u64 a4, u64 a5\)/);
  });

  it("--json is the prototype table", async () => {
    const r = await cli(["helpers", "--json"]);
    expect(JSON.parse(r.stdout).find((h: { id: number }) => h.id === 12).name).toBe("tail_call");
  });
});

describe.concurrent("bpf-mips conformance", () => {
  it(`the upstream corpus on the reference engine: --json reports every file passed, 0 failed`, async () => {
    const n = readdirSync(path.join(UPSTREAM, "tests")).filter((f) => f.endsWith(".data")).length;
    expect(n).toBe(313);
    const r = await cli(["conformance", path.join(UPSTREAM, "tests"), "--engine", "reference", "--json"]);
    const doc = JSON.parse(r.stdout);
    expect(doc.summary.failures).toEqual([]);
    expect(doc.summary).toMatchObject({ total: 313, passed: 313, failed: 0, skipped: 0 });
    expect(r.code).toBe(0);
  });

  it("the negative corpus: every case is reported as a failure, exit 1, and --junit writes one testcase per file", async () => {
    const junit = path.join(tmp, "neg.xml");
    const n = readdirSync(path.join(UPSTREAM, "negative")).filter((f) => f.endsWith(".data")).length;
    const r = await cli(["conformance", path.join(UPSTREAM, "negative"), "--json", "--junit", junit]);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.summary).toMatchObject({ total: n, passed: 0, failed: n });
    const xml = readFileSync(junit, "utf8");
    expect((xml.match(/<testcase /g) ?? []).length).toBe(n);
    expect(xml).toMatch(/<testsuite name="reference" tests="\d+"/);
  });

  it("prints a summary table; --include/--exclude select cases; --replay-dir writes replayable failures", async () => {
    const replay = path.join(tmp, "replay");
    const r = await cli(["conformance", tmp, "--include", "^(pass|fail)\\.data$", "--targets", "reference,reference-be", "--replay-dir", replay]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^reference\s+2\s+1\s+1\s+0$/m);
    expect(r.stdout).toMatch(/^reference-be\s+2\s+1\s+1\s+0$/m);
    const files = readdirSync(replay).sort();
    expect(files).toEqual(["fail@reference-be.data", "fail@reference.data"]);
    const rerun = await cli(["run", path.join(replay, "fail@reference.data")]);
    expect(rerun.code).toBe(1);
    expect(rerun.stdout).toMatch(/expected r0=0x0000000000000012, got 0x0000000000000011/);
  });

  it("a group/cpu filter skips with a stated reason", async () => {
    const r = await cli(["conformance", path.join(UPSTREAM, "tests"), "--include", "^sdiv32-imm\\.data$", "--cpu", "v3", "--json"]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.summary).toMatchObject({ total: 1, skipped: 1, failed: 0 });
    expect(Object.keys(doc.summary.skipReasons)).toEqual(["needs cpu v4 (selected v3)"]);
  });

  it("bad input: unknown ISA in --targets, bad regex, nothing to run — one line each, exit 2", async () => {
    expectOneLineError(await cli(["conformance", tmp, "--targets", "mips7-le"]), /^bpf-mips: --targets: unknown ISA 'mips7' in 'mips7-le'/);
    expectOneLineError(await cli(["conformance", tmp, "--include", "("]), /--include: invalid regular expression/);
    expectOneLineError(await cli(["conformance"]), /no case files or folders given/);
    expectOneLineError(await cli(["conformance", path.join(tmp, "nope")]), /nope: cannot read/);
    expectOneLineError(await cli(["conformance", tmp, "--bogus"]), /unknown option '--bogus'/);
  });
});
