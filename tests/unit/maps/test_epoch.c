/*
 * test_epoch.c - the reclamation scheme and the platform pieces under it: an object retired while a
 * reader is inside its section survives until the reader leaves; sections nest; synchronize waits;
 * CPU slots are stable per thread, distinct while there are free ones, and reused after exit.
 */
#include "maps_test.h"

#include "maps/epoch.h"

struct tracked {
    struct map_retired node;
    atomic_int *freed;
};

static void tracked_free(struct map_retired *node)
{
    struct tracked *t = (struct tracked *)node;
    atomic_fetch_add(t->freed, 1);
    free(t);
}

static void retire_tracked(atomic_int *freed)
{
    struct tracked *t = calloc(1, sizeof *t);
    assert_non_null(t);
    t->freed = freed;
    map_epoch_retire(&t->node, tracked_free);
}

static void test_retire_then_drain(void **state)
{
    (void)state;
    atomic_int freed = 0;
    for (int i = 0; i < 10; i++)
        retire_tracked(&freed);
    map_epoch_drain();
    assert_int_equal(atomic_load(&freed), 10);
}

struct reader {
    atomic_int phase; /* 1: inside, 2: told to leave, 3: left */
};

static void reader_thread(void *arg)
{
    struct reader *r = arg;
    map_read_lock();
    map_read_lock(); /* nested */
    atomic_store(&r->phase, 1);
    while (atomic_load(&r->phase) != 2)
        plat_thread_yield();
    map_read_unlock();
    map_read_unlock();
    atomic_store(&r->phase, 3);
}

static void test_reader_blocks_reclaim(void **state)
{
    (void)state;
    struct reader r = { 0 };
    plat_thread *thread;
    assert_int_equal(plat_thread_create(&thread, reader_thread, &r), 0);
    while (atomic_load(&r.phase) != 1)
        plat_thread_yield();
    atomic_int guarded = 0, filler = 0;
    retire_tracked(&guarded);
    for (int i = 0; i < 1000; i++) /* many retirements: several reclamation passes run */
        retire_tracked(&filler);
    assert_int_equal(atomic_load(&guarded), 0);
    atomic_store(&r.phase, 2);
    map_synchronize(); /* returns once the reader has left */
    assert_int_equal(atomic_load(&r.phase), 3);
    plat_thread_join(thread);
    map_epoch_drain();
    assert_int_equal(atomic_load(&guarded), 1);
    assert_int_equal(atomic_load(&filler), 1000);
}

static void test_nesting(void **state)
{
    (void)state;
    assert_false(map_epoch_active());
    map_read_lock();
    map_read_lock();
    map_read_unlock();
    assert_true(map_epoch_active());
    map_read_unlock();
    assert_false(map_epoch_active());
    map_read_unlock(); /* unbalanced: ignored */
    assert_false(map_epoch_active());
}

struct slot_probe {
    unsigned slot[2];
};

static void slot_thread(void *arg)
{
    struct slot_probe *p = arg;
    p->slot[0] = plat_cpu_slot();
    p->slot[1] = plat_cpu_slot();
}

static void test_cpu_slots(void **state)
{
    (void)state;
    unsigned cpus = plat_cpu_count(), me = plat_cpu_slot();
    assert_true(me < cpus);
    assert_int_equal(plat_cpu_slot(), me);
    struct slot_probe probe;
    for (int round = 0; round < 3; round++) {
        plat_thread *thread;
        assert_int_equal(plat_thread_create(&thread, slot_thread, &probe), 0);
        plat_thread_join(thread);
        assert_int_equal(probe.slot[0], probe.slot[1]);
        assert_true(probe.slot[0] < cpus);
        if (cpus > 1)
            assert_int_not_equal(probe.slot[0], me); /* a free slot, given back at exit */
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_retire_then_drain),
        cmocka_unit_test(test_reader_blocks_reclaim),
        cmocka_unit_test(test_nesting),
        cmocka_unit_test(test_cpu_slots),
    };
    return cmocka_run_group_tests(tests, NULL, mt_reclaim);
}
