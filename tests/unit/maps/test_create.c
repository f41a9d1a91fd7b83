/*
 * test_create.c - map creation: Linux's validation per type (sizes, flags, names, spin locks,
 * map-in-map templates) with its error codes, and the map type names of abi/map_types.def.
 */
#include "maps_test.h"

static void test_type_names(void **state)
{
    (void)state;
    assert_string_equal(abi_map_type_name(ABI_MAP_TYPE_HASH), "hash");
    assert_string_equal(abi_map_type_name(10), "lru_percpu_hash");
    assert_string_equal(abi_map_type_name(ABI_MAP_TYPE_RINGBUF), "ringbuf");
    assert_null(abi_map_type_name(ABI_MAP_TYPE_LIMIT));
    assert_int_equal(abi_map_type_from_name("lpm_trie"), 11);
    assert_int_equal(abi_map_type_from_name("devmap"), 14);
    assert_int_equal(abi_map_type_from_name("nope"), -1);
    assert_int_equal(ABI_MAP_TYPE_QUEUE, 22);
    assert_int_equal(ABI_MAP_TYPE_STACK, 23);
}

static void test_unknown_and_unsupported(void **state)
{
    (void)state;
    struct map_def def = mt_def(9999, 4, 4, 1, 0);
    assert_int_equal(mt_create_err(&def), -EINVAL);
    def = mt_def(ABI_MAP_TYPE_SOCKMAP, 4, 4, 1, 0);
    struct map *map = NULL;
    ebpf_diag diag;
    assert_int_equal(map_create(&def, &map, &diag), -EINVAL);
    assert_non_null(strstr(diag.message, "sockmap"));
}

static void test_names(void **state)
{
    (void)state;
    struct map_def def = mt_def(ABI_MAP_TYPE_ARRAY, 4, 4, 1, 0);
    def.name = "counters.bss_1";
    struct map *map = mt_create_def(&def);
    assert_string_equal(map->name, "counters.bss_1");
    map_put(map);
    def.name = "sixteen_chars_xx";
    assert_int_equal(mt_create_err(&def), -EINVAL);
    def.name = "bad-name";
    assert_int_equal(mt_create_err(&def), -EINVAL);
}

static void test_array_rules(void **state)
{
    (void)state;
    struct map_def def = mt_def(ABI_MAP_TYPE_ARRAY, 8, 4, 1, 0);
    assert_int_equal(mt_create_err(&def), -EINVAL);
    def = mt_def(ABI_MAP_TYPE_ARRAY, 4, 0, 1, 0);
    assert_int_equal(mt_create_err(&def), -EINVAL);
    def = mt_def(ABI_MAP_TYPE_ARRAY, 4, 4, 0, 0);
    assert_int_equal(mt_create_err(&def), -EINVAL);
    def = mt_def(ABI_MAP_TYPE_ARRAY, 4, 4, 1, ABI_F_NO_PREALLOC);
    assert_int_equal(mt_create_err(&def), -EINVAL);
    def = mt_def(ABI_MAP_TYPE_PERCPU_ARRAY, 4, 4, 1, ABI_F_MMAPABLE);
    assert_int_equal(mt_create_err(&def), -EINVAL);
    def = mt_def(ABI_MAP_TYPE_ARRAY, 4, 4, 1, ABI_F_PRESERVE_ELEMS);
    assert_int_equal(mt_create_err(&def), -EINVAL);
    def = mt_def(ABI_MAP_TYPE_PERCPU_ARRAY, 4, ABI_PCPU_MIN_UNIT_SIZE + 1, 1, 0);
    assert_int_equal(mt_create_err(&def), -E2BIG);
    def = mt_def(ABI_MAP_TYPE_ARRAY, 4, 4, 1, ABI_F_RDONLY | ABI_F_WRONLY);
    assert_int_equal(mt_create_err(&def), -EINVAL);
    def = mt_def(ABI_MAP_TYPE_ARRAY, 4, 4, 1, ABI_F_RDONLY_PROG | ABI_F_WRONLY_PROG);
    assert_int_equal(mt_create_err(&def), -EINVAL);
    def = mt_def(ABI_MAP_TYPE_ARRAY, 4, 4, 1, ABI_F_MMAPABLE | ABI_F_RDONLY_PROG);
    assert_int_equal(mt_create_err(&def), 0);
}

static void test_hash_rules(void **state)
{
    (void)state;
    struct map_def def = mt_def(ABI_MAP_TYPE_HASH, 0, 4, 1, 0);
    assert_int_equal(mt_create_err(&def), -EINVAL);
    def = mt_def(ABI_MAP_TYPE_HASH, 4, 0, 1, 0);
    assert_int_equal(mt_create_err(&def), -EINVAL);
    def = mt_def(ABI_MAP_TYPE_HASH, ABI_MAX_STACK + 1, 4, 1, 0);
    assert_int_equal(mt_create_err(&def), -E2BIG);
    def = mt_def(ABI_MAP_TYPE_HASH, 4, 4, 1, ABI_F_NO_COMMON_LRU);
    assert_int_equal(mt_create_err(&def), -EINVAL);
    def = mt_def(ABI_MAP_TYPE_HASH, 4, 4, 1, ABI_F_MMAPABLE);
    assert_int_equal(mt_create_err(&def), -EINVAL);
    def = mt_def(ABI_MAP_TYPE_HASH, 4, 4, 1, ABI_F_NO_PREALLOC | ABI_F_ZERO_SEED);
    assert_int_equal(mt_create_err(&def), 0);
    def = mt_def(ABI_MAP_TYPE_LRU_HASH, 4, 4, 1, ABI_F_NO_PREALLOC);
    assert_int_equal(mt_create_err(&def), -ABI_ENOTSUPP);
    def = mt_def(ABI_MAP_TYPE_LRU_PERCPU_HASH, 4, 4, 1, ABI_F_NO_COMMON_LRU);
    assert_int_equal(mt_create_err(&def), 0);
    def = mt_def(ABI_MAP_TYPE_PERCPU_HASH, 4, ABI_PCPU_MIN_UNIT_SIZE + 8, 1, 0);
    assert_int_equal(mt_create_err(&def), -E2BIG);
    def = mt_def(ABI_MAP_TYPE_PERCPU_HASH, 4, 4, 1, ABI_F_NUMA_NODE);
    assert_int_equal(mt_create_err(&def), -EINVAL);
}

static void test_lpm_rules(void **state)
{
    (void)state;
    struct map_def def = mt_def(ABI_MAP_TYPE_LPM_TRIE, 8, 4, 16, 0);
    assert_int_equal(mt_create_err(&def), -EINVAL); /* needs BPF_F_NO_PREALLOC */
    def = mt_def(ABI_MAP_TYPE_LPM_TRIE, 4, 4, 16, ABI_F_NO_PREALLOC);
    assert_int_equal(mt_create_err(&def), -EINVAL);
    def = mt_def(ABI_MAP_TYPE_LPM_TRIE, 4 + 257, 4, 16, ABI_F_NO_PREALLOC);
    assert_int_equal(mt_create_err(&def), -EINVAL);
    def = mt_def(ABI_MAP_TYPE_LPM_TRIE, 8, 0, 16, ABI_F_NO_PREALLOC);
    assert_int_equal(mt_create_err(&def), -EINVAL);
    def = mt_def(ABI_MAP_TYPE_LPM_TRIE, 4 + 256, 4, 16, ABI_F_NO_PREALLOC);
    assert_int_equal(mt_create_err(&def), 0);
}

static void test_queue_ringbuf_rules(void **state)
{
    (void)state;
    struct map_def def = mt_def(ABI_MAP_TYPE_QUEUE, 4, 4, 4, 0);
    assert_int_equal(mt_create_err(&def), -EINVAL);
    def = mt_def(ABI_MAP_TYPE_STACK, 0, 0, 4, 0);
    assert_int_equal(mt_create_err(&def), -EINVAL);
    def = mt_def(ABI_MAP_TYPE_STACK, 0, 4, 4, ABI_F_NO_PREALLOC);
    assert_int_equal(mt_create_err(&def), -EINVAL);
    def = mt_def(ABI_MAP_TYPE_QUEUE, 0, 8, 4, 0);
    assert_int_equal(mt_create_err(&def), 0);

    def = mt_def(ABI_MAP_TYPE_RINGBUF, 0, 0, 3 * 4096, 0);
    assert_int_equal(mt_create_err(&def), -EINVAL);
    def = mt_def(ABI_MAP_TYPE_RINGBUF, 0, 0, 1024, 0);
    assert_int_equal(mt_create_err(&def), -EINVAL);
    def = mt_def(ABI_MAP_TYPE_RINGBUF, 4, 0, 4096, 0);
    assert_int_equal(mt_create_err(&def), -EINVAL);
    def = mt_def(ABI_MAP_TYPE_RINGBUF, 0, 0, 8192, ABI_F_RDONLY);
    assert_int_equal(mt_create_err(&def), -EINVAL);
    def = mt_def(ABI_MAP_TYPE_RINGBUF, 0, 0, 8192, 0);
    assert_int_equal(mt_create_err(&def), 0);
}

static void test_fd_map_rules(void **state)
{
    (void)state;
    struct map_def def = mt_def(ABI_MAP_TYPE_PROG_ARRAY, 4, 8, 4, 0);
    assert_int_equal(mt_create_err(&def), -EINVAL);
    def = mt_def(ABI_MAP_TYPE_PROG_ARRAY, 4, 4, 4, ABI_F_RDONLY_PROG);
    assert_int_equal(mt_create_err(&def), -EINVAL);
    def = mt_def(ABI_MAP_TYPE_PERF_EVENT_ARRAY, 4, 4, 4, ABI_F_PRESERVE_ELEMS);
    assert_int_equal(mt_create_err(&def), 0);

    def = mt_def(ABI_MAP_TYPE_ARRAY_OF_MAPS, 4, 4, 4, 0);
    assert_int_equal(mt_create_err(&def), -EBADF); /* no inner template */
    struct map *inner = mt_create(ABI_MAP_TYPE_ARRAY, 4, 4, 4, 0);
    def.inner = inner;
    assert_int_equal(mt_create_err(&def), 0);
    def.value_size = 8;
    assert_int_equal(mt_create_err(&def), -EINVAL);
    struct map_def hash_def = mt_def(ABI_MAP_TYPE_HASH_OF_MAPS, 4, 4, 4, 0);
    hash_def.inner = inner;
    struct map *outer = mt_create_def(&hash_def);
    def = mt_def(ABI_MAP_TYPE_ARRAY_OF_MAPS, 4, 4, 4, 0);
    def.inner = outer;
    assert_int_equal(mt_create_err(&def), -EINVAL); /* two levels */
    struct map *progs = mt_create(ABI_MAP_TYPE_PROG_ARRAY, 4, 4, 4, 0);
    def.inner = progs;
    assert_int_equal(mt_create_err(&def), -ABI_ENOTSUPP);
    map_put(progs);
    map_put(outer);
    map_put(inner);

    def = mt_def(ABI_MAP_TYPE_DEVMAP, 4, 12, 4, 0);
    assert_int_equal(mt_create_err(&def), -EINVAL);
    def = mt_def(ABI_MAP_TYPE_DEVMAP, 4, 8, 4, ABI_F_NO_PREALLOC);
    assert_int_equal(mt_create_err(&def), -EINVAL);
    struct map *dev = mt_create(ABI_MAP_TYPE_DEVMAP, 4, 4, 4, 0);
    assert_true(dev->map_flags & ABI_F_RDONLY_PROG);
    map_put(dev);
}

static void test_spin_lock_rules(void **state)
{
    (void)state;
    struct map_def def = mt_def(ABI_MAP_TYPE_LRU_HASH, 4, 16, 4, 0);
    def.has_spin_lock = true;
    def.spin_lock_off = 0;
    assert_int_equal(mt_create_err(&def), -EOPNOTSUPP);
    def.type = ABI_MAP_TYPE_HASH;
    def.spin_lock_off = 16;
    assert_int_equal(mt_create_err(&def), -EINVAL);
    def.spin_lock_off = 2;
    assert_int_equal(mt_create_err(&def), -EINVAL);
    def.spin_lock_off = 12;
    struct map *map = mt_create_def(&def);
    assert_int_equal(map->spin_lock_off, 12);
    map_put(map);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_type_names),
        cmocka_unit_test(test_unknown_and_unsupported),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_array_rules),
        cmocka_unit_test(test_hash_rules),
        cmocka_unit_test(test_lpm_rules),
        cmocka_unit_test(test_queue_ringbuf_rules),
        cmocka_unit_test(test_fd_map_rules),
        cmocka_unit_test(test_spin_lock_rules),
    };
    return cmocka_run_group_tests(tests, NULL, mt_reclaim);
}
