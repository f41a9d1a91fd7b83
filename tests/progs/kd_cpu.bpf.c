/* kd_cpu.bpf.c - the kernel-differential runner's probe: returns bpf_get_smp_processor_id(), which
 * tells the runner which per-CPU slot each side's runs use. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int kd_cpu(struct xdp_md *ctx)
{
    return (int)bpf_get_smp_processor_id();
}

char LICENSE[] SEC("license") = "GPL";
