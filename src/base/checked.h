/*
 * checked.h - overflow-safe arithmetic for parsers and bounds checks. Each returns false on overflow
 * and leaves *out unspecified; callers treat false as "absurd input".
 */
#ifndef EBPF_BASE_CHECKED_H
#define EBPF_BASE_CHECKED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

static inline bool checked_add_size(size_t a, size_t b, size_t *out)
{
    return !__builtin_add_overflow(a, b, out);
}

static inline bool checked_mul_size(size_t a, size_t b, size_t *out)
{
    return !__builtin_mul_overflow(a, b, out);
}

/* True when [off, off+len) lies inside a buffer of `size` bytes. */
static inline bool checked_range(size_t off, size_t len, size_t size)
{
    return off <= size && len <= size - off;
}

#endif
