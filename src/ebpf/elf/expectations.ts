// The sidecar JSON next to each conformance/elf/*.c fixture: which program to run, with which context
// bytes, and the expected R0. Owns the format and its validation; running the cases belongs to the
// conformance suite (conformance/), which loads the object with loadElfObject and the sidecar with this.
import { z } from "zod";
import { InputError } from "../errors";

const hexBytes = z.string().regex(/^([0-9a-fA-F]{2}( |$))*$/, "hex bytes separated by spaces, e.g. \"01 00 ff\"");
const u64Text = z.string().regex(/^(0x[0-9a-fA-F]{1,16}|[0-9]{1,20})$/, "a u64 as decimal or 0x-hex text");

export const ElfRunSchema = z
  .object({
    /** What this run checks. */
    description: z.string().min(1),
    /** ElfObject.programs[].name of the entry program. */
    program: z.string().min(1),
    /** Context bytes (R1 = their address, R2 = their length), in bpf_conformance `-- mem` notation. */
    mem: hexBytes.default(""),
    /** Expected R0 as a 64-bit value, for the little-endian object (and the big-endian one unless overridden). */
    result: u64Text,
    /** Expected R0 for the big-endian object, where the program reads multi-byte context fields. */
    resultBigEndian: u64Text.optional(),
  })
  .strict();

export const ElfExpectationsSchema = z
  .object({
    /** The C source this sidecar belongs to (relative to the sidecar). */
    source: z.string().regex(/\.c$/),
    /** Every run starts from fresh maps, initialised from the object (global data, prog_array values). */
    runs: z.array(ElfRunSchema).min(1),
  })
  .strict();

export type ElfExpectations = z.infer<typeof ElfExpectationsSchema>;
export type ElfRun = z.infer<typeof ElfRunSchema>;

/** Parse and validate a sidecar; every problem is an InputError naming the file and field. */
export function loadElfExpectations(text: string, file: string): ElfExpectations {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new InputError(`not JSON: ${(e as Error).message}`, { file });
  }
  const r = ElfExpectationsSchema.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new InputError(issue.message, { file, field: issue.path.join(".") || undefined });
  }
  return r.data;
}

/** The expected R0 of a run for one byte order, as an unsigned 64-bit BigInt. */
export function expectedResult(run: ElfRun, littleEndian: boolean): bigint {
  return BigInt(littleEndian ? run.result : (run.resultBigEndian ?? run.result));
}
