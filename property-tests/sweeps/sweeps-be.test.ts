// Exhaustive ALU/JMP sweeps (gen.ts) on every big-endian 32-bit ISA level; see suite.ts.
import { sweepSuite } from "./suite";

sweepSuite(false);
