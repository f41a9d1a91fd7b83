/*
 * test_proc.c - the clock and task helpers: monotonic clocks move forward and agree with the
 * platform, TAI is a plausible time since the epoch, jiffies start from Linux's INITIAL_JIFFIES,
 * prandom varies, the CPU id is a valid slot, pid/tgid and uid/gid are packed Linux's way, and
 * get_current_comm truncates and zero-pads like strscpy_pad.
 */
#include "helpers_test.h"

#include "platform/platform.h"
#include "platform/proc.h"
#include "platform/sync.h"

static void test_clocks(void **state)
{
    (void)state;
    uint64_t a = HCALL(ktime_get_ns, 0, 0, 0, 0, 0);
    uint64_t mono = plat_monotonic_ns();
    uint64_t b = HCALL(ktime_get_ns, 0, 0, 0, 0, 0);
    assert_true(a <= mono && mono <= b);
    uint64_t boot1 = HCALL(ktime_get_boot_ns, 0, 0, 0, 0, 0);
    uint64_t boot2 = HCALL(ktime_get_boot_ns, 0, 0, 0, 0, 0);
    assert_true(boot1 > 0 && boot1 <= boot2);
    assert_true(boot1 + 1000000000ull >= a); /* boot time counts at least the monotonic time */
    uint64_t coarse = HCALL(ktime_get_coarse_ns, 0, 0, 0, 0, 0);
    assert_true(coarse > 0 && coarse <= plat_monotonic_ns() + 100000000ull);
    uint64_t tai = HCALL(ktime_get_tai_ns, 0, 0, 0, 0, 0);
    assert_true(tai > 1577836800ull * 1000000000ull); /* after 2020-01-01 */
    uint64_t j = HCALL(jiffies64, 0, 0, 0, 0, 0);
    assert_true(j >= 0x100000000ull - 300000ull);
    assert_true(HCALL(jiffies64, 0, 0, 0, 0, 0) >= j);
}

static void test_prandom(void **state)
{
    (void)state;
    uint64_t first = HCALL(get_prandom_u32, 0, 0, 0, 0, 0), ors = 0, ands = ~0ull;
    int same = 0;
    for (int i = 0; i < 1000; i++) {
        uint64_t v = HCALL(get_prandom_u32, 0, 0, 0, 0, 0);
        assert_true(v <= UINT32_MAX);
        same += v == first;
        ors |= v;
        ands &= v;
    }
    assert_true(same < 3);
    assert_int_equal(ors, UINT32_MAX); /* every bit seen set ... */
    assert_int_equal(ands, 0);         /* ... and clear */
}

static void test_task_ids(void **state)
{
    (void)state;
    assert_true(HCALL(get_smp_processor_id, 0, 0, 0, 0, 0) < plat_cpu_count());
    assert_int_equal(HCALL(get_smp_processor_id, 0, 0, 0, 0, 0), plat_cpu_slot());
    assert_int_equal(HCALL(get_numa_node_id, 0, 0, 0, 0, 0), 0);
    uint64_t pid_tgid = HCALL(get_current_pid_tgid, 0, 0, 0, 0, 0);
    assert_int_equal(pid_tgid >> 32, plat_process_id());
    assert_int_equal((uint32_t)pid_tgid, plat_thread_id());
    uint32_t uid, gid;
    plat_user_ids(&uid, &gid);
    uint64_t uid_gid = HCALL(get_current_uid_gid, 0, 0, 0, 0, 0);
    assert_int_equal(uid_gid >> 32, gid);
    assert_int_equal((uint32_t)uid_gid, uid);
}

static void test_comm(void **state)
{
    (void)state;
    char name[PLAT_COMM_LEN];
    plat_thread_name(name);
    size_t len = strlen(name);
    assert_true(len < PLAT_COMM_LEN);
    char buf[32];
    memset(buf, 'Z', sizeof buf);
    assert_int_equal(HCALL(get_current_comm, buf, sizeof buf, 0, 0, 0), 0);
    assert_string_equal(buf, name);
    for (size_t i = len; i < sizeof buf; i++)
        assert_int_equal(buf[i], 0); /* zero-padded */
    memset(buf, 'Z', sizeof buf);
    assert_int_equal(HCALL(get_current_comm, buf, 4, 0, 0, 0), 0);
    assert_int_equal(strlen(buf), len < 3 ? len : 3);
    assert_memory_equal(buf, name, strlen(buf));
    assert_int_equal(buf[4], 'Z'); /* nothing past size */
#if defined(__linux__)
    assert_true(len > 0); /* Linux threads always have a name */
#endif
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        HT_TEST(test_clocks),
        HT_TEST(test_prandom),
        HT_TEST(test_task_ids),
        HT_TEST(test_comm),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
