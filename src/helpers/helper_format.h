/*
 * helper_format.h - private to the bpf_bprintf formatter (helper_format*.c): the parsed form of one
 * conversion, the staging area of pass 1 that pass 2 reads, and the character classes of Linux's
 * format rules. The rules themselves are described in helper_format.c.
 */
#ifndef EBPF_HELPERS_HELPER_FORMAT_H
#define EBPF_HELPERS_HELPER_FORMAT_H

#include "helpers/helpers_int.h"

#define FMT_LEFT 1u
#define FMT_ZERO 2u
#define FMT_PLUS 4u
#define FMT_SPACE 8u
#define FMT_WIDTH_MAX ((1 << 23) - 1) /* Linux FIELD_WIDTH_MAX */
#define FMT_AREA HELPER_MAX_BPRINTF_BUF

typedef enum fmt_kind {
    FMT_INT,     /* d i u x X, size 4 or 8 */
    FMT_CHAR,    /* c */
    FMT_STR,     /* s */
    FMT_PTR,     /* p, pK, px (hex), ps, pS (symbol) */
    FMT_PRE_STR, /* pks, pus: a staged string, printed raw */
    FMT_PRE_IP,  /* pI4 pi4 pI6 pi6: staged text */
    FMT_PRE_SYM, /* pB: staged text */
} fmt_kind;

typedef struct fmt_spec {
    fmt_kind kind;
    unsigned flags;
    int width;     /* -1: none */
    char conv;     /* FMT_INT: d i u x X; FMT_PTR: 0, K, x, s, S; FMT_PRE_IP: I or i */
    unsigned size; /* FMT_INT: 4 or 8; FMT_PRE_IP: 4 or 6 */
    bool pointer;  /* a %p conversion ... */
    size_t p_next; /* ... and the index after its 'p' */
    size_t next;   /* index in the format after the conversion's last character */
} fmt_spec;

/* The staged arguments, laid out like Linux's binary argument buffer. */
typedef struct fmt_area {
    unsigned char b[FMT_AREA + 1]; /* +1: a NUL after the area bounds every string read */
    size_t pos;                    /* may pass FMT_AREA after a truncated text (then full) */
} fmt_area;

static inline bool fmt_isspace(unsigned char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

static inline bool fmt_isalnum(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline bool fmt_ispunct(unsigned char c)
{
    return c > ' ' && c < 0x7f && !fmt_isalnum(c);
}

/* What may follow %s, %p and %pks: the end, white space or punctuation. */
static inline bool fmt_ends_word(unsigned char c)
{
    return c == '\0' || fmt_isspace(c) || fmt_ispunct(c);
}

static inline size_t fmt_align4(size_t pos)
{
    return (pos + 3) & ~(size_t)3;
}

static inline size_t fmt_room(const fmt_area *a)
{
    return a->pos < FMT_AREA ? FMT_AREA - a->pos : 0;
}

/* Parses the conversion whose '%' is at fmt[i] (not "%%"): 0 or -HELPER_EINVAL. */
int helper_fmt_parse(const char *fmt, size_t i, fmt_spec *s);

/* "0x" and the value in lower-case hex, without padding; returns the length (at most 18). */
size_t helper_fmt_hex(char *out, uint64_t value);

/* Pass 2: formats fmt (validated by pass 1) with the staged arguments into out[size]; returns the
 * untruncated length. */
size_t helper_fmt_print(char *out, size_t size, const char *fmt, const fmt_area *a);

#endif
