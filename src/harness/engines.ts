// Wiring: which Engine runs a Target. The reference targets use src/reference's interpreter and src/ebpf's
// validator; MIPS targets use the differential engine once a native backend (jit/ + emulator/) is
// registered, and are skipped with a stated reason until then. Owns nothing but this choice.
import { validateProgram } from "../ebpf/validate";
import { runReference } from "../reference/index";
import type { Engine, NativeBackend, ReferenceDeps } from "./run-case";
import { differentialEngine, referenceEngine, skippingEngine } from "./run-case";
import type { Target } from "./targets";

export const REFERENCE_DEPS: ReferenceDeps = {
  runReference: (p, o) => runReference(p, o),
  validateProgram: (p) => validateProgram(p),
};

let nativeBackend: NativeBackend | undefined;

/** The JIT + emulator side registers itself here (src/harness/native.ts once jit/ and emulator/ exist). */
export function registerNativeBackend(b: NativeBackend | undefined): void {
  nativeBackend = b;
}

export const NO_BACKEND_REASON = "no native backend: the JIT (jit/) and the emulator (emulator/) are not wired into the harness yet";

export function engineFor(target: Target): Engine {
  if (target.kind === "reference") return referenceEngine(target, REFERENCE_DEPS);
  if (!nativeBackend) return skippingEngine(target, NO_BACKEND_REASON);
  return differentialEngine(target, REFERENCE_DEPS, nativeBackend);
}
