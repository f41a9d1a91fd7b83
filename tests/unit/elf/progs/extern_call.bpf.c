/* extern_call.bpf.c - a call to a function the object does not define: listed, refused by
 * elf_program_check until resolved by name (elf_object_resolve_externs). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

extern long bpf_ktime_get_ns_ext(void);

SEC("generic/my_hook")
int calls_extern(void *ctx)
{
    return (int)bpf_ktime_get_ns_ext();
}

char _license[] SEC("license") = "GPL";
