/* File-local (static) globals and a string literal: clang relocates these against the SECTION symbol and
 * leaves the byte offset in the LD_IMM64 imm (libbpf adds it to the symbol value), unlike the named
 * globals of globals.c. Also a libbpf-style read-only configuration value (const volatile → .rodata)
 * and a format string in the mergeable string section .rodata.str1.1 passed to trace_printk (helper 6). */
#include "bpf_defs.h"

static long (*bpf_trace_printk)(const char *fmt, __u32 fmt_size, ...) = (void *)6;

static __u64 calls_seen;
static __u32 bias = 1000;
static __u32 weights[4] = { 3, 5, 7, 11 };
const volatile __u32 scale = 3;

SEC("socket")
__u64 static_data(__u32 *in)
{
	__u32 i = in[0] & 3, j = (in[0] + 1) & 3;
	__u32 w = weights[i];
	calls_seen += 1;
	bias += in[1];
	weights[j] += w * scale;
	bpf_trace_printk("w=%u\n", sizeof("w=%u\n"), w);
	return (__u64)bias * 100000 + w * 100 + weights[j] + calls_seen;
}

char _license[] SEC("license") = "GPL";
