/*
 * test_lru.c - lru_hash and lru_percpu_hash: a full map evicts instead of failing, program lookups
 * protect an element from eviction and user-space lookups do not, updating an existing key never
 * evicts, and the per-CPU variant keeps its layout.
 */
#include "maps_test.h"

static int count_keys(struct map *map)
{
    int count = 0;
    uint64_t key, next;
    const void *prev = NULL;
    while (map_sys_get_next_key(map, prev, &next) == 0) {
        count++;
        key = next;
        prev = &key;
    }
    return count;
}

static bool present(struct map *map, uint64_t key)
{
    uint64_t value;
    return map_sys_lookup(map, &key, &value, 0) == 0;
}

static void test_lru_never_full(void **state)
{
    (void)state;
    enum { MAX = 64 };
    struct map *map = mt_create(ABI_MAP_TYPE_LRU_HASH, 8, 8, MAX, 0);
    for (uint64_t k = 0; k < 10 * MAX; k++)
        assert_int_equal(mt_update(map, &k, &k, ABI_NOEXIST), 0);
    assert_int_equal(count_keys(map), MAX);
    /* Without any lookups the oldest went first: the last MAX keys remain. */
    for (uint64_t k = 9 * MAX; k < 10 * MAX; k++)
        assert_true(present(map, k));
    assert_int_equal(mt_update(map, &(uint64_t){ 1 }, &(uint64_t){ 1 }, ABI_F_LOCK), -EINVAL);
    map_put(map);
}

static void test_lru_lookup_protects(void **state)
{
    (void)state;
    enum { MAX = 8 };
    struct map *map = mt_create(ABI_MAP_TYPE_LRU_HASH, 8, 8, MAX, 0);
    for (uint64_t k = 1; k <= MAX; k++)
        assert_int_equal(map_sys_update(map, &k, &k, 0), 0);
    uint64_t key = 1, value;
    assert_true(mt_lookup(map, &key, &value, sizeof value)); /* program lookup: referenced */
    key = 100;
    assert_int_equal(map_sys_update(map, &key, &key, 0), 0);
    assert_true(present(map, 1));
    assert_false(present(map, 2)); /* the least recently used unreferenced key */
    /* A user-space lookup does not count as a use. */
    assert_true(present(map, 3));
    key = 101;
    assert_int_equal(map_sys_update(map, &key, &key, 0), 0);
    assert_false(present(map, 3));
    assert_int_equal(count_keys(map), MAX);
    map_put(map);
}

static void test_lru_update_existing_keeps_all(void **state)
{
    (void)state;
    enum { MAX = 4 };
    struct map *map = mt_create(ABI_MAP_TYPE_LRU_HASH, 8, 8, MAX, 0);
    for (uint64_t k = 0; k < MAX; k++)
        assert_int_equal(map_sys_update(map, &k, &k, 0), 0);
    for (int round = 0; round < 3; round++)
        for (uint64_t k = 0; k < MAX; k++) {
            uint64_t v = k + 10 * (uint64_t)round;
            assert_int_equal(map_sys_update(map, &k, &v, ABI_EXIST), 0);
        }
    uint64_t missing = 99;
    assert_int_equal(map_sys_update(map, &missing, &missing, ABI_EXIST), -ENOENT);
    for (uint64_t k = 0; k < MAX; k++)
        assert_true(present(map, k));
    uint64_t k0 = 0, out;
    assert_int_equal(map_sys_lookup_and_delete(map, &k0, &out, 0), 0);
    assert_int_equal(out, 20);
    assert_int_equal(count_keys(map), MAX - 1);
    map_put(map);
}

static void test_lru_percpu(void **state)
{
    (void)state;
    uint32_t cpus = map_cpu_count(), me = plat_cpu_slot();
    enum { MAX = 4 };
    struct map *map = mt_create(ABI_MAP_TYPE_LRU_PERCPU_HASH, 8, 4, MAX, 0);
    uint64_t *all = calloc(cpus, 8);
    for (uint64_t k = 0; k < 3 * MAX; k++) {
        uint32_t v = (uint32_t)k + 1;
        assert_int_equal(mt_update(map, &k, &v, ABI_ANY), 0);
    }
    assert_int_equal(count_keys(map), MAX);
    uint64_t key = 3 * MAX - 1;
    assert_int_equal(map_sys_lookup(map, &key, all, 0), 0);
    for (uint32_t cpu = 0; cpu < cpus; cpu++)
        assert_int_equal(all[cpu], cpu == me ? 3 * MAX : 0);
    uint32_t v = 7;
    assert_int_equal(mt_update(map, &key, &v, ABI_EXIST), 0); /* in place, this CPU */
    uint32_t out;
    assert_true(mt_lookup(map, &key, &out, 4));
    assert_int_equal(out, 7);
    free(all);
    map_put(map);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lru_never_full),
        cmocka_unit_test(test_lru_lookup_protects),
        cmocka_unit_test(test_lru_update_existing_keeps_all),
        cmocka_unit_test(test_lru_percpu),
    };
    return cmocka_run_group_tests(tests, NULL, mt_reclaim);
}
