/*
 * test_queue_stack.c - queue (FIFO) and stack (LIFO): order, full map (-E2BIG, or BPF_EXIST
 * dropping the oldest value), empty map (-ENOENT), push flags, and the bpf() commands mapped onto
 * push/peek/pop.
 */
#include "maps_test.h"

static void push_all(struct map *map, int from, int to, uint64_t flags)
{
    for (int i = from; i <= to; i++) {
        uint32_t v = (uint32_t)i;
        map_read_lock();
        assert_int_equal(map_push_elem(map, &v, flags), 0);
        map_read_unlock();
    }
}

static uint32_t pop(struct map *map)
{
    uint32_t v = 0;
    map_read_lock();
    assert_int_equal(map_pop_elem(map, &v), 0);
    map_read_unlock();
    return v;
}

static void test_queue_order_and_overwrite(void **state)
{
    (void)state;
    struct map *map = mt_create(ABI_MAP_TYPE_QUEUE, 0, 4, 3, 0);
    uint32_t v = 0;
    map_read_lock();
    assert_int_equal(map_pop_elem(map, &v), -ENOENT);
    assert_int_equal(map_peek_elem(map, &v), -ENOENT);
    map_read_unlock();
    push_all(map, 1, 3, ABI_ANY);
    map_read_lock();
    v = 4;
    assert_int_equal(map_push_elem(map, &v, ABI_ANY), -E2BIG);
    assert_int_equal(map_push_elem(map, &v, ABI_EXIST), 0); /* drops 1 */
    assert_int_equal(map_peek_elem(map, &v), 0);
    assert_int_equal(v, 2);
    map_read_unlock();
    assert_int_equal(pop(map), 2);
    assert_int_equal(pop(map), 3);
    assert_int_equal(pop(map), 4);
    /* Wrap around the ring several times. */
    for (uint32_t round = 0; round < 10; round++) {
        push_all(map, (int)round * 3, (int)round * 3 + 2, ABI_ANY);
        for (uint32_t i = 0; i < 3; i++)
            assert_int_equal(pop(map), round * 3 + i);
    }
    map_put(map);
}

static void test_stack_order_and_overwrite(void **state)
{
    (void)state;
    struct map *map = mt_create(ABI_MAP_TYPE_STACK, 0, 4, 3, 0);
    push_all(map, 1, 3, ABI_ANY);
    uint32_t v = 4;
    map_read_lock();
    assert_int_equal(map_push_elem(map, &v, ABI_ANY), -E2BIG);
    assert_int_equal(map_push_elem(map, &v, ABI_EXIST), 0); /* drops the oldest, 1 */
    assert_int_equal(map_peek_elem(map, &v), 0);
    assert_int_equal(v, 4);
    map_read_unlock();
    assert_int_equal(pop(map), 4);
    assert_int_equal(pop(map), 3);
    assert_int_equal(pop(map), 2);
    map_read_lock();
    assert_int_equal(map_pop_elem(map, &v), -ENOENT);
    map_read_unlock();
    map_put(map);
}

static void test_queue_flags_and_sys(void **state)
{
    (void)state;
    struct map *map = mt_create(ABI_MAP_TYPE_QUEUE, 0, 8, 4, 0);
    uint64_t v = 5, out = 0;
    map_read_lock();
    assert_int_equal(map_push_elem(map, &v, ABI_NOEXIST), -EINVAL);
    assert_int_equal(map_push_elem(map, &v, 4), -EINVAL);
    assert_int_equal(map_update_elem(map, NULL, &v, 0), -EINVAL);
    assert_int_equal(map_delete_elem(map, NULL), -EINVAL);
    assert_null(map_lookup_elem(map, NULL));
    map_read_unlock();
    assert_int_equal(map_sys_update(map, NULL, &v, ABI_ANY), 0); /* push */
    v = 6;
    assert_int_equal(map_sys_update(map, NULL, &v, ABI_ANY), 0);
    assert_int_equal(map_sys_lookup(map, NULL, &out, 0), 0);      /* peek */
    assert_int_equal(out, 5);
    assert_int_equal(map_sys_lookup_and_delete(map, NULL, &out, ABI_F_LOCK), -EINVAL);
    assert_int_equal(map_sys_lookup_and_delete(map, NULL, &out, 0), 0); /* pop */
    assert_int_equal(out, 5);
    assert_int_equal(map_sys_delete(map, NULL), -EINVAL);
    assert_int_equal(map_sys_get_next_key(map, NULL, &out), -EINVAL);
    assert_int_equal(map_sys_lookup_and_delete(map, NULL, &out, 0), 0);
    assert_int_equal(out, 6);
    assert_int_equal(map_sys_lookup_and_delete(map, NULL, &out, 0), -ENOENT);
    map_put(map);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_queue_order_and_overwrite),
        cmocka_unit_test(test_stack_order_and_overwrite),
        cmocka_unit_test(test_queue_flags_and_sys),
    };
    return cmocka_run_group_tests(tests, NULL, mt_reclaim);
}
