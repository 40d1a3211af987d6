// The exit-code contract of main() in-process (the spawned end-to-end tests are conformance/cli.test.ts):
// 0 success, 2 bad input or usage (one line), 70 internal error (one line, no stack trace).
import { describe, it, expect } from "vitest";
import { main } from "./main";
import type { CliIo } from "./io";

function fakeIo(opts: { out?: (s: string) => void } = {}): CliIo & { outText: () => string; errText: () => string } {
  let out = "";
  let err = "";
  return {
    out: opts.out ?? ((s) => void (out += s)),
    err: (s) => void (err += s),
    readStdin: async () => Buffer.alloc(0),
    stderrIsTTY: false,
    writeStderr: () => true,
    outText: () => out,
    errText: () => err,
  };
}

describe("main() exit codes", () => {
  it("a successful command returns 0 and writes to stdout", async () => {
    const io = fakeIo();
    expect(await main(["helpers"], io)).toBe(0);
    expect(io.outText()).toMatch(/map_lookup_elem/);
  });

  it("an exception that is not an InputError is an internal error: exit 70, one line naming it", async () => {
    const io = fakeIo({ out: () => { throw new TypeError("boom\nsecond line"); } });
    expect(await main(["helpers"], io)).toBe(70);
    expect(io.errText()).toBe("bpf-mips: internal error: boom second line\n");
  });

  it("a usage error (unknown option, missing argument, unknown command) is exit 2 with one line", async () => {
    for (const argv of [["helpers", "--nope"], ["run"], ["frobnicate"]]) {
      const io = fakeIo();
      expect(await main(argv, io)).toBe(2);
      expect(io.errText().trimEnd().split("\n")).toHaveLength(1);
      expect(io.errText()).toMatch(/^bpf-mips: /);
    }
  });

  it("no arguments prints the usage on stderr and returns 2; --help returns 0", async () => {
    const io = fakeIo();
    expect(await main([], io)).toBe(2);
    expect(io.errText()).toMatch(/Usage: bpf-mips/);
    const help = fakeIo();
    expect(await main(["--help"], help)).toBe(0);
    expect(help.outText()).toMatch(/conformance/);
  });

  it("bad input from a command is exit 2 with the InputError's one-line message", async () => {
    const io = fakeIo();
    expect(await main(["conformance", "x", "--targets", "mips9-le"], io)).toBe(2);
    expect(io.errText()).toMatch(/^bpf-mips: --targets: unknown ISA 'mips9' in 'mips9-le'/);
  });
});
