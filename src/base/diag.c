/*
 * diag.c - the error-reporting convention of the library: a caller-owned ebpf_diag gets one line of
 * text and the instruction index; free-form messages go to the log callback, never to stdout.
 */
#include "base/diag.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static ebpf_log_fn log_fn;
static void *log_user;

void ebpf_set_log_callback(ebpf_log_fn fn, void *user)
{
    log_fn = fn;
    log_user = user;
}

void diag_clear(ebpf_diag *diag)
{
    if (!diag)
        return;
    diag->message[0] = '\0';
    diag->insn = -1;
    diag->line[0] = '\0';
}

static int diag_vfail(ebpf_diag *diag, int err, int64_t insn, const char *fmt, va_list ap)
{
    if (diag) {
        vsnprintf(diag->message, sizeof diag->message, fmt, ap);
        diag->insn = insn;
        diag->line[0] = '\0';
    }
    return err;
}

int diag_fail(ebpf_diag *diag, int64_t insn, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = diag_vfail(diag, -EINVAL, insn, fmt, ap);
    va_end(ap);
    return rc;
}

int diag_fail_errno(ebpf_diag *diag, int err, int64_t insn, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = diag_vfail(diag, err, insn, fmt, ap);
    va_end(ap);
    return rc;
}

void base_log(enum ebpf_log_level level, const char *fmt, ...)
{
    if (!log_fn)
        return;
    char text[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    log_fn(level, text, log_user);
}
