/*
 * test_stress.c - maps under concurrency: program threads (more than there are CPU slots) run mixed
 * lookup/update/delete batches inside read-side sections on hash, lru_hash, array, percpu_array,
 * percpu_hash and lpm_trie, while a user-space thread iterates, looks up, updates and deletes.
 *
 * Invariants checked:
 *  - a value read inside a section is one that was written whole (hash, LRU, LPM records carry a
 *    checksum of their key and sequence number; array and per-CPU words carry their key);
 *  - a value pointer held across later updates and deletes of the same key stays readable and
 *    unchanged until the section ends (ASan/TSan would see a use after free);
 *  - an LPM match really covers the address looked up;
 *  - an LRU map never refuses an insertion (no -E2BIG, no -ENOMEM); element counts stay within
 *    max_entries; every error is one Linux documents for the operation.
 * A second test runs producers reserving, submitting and discarding ringbuf records of varied sizes
 * while a consumer thread drains them: every record arrives whole, each producer's in order, none
 * lost except those that found the ring full.
 * Runs for EBPF_STRESS_MS milliseconds (default 1000) in total, so its wall time is the same under
 * TSan.
 */
#include "maps_test.h"

#include <stdio.h>

enum {
    PROG_THREADS = 5,
    KEYS = 256,
    HASH_MAX = 192,
    LRU_MAX = 64,
    ARRAY_MAX = 64,
    LPM_PREFIXES = 64,
    LPM_MAX = 48,
};

struct rec {
    uint64_t key, seq, check;
};

struct lpm_key {
    uint32_t prefixlen;
    uint8_t addr[4];
};

struct lpm_rec {
    struct lpm_key key;
    uint64_t seq, check;
};

struct shared {
    struct map *hash, *lru, *array, *pcpu_array, *pcpu_hash, *lpm;
    struct lpm_key prefixes[LPM_PREFIXES];
    uint64_t deadline_ns;
    atomic_uint_fast64_t lookups, updates, deletes, user_ops, iterations;
    atomic_int failures;
    char failure[256];
};

static uint64_t mix(uint64_t a, uint64_t b)
{
    uint64_t x = a * 0x9e3779b97f4a7c15ull ^ (b + 0x632be59bd9b4e019ull);
    x ^= x >> 31;
    x *= 0xbf58476d1ce4e5b9ull;
    return x ^ (x >> 29);
}

static void failed(struct shared *s, const char *what, long detail)
{
    if (atomic_fetch_add(&s->failures, 1) == 0)
        snprintf(s->failure, sizeof s->failure, "%s (%ld)", what, detail);
}

static uint64_t next_rand(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *state = x;
}

static bool rec_ok(const struct rec *r, uint64_t key)
{
    return r->key == key && r->check == mix(r->key, r->seq);
}

static bool lpm_rec_ok(const struct lpm_rec *r)
{
    return r->check == mix(r->seq, (uint64_t)r->key.prefixlen << 32 | r->key.addr[0] << 24 |
                                       r->key.addr[1] << 16 | r->key.addr[2] << 8 | r->key.addr[3]);
}

static bool covers(const struct lpm_key *prefix, const uint8_t addr[4])
{
    for (uint32_t bit = 0; bit < prefix->prefixlen; bit++)
        if (((prefix->addr[bit / 8] ^ addr[bit / 8]) >> (7 - bit % 8)) & 1)
            return false;
    return true;
}

static bool word_ok(uint64_t word, uint64_t key)
{
    return word == 0 || word >> 40 == key;
}

/* ---- program threads -------------------------------------------------------------------------- */

static void prog_hashlike(struct shared *s, struct map *map, bool lru, uint64_t *rng)
{
    uint32_t key = (uint32_t)(next_rand(rng) % KEYS);
    uint64_t op = next_rand(rng) % 100;
    if (op < 60) {
        struct rec *held = map_lookup_elem(map, &key);
        atomic_fetch_add(&s->lookups, 1);
        if (!held)
            return;
        struct rec copy = *held;
        if (!rec_ok(&copy, key))
            failed(s, "torn hash value", (long)key);
        /* Replace and delete the key while holding the old value: it must stay intact. */
        struct rec fresh = { key, next_rand(rng), 0 };
        fresh.check = mix(fresh.key, fresh.seq);
        long rc = map_update_elem(map, &key, &fresh, ABI_ANY);
        if (rc && rc != -E2BIG)
            failed(s, "update while holding", rc);
        if (next_rand(rng) % 2)
            map_delete_elem(map, &key);
        if (memcmp(&copy, held, sizeof copy) != 0)
            failed(s, "held value changed", (long)key);
    } else if (op < 85) {
        struct rec r = { key, next_rand(rng), 0 };
        r.check = mix(r.key, r.seq);
        uint64_t flags = next_rand(rng) % 3; /* ANY, NOEXIST, EXIST */
        long rc = map_update_elem(map, &key, &r, flags);
        atomic_fetch_add(&s->updates, 1);
        bool ok = rc == 0 || (rc == -EEXIST && flags == ABI_NOEXIST) ||
                  (rc == -ENOENT && flags == ABI_EXIST) || (!lru && rc == -E2BIG);
        if (!ok)
            failed(s, lru ? "lru update" : "hash update", rc);
    } else {
        long rc = map_delete_elem(map, &key);
        atomic_fetch_add(&s->deletes, 1);
        if (rc && rc != -ENOENT)
            failed(s, "hash delete", rc);
    }
}

static void prog_array(struct shared *s, struct map *map, uint64_t *rng)
{
    uint32_t key = (uint32_t)(next_rand(rng) % ARRAY_MAX);
    if (next_rand(rng) % 3) {
        uint64_t *value = map_lookup_elem(map, &key);
        atomic_fetch_add(&s->lookups, 1);
        if (!value || !word_ok(__atomic_load_n(value, __ATOMIC_RELAXED), key))
            failed(s, "array word", (long)key);
    } else {
        uint64_t word = (uint64_t)key << 40 | (next_rand(rng) & 0xffffffffffull);
        long rc = map_update_elem(map, &key, &word, ABI_ANY);
        atomic_fetch_add(&s->updates, 1);
        if (rc)
            failed(s, "array update", rc);
    }
}

static void prog_pcpu_hash(struct shared *s, struct map *map, uint64_t *rng)
{
    uint32_t key = (uint32_t)(next_rand(rng) % 32);
    uint64_t op = next_rand(rng) % 10;
    if (op < 6) {
        uint64_t *value = map_lookup_elem(map, &key);
        atomic_fetch_add(&s->lookups, 1);
        if (value && !word_ok(__atomic_load_n(value, __ATOMIC_RELAXED), key))
            failed(s, "percpu hash word", (long)key);
    } else if (op < 9) {
        uint64_t word = (uint64_t)key << 40 | (next_rand(rng) & 0xffffffffffull);
        long rc = map_update_elem(map, &key, &word, ABI_ANY);
        atomic_fetch_add(&s->updates, 1);
        if (rc && rc != -E2BIG)
            failed(s, "percpu hash update", rc);
    } else {
        long rc = map_delete_elem(map, &key);
        if (rc && rc != -ENOENT)
            failed(s, "percpu hash delete", rc);
    }
}

static void prog_lpm(struct shared *s, struct map *map, uint64_t *rng)
{
    uint64_t op = next_rand(rng) % 10;
    const struct lpm_key *prefix = &s->prefixes[next_rand(rng) % LPM_PREFIXES];
    if (op < 6) {
        struct lpm_key probe = { 32, { 10, (uint8_t)(next_rand(rng) % 4), (uint8_t)next_rand(rng),
                                       (uint8_t)next_rand(rng) } };
        struct lpm_rec *found = map_lookup_elem(map, &probe);
        atomic_fetch_add(&s->lookups, 1);
        if (found) {
            struct lpm_rec copy = *found;
            if (!lpm_rec_ok(&copy))
                failed(s, "torn lpm value", copy.key.prefixlen);
            else if (!covers(&copy.key, probe.addr))
                failed(s, "lpm match does not cover", copy.key.prefixlen);
        }
    } else if (op < 9) {
        struct lpm_rec r = { *prefix, next_rand(rng), 0 };
        r.check = mix(r.seq, (uint64_t)r.key.prefixlen << 32 | r.key.addr[0] << 24 |
                                 r.key.addr[1] << 16 | r.key.addr[2] << 8 | r.key.addr[3]);
        long rc = map_update_elem(map, prefix, &r, ABI_ANY);
        atomic_fetch_add(&s->updates, 1);
        if (rc && rc != -ENOSPC)
            failed(s, "lpm update", rc);
    } else {
        long rc = map_delete_elem(map, prefix);
        atomic_fetch_add(&s->deletes, 1);
        if (rc && rc != -ENOENT)
            failed(s, "lpm delete", rc);
    }
}

static void prog_thread(void *arg)
{
    struct shared *s = arg;
    uint64_t rng = mix((uint64_t)(uintptr_t)&rng, plat_monotonic_ns()) | 1;
    while (plat_monotonic_ns() < s->deadline_ns && atomic_load(&s->failures) == 0) {
        map_read_lock(); /* one "program run": a batch of helper calls */
        for (int i = 0; i < 16; i++) {
            switch (next_rand(&rng) % 6) {
            case 0: prog_hashlike(s, s->hash, false, &rng); break;
            case 1: prog_hashlike(s, s->lru, true, &rng); break;
            case 2: prog_array(s, s->array, &rng); break;
            case 3: prog_array(s, s->pcpu_array, &rng); break;
            case 4: prog_pcpu_hash(s, s->pcpu_hash, &rng); break;
            default: prog_lpm(s, s->lpm, &rng); break;
            }
        }
        map_read_unlock();
    }
}

/* ---- user-space thread ------------------------------------------------------------------------ */

static void user_iterate_hash(struct shared *s, struct map *map, uint32_t max)
{
    uint32_t key, next, seen = 0;
    const void *prev = NULL;
    while (map_sys_get_next_key(map, prev, &next) == 0 && seen < 4 * KEYS) {
        if (next >= KEYS)
            failed(s, "iterated key out of range", next);
        struct rec r;
        int rc = map_sys_lookup(map, &next, &r, 0);
        if (rc == 0 && !rec_ok(&r, next))
            failed(s, "torn value copied to user space", next);
        else if (rc && rc != -ENOENT)
            failed(s, "user lookup", rc);
        key = next;
        prev = &key;
        seen++;
    }
    (void)max;
    atomic_fetch_add(&s->iterations, 1);
}

static void user_thread(void *arg)
{
    struct shared *s = arg;
    uint64_t rng = 0x1234567 | 1;
    uint32_t cpus = map_cpu_count();
    uint64_t *words = calloc(cpus, 8);
    while (plat_monotonic_ns() < s->deadline_ns && atomic_load(&s->failures) == 0) {
        user_iterate_hash(s, s->hash, HASH_MAX);
        user_iterate_hash(s, s->lru, LRU_MAX);
        for (int i = 0; i < 32; i++) {
            uint32_t key = (uint32_t)(next_rand(&rng) % KEYS);
            struct rec r = { key, next_rand(&rng), 0 };
            r.check = mix(r.key, r.seq);
            struct map *map = (i & 1) ? s->lru : s->hash;
            int rc = map_sys_update(map, &key, &r, ABI_ANY);
            if (rc && !(rc == -E2BIG && map == s->hash))
                failed(s, "user update", rc);
            if (next_rand(&rng) % 4 == 0) {
                rc = map_sys_lookup_and_delete(map, &key, &r, 0);
                if (rc == 0 && !rec_ok(&r, key))
                    failed(s, "torn lookup_and_delete", key);
                else if (rc && rc != -ENOENT)
                    failed(s, "lookup_and_delete", rc);
            }
            uint32_t akey = key % ARRAY_MAX;
            if (map_sys_lookup(s->pcpu_array, &akey, words, 0) != 0)
                failed(s, "percpu lookup", akey);
            for (uint32_t cpu = 0; cpu < cpus; cpu++)
                if (!word_ok(words[cpu], akey))
                    failed(s, "percpu word", akey);
            atomic_fetch_add(&s->user_ops, 1);
        }
        struct lpm_key k, cur;
        const void *prev = NULL;
        int n = 0;
        while (map_sys_get_next_key(s->lpm, prev, &k) == 0 && n++ < 4 * LPM_PREFIXES) {
            struct lpm_rec r;
            int rc = map_sys_lookup(s->lpm, &k, &r, 0);
            if (rc == 0 && !lpm_rec_ok(&r))
                failed(s, "torn lpm user value", k.prefixlen);
            cur = k;
            prev = &cur;
        }
    }
    free(words);
}

static uint32_t count_keys(struct map *map, size_t key_size)
{
    unsigned char key[8], next[8];
    const void *prev = NULL;
    uint32_t count = 0;
    while (map_sys_get_next_key(map, prev, next) == 0 && count < 100000) {
        memcpy(key, next, key_size);
        prev = key;
        count++;
    }
    return count;
}

static void test_stress(void **state)
{
    (void)state;
    static struct shared s;
    memset(&s, 0, sizeof s);
    s.hash = mt_create(ABI_MAP_TYPE_HASH, 4, sizeof(struct rec), HASH_MAX, 0);
    s.lru = mt_create(ABI_MAP_TYPE_LRU_HASH, 4, sizeof(struct rec), LRU_MAX, 0);
    s.array = mt_create(ABI_MAP_TYPE_ARRAY, 4, 8, ARRAY_MAX, 0);
    s.pcpu_array = mt_create(ABI_MAP_TYPE_PERCPU_ARRAY, 4, 8, ARRAY_MAX, 0);
    s.pcpu_hash = mt_create(ABI_MAP_TYPE_PERCPU_HASH, 4, 8, 24, 0);
    s.lpm = mt_create(ABI_MAP_TYPE_LPM_TRIE, sizeof(struct lpm_key), sizeof(struct lpm_rec), LPM_MAX,
                      ABI_F_NO_PREALLOC);
    uint64_t rng = 99;
    for (int i = 0; i < LPM_PREFIXES; i++) {
        uint32_t plen = i == 0 ? 0 : 8 + (uint32_t)(next_rand(&rng) % 25);
        uint32_t addr = 10u << 24 | (uint32_t)(next_rand(&rng) % 4) << 16 |
                        (uint32_t)(next_rand(&rng) & 0xffff);
        addr &= plen ? ~0u << (32 - plen) : 0;
        struct lpm_key k = { plen, { (uint8_t)(addr >> 24), (uint8_t)(addr >> 16),
                                     (uint8_t)(addr >> 8), (uint8_t)addr } };
        s.prefixes[i] = k;
    }
    const char *env = getenv("EBPF_STRESS_MS");
    uint64_t ms = env && atoi(env) > 0 ? (uint64_t)atoi(env) : 1000;
    s.deadline_ns = plat_monotonic_ns() + ms * 1000000u / 2;

    plat_thread *threads[PROG_THREADS + 1];
    for (int i = 0; i < PROG_THREADS; i++)
        assert_int_equal(plat_thread_create(&threads[i], prog_thread, &s), 0);
    assert_int_equal(plat_thread_create(&threads[PROG_THREADS], user_thread, &s), 0);
    for (int i = 0; i <= PROG_THREADS; i++)
        plat_thread_join(threads[i]);

    if (atomic_load(&s.failures))
        fail_msg("%d failures, first: %s", atomic_load(&s.failures), s.failure);
    printf("stress: %llu lookups, %llu updates, %llu deletes, %llu user ops, %llu iterations\n",
           (unsigned long long)atomic_load(&s.lookups), (unsigned long long)atomic_load(&s.updates),
           (unsigned long long)atomic_load(&s.deletes), (unsigned long long)atomic_load(&s.user_ops),
           (unsigned long long)atomic_load(&s.iterations));
    assert_true(atomic_load(&s.lookups) > 0 && atomic_load(&s.user_ops) > 0);
    assert_true(count_keys(s.hash, 4) <= HASH_MAX);
    assert_true(count_keys(s.lru, 4) <= LRU_MAX);
    assert_true(count_keys(s.lpm, sizeof(struct lpm_key)) <= LPM_MAX);

    map_put(s.hash);
    map_put(s.lru);
    map_put(s.array);
    map_put(s.pcpu_array);
    map_put(s.pcpu_hash);
    map_put(s.lpm);
    map_reclaim_all();
}

/* ---- ring buffer ------------------------------------------------------------------------------ */

enum { RB_PRODUCERS = 4 };

struct rb_shared {
    struct map *rb;
    uint64_t deadline_ns;
    atomic_int producers_left;
    atomic_uint_fast64_t submitted[RB_PRODUCERS];
    uint64_t next_seq[RB_PRODUCERS]; /* consumer side */
    uint64_t consumed;
    atomic_int failures;
    char failure[128];
};

struct rb_arg {
    struct rb_shared *s;
    uint32_t id;
};

struct rb_rec {
    uint32_t producer, size;
    uint64_t seq, check;
};

static void rb_failed(struct rb_shared *s, const char *what, long detail)
{
    if (atomic_fetch_add(&s->failures, 1) == 0)
        snprintf(s->failure, sizeof s->failure, "%s (%ld)", what, detail);
}

static void rb_producer(void *arg)
{
    struct rb_arg *a = arg;
    struct rb_shared *s = a->s;
    uint64_t rng = mix(a->id, 77) | 1, seq = 0;
    while (plat_monotonic_ns() < s->deadline_ns && atomic_load(&s->failures) == 0) {
        uint32_t size = (uint32_t)(sizeof(struct rb_rec) + next_rand(&rng) % 600);
        map_read_lock();
        unsigned char *sample = map_ringbuf_reserve(s->rb, size, 0);
        if (sample) {
            bool discard = next_rand(&rng) % 8 == 0;
            struct rb_rec r = { a->id, size, discard ? 0 : seq, 0 };
            r.check = mix(r.seq, (uint64_t)r.producer << 32 | size);
            memcpy(sample, &r, sizeof r);
            for (uint32_t i = sizeof r; i < size; i++)
                sample[i] = (unsigned char)(r.check + i);
            if (discard) {
                map_ringbuf_discard(sample, 0);
            } else {
                map_ringbuf_submit(sample, 0);
                seq++;
                atomic_store(&s->submitted[a->id], seq);
            }
        }
        map_read_unlock();
        if (!sample)
            plat_thread_yield(); /* full: let the consumer catch up */
    }
    atomic_fetch_sub(&s->producers_left, 1);
}

static int rb_check(void *ctx, void *data, size_t size)
{
    struct rb_shared *s = ctx;
    struct rb_rec r;
    if (size < sizeof r) {
        rb_failed(s, "short record", (long)size);
        return 1;
    }
    memcpy(&r, data, sizeof r);
    const unsigned char *bytes = data;
    bool whole = r.producer < RB_PRODUCERS && r.size == size &&
                 r.check == mix(r.seq, (uint64_t)r.producer << 32 | r.size);
    for (size_t i = sizeof r; whole && i < size; i++)
        whole = bytes[i] == (unsigned char)(r.check + i);
    if (!whole)
        rb_failed(s, "torn ringbuf record", (long)size);
    else if (r.seq != s->next_seq[r.producer])
        rb_failed(s, "ringbuf record out of order", (long)r.seq);
    else
        s->next_seq[r.producer]++;
    s->consumed++;
    return 0;
}

static void rb_consumer(void *arg)
{
    struct rb_shared *s = arg;
    for (;;) {
        bool done = atomic_load(&s->producers_left) == 0;
        map_ringbuf_wait(s->rb, 5);
        map_ringbuf_consume(s->rb, rb_check, s);
        if (done || atomic_load(&s->failures))
            break;
    }
    map_ringbuf_consume(s->rb, rb_check, s);
}

static void test_stress_ringbuf(void **state)
{
    (void)state;
    static struct rb_shared s;
    memset(&s, 0, sizeof s);
    s.rb = mt_create(ABI_MAP_TYPE_RINGBUF, 0, 0, 16384, 0);
    const char *env = getenv("EBPF_STRESS_MS");
    uint64_t ms = env && atoi(env) > 0 ? (uint64_t)atoi(env) : 1000;
    s.deadline_ns = plat_monotonic_ns() + ms * 1000000u / 2;
    atomic_store(&s.producers_left, RB_PRODUCERS);
    struct rb_arg args[RB_PRODUCERS];
    plat_thread *threads[RB_PRODUCERS + 1];
    assert_int_equal(plat_thread_create(&threads[RB_PRODUCERS], rb_consumer, &s), 0);
    for (uint32_t i = 0; i < RB_PRODUCERS; i++) {
        args[i] = (struct rb_arg){ &s, i };
        assert_int_equal(plat_thread_create(&threads[i], rb_producer, &args[i]), 0);
    }
    for (int i = 0; i <= RB_PRODUCERS; i++)
        plat_thread_join(threads[i]);
    if (atomic_load(&s.failures))
        fail_msg("%d failures, first: %s", atomic_load(&s.failures), s.failure);
    uint64_t submitted = 0;
    for (int i = 0; i < RB_PRODUCERS; i++) {
        assert_int_equal(s.next_seq[i], atomic_load(&s.submitted[i]));
        submitted += atomic_load(&s.submitted[i]);
    }
    assert_int_equal(s.consumed, submitted);
    printf("ringbuf stress: %llu records\n", (unsigned long long)submitted);
    assert_true(submitted > 0);
    map_read_lock();
    assert_int_equal(map_ringbuf_query(s.rb, ABI_RB_AVAIL_DATA), 0);
    map_read_unlock();
    map_put(s.rb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stress),
        cmocka_unit_test(test_stress_ringbuf),
    };
    return cmocka_run_group_tests(tests, NULL, mt_reclaim);
}
