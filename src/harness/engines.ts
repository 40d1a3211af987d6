// Wiring: which Engine runs a Target. The reference targets use src/reference's interpreter and src/ebpf's
// validator; MIPS targets use the differential engine once a native backend (jit/ + emulator/) is
// registered (jit/ + emulator/ through native.ts by default), and are skipped with a stated reason without one. Owns nothing but this choice.
import { validateProgram } from "../ebpf/validate";
import { runReference } from "../reference/index";
import { jitEmulatorBackend } from "./native";
import type { Engine, NativeBackend, ReferenceDeps } from "./run-case";
import { differentialEngine, referenceEngine } from "./run-case";
import type { Target } from "./targets";
import { jitEngine } from "./jit-engine";

export const REFERENCE_DEPS: ReferenceDeps = {
  runReference: (p, o) => runReference(p, o),
  validateProgram: (p) => validateProgram(p),
};

let nativeBackend: NativeBackend | undefined = jitEmulatorBackend;

/** Replace the native backend (tests inject faulty backends; undefined selects jit-engine.ts, the same pipeline with fault injection). */
export function registerNativeBackend(b: NativeBackend | undefined): void {
  nativeBackend = b;
}

export const NO_BACKEND_REASON = "no native backend: the JIT (jit/) and the emulator (emulator/) are not wired into the harness yet";

export function engineFor(target: Target): Engine {
  if (target.kind === "reference") return referenceEngine(target, REFERENCE_DEPS);
  // The JIT + emulator differential engine (jit-engine.ts) unless a test registered another backend.
  if (!nativeBackend) return jitEngine(target);
  return differentialEngine(target, REFERENCE_DEPS, nativeBackend);
}
