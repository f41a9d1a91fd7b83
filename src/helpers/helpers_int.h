/*
 * helpers_int.h - private to src/helpers/: the helper functions (declared from helpers_impl.def),
 * how their bodies are written, the Linux errno numbers they return, and what the family files share
 * (checksum arithmetic, the bpf_bprintf formatter, guarded reads, the run behind a ctx argument).
 *
 * Return values: helpers return what Linux returns, a negative errno being a u64 holding a negative
 * Linux errno number. The numbers are Linux's (HELPER_E*), not the host's: a Windows build returns
 * the same values to programs. Errors from the map layer (host errno values) go through helper_ret.
 */
#ifndef EBPF_HELPERS_HELPERS_INT_H
#define EBPF_HELPERS_HELPERS_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "abi/abi_maps.h"
#include "helpers/helper_run.h"

/* ---- writing a helper ---------------------------------------------------------------------------- */

#if defined(__GNUC__)
#define HELPER_UNUSED __attribute__((unused))
#else
#define HELPER_UNUSED
#endif

/* The signature of helper_<NAME>: Linux's r1..r5 and the registration's user pointer (NULL). Each
 * definition names its Linux prototype in a comment and converts the registers it uses. */
#define HELPER_FN(NAME)                                                                              \
    uint64_t helper_##NAME(HELPER_UNUSED uint64_t r1, HELPER_UNUSED uint64_t r2,                     \
                           HELPER_UNUSED uint64_t r3, HELPER_UNUSED uint64_t r4,                     \
                           HELPER_UNUSED uint64_t r5, HELPER_UNUSED void *user)

#define HELPER_IMPL(NAME, FILE)                                                                      \
    uint64_t helper_##NAME(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5, void *user);
#include "helpers/helpers_impl.def"
#undef HELPER_IMPL

/* A register holding a pointer, and a pointer returned in r0. */
#define HELPER_PTR(reg) ((void *)(uintptr_t)(reg))
#define HELPER_RET_PTR(ptr) ((uint64_t)(uintptr_t)(ptr))

/* ---- Linux errno numbers ------------------------------------------------------------------------- */

#define HELPER_EPERM 1
#define HELPER_ENOENT 2
#define HELPER_E2BIG 7
#define HELPER_EAGAIN 11
#define HELPER_ENOMEM 12
#define HELPER_EACCES 13
#define HELPER_EFAULT 14
#define HELPER_EBUSY 16
#define HELPER_EEXIST 17
#define HELPER_EINVAL 22
#define HELPER_ENOSPC 28
#define HELPER_ERANGE 34
#define HELPER_EOPNOTSUPP 95
#define HELPER_ENOTSUPP ABI_ENOTSUPP /* the kernel-internal 524 */

/* A Linux errno number as a helper's return value. */
#define HELPER_ERR(e) ((uint64_t)-(int64_t)(e))

/* A map-layer result (>= 0, or a negative host errno) as a helper's return value. */
uint64_t helper_ret(long rc);

/* ---- Linux constants helpers use ----------------------------------------------------------------- */

enum {
    HELPER_XDP_ABORTED = 0, HELPER_XDP_DROP = 1, HELPER_XDP_PASS = 2, HELPER_XDP_TX = 3,
    HELPER_XDP_REDIRECT = 4,
};
enum { HELPER_TC_ACT_SHOT = 2, HELPER_TC_ACT_REDIRECT = 7 };

/* ---- the run ------------------------------------------------------------------------------------- */

/* The current run for a helper given the program's context in `ctx`: NULL when there is no run or
 * the run knows its context and ctx is not it. */
static inline helper_run *helper_ctx_run(uint64_t ctx)
{
    helper_run *run = helper_run_current();
    if (run && run->ctx && (uintptr_t)run->ctx != ctx)
        return NULL;
    return run;
}

/* The packet window of a run as byte pointers. */
static inline uint8_t *helper_pkt_data(const helper_run *run)
{
    return (uint8_t *)(uintptr_t)*run->pkt.data;
}

static inline uint8_t *helper_pkt_end(const helper_run *run)
{
    return (uint8_t *)(uintptr_t)*run->pkt.data_end;
}

static inline bool helper_has_pkt(const helper_run *run)
{
    return run && run->pkt.data && run->pkt.data_end;
}

/* Packet length (data_end - data), 0 if the window is inverted. */
static inline uint64_t helper_pkt_len(const helper_run *run)
{
    uintptr_t d = (uintptr_t)*run->pkt.data, e = (uintptr_t)*run->pkt.data_end;
    return e > d ? e - d : 0;
}

/* ---- guarded reads (helper_mem.c) ---------------------------------------------------------------- */

/* How many of the n bytes at p may be read: run->readable, or without it 0 below address 4096
 * (NULL and the pages next to it) and n elsewhere. run may be NULL. */
size_t helper_readable(const helper_run *run, const void *p, size_t n);

/* Linux strncpy_from_kernel_nofault: copies the string at src into dst[size] (size >= 1), at most
 * size - 1 characters and a NUL. Returns the length copied including the NUL, or -HELPER_EFAULT when
 * the string runs into unreadable memory (dst then holds what was read, NUL-terminated). */
long helper_copy_string(const helper_run *run, char *dst, const void *src, size_t size);

/* Reads n bytes or, where they are not all readable, zeroes dst and returns false. */
bool helper_copy_bytes(const helper_run *run, void *dst, const void *src, size_t n);

/* ---- checksum arithmetic (helper_csum_math.c), Linux's ones'-complement primitives ---------------- */

/* 32-bit partial sums with end-around carry. */
uint32_t helper_csum_add(uint32_t csum, uint32_t addend);
uint32_t helper_csum_sub(uint32_t csum, uint32_t addend);
/* Folds a 32-bit partial sum to 16 bits (csum_from32to16), and the same inverted (csum_fold). */
uint16_t helper_csum_from32to16(uint32_t sum);
uint16_t helper_csum_fold(uint32_t sum);
/* csum_partial: the 16-bit sum of buf (native 16-bit words from its start, an odd last byte padded
 * with zero) added to seed. */
uint32_t helper_csum_partial(const void *buf, size_t len, uint32_t seed);
/* In-place updates of a 16-bit checksum field (native load of its network-order bytes), given the
 * old and new values of a 2- or 4-byte field as the program loaded them, or a precomputed diff. */
void helper_csum_replace2(uint16_t *sum, uint16_t from, uint16_t to);
void helper_csum_replace4(uint16_t *sum, uint32_t from, uint32_t to);
void helper_csum_replace_by_diff(uint16_t *sum, uint32_t diff);
/* The same for a layer-4 checksum of a packet whose checksum Linux has not offloaded
 * (ip_summed != CHECKSUM_PARTIAL): inet_proto_csum_replace4 and _by_diff. */
void helper_csum_proto_replace4(uint16_t *sum, uint32_t from, uint32_t to);

/* ---- bpf_bprintf (helper_format.c) --------------------------------------------------------------- */

#define HELPER_MAX_BPRINTF_VARARGS 12u  /* bpf_snprintf, bpf_trace_vprintk */
#define HELPER_MAX_TRACE_PRINTK_VARARGS 3u
#define HELPER_MAX_BPRINTF_BUF 512u     /* bprintf output buffer and argument staging area */

/* Linux's bpf_bprintf_prepare + bstr_printf: checks fmt (a NUL within fmt_size, printable ASCII,
 * only the conversions Linux allows, at most num_args of them), stages the arguments like Linux
 * (strings copied, in a 512-byte area), then formats into out[out_size] (nothing written when
 * out_size is 0; otherwise NUL-terminated, truncated). Returns the untruncated length without the
 * NUL, or -HELPER_EINVAL / -HELPER_ENOSPC; nothing is written on error. */
long helper_bprintf(const helper_run *run, char *out, size_t out_size, const char *fmt,
                    size_t fmt_size, const uint64_t *args, uint32_t num_args);

#endif
