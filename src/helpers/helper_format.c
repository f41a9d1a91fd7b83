/*
 * helper_format.c - Linux's bpf_bprintf: the formatter behind bpf_trace_printk, bpf_trace_vprintk and
 * bpf_snprintf, in two passes as Linux does it.
 *
 * Pass 1 (stage, Linux's bpf_bprintf_prepare) checks the whole format before anything is written:
 *   - the format ends with a NUL within fmt_size; every character is printable ASCII or white space;
 *   - a conversion is %[flags][width]conv with flags from "0+- ", width [1-9][0-9]*, no precision,
 *     and conv one of d i u x X with up to two 'l' (int, long, long long), c, s (followed by NUL,
 *     space or punctuation), p (followed by NUL, space or punctuation), pK px ps pS pB, pks pus,
 *     pI4 pi4 pI6 pi6; "%%" is a literal '%';
 *   - at most num_args conversions.
 * It stages the arguments in a 512-byte area laid out like Linux's binary argument buffer: numbers
 * and plain pointers 4-byte aligned (4 or 8 bytes), %c one byte, %s / %pks / %pus the string itself
 * (copied through helper_copy_string: truncated to the room left, "" when unreadable), %pI4 ... and
 * %pB pre-formatted text. Running out of room is -ENOSPC.
 *
 * Pass 2 (print, Linux's bstr_printf) formats from the staged area into the output with vsnprintf's
 * rules: width and flags for numbers, %c and %s; pre-formatted texts copied without padding, and
 * alphanumeric characters right after a %p conversion skipped, as bstr_printf does. The length
 * returned counts everything that would have been written.
 *
 * Not like Linux, by necessity: %p and %pK print the raw value (Linux hashes it per boot), and
 * %ps/%pS/%pB print "0x<hex>" (Linux's text for an address with no kernel symbol).
 */
#include "helpers/helper_format.h"

#include <string.h>

/* Stages text like snprintf into the room left: truncated, NUL-terminated, the position moving by
 * the full length + 1. */
static void fmt_stage_text(fmt_area *a, const char *text, size_t len)
{
    size_t room = fmt_room(a);
    if (room) {
        size_t copy = len < room - 1 ? len : room - 1;
        memcpy(a->b + a->pos, text, copy);
        a->b[a->pos + copy] = '\0';
    }
    a->pos += len + 1;
}

/* Linux's %pI4 ("1.2.3.4"), %pi4 ("001.002.003.004"), %pI6 (8 groups of 4 hex digits with colons)
 * and %pi6 (32 hex digits). */
static size_t fmt_ip(char *out, const unsigned char *ip, char conv, unsigned version)
{
    size_t len = 0;
    if (version == 4) {
        for (int i = 0; i < 4; i++) {
            unsigned v = ip[i];
            if (i)
                out[len++] = '.';
            if (conv == 'i' || v >= 100)
                out[len++] = (char)('0' + v / 100);
            if (conv == 'i' || v >= 10)
                out[len++] = (char)('0' + v / 10 % 10);
            out[len++] = (char)('0' + v % 10);
        }
        return len;
    }
    for (int i = 0; i < 16; i++) {
        if (conv == 'I' && i && !(i & 1))
            out[len++] = ':';
        out[len++] = "0123456789abcdef"[ip[i] >> 4];
        out[len++] = "0123456789abcdef"[ip[i] & 15];
    }
    return len;
}

static long fmt_stage(const helper_run *run, fmt_area *a, const fmt_spec *s, uint64_t arg)
{
    const void *ptr = (const void *)(uintptr_t)arg;
    char text[48];
    switch (s->kind) {
    case FMT_STR:
    case FMT_PRE_STR: {
        size_t room = fmt_room(a);
        if (!room)
            return -HELPER_ENOSPC;
        long n = helper_copy_string(run, (char *)a->b + a->pos, ptr, room);
        if (n < 0) {
            a->b[a->pos] = '\0';
            n = 1;
        }
        a->pos += (size_t)n;
        return 0;
    }
    case FMT_CHAR:
        if (!fmt_room(a))
            return -HELPER_ENOSPC;
        a->b[a->pos++] = (unsigned char)arg;
        return 0;
    case FMT_PRE_IP: {
        unsigned char ip[16];
        size_t bytes = s->size == 4 ? 4 : 16;
        if (fmt_room(a) < bytes)
            return -HELPER_ENOSPC;
        helper_copy_bytes(run, ip, ptr, bytes);
        fmt_stage_text(a, text, fmt_ip(text, ip, s->conv, s->size));
        return 0;
    }
    case FMT_PRE_SYM:
        fmt_stage_text(a, text, helper_fmt_hex(text, arg));
        return 0;
    case FMT_INT:
    case FMT_PTR: {
        size_t size = s->kind == FMT_PTR ? 8 : s->size;
        uint32_t word = (uint32_t)arg;
        a->pos = fmt_align4(a->pos);
        if (fmt_room(a) < size)
            return -HELPER_ENOSPC;
        if (size == 8)
            memcpy(a->b + a->pos, &arg, 8);
        else
            memcpy(a->b + a->pos, &word, 4);
        a->pos += size;
        return 0;
    }
    }
    return -HELPER_EINVAL;
}

long helper_bprintf(const helper_run *run, char *out, size_t out_size, const char *fmt,
                    size_t fmt_size, const uint64_t *args, uint32_t num_args)
{
    size_t len = 0;
    while (len < fmt_size && fmt[len])
        len++;
    if (len == fmt_size)
        return -HELPER_EINVAL;

    fmt_area area;
    memset(&area, 0, sizeof area);
    uint32_t used = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)fmt[i];
        if (c >= 0x80 || (!(c >= ' ' && c < 0x7f) && !fmt_isspace(c)))
            return -HELPER_EINVAL;
        if (c != '%')
            continue;
        if (fmt[i + 1] == '%') {
            i++;
            continue;
        }
        if (used >= num_args)
            return -HELPER_EINVAL;
        fmt_spec s;
        int rc = helper_fmt_parse(fmt, i, &s);
        if (rc < 0)
            return rc;
        long err = fmt_stage(run, &area, &s, args[used++]);
        if (err < 0)
            return err;
        i = s.next - 1;
    }

    return (long)helper_fmt_print(out, out_size, fmt, &area);
}
