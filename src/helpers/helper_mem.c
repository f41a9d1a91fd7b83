/*
 * helper_mem.c - reads through pointers the verifier did not prove: the string and address arguments
 * of the printk family, which Linux reads with fault-tolerant copies (strncpy_from_kernel_nofault,
 * copy_from_kernel_nofault). Here the runtime says what is readable (helper_run.readable); without
 * it, the page at address 0 and its neighbours count as unreadable and the rest as readable.
 */
#include "helpers/helpers_int.h"

#include <string.h>

#define HELPER_LOW_UNMAPPED 4096u /* addresses below this are never valid program pointers */

size_t helper_readable(const helper_run *run, const void *p, size_t n)
{
    if (run && run->readable) {
        size_t ok = run->readable(run->readable_user, p, n);
        return ok < n ? ok : n;
    }
    return (uintptr_t)p < HELPER_LOW_UNMAPPED ? 0 : n;
}

long helper_copy_string(const helper_run *run, char *dst, const void *src, size_t size)
{
    size_t max = size - 1, ok = helper_readable(run, src, max + 1);
    const char *s = src;
    for (size_t i = 0; i < max; i++) {
        if (i >= ok) {
            dst[i] = '\0';
            return -HELPER_EFAULT;
        }
        dst[i] = s[i];
        if (s[i] == '\0')
            return (long)i + 1;
    }
    dst[max] = '\0';
    return (long)size;
}

bool helper_copy_bytes(const helper_run *run, void *dst, const void *src, size_t n)
{
    if (helper_readable(run, src, n) < n) {
        memset(dst, 0, n);
        return false;
    }
    memcpy(dst, src, n);
    return true;
}
