// `bpf-mips jit <case> --target T`: the JIT's output for one case as the interleaved listing the harness
// prints on failures (each eBPF instruction of the prepared program, then its MIPS code with addresses),
// with the image's frame, register map and size. Owns only the printing.
import path from "node:path";
import { InputError } from "../ebpf/errors";
import { loadCasesStrict } from "../harness/load-case";
import { compileCase } from "../harness/jit-engine";
import { formatListing } from "../harness/listing";
import { JitError } from "../../jit/index";
import { parseTarget } from "../harness/targets";
import type { CliIo } from "./io";

export function jitCommand(io: CliIo, file: string, o: { target: string }): number {
  const target = parseTarget(o.target, "--target");
  if (target.kind !== "mips") throw new InputError(`'${target.name}' is not a MIPS target`, { field: "--target" });
  const c = loadCasesStrict({ file, name: path.basename(file) })[0];
  let cc;
  try {
    cc = compileCase(c, target);
  } catch (e) {
    // "Unsupported" is a JIT defect, reported as a failure (exit 1), not as bad input.
    if (e instanceof JitError) {
      io.err(`bpf-mips: jit error on ${target.name}: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
  const show = (name: string, x: { prepared: typeof c.program; image: typeof cc.image }): void => {
    const img = x.image;
    io.out(`# ${name} on ${target.name}: ${img.stats.bpfInsns} eBPF → ${img.stats.mipsWords} MIPS instructions, code at 0x${img.codeBase.toString(16)}, entry 0x${img.entry.toString(16)}\n`);
    io.out(`# frame: R10 = entry sp − ${img.frame.fpBelowEntrySp}, frame stride ${img.frame.frameStride}\n`);
    for (const r of img.regMap) io.out(`# ${r}\n`);
    io.out(formatListing(x.prepared, img, target.isa, { plain: true }) + "\n");
  };
  show(c.name, cc);
  for (const [name, x] of cc.named) show(name, x);
  return 0;
}
