/*
 * maps_test.h - what the map unit tests share: cmocka, map creation shorthands that fail the test
 * on error, and a group teardown that frees everything retired so that LeakSanitizer sees no leak.
 */
#ifndef EBPF_TESTS_MAPS_TEST_H
#define EBPF_TESTS_MAPS_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "maps/maps.h"
#include "platform/platform.h"
#include "platform/sync.h"

#include <stdlib.h>

#include <errno.h>

static inline struct map_def mt_def(uint32_t type, uint32_t key_size, uint32_t value_size,
                                    uint32_t max_entries, uint32_t flags)
{
    struct map_def def;
    memset(&def, 0, sizeof def);
    def.type = type;
    def.key_size = key_size;
    def.value_size = value_size;
    def.max_entries = max_entries;
    def.map_flags = flags;
    return def;
}

/* Creates a map or fails the test with the diagnostic. */
static inline struct map *mt_create_def(const struct map_def *def)
{
    struct map *map = NULL;
    ebpf_diag diag;
    int rc = map_create(def, &map, &diag);
    if (rc != 0)
        fail_msg("map_create: %d (%s)", rc, diag.message);
    assert_non_null(map);
    return map;
}

static inline struct map *mt_create(uint32_t type, uint32_t key_size, uint32_t value_size,
                                    uint32_t max_entries, uint32_t flags)
{
    struct map_def def = mt_def(type, key_size, value_size, max_entries, flags);
    return mt_create_def(&def);
}

/* map_create's error for a definition, with a non-empty message required. */
static inline int mt_create_err(const struct map_def *def)
{
    struct map *map = NULL;
    ebpf_diag diag;
    memset(&diag, 0, sizeof diag);
    int rc = map_create(def, &map, &diag);
    if (rc == 0) {
        map_put(map);
        return 0;
    }
    assert_null(map);
    assert_true(diag.message[0] != '\0');
    return rc;
}

static inline int mt_reclaim(void **state)
{
    (void)state;
    map_reclaim_all();
    return 0;
}

/* Program-side calls must run inside a read-side section: these wrap single calls in one. */
static inline long mt_update(struct map *map, const void *key, const void *value, uint64_t flags)
{
    map_read_lock();
    long rc = map_update_elem(map, key, value, flags);
    map_read_unlock();
    return rc;
}

static inline long mt_delete(struct map *map, const void *key)
{
    map_read_lock();
    long rc = map_delete_elem(map, key);
    map_read_unlock();
    return rc;
}

/* Copies the program-visible value (size bytes) out, or returns false when absent. */
static inline bool mt_lookup(struct map *map, const void *key, void *out, size_t size)
{
    map_read_lock();
    void *value = map_lookup_elem(map, key);
    if (value)
        memcpy(out, value, size);
    map_read_unlock();
    return value != NULL;
}

#endif
