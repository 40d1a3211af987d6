export const TRAP_EXIT_STATUS = 250;
export interface ElfRunOptions { x?: number }
export interface ElfRunResult { x?: number }
export function runElfExecutable(): void {}
