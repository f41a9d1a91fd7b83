/*
 * interp_mem.c - the checked mode's slow path: is an access outside the live stack inside one of the
 * request's regions, and does that region allow it? Overflow-safe for every address and size.
 */
#include "exec/interp/interp_mem.h"

int interp_mem_check_regions(interp_mem *m, uint64_t addr, unsigned size, bool write)
{
    int verdict = INTERP_MEM_OUTSIDE;
    for (size_t i = 0; i < m->region_count; i++) {
        const exec_region *r = &m->regions[i];
        uint64_t base = (uint64_t)r->base;
        if (addr < base || addr - base > (uint64_t)r->size || size > (uint64_t)r->size - (addr - base))
            continue;
        if (write && !r->writable) {
            verdict = INTERP_MEM_READONLY; /* a writable region overlapping this one may still allow it */
            continue;
        }
        m->hot_lo = base;
        /* [base, base + size), cut at 2^64 - 1 if it wraps: the cache may be narrower, never wider */
        m->hot_hi = base + (uint64_t)r->size < base ? UINT64_MAX : base + (uint64_t)r->size;
        m->hot_writable = r->writable;
        return INTERP_MEM_OK;
    }
    /* Dynamic memory: asked last and never cached in the hot region (it may go away after the run). */
    if (m->region_ok && (uint64_t)(uintptr_t)addr == addr && m->region_ok(m->region_user, (uintptr_t)addr, size, write))
        return INTERP_MEM_OK;
    return verdict;
}
