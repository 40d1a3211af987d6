/* Tail call (helper 12) through a BTF-defined prog_array whose slot 2 is initialised to a program of
 * this object (libbpf's `.values` syntax: an R_BPF_64_ABS64 relocation in .rel.maps). Empty slots and
 * out-of-range indexes fall through to the code after the call. */
#include "bpf_defs.h"

SEC("tc")
__u64 tail_target(__u32 *in)
{
	return 0x7a11 + in[1];
}

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
	__array(values, __u64(__u32 *));
} jmp_table SEC(".maps") = {
	.values = { [2] = &tail_target },
};

SEC("tc")
__u64 tail_entry(__u32 *in)
{
	bpf_tail_call(in, &jmp_table, in[0]);
	return 0xfa11;
}

char _license[] SEC("license") = "GPL";
