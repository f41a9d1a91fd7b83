/*
 * test_lpm.c - lpm_trie: longest-prefix match for IPv4 (/0, /8 ... /32) and IPv6 (/0, /64, /128),
 * update flags, -ENOSPC when full, deletes (including a node that keeps two children), complete
 * get_next_key iteration with descendants before ancestors, and a randomised comparison against a
 * linear longest-prefix scan.
 */
#include "maps_test.h"

struct v4key {
    uint32_t prefixlen;
    uint8_t addr[4];
};

struct v6key {
    uint32_t prefixlen;
    uint8_t addr[16];
};

static struct map *v4_trie(uint32_t max)
{
    return mt_create(ABI_MAP_TYPE_LPM_TRIE, sizeof(struct v4key), 4, max, ABI_F_NO_PREALLOC);
}

static struct v4key v4(uint8_t a, uint8_t b, uint8_t c, uint8_t d, uint32_t prefixlen)
{
    struct v4key k = { prefixlen, { a, b, c, d } };
    return k;
}

static int64_t match(struct map *map, struct v4key key)
{
    uint32_t value;
    return mt_lookup(map, &key, &value, sizeof value) ? (int64_t)value : -1;
}

static void put(struct map *map, struct v4key key, uint32_t value)
{
    assert_int_equal(map_sys_update(map, &key, &value, ABI_ANY), 0);
}

static void test_lpm_v4(void **state)
{
    (void)state;
    struct map *map = v4_trie(16);
    put(map, v4(10, 0, 0, 0, 8), 1);
    put(map, v4(10, 1, 0, 0, 16), 2);
    put(map, v4(10, 1, 1, 0, 24), 3);
    put(map, v4(192, 168, 1, 1, 32), 4);
    assert_int_equal(match(map, v4(10, 1, 1, 5, 32)), 3);
    assert_int_equal(match(map, v4(10, 1, 2, 3, 32)), 2);
    assert_int_equal(match(map, v4(10, 2, 3, 4, 32)), 1);
    assert_int_equal(match(map, v4(11, 0, 0, 1, 32)), -1);
    assert_int_equal(match(map, v4(192, 168, 1, 1, 32)), 4);
    assert_int_equal(match(map, v4(192, 168, 1, 2, 32)), -1);
    /* The lookup key's own prefix length bounds the match. */
    assert_int_equal(match(map, v4(10, 1, 1, 5, 16)), 2);
    put(map, v4(0, 0, 0, 0, 0), 9);
    assert_int_equal(match(map, v4(11, 0, 0, 1, 32)), 9);
    assert_int_equal(match(map, v4(192, 168, 1, 2, 32)), 9);
    assert_int_equal(match(map, v4(10, 1, 1, 5, 32)), 3);

    uint32_t out;
    struct v4key k = v4(10, 9, 9, 9, 32);
    assert_int_equal(map_sys_lookup(map, &k, &out, 0), 0); /* bpf() lookups match too */
    assert_int_equal(out, 1);

    k = v4(10, 1, 0, 0, 16);
    assert_int_equal(map_sys_delete(map, &k), 0);
    assert_int_equal(map_sys_delete(map, &k), -ENOENT);
    assert_int_equal(match(map, v4(10, 1, 2, 3, 32)), 1);
    assert_int_equal(match(map, v4(10, 1, 1, 3, 32)), 3);
    k = v4(10, 1, 1, 0, 23);
    assert_int_equal(map_sys_delete(map, &k), -ENOENT);
    k = v4(0, 0, 0, 0, 33);
    assert_int_equal(map_sys_delete(map, &k), -EINVAL);
    assert_int_equal(map_sys_update(map, &k, &out, 0), -EINVAL);
    k = v4(0, 0, 0, 0, 0);
    assert_int_equal(map_sys_delete(map, &k), 0);
    assert_int_equal(match(map, v4(11, 0, 0, 1, 32)), -1);
    map_put(map);
}

static void test_lpm_delete_branch_point(void **state)
{
    (void)state;
    struct map *map = v4_trie(16);
    put(map, v4(10, 0, 0, 0, 8), 1);
    put(map, v4(10, 0, 0, 0, 16), 2);
    put(map, v4(10, 128, 0, 0, 16), 3);
    struct v4key k = v4(10, 0, 0, 0, 8);
    assert_int_equal(map_sys_delete(map, &k), 0); /* has two children: becomes intermediate */
    assert_int_equal(match(map, v4(10, 0, 5, 5, 32)), 2);
    assert_int_equal(match(map, v4(10, 128, 5, 5, 32)), 3);
    assert_int_equal(match(map, v4(10, 64, 5, 5, 32)), -1);
    put(map, v4(10, 0, 0, 0, 8), 4); /* and back */
    assert_int_equal(match(map, v4(10, 64, 5, 5, 32)), 4);
    k = v4(10, 0, 0, 0, 16);
    assert_int_equal(map_sys_delete(map, &k), 0);
    k = v4(10, 128, 0, 0, 16);
    assert_int_equal(map_sys_delete(map, &k), 0);
    assert_int_equal(match(map, v4(10, 128, 5, 5, 32)), 4);
    k = v4(10, 0, 0, 0, 8);
    assert_int_equal(map_sys_delete(map, &k), 0);
    assert_int_equal(map_sys_get_next_key(map, NULL, &k), -ENOENT);
    map_put(map);
}

static void test_lpm_flags_and_full(void **state)
{
    (void)state;
    struct map *map = v4_trie(3);
    struct v4key k = v4(1, 0, 0, 0, 8);
    uint32_t v = 1;
    assert_int_equal(map_sys_update(map, &k, &v, ABI_EXIST), -ENOENT);
    assert_int_equal(map_sys_update(map, &k, &v, ABI_NOEXIST), 0);
    assert_int_equal(map_sys_update(map, &k, &v, ABI_NOEXIST), -EEXIST);
    assert_int_equal(map_sys_update(map, &k, &v, ABI_F_LOCK), -EINVAL);
    put(map, v4(2, 0, 0, 0, 8), 2);
    put(map, v4(3, 0, 0, 0, 8), 3);
    k = v4(4, 0, 0, 0, 8);
    assert_int_equal(map_sys_update(map, &k, &v, ABI_ANY), -ENOSPC);
    put(map, v4(3, 0, 0, 0, 8), 33); /* replacing in a full trie is fine */
    assert_int_equal(match(map, v4(3, 1, 1, 1, 32)), 33);
    assert_int_equal(map_sys_lookup_and_delete(map, &k, &v, 0), -ABI_ENOTSUPP);
    map_put(map);
}

static void test_lpm_v6(void **state)
{
    (void)state;
    struct map *map = mt_create(ABI_MAP_TYPE_LPM_TRIE, sizeof(struct v6key), 4, 8, ABI_F_NO_PREALLOC);
    struct v6key host = { 128, { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 } };
    struct v6key net = host, any = { 0, { 0 } };
    net.prefixlen = 64;
    uint32_t v;
    assert_int_equal(map_sys_update(map, &host, &(uint32_t){ 128 }, 0), 0);
    assert_int_equal(map_sys_update(map, &net, &(uint32_t){ 64 }, 0), 0);
    struct v6key probe = host;
    assert_true(mt_lookup(map, &probe, &v, 4));
    assert_int_equal(v, 128);
    probe.addr[15] = 2;
    assert_true(mt_lookup(map, &probe, &v, 4));
    assert_int_equal(v, 64);
    probe.addr[7] = 1;
    assert_false(mt_lookup(map, &probe, &v, 4));
    assert_int_equal(map_sys_update(map, &any, &(uint32_t){ 0 }, 0), 0);
    assert_true(mt_lookup(map, &probe, &v, 4));
    assert_int_equal(v, 0);
    probe.prefixlen = 129;
    assert_int_equal(map_sys_update(map, &probe, &v, 0), -EINVAL);
    map_put(map);
}

static bool v4_covers(const struct v4key *outer, const struct v4key *inner)
{
    if (outer->prefixlen > inner->prefixlen)
        return false;
    for (uint32_t bit = 0; bit < outer->prefixlen; bit++) {
        unsigned a = (outer->addr[bit / 8] >> (7 - bit % 8)) & 1;
        unsigned b = (inner->addr[bit / 8] >> (7 - bit % 8)) & 1;
        if (a != b)
            return false;
    }
    return true;
}

static void test_lpm_iteration_postorder(void **state)
{
    (void)state;
    struct map *map = v4_trie(32);
    struct v4key keys[] = {
        v4(10, 0, 0, 0, 8),   v4(10, 1, 0, 0, 16), v4(10, 1, 1, 0, 24), v4(10, 128, 0, 0, 9),
        v4(192, 168, 0, 0, 16), v4(0, 0, 0, 0, 0),  v4(192, 168, 1, 1, 32), v4(172, 16, 0, 0, 12),
    };
    enum { N = sizeof keys / sizeof keys[0] };
    for (uint32_t i = 0; i < N; i++)
        put(map, keys[i], i);
    struct v4key order[N + 1], next, cur;
    int count = 0;
    const void *prev = NULL;
    while (map_sys_get_next_key(map, prev, &next) == 0) {
        assert_true(count < N);
        order[count++] = next;
        cur = next;
        prev = &cur;
    }
    assert_int_equal(count, N);
    for (int i = 0; i < N; i++) {
        uint32_t v;
        assert_int_equal(map_sys_lookup(map, &order[i], &v, 0), 0);
        assert_memory_equal(&keys[v], &order[i], sizeof order[i]); /* each key exactly once */
        for (int j = 0; j < i; j++)
            assert_memory_not_equal(&order[j], &order[i], sizeof order[i]);
        for (int j = i + 1; j < N; j++) /* nothing after it is more specific under it */
            assert_false(v4_covers(&order[i], &order[j]) && order[i].prefixlen != order[j].prefixlen);
    }
    assert_int_equal(order[N - 1].prefixlen, 0); /* the root comes last */
    next = v4(99, 0, 0, 0, 8);                    /* absent: start over */
    assert_int_equal(map_sys_get_next_key(map, &next, &cur), 0);
    assert_memory_equal(&cur, &order[0], sizeof cur);
    map_put(map);
}

static uint32_t rng_state = 12345;
static uint32_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

static void test_lpm_random_against_scan(void **state)
{
    (void)state;
    enum { SLOTS = 64, ROUNDS = 3000 };
    struct map *map = v4_trie(SLOTS);
    struct v4key model[SLOTS];
    bool used[SLOTS] = { false };
    for (int round = 0; round < ROUNDS; round++) {
        uint32_t slot = rng() % SLOTS;
        if (used[slot] && rng() % 2) {
            assert_int_equal(map_sys_delete(map, &model[slot]), 0);
            used[slot] = false;
        } else if (!used[slot]) {
            /* Few distinct high bits, so prefixes nest and collide often. */
            uint32_t plen = rng() % 33, addr = (rng() % 4) << 30 | (rng() % 4) << 20 | (rng() & 0xff);
            if (plen < 32)
                addr &= plen ? ~0u << (32 - plen) : 0;
            struct v4key k = v4((uint8_t)(addr >> 24), (uint8_t)(addr >> 16), (uint8_t)(addr >> 8),
                                (uint8_t)addr, plen);
            bool dup = false;
            for (int i = 0; i < SLOTS; i++)
                dup |= used[i] && memcmp(&model[i], &k, sizeof k) == 0;
            if (dup)
                continue;
            assert_int_equal(map_sys_update(map, &k, &slot, ABI_NOEXIST), 0);
            model[slot] = k;
            used[slot] = true;
        }
        struct v4key probe = v4(0, 0, 0, 0, 32);
        uint32_t a = (rng() % 4) << 30 | (rng() % 4) << 20 | (rng() & 0xff);
        probe.addr[0] = (uint8_t)(a >> 24), probe.addr[1] = (uint8_t)(a >> 16);
        probe.addr[2] = (uint8_t)(a >> 8), probe.addr[3] = (uint8_t)a;
        int64_t best = -1;
        for (int i = 0; i < SLOTS; i++)
            if (used[i] && v4_covers(&model[i], &probe) &&
                (best < 0 || model[i].prefixlen > model[best].prefixlen))
                best = i;
        assert_int_equal(match(map, probe), best);
    }
    int count = 0, expected = 0;
    struct v4key next, cur;
    const void *prev = NULL;
    while (map_sys_get_next_key(map, prev, &next) == 0) {
        count++;
        cur = next;
        prev = &cur;
    }
    for (int i = 0; i < SLOTS; i++)
        expected += used[i];
    assert_int_equal(count, expected);
    map_put(map);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lpm_v4),
        cmocka_unit_test(test_lpm_delete_branch_point),
        cmocka_unit_test(test_lpm_flags_and_full),
        cmocka_unit_test(test_lpm_v6),
        cmocka_unit_test(test_lpm_iteration_postorder),
        cmocka_unit_test(test_lpm_random_against_scan),
    };
    return cmocka_run_group_tests(tests, NULL, mt_reclaim);
}
