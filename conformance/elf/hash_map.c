/* BTF-defined hash map (`.maps` section, __uint/__type members) used from a .text subprogram: map
 * relocations inside a subprogram, lookup/update/delete (helpers 1, 2, 3). */
#include "bpf_defs.h"

struct pair {
	__u64 count;
	__u64 sum;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, struct pair);
} flows SEC(".maps");

static __noinline long bump(__u32 key)
{
	struct pair *p = bpf_map_lookup_elem(&flows, &key);
	if (p) {
		p->count++;
		p->sum += key;
		return 0;
	}
	struct pair init = { 1, key };
	return bpf_map_update_elem(&flows, &key, &init, 0);
}

SEC("tc")
__u64 hash_count(__u32 *in)
{
	if (bump(in[0]) || bump(in[1]) || bump(in[2]))
		return 1;
	__u32 k0 = in[0], k1 = in[1];
	struct pair *p = bpf_map_lookup_elem(&flows, &k0);
	if (!p)
		return 2;
	__u64 r = p->count * 1000 + p->sum;
	if (bpf_map_delete_elem(&flows, &k1))
		return 3;
	if (bpf_map_lookup_elem(&flows, &k1))
		r += 100000;
	return r;
}

char _license[] SEC("license") = "GPL";
