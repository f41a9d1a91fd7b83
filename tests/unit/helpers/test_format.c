/*
 * test_format.c - bpf_snprintf, bpf_trace_printk and bpf_trace_vprintk with Linux's bprintf rules:
 * integer sizes and signs, width and flags, %c %s %%, IP formats, pointers, truncation and the
 * returned lengths, the format checks (-EINVAL), the 512-byte staging limit (-ENOSPC), unreadable
 * strings, and trace output reaching the run's callback.
 */
#include "helpers_test.h"

static char out[600];

/* bpf_snprintf into `out` with up to 12 u64 arguments. */
static int64_t fmt(size_t size, const char *format, int n, ...)
{
    uint64_t args[12] = { 0 };
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++)
        args[i] = va_arg(ap, uint64_t);
    va_end(ap);
    memset(out, 'Z', sizeof out);
    return (int64_t)HCALL(snprintf, out, size, format, n ? args : NULL, (uint32_t)n * 8);
}

#define U(x) ((uint64_t)(x))

static void test_snprintf_integers(void **state)
{
    (void)state;
    assert_int_equal(fmt(64, "%d %i %u %x %X", 5, U(-1), U(-2), U(-1), U(0xdeadbeef), U(0xabc)),
                     strlen("-1 -2 4294967295 deadbeef ABC") + 1);
    assert_string_equal(out, "-1 -2 4294967295 deadbeef ABC");
    fmt(128, "%ld %lu %lx %lld %llu %llx", 6, U(-1), U(-1), U(-1), U(INT64_MIN), U(1) << 40,
        U(0x123456789));
    assert_string_equal(out, "-1 18446744073709551615 ffffffffffffffff -9223372036854775808 "
                             "1099511627776 123456789");
    fmt(64, "%d", 1, U(0x1ffffffff)); /* an int is the low 32 bits */
    assert_string_equal(out, "-1");
    fmt(64, "[%5d|%-5d|%05d|%+d|% d|%+u|%-05d]", 7, U(42), U(42), U(-42), U(42), U(42), U(42), U(7));
    assert_string_equal(out, "[   42|42   |-0042|+42| 42|42|7    ]");
    fmt(64, "[%08x|%8X|%2d]", 3, U(0xbeef), U(0xbeef), U(12345));
    assert_string_equal(out, "[0000beef|    BEEF|12345]");
}

static void test_snprintf_text(void **state)
{
    (void)state;
    assert_int_equal(fmt(64, "%s|%6s|%-6s|%c|%3c|%-3c|100%%", 6, U(HA("abc")), U(HA("abc")),
                         U(HA("abc")), U('x'), U('y'), U('z')),
                     strlen("abc|   abc|abc   |x|  y|z  |100%") + 1);
    assert_string_equal(out, "abc|   abc|abc   |x|  y|z  |100%");
    fmt(64, "[%s]", 1, U(0)); /* unreadable string: empty */
    assert_string_equal(out, "[]");
    fmt(64, "[%s]", 1, U(16));
    assert_string_equal(out, "[]");
    fmt(64, "%pks-%pus.", 2, U(HA("kernel")), U(HA("user")));
    assert_string_equal(out, "kernel-user.");
    /* %c of 0 writes a NUL into the text and counts it */
    assert_int_equal(fmt(64, "a%cb", 1, U(0)), 4);
    assert_memory_equal(out, "a\0b\0", 4);
    assert_int_equal(fmt(64, "plain", 0), 6);
    assert_string_equal(out, "plain");
}

static void test_snprintf_pointers(void **state)
{
    (void)state;
    const uint8_t v4[4] = { 192, 168, 0, 7 };
    uint8_t v6[16] = { 0x20, 0x01, 0x0d, 0xb8 };
    v6[15] = 1;
    fmt(128, "%pI4 %pi4", 2, U(HA(v4)), U(HA(v4)));
    assert_string_equal(out, "192.168.0.7 192.168.000.007");
    fmt(128, "%pI6", 1, U(HA(v6)));
    assert_string_equal(out, "2001:0db8:0000:0000:0000:0000:0000:0001");
    fmt(128, "%pi6", 1, U(HA(v6)));
    assert_string_equal(out, "20010db8000000000000000000000001");
    fmt(128, "%pI4", 1, U(0)); /* unreadable address: zeros */
    assert_string_equal(out, "0.0.0.0");
    fmt(128, "%p|%px|%pK|%ps|%5pS|", 5, U(0), U(0xabc), U(0x10), U(0x1f), U(0x2));
    assert_string_equal(out, "0000000000000000|0000000000000abc|0000000000000010|0x1f|  0x2|");
    fmt(128, "%pB", 1, U(0xffff));
    assert_string_equal(out, "0xffff");
    /* bstr_printf skips the alphanumerics after a %p extension */
    fmt(128, "%pxyz!%pI4abc.", 2, U(1), U(HA(v4)));
    assert_string_equal(out, "0000000000000001!192.168.0.7.");
}

static void test_snprintf_truncation(void **state)
{
    (void)state;
    assert_int_equal(fmt(5, "%s=%d", 2, U(HA("value")), U(123)), 10);
    assert_string_equal(out, "valu");
    assert_int_equal(out[5], 'Z');
    assert_int_equal(fmt(1, "abc", 0), 4);
    assert_int_equal(out[0], '\0');
    assert_int_equal(out[1], 'Z');
    assert_int_equal(fmt(0, "%d", 1, U(12345)), 6); /* size 0: nothing written */
    assert_int_equal(out[0], 'Z');
    assert_int_equal(fmt(600, "%300d", 1, U(1)), 301);
    assert_int_equal(strlen(out), 300);
}

static void test_snprintf_errors(void **state)
{
    (void)state;
    static const char *bad[] = {
        "%q", "%.2d", "%#x", "%*d", "%hd", "%lf", "%sX", "%pX", "%pi5", "%pk", "%", "%lll",
        "tab\x01", "\x80", "%5%",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (fmt(64, bad[i], 1, U(1)) != -22)
            fail_msg("format \"%s\" accepted", bad[i]);
        assert_int_equal(out[0], 'Z'); /* nothing written */
    }
    assert_int_equal(fmt(64, "%d %d", 1, U(1)), -22);        /* more conversions than arguments */
    assert_int_equal(fmt(64, "%d", 1, U(1)), 2);              /* fewer is fine */
    assert_int_equal(HCALL(snprintf, out, 64, "%d", NULL, 8), HERR(22));  /* data NULL */
    uint64_t args[13] = { 0 };
    assert_int_equal(HCALL(snprintf, out, 64, "x", args, 12), HERR(22));  /* not whole u64s */
    assert_int_equal(HCALL(snprintf, out, 64, "x", args, 104), HERR(22)); /* more than 12 */
    assert_int_equal(HCALL(snprintf, out, 64, "x", args, 96), 2);
    assert_int_equal(HCALL(snprintf, out, 64, "%d%d%d%d%d%d%d%d%d%d%d%d", args, 96), 13);
    /* white space of every kind is fine */
    assert_int_equal(fmt(64, "a\tb\nc\r", 0), 7);
}

static void test_snprintf_staging_limit(void **state)
{
    (void)state;
    char longstr[700];
    memset(longstr, 's', sizeof longstr - 1);
    longstr[sizeof longstr - 1] = '\0';
    /* a string takes what is left of the 512-byte area, NUL included */
    assert_int_equal(fmt(600, "%s", 1, U(HA(longstr))), 512);
    assert_int_equal(strlen(out), 511);
    assert_int_equal(fmt(600, "%d%s", 2, U(1), U(HA(longstr))), 509);
    /* ... and then there is no room for anything else */
    assert_int_equal(fmt(600, "%s%d", 2, U(HA(longstr)), U(1)), -28);
    assert_int_equal(fmt(600, "%s%c", 2, U(HA(longstr)), U('c')), -28);
    assert_int_equal(fmt(600, "%s%s", 2, U(HA(longstr)), U(HA("x"))), -28);
    longstr[506] = '\0'; /* 507 bytes staged: a 4-byte int still fits after alignment to 508 */
    assert_int_equal(fmt(600, "%s%d", 2, U(HA(longstr)), U(5)), 508);
    assert_int_equal(fmt(600, "%s%ld", 2, U(HA(longstr)), U(5)), -28);
}

typedef struct trace_seen {
    int calls;
    char text[600];
    size_t len;
} trace_seen;

static void on_trace(void *user, const char *text, size_t len)
{
    trace_seen *seen = user;
    seen->calls++;
    seen->len = len;
    memcpy(seen->text, text, len + 1);
}

static void test_trace_printk(void **state)
{
    (void)state;
    trace_seen seen = { 0 };
    helper_run run;
    helper_run_init(&run, 1, NULL);
    run.trace = on_trace;
    run.trace_user = &seen;
    helper_run_enter(&run);
    static const char f1[] = "pkt %d len %u from %s\n";
    assert_int_equal(HCALL(trace_printk, f1, sizeof f1, -3, 60, "eth0"), 24);
    assert_int_equal(seen.calls, 1);
    assert_string_equal(seen.text, "pkt -3 len 60 from eth0\n");
    assert_int_equal(seen.len, 24);
    static const char f2[] = "%d %d %d %d";
    assert_int_equal(HCALL(trace_printk, f2, sizeof f2, 1, 2, 3), HERR(22)); /* 3 arguments at most */
    assert_int_equal(HCALL(trace_printk, "abc", 3, 0, 0, 0), HERR(22));     /* no NUL within size */
    assert_int_equal(HCALL(trace_printk, "abc\0", 5, 0, 0, 0), 3);
    assert_int_equal(seen.calls, 2);
    /* output is cut at 511 characters; the length returned is not */
    static const char f3[] = "%600d";
    assert_int_equal(HCALL(trace_printk, f3, sizeof f3, 1, 0, 0), 600);
    assert_int_equal(seen.len, 511);
    assert_int_equal(strlen(seen.text), 511);
    /* trace_vprintk: arguments in an array */
    uint64_t args[4] = { 1, 2, 3, 4 };
    static const char f4[] = "%d+%d+%d+%d";
    assert_int_equal(HCALL(trace_vprintk, f4, sizeof f4, args, 32, 0), 7);
    assert_string_equal(seen.text, "1+2+3+4");
    assert_int_equal(HCALL(trace_vprintk, f4, sizeof f4, args, 24, 0), HERR(22));
    assert_int_equal(HCALL(trace_vprintk, f4, sizeof f4, NULL, 32, 0), HERR(22));
    assert_int_equal(HCALL(trace_vprintk, "hi", 3, NULL, 0, 0), 2);
    assert_int_equal(seen.calls, 5);
    helper_run_exit();
}

static size_t only_16_bytes(void *user, const void *addr, size_t size)
{
    const char *base = user;
    uintptr_t a = (uintptr_t)addr, b = (uintptr_t)base;
    if (a < b || a >= b + 16)
        return 0;
    size_t left = b + 16 - a;
    return size < left ? size : left;
}

static void test_readable_callback(void **state)
{
    (void)state;
    char area[32] = "inside";
    memcpy(area + 8, "runs-past-the-end", 18);
    helper_run run;
    helper_run_init(&run, 1, NULL);
    run.readable = only_16_bytes;
    run.readable_user = area;
    helper_run_enter(&run);
    fmt(64, "[%s]", 1, U(HA(area)));
    assert_string_equal(out, "[inside]");
    fmt(64, "[%s]", 1, U(HA(area + 8))); /* the string leaves the readable part: empty */
    assert_string_equal(out, "[]");
    fmt(64, "[%s]", 1, U(HA("elsewhere")));
    assert_string_equal(out, "[]");
    helper_run_exit();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        HT_TEST(test_snprintf_integers),
        HT_TEST(test_snprintf_text),
        HT_TEST(test_snprintf_pointers),
        HT_TEST(test_snprintf_truncation),
        HT_TEST(test_snprintf_errors),
        HT_TEST(test_snprintf_staging_limit),
        HT_TEST(test_trace_printk),
        HT_TEST(test_readable_callback),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
