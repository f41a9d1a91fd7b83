/*
 * test_ringbuf.c - ringbuf: reserve/submit/discard ordering (a busy record holds back later ones),
 * output and its errors, query values, records up to the largest that fits, wrap-around with records
 * straddling the end of the ring, and waiting for data from another thread.
 */
#include "maps_test.h"

struct collected {
    int count;
    uint32_t sizes[64];
    unsigned char first[64];
};

static int collect(void *ctx, void *data, size_t size)
{
    struct collected *c = ctx;
    if (c->count < 64) {
        c->sizes[c->count] = (uint32_t)size;
        c->first[c->count] = size ? *(unsigned char *)data : 0;
    }
    c->count++;
    return 0;
}

static struct map *ringbuf(uint32_t size)
{
    return mt_create(ABI_MAP_TYPE_RINGBUF, 0, 0, size, 0);
}

static void test_ringbuf_order(void **state)
{
    (void)state;
    struct map *map = ringbuf(4096);
    map_read_lock();
    unsigned char *a = map_ringbuf_reserve(map, 10, 0);
    unsigned char *b = map_ringbuf_reserve(map, 20, 0);
    unsigned char *c = map_ringbuf_reserve(map, 30, 0);
    assert_non_null(a);
    assert_non_null(b);
    assert_non_null(c);
    assert_null(map_ringbuf_reserve(map, 10, 1)); /* flags must be 0 */
    a[0] = 'a', b[0] = 'b', c[0] = 'c';
    map_ringbuf_submit(b, 0);
    map_ringbuf_discard(c, ABI_RB_NO_WAKEUP);
    map_read_unlock();
    struct collected got = { 0 };
    assert_int_equal(map_ringbuf_consume(map, collect, &got), 0); /* a is still busy */
    assert_int_equal(map_ringbuf_wait(map, 0), 0);
    map_read_lock();
    map_ringbuf_submit(a, ABI_RB_FORCE_WAKEUP);
    map_read_unlock();
    assert_int_equal(map_ringbuf_wait(map, 0), 1);
    assert_int_equal(map_ringbuf_consume(map, collect, &got), 2); /* c was discarded */
    assert_int_equal(got.sizes[0], 10);
    assert_int_equal(got.first[0], 'a');
    assert_int_equal(got.sizes[1], 20);
    assert_int_equal(got.first[1], 'b');
    assert_int_equal(map_ringbuf_consume(map, collect, &got), 0);
    map_put(map);
}

static void test_ringbuf_output_and_query(void **state)
{
    (void)state;
    struct map *map = ringbuf(4096);
    map_read_lock();
    assert_int_equal(map_ringbuf_query(map, ABI_RB_RING_SIZE), 4096);
    assert_int_equal(map_ringbuf_query(map, ABI_RB_AVAIL_DATA), 0);
    assert_int_equal(map_ringbuf_output(map, "hello", 5, 0), 0);
    assert_int_equal(map_ringbuf_query(map, ABI_RB_AVAIL_DATA), 16); /* 8 header + 5, to 8 */
    assert_int_equal(map_ringbuf_query(map, ABI_RB_PROD_POS), 16);
    assert_int_equal(map_ringbuf_query(map, ABI_RB_CONS_POS), 0);
    assert_int_equal(map_ringbuf_query(map, 99), 0);
    assert_int_equal(map_ringbuf_output(map, "x", 1, 4), -EINVAL);
    map_read_unlock();
    struct collected got = { 0 };
    assert_int_equal(map_ringbuf_consume(map, collect, &got), 1);
    assert_int_equal(got.sizes[0], 5);
    map_read_lock();
    assert_int_equal(map_ringbuf_query(map, ABI_RB_CONS_POS), 16);
    assert_int_equal(map_ringbuf_query(map, ABI_RB_AVAIL_DATA), 0);
    /* The largest record leaves the ring one 8-byte unit short of full (Linux's rule). */
    assert_null(map_ringbuf_reserve(map, 4096 - 16 + 1, 0));
    void *big = map_ringbuf_reserve(map, 4096 - 16, 0);
    assert_non_null(big);
    assert_int_equal(map_ringbuf_output(map, "y", 1, 0), -EAGAIN);
    map_ringbuf_discard(big, 0);
    map_read_unlock();
    assert_int_equal(map_ringbuf_consume(map, collect, &got), 0);
    map_read_lock();
    assert_int_equal(map_ringbuf_output(map, "y", 1, 0), 0);
    /* Not a ring buffer. */
    struct map *array = mt_create(ABI_MAP_TYPE_ARRAY, 4, 4, 1, 0);
    assert_null(map_ringbuf_reserve(array, 8, 0));
    assert_int_equal(map_ringbuf_output(array, "y", 1, 0), -EINVAL);
    assert_int_equal(map_ringbuf_query(array, ABI_RB_RING_SIZE), 0);
    map_read_unlock();
    assert_int_equal(map_ringbuf_consume(array, collect, &got), -EINVAL);
    assert_int_equal(map_sys_lookup(map, NULL, &got, 0), -ABI_ENOTSUPP);
    map_put(array);
    map_put(map);
}

struct checker {
    uint32_t expect_seq;
    int count;
    bool bad;
};

static int check_record(void *ctx, void *data, size_t size)
{
    struct checker *c = ctx;
    unsigned char *bytes = data;
    uint32_t seq;
    memcpy(&seq, bytes, 4);
    if (seq != c->expect_seq || size < 4 || size != 4 + seq % 1500)
        c->bad = true;
    for (size_t i = 4; i < size; i++)
        if (bytes[i] != (unsigned char)(seq + i))
            c->bad = true;
    c->expect_seq++;
    c->count++;
    return 0;
}

static void test_ringbuf_wraparound(void **state)
{
    (void)state;
    struct map *map = ringbuf(4096);
    struct checker check = { 0 };
    uint32_t produced = 0;
    unsigned char buf[4 + 1500];
    for (int round = 0; round < 400; round++) {
        /* Produce until full, then drain: every few rounds a record straddles the end. */
        for (;;) {
            uint32_t seq = produced;
            size_t size = 4 + seq % 1500;
            memcpy(buf, &seq, 4);
            for (size_t i = 4; i < size; i++)
                buf[i] = (unsigned char)(seq + i);
            map_read_lock();
            long rc = map_ringbuf_output(map, buf, size, 0);
            map_read_unlock();
            if (rc == -EAGAIN)
                break;
            assert_int_equal(rc, 0);
            produced++;
        }
        map_ringbuf_consume(map, check_record, &check);
    }
    assert_false(check.bad);
    assert_int_equal(check.count, produced);
    map_read_lock();
    assert_true(map_ringbuf_query(map, ABI_RB_PROD_POS) > 100 * 4096); /* many wraps */
    map_read_unlock();
    map_put(map);
}

static void late_producer(void *arg)
{
    struct map *map = arg;
    uint64_t start = plat_monotonic_ns();
    while (plat_monotonic_ns() - start < 20000000u)
        plat_thread_yield();
    map_read_lock();
    map_ringbuf_output(map, "late", 4, 0);
    map_read_unlock();
}

static void test_ringbuf_wait(void **state)
{
    (void)state;
    struct map *map = ringbuf(8192);
    assert_int_equal(map_ringbuf_wait(map, 10), 0);
    plat_thread *thread;
    assert_int_equal(plat_thread_create(&thread, late_producer, map), 0);
    assert_int_equal(map_ringbuf_wait(map, 10000), 1);
    plat_thread_join(thread);
    struct collected got = { 0 };
    assert_int_equal(map_ringbuf_consume(map, collect, &got), 1);
    assert_int_equal(got.first[0], 'l');
    map_put(map);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ringbuf_order),
        cmocka_unit_test(test_ringbuf_output_and_query),
        cmocka_unit_test(test_ringbuf_wraparound),
        cmocka_unit_test(test_ringbuf_wait),
    };
    return cmocka_run_group_tests(tests, NULL, mt_reclaim);
}
