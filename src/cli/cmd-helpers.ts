// `bpf-mips helpers`: the helper registry as users see it (src/ebpf/helper-protos.ts is the source).
import { HELPER_PROTOS } from "../ebpf/helper-protos";
import type { CliIo } from "./io";

export function helpersCommand(io: CliIo, o: { json?: boolean }): number {
  if (o.json) {
    io.out(JSON.stringify(HELPER_PROTOS, null, 2) + "\n");
    return 0;
  }
  const idText = (id: number): string => (id >= 0x1000 ? "0x" + id.toString(16) : String(id));
  const w = Math.max(...HELPER_PROTOS.map((p) => idText(p.id).length));
  for (const p of HELPER_PROTOS) {
    const args = p.args.map((a, i) => `${a} a${i + 1}`).join(", ");
    io.out(`${idText(p.id).padStart(w)}  ${p.ret} ${p.name}(${args})\n${" ".repeat(w + 2)}${p.doc}\n`);
  }
  return 0;
}
