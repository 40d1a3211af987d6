// Wiring: which Engine runs a Target. The reference targets use src/reference's interpreter and src/ebpf's
// validator; MIPS targets use the one JIT + emulator engine (jit-engine.ts) unless a test registers another backend. Owns nothing but this choice.
import { validateProgram } from "../ebpf/validate";
import { runReference } from "../reference/index";
import type { Engine, NativeBackend, ReferenceDeps } from "./run-case";
import { differentialEngine, referenceEngine } from "./run-case";
import type { Target } from "./targets";
import { jitEngine } from "./jit-engine";

export const REFERENCE_DEPS: ReferenceDeps = {
  runReference: (p, o) => runReference(p, o),
  validateProgram: (p) => validateProgram(p),
};

let nativeBackend: NativeBackend | undefined;

/** Replace the native backend (tests inject faulty backends; undefined restores the JIT + emulator engine, jit-engine.ts). */
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
