/*
 * diff_kernel.h - the Linux kernel as the differential test's oracle: loads a generated program with
 * bpf(BPF_PROG_LOAD) and runs it with bpf(BPF_PROG_TEST_RUN). Test-only; never part of the product.
 *
 * The kernel reports a 32-bit return value, so the program is wrapped (see diff_kernel.c) to return
 * the low or the high half of r0 depending on the length of the test packet; two runs of one loaded
 * program give all 64 bits.
 */
#ifndef EBPF_DIFF_KERNEL_H
#define EBPF_DIFF_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diff_prog.h"

typedef struct diff_kernel {
    unsigned low_parity;   /* skb->len parity (0/1) of the run that must return the low half */
    char *log;             /* verifier log buffer, for refusals */
    size_t log_size;
    uint64_t loads;        /* counters for the summary */
    uint64_t runs;
} diff_kernel;

/* Checks that bpf() can load and test-run a socket filter here. Returns 0, or -1 with `reason` saying
 * why not (permission, no such syscall, feature missing). */
int diff_kernel_open(diff_kernel *k, char *reason, size_t reason_size);
void diff_kernel_close(diff_kernel *k);

/* True when the kernel accepts the ISA v4 instructions the generator can emit. */
bool diff_kernel_has_v4(diff_kernel *k);

typedef enum diff_kernel_status {
    DIFF_KERNEL_OK = 0,
    DIFF_KERNEL_REFUSED,   /* the verifier said no: k->log holds the tail of its log */
    DIFF_KERNEL_ERROR,     /* any other syscall failure: k->log holds the reason */
} diff_kernel_status;

/* Loads the wrapped program, runs it twice and closes it. On OK, *r0 is the full 64-bit result. */
diff_kernel_status diff_kernel_run(diff_kernel *k, const diff_prog *prog, uint64_t *r0);

#endif
