// Helper registry and map state: map helpers on array and hash maps (values in guest memory at the
// placeMaps addresses), deterministic ktime/prandom, trace_printk, the argument-passing test helpers and
// the logging rules (prototype arguments only, u32 masked). Expected values follow the `doc` strings of
// src/ebpf/helper-protos.ts and Linux's errno conventions.
import { describe, expect, it } from "vitest";
import type { MapDef } from "../ebpf/maps";
import { placeMaps } from "../ebpf/layout";
import { HELPER_PROTOS } from "../ebpf/helper-protos";
import { alu64, call, exit, LE32, LE64, BE64, lddw, lddwSrc, ldx, mov, movr, prog, r0Of, run, st } from "./test-kit";
import { callHelper, createHelperEnv, HelperFault, isCallableHelper } from "./helpers";
import { createMapState } from "./maps";
import { planRegions, RegionMemory } from "./memory";

const arr: MapDef = { name: "arr", type: "array", keySize: 4, valueSize: 8, maxEntries: 4, init: { "2": "0102030405060708" } };
const hash: MapDef = { name: "h", type: "hash", keySize: 4, valueSize: 8, maxEntries: 2 };
const maps = [arr, hash];
const pl = placeMaps(LE64, maps);
const neg = (e: number): bigint => BigInt.asUintN(64, BigInt(-e));

/** *(u32 *)(r10-4) = key; r2 = r10-4; r1 = map m; */
const keyArgs = (m: number, key: number) => [st(4, 10, -4, key), movr(2, 10), alu64("add", 2, -4), ...lddwSrc(1, 1, m)];
/** value at r10-16 = v; r3 = r10-16 */
const valArg = (v: number) => [st(8, 10, -16, v), movr(3, 10), alu64("add", 3, -16)];

describe("array maps", () => {
  it("lookup returns valuesAddr + index × valueSize", () =>
    expect(r0Of(prog(keyArgs(0, 3), call(1), exit()), { maps })).toBe(BigInt(pl[0].valuesAddr + 3 * 8)));
  it("lookup past max_entries returns 0", () => expect(r0Of(prog(keyArgs(0, 4), call(1), exit()), { maps })).toBe(0n));
  it("init bytes are in guest memory at the element's address", () =>
    expect(r0Of(prog(keyArgs(0, 2), call(1), ldx(8, 0, 0, 0), exit()), { maps })).toBe(0x0807060504030201n));
  it("update copies value bytes into the element; the region shows them", () => {
    const res = run(prog(keyArgs(0, 1), valArg(0x55), mov(4, 0), call(2), exit()), { maps });
    expect(res.r0).toBe(0n);
    const reg = res.regions.find((r) => r.name === "map:arr")!;
    expect(reg.base).toBe(pl[0].valuesAddr);
    expect(reg.bytes[8]).toBe(0x55);
  });
  it("update past max_entries is -E2BIG, with NOEXIST -EEXIST, unknown flags -EINVAL", () => {
    expect(r0Of(prog(keyArgs(0, 9), valArg(1), mov(4, 0), call(2), exit()), { maps })).toBe(neg(7));
    expect(r0Of(prog(keyArgs(0, 0), valArg(1), mov(4, 1), call(2), exit()), { maps })).toBe(neg(17));
    expect(r0Of(prog(keyArgs(0, 0), valArg(1), mov(4, 2), call(2), exit()), { maps })).toBe(0n);
    expect(r0Of(prog(keyArgs(0, 0), valArg(1), mov(4, 4), call(2), exit()), { maps })).toBe(neg(22));
  });
  it("delete on an array is -EINVAL", () => expect(r0Of(prog(keyArgs(0, 0), call(3), exit()), { maps })).toBe(neg(22)));
  it("array keys are read in the layout's byte order", () => {
    // Key bytes 01 00 00 00: index 1 on LE, 0x01000000 (out of range) on BE.
    const p = prog(st(1, 10, -4, 1), st(1, 10, -3, 0), st(2, 10, -2, 0), movr(2, 10), alu64("add", 2, -4), lddwSrc(1, 1, 0), call(1), exit());
    expect(r0Of(p, { maps, layout: LE64 })).toBe(BigInt(pl[0].valuesAddr + 8));
    expect(r0Of(p, { maps, layout: BE64 })).toBe(0n);
  });
});

describe("hash maps", () => {
  it("lookup of a missing key returns 0", () => expect(r0Of(prog(keyArgs(1, 5), call(1), exit()), { maps })).toBe(0n));
  it("new keys take the first free slot; delete frees it for the next new key", () => {
    const p = prog(
      keyArgs(1, 10), valArg(0xa), mov(4, 0), call(2), // slot 0
      keyArgs(1, 11), valArg(0xb), mov(4, 0), call(2), // slot 1
      keyArgs(1, 10), call(3), // free slot 0
      keyArgs(1, 12), valArg(0xc), mov(4, 0), call(2), // slot 0 again
      keyArgs(1, 12), call(1), exit(),
    );
    expect(r0Of(p, { maps })).toBe(BigInt(pl[1].valuesAddr));
  });
  it("full map: -E2BIG; NOEXIST on existing: -EEXIST; EXIST on missing: -ENOENT; delete missing: -ENOENT", () => {
    const fill = [keyArgs(1, 1), valArg(1), mov(4, 0), call(2), keyArgs(1, 2), valArg(2), mov(4, 0), call(2)].flat();
    expect(r0Of(prog(fill, keyArgs(1, 3), valArg(3), mov(4, 0), call(2), exit()), { maps })).toBe(neg(7));
    expect(r0Of(prog(fill, keyArgs(1, 1), valArg(3), mov(4, 1), call(2), exit()), { maps })).toBe(neg(17));
    expect(r0Of(prog(keyArgs(1, 1), valArg(3), mov(4, 2), call(2), exit()), { maps })).toBe(neg(2));
    expect(r0Of(prog(keyArgs(1, 1), call(3), exit()), { maps })).toBe(neg(2));
  });
  it("the value written by update is readable through the looked-up pointer", () => {
    const p = prog(keyArgs(1, 7), valArg(0x77), mov(4, 0), call(2), keyArgs(1, 7), call(1), ldx(8, 0, 0, 0), exit());
    expect(r0Of(p, { maps })).toBe(0x77n);
  });
  it("hash init entries are present before the run", () => {
    const h: MapDef = { ...hash, init: { "07000000": "2a" } };
    expect(r0Of(prog(keyArgs(1, 7), call(1), ldx(1, 0, 0, 0), exit()), { maps: [arr, h] })).toBe(0x2an);
  });
});

describe("map helper faults", () => {
  it("a map argument that is no map object faults", () => {
    const res = run(prog(mov(1, 0), movr(2, 10), call(1), exit()), { maps });
    expect(res.kind).toBe("fault");
    expect(res.message).toContain("not a map pointer");
  });
  it("an unreadable key faults naming the helper", () => {
    const res = run(prog(lddwSrc(1, 1, 0), mov(2, 8), call(1), exit()), { maps });
    expect(res.message).toContain("map_lookup_elem key");
  });
});

describe("deterministic helpers", () => {
  it("ktime_get_ns = 1e9 + 1000 × earlier calls", () => {
    const res = run(prog(call(5), call(5), call(5), exit()));
    expect(res.r0).toBe(1_000_002_000n);
    expect(res.helperCalls.map((c) => c.ret)).toEqual([1_000_000_000n, 1_000_001_000n, 1_000_002_000n]);
  });
  it("get_prandom_u32 is xorshift32 (13, 17, 5) from the seed", () => {
    // xorshift32 step from 1: 1 ^ 1<<13 = 0x2001; ^ >>>17 = 0x2001; ^ <<5 = 0x42021.
    expect(r0Of(prog(call(7), exit()), { seed: 1 })).toBe(0x42021n);
    const a = run(prog(call(7), movr(6, 0), call(7), exit()), { seed: 12345 });
    const b = run(prog(call(7), movr(6, 0), call(7), exit()), { seed: 12345 });
    expect(a.helperCalls).toEqual(b.helperCalls);
    expect(a.helperCalls[0].ret).not.toBe(a.helperCalls[1].ret);
    expect(run(prog(call(7), exit()), { seed: 2 }).r0).not.toBe(0x42021n);
  });
  it("get_smp_processor_id is 0", () => expect(r0Of(prog(mov(0, 9), call(8), exit()))).toBe(0n));
});

describe("argument-passing test helpers", () => {
  const rotl = (x: bigint, n: bigint) => BigInt.asUintN(64, (x << n) | (x >> (64n - n)));
  const a = [0x0123456789abcdefn, 0xfedcba9876543210n, 0x8000000000000001n, 0x00000000ffffffffn, 0xdeadbeefcafef00dn];
  const setArgs = a.flatMap((v, i) => lddw(i + 1, v));
  it("test_mix5 returns a1 ^ rotl(a2,7) ^ rotl(a3,19) ^ rotl(a4,31) ^ rotl(a5,47)", () => {
    const want = a[0] ^ rotl(a[1], 7n) ^ rotl(a[2], 19n) ^ rotl(a[3], 31n) ^ rotl(a[4], 47n);
    expect(r0Of(prog(setArgs, call(0x1000), exit()))).toBe(want);
  });
  it("test_mixed_proto logs u32 arguments truncated and u64 ones whole", () => {
    const res = run(prog(setArgs, call(0x1001), exit()));
    expect(res.helperCalls[0].args).toEqual([0x89abcdefn, a[1], 0x00000001n, a[3], 0xcafef00dn]);
  });
  it("test_mixed_proto's result ignores the upper halves of its u32 arguments", () => {
    const other = [a[0] ^ 0xffff000000000000n, a[1], a[2] & 0xffffffffn, a[3], a[4] | 0xffffffff00000000n];
    const r1 = r0Of(prog(setArgs, call(0x1001), exit()));
    const r2 = r0Of(prog(other.flatMap((v, i) => lddw(i + 1, v)), call(0x1001), exit()));
    expect(r2).toBe(r1);
    const r3 = r0Of(prog(a.flatMap((v, i) => lddw(i + 1, i === 1 ? v ^ (1n << 63n) : v)), call(0x1001), exit()));
    expect(r3).not.toBe(r1);
  });
  it("test_ret32 returns (u32)(a1 + 1) with a zero upper half", () => {
    expect(r0Of(prog(lddw(1, 0x12345678ffffffffn), call(0x1002), exit()))).toBe(0n);
    expect(r0Of(prog(lddw(1, 0xffffffff00000041n), call(0x1002), exit()))).toBe(0x42n);
  });
  it("the log holds only the prototype's arguments (ktime: none)", () => {
    const res = run(prog(mov(1, 1), mov(2, 2), call(5), exit()));
    expect(res.helperCalls[0]).toEqual({ id: 5, name: "ktime_get_ns", args: [], ret: 1_000_000_000n });
  });
  it("ptr arguments are logged at the address width (32-bit layouts mask them)", () => {
    const res = run(prog(lddw(1, 0xffffffff00000000n | BigInt(LE32.mapBase)), movr(2, 10), alu64("add", 2, -4), st(4, 10, -4, 0), call(1), exit()), {
      maps, layout: LE32,
    });
    expect(res.kind).toBe("exit");
    expect(res.helperCalls[0].args[0]).toBe(BigInt(LE32.mapBase));
  });
});

describe("trace_printk", () => {
  /** Write a NUL-terminated string to the stack at r10-32 and call trace_printk with 3 args. */
  function printk(fmt: string, a1: bigint, a2 = 0n, a3 = 0n) {
    const bytes = [...Buffer.from(fmt + "\0", "latin1")];
    const stores = bytes.map((b, i) => st(1, 10, -32 + i, b));
    return run(prog(stores, movr(1, 10), alu64("add", 1, -32), mov(2, bytes.length), lddw(3, a1), lddw(4, a2), lddw(5, a3), call(6), exit()));
  }
  it("formats %d %u %x with 32-bit values and %lld %llu %llx with 64-bit ones", () => {
    const res = printk("%d %u %x", 0xffffffffn, 0x1ffffffffn, 0xabcdef0123n);
    expect(res.trace).toEqual(["-1 4294967295 cdef0123"]);
    expect(res.r0).toBe(BigInt("-1 4294967295 cdef0123".length));
    expect(printk("%lld %llu %llx", 0xffffffffffffffffn, 0xffffffffffffffffn, 0x123456789n).trace).toEqual([
      "-1 18446744073709551615 123456789",
    ]);
  });
  it("formats %c, %% and %s (a guest string)", () => {
    const res = printk("%c%%%s", 0x41n, 0n + BigInt(LE64.stackTop - 32));
    expect(res.trace).toEqual(["A%%c%%%s"]);
  });
  it("an unknown conversion returns -EINVAL and logs nothing", () => {
    const res = printk("%p", 0n);
    expect(res.r0).toBe(neg(22));
    expect(res.trace).toEqual([]);
  });
  it("more than three conversions return -EINVAL", () => expect(printk("%d%d%d%d", 1n).r0).toBe(neg(22)));
  it("fmt_size bounds the format even without a NUL", () => {
    const res = run(prog(st(4, 10, -8, 0x64636261), movr(1, 10), alu64("add", 1, -8), mov(2, 2), call(6), exit()));
    expect(res.trace).toEqual(["ab"]);
  });
});

describe("registry", () => {
  it("every prototype except tail_call has an implementation", () => {
    for (const p of HELPER_PROTOS) expect(isCallableHelper(p.id)).toBe(true);
  });
  it("callHelper works on any GuestMemory and rejects tail_call and unknown ids", () => {
    const mem = new RegionMemory(planRegions(LE64, 0, maps), true);
    const state = createMapState(LE64, maps, mem);
    const env = createHelperEnv(mem, state, 0);
    expect(callHelper(5, [], env)).toBe(1_000_000_000n);
    expect(() => callHelper(12, [0n, 0n, 0n], env)).toThrow(HelperFault);
    expect(() => callHelper(4242, [], env)).toThrow(HelperFault);
    expect(env.log.length).toBe(1);
  });
  it("the same call sequence on two environments gives identical logs and memory", () => {
    const mk = () => {
      const mem = new RegionMemory(planRegions(BE64, 0, maps), false);
      return { mem, env: createHelperEnv(mem, createMapState(BE64, maps, mem), 7) };
    };
    const x = mk(), y = mk();
    const stackKey = BE64.stackTop - 8;
    for (const s of [x, y]) {
      s.mem.write(stackKey, Uint8Array.from([0, 0, 0, 1, 9, 9, 9, 9]));
      callHelper(2, [BigInt(pl[1].objectAddr), BigInt(stackKey), BigInt(stackKey), 0n], s.env);
      callHelper(7, [], s.env);
      callHelper(1, [BigInt(pl[1].objectAddr), BigInt(stackKey)], s.env);
    }
    expect(x.env.log).toEqual(y.env.log);
    expect(x.mem.region("map:h")!.bytes).toEqual(y.mem.region("map:h")!.bytes);
  });
});


