/*
 * test_hash.c - hash and percpu_hash: update flags and errors, full map, delete, replaced values
 * staying readable inside a read-side section, get_next_key visiting every key once,
 * lookup_and_delete, BPF_F_LOCK on a value with a spin lock, for_each, per-CPU layout, and the direct
 * lookups a JIT calls (map_direct_lookup, specialised for 4- and 8-byte keys) against map_lookup_elem.
 */
#include "maps_test.h"

struct kv {
    uint64_t a, b;
};

static void test_hash_flags(void **state)
{
    (void)state;
    struct map *map = mt_create(ABI_MAP_TYPE_HASH, 4, 16, 4, 0);
    uint32_t key = 7;
    struct kv v = { 1, 2 }, out;
    assert_int_equal(mt_update(map, &key, &v, ABI_EXIST), -ENOENT);
    assert_false(mt_lookup(map, &key, &out, sizeof out));
    assert_int_equal(mt_update(map, &key, &v, ABI_NOEXIST), 0);
    assert_int_equal(mt_update(map, &key, &v, ABI_NOEXIST), -EEXIST);
    v.a = 10;
    assert_int_equal(mt_update(map, &key, &v, ABI_EXIST), 0);
    assert_true(mt_lookup(map, &key, &out, sizeof out));
    assert_int_equal(out.a, 10);
    assert_int_equal(mt_update(map, &key, &v, 3), -EINVAL);
    assert_int_equal(mt_update(map, &key, &v, ABI_F_LOCK), -EINVAL); /* no spin lock */
    assert_int_equal(map_sys_update(map, &key, &v, ABI_F_LOCK), -EINVAL);
    assert_int_equal(mt_delete(map, &key), 0);
    assert_int_equal(mt_delete(map, &key), -ENOENT);
    assert_int_equal(map_sys_delete(map, &key), -ENOENT);
    assert_int_equal(map_sys_lookup(map, &key, &out, 0), -ENOENT);
    map_put(map);
}

static void test_hash_full(void **state)
{
    (void)state;
    struct map *map = mt_create(ABI_MAP_TYPE_HASH, 8, 8, 3, ABI_F_NO_PREALLOC);
    for (uint64_t k = 0; k < 3; k++)
        assert_int_equal(map_sys_update(map, &k, &k, ABI_ANY), 0);
    uint64_t k = 3;
    assert_int_equal(map_sys_update(map, &k, &k, ABI_ANY), -E2BIG);
    assert_int_equal(mt_update(map, &k, &k, ABI_ANY), -E2BIG);
    k = 1;
    uint64_t v = 100;
    assert_int_equal(map_sys_update(map, &k, &v, ABI_ANY), 0); /* replacing in a full map */
    assert_int_equal(map_sys_delete(map, &k), 0);
    k = 3;
    assert_int_equal(map_sys_update(map, &k, &k, ABI_NOEXIST), 0);
    map_put(map);
}

static void test_hash_old_value_stays(void **state)
{
    (void)state;
    struct map *map = mt_create(ABI_MAP_TYPE_HASH, 4, 16, 4, 0);
    uint32_t key = 1;
    struct kv v1 = { 1, 1 }, v2 = { 2, 2 };
    assert_int_equal(map_sys_update(map, &key, &v1, 0), 0);
    map_read_lock();
    struct kv *held = map_lookup_elem(map, &key);
    assert_non_null(held);
    assert_int_equal(map_sys_update(map, &key, &v2, 0), 0);
    assert_int_equal(map_sys_delete(map, &key), 0);
    for (int i = 0; i < 300; i++) { /* retirements trigger reclamation attempts */
        assert_int_equal(map_sys_update(map, &key, &v2, 0), 0);
        assert_int_equal(map_sys_delete(map, &key), 0);
    }
    assert_int_equal(held->a, 1); /* still the old element, not freed (ASan would know) */
    assert_int_equal(held->b, 1);
    map_read_unlock();
    map_put(map);
    map_reclaim_all();
}

static void test_hash_iteration(void **state)
{
    (void)state;
    enum { N = 200 };
    struct map *map = mt_create(ABI_MAP_TYPE_HASH, 4, 4, N, 0);
    uint32_t next, key;
    assert_int_equal(map_sys_get_next_key(map, NULL, &next), -ENOENT);
    for (uint32_t k = 0; k < N; k++) {
        uint32_t v = k * 3;
        assert_int_equal(map_sys_update(map, &k, &v, 0), 0);
    }
    unsigned char seen[N] = { 0 };
    int count = 0;
    const void *prev = NULL;
    while (map_sys_get_next_key(map, prev, &next) == 0) {
        assert_true(next < N);
        assert_int_equal(seen[next], 0);
        seen[next] = 1;
        count++;
        key = next;
        prev = &key;
    }
    assert_int_equal(count, N);
    key = 12345; /* absent: start over */
    uint32_t first;
    assert_int_equal(map_sys_get_next_key(map, NULL, &first), 0);
    assert_int_equal(map_sys_get_next_key(map, &key, &next), 0);
    assert_int_equal(next, first);

    /* Deleting the key being iterated from (the usual "delete all" loop) still visits all. */
    count = 0;
    while (map_sys_get_next_key(map, NULL, &next) == 0) {
        assert_int_equal(map_sys_delete(map, &next), 0);
        count++;
    }
    assert_int_equal(count, N);
    map_put(map);
}

static void test_hash_lookup_and_delete(void **state)
{
    (void)state;
    struct map *map = mt_create(ABI_MAP_TYPE_HASH, 4, 8, 4, 0);
    uint32_t key = 3;
    uint64_t v = 42, out = 0;
    assert_int_equal(map_sys_lookup_and_delete(map, &key, &out, 0), -ENOENT);
    assert_int_equal(map_sys_update(map, &key, &v, 0), 0);
    assert_int_equal(map_sys_lookup_and_delete(map, &key, &out, 1), -EINVAL);
    assert_int_equal(map_sys_lookup_and_delete(map, &key, &out, ABI_F_LOCK), -EINVAL);
    assert_int_equal(map_sys_lookup_and_delete(map, &key, &out, 0), 0);
    assert_int_equal(out, 42);
    assert_int_equal(map_sys_lookup(map, &key, &out, 0), -ENOENT);
    map_put(map);
}

static void test_hash_spin_lock(void **state)
{
    (void)state;
    struct map_def def = mt_def(ABI_MAP_TYPE_HASH, 4, 16, 4, 0);
    def.has_spin_lock = true;
    def.spin_lock_off = 0;
    struct map *map = mt_create_def(&def);
    uint32_t key = 9, v[4] = { 77, 1, 2, 3 }, out[4];
    assert_int_equal(map_sys_update(map, &key, v, ABI_F_LOCK | ABI_EXIST), -ENOENT);
    assert_int_equal(map_sys_update(map, &key, v, ABI_F_LOCK), 0); /* new: inserted */
    map_read_lock();
    uint32_t *elem = map_lookup_elem(map, &key);
    map_read_unlock();
    v[1] = 11;
    assert_int_equal(map_sys_update(map, &key, v, ABI_F_LOCK | ABI_NOEXIST), -EEXIST);
    assert_int_equal(map_sys_update(map, &key, v, ABI_F_LOCK), 0); /* existing: in place */
    map_read_lock();
    assert_ptr_equal(map_lookup_elem(map, &key), elem);
    map_read_unlock();
    assert_int_equal(map_sys_lookup(map, &key, out, ABI_F_LOCK), 0);
    assert_int_equal(out[0], 0);
    assert_int_equal(out[1], 11);
    assert_int_equal(map_sys_lookup_and_delete(map, &key, out, ABI_F_LOCK), 0);
    assert_int_equal(out[1], 11);
    map_put(map);
}

static long sum_values(struct map *map, const void *key, void *value, void *ctx)
{
    (void)map;
    (void)key;
    *(uint64_t *)ctx += *(uint32_t *)value;
    return 0;
}

static void test_hash_for_each(void **state)
{
    (void)state;
    struct map *map = mt_create(ABI_MAP_TYPE_HASH, 4, 4, 16, 0);
    for (uint32_t k = 1; k <= 10; k++)
        assert_int_equal(map_sys_update(map, &k, &k, 0), 0);
    uint64_t sum = 0;
    map_read_lock();
    assert_int_equal(map_for_each_elem(map, sum_values, &sum, 0), 10);
    map_read_unlock();
    assert_int_equal(sum, 55);
    map_put(map);
}

static void test_percpu_hash(void **state)
{
    (void)state;
    uint32_t cpus = map_cpu_count(), me = plat_cpu_slot();
    struct map *map = mt_create(ABI_MAP_TYPE_PERCPU_HASH, 4, 12, 4, 0);
    size_t stride = 16;
    assert_int_equal(map_sys_value_size(map), cpus * stride);
    unsigned char *all = calloc(cpus, stride);
    uint32_t key = 5;
    unsigned char v[12] = "abcdefghijk";
    /* A new element from a program: this CPU's slot set, the others zero. */
    assert_int_equal(mt_update(map, &key, v, ABI_NOEXIST), 0);
    assert_int_equal(map_sys_lookup(map, &key, all, 0), 0);
    for (uint32_t cpu = 0; cpu < cpus; cpu++)
        if (cpu == me)
            assert_memory_equal(all + cpu * stride, v, 12);
        else
            assert_memory_equal(all + cpu * stride, (unsigned char[16]){ 0 }, 16);
    for (uint32_t cpu = 0; cpu < cpus; cpu++)
        memset(all + cpu * stride, 'A' + (int)cpu, 12);
    assert_int_equal(map_sys_update(map, &key, all, ABI_EXIST), 0);
    unsigned char out[12];
    assert_true(mt_lookup(map, &key, out, 12));
    assert_int_equal(out[0], 'A' + me);
    assert_int_equal(map_sys_update(map, &key, all, ABI_F_LOCK), -EINVAL);
    memset(all, 0, cpus * stride);
    assert_int_equal(map_sys_lookup_and_delete(map, &key, all, 0), 0);
    assert_int_equal(all[(cpus - 1) * stride], 'A' + cpus - 1);
    free(all);
    map_put(map);
}

static void test_hash_direct_lookup(void **state)
{
    (void)state;
    static const uint32_t key_sizes[] = { 4, 8, 5, 16 };
    for (size_t s = 0; s < sizeof key_sizes / sizeof key_sizes[0]; s++) {
        uint32_t ks = key_sizes[s];
        struct map *map = mt_create(ABI_MAP_TYPE_HASH, ks, 8, 64, 0);
        map_lookup_fn direct = map_direct_lookup(map);
        assert_non_null(direct);
        unsigned char key[16] = { 0 };
        for (uint32_t i = 0; i < 40; i++) {
            uint32_t k = i * 0x9e3779b1u;
            memcpy(key, &k, 4);
            uint64_t v = i + 1;
            assert_int_equal(map_sys_update(map, key, &v, 0), 0);
        }
        map_read_lock();
        for (uint32_t i = 0; i < 80; i++) { /* 40 present, 40 absent */
            uint32_t k = i * 0x9e3779b1u;
            memset(key, 0, sizeof key);
            memcpy(key, &k, 4);
            key[ks - 1] ^= (unsigned char)(i >= 60); /* absent, differing in the last byte only */
            void *want = map_lookup_elem(map, key);
            assert_ptr_equal(direct(map, key), want);
            assert_true((want != NULL) == (i < 40));
            if (want)
                assert_int_equal(*(uint64_t *)want, i + 1);
        }
        map_read_unlock();
        map_put(map);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hash_flags),
        cmocka_unit_test(test_hash_full),
        cmocka_unit_test(test_hash_old_value_stays),
        cmocka_unit_test(test_hash_iteration),
        cmocka_unit_test(test_hash_lookup_and_delete),
        cmocka_unit_test(test_hash_spin_lock),
        cmocka_unit_test(test_hash_for_each),
        cmocka_unit_test(test_percpu_hash),
        cmocka_unit_test(test_hash_direct_lookup),
    };
    return cmocka_run_group_tests(tests, NULL, mt_reclaim);
}
