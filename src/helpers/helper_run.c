/*
 * helper_run.c - the calling thread's current helper_run: a thread-local pointer with a chain of
 * outer runs, so that a program run started from inside another (a hook calling a program from a
 * helper callback) restores the outer run when it ends.
 */
#include "helpers/helper_run.h"

#include <string.h>

static _Thread_local helper_run *helper_current;

void helper_run_init(helper_run *run, uint32_t prog_type, void *ctx)
{
    memset(run, 0, sizeof *run);
    run->prog_type = prog_type;
    run->ctx = ctx;
}

void helper_run_reset(helper_run *run)
{
    memset(&run->redirect, 0, sizeof run->redirect);
    run->tail_call_cnt = 0;
    run->tail_call_target = NULL;
    run->callback_abort = false;
}

void helper_run_enter(helper_run *run)
{
    run->outer = helper_current;
    helper_current = run;
}

void helper_run_exit(void)
{
    helper_run *run = helper_current;
    if (run) {
        helper_current = run->outer;
        run->outer = NULL;
    }
}

helper_run *helper_run_current(void)
{
    return helper_current;
}
