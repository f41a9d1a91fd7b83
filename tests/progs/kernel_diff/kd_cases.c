/*
 * kd_cases.c - the case table of progs.kernel (kd_case.h): which program runs on which packet with
 * which maps filled. Each row says what it is written to provoke; the kernel says what comes out.
 */
#include "kd_case.h"

#include <linux/bpf.h>

#define XDP_ABORTED 0
#define XDP_DROP 1
#define XDP_PASS 2
#define XDP_TX 3

const struct kd_case kd_cases[] = {
    /* ---- array, percpu_array, bpf_loop, bpf_for_each_map_elem (kd_array.bpf.c) ---- */
    { "array/update_lookup", "kd_array", "kd_array",
      KD_PKT(KD_CMD(KD_UPDATE, 0, KD_ANY, 0, 1, 50), KD_CMD(KD_LOOKUP, 0, 0, 0, 1, 0),
             KD_CMD(KD_ADD, 0, 0, 0, 1, 7), KD_CMD(KD_LOOKUP, 0, 0, 0, 7, 0)),
      1, XDP_PASS, { { 0 } } },
};

const size_t kd_case_count = sizeof kd_cases / sizeof kd_cases[0];
