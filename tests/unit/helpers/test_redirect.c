/*
 * test_redirect.c - bpf_redirect in its XDP and tc flavours (flag checks, actions, the recorded
 * target) and bpf_redirect_map over a devmap: found -> XDP_REDIRECT with the entry's ifindex,
 * missing -> the fallback action from the flags' low bits (and the redirect cleared), broadcast,
 * refused flags, the key used as a u32; maps that cannot redirect (array) abort.
 */
#include "helpers_test.h"

static void test_redirect_xdp_and_tc(void **state)
{
    (void)state;
    helper_run run;
    helper_run_init(&run, HELPER_PROG_TYPE_XDP, NULL);
    helper_run_enter(&run);
    assert_int_equal(HCALL(redirect, 5, 0, 0, 0, 0), HELPER_XDP_REDIRECT);
    assert_true(run.redirect.set);
    assert_int_equal(run.redirect.ifindex, 5);
    assert_null(run.redirect.map);
    assert_int_equal(HCALL(redirect, 6, 1, 0, 0, 0), HELPER_XDP_ABORTED); /* XDP: no flags */
    assert_int_equal(run.redirect.ifindex, 5);
    helper_run_exit();

    helper_run_init(&run, 3 /* sched_cls */, NULL);
    helper_run_enter(&run);
    assert_int_equal(HCALL(redirect, 7, 1, 0, 0, 0), HELPER_TC_ACT_REDIRECT); /* BPF_F_INGRESS */
    assert_int_equal(run.redirect.ifindex, 7);
    assert_int_equal(run.redirect.flags, 1);
    assert_int_equal(HCALL(redirect, 7, 2, 0, 0, 0), HELPER_TC_ACT_SHOT);
    assert_int_equal(HCALL(redirect, 0x100000008ull, 0, 0, 0, 0), HELPER_TC_ACT_REDIRECT);
    assert_int_equal(run.redirect.ifindex, 8); /* a u32 */
    helper_run_exit();
}

static void test_redirect_map_devmap(void **state)
{
    (void)state;
    struct map *devmap = ht_map(ABI_MAP_TYPE_DEVMAP, 4, 4, 4);
    uint32_t key = 1, ifindex = 42;
    assert_int_equal(map_sys_update(devmap, &key, &ifindex, 0), 0);
    helper_run run;
    helper_run_init(&run, HELPER_PROG_TYPE_XDP, NULL);
    ht_lock();
    helper_run_enter(&run);

    assert_int_equal(HCALL(redirect_map, devmap, 1, 0, 0, 0), HELPER_XDP_REDIRECT);
    assert_true(run.redirect.set);
    assert_ptr_equal(run.redirect.map, devmap);
    assert_int_equal(run.redirect.map_type, ABI_MAP_TYPE_DEVMAP);
    assert_int_equal(run.redirect.key, 1);
    assert_int_equal(run.redirect.ifindex, 42);
    assert_int_equal(run.redirect.flags, 0);

    /* missing entries: the low two flag bits are the action, the redirect is forgotten */
    assert_int_equal(HCALL(redirect_map, devmap, 2, HELPER_XDP_PASS, 0, 0), HELPER_XDP_PASS);
    assert_false(run.redirect.set);
    assert_int_equal(HCALL(redirect_map, devmap, 2, HELPER_XDP_DROP, 0, 0), HELPER_XDP_DROP);
    assert_int_equal(HCALL(redirect_map, devmap, 2, HELPER_XDP_TX, 0, 0), HELPER_XDP_TX);
    assert_int_equal(HCALL(redirect_map, devmap, 9, 0, 0, 0), HELPER_XDP_ABORTED);
    /* other bits: aborted (XDP_REDIRECT itself is not a fallback) */
    assert_int_equal(HCALL(redirect_map, devmap, 1, HELPER_XDP_REDIRECT, 0, 0), HELPER_XDP_ABORTED);
    assert_int_equal(HCALL(redirect_map, devmap, 1, 1ull << 5, 0, 0), HELPER_XDP_ABORTED);
    /* the key is a u32 */
    assert_int_equal(HCALL(redirect_map, devmap, 0x100000001ull, HELPER_XDP_PASS, 0, 0),
                     HELPER_XDP_REDIRECT);
    assert_int_equal(run.redirect.key, 1);
    /* broadcast (devmaps only) redirects whatever the key */
    uint64_t broadcast = 1ull << 3, exclude = 1ull << 4;
    assert_int_equal(HCALL(redirect_map, devmap, 3, broadcast | exclude | HELPER_XDP_PASS, 0, 0),
                     HELPER_XDP_REDIRECT);
    assert_true(run.redirect.set);
    assert_int_equal(run.redirect.flags, broadcast | exclude | HELPER_XDP_PASS);

    helper_run_exit();
    ht_unlock();
    map_put(devmap);
}

static void test_redirect_map_other_maps(void **state)
{
    (void)state;
    struct map *array = ht_map(ABI_MAP_TYPE_ARRAY, 4, 4, 4);
    helper_run run;
    helper_run_init(&run, HELPER_PROG_TYPE_XDP, NULL);
    ht_lock();
    helper_run_enter(&run);
    assert_int_equal(HCALL(redirect_map, array, 0, 1ull << 3, 0, 0), HELPER_XDP_ABORTED);
    assert_int_equal(HCALL(redirect_map, array, 0, HELPER_XDP_PASS, 0, 0), HELPER_XDP_ABORTED);
    assert_false(run.redirect.set);
    helper_run_exit();
    struct map *devmap = ht_map(ABI_MAP_TYPE_DEVMAP, 4, 4, 4);
    assert_int_equal(HCALL(redirect_map, devmap, 0, HELPER_XDP_PASS, 0, 0), HELPER_XDP_ABORTED);
    map_put(devmap); /* no run: aborted */
    ht_unlock();
    map_put(array);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        HT_TEST(test_redirect_xdp_and_tc),
        HT_TEST(test_redirect_map_devmap),
        HT_TEST(test_redirect_map_other_maps),
    };
    return cmocka_run_group_tests(tests, NULL, ht_reclaim);
}
