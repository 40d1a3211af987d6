/* Global variables in .data, .bss and .rodata: each becomes a one-entry array map (as libbpf's
 * internal maps) and every access an LD_IMM64 src=2 (map value + offset). */
#include "bpf_defs.h"

__u64 counter = 5;
__u32 hits;
__u32 misses = 0x100;
const __u32 table[8] = { 11, 22, 33, 44, 55, 66, 77, 88 };

SEC("socket")
__u64 globals(__u32 *in)
{
	counter += in[0];
	hits++;
	if (in[1] > 7)
		misses++;
	return counter * 100 + table[in[1] & 7] + hits + ((__u64)misses << 32);
}

char _license[] SEC("license") = "GPL";
