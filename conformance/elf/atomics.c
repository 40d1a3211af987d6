/* The cpu v3 atomics on global variables: fetch-and-add/or/xor/and (W and DW), plain add/and (no
 * fetch: the result is unused), exchange and compare-and-exchange (succeeding and failing). */
#include "bpf_defs.h"

__u64 acc64 = 100;
__u32 acc32 = 7;

SEC("socket")
__u64 atomics(__u32 *in)
{
	__u64 a = in[0];
	__u32 b = in[1];
	__u64 old1 = __sync_fetch_and_add(&acc64, a);
	__sync_fetch_and_add(&acc32, 3);
	__u32 old2 = __sync_fetch_and_or(&acc32, b);
	__u64 old3 = __sync_fetch_and_xor(&acc64, 0xff);
	__sync_fetch_and_and(&acc32, ~1u);
	__u64 old4 = __sync_fetch_and_and(&acc64, ~3ull);
	__u64 old5 = __sync_lock_test_and_set(&acc64, 1234);
	__u64 old6 = __sync_val_compare_and_swap(&acc64, 1234, 99);
	__u64 old7 = __sync_val_compare_and_swap(&acc64, 1234, 55);
	__u32 old8 = __sync_val_compare_and_swap(&acc32, b, 5);
	return acc64 + old1 + old2 + old3 + old4 + old5 + old6 + old7 + old8 + ((__u64)acc32 << 32);
}

char _license[] SEC("license") = "GPL";
