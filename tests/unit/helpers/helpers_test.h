/*
 * helpers_test.h - what the helper unit tests share: cmocka, calling a helper function by its Linux
 * name with any argument types, map creation that fails the test on error, Linux errno values as
 * helper results, and an XDP-style packet run (buffer, context record, window) set up like Linux's
 * BPF_PROG_TEST_RUN lays it out.
 */
#ifndef EBPF_TESTS_HELPERS_TEST_H
#define EBPF_TESTS_HELPERS_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "helpers/helper_run.h"
#include "helpers/helpers.h"
#include "helpers/helpers_int.h"
#include "maps/maps.h"

/* A helper call: helper_<name>(r1..r5, NULL) with each argument converted to u64. */
#define HA(x) ((uint64_t)(uintptr_t)(x))
#define HCALL(name, a1, a2, a3, a4, a5) helper_##name(HA(a1), HA(a2), HA(a3), HA(a4), HA(a5), NULL)

/* A helper's result for Linux errno e. */
#define HERR(e) ((uint64_t)-(int64_t)(e))

static inline struct map *ht_map(uint32_t type, uint32_t key_size, uint32_t value_size,
                                 uint32_t max_entries)
{
    struct map_def def;
    memset(&def, 0, sizeof def);
    def.type = type;
    def.key_size = key_size;
    def.value_size = value_size;
    def.max_entries = max_entries;
    struct map *map = NULL;
    ebpf_diag diag;
    int rc = map_create(&def, &map, &diag);
    if (rc != 0)
        fail_msg("map_create: %d (%s)", rc, diag.message);
    return map;
}

static inline int ht_reclaim(void **state)
{
    (void)state;
    map_reclaim_all();
    return 0;
}

/* Read-side sections taken through ht_lock are released by ht_cleanup (every test's teardown), so
 * that a failed assertion inside one cannot leave it open and hang the group's reclaim. */
static int ht_locks;

static inline void ht_lock(void)
{
    map_read_lock();
    ht_locks++;
}

static inline void ht_unlock(void)
{
    ht_locks--;
    map_read_unlock();
}

static inline int ht_cleanup(void **state)
{
    (void)state;
    while (helper_run_current())
        helper_run_exit();
    while (ht_locks > 0)
        ht_unlock();
    return 0;
}

#define HT_TEST(fn) cmocka_unit_test_teardown(fn, ht_cleanup)

/* The runtime's context record as the context rewrite leaves it: 64-bit packet pointers. */
typedef struct ht_ctx {
    uint64_t data, data_end, data_meta;
    uint32_t hash;
} ht_ctx;

#define HT_FRAME 4096u

/* A packet run: a 4096-byte frame with Linux's 256-byte headroom, `len` packet bytes (0, 1, 2 ...),
 * no metadata, the tailroom reserve excluded from buf_end; entered as the current run. */
typedef struct ht_packet {
    uint8_t frame[HT_FRAME];
    ht_ctx ctx;
    helper_run run;
} ht_packet;

static inline void ht_packet_enter(ht_packet *p, uint32_t prog_type, size_t len)
{
    memset(p->frame, 0xee, sizeof p->frame);
    uint8_t *data = p->frame + HELPER_XDP_PACKET_HEADROOM;
    for (size_t i = 0; i < len; i++)
        data[i] = (uint8_t)i;
    p->ctx.data = HA(data);
    p->ctx.data_end = HA(data + len);
    p->ctx.data_meta = HA(data);
    p->ctx.hash = 0x12345678;
    helper_run_init(&p->run, prog_type, &p->ctx);
    p->run.pkt.data = &p->ctx.data;
    p->run.pkt.data_end = &p->ctx.data_end;
    p->run.pkt.data_meta = &p->ctx.data_meta;
    p->run.pkt.buf_start = p->frame;
    p->run.pkt.buf_end = p->frame + HT_FRAME - HELPER_SKB_SHINFO_RESERVE;
    p->run.pkt.hash = &p->ctx.hash;
    helper_run_enter(&p->run);
}

static inline void ht_packet_exit(void)
{
    helper_run_exit();
}

static inline uint8_t *ht_data(const ht_packet *p)
{
    return (uint8_t *)(uintptr_t)p->ctx.data;
}

static inline size_t ht_len(const ht_packet *p)
{
    return (size_t)(p->ctx.data_end - p->ctx.data);
}

#endif
