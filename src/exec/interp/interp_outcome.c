/*
 * interp_outcome.c - filling exec_outcome when a run ends: normally at exit, or early with a status,
 * the instruction index and one human sentence. Shared by both modes and kept off the hot path.
 */
#include "exec/interp/interp_int.h"
#include "exec/interp/interp_mem.h"

#include <stdarg.h>
#include <stdio.h>

void interp_finish(exec_outcome *out, uint64_t r0)
{
    out->r0 = r0;
    out->status = EBPF_RUN_OK;
    out->fault_pc = -1;
    out->message[0] = '\0';
}

void interp_stop(exec_outcome *out, enum ebpf_run_status status, int64_t pc, const char *fmt, ...)
{
    out->r0 = 0;
    out->status = status;
    out->fault_pc = pc;
    int n = snprintf(out->message, sizeof out->message, "instruction %lld: ", (long long)pc);
    if (n < 0 || (size_t)n >= sizeof out->message)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out->message + n, sizeof out->message - (size_t)n, fmt, ap);
    va_end(ap);
}

void interp_stop_access(exec_outcome *out, int64_t pc, uint64_t addr, unsigned size, interp_access kind,
                        int why)
{
    static const char *const kinds[] = { [INTERP_LOAD] = "load", [INTERP_STORE] = "store",
                                         [INTERP_ATOMIC] = "atomic operation" };
    if (why == INTERP_MEM_READONLY)
        interp_stop(out, EBPF_RUN_OUT_OF_BOUNDS, pc, "%u-byte %s at 0x%llx is in a read-only region", size,
                    kinds[kind], (unsigned long long)addr);
    else
        interp_stop(out, EBPF_RUN_OUT_OF_BOUNDS, pc, "%u-byte %s at 0x%llx is outside every accessible region",
                    size, kinds[kind], (unsigned long long)addr);
}

bool interp_helper_refused(const exec_request *req, const struct ebpf_helper *h, const uint64_t *args, int64_t pc,
                           exec_outcome *out)
{
    char why[sizeof out->message];
    why[0] = '\0';
    enum ebpf_run_status status = req->helper_check(req->region_user, h, args, why, sizeof why);
    if (status == EBPF_RUN_OK)
        return false;
    interp_stop(out, status, pc, "%s", why);
    return true;
}
