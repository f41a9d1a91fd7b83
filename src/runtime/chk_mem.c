/*
 * chk_mem.c - which memory a checked run may hand to a helper: the same notion the checked
 * interpreter applies to the program's own loads and stores. The request's stack (exec_request.
 * stack_out: all the run's frames), its fixed regions (read-only ones for reads only), and whatever
 * its region_ok hook allows (test_run.c: the packet window as it is now, map values looked up and
 * ring buffer records reserved in this run).
 *
 * A range is allowed when one of those contains it whole; ranges are 64-bit values from registers,
 * compared without overflow, and never converted to pointers before they passed.
 */
#include "runtime/chk.h"

static bool inside(uint64_t base, uint64_t size, uint64_t addr, uint64_t len)
{
    return addr >= base && addr - base <= size && len <= size - (addr - base);
}

bool chk_mem_ok(const exec_request *req, uint64_t addr, uint64_t size, bool write)
{
    if (size == 0)
        return true;
    if (addr > UINTPTR_MAX || size > SIZE_MAX)
        return false;
    if (req->stack_out && inside(req->stack_out->base, req->stack_out->size, addr, size))
        return true;
    for (size_t i = 0; i < req->region_count; i++) {
        const exec_region *r = &req->regions[i];
        if ((r->writable || !write) && inside(r->base, r->size, addr, size))
            return true;
    }
    return req->region_ok && req->region_ok(req->region_user, (uintptr_t)addr, (size_t)size, write);
}

/* Containment in one region is monotone in the length: the answer is the longest allowed prefix,
 * found by bisection (region_ok answers yes or no only). */
size_t chk_mem_readable(const exec_request *req, uint64_t addr, size_t size)
{
    if (chk_mem_ok(req, addr, size, false))
        return size;
    size_t lo = 0, hi = size; /* lo allowed, hi not */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (chk_mem_ok(req, addr, mid, false))
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}
