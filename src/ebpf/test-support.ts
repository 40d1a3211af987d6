// Test-only helper shared by the src/ebpf tests (not exported from index.ts): capture the InputError a call
// throws. Owns nothing else; tests state their own expectations.
import { InputError } from "./errors";

/** The InputError f throws; any other exception propagates, and no exception at all fails with `what`. */
export function thrownInputError(f: () => unknown, what = "no InputError was thrown"): InputError {
  try {
    f();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error(what);
}
