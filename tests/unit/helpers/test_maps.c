/*
 * test_maps.c - the map helpers on real maps (lookup/update/delete with Linux errors, queue
 * push/pop/peek, spin lock), bpf_for_each_map_elem and bpf_loop through a callback trampoline
 * (counts, early stop, flags, limits, arguments, an aborted callback), and bpf_tail_call's lookup
 * with Linux's order of checks and its limit of 33.
 */
#include <stdlib.h>

#include "helpers_test.h"

/* ---- the callback trampoline: `func` indexes test_callbacks ---- */

typedef struct cb_log {
    int calls;
    uint64_t args[64][5];
    int stop_at;       /* call index that returns 1, or -1 */
    int abort_at;      /* call index after which the "engine" fails, or -1 */
    bool each;         /* for_each: also copy the key (u32) and value (u64) while they are valid */
    uint32_t key[64];
    uint64_t value[64];
} cb_log;

static uint64_t trampoline(helper_run *run, uint64_t func, uint64_t a1, uint64_t a2, uint64_t a3,
                           uint64_t a4, uint64_t a5)
{
    cb_log *log = run->callback_user;
    assert_int_equal(func, 0xf00d);
    int i = log->calls++;
    if (i < 64) {
        uint64_t args[5] = { a1, a2, a3, a4, a5 };
        memcpy(log->args[i], args, sizeof args);
        if (log->each) {
            memcpy(&log->key[i], (const void *)(uintptr_t)a2, 4);
            memcpy(&log->value[i], (const void *)(uintptr_t)a3, 8);
        }
    }
    if (i == log->abort_at) {
        run->callback_abort = true;
        return 1;
    }
    return i == log->stop_at;
}

static void enter_run(helper_run *run, cb_log *log)
{
    memset(log, 0, sizeof *log);
    log->stop_at = -1;
    log->abort_at = -1;
    helper_run_init(run, 1, NULL);
    run->call_callback = trampoline;
    run->callback_user = log;
    ht_lock();
    helper_run_enter(run);
}

static void exit_run(void)
{
    helper_run_exit();
    ht_unlock();
}

static void test_lookup_update_delete(void **state)
{
    (void)state;
    struct map *hash = ht_map(ABI_MAP_TYPE_HASH, 4, 8, 2);
    uint32_t k1 = 1, k2 = 2, k3 = 3;
    uint64_t v = 100, w = 200;
    ht_lock();
    assert_int_equal(HCALL(map_lookup_elem, hash, &k1, 0, 0, 0), 0);
    assert_int_equal(HCALL(map_update_elem, hash, &k1, &v, ABI_ANY, 0), 0);
    uint64_t *got = (uint64_t *)(uintptr_t)HCALL(map_lookup_elem, hash, &k1, 0, 0, 0);
    assert_non_null(got);
    assert_int_equal(*got, 100);
    assert_int_equal(HCALL(map_update_elem, hash, &k1, &w, ABI_NOEXIST, 0), HERR(17));
    assert_int_equal(HCALL(map_update_elem, hash, &k2, &w, ABI_EXIST, 0), HERR(2));
    assert_int_equal(HCALL(map_update_elem, hash, &k2, &w, ABI_NOEXIST, 0), 0);
    assert_int_equal(HCALL(map_update_elem, hash, &k3, &w, ABI_ANY, 0), HERR(7)); /* full */
    assert_int_equal(HCALL(map_update_elem, hash, &k3, &w, 99, 0), HERR(22));
    assert_int_equal(HCALL(map_delete_elem, hash, &k1, 0, 0, 0), 0);
    assert_int_equal(HCALL(map_delete_elem, hash, &k1, 0, 0, 0), HERR(2));
    assert_int_equal(HCALL(map_lookup_elem, hash, &k1, 0, 0, 0), 0);
    ht_unlock();
    map_put(hash);
}

/* bpf_map_lookup_percpu_elem reaches every CPU's slot of per-CPU maps, each slot its own; a CPU past
 * the count and a map that is not per-CPU give NULL. */
static void test_lookup_percpu_elem(void **state)
{
    (void)state;
    uint32_t cpus = map_cpu_count();
    static const uint32_t types[] = { ABI_MAP_TYPE_PERCPU_ARRAY, ABI_MAP_TYPE_PERCPU_HASH,
                                      ABI_MAP_TYPE_LRU_PERCPU_HASH };
    for (size_t t = 0; t < sizeof types / sizeof types[0]; t++) {
        struct map *m = ht_map(types[t], 4, 8, 4);
        uint32_t key = 1;
        uint64_t *all = calloc(cpus, sizeof *all);
        assert_non_null(all);
        for (uint32_t c = 0; c < cpus; c++)
            all[c] = 1000 + c;
        assert_int_equal(map_sys_update(m, &key, all, ABI_ANY), 0);
        ht_lock();
        for (uint32_t c = 0; c < cpus; c++) {
            uint64_t *slot = (uint64_t *)(uintptr_t)HCALL(map_lookup_percpu_elem, m, &key, c, 0, 0);
            assert_non_null(slot);
            assert_int_equal(*slot, 1000 + c);
        }
        assert_int_equal(HCALL(map_lookup_percpu_elem, m, &key, cpus, 0, 0), 0);
        uint32_t absent = 3;
        if (types[t] != ABI_MAP_TYPE_PERCPU_ARRAY)
            assert_int_equal(HCALL(map_lookup_percpu_elem, m, &absent, 0, 0, 0), 0);
        ht_unlock();
        free(all);
        map_put(m);
    }
    struct map *plain = ht_map(ABI_MAP_TYPE_ARRAY, 4, 8, 4);
    uint32_t zero = 0;
    ht_lock();
    assert_int_equal(HCALL(map_lookup_percpu_elem, plain, &zero, 0, 0, 0), 0);
    ht_unlock();
    map_put(plain);
}

static void test_queue_and_lock(void **state)
{
    (void)state;
    struct map *queue = ht_map(ABI_MAP_TYPE_QUEUE, 0, 4, 2);
    uint32_t a = 1, b = 2, c = 3, out = 0;
    ht_lock();
    assert_int_equal(HCALL(map_peek_elem, queue, &out, 0, 0, 0), HERR(2));
    assert_int_equal(HCALL(map_pop_elem, queue, &out, 0, 0, 0), HERR(2));
    assert_int_equal(HCALL(map_push_elem, queue, &a, 0, 0, 0), 0);
    assert_int_equal(HCALL(map_push_elem, queue, &b, 0, 0, 0), 0);
    assert_int_equal(HCALL(map_push_elem, queue, &c, 0, 0, 0), HERR(7));
    assert_int_equal(HCALL(map_push_elem, queue, &c, ABI_EXIST, 0, 0), 0); /* drops the oldest */
    assert_int_equal(HCALL(map_peek_elem, queue, &out, 0, 0, 0), 0);
    assert_int_equal(out, 2);
    assert_int_equal(HCALL(map_pop_elem, queue, &out, 0, 0, 0), 0);
    assert_int_equal(out, 2);
    assert_int_equal(HCALL(map_pop_elem, queue, &out, 0, 0, 0), 0);
    assert_int_equal(out, 3);
    ht_unlock();
    map_put(queue);

    uint32_t lock_word = 0; /* struct bpf_spin_lock */
    assert_int_equal(HCALL(spin_lock, &lock_word, 0, 0, 0, 0), 0);
    assert_int_equal(HCALL(spin_unlock, &lock_word, 0, 0, 0, 0), 0);
    assert_int_equal(HCALL(spin_lock, &lock_word, 0, 0, 0, 0), 0); /* was released */
    assert_int_equal(HCALL(spin_unlock, &lock_word, 0, 0, 0, 0), 0);
}

static void test_for_each_map_elem(void **state)
{
    (void)state;
    struct map *array = ht_map(ABI_MAP_TYPE_ARRAY, 4, 8, 6);
    for (uint32_t i = 0; i < 6; i++) {
        uint64_t v = i * 10;
        assert_int_equal(map_sys_update(array, &i, &v, 0), 0);
    }
    helper_run run;
    cb_log log;
    int cb_ctx;
    enter_run(&run, &log);
    log.each = true;
    assert_int_equal(HCALL(for_each_map_elem, array, 0xf00d, &cb_ctx, 0, 0), 6);
    assert_int_equal(log.calls, 6);
    for (int i = 0; i < 6; i++) {
        assert_int_equal(log.args[i][0], HA(array));
        assert_int_equal(log.key[i], i);
        assert_int_equal(log.value[i], i * 10);
        assert_int_equal(log.args[i][3], HA(&cb_ctx));
        assert_int_equal(log.args[i][4], 0);
    }
    log.calls = 0;
    log.stop_at = 2; /* the callback returning 1 is counted */
    assert_int_equal(HCALL(for_each_map_elem, array, 0xf00d, NULL, 0, 0), 3);
    log.calls = 0;
    log.stop_at = -1;
    log.abort_at = 0;
    assert_int_equal(HCALL(for_each_map_elem, array, 0xf00d, NULL, 0, 0), 1);
    assert_int_equal(HCALL(for_each_map_elem, array, 0xf00d, NULL, 1, 0), HERR(22)); /* flags */
    struct map *queue = ht_map(ABI_MAP_TYPE_QUEUE, 0, 4, 2);
    assert_int_equal(HCALL(for_each_map_elem, queue, 0xf00d, NULL, 0, 0), HERR(22)); /* no walk */
    run.call_callback = NULL;
    assert_int_equal(HCALL(for_each_map_elem, array, 0xf00d, NULL, 0, 0), HERR(95));
    exit_run();
    map_put(queue);
    map_put(array);
}

static void test_loop(void **state)
{
    (void)state;
    helper_run run;
    cb_log log;
    int cb_ctx;
    enter_run(&run, &log);
    assert_int_equal(HCALL(loop, 10, 0xf00d, &cb_ctx, 0, 0), 10);
    assert_int_equal(log.calls, 10);
    for (int i = 0; i < 10; i++) {
        assert_int_equal(log.args[i][0], i);
        assert_int_equal(log.args[i][1], HA(&cb_ctx));
        assert_int_equal(log.args[i][2], 0);
    }
    log.calls = 0;
    log.stop_at = 4;
    assert_int_equal(HCALL(loop, 10, 0xf00d, NULL, 0, 0), 5);
    assert_int_equal(log.calls, 5);
    log.calls = 0;
    log.stop_at = -1;
    assert_int_equal(HCALL(loop, 0, 0xf00d, NULL, 0, 0), 0);
    assert_int_equal(log.calls, 0);
    assert_int_equal(HCALL(loop, 1, 0xf00d, NULL, 1, 0), HERR(22));
    assert_int_equal(HCALL(loop, (1u << 23) + 1, 0xf00d, NULL, 0, 0), HERR(7));
    assert_int_equal(HCALL(loop, 0x100000003ull, 0xf00d, NULL, 0, 0), 3); /* nr_loops is a u32 */
    log.calls = 0;
    log.abort_at = 1;
    assert_int_equal(HCALL(loop, 10, 0xf00d, NULL, 0, 0), 2);
    assert_int_equal(log.calls, 2);
    exit_run();
    assert_int_equal(HCALL(loop, 1, 0xf00d, NULL, 0, 0), HERR(95)); /* no run, no trampoline */
}

static void test_loop_limit(void **state)
{
    (void)state;
    helper_run run;
    cb_log log;
    enter_run(&run, &log);
    assert_int_equal(HCALL(loop, 1u << 23, 0xf00d, NULL, 0, 0), 1u << 23);
    assert_int_equal(log.calls, 1 << 23);
    exit_run();
}

static int prog_a, prog_b;

static void test_tail_call(void **state)
{
    (void)state;
    struct map *progs = ht_map(ABI_MAP_TYPE_PROG_ARRAY, 4, 4, 4);
    uint32_t key = 0;
    assert_int_equal(map_sys_update_obj(progs, &key, &prog_a, 0), 0);
    key = 2;
    assert_int_equal(map_sys_update_obj(progs, &key, &prog_b, 0), 0);
    struct map *array = ht_map(ABI_MAP_TYPE_ARRAY, 4, 4, 4);
    int ctx;
    helper_run run;
    helper_run_init(&run, 1, &ctx);
    ht_lock();
    helper_run_enter(&run);

    /* index out of range: not counted; empty slot: counted */
    assert_null(helper_tail_call_resolve(&run, progs, 4));
    assert_int_equal(run.tail_call_cnt, 0);
    assert_null(helper_tail_call_resolve(&run, progs, 1));
    assert_int_equal(run.tail_call_cnt, 1);
    assert_ptr_equal(helper_tail_call_resolve(&run, progs, 2), &prog_b);
    assert_null(helper_tail_call_resolve(&run, array, 0)); /* not a prog_array */
    assert_int_equal(run.tail_call_cnt, 2);

    /* the helper leaves the target for the engine */
    assert_int_equal(HCALL(tail_call, &ctx, progs, 0, 0, 0), 0);
    assert_ptr_equal(helper_tail_call_take(&run), &prog_a);
    assert_null(helper_tail_call_take(&run));
    assert_int_equal(HCALL(tail_call, &ctx, progs, 3, 0, 0), HERR(2));
    assert_null(helper_tail_call_take(&run));
    assert_int_equal(HCALL(tail_call, &prog_a, progs, 0, 0, 0), HERR(22)); /* not the context */

    /* 33 tail calls per run, then every attempt fails */
    helper_run_init(&run, 1, &ctx);
    for (int i = 0; i < 33; i++)
        assert_ptr_equal(helper_tail_call_resolve(&run, progs, 0), &prog_a);
    assert_int_equal(run.tail_call_cnt, HELPER_MAX_TAIL_CALL_CNT);
    assert_null(helper_tail_call_resolve(&run, progs, 0));
    assert_int_equal(run.tail_call_cnt, HELPER_MAX_TAIL_CALL_CNT);
    assert_null(helper_tail_call_resolve(&run, progs, 2));

    helper_run_exit();
    ht_unlock();
    map_put(array);
    map_put(progs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        HT_TEST(test_lookup_update_delete),
        HT_TEST(test_lookup_percpu_elem),
        HT_TEST(test_queue_and_lock),
        HT_TEST(test_for_each_map_elem),
        HT_TEST(test_loop),
        HT_TEST(test_loop_limit),
        HT_TEST(test_tail_call),
    };
    return cmocka_run_group_tests(tests, NULL, ht_reclaim);
}
