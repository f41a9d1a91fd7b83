/*
 * interp_checked.c - the checked mode: interp_run.inc instantiated with a bounds check on every load,
 * store and atomic (live stack frames and the request's regions only), an instruction budget, and the
 * request's helper_check asked before every helper call (the runtime checks the arguments there).
 * Whatever validated bytecode it runs, it never touches memory outside those regions. Optionally
 * (exec_request.check_uninit, off by default) it also stops at reads of undefined registers and of
 * stack bytes the run never wrote (interp_uninit.c), for testing verifiers.
 */
#include "exec/interp/interp_int.h"

INTERP_ALIGN_HANDLERS

#define INTERP_RUN interp_exec_checked
#define INTERP_CHECKED 1
#define INTERP_OPS checked
#include "exec/interp/interp_run.inc"

const interp_handler *interp_checked_handlers(void)
{
    return interp_exec_checked(NULL, NULL, NULL);
}

void interp_run_checked(const interp_code *code, const exec_request *req, exec_outcome *out)
{
    interp_exec_checked(code, req, out);
}
