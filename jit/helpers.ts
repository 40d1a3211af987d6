// Extra host helpers the JIT calls on its own: none. 64-bit DIV/MOD and every atomic are compiled inline
// (see o32/divmod.ts and o32/mem.ts), so the harness needs no helper beyond src/ebpf/helper-protos.ts.
export const MIPS_JIT_EXTRA_HELPERS: readonly { id: number; name: string }[] = [];
