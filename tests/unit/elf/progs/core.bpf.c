/* core.bpf.c - CO-RE field accesses (__builtin_preserve_access_index): on a type of its own the loader
 * keeps the relocation and refuses the program, naming it; on a UAPI context struct (a local flavour
 * of __sk_buff whose fields are in another order) the relocation is applied (offset 0 becomes 4) and
 * the program loads; a program without CO-RE beside them loads. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct task_like {
    int pid;
    int tgid;
    char comm[16];
} __attribute__((preserve_access_index));

SEC("kprobe/do_exit")
int uses_core(struct task_like *task)
{
    return task->tgid;
}

struct __sk_buff___local { /* pkt_type first: at 0 here, at 4 in the UAPI struct */
    __u32 pkt_type;
    __u32 len;
} __attribute__((preserve_access_index));

SEC("socket")
int uapi_core(struct __sk_buff *skb)
{
    return ((struct __sk_buff___local *)skb)->pkt_type;
}

SEC("kprobe/do_fork")
int plain(void *ctx)
{
    return 0;
}

char _license[] SEC("license") = "GPL";
