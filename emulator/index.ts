// Public API of the MIPS emulator (emulator/). Other folders import from here only.
export { Machine, formatOutcome, DEFAULT_BUDGET, EXIT_ADDR_32, EXIT_ADDR_64 } from "./machine";
export { TRIPWIRES, allTripwires, parseTripwires } from "./types";
export type {
  Abi, ArgKind, CallArg, CallOptions, ExceptionCode, HostArg, HostSpec, MachineOptions, Outcome, OutcomeKind, Pair,
  TripwireName, Tripwires,
} from "./types";
export type { RegionSpec, Region } from "./memory";
export { runElfExecutable, TRAP_EXIT_STATUS } from "./elf-runner";
export type { ElfRunOptions, ElfRunResult } from "./elf-runner";
