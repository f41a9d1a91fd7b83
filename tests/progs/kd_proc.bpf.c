/* kd_proc.bpf.c - kernel-differential program for the helpers whose results depend on the task, the
 * clock and chance: each result is stored as a property (1 true, 0 false) in `props`, measured
 * against the facts the runner put into `kd_env` just before the run; task identity is also stored
 * raw in `task` (both sides run the program in the runner's own thread, so it is comparable).
 *   props: 0 ktime_get_ns != 0            1 a second ktime_get_ns >= the first
 *          2 ktime >= env.mono_before      3 ktime - env.mono_before < 10 s
 *          4 boot_ns >= env.boot_before    5 boot_ns >= ktime (boot time includes suspend)
 *          6 four get_prandom_u32 not all equal
 *          7 smp_processor_id < env.nr_cpus   8 == env.run_cpu
 *          9 map_lookup_percpu_elem(cpu) is the value map_lookup_elem gives
 *          10 pid_tgid == env.pid_tgid     11 uid_gid == env.uid_gid   12 comm == env.comm
 *          13 get_current_comm returned 0 14 get_current_comm of 4 bytes is the first 3 + NUL
 *          15 ktime_get_coarse_ns >= env.coarse_before  16 ... <= a later ktime_get_ns
 *          17 ktime_get_tai_ns >= env.tai_before        18 ... - env.tai_before < 10 s
 *          19 jiffies64 != 0, and a second read is not smaller
 *   res (as kd_prog.h): 0 trace_printk("kd %d %s\n") 1 trace_printk with 3 args and %% / %c
 *                       2 trace_printk("%n") (refused) */
#include "kd_prog.h"

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 20);
    __type(key, __u32);
    __type(value, __u64);
} props SEC(".maps");

struct task_raw {
    __u64 pid_tgid;
    __u64 uid_gid;
    char comm[16];
};

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct task_raw);
} task SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u64);
} pcpu SEC(".maps");

static __always_inline void prop(__u32 index, int value)
{
    kd_store(&props, index, value ? 1 : 0);
}

SEC("xdp")
int kd_proc(struct xdp_md *ctx)
{
    __u32 zero = 0;
    struct kd_env *env = bpf_map_lookup_elem(&kd_env, &zero);
    struct task_raw *raw = bpf_map_lookup_elem(&task, &zero);
    if (!env || !raw)
        return XDP_ABORTED;

    __u64 t1 = bpf_ktime_get_ns(), t2 = bpf_ktime_get_ns(), boot = bpf_ktime_get_boot_ns();
    prop(0, t1 != 0);
    prop(1, t2 >= t1);
    prop(2, t1 >= env->mono_before);
    prop(3, t1 - env->mono_before < 10000000000ull);
    prop(4, boot >= env->boot_before);
    prop(5, boot >= t1);

    __u32 r1 = bpf_get_prandom_u32(), r2 = bpf_get_prandom_u32(), r3 = bpf_get_prandom_u32(),
          r4 = bpf_get_prandom_u32();
    prop(6, !(r1 == r2 && r2 == r3 && r3 == r4));

    __u32 cpu = bpf_get_smp_processor_id();
    prop(7, cpu < env->nr_cpus);
    prop(8, cpu == env->run_cpu);
    prop(9, bpf_map_lookup_percpu_elem(&pcpu, &zero, cpu) == bpf_map_lookup_elem(&pcpu, &zero));

    raw->pid_tgid = bpf_get_current_pid_tgid();
    raw->uid_gid = bpf_get_current_uid_gid();
    prop(10, raw->pid_tgid == env->pid_tgid);
    prop(11, raw->uid_gid == env->uid_gid);
    char comm[16];
    long rc = bpf_get_current_comm(comm, sizeof comm);
    int same = 1;
    for (int i = 0; i < 16; i++) {
        raw->comm[i] = comm[i];
        same &= comm[i] == env->comm[i];
    }
    prop(12, same);
    prop(13, rc == 0);
    char small[4];
    bpf_get_current_comm(small, sizeof small);
    prop(14, small[0] == comm[0] && small[1] == comm[1] && small[2] == comm[2] && small[3] == 0);

    __u64 coarse = bpf_ktime_get_coarse_ns(), later = bpf_ktime_get_ns();
    prop(15, coarse >= env->coarse_before);
    prop(16, coarse <= later);
    __u64 tai = bpf_ktime_get_tai_ns();
    prop(17, tai >= env->tai_before);
    prop(18, tai - env->tai_before < 10000000000ull);
    __u64 j1 = bpf_jiffies64(), j2 = bpf_jiffies64();
    prop(19, j1 != 0 && j2 >= j1);

    char name[] = "kd";
    char fmt1[] = "kd %d %s\n";
    kd_store(&res, 0, bpf_trace_printk(fmt1, sizeof fmt1, -42, name));
    char fmt2[] = "%u%% %c %llx";
    kd_store(&res, 1, bpf_trace_printk(fmt2, sizeof fmt2, 7, 'x', 0x1234567890ull));
    char fmt3[] = "%n";
    kd_store(&res, 2, bpf_trace_printk(fmt3, sizeof fmt3, 1));
    return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
