/* core.bpf.c - a CO-RE field access (__builtin_preserve_access_index): the loader keeps the
 * relocation and refuses the program, naming it; a program without CO-RE beside it loads. */
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

SEC("kprobe/do_fork")
int plain(void *ctx)
{
    return 0;
}

char _license[] SEC("license") = "GPL";
