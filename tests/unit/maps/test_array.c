/*
 * test_array.c - array and percpu_array: update flags and errors, iteration order, direct value
 * access, BPF_F_MMAPABLE, spin-lock fields and BPF_F_LOCK, freeze and access flags, and the per-CPU
 * user-space layout (every CPU's value, 8-byte aligned).
 */
#include "maps_test.h"

static void test_array_update_lookup(void **state)
{
    (void)state;
    struct map *map = mt_create(ABI_MAP_TYPE_ARRAY, 4, 12, 4, 0);
    uint32_t key = 2;
    unsigned char value[12] = "hello world", out[12];
    assert_int_equal(mt_update(map, &key, value, ABI_ANY), 0);
    assert_true(mt_lookup(map, &key, out, sizeof out));
    assert_memory_equal(out, value, sizeof value);
    assert_int_equal(mt_update(map, &key, value, ABI_EXIST), 0);
    assert_int_equal(mt_update(map, &key, value, ABI_NOEXIST), -EEXIST);
    assert_int_equal(mt_update(map, &key, value, 8), -EINVAL);
    assert_int_equal(mt_update(map, &key, value, ABI_F_LOCK), -EINVAL); /* no spin lock */
    key = 4;
    assert_int_equal(mt_update(map, &key, value, ABI_ANY), -E2BIG);
    assert_false(mt_lookup(map, &key, out, sizeof out));
    assert_int_equal(mt_delete(map, &key), -EINVAL);
    key = 0;
    assert_int_equal(mt_delete(map, &key), -EINVAL);
    assert_int_equal(map_sys_lookup(map, &key, out, 0), 0);
    assert_memory_equal(out, (unsigned char[12]){ 0 }, sizeof out);
    key = 9;
    assert_int_equal(map_sys_lookup(map, &key, out, 0), -ENOENT);
    assert_int_equal(map_sys_update(map, &key, value, 0), -E2BIG);
    assert_int_equal(map_sys_lookup(map, &key, out, 2), -EINVAL);
    assert_int_equal(map_sys_lookup_and_delete(map, &key, out, 0), -ABI_ENOTSUPP);
    map_put(map);
}

static void test_array_next_key(void **state)
{
    (void)state;
    struct map *map = mt_create(ABI_MAP_TYPE_ARRAY, 4, 4, 3, 0);
    uint32_t key, next;
    assert_int_equal(map_sys_get_next_key(map, NULL, &next), 0);
    assert_int_equal(next, 0);
    key = 0;
    assert_int_equal(map_sys_get_next_key(map, &key, &next), 0);
    assert_int_equal(next, 1);
    key = 1;
    assert_int_equal(map_sys_get_next_key(map, &key, &next), 0);
    assert_int_equal(next, 2);
    key = 2;
    assert_int_equal(map_sys_get_next_key(map, &key, &next), -ENOENT);
    key = 77;
    assert_int_equal(map_sys_get_next_key(map, &key, &next), 0);
    assert_int_equal(next, 0);
    map_put(map);
}

static long count_until_two(struct map *map, const void *key, void *value, void *ctx)
{
    (void)map;
    (void)value;
    uint32_t k;
    memcpy(&k, key, 4);
    *(uint32_t *)ctx += k;
    return k == 2;
}

static void test_array_for_each(void **state)
{
    (void)state;
    struct map *map = mt_create(ABI_MAP_TYPE_ARRAY, 4, 4, 5, 0);
    uint32_t sum = 0;
    map_read_lock();
    assert_int_equal(map_for_each_elem(map, count_until_two, &sum, 0), 3);
    assert_int_equal(map_for_each_elem(map, count_until_two, &sum, 1), -EINVAL);
    map_read_unlock();
    assert_int_equal(sum, 0 + 1 + 2);
    map_put(map);
}

static void test_direct_value_and_mmap(void **state)
{
    (void)state;
    struct map *one = mt_create(ABI_MAP_TYPE_ARRAY, 4, 16, 1, 0);
    void *addr = NULL;
    assert_int_equal(map_direct_value_addr(one, 8, &addr), 0);
    uint32_t key = 0;
    map_read_lock();
    assert_ptr_equal(addr, (char *)map_lookup_elem(one, &key) + 8);
    map_read_unlock();
    assert_int_equal(map_direct_value_addr(one, 16, &addr), -EINVAL);
    assert_null(map_mmap_base(one, NULL));
    struct map *two = mt_create(ABI_MAP_TYPE_ARRAY, 4, 16, 2, 0);
    assert_int_equal(map_direct_value_addr(two, 0, &addr), -ABI_ENOTSUPP);
    struct map *hash = mt_create(ABI_MAP_TYPE_HASH, 4, 16, 2, 0);
    assert_int_equal(map_direct_value_addr(hash, 0, &addr), -EINVAL);

    struct map *mm = mt_create(ABI_MAP_TYPE_ARRAY, 4, 12, 3, ABI_F_MMAPABLE);
    size_t size = 0;
    unsigned char *base = map_mmap_base(mm, &size);
    assert_non_null(base);
    assert_int_equal((uintptr_t)base % ABI_PAGE_SIZE, 0);
    assert_true(size >= 3 * 16);
    memcpy(base + 2 * 16, "abc", 4); /* element 2, stride round_up(12, 8) */
    char out[12];
    key = 2;
    assert_int_equal(map_sys_lookup(mm, &key, out, 0), 0);
    assert_string_equal(out, "abc");
    map_put(one);
    map_put(two);
    map_put(hash);
    map_put(mm);
}

static void test_array_spin_lock(void **state)
{
    (void)state;
    struct map_def def = mt_def(ABI_MAP_TYPE_ARRAY, 4, 16, 2, 0);
    def.has_spin_lock = true;
    def.spin_lock_off = 4;
    struct map *map = mt_create_def(&def);
    uint32_t key = 1;
    uint32_t value[4] = { 11, 0xdead, 13, 14 }, out[4];
    assert_int_equal(map_sys_update(map, &key, value, ABI_F_LOCK), 0);
    assert_int_equal(map_sys_lookup(map, &key, out, ABI_F_LOCK), 0);
    assert_int_equal(out[0], 11);
    assert_int_equal(out[1], 0); /* the lock reads as zero and was not copied in */
    assert_int_equal(out[2], 13);
    /* A held lock survives a plain update (copy_map_value skips it). */
    map_read_lock();
    uint32_t *slot = map_lookup_elem(map, &key);
    map_spin_lock(&slot[1]);
    map_read_unlock();
    value[0] = 21;
    assert_int_equal(map_sys_update(map, &key, value, 0), 0);
    assert_int_equal(__atomic_load_n(&slot[1], __ATOMIC_RELAXED), 1);
    assert_int_equal(map_sys_lookup(map, &key, out, 0), 0);
    assert_int_equal(out[0], 21);
    assert_int_equal(out[1], 0);
    map_spin_unlock(&slot[1]);
    assert_int_equal(map_sys_freeze(map), -ABI_ENOTSUPP);
    map_put(map);
}

static void test_freeze_and_access(void **state)
{
    (void)state;
    struct map *map = mt_create(ABI_MAP_TYPE_ARRAY, 4, 4, 2, 0);
    uint32_t key = 0, value = 5, out;
    assert_int_equal(map_sys_freeze(map), 0);
    assert_int_equal(map_sys_freeze(map), -EBUSY);
    assert_int_equal(map_sys_update(map, &key, &value, 0), -EPERM);
    assert_int_equal(mt_update(map, &key, &value, 0), 0); /* programs may still write */
    assert_int_equal(map_sys_lookup(map, &key, &out, 0), 0);
    assert_int_equal(out, 5);
    map_put(map);

    struct map *ro = mt_create(ABI_MAP_TYPE_ARRAY, 4, 4, 2, ABI_F_RDONLY);
    assert_int_equal(map_sys_update(ro, &key, &value, 0), -EPERM);
    assert_int_equal(map_sys_lookup(ro, &key, &out, 0), 0);
    assert_int_equal(map_sys_freeze(ro), -EPERM);
    struct map *wo = mt_create(ABI_MAP_TYPE_ARRAY, 4, 4, 2, ABI_F_WRONLY);
    assert_int_equal(map_sys_update(wo, &key, &value, 0), 0);
    assert_int_equal(map_sys_lookup(wo, &key, &out, 0), -EPERM);
    assert_int_equal(map_sys_get_next_key(wo, NULL, &out), -EPERM);
    struct map *rop = mt_create(ABI_MAP_TYPE_ARRAY, 4, 4, 2, ABI_F_RDONLY_PROG);
    assert_int_equal(map_sys_update(rop, &key, &value, 0), 0);
    assert_int_equal(mt_update(rop, &key, &value, 0), -EPERM);
    assert_true(mt_lookup(rop, &key, &out, 4));
    map_put(ro);
    map_put(wo);
    map_put(rop);
}

static void test_percpu_array(void **state)
{
    (void)state;
    uint32_t cpus = map_cpu_count();
    assert_true(cpus >= 1);
    struct map *map = mt_create(ABI_MAP_TYPE_PERCPU_ARRAY, 4, 4, 3, 0);
    assert_int_equal(map_sys_value_size(map), cpus * 8);
    uint64_t *all = calloc(cpus, 8);
    uint32_t key = 1, v = 0x01020304;
    assert_int_equal(mt_update(map, &key, &v, ABI_ANY), 0);
    assert_int_equal(map_sys_lookup(map, &key, all, 0), 0);
    uint32_t me = plat_cpu_slot();
    for (uint32_t cpu = 0; cpu < cpus; cpu++)
        assert_int_equal(all[cpu], cpu == me ? 0x01020304u : 0);
    for (uint32_t cpu = 0; cpu < cpus; cpu++)
        all[cpu] = 100 + cpu;
    assert_int_equal(map_sys_update(map, &key, all, ABI_ANY), 0);
    assert_int_equal(map_sys_update(map, &key, all, ABI_NOEXIST), -EEXIST);
    assert_int_equal(map_sys_update(map, &key, all, ABI_F_LOCK), -EINVAL);
    uint32_t out;
    assert_true(mt_lookup(map, &key, &out, 4));
    assert_int_equal(out, 100 + me);
    assert_int_equal(mt_update(map, &key, &v, ABI_NOEXIST), -EEXIST);
    key = 3;
    assert_int_equal(mt_update(map, &key, &v, ABI_ANY), -E2BIG);
    assert_int_equal(map_sys_lookup(map, &key, all, 0), -ENOENT);
    free(all);
    map_put(map);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_array_update_lookup),
        cmocka_unit_test(test_array_next_key),
        cmocka_unit_test(test_array_for_each),
        cmocka_unit_test(test_direct_value_and_mmap),
        cmocka_unit_test(test_array_spin_lock),
        cmocka_unit_test(test_freeze_and_access),
        cmocka_unit_test(test_percpu_array),
    };
    return cmocka_run_group_tests(tests, NULL, mt_reclaim);
}
