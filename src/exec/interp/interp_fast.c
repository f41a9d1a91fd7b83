/*
 * interp_fast.c - the fast mode: interp_run.inc instantiated without bounds checks or instruction
 * counting, on the op array whose handlers are this function's labels. Only for verified or trusted
 * programs: a wild pointer in the program is a wild pointer in the host.
 */
#include "exec/interp/interp_int.h"

INTERP_ALIGN_HANDLERS

#define INTERP_RUN interp_exec_fast
#define INTERP_CHECKED 0
#define INTERP_OPS fast
#include "exec/interp/interp_run.inc"

const interp_handler *interp_fast_handlers(void)
{
    return interp_exec_fast(NULL, NULL, NULL);
}

void interp_run_fast(const interp_code *code, const exec_request *req, exec_outcome *out)
{
    interp_exec_fast(code, req, out);
}
