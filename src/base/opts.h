/*
 * opts.h - validation of size-prefixed option structs (EBPF_OPTS): a caller built against an older
 * header passes a smaller struct (missing fields read as zero); one built against a newer header may
 * pass a larger one, accepted only if every byte we do not know is zero.
 */
#ifndef EBPF_BASE_OPTS_H
#define EBPF_BASE_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

/* True if opts is NULL or well-formed: its size field at least covers `sz` itself and any trailing
 * bytes beyond `known_size` are zero. */
static inline bool opts_valid(const void *opts, size_t known_size)
{
    if (!opts)
        return true;
    size_t user_size;
    memcpy(&user_size, opts, sizeof user_size);
    if (user_size < sizeof(size_t))
        return false;
    const unsigned char *bytes = opts;
    for (size_t i = known_size; i < user_size; i++)
        if (bytes[i] != 0)
            return false;
    return true;
}

/* Copies the caller's struct into a zero-initialised one of our size, so that fields the caller's
 * header did not have read as zero. */
static inline void opts_copy(void *dst, size_t known_size, const void *opts)
{
    memset(dst, 0, known_size);
    if (!opts)
        return;
    size_t user_size;
    memcpy(&user_size, opts, sizeof user_size);
    memcpy(dst, opts, user_size < known_size ? user_size : known_size);
}

#endif
