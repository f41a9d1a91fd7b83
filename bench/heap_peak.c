/*
 * heap_peak.c - the link-time wrappers of malloc, calloc, realloc and free that count live heap bytes
 * while armed (heap_peak.h).
 */
#include "heap_peak.h"

#include <malloc.h>
#include <stdbool.h>
#include <stdint.h>

void *__real_malloc(size_t size);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t size);
void __real_free(void *p);
void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t size);
void __wrap_free(void *p);

static bool armed;
static int64_t live, peak;

static void account(int64_t delta)
{
    live += delta;
    if (live > peak)
        peak = live;
}

void heap_peak_start(void)
{
    live = 0;
    peak = 0;
    armed = true;
}

size_t heap_peak_stop(void)
{
    armed = false;
    return (size_t)peak;
}

void *__wrap_malloc(size_t size)
{
    void *p = __real_malloc(size);
    if (armed && p)
        account((int64_t)malloc_usable_size(p));
    return p;
}

void *__wrap_calloc(size_t n, size_t size)
{
    void *p = __real_calloc(n, size);
    if (armed && p)
        account((int64_t)malloc_usable_size(p));
    return p;
}

void *__wrap_realloc(void *p, size_t size)
{
    int64_t before = armed && p ? (int64_t)malloc_usable_size(p) : 0;
    void *q = __real_realloc(p, size);
    if (armed && (q || size == 0))
        account((q ? (int64_t)malloc_usable_size(q) : 0) - before);
    return q;
}

void __wrap_free(void *p)
{
    if (armed && p)
        account(-(int64_t)malloc_usable_size(p));
    __real_free(p);
}
