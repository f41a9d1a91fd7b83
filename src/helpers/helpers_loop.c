/*
 * helpers_loop.c - bpf_loop: calls a program sub-function up to nr_loops times through the runtime's
 * callback trampoline (helper_run.call_callback), with Linux's limits and return values.
 */
#include "helpers/helpers_int.h"

#define HELPER_MAX_LOOPS (1u << 23) /* BPF_MAX_LOOPS */

/* long bpf_loop(u32 nr_loops, void *callback_fn, void *callback_ctx, u64 flags): callback_fn(index,
 * callback_ctx) for index 0, 1, ... until it returns non-zero (0 goes on, 1 stops). Returns the
 * number of calls made; -EINVAL for flags != 0, -E2BIG above BPF_MAX_LOOPS. -EOPNOTSUPP: the runtime
 * gave no callback trampoline (not a Linux case). */
HELPER_FN(loop)
{
    uint32_t nr_loops = (uint32_t)r1;
    if (r4)
        return HELPER_ERR(HELPER_EINVAL);
    if (nr_loops > HELPER_MAX_LOOPS)
        return HELPER_ERR(HELPER_E2BIG);
    if (nr_loops == 0)
        return 0;
    helper_run *run = helper_run_current();
    if (!run || !run->call_callback)
        return HELPER_ERR(HELPER_EOPNOTSUPP);
    for (uint32_t i = 0; i < nr_loops; i++) {
        uint64_t r0 = run->call_callback(run, r2, i, r3, 0, 0, 0);
        if (r0 || run->callback_abort)
            return (uint64_t)i + 1;
    }
    return nr_loops;
}
