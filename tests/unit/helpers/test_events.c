/*
 * test_events.c - the event helpers and their user-space readers: ringbuf reserve/submit visible to a
 * consumer (discarded records not), output, query, errors; perf_event_output to the current CPU's
 * reader, flag checks, and in packet programs the packet bytes appended from the flags' upper bits
 * (-EFAULT beyond the packet, -EINVAL outside packet programs).
 */
#include "helpers_test.h"

#include "platform/sync.h"

typedef struct ring_seen {
    int count;
    char text[8][32];
    size_t size[8];
} ring_seen;

static int on_record(void *ctx, void *data, size_t size)
{
    ring_seen *seen = ctx;
    if (seen->count < 8) {
        memcpy(seen->text[seen->count], data, size < 31 ? size : 31);
        seen->size[seen->count] = size;
    }
    seen->count++;
    return 0;
}

static void test_ringbuf(void **state)
{
    (void)state;
    struct map *rb = ht_map(ABI_MAP_TYPE_RINGBUF, 0, 0, 4096);
    ht_lock();
    char *a = (char *)(uintptr_t)HCALL(ringbuf_reserve, rb, 6, 0, 0, 0);
    char *b = (char *)(uintptr_t)HCALL(ringbuf_reserve, rb, 6, 0, 0, 0);
    assert_non_null(a);
    assert_non_null(b);
    memcpy(a, "first", 6);
    memcpy(b, "gone!", 6);
    assert_int_equal(HCALL(ringbuf_reserve, rb, 6, 1, 0, 0), 0); /* flags must be 0 */
    assert_int_equal(HCALL(ringbuf_reserve, rb, 8192, 0, 0, 0), 0); /* larger than the ring */
    assert_int_equal(HCALL(ringbuf_submit, a, 0, 0, 0, 0), 0);
    assert_int_equal(HCALL(ringbuf_discard, b, 0, 0, 0, 0), 0);
    assert_int_equal(HCALL(ringbuf_output, rb, "third", 6, 0, 0), 0);
    assert_int_equal(HCALL(ringbuf_output, rb, NULL, 0, 0, 0), 0); /* an empty record */
    assert_int_equal(HCALL(ringbuf_output, rb, "x", 1, 4, 0), HERR(22));
    assert_int_equal(HCALL(ringbuf_output, rb, "x", 8192, 0, 0), HERR(11)); /* no room */
    assert_int_equal(HCALL(ringbuf_query, rb, ABI_RB_RING_SIZE, 0, 0, 0), 4096);
    assert_int_equal(HCALL(ringbuf_query, rb, ABI_RB_AVAIL_DATA, 0, 0, 0), 3 * 16 + 8);
    assert_int_equal(HCALL(ringbuf_query, rb, ABI_RB_PROD_POS, 0, 0, 0), 3 * 16 + 8);
    assert_int_equal(HCALL(ringbuf_query, rb, 77, 0, 0, 0), 0);
    ht_unlock();

    ring_seen seen = { 0 };
    assert_int_equal(map_ringbuf_consume(rb, on_record, &seen), 3);
    assert_string_equal(seen.text[0], "first");
    assert_string_equal(seen.text[1], "third");
    assert_int_equal(seen.size[1], 6);
    assert_int_equal(seen.size[2], 0);
    ht_lock();
    assert_int_equal(HCALL(ringbuf_query, rb, ABI_RB_AVAIL_DATA, 0, 0, 0), 0);
    assert_int_equal(HCALL(ringbuf_query, rb, ABI_RB_CONS_POS, 0, 0, 0), 3 * 16 + 8);
    ht_unlock();
    map_put(rb);
}

typedef struct perf_seen {
    int count;
    uint32_t index[4];
    uint32_t size[4];
    uint8_t data[4][64];
} perf_seen;

static void on_sample(void *ctx, uint32_t index, void *data, uint32_t size)
{
    perf_seen *seen = ctx;
    if (seen->count < 4) {
        seen->index[seen->count] = index;
        seen->size[seen->count] = size;
        memcpy(seen->data[seen->count], data, size < 64 ? size : 64);
    }
    seen->count++;
}

static void on_lost(void *ctx, uint32_t index, uint64_t lost)
{
    (void)ctx, (void)index, (void)lost;
    fail_msg("lost samples");
}

static void test_perf_event_output(void **state)
{
    (void)state;
    uint32_t cpus = map_cpu_count();
    struct map *perf = ht_map(ABI_MAP_TYPE_PERF_EVENT_ARRAY, 4, 4, cpus);
    for (uint32_t cpu = 0; cpu < cpus; cpu++)
        assert_int_equal(map_perf_attach(perf, cpu, 8192), 0);

    /* a tracing-style run: no packet */
    int regs;
    helper_run run;
    helper_run_init(&run, 2 /* kprobe */, &regs);
    ht_lock();
    helper_run_enter(&run);
    assert_int_equal(HCALL(perf_event_output, &regs, perf, ABI_F_CURRENT_CPU, "abcd", 4), 0);
    assert_int_equal(HCALL(perf_event_output, &regs, perf, plat_cpu_slot(), "0123456789", 10), 0);
    if (cpus > 1) /* another CPU's event */
        assert_int_equal(HCALL(perf_event_output, &regs, perf, (plat_cpu_slot() + 1) % cpus, "x", 1), HERR(95));
    assert_int_equal(HCALL(perf_event_output, &regs, perf, 4ull << 32, "x", 1), HERR(22));
    assert_int_equal(HCALL(perf_event_output, &regs, perf, cpus, "x", 1), HERR(7));
    helper_run_exit();
    ht_unlock();
    perf_seen seen = { 0 };
    assert_int_equal(map_perf_consume(perf, on_sample, on_lost, &seen), 2);
    for (int i = 0; i < 2; i++) {
        if (seen.size[i] >= 10) {
            assert_int_equal(seen.index[i], plat_cpu_slot());
            assert_memory_equal(seen.data[i], "0123456789", 10);
        } else {
            assert_int_equal(seen.index[i], plat_cpu_slot());
            assert_memory_equal(seen.data[i], "abcd", 4);
        }
    }

    /* a packet run: upper 32 bits of flags = packet bytes appended after the data */
    ht_packet *p = calloc(1, sizeof *p);
    ht_lock();
    ht_packet_enter(p, HELPER_PROG_TYPE_XDP, 32);
    assert_int_equal(HCALL(perf_event_output, &p->ctx, perf, (8ull << 32) | plat_cpu_slot(), "meta", 4), 0);
    assert_int_equal(HCALL(perf_event_output, &p->ctx, perf, (33ull << 32) | plat_cpu_slot(), "meta", 4), HERR(14));
    assert_int_equal(HCALL(perf_event_output, &p->ctx, perf, 1ull << 52, "meta", 4), HERR(22));
    assert_int_equal(HCALL(perf_event_output, &p->ctx, perf, (32ull << 32) | plat_cpu_slot(), NULL, 0), 0);
    ht_packet_exit();
    ht_unlock();
    memset(&seen, 0, sizeof seen);
    assert_int_equal(map_perf_consume(perf, on_sample, on_lost, &seen), 2);
    assert_true(seen.size[0] >= 12);
    assert_memory_equal(seen.data[0], "meta\x00\x01\x02\x03\x04\x05\x06\x07", 12);
    assert_true(seen.size[1] >= 32);
    for (int i = 0; i < 32; i++)
        assert_int_equal(seen.data[1][i], i);
    free(p);
    map_put(perf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        HT_TEST(test_ringbuf),
        HT_TEST(test_perf_event_output),
    };
    return cmocka_run_group_tests(tests, NULL, ht_reclaim);
}
