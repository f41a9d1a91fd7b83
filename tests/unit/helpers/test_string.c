/*
 * test_string.c - bpf_strtol / bpf_strtoul with Linux's rules (bases 0/8/10/16 and their prefixes,
 * leading white space, the '-' sign, no '+', overflow, the buffer length as a limit, the 63-character
 * window, *res zeroed on failure, flag checks) and bpf_strncmp (-1/0/1, the size limit).
 */
#include "helpers_test.h"

static int64_t sres;
static uint64_t ures;

static uint64_t stol(const char *s, size_t len, uint64_t flags)
{
    sres = 77;
    return HCALL(strtol, s, len, flags, &sres, 0);
}

static uint64_t stoul(const char *s, size_t len, uint64_t flags)
{
    ures = 77;
    return HCALL(strtoul, s, len, flags, &ures, 0);
}

#define STOL(s, flags) stol(s, strlen(s), flags)
#define STOUL(s, flags) stoul(s, strlen(s), flags)

static void test_strtol_bases(void **state)
{
    (void)state;
    assert_int_equal(STOL("123", 10), 3);
    assert_int_equal(sres, 123);
    assert_int_equal(STOL("  -42xyz", 10), 5);
    assert_int_equal(sres, -42);
    assert_int_equal(STOL("\t\n\v\f\r 7", 0), 7);
    assert_int_equal(sres, 7);
    assert_int_equal(STOL("0x1f", 0), 4);
    assert_int_equal(sres, 31);
    assert_int_equal(STOL("0X1F", 16), 4);
    assert_int_equal(sres, 31);
    assert_int_equal(STOL("1f", 16), 2);
    assert_int_equal(sres, 31);
    assert_int_equal(STOL("0x1f", 10), 1);
    assert_int_equal(sres, 0);
    assert_int_equal(STOL("017", 0), 3);
    assert_int_equal(sres, 15);
    assert_int_equal(STOL("08", 0), 1); /* octal: the 8 ends the number */
    assert_int_equal(sres, 0);
    assert_int_equal(STOL("0x", 0), 1); /* "0x" without a hex digit: octal 0 */
    assert_int_equal(sres, 0);
    assert_int_equal(STOL("0xg", 0), 1);
    assert_int_equal(STOL("777", 8), 3);
    assert_int_equal(sres, 511);
    assert_int_equal(STOL("-0", 10), 2);
    assert_int_equal(sres, 0);
    const char nbsp[] = "\xa0" "5"; /* the kernel's isspace includes 0xa0 */
    assert_int_equal(stol(nbsp, 2, 10), 2);
    assert_int_equal(sres, 5);
}

static void test_strtol_errors(void **state)
{
    (void)state;
    assert_int_equal(STOL("0x", 16), HERR(22)); /* prefix skipped, no digits */
    assert_int_equal(sres, 0);                  /* zeroed on failure */
    assert_int_equal(STOL("+5", 10), HERR(22));
    assert_int_equal(STOL("   ", 10), HERR(22));
    assert_int_equal(STOL("-", 10), HERR(22));
    assert_int_equal(STOL("- 5", 10), HERR(22));
    assert_int_equal(STOL("abc", 10), HERR(22));
    assert_int_equal(STOL("12", 2), HERR(22));          /* base */
    assert_int_equal(STOL("12", 0x20 | 10), HERR(22));  /* flags beyond the base */
    assert_int_equal(stol("12", 0, 10), HERR(22));      /* empty buffer */
    assert_int_equal(stol(NULL, 4, 10), HERR(22));
}

static void test_strtol_limits(void **state)
{
    (void)state;
    assert_int_equal(STOL("9223372036854775807", 10), 19);
    assert_int_equal(sres, INT64_MAX);
    assert_int_equal(STOL("9223372036854775808", 10), HERR(34));
    assert_int_equal(sres, 0);
    assert_int_equal(STOL("-9223372036854775808", 10), 20);
    assert_int_equal(sres, INT64_MIN);
    assert_int_equal(STOL("-9223372036854775809", 10), HERR(34));
    assert_int_equal(STOL("0x7fffffffffffffff", 0), 18);
    assert_int_equal(sres, INT64_MAX);
    assert_int_equal(STOUL("18446744073709551615", 10), 20);
    assert_int_equal(ures, UINT64_MAX);
    assert_int_equal(STOUL("18446744073709551616", 10), HERR(34));
    assert_int_equal(ures, 0);
    assert_int_equal(STOUL("99999999999999999999999", 10), HERR(34)); /* overflow goes on to -ERANGE */
    assert_int_equal(STOUL("0xffffffffffffffff", 16), 18);
    assert_int_equal(ures, UINT64_MAX);
    assert_int_equal(STOUL("-1", 10), HERR(22)); /* strtoul refuses a sign */
    assert_int_equal(ures, 0);
    assert_int_equal(STOUL("42", 10), 2);
    assert_int_equal(ures, 42);
    /* the buffer length bounds the number */
    assert_int_equal(stol("12345", 3, 10), 3);
    assert_int_equal(sres, 123);
    /* only 63 characters after the sign are looked at */
    char big[80];
    memset(big, '0', sizeof big);
    big[78] = '7';
    big[79] = '\0';
    assert_int_equal(stol(big, 79, 10), 63);
    assert_int_equal(sres, 0);
    memset(big, ' ', 10);
    assert_int_equal(stol(big, 79, 10), 73); /* ten spaces, then 63 zeros */
}

static void test_strncmp(void **state)
{
    (void)state;
    assert_int_equal(HCALL(strncmp, "abc", 4, "abc", 0, 0), 0);
    assert_int_equal((int64_t)HCALL(strncmp, "abc", 4, "abd", 0, 0), -1);
    assert_int_equal(HCALL(strncmp, "abd", 4, "abc", 0, 0), 1);
    assert_int_equal(HCALL(strncmp, "abc", 2, "abX", 0, 0), 0); /* only s1_sz characters */
    assert_int_equal(HCALL(strncmp, "ab", 3, "abc", 0, 0), (uint64_t)-1);
    assert_int_equal(HCALL(strncmp, "\xff", 2, "a", 0, 0), 1); /* unsigned order */
    assert_int_equal(HCALL(strncmp, "x", 0, "y", 0, 0), 0);
    assert_int_equal(HCALL(strncmp, "a\0x", 3, "a\0y", 0, 0), 0); /* stops at the NUL */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        HT_TEST(test_strtol_bases),
        HT_TEST(test_strtol_errors),
        HT_TEST(test_strtol_limits),
        HT_TEST(test_strncmp),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
