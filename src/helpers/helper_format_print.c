/*
 * helper_format_print.c - pass 2 of bpf_bprintf (Linux's bstr_printf): formats a validated format
 * with the staged arguments, by vsnprintf's rules: width and the flags for numbers, %c and %s (spaces
 * for strings, zeros after the sign for numbers unless left-justified); pre-formatted texts copied
 * raw, and only while the output still has room (bstr_printf moves past them only then); the
 * alphanumerics right after a %p conversion skipped. Output is truncated to the buffer and always
 * NUL-terminated when it has any room; the length returned counts everything.
 */
#include "helpers/helper_format.h"

#include <string.h>

/* ---- output ------------------------------------------------------------------------------------ */

typedef struct fmt_sink {
    char *buf;
    size_t size;
    size_t n; /* characters produced, written or not */
} fmt_sink;

static void fmt_put(fmt_sink *o, char c)
{
    if (o->n < o->size)
        o->buf[o->n] = c;
    o->n++;
}

static void fmt_pad(fmt_sink *o, char c, long count)
{
    for (; count > 0; count--)
        fmt_put(o, c);
}

/* vsnprintf's number(): sign ('-', or '+'/' ' with those flags) only for signed conversions; zero
 * padding after the sign unless left-justified; lower- or upper-case hex. */
static void fmt_number(fmt_sink *o, uint64_t num, bool is_signed, unsigned base, bool upper,
                       unsigned flags, int width)
{
    char digits[24];
    char sign = 0;
    long field = width;
    if (flags & FMT_LEFT)
        flags &= ~FMT_ZERO;
    if (is_signed) {
        if ((int64_t)num < 0) {
            sign = '-';
            num = 0 - num;
        } else if (flags & FMT_PLUS) {
            sign = '+';
        } else if (flags & FMT_SPACE) {
            sign = ' ';
        }
        if (sign)
            field--;
    }
    const char *alphabet = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    int len = 0;
    do {
        digits[len++] = alphabet[num % base];
        num /= base;
    } while (num);
    field -= len;
    if (!(flags & (FMT_ZERO | FMT_LEFT))) {
        fmt_pad(o, ' ', field);
        field = 0;
    }
    if (sign)
        fmt_put(o, sign);
    if (!(flags & FMT_LEFT)) {
        fmt_pad(o, '0', field);
        field = 0;
    }
    while (len > 0)
        fmt_put(o, digits[--len]);
    fmt_pad(o, ' ', field); /* left-justified */
}

/* vsnprintf's string(): the text, padded with spaces to the width. */
static void fmt_text(fmt_sink *o, const char *text, size_t len, unsigned flags, int width)
{
    long pad = width > 0 && (size_t)width > len ? (long)(width - (int)len) : 0;
    if (!(flags & FMT_LEFT))
        fmt_pad(o, ' ', pad);
    for (size_t i = 0; i < len; i++)
        fmt_put(o, text[i]);
    if (flags & FMT_LEFT)
        fmt_pad(o, ' ', pad);
}

size_t helper_fmt_hex(char *out, uint64_t value)
{
    char tmp[16];
    size_t n = 0, len = 0;
    do {
        tmp[n++] = "0123456789abcdef"[value & 15];
        value >>= 4;
    } while (value);
    out[len++] = '0';
    out[len++] = 'x';
    while (n)
        out[len++] = tmp[--n];
    return len;
}

/* ---- pass 2 -------------------------------------------------------------------------------------- */

/* Reads a staged number the way bstr_printf's get_arg does (4-byte alignment for 4 and 8 bytes). */
static uint64_t fmt_get(const fmt_area *a, size_t *at, size_t size)
{
    uint64_t v = 0;
    uint32_t w = 0;
    if (size > 1)
        *at = fmt_align4(*at);
    if (*at + size <= FMT_AREA) {
        if (size == 8) {
            memcpy(&v, a->b + *at, 8);
        } else if (size == 4) {
            memcpy(&w, a->b + *at, 4);
            v = w;
        } else {
            v = a->b[*at];
        }
    }
    *at += size;
    return v;
}

static const char *fmt_get_string(const fmt_area *a, size_t at, size_t *len)
{
    if (at >= FMT_AREA) {
        *len = 0;
        return "";
    }
    const char *s = (const char *)a->b + at;
    *len = strnlen(s, FMT_AREA + 1 - at);
    return s;
}

size_t helper_fmt_print(char *out, size_t size, const char *fmt, const fmt_area *a)
{
    fmt_sink sink = { out, size, 0 }, *o = &sink;
    size_t at = 0, slen;
    const char *str;
    for (size_t i = 0; fmt[i];) {
        if (fmt[i] != '%') {
            fmt_put(o, fmt[i++]);
            continue;
        }
        if (fmt[i + 1] == '%') {
            fmt_put(o, '%');
            i += 2;
            continue;
        }
        fmt_spec s;
        helper_fmt_parse(fmt, i, &s); /* validated by pass 1 */
        i = s.next;
        switch (s.kind) {
        case FMT_INT: {
            bool is_signed = s.conv == 'd' || s.conv == 'i';
            uint64_t v = fmt_get(a, &at, s.size);
            if (s.size == 4 && is_signed)
                v = (uint64_t)(int64_t)(int32_t)v;
            fmt_number(o, v, is_signed, s.conv == 'x' || s.conv == 'X' ? 16 : 10, s.conv == 'X',
                       s.flags, s.width);
            break;
        }
        case FMT_CHAR: {
            char c = (char)fmt_get(a, &at, 1);
            fmt_text(o, &c, 1, s.flags, s.width);
            break;
        }
        case FMT_STR:
            str = fmt_get_string(a, at, &slen);
            at += slen + 1;
            fmt_text(o, str, slen, s.flags, s.width);
            break;
        case FMT_PTR: {
            uint64_t v = fmt_get(a, &at, 8);
            if (s.conv == 's' || s.conv == 'S') {
                char text[24];
                fmt_text(o, text, helper_fmt_hex(text, v), s.flags, s.width);
            } else if (s.width < 0) {
                fmt_number(o, v, false, 16, false, s.flags | FMT_ZERO, 16);
            } else {
                fmt_number(o, v, false, 16, false, s.flags, s.width);
            }
            break;
        }
        case FMT_PRE_STR:
        case FMT_PRE_IP:
        case FMT_PRE_SYM:
            /* bstr_printf copies these only while the output has room, and then moves on. */
            if (o->n < o->size) {
                str = fmt_get_string(a, at, &slen);
                for (size_t k = 0; k < slen; k++)
                    fmt_put(o, str[k]);
                at += slen + 1;
            }
            break;
        }
        if (s.pointer) /* bstr_printf skips the alphanumerics after a %p: extension and more */
            for (i = s.p_next; fmt_isalnum((unsigned char)fmt[i]); i++)
                ;
    }
    if (o->size)
        o->buf[o->n < o->size ? o->n : o->size - 1] = '\0';
    return o->n;
}
