/*
 * helpers_trace.c - bpf_trace_printk, bpf_trace_vprintk and bpf_snprintf over the bpf_bprintf
 * formatter (helper_format.c): argument checks and return values as Linux has them. Trace output
 * (at most 511 characters per call, formatted as Linux formats it) goes to the run's trace callback,
 * or without one to the library log callback at level INFO.
 */
#include "helpers/helpers_int.h"

#include "base/diag.h"

static void helper_trace_emit(const helper_run *run, const char *text, size_t len)
{
    if (run && run->trace)
        run->trace(run->trace_user, text, len);
    else
        base_log(EBPF_LOG_INFO, "%s", text);
}

/* Formats into the 512-byte trace buffer and emits the result; returns the untruncated length. */
static uint64_t helper_trace_format(const char *fmt, size_t fmt_size, const uint64_t *args,
                                    uint32_t num_args)
{
    const helper_run *run = helper_run_current();
    char out[HELPER_MAX_BPRINTF_BUF];
    long len = helper_bprintf(run, out, sizeof out, fmt, fmt_size, args, num_args);
    if (len < 0)
        return (uint64_t)(int64_t)len;
    helper_trace_emit(run, out, (size_t)len < sizeof out ? (size_t)len : sizeof out - 1);
    return (uint64_t)len;
}

/* Linux's check of a bprintf argument array: whole u64 values, at most 12, present if any. */
static bool helper_data_ok(const void *data, uint32_t data_len)
{
    return data_len % 8 == 0 && data_len <= HELPER_MAX_BPRINTF_VARARGS * 8 && (data || !data_len);
}

/* long bpf_trace_printk(const char *fmt, u32 fmt_size, ...): up to three arguments. Returns the
 * length of the formatted text, -EINVAL for a bad format, -ENOSPC when the strings overflow. */
HELPER_FN(trace_printk)
{
    const uint64_t args[HELPER_MAX_TRACE_PRINTK_VARARGS] = { r3, r4, r5 };
    return helper_trace_format(HELPER_PTR(r1), (uint32_t)r2, args, HELPER_MAX_TRACE_PRINTK_VARARGS);
}

/* long bpf_trace_vprintk(const char *fmt, u32 fmt_size, const void *data, u32 data_len): the
 * arguments in an array of u64. */
HELPER_FN(trace_vprintk)
{
    const void *data = HELPER_PTR(r3);
    uint32_t data_len = (uint32_t)r4;
    if (!helper_data_ok(data, data_len))
        return HELPER_ERR(HELPER_EINVAL);
    return helper_trace_format(HELPER_PTR(r1), (uint32_t)r2, data, data_len / 8);
}

/* long bpf_snprintf(char *str, u32 str_size, const char *fmt, u64 *data, u32 data_len): formats
 * into str (truncated, NUL-terminated unless str_size is 0) and returns the untruncated length
 * including the NUL; -EINVAL / -ENOSPC as trace_printk, nothing written then. */
HELPER_FN(snprintf)
{
    const void *data = HELPER_PTR(r4);
    uint32_t data_len = (uint32_t)r5;
    if (!helper_data_ok(data, data_len))
        return HELPER_ERR(HELPER_EINVAL);
    /* fmt is a read-only NUL-terminated string (ARG_PTR_TO_CONST_STR): no size to check against. */
    long len = helper_bprintf(helper_run_current(), HELPER_PTR(r1), (uint32_t)r2, HELPER_PTR(r3),
                              SIZE_MAX, data, data_len / 8);
    return len < 0 ? (uint64_t)(int64_t)len : (uint64_t)len + 1;
}
