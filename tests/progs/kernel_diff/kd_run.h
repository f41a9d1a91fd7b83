/*
 * kd_run.h - running one case on one side: the kernel (kd_kernel.c, libbpf and BPF_PROG_TEST_RUN) or
 * our runtime on one engine (kd_ours.c, ebpf_prog_test_run). Each opens and loads the object afresh,
 * applies the case's map updates, runs the packet `repeat` times and fills a snapshot.
 */
#ifndef KD_RUN_H
#define KD_RUN_H

#include <stdint.h>

#include "ebpf/ebpf.h"
#include "kd_case.h"
#include "kd_snapshot.h"

struct kd_config {
    const char *objdir;   /* where <object>.bpf.o are */
    uint32_t nr_cpus;     /* possible CPUs: per-CPU value slots on both sides */
    uint32_t kernel_cpu;  /* the CPU the runner is pinned to: where the kernel's test runs execute */
    uint32_t our_cpu;     /* the CPU slot our runtime gives the runner's thread */
};

/* Return 0 with the snapshot filled, or -1 with snap->error saying why the side could not run the
 * case. The kernel side returns the negative errno of a load that bpf() refused (-EPERM ...) so that
 * the runner can tell "no bpf() here" from a broken case. */
int kd_kernel_run(const struct kd_case *c, const struct kd_config *cfg, struct kd_snapshot *snap);
int kd_ours_run(const struct kd_case *c, const struct kd_config *cfg, enum ebpf_exec_mode mode,
                struct kd_snapshot *snap);

/* The number of possible CPUs as libbpf counts them (negative errno on failure). */
int kd_kernel_cpu_count(void);

#endif
