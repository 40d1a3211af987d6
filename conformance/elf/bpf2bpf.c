/* bpf-to-bpf calls: a static .text subprogram called twice by one program (relocated through the
 * .text section symbol), a global .text function that itself calls the static one (relocated through
 * its own symbol, and pulling a nested subprogram along), and a second program sharing the subprogram. */
#include "bpf_defs.h"

static __noinline __u64 mix(__u64 a, __u64 b)
{
	return (a << 5) + (a >> 3) + b * 7;
}

__noinline __u64 square_mix(__u64 x)
{
	return mix(x, x) * x + 1;
}

SEC("socket")
__u64 calls(__u32 *in)
{
	__u64 s = mix(in[0], in[1]);
	s = mix(s, in[2]);
	return s ^ square_mix(in[0]);
}

SEC("socket")
__u64 calls_again(__u32 *in)
{
	return mix(in[2], 3) + in[1];
}

char _license[] SEC("license") = "GPL";
