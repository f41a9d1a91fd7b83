/*
 * test_perf.c - perf_event_array with the user-space reader: output errors (flags, index, no reader),
 * BPF_F_CURRENT_CPU, raw-sample padding, the extra (context) fragment, lost-sample accounting on a
 * full ring, detaching, and waiting.
 */
#include "maps_test.h"

struct seen {
    int samples;
    uint32_t index[8];
    uint32_t size[8];
    unsigned char data[8][64];
    uint64_t lost;
};

static void on_sample(void *ctx, uint32_t index, void *data, uint32_t size)
{
    struct seen *s = ctx;
    if (s->samples < 8) {
        s->index[s->samples] = index;
        s->size[s->samples] = size;
        memcpy(s->data[s->samples], data, size < 64 ? size : 64);
    }
    s->samples++;
}

static void on_lost(void *ctx, uint32_t index, uint64_t lost)
{
    (void)index;
    ((struct seen *)ctx)->lost += lost;
}

static long output(struct map *map, uint64_t flags, const void *data, uint64_t size,
                   const void *extra, uint64_t extra_size)
{
    map_read_lock();
    long rc = map_perf_event_output(map, flags, data, size, extra, extra_size);
    map_read_unlock();
    return rc;
}

static void test_perf_errors(void **state)
{
    (void)state;
    uint32_t cpus = map_cpu_count();
    struct map *map = mt_create(ABI_MAP_TYPE_PERF_EVENT_ARRAY, 4, 4, cpus, 0);
    assert_int_equal(output(map, 0, "x", 1, NULL, 0), -ENOENT); /* nobody reads slot 0 */
    assert_int_equal(output(map, cpus, "x", 1, NULL, 0), -E2BIG);
    assert_int_equal(output(map, 1ull << 32, "x", 1, NULL, 0), -EINVAL);
    assert_int_equal(map_perf_attach(map, cpus, 4096), -E2BIG);
    assert_int_equal(map_perf_attach(map, 0, 1000), -EINVAL);
    assert_int_equal(map_perf_attach(map, 0, 4096), 0);
    assert_int_equal(map_perf_attach(map, 0, 4096), -EEXIST);
    uint32_t key = 0, value;
    assert_int_equal(map_sys_lookup(map, &key, &value, 0), -ABI_ENOTSUPP);
    assert_int_equal(map_sys_delete(map, &key), 0);
    assert_int_equal(map_sys_delete(map, &key), -ENOENT);
    key = cpus;
    assert_int_equal(map_sys_delete(map, &key), -E2BIG);
    struct map *array = mt_create(ABI_MAP_TYPE_ARRAY, 4, 4, 1, 0);
    assert_int_equal(output(array, 0, "x", 1, NULL, 0), -EINVAL);
    assert_int_equal(map_perf_attach(array, 0, 4096), -EINVAL);
    map_put(array);
    map_put(map);
}

static void test_perf_samples(void **state)
{
    (void)state;
    uint32_t cpus = map_cpu_count(), me = plat_cpu_slot();
    struct map *map = mt_create(ABI_MAP_TYPE_PERF_EVENT_ARRAY, 4, 4, cpus, 0);
    for (uint32_t cpu = 0; cpu < cpus; cpu++)
        assert_int_equal(map_perf_attach(map, cpu, 8192), 0);
    assert_int_equal(map_perf_wait(map, 0), 0);
    assert_int_equal(output(map, ABI_F_CURRENT_CPU, "hello", 5, NULL, 0), 0);
    assert_int_equal(output(map, me, "0123456789ab", 12, "CTX", 3), 0);
    if (cpus > 1) /* another CPU's event, as Linux's per-CPU events refuse it */
        assert_int_equal(output(map, (me + 1) % cpus, "x", 1, NULL, 0), -EOPNOTSUPP);
    assert_int_equal(map_perf_wait(map, 100), 1);
    struct seen s = { 0 };
    assert_int_equal(map_perf_consume(map, on_sample, on_lost, &s), 2);
    for (int i = 0; i < 2; i++)
        assert_int_equal((s.size[i] + 4) % 8, 0);
    int hello = s.index[0] == me && s.size[0] == 12 && memcmp(s.data[0], "hello", 5) == 0 ? 0 : 1;
    assert_int_equal(s.index[hello], me);
    assert_int_equal(s.size[hello], 12); /* 5 + 4 rounded up to 16, minus 4 */
    assert_memory_equal(s.data[hello], "hello\0\0\0\0\0\0", 12);
    assert_int_equal(s.index[!hello], me);
    assert_int_equal(s.size[!hello], 20); /* 15 + 4 -> 24 - 4 */
    assert_memory_equal(s.data[!hello], "0123456789abCTX\0\0\0\0\0", 20);
    assert_int_equal(s.lost, 0);
    map_put(map);
}

static void test_perf_lost(void **state)
{
    (void)state;
    uint32_t me = plat_cpu_slot();
    struct map *map = mt_create(ABI_MAP_TYPE_PERF_EVENT_ARRAY, 4, 4, me + 1, 0);
    assert_int_equal(map_perf_attach(map, me, 4096), 0);
    unsigned char payload[1000] = { 0 };
    int ok = 0, dropped = 0;
    for (int i = 0; i < 10; i++) {
        long rc = output(map, me, payload, sizeof payload, NULL, 0);
        if (rc == 0)
            ok++;
        else if (rc == -ENOSPC)
            dropped++;
        else
            fail_msg("unexpected %ld", rc);
    }
    assert_int_equal(ok, 4);
    assert_int_equal(dropped, 6);
    struct seen s = { 0 };
    assert_int_equal(map_perf_consume(map, on_sample, on_lost, &s), 4);
    assert_int_equal(s.lost, 6);
    assert_int_equal(output(map, ABI_F_CURRENT_CPU, payload, sizeof payload, NULL, 0), 0);
    map_put(map);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_perf_errors),
        cmocka_unit_test(test_perf_samples),
        cmocka_unit_test(test_perf_lost),
    };
    return cmocka_run_group_tests(tests, NULL, mt_reclaim);
}
