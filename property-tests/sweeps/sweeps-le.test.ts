// Exhaustive ALU/JMP sweeps (gen.ts) on every little-endian 32-bit ISA level; see suite.ts.
import { sweepSuite } from "./suite";

sweepSuite(true);
