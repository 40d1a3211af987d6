// The helper registry's implementations: one TypeScript function per helper in src/ebpf/helper-protos.ts
// (ids, prototypes and `doc` strings are the spec and live there). The reference interpreter calls
// callHelper directly; the emulator's ABI bridge calls it with the arguments it unmarshalled, on a
// GuestMemory adapter over emulator memory. Same call sequence → same results, same log, same memory
// writes. Does not own tail_call (12): the interpreter and the JIT perform it themselves.
import type { ArgKind } from "../ebpf/helper-protos";
import { BPF_FUNC_tail_call, helperProto } from "../ebpf/helper-protos";
import type { GuestMemory } from "./memory";
import { hexAddr } from "./memory";
import type { MapInstance, MapState } from "./maps";
import { EINVAL } from "./maps";

export interface HelperCall {
  readonly id: number;
  readonly name: string;
  /** Only the prototype's arguments: "u32" masked to 32 bits, "ptr" to the address width. */
  readonly args: bigint[];
  readonly ret: bigint;
}

export interface HelperEnv {
  readonly mem: GuestMemory;
  readonly maps: MapState;
  readonly log: HelperCall[];
  readonly trace: string[];
  /** Width of "ptr" arguments and results (layout.addressBits). */
  readonly addressBits: 32 | 64;
  /** ktime_get_ns: number of earlier calls in this run. */
  clockCalls: number;
  /** get_prandom_u32: xorshift32 state (never 0). */
  rngState: number;
}

/** A helper was called in a way no valid program can (bad pointer, unknown map, unknown id). */
export class HelperFault extends Error {
  override readonly name = "HelperFault";
}

/** xorshift32 needs a non-zero state: seed 0 (and the default) starts from the golden-ratio constant. */
export const DEFAULT_RNG_STATE = 0x9e3779b9;

export function createHelperEnv(mem: GuestMemory, maps: MapState, seed = 0): HelperEnv {
  return {
    mem, maps, log: [], trace: [], addressBits: maps.layout.addressBits,
    clockCalls: 0, rngState: (seed >>> 0) || DEFAULT_RNG_STATE,
  };
}

const U64 = (x: bigint): bigint => BigInt.asUintN(64, x);
const rotl64 = (x: bigint, n: number): bigint => U64((x << BigInt(n)) | (x >> BigInt(64 - n)));
const errno = (e: number): bigint => U64(BigInt(e));

function maskArg(kind: ArgKind, v: bigint, addressBits: number): bigint {
  if (kind === "u32") return BigInt.asUintN(32, v);
  if (kind === "ptr") return BigInt.asUintN(addressBits, v);
  return BigInt.asUintN(64, v);
}

function readOrFault(env: HelperEnv, addr: bigint, len: number, what: string): Uint8Array {
  const b = env.mem.read(Number(addr), len);
  if (b === undefined) throw new HelperFault(`${what}: cannot read ${len} bytes at ${hexAddr(addr)}`);
  return b;
}

function mapArg(env: HelperEnv, ptr: bigint, helper: string): MapInstance {
  const m = env.maps.byObject(Number(ptr));
  if (m === undefined) throw new HelperFault(`${helper}: ${hexAddr(ptr)} is not a map pointer`);
  if (m.def.type === "prog_array") throw new HelperFault(`${helper}: map ${m.def.name} is a prog_array`);
  return m;
}

type Impl = (a: bigint[], env: HelperEnv) => bigint;

const IMPLS: ReadonlyMap<number, Impl> = new Map<number, Impl>([
  [1, (a, env) => {
    const m = mapArg(env, a[0], "map_lookup_elem");
    return BigInt(env.maps.lookup(m, readOrFault(env, a[1], m.def.keySize, "map_lookup_elem key")));
  }],
  [2, (a, env) => {
    const m = mapArg(env, a[0], "map_update_elem");
    const key = readOrFault(env, a[1], m.def.keySize, "map_update_elem key");
    const value = readOrFault(env, a[2], m.def.valueSize, "map_update_elem value");
    return errno(env.maps.update(m, key, value, a[3], env.mem));
  }],
  [3, (a, env) => {
    const m = mapArg(env, a[0], "map_delete_elem");
    return errno(env.maps.delete(m, readOrFault(env, a[1], m.def.keySize, "map_delete_elem key")));
  }],
  [5, (_a, env) => 1_000_000_000n + 1000n * BigInt(env.clockCalls++)],
  [6, (a, env) => tracePrintk(a, env)],
  [7, (_a, env) => {
    let x = env.rngState;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    env.rngState = x >>> 0;
    return BigInt(env.rngState);
  }],
  [8, () => 0n],
  [0x1000, (a) => a[0] ^ rotl64(a[1], 7) ^ rotl64(a[2], 19) ^ rotl64(a[3], 31) ^ rotl64(a[4], 47)],
  [0x1001, (a) => mixedProtoHash(a)],
  [0x1002, (a) => BigInt.asUintN(32, a[0] + 1n)],
]);

/**
 * test_mixed_proto's hash: h = 0xcbf29ce484222325; for each argument v (u32s already truncated):
 * h = rotl64(h ^ v, 29) × 0x100000001b3 mod 2^64. Every argument moves every result bit, so a value in
 * the wrong register, a dropped half or an unaligned pair shows.
 */
export function mixedProtoHash(a: readonly bigint[]): bigint {
  let h = 0xcbf29ce484222325n;
  for (const v of a) h = U64(rotl64(h ^ v, 29) * 0x100000001b3n);
  return h;
}

/**
 * Call helper `id` with R1..R5 (`regs` may hold more values than the prototype takes; extra ones are
 * ignored). Masks the arguments and the result per prototype, appends the call to env.log and returns
 * the value for R0. Throws HelperFault for an unknown id, tail_call, or an invalid pointer argument.
 */
export function callHelper(id: number, regs: readonly bigint[], env: HelperEnv): bigint {
  const proto = helperProto(id);
  const impl = IMPLS.get(id);
  if (id === BPF_FUNC_tail_call) throw new HelperFault("tail_call is performed by the interpreter or JIT, not called");
  if (proto === undefined || impl === undefined) throw new HelperFault(`unknown helper id ${id}`);
  const args = proto.args.map((k, i) => maskArg(k, regs[i] ?? 0n, env.addressBits));
  const raw = impl(args, env);
  const ret = proto.ret === "void" ? 0n : maskArg(proto.ret, raw, env.addressBits);
  env.log.push({ id, name: proto.name, args, ret });
  return ret;
}

/** Is `id` a helper a program may call (a registry entry other than tail_call, which is special)? */
export const isCallableHelper = (id: number): boolean => id === BPF_FUNC_tail_call || IMPLS.has(id);

const MAX_STR = 256;

/**
 * trace_printk(fmt, fmt_size, a1, a2, a3): reads at most fmt_size bytes of fmt, up to the first NUL.
 * Conversions: %d %i (s32), %u (u32), %x (u32 hex), %lld %lli %ld %li (s64), %llu %lu (u64),
 * %llx %lx (u64 hex), %s (NUL-terminated guest string, at most 256 bytes; "(efault)" if unreadable),
 * %c (low byte), %%. Any other conversion or more than three arguments: −EINVAL and no trace line
 * (as Linux's bpf_trace_printk). Returns the number of bytes of the formatted line.
 */
function tracePrintk(a: bigint[], env: HelperEnv): bigint {
  const fmtBytes = readOrFault(env, a[0], Number(a[1]), "trace_printk fmt");
  const nul = fmtBytes.indexOf(0);
  const fmt = latin1(nul < 0 ? fmtBytes : fmtBytes.subarray(0, nul));
  let out = "";
  let argi = 2;
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i];
    if (c !== "%") { out += c; continue; }
    const m = /^(%|ll[dixu]|l[dixu]|[diuxsc])/.exec(fmt.slice(i + 1));
    if (m === null) return errno(-EINVAL);
    const spec = m[1];
    i += spec.length;
    if (spec === "%") { out += "%"; continue; }
    if (argi > 4) return errno(-EINVAL);
    const v = a[argi++];
    const conv = spec[spec.length - 1];
    const wide = spec.length > 1;
    switch (conv) {
      case "d": case "i": out += (wide ? BigInt.asIntN(64, v) : BigInt.asIntN(32, v)).toString(); break;
      case "u": out += (wide ? v : BigInt.asUintN(32, v)).toString(); break;
      case "x": out += (wide ? v : BigInt.asUintN(32, v)).toString(16); break;
      case "c": out += String.fromCharCode(Number(v & 0xffn)); break;
      default: out += guestString(env, v); break;
    }
  }
  env.trace.push(out);
  return BigInt(out.length);
}

function guestString(env: HelperEnv, addr: bigint): string {
  let s = "";
  for (let i = 0; i < MAX_STR; i++) {
    const b = env.mem.read(Number(addr) + i, 1);
    if (b === undefined) return i === 0 ? "(efault)" : s;
    if (b[0] === 0) return s;
    s += String.fromCharCode(b[0]);
  }
  return s;
}

const latin1 = (b: Uint8Array): string => Array.from(b, (x) => String.fromCharCode(x)).join("");
