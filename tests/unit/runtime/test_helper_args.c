/*
 * test_helper_args.c - the checked run's helper-argument checks (src/runtime/chk_*.c) through the
 * public API: progs/wild_helper.bpf.c (built with clang) loaded without verification, each of its
 * programs handing a helper a wild or short pointer, NULL with a size, a non-map, a foreign context,
 * a released ring buffer record or a misaligned result pointer. Every run must stop with
 * EBPF_RUN_OUT_OF_BOUNDS (-EFAULT) and a message naming the helper, the register and why, and never
 * crash; `good` makes legitimate calls of the same helpers and must pass. Also the uninitialised-read
 * check (check_uninit) on the memory helpers read and write.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ebpf/ebpf.h"

static const uint8_t frame[64] = { [12] = 0x08, [13] = 0x00 };

static ebpf_object *obj;

static int setup(void **state)
{
    (void)state;
    char path[512];
    snprintf(path, sizeof path, "%s/wild_helper.bpf.o", EBPF_RT_PROG_DIR);
    struct ebpf_diag diag;
    obj = ebpf_object_open_file(path, NULL, &diag);
    if (!obj)
        return 0; /* not built (no clang): the tests skip */
    EBPF_OPTS(ebpf_object_load_opts, lo, .verify = { .sz = sizeof(struct ebpf_verify_opts),
                                                     .mode = EBPF_VERIFY_NONE });
    return ebpf_object_load_with_opts(obj, &lo, &diag);
}

static int teardown(void **state)
{
    (void)state;
    ebpf_object_close(obj);
    return 0;
}

/* Runs program `name` once on the checked engine, with or without the uninitialised-read check; *t gets
 * the outcome. */
static int run_uninit(const char *name, struct ebpf_test_run_opts *t, bool check_uninit)
{
    if (!obj)
        skip();
    struct ebpf_diag diag;
    ebpf_program *prog = ebpf_object_find_program(obj, name, &diag);
    assert_non_null(prog);
    uint8_t out[sizeof frame + 512];
    memset(t, 0, sizeof *t);
    t->sz = sizeof *t;
    t->data_in = frame;
    t->data_size_in = sizeof frame;
    t->data_out = out;
    t->data_size_out = sizeof out;
    t->mode = EBPF_EXEC_CHECKED;
    t->check_uninit = check_uninit;
    return ebpf_prog_test_run(prog, t);
}

static int run(const char *name, struct ebpf_test_run_opts *t)
{
    return run_uninit(name, t, false);
}

/* The run of `name` must be refused with a message containing each of the NULL-ended fragments. */
static void expect_refused(const char *name, ...)
{
    struct ebpf_test_run_opts t;
    int rc = run(name, &t);
    print_message("%s: rc %d, status %d, %s\n", name, rc, (int)t.status, t.message);
    assert_int_equal(rc, -EFAULT);
    assert_int_equal(t.status, EBPF_RUN_OUT_OF_BOUNDS);
    assert_true(t.fault_insn >= 0);
    va_list ap;
    va_start(ap, name);
    for (const char *want; (want = va_arg(ap, const char *)) != NULL;)
        assert_non_null(strstr(t.message, want));
    va_end(ap);
}

static void test_good(void **state)
{
    (void)state;
    struct ebpf_test_run_opts t;
    assert_int_equal(run("good", &t), 0);
    assert_int_equal(t.retval, 2); /* XDP_PASS */
}

static void test_wild_key(void **state)
{
    (void)state;
    expect_refused("wild_key", "bpf_map_lookup_elem: r2 (key, 4 bytes) points outside every region the "
                               "program may read", NULL);
}

static void test_short_key(void **state)
{
    (void)state;
    expect_refused("short_key", "bpf_map_lookup_elem: r2 (key, 8 bytes) points outside", NULL);
}

static void test_not_a_map(void **state)
{
    (void)state;
    expect_refused("not_a_map", "bpf_map_lookup_elem: r1 (map)", "is not a map of the program's object", NULL);
}

static void test_wild_value(void **state)
{
    (void)state;
    expect_refused("wild_value", "bpf_map_update_elem: r3 (value, 8 bytes) points outside", NULL);
}

static void test_csum_past_end(void **state)
{
    (void)state;
    expect_refused("csum_past_end", "bpf_csum_diff: r1 (memory, 4096 bytes) points outside every region the "
                                    "program may read", NULL);
}

static void test_csum_null(void **state)
{
    (void)state;
    expect_refused("csum_null", "bpf_csum_diff: r1 (memory, 4 bytes) is NULL with a non-zero size", NULL);
}

static void test_double_submit(void **state)
{
    (void)state;
    expect_refused("double_submit", "bpf_ringbuf_submit: r1 (ring buffer record)",
                   "is not a record this run reserved and has not submitted or discarded", NULL);
}

static void test_wild_fmt(void **state)
{
    (void)state;
    expect_refused("wild_fmt", "bpf_snprintf: r3 (string) points outside every region the program may read",
                   NULL);
}

static void test_wild_percent_s(void **state)
{
    (void)state;
    struct ebpf_test_run_opts t;
    assert_int_equal(run("wild_percent_s", &t), 0);
    assert_int_equal(t.retval, 3); /* "<>" and its NUL */
}

static void test_foreign_ctx(void **state)
{
    (void)state;
    expect_refused("foreign_ctx", "bpf_xdp_adjust_head: r1 (context)", "is not the program's context", NULL);
}

static void test_misaligned_result(void **state)
{
    (void)state;
    expect_refused("misaligned_result", "bpf_strtol: r4 (result, 8 bytes)", "is not 8-byte aligned", NULL);
}

static void test_comm_too_long(void **state)
{
    (void)state;
    expect_refused("comm_too_long", "bpf_get_current_comm: r1 (buffer, 1048576 bytes) points outside every "
                                    "region the program may write", NULL);
}

static void test_double_lock(void **state)
{
    (void)state;
    expect_refused("double_lock", "bpf_spin_lock: called while holding a bpf_spin_lock", NULL);
}

static void test_unlock_not_held(void **state)
{
    (void)state;
    expect_refused("unlock_not_held", "bpf_spin_unlock: r1 (lock) is not the lock this run holds", NULL);
}

/* A lock left held is released when the run ends: the next runs can take it again. */
static void test_lock_left_held(void **state)
{
    (void)state;
    struct ebpf_test_run_opts t;
    for (int i = 0; i < 3; i++) {
        assert_int_equal(run("lock_left_held", &t), 0);
        assert_int_equal(t.retval, 2);
    }
}

/* Refused after a second instead of spinning for ever. The word stays set (map updates leave a
 * value's lock alone): this runs after the other lock tests. */
static void test_forged_lock(void **state)
{
    (void)state;
    expect_refused("forged_lock", "bpf_spin_lock: r1 (lock)", "stays taken and no run holds it", NULL);
}

static void test_tail_call_array(void **state)
{
    (void)state;
    expect_refused("tail_call_array", "bpf_tail_call: r2 (program array) is not a prog_array map", NULL);
}

static void test_loop_wild_callback(void **state)
{
    (void)state;
    expect_refused("loop_wild_callback", "bpf_loop: r2 (callback) 5 is not a callback function of the program",
                   NULL);
}

static void test_write_after_submit(void **state)
{
    (void)state;
    expect_refused("write_after_submit", "1-byte store", "is outside every accessible region", NULL);
}

static void test_inner_map(void **state)
{
    (void)state;
    struct ebpf_test_run_opts t;
    assert_int_equal(run("inner_map", &t), 0);
    assert_int_equal(t.retval, 2);
}

static void test_inner_map_wild_key(void **state)
{
    (void)state;
    expect_refused("inner_map_wild_key", "bpf_map_lookup_elem: r2 (key, 4 bytes) points outside", NULL);
}

static void test_callback_wild_key(void **state)
{
    (void)state;
    expect_refused("callback_wild_key", "bpf_map_lookup_elem: r2 (key, 4 bytes) points outside", NULL);
}

/* The uninitialised-read check through the public API: helper memory by prototype (a key read, stack
 * bytes helpers wrote), off by default. */
static void test_uninit_check(void **state)
{
    (void)state;
    struct ebpf_test_run_opts t;
    assert_int_equal(run("uninit_key", &t), 0);
    assert_int_equal(run_uninit("uninit_key", &t, true), -EFAULT);
    print_message("uninit_key: %s\n", t.message);
    assert_int_equal(t.status, EBPF_RUN_UNINIT);
    assert_non_null(strstr(t.message, "helper 1 reads the stack byte at r10-"));
    assert_non_null(strstr(t.message, "never written"));
    assert_string_equal(ebpf_run_status_name(t.status), "uninitialised read");
    for (int uninit = 0; uninit < 2; uninit++) {
        assert_int_equal(run_uninit("helper_written", &t, uninit), 0);
        assert_int_equal(t.retval, 2); /* XDP_PASS */
        assert_int_equal(run_uninit("good", &t, uninit), 0);
        assert_int_equal(t.retval, 2);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good),
        cmocka_unit_test(test_wild_key),
        cmocka_unit_test(test_short_key),
        cmocka_unit_test(test_not_a_map),
        cmocka_unit_test(test_wild_value),
        cmocka_unit_test(test_csum_past_end),
        cmocka_unit_test(test_csum_null),
        cmocka_unit_test(test_double_submit),
        cmocka_unit_test(test_wild_fmt),
        cmocka_unit_test(test_wild_percent_s),
        cmocka_unit_test(test_foreign_ctx),
        cmocka_unit_test(test_misaligned_result),
        cmocka_unit_test(test_comm_too_long),
        cmocka_unit_test(test_double_lock),
        cmocka_unit_test(test_unlock_not_held),
        cmocka_unit_test(test_lock_left_held),
        cmocka_unit_test(test_forged_lock),
        cmocka_unit_test(test_tail_call_array),
        cmocka_unit_test(test_loop_wild_callback),
        cmocka_unit_test(test_write_after_submit),
        cmocka_unit_test(test_inner_map),
        cmocka_unit_test(test_inner_map_wild_key),
        cmocka_unit_test(test_callback_wild_key),
        cmocka_unit_test(test_uninit_check),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
