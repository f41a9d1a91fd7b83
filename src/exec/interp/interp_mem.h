/*
 * interp_mem.h - how the interpreter touches memory: unaligned-safe loads and stores (memcpy, which
 * compilers turn into single moves), atomics with a single-threaded fallback for misaligned addresses
 * (so that no address can make the host fault on strict-alignment CPUs), the checked mode's region
 * check, and the legacy packet loads.
 *
 * Addresses are the 64-bit register values; on a 32-bit host an address with high bits set is simply
 * outside every region (checked mode compares full 64-bit values before converting to a pointer).
 */
#ifndef EBPF_EXEC_INTERP_MEM_H
#define EBPF_EXEC_INTERP_MEM_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "exec/exec.h"
#include "exec/interp/interp_alu.h"

#define INTERP_PTR(addr) ((void *)(uintptr_t)(addr))

static inline uint64_t interp_ld8(uint64_t a) { uint8_t v; memcpy(&v, INTERP_PTR(a), 1); return v; }
static inline uint64_t interp_ld16(uint64_t a) { uint16_t v; memcpy(&v, INTERP_PTR(a), 2); return v; }
static inline uint64_t interp_ld32(uint64_t a) { uint32_t v; memcpy(&v, INTERP_PTR(a), 4); return v; }
static inline uint64_t interp_ld64(uint64_t a) { uint64_t v; memcpy(&v, INTERP_PTR(a), 8); return v; }
static inline void interp_st8(uint64_t a, uint64_t x) { uint8_t v = (uint8_t)x; memcpy(INTERP_PTR(a), &v, 1); }
static inline void interp_st16(uint64_t a, uint64_t x) { uint16_t v = (uint16_t)x; memcpy(INTERP_PTR(a), &v, 2); }
static inline void interp_st32(uint64_t a, uint64_t x) { uint32_t v = (uint32_t)x; memcpy(INTERP_PTR(a), &v, 4); }
static inline void interp_st64(uint64_t a, uint64_t x) { memcpy(INTERP_PTR(a), &x, 8); }

/* Read-modify-write operations of the atomic instructions (the `fetch` bit is the caller's concern). */
typedef enum interp_rmw { INTERP_RMW_ADD, INTERP_RMW_OR, INTERP_RMW_AND, INTERP_RMW_XOR, INTERP_RMW_XCHG } interp_rmw;

static inline uint64_t interp_rmw_apply(interp_rmw op, uint64_t old, uint64_t v)
{
    switch (op) {
    case INTERP_RMW_ADD: return old + v;
    case INTERP_RMW_OR: return old | v;
    case INTERP_RMW_AND: return old & v;
    case INTERP_RMW_XOR: return old ^ v;
    default: return v;
    }
}

/* Atomically applies `op` with v to the 8-byte word at a; returns the old value. Misaligned: plain. */
static inline uint64_t interp_atomic64(interp_rmw op, uint64_t a, uint64_t v)
{
    if (a & 7) {
        uint64_t old = interp_ld64(a);
        interp_st64(a, interp_rmw_apply(op, old, v));
        return old;
    }
    uint64_t *p = INTERP_PTR(a);
    switch (op) {
    case INTERP_RMW_ADD: return __atomic_fetch_add(p, v, __ATOMIC_SEQ_CST);
    case INTERP_RMW_OR: return __atomic_fetch_or(p, v, __ATOMIC_SEQ_CST);
    case INTERP_RMW_AND: return __atomic_fetch_and(p, v, __ATOMIC_SEQ_CST);
    case INTERP_RMW_XOR: return __atomic_fetch_xor(p, v, __ATOMIC_SEQ_CST);
    default: return __atomic_exchange_n(p, v, __ATOMIC_SEQ_CST);
    }
}

static inline uint32_t interp_atomic32(interp_rmw op, uint64_t a, uint32_t v)
{
    if (a & 3) {
        uint32_t old = (uint32_t)interp_ld32(a);
        interp_st32(a, interp_rmw_apply(op, old, v));
        return old;
    }
    uint32_t *p = INTERP_PTR(a);
    switch (op) {
    case INTERP_RMW_ADD: return __atomic_fetch_add(p, v, __ATOMIC_SEQ_CST);
    case INTERP_RMW_OR: return __atomic_fetch_or(p, v, __ATOMIC_SEQ_CST);
    case INTERP_RMW_AND: return __atomic_fetch_and(p, v, __ATOMIC_SEQ_CST);
    case INTERP_RMW_XOR: return __atomic_fetch_xor(p, v, __ATOMIC_SEQ_CST);
    default: return __atomic_exchange_n(p, v, __ATOMIC_SEQ_CST);
    }
}

/* Compare-and-exchange: if *a == expected, *a = desired; returns the old value either way. */
static inline uint64_t interp_cmpxchg64(uint64_t a, uint64_t expected, uint64_t desired)
{
    if (a & 7) {
        uint64_t old = interp_ld64(a);
        if (old == expected)
            interp_st64(a, desired);
        return old;
    }
    __atomic_compare_exchange_n((uint64_t *)INTERP_PTR(a), &expected, desired, false, __ATOMIC_SEQ_CST,
                                __ATOMIC_SEQ_CST);
    return expected;
}

static inline uint32_t interp_cmpxchg32(uint64_t a, uint32_t expected, uint32_t desired)
{
    if (a & 3) {
        uint32_t old = (uint32_t)interp_ld32(a);
        if (old == expected)
            interp_st32(a, desired);
        return old;
    }
    __atomic_compare_exchange_n((uint32_t *)INTERP_PTR(a), &expected, desired, false, __ATOMIC_SEQ_CST,
                                __ATOMIC_SEQ_CST);
    return expected;
}

/* Checked mode: what a run may touch. The live stack frames are one contiguous range [stack_lo,
 * stack_hi); stack_lo moves down by one frame per local call. [hot_lo, hot_hi) caches the region that
 * allowed the last access outside the stack (hot_writable: whether it allows writes), so that loops
 * over one region skip the scan. */
typedef struct interp_mem {
    uint64_t stack_lo;
    uint64_t stack_hi;
    uint64_t hot_lo;
    uint64_t hot_hi;
    bool hot_writable;
    const exec_region *regions;
    size_t region_count;
    bool (*region_ok)(void *user, uintptr_t addr, size_t size, bool write); /* exec_request.region_ok */
    void *region_user;
} interp_mem;

enum { INTERP_MEM_OK = 0, INTERP_MEM_OUTSIDE, INTERP_MEM_READONLY };

/* The region scan, out of line (interp_mem.c); updates the hot region on success. */
int interp_mem_check_regions(interp_mem *m, uint64_t addr, unsigned size, bool write);

/* True when [addr, addr+size) lies inside [lo, hi); never overflows. */
static inline bool interp_mem_inside(uint64_t lo, uint64_t hi, uint64_t addr, unsigned size)
{
    return addr >= lo && addr < hi && size <= hi - addr;
}

/* INTERP_MEM_OK when [addr, addr+size) lies inside the live stack or inside one region that allows
 * the access. */
static inline int interp_mem_check(interp_mem *m, uint64_t addr, unsigned size, bool write)
{
    if (interp_mem_inside(m->stack_lo, m->stack_hi, addr, size) ||
        (interp_mem_inside(m->hot_lo, m->hot_hi, addr, size) && (m->hot_writable || !write)))
        return INTERP_MEM_OK;
    return interp_mem_check_regions(m, addr, size, write);
}

/* LD_ABS / LD_IND: the shared rule of exec.h. False when the program must end with r0 = 0. */
static inline bool interp_packet_load(const exec_request *req, uint32_t off, unsigned size, uint64_t *value)
{
    return exec_packet_load(req->packet, req->packet_size, off, size, value);
}

#endif
