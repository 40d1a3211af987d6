// Map definitions: what a program (or its ELF object) declares. Both sides create their map state from
// these records; where the map lives in memory is decided by layout.ts so pointers agree on both sides.
// Owns the schema only: map behaviour (lookup/update/delete, errnos) is src/reference/maps.ts.
import { z } from "zod";

export const MapTypeSchema = z.enum(["array", "hash", "prog_array"]);
export type MapType = z.infer<typeof MapTypeSchema>;

export const MapDefSchema = z
  .object({
    name: z.string().min(1),
    type: MapTypeSchema,
    keySize: z.number().int().min(1).max(512),
    valueSize: z.number().int().min(1).max(65536),
    maxEntries: z.number().int().min(1).max(65536),
    /** array maps: initial value bytes per index (hex strings); prog_array: program names per index. */
    init: z.record(z.string(), z.string()).optional(),
  })
  .strict()
  .refine((m) => m.type !== "array" || m.keySize === 4, { message: "array maps need keySize 4" })
  .refine((m) => m.type !== "prog_array" || (m.keySize === 4 && m.valueSize === 4), {
    message: "prog_array maps need keySize 4 and valueSize 4",
  });
export type MapDef = z.infer<typeof MapDefSchema>;
