/* Straight-line arithmetic on three u32 inputs read from the context: 64-bit multiply, shifts,
 * 32-bit unsigned divide and modulo. No maps, no calls: the smallest realistic object. */
#include "bpf_defs.h"

struct in {
	__u32 a;
	__u32 b;
	__u32 c;
};

SEC("classifier")
__u64 arith(struct in *in)
{
	__u32 a = in->a, b = in->b;
	__u64 x = (__u64)a * 0x9e3779b1u + b;
	x ^= x >> 29;
	__u32 q = a / (b | 1);
	__u32 r = in->c % 1000;
	return x ^ q ^ ((__u64)r << 40);
}

char _license[] SEC("license") = "GPL";
