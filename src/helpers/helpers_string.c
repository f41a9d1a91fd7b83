/*
 * helpers_string.c - bpf_strtol, bpf_strtoul and bpf_strncmp with Linux's rules.
 *
 * strtol/strtoul parse the buffer (not necessarily NUL-terminated) as Linux's __bpf_strtoull does:
 * leading white space (the kernel's isspace, including 0xa0), one optional '-', then digits of base
 * 8, 10 or 16, or base 0 (a "0x" followed by a hex digit means 16, a leading "0" means 8, else 10); a
 * "0x" prefix is also skipped for base 16. No '+'. At most 63 characters after the sign are looked
 * at. Overflow does not stop the scan; it makes the result -ERANGE. flags holds the base in its low
 * 5 bits and nothing else. Success returns the number of characters consumed (spaces and sign
 * included) and writes *res; every failure writes 0 to *res (Linux since 6.12).
 */
#include "helpers/helpers_int.h"

#include <string.h>

#define HELPER_STRTOX_BASE_MASK 0x1fu
#define HELPER_STRTOX_MAX_CHARS 63u /* the kernel copies at most 63 characters to parse */

static bool strtox_isspace(unsigned char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r') || c == 0xa0;
}

static int strtox_digit(unsigned char c)
{
    unsigned char lc = c | 0x20;
    if (c >= '0' && c <= '9')
        return c - '0';
    if (lc >= 'a' && lc <= 'f')
        return lc - 'a' + 10;
    return -1;
}

/* Parses buf[len]; returns characters consumed or -HELPER_EINVAL / -HELPER_ERANGE. */
static long strtox(const char *buf, size_t len, uint64_t flags, uint64_t *res, bool *negative)
{
    unsigned base = (unsigned)(flags & HELPER_STRTOX_BASE_MASK);
    if (!buf || !len)
        return -HELPER_EINVAL;
    if (base != 0 && base != 8 && base != 10 && base != 16)
        return -HELPER_EINVAL;
    if (flags & ~(uint64_t)HELPER_STRTOX_BASE_MASK)
        return -HELPER_EINVAL;

    size_t i = 0;
    while (i < len && strtox_isspace((unsigned char)buf[i]))
        i++;
    *negative = i < len && buf[i] == '-';
    if (*negative)
        i++;
    if (i == len)
        return -HELPER_EINVAL;

    /* The kernel parses a NUL-terminated copy of at most 63 characters. */
    char str[HELPER_STRTOX_MAX_CHARS + 3] = { 0 };
    size_t n = len - i < HELPER_STRTOX_MAX_CHARS ? len - i : HELPER_STRTOX_MAX_CHARS;
    memcpy(str, buf + i, n);

    const char *s = str;
    if (base == 0) {
        if (s[0] == '0')
            base = ((s[1] | 0x20) == 'x' && strtox_digit((unsigned char)s[2]) >= 0) ? 16 : 8;
        else
            base = 10;
    }
    if (base == 16 && s[0] == '0' && (s[1] | 0x20) == 'x')
        s += 2;

    uint64_t value = 0;
    bool overflow = false;
    size_t digits = 0;
    for (int d; (d = strtox_digit((unsigned char)s[digits])) >= 0 && (unsigned)d < base; digits++) {
        if (value > (UINT64_MAX - (unsigned)d) / base)
            overflow = true;
        value = value * base + (unsigned)d;
    }
    if (overflow)
        return -HELPER_ERANGE;
    if (digits == 0)
        return -HELPER_EINVAL;
    *res = value;
    return (long)(i + (size_t)(s - str) + digits);
}

/* long bpf_strtol(const char *buf, size_t buf_len, u64 flags, long *res) */
HELPER_FN(strtol)
{
    int64_t *res = HELPER_PTR(r4);
    uint64_t value = 0;
    bool negative = false;
    *res = 0;
    long rc = strtox(HELPER_PTR(r1), r2, r3, &value, &negative);
    if (rc < 0)
        return (uint64_t)(int64_t)rc;
    if (negative) {
        if (value > (uint64_t)INT64_MAX + 1)
            return HELPER_ERR(HELPER_ERANGE);
        *res = (int64_t)(0 - value);
    } else {
        if (value > (uint64_t)INT64_MAX)
            return HELPER_ERR(HELPER_ERANGE);
        *res = (int64_t)value;
    }
    return (uint64_t)rc;
}

/* long bpf_strtoul(const char *buf, size_t buf_len, u64 flags, unsigned long *res): a '-' sign is
 * -EINVAL. */
HELPER_FN(strtoul)
{
    uint64_t *res = HELPER_PTR(r4);
    uint64_t value = 0;
    bool negative = false;
    *res = 0;
    long rc = strtox(HELPER_PTR(r1), r2, r3, &value, &negative);
    if (rc < 0)
        return (uint64_t)(int64_t)rc;
    if (negative)
        return HELPER_ERR(HELPER_EINVAL);
    *res = value;
    return (uint64_t)rc;
}

/* long bpf_strncmp(const char *s1, u32 s1_sz, const char *s2): the kernel's strncmp of s1 and s2
 * over at most s1_sz characters: -1, 0 or 1 (unsigned character order). */
HELPER_FN(strncmp)
{
    const unsigned char *a = HELPER_PTR(r1), *b = HELPER_PTR(r3);
    for (uint32_t n = (uint32_t)r2; n; n--, a++, b++) {
        if (*a != *b)
            return *a < *b ? (uint64_t)-1 : 1;
        if (!*a)
            break;
    }
    return 0;
}
