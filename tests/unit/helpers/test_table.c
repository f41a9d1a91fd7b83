/*
 * test_table.c - the helper table against the ABI list: ids increasing and unique, each a Linux
 * helper with a prototype and the same name, lookup by id; the run chain (enter/exit nesting); the
 * host-to-Linux errno translation of map-layer results.
 */
#include "helpers_test.h"

#include <errno.h>

#include "abi/abi_helpers.h"

static void test_table_matches_abi(void **state)
{
    (void)state;
    size_t count = 0;
    const struct ebpf_helper *table = helper_linux_table(&count);
    assert_true(count >= 40);
    for (size_t i = 0; i < count; i++) {
        const abi_helper *row = abi_helper_by_id(table[i].id);
        assert_non_null(row);
        assert_true(abi_helper_supported(row));
        assert_string_equal(row->name, table[i].name);
        assert_non_null(table[i].fn);
        assert_null(table[i].user);
        if (i)
            assert_true(table[i - 1].id < table[i].id);
        assert_ptr_equal(helper_linux_find(table[i].id), &table[i]);
    }
}

static void test_table_ids(void **state)
{
    (void)state;
    assert_ptr_equal(helper_linux_find(ABI_HELPER_ID_map_lookup_elem)->fn, helper_map_lookup_elem);
    assert_int_equal(helper_linux_find(1)->id, 1);
    assert_int_equal(helper_linux_find(181)->fn == helper_loop, 1);
    assert_null(helper_linux_find(0));      /* unspec */
    assert_null(helper_linux_find(4));      /* probe_read: not implemented */
    assert_null(helper_linux_find(100000)); /* not a helper */
}

static void test_run_nesting(void **state)
{
    (void)state;
    helper_run outer, inner;
    int ctx;
    helper_run_init(&outer, HELPER_PROG_TYPE_XDP, &ctx);
    helper_run_init(&inner, 3, NULL);
    assert_null(helper_run_current());
    helper_run_enter(&outer);
    assert_ptr_equal(helper_run_current(), &outer);
    helper_run_enter(&inner);
    assert_ptr_equal(helper_run_current(), &inner);
    helper_run_exit();
    assert_ptr_equal(helper_run_current(), &outer);
    helper_run_exit();
    assert_null(helper_run_current());
    helper_run_exit(); /* unbalanced: harmless */
    assert_null(helper_run_current());
    assert_int_equal(outer.prog_type, HELPER_PROG_TYPE_XDP);
    assert_ptr_equal(outer.ctx, &ctx);
}

static void test_errno_translation(void **state)
{
    (void)state;
    assert_int_equal(helper_ret(5), 5);
    assert_int_equal(helper_ret(-EINVAL), HERR(22));
    assert_int_equal(helper_ret(-ENOENT), HERR(2));
    assert_int_equal(helper_ret(-E2BIG), HERR(7));
    assert_int_equal(helper_ret(-EEXIST), HERR(17));
    assert_int_equal(helper_ret(-EAGAIN), HERR(11));
    assert_int_equal(helper_ret(-EOPNOTSUPP), HERR(95));
    assert_int_equal(helper_ret(-(long)ABI_ENOTSUPP), HERR(524));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        HT_TEST(test_table_matches_abi),
        HT_TEST(test_table_ids),
        HT_TEST(test_run_nesting),
        HT_TEST(test_errno_translation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
