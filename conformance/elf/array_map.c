/* Legacy `maps` section (struct bpf_map_def) with two array maps; lookup (helper 1) and update
 * (helper 2), an out-of-range key whose lookup must return NULL. */
#include "bpf_defs.h"

struct bpf_map_def SEC("maps") counters = {
	.type = BPF_MAP_TYPE_ARRAY,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u64),
	.max_entries = 4,
};

struct bpf_map_def SEC("maps") scratch = {
	.type = BPF_MAP_TYPE_ARRAY,
	.key_size = sizeof(__u32),
	.value_size = 16,
	.max_entries = 1,
};

SEC("xdp")
__u64 array_update(__u32 *in)
{
	__u32 key = in[0] & 3;
	__u64 *v = bpf_map_lookup_elem(&counters, &key);
	if (!v)
		return 1001;
	*v += in[1];
	__u64 nv = *v * 2;
	__u32 k2 = (key + 1) & 3;
	if (bpf_map_update_elem(&counters, &k2, &nv, 0))
		return 1002;
	__u64 *w = bpf_map_lookup_elem(&counters, &k2);
	if (!w)
		return 1003;
	__u32 bad = key + 4;
	if (bpf_map_lookup_elem(&counters, &bad))
		return 1004;
	__u32 zero = 0;
	__u64 *s = bpf_map_lookup_elem(&scratch, &zero);
	if (!s)
		return 1005;
	s[1] = *w + *v;
	return s[0] + s[1];
}

char _license[] SEC("license") = "GPL";
