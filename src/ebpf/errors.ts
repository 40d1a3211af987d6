// The one error type for bad input (malformed programs, files, options, ELF objects). Every loader,
// assembler, validator and option parser throws it; the CLI prints `format()` as a single line and exits
// non-zero. Anything else that escapes is a bug in this project, not in the input.

export interface Where {
  readonly file?: string;
  readonly line?: number;
  /** Instruction (slot) index within the program. */
  readonly insn?: number;
  /** Field or option name, e.g. "imm", "--targets". */
  readonly field?: string;
}

export class InputError extends Error {
  override readonly name = "InputError";
  constructor(
    /** The bare reason, without location (e.g. "Invalid register"). */
    readonly reason: string,
    readonly where: Where = {},
  ) {
    super(formatWhere(where) + reason);
  }

  /** Same reason, more location (e.g. a loader adding the file name to an assembler error). */
  at(more: Where): InputError {
    return new InputError(this.reason, { ...more, ...this.where, file: this.where.file ?? more.file });
  }
}

function formatWhere(w: Where): string {
  let s = "";
  if (w.file !== undefined) s += w.file + (w.line !== undefined ? `:${w.line}` : "") + ": ";
  else if (w.line !== undefined) s += `line ${w.line}: `;
  if (w.insn !== undefined) s += `insn ${w.insn}: `;
  if (w.field !== undefined) s += `${w.field}: `;
  return s;
}

export const isInputError = (e: unknown): e is InputError => e instanceof InputError;
