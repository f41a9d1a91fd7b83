/*
 * diag.h - filling a caller-owned ebpf_diag and reporting through the log callback.
 * Every module that can refuse input reports the reason here, once, with the instruction index.
 */
#ifndef EBPF_BASE_DIAG_H
#define EBPF_BASE_DIAG_H

#include <stdarg.h>
#include <stdint.h>
#include "ebpf/ebpf.h"

typedef struct ebpf_diag ebpf_diag;

#if defined(__MINGW32__)
#define BASE_PRINTF(a, b) __attribute__((format(gnu_printf, a, b))) /* with __USE_MINGW_ANSI_STDIO */
#elif defined(__GNUC__)
#define BASE_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define BASE_PRINTF(a, b)
#endif

/* Resets diag (if not NULL) to "no error". */
void diag_clear(ebpf_diag *diag);

/* Writes a formatted message and the instruction index (-1: none) into diag, if not NULL.
 * Returns -EINVAL so that callers can `return diag_fail(...)`. */
int diag_fail(ebpf_diag *diag, int64_t insn, const char *fmt, ...) BASE_PRINTF(3, 4);

/* The same with a chosen negative errno. */
int diag_fail_errno(ebpf_diag *diag, int err, int64_t insn, const char *fmt, ...) BASE_PRINTF(4, 5);

/* Sends a message to the process-wide log callback, if one is set. */
void base_log(enum ebpf_log_level level, const char *fmt, ...) BASE_PRINTF(2, 3);

#endif
