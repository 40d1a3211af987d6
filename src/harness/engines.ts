// Wiring: which Engine runs a Target. The reference targets use src/reference's interpreter and src/ebpf's
// validator; MIPS targets use the JIT + emulator engine (jit-engine.ts). Owns nothing but this choice.
import { validateProgram } from "../ebpf/validate";
import { runReference } from "../reference/index";
import type { Engine, ReferenceDeps } from "./run-case";
import { referenceEngine } from "./run-case";
import type { Target } from "./targets";
import { jitEngine } from "./jit-engine";

export const REFERENCE_DEPS: ReferenceDeps = {
  runReference: (p, o) => runReference(p, o),
  validateProgram: (p) => validateProgram(p),
};

export function engineFor(target: Target): Engine {
  if (target.kind === "reference") return referenceEngine(target, REFERENCE_DEPS);
  return jitEngine(target);
}
