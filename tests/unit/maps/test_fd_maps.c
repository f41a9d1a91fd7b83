/*
 * test_fd_maps.c - maps holding objects: prog_array (program references through the runtime's class,
 * released a grace period after removal), array_of_maps and hash_of_maps (inner template matching,
 * inner map lifetime), and devmap (ifindex slots, Linux's update/delete rules).
 */
#include "maps_test.h"

struct fake_prog {
    uint32_t id;
    int released;
};

static uint32_t fake_id(void *prog)
{
    return ((struct fake_prog *)prog)->id;
}

static void fake_release(void *prog)
{
    ((struct fake_prog *)prog)->released++;
}

static const struct map_prog_class fake_class = { fake_id, fake_release };

static void test_prog_array(void **state)
{
    (void)state;
    struct map_def def = mt_def(ABI_MAP_TYPE_PROG_ARRAY, 4, 4, 4, 0);
    def.prog_class = &fake_class;
    struct map *map = mt_create_def(&def);
    struct fake_prog p1 = { 11, 0 }, p2 = { 22, 0 }, p3 = { 33, 0 };
    uint32_t key = 1, id;
    assert_int_equal(map_sys_update_obj(map, &key, &p1, ABI_NOEXIST), -EINVAL);
    assert_int_equal(map_sys_update_obj(map, &(uint32_t){ 4 }, &p1, ABI_ANY), -E2BIG);
    assert_int_equal(map_sys_update_obj(map, &key, &p1, ABI_ANY), 0);
    assert_int_equal(map_sys_update(map, &key, &id, ABI_ANY), -ABI_ENOTSUPP);
    map_read_lock();
    assert_ptr_equal(map_prog_array_get(map, 1), &p1);
    assert_null(map_prog_array_get(map, 0));
    assert_null(map_prog_array_get(map, 4));
    assert_null(map_lookup_elem(map, &key)); /* programs cannot read it directly */
    map_read_unlock();
    assert_int_equal(map_sys_lookup(map, &key, &id, 0), 0);
    assert_int_equal(id, 11);
    assert_int_equal(map_sys_update_obj(map, &key, &p2, ABI_ANY), 0);
    map_reclaim_all();
    assert_int_equal(p1.released, 1);
    assert_int_equal(map_sys_delete(map, &key), 0);
    assert_int_equal(map_sys_delete(map, &key), -ENOENT);
    assert_int_equal(map_sys_delete(map, &(uint32_t){ 9 }), -E2BIG);
    assert_int_equal(map_sys_lookup(map, &key, &id, 0), -ENOENT);
    map_reclaim_all();
    assert_int_equal(p2.released, 1);
    assert_int_equal(map_sys_update_obj(map, &(uint32_t){ 3 }, &p3, ABI_ANY), 0);
    uint32_t next;
    assert_int_equal(map_sys_get_next_key(map, NULL, &next), 0);
    assert_int_equal(next, 0);
    map_put(map);
    map_reclaim_all();
    assert_int_equal(p3.released, 1);
}

static void test_array_of_maps(void **state)
{
    (void)state;
    struct map *tmpl = mt_create(ABI_MAP_TYPE_ARRAY, 4, 8, 4, 0);
    struct map_def def = mt_def(ABI_MAP_TYPE_ARRAY_OF_MAPS, 4, 4, 2, 0);
    def.inner = tmpl;
    struct map *outer = mt_create_def(&def);
    struct map *good = mt_create(ABI_MAP_TYPE_ARRAY, 4, 8, 4, 0);
    struct map *bad_size = mt_create(ABI_MAP_TYPE_ARRAY, 4, 16, 4, 0);
    struct map *bad_max = mt_create(ABI_MAP_TYPE_ARRAY, 4, 8, 5, 0);
    good->id = 42;
    uint32_t key = 0, id;
    assert_int_equal(map_sys_update_obj(outer, &key, bad_size, ABI_ANY), -EINVAL);
    assert_int_equal(map_sys_update_obj(outer, &key, bad_max, ABI_ANY), -EINVAL);
    assert_int_equal(map_sys_update_obj(outer, &key, good, ABI_EXIST), -EINVAL);
    assert_int_equal(map_sys_update_obj(outer, &(uint32_t){ 2 }, good, ABI_ANY), -E2BIG);
    assert_int_equal(map_sys_update_obj(outer, &key, good, ABI_ANY), 0); /* takes our reference */
    map_read_lock();
    struct map *inner = map_lookup_elem(outer, &key);
    assert_ptr_equal(inner, good);
    uint32_t ikey = 3;
    uint64_t ival = 77;
    assert_int_equal(map_update_elem(inner, &ikey, &ival, 0), 0);
    map_read_unlock();
    assert_int_equal(map_sys_lookup(outer, &key, &id, 0), 0);
    assert_int_equal(id, 42);
    key = 1;
    assert_int_equal(map_sys_lookup(outer, &key, &id, 0), -ENOENT);
    key = 0;
    assert_int_equal(map_sys_delete(outer, &key), 0); /* inner freed after a grace period */
    map_put(bad_size);
    map_put(bad_max);
    map_put(outer);

    /* BPF_F_INNER_MAP: inner arrays of any size. */
    struct map *flex_tmpl = mt_create(ABI_MAP_TYPE_ARRAY, 4, 8, 1, ABI_F_INNER_MAP);
    def.inner = flex_tmpl;
    outer = mt_create_def(&def);
    struct map *big = mt_create(ABI_MAP_TYPE_ARRAY, 4, 8, 100, ABI_F_INNER_MAP);
    assert_int_equal(map_sys_update_obj(outer, &key, big, ABI_ANY), 0);
    map_put(outer); /* drops big with it */
    map_put(flex_tmpl);
    map_put(tmpl);
    map_reclaim_all();
}

static void test_hash_of_maps(void **state)
{
    (void)state;
    struct map *tmpl = mt_create(ABI_MAP_TYPE_HASH, 4, 4, 8, 0);
    struct map_def def = mt_def(ABI_MAP_TYPE_HASH_OF_MAPS, 8, 4, 2, 0);
    def.inner = tmpl;
    struct map *outer = mt_create_def(&def);
    struct map *a = mt_create(ABI_MAP_TYPE_HASH, 4, 4, 16, 0); /* max_entries may differ */
    struct map *b = mt_create(ABI_MAP_TYPE_HASH, 4, 4, 8, 0);
    struct map *c = mt_create(ABI_MAP_TYPE_HASH, 4, 4, 8, 0);
    struct map *wrong = mt_create(ABI_MAP_TYPE_LRU_HASH, 4, 4, 8, 0);
    a->id = 1, b->id = 2;
    uint64_t k1 = 100, k2 = 200, k3 = 300;
    uint32_t id;
    assert_int_equal(map_sys_update_obj(outer, &k1, wrong, ABI_ANY), -EINVAL);
    assert_int_equal(map_sys_update_obj(outer, &k1, a, ABI_ANY), 0);
    assert_int_equal(map_sys_update_obj(outer, &k2, b, ABI_NOEXIST), 0);
    map_get(c);
    assert_int_equal(map_sys_update_obj(outer, &k3, c, ABI_ANY), -E2BIG); /* full */
    assert_int_equal(map_sys_update_obj(outer, &k2, c, ABI_NOEXIST), -EEXIST);
    assert_int_equal(map_sys_update_obj(outer, &k2, c, ABI_EXIST), 0); /* b released */
    map_read_lock();
    assert_ptr_equal(map_lookup_elem(outer, &k1), a);
    assert_ptr_equal(map_lookup_elem(outer, &k2), c);
    assert_null(map_lookup_elem(outer, &k3));
    map_read_unlock();
    assert_int_equal(map_sys_lookup(outer, &k1, &id, 0), 0);
    assert_int_equal(id, 1);
    assert_int_equal(map_sys_lookup_and_delete(outer, &k1, &id, 0), -ABI_ENOTSUPP);
    assert_int_equal(map_sys_delete(outer, &k1), 0);
    map_put(c); /* our extra reference; outer still holds one */
    map_put(wrong);
    map_put(outer);
    map_put(tmpl);
    map_reclaim_all();
}

static void test_devmap(void **state)
{
    (void)state;
    struct map *map = mt_create(ABI_MAP_TYPE_DEVMAP, 4, 4, 4, 0);
    uint32_t key = 1, ifindex = 3, out;
    assert_int_equal(map_sys_lookup(map, &key, &out, 0), -ENOENT);
    assert_int_equal(map_sys_update(map, &key, &ifindex, ABI_NOEXIST), -EEXIST);
    assert_int_equal(map_sys_update(map, &key, &ifindex, 4), -EINVAL);
    assert_int_equal(map_sys_update(map, &(uint32_t){ 4 }, &ifindex, 0), -E2BIG);
    assert_int_equal(map_sys_update(map, &key, &ifindex, ABI_ANY), 0);
    map_read_lock();
    uint32_t *val = map_lookup_elem(map, &key);
    assert_non_null(val);
    assert_int_equal(val[0], 3);
    assert_null(map_lookup_elem(map, &(uint32_t){ 0 }));
    map_read_unlock();
    assert_int_equal(map_sys_lookup(map, &key, &out, 0), 0);
    assert_int_equal(out, 3);
    ifindex = 0;
    assert_int_equal(map_sys_update(map, &key, &ifindex, ABI_ANY), 0); /* clears */
    assert_int_equal(map_sys_lookup(map, &key, &out, 0), -ENOENT);
    assert_int_equal(map_sys_delete(map, &key), 0);                   /* empty: still 0 */
    assert_int_equal(map_sys_delete(map, &(uint32_t){ 4 }), -EINVAL);
    map_put(map);

    map = mt_create(ABI_MAP_TYPE_DEVMAP, 4, 8, 2, 0);
    struct { uint32_t ifindex; int32_t prog_fd; } v = { 5, -1 }, got;
    assert_int_equal(map_sys_update(map, &key, &v, 0), 0);
    assert_int_equal(map_sys_lookup(map, &key, &got, 0), 0);
    assert_int_equal(got.ifindex, 5);
    assert_int_equal(got.prog_fd, 0); /* the program id: none */
    v.prog_fd = 7;
    assert_int_equal(map_sys_update(map, &key, &v, 0), -EOPNOTSUPP);
    v.ifindex = 0;
    v.prog_fd = 0;
    assert_int_equal(map_sys_update(map, &key, &v, 0), -EINVAL);
    map_put(map);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_prog_array),
        cmocka_unit_test(test_array_of_maps),
        cmocka_unit_test(test_hash_of_maps),
        cmocka_unit_test(test_devmap),
    };
    return cmocka_run_group_tests(tests, NULL, mt_reclaim);
}
