/* globals.bpf.c - global variables in .data, .rodata, .bss and a named .data.* section, reached
 * through lddw map-value relocations with offsets. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

__u64 hits = 5;                                     /* .data, offset 0 */
__u32 seen[4] = {1, 2, 3, 4};                       /* .data, offset 8 */
volatile const __u32 limit = 100;                   /* .rodata */
volatile const __u32 table[3] = {10, 20, 30};       /* .rodata */
__u64 drops;                                        /* .bss */
__u32 scratch[8];                                   /* .bss */
__u32 tuned SEC(".data.tuning") = 42;               /* .data.tuning */

SEC("tc")
int use_globals(struct __sk_buff *skb)
{
    hits++;
    seen[2] += 1;
    scratch[5] = skb->len;
    if (skb->len > limit + table[1] + tuned) {
        drops++;
        return 2;
    }
    return 0;
}

char _license[] SEC("license") = "GPL";
