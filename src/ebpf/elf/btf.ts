// Just enough of the BTF type format (the .BTF section) to read BTF-defined maps: the header, every type
// record (so offsets stay in step), struct members, arrays, pointers, variables and data sections.
// Owns parsing and type-size resolution; does not own what a map member means (elf-maps.ts).
// Format: Linux Documentation/bpf/btf.rst §2 (struct btf_header, struct btf_type and the per-kind
// trailing data); kinds 1–19 as of Linux 6.x (ENUM64 = 19).
import { InputError } from "../errors";
import { hex } from "./elf-file";

export const BTF_KIND_INT = 1;
export const BTF_KIND_PTR = 2;
export const BTF_KIND_ARRAY = 3;
export const BTF_KIND_STRUCT = 4;
export const BTF_KIND_UNION = 5;
export const BTF_KIND_ENUM = 6;
export const BTF_KIND_FWD = 7;
export const BTF_KIND_TYPEDEF = 8;
export const BTF_KIND_VOLATILE = 9;
export const BTF_KIND_CONST = 10;
export const BTF_KIND_RESTRICT = 11;
export const BTF_KIND_FUNC = 12;
export const BTF_KIND_FUNC_PROTO = 13;
export const BTF_KIND_VAR = 14;
export const BTF_KIND_DATASEC = 15;
export const BTF_KIND_FLOAT = 16;
export const BTF_KIND_DECL_TAG = 17;
export const BTF_KIND_TYPE_TAG = 18;
export const BTF_KIND_ENUM64 = 19;

const BTF_MAGIC = 0xeb9f;

export interface BtfMember {
  readonly name: string;
  readonly type: number;
  /** Bit offset within the struct (the bitfield size, if any, is dropped: map members are never bitfields). */
  readonly bitOffset: number;
}

export interface BtfType {
  readonly id: number;
  readonly kind: number;
  readonly name: string;
  /** size for INT/STRUCT/UNION/ENUM/DATASEC/FLOAT, referenced type id for PTR/TYPEDEF/modifiers/VAR/FUNC. */
  readonly sizeOrType: number;
  readonly array?: { readonly type: number; readonly nelems: number };
  readonly members?: readonly BtfMember[];
  /** DATASEC entries: variable type id, offset and size (offsets may be 0 in objects: see elf-maps.ts). */
  readonly vars?: readonly { readonly type: number; readonly offset: number; readonly size: number }[];
}

export class Btf {
  constructor(
    /** Index = type id; entry 0 is the implicit void type. */
    readonly types: readonly (BtfType | undefined)[],
    private readonly where: string,
    private readonly file: string,
  ) {}

  fail(reason: string): never {
    throw new InputError(`${this.where}: ${reason}`, { file: this.file });
  }

  get(id: number, what: string): BtfType {
    const t = id > 0 ? this.types[id] : undefined;
    if (t === undefined) this.fail(`${what}: type id ${id} does not exist (${this.types.length - 1} types)`);
    return t;
  }

  /** Follow typedefs and cv/type-tag modifiers to the underlying type (bounded: cycles are malformed). */
  skipModifiers(id: number, what: string): BtfType {
    for (let hops = 0; hops < 64; hops++) {
      const t = this.get(id, what);
      if (t.kind !== BTF_KIND_TYPEDEF && t.kind !== BTF_KIND_VOLATILE && t.kind !== BTF_KIND_CONST && t.kind !== BTF_KIND_RESTRICT && t.kind !== BTF_KIND_TYPE_TAG) return t;
      id = t.sizeOrType;
    }
    return this.fail(`${what}: type chain from id ${id} is too long or cyclic`);
  }

  /** Byte size of a type, as the C `sizeof` of the object it describes. */
  sizeOf(id: number, what: string, depth = 0): number {
    if (depth > 32) this.fail(`${what}: type nesting is too deep or cyclic`);
    const t = this.skipModifiers(id, what);
    switch (t.kind) {
      case BTF_KIND_INT: case BTF_KIND_STRUCT: case BTF_KIND_UNION: case BTF_KIND_ENUM: case BTF_KIND_ENUM64: case BTF_KIND_FLOAT: case BTF_KIND_DATASEC:
        return t.sizeOrType;
      case BTF_KIND_PTR:
        return 8;
      case BTF_KIND_ARRAY: {
        const elem = this.sizeOf(t.array!.type, what, depth + 1);
        const n = elem * t.array!.nelems;
        if (!Number.isSafeInteger(n)) this.fail(`${what}: array size overflows`);
        return n;
      }
      case BTF_KIND_VAR:
        return this.sizeOf(t.sizeOrType, what, depth + 1);
      default:
        return this.fail(`${what}: type id ${t.id} (kind ${t.kind}) has no size`);
    }
  }

  findDatasec(name: string): BtfType | undefined {
    return this.types.find((t) => t !== undefined && t.kind === BTF_KIND_DATASEC && t.name === name);
  }
}

/** Parse a .BTF section's bytes (`where` names the section for messages). */
export function parseBtf(bytes: Uint8Array, littleEndian: boolean, where: string, file: string): Btf {
  const fail: (reason: string) => never = (reason) => {
    throw new InputError(`${where}: ${reason}`, { file });
  };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 24) fail(`truncated BTF header (${bytes.length} bytes)`);
  const magic = view.getUint16(0, littleEndian);
  if (magic !== BTF_MAGIC) fail(`bad BTF magic 0x${hex(magic)} (expected 0x${hex(BTF_MAGIC)} in the object's byte order)`);
  const hdrLen = view.getUint32(4, littleEndian);
  const typeOff = view.getUint32(8, littleEndian);
  const typeLen = view.getUint32(12, littleEndian);
  const strOff = view.getUint32(16, littleEndian);
  const strLen = view.getUint32(20, littleEndian);
  const within = (off: number, len: number): boolean => off >= 0 && len >= 0 && off + len <= bytes.length;
  if (hdrLen < 24 || !within(hdrLen + typeOff, typeLen) || !within(hdrLen + strOff, strLen)) {
    fail(`BTF header: type [0x${hex(typeOff)}+0x${hex(typeLen)}) or string [0x${hex(strOff)}+0x${hex(strLen)}) area lies outside the ${bytes.length}-byte section`);
  }
  const strBase = hdrLen + strOff;
  const str = (off: number, what: string): string => {
    if (off >= strLen) fail(`${what}: name offset 0x${hex(off)} is outside the ${strLen}-byte string area`);
    let s = "";
    let i = strBase + off;
    while (i < strBase + strLen && bytes[i] !== 0) s += String.fromCharCode(bytes[i++]);
    if (i >= strBase + strLen) fail(`${what}: name at 0x${hex(off)} is not NUL-terminated`);
    return s;
  };

  const types: (BtfType | undefined)[] = [undefined];
  const start = hdrLen + typeOff;
  const end = start + typeLen;
  let at = start;
  const need = (n: number, what: string): void => {
    if (at + n > end) fail(`${what}: record at type-area offset 0x${hex(at - start)} runs past the end of the type area`);
  };
  const u32 = (off: number): number => view.getUint32(off, littleEndian);
  while (at < end) {
    const id = types.length;
    const what = `BTF type ${id}`;
    need(12, what);
    const nameOff = u32(at);
    const info = u32(at + 4);
    const sizeOrType = u32(at + 8);
    at += 12;
    const kind = (info >>> 24) & 0x1f;
    const vlen = info & 0xffff;
    const kflag = info >>> 31;
    const name = str(nameOff, what);
    let t: BtfType;
    switch (kind) {
      case BTF_KIND_INT: case BTF_KIND_VAR: case BTF_KIND_DECL_TAG:
        need(4, what); at += 4;
        t = { id, kind, name, sizeOrType };
        break;
      case BTF_KIND_PTR: case BTF_KIND_FWD: case BTF_KIND_TYPEDEF: case BTF_KIND_VOLATILE: case BTF_KIND_CONST:
      case BTF_KIND_RESTRICT: case BTF_KIND_FUNC: case BTF_KIND_FLOAT: case BTF_KIND_TYPE_TAG:
        t = { id, kind, name, sizeOrType };
        break;
      case BTF_KIND_ARRAY:
        need(12, what);
        t = { id, kind, name, sizeOrType, array: { type: u32(at), nelems: u32(at + 8) } };
        at += 12;
        break;
      case BTF_KIND_STRUCT: case BTF_KIND_UNION: {
        need(12 * vlen, what);
        const members: BtfMember[] = [];
        for (let k = 0; k < vlen; k++, at += 12) {
          const raw = u32(at + 8);
          // With kind_flag set the offset word is bitfield_size << 24 | bit_offset (btf.rst §2.2.4).
          members.push({ name: str(u32(at), `${what} member ${k}`), type: u32(at + 4), bitOffset: kflag ? raw & 0xffffff : raw });
        }
        t = { id, kind, name, sizeOrType, members };
        break;
      }
      case BTF_KIND_ENUM: case BTF_KIND_FUNC_PROTO:
        need(8 * vlen, what); at += 8 * vlen;
        t = { id, kind, name, sizeOrType };
        break;
      case BTF_KIND_ENUM64:
        need(12 * vlen, what); at += 12 * vlen;
        t = { id, kind, name, sizeOrType };
        break;
      case BTF_KIND_DATASEC: {
        need(12 * vlen, what);
        const vars = [];
        for (let k = 0; k < vlen; k++, at += 12) vars.push({ type: u32(at), offset: u32(at + 4), size: u32(at + 8) });
        t = { id, kind, name, sizeOrType, vars };
        break;
      }
      default:
        return fail(`${what}: unknown BTF kind ${kind}`);
    }
    types.push(t);
  }
  return new Btf(types, where, file);
}
