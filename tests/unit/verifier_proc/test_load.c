/*
 * test_load.c - the loader uses the verifier's verdict (public API only): with verification, a refused
 * program is not runnable and says why (message, instruction, source line) while its accepted sibling
 * runs on every engine; without (EBPF_VERIFY_NONE) programs run only in the checked interpreter; a
 * verifier that crashes fails the load with a message; a program loaded again reuses its verdict
 * (even with no verifier at hand) while a new one is verified; ebpf_object_verify reports verdicts. The
 * objects (progs/) hold programs whose verdict any correct verifier gives.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ebpf/ebpf.h"
#include "runtime/verify_default.h"

#define MIXED VF_PROG_DIR "/verify_mixed.bpf.o"
#define XDP_PASS_ACTION 2u

static const uint8_t packet[64] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4, 5, 6, 0x08, 0x00 };

static ebpf_object *load(enum ebpf_verify_mode mode, int want_rc, struct ebpf_diag *diag)
{
    ebpf_object *obj = ebpf_object_open_file(MIXED, NULL, diag);
    assert_non_null(obj);
    EBPF_OPTS(ebpf_object_load_opts, opts, .verify = { .sz = sizeof(struct ebpf_verify_opts), .mode = mode });
    int rc = ebpf_object_load_with_opts(obj, &opts, diag);
    if (want_rc == 0)
        assert_int_equal(rc, 0);
    else
        assert_true(rc < 0);
    return obj;
}

static int test_run(ebpf_program *prog, enum ebpf_exec_mode mode, char *message, size_t size)
{
    EBPF_OPTS(ebpf_test_run_opts, t, .data_in = packet, .data_size_in = sizeof packet, .mode = mode);
    int rc = ebpf_prog_test_run(prog, &t);
    snprintf(message, size, "%s", t.message);
    if (rc == 0)
        assert_int_equal(t.retval, XDP_PASS_ACTION);
    return rc;
}

static void check_verified_load(enum ebpf_verify_mode mode)
{
    struct ebpf_diag diag;
    ebpf_object *obj = load(mode, 0, &diag);
    ebpf_program *pass = ebpf_object_find_program(obj, "pass", &diag);
    assert_non_null(pass);
    assert_int_equal(ebpf_program_trust(pass), EBPF_TRUST_VERIFIED);
    char message[160];
    assert_int_equal(test_run(pass, EBPF_EXEC_FAST, message, sizeof message), 0);
    assert_int_equal(test_run(pass, EBPF_EXEC_JIT, message, sizeof message), 0);
    assert_int_equal(test_run(pass, EBPF_EXEC_CHECKED, message, sizeof message), 0);

    errno = 0;
    assert_null(ebpf_object_find_program(obj, "null_deref", &diag));
    assert_int_equal(errno, EACCES);
    printf("  refusal: %s at %s (insn %lld)\n", diag.message, diag.line, (long long)diag.insn);
    assert_non_null(strstr(diag.message, "program 'null_deref' refused by the verifier: instruction "));
    assert_true(diag.insn >= 0);
    assert_non_null(strstr(diag.line, "verify_mixed.bpf.c:"));
    ebpf_object_close(obj);
}

static void test_in_process_verdicts(void **state)
{
    (void)state;
    check_verified_load(EBPF_VERIFY_IN_PROCESS);
}

static void test_process_verdicts(void **state)
{
    (void)state;
    check_verified_load(EBPF_VERIFY_PROCESS);
}

static void test_unverified_runs_checked_only(void **state)
{
    (void)state;
    struct ebpf_diag diag;
    ebpf_object *obj = load(EBPF_VERIFY_NONE, 0, &diag);
    ebpf_program *pass = ebpf_object_find_program(obj, "pass", &diag);
    ebpf_program *bad = ebpf_object_find_program(obj, "null_deref", &diag);
    assert_non_null(pass);
    assert_non_null(bad); /* not verified, so not refused: the checked interpreter confines it */
    assert_int_equal(ebpf_program_trust(pass), EBPF_TRUST_UNVERIFIED);
    char message[160];
    assert_int_equal(test_run(pass, EBPF_EXEC_CHECKED, message, sizeof message), 0);
    assert_int_equal(test_run(pass, EBPF_EXEC_FAST, message, sizeof message), -EPERM);
    assert_non_null(strstr(message, "loaded without verification: only the checked interpreter may run it"));
    assert_int_equal(test_run(bad, EBPF_EXEC_JIT, message, sizeof message), -EPERM);
    /* The checked interpreter stops the NULL write instead of performing it. */
    EBPF_OPTS(ebpf_test_run_opts, t, .data_in = packet, .data_size_in = sizeof packet);
    assert_int_equal(ebpf_prog_test_run(bad, &t), -EFAULT);
    ebpf_object_close(obj);
}

static void test_default_follows_the_switch(void **state)
{
    (void)state;
    struct ebpf_diag diag;
    ebpf_object *obj = ebpf_object_open_file(MIXED, NULL, &diag);
    assert_non_null(obj);
    assert_int_equal(ebpf_object_load(obj, &diag), 0);
    ebpf_program *pass = ebpf_object_find_program(obj, "pass", &diag);
    assert_non_null(pass);
    assert_int_equal(ebpf_program_trust(pass), RUNTIME_VERIFY_BY_DEFAULT ? EBPF_TRUST_VERIFIED : EBPF_TRUST_TRUSTED);
    ebpf_object_close(obj);
}

static void test_crashing_verifier_fails_load(void **state)
{
    (void)state;
    struct ebpf_diag diag;
    setenv("EBPF_VERIFIER_TEST_HOOK", "crash", 1);
    ebpf_object *obj = load(EBPF_VERIFY_PROCESS, -1, &diag);
    unsetenv("EBPF_VERIFIER_TEST_HOOK");
    printf("  load failure: %s\n", diag.message);
    assert_non_null(strstr(diag.message, "verifier process crashed (killed by SIGSEGV)"));
    errno = 0;
    assert_null(ebpf_object_find_program(obj, "pass", &diag));
    assert_int_equal(errno, EAGAIN);
    ebpf_object_close(obj);
}

/* Loads path with the verifier looked for at verifier_path; returns the load's result. */
static int load_with_verifier(const char *path, const char *verifier_path, struct ebpf_diag *diag)
{
    ebpf_object *obj = ebpf_object_open_file(path, NULL, diag);
    assert_non_null(obj);
    EBPF_OPTS(ebpf_object_load_opts, opts,
              .verify = { .sz = sizeof(struct ebpf_verify_opts), .mode = EBPF_VERIFY_PROCESS,
                          .verifier_path = verifier_path });
    int rc = ebpf_object_load_with_opts(obj, &opts, diag);
    ebpf_object_close(obj);
    return rc;
}

static void test_loads_reuse_verdicts(void **state)
{
    (void)state;
    struct ebpf_diag diag;
    const char *missing = "/nonexistent/ebpf-verifier";
    assert_int_equal(load_with_verifier(MIXED, NULL, &diag), 0);
    /* The same programs again: answered from the verdict cache, no verifier process needed. */
    assert_int_equal(load_with_verifier(MIXED, missing, &diag), 0);
    /* Programs never verified in this process do need it. */
    assert_true(load_with_verifier(VF_PROG_DIR "/verify_ok.bpf.o", missing, &diag) < 0);
    printf("  load failure: %s\n", diag.message);
    assert_non_null(strstr(diag.message, "cannot run the verifier"));
}

static void test_object_verify(void **state)
{
    (void)state;
    struct ebpf_diag diag;
    ebpf_object *obj = ebpf_object_open_file(MIXED, NULL, &diag);
    assert_non_null(obj);
    EBPF_OPTS(ebpf_verify_opts, opts, .mode = EBPF_VERIFY_PROCESS, .keep_state = true);
    EBPF_OPTS(ebpf_verify_result, r);
    assert_int_equal(ebpf_object_verify(obj, "pass", &opts, &r), 0);
    assert_int_equal(r.verdict, EBPF_VERDICT_ACCEPT);
    assert_int_equal(r.insn, -1);
    assert_true(r.insn_count >= 2);
    ebpf_free(r.state);
    EBPF_OPTS(ebpf_verify_result, bad);
    assert_int_equal(ebpf_object_verify(obj, "null_deref", &opts, &bad), 0);
    assert_int_equal(bad.verdict, EBPF_VERDICT_REJECT);
    assert_true(bad.insn >= 0 && (size_t)bad.insn < bad.insn_count);
    assert_non_null(strstr(bad.line, "verify_mixed.bpf.c:"));
    assert_true(bad.message[0] != 0);
    ebpf_free(bad.state);
    EBPF_OPTS(ebpf_verify_result, none);
    assert_int_equal(ebpf_object_verify(obj, "no_such_program", &opts, &none), -ENOENT);
    ebpf_object_close(obj);
}

/* The public limits reach the process: a looping verifier with a 1-second CPU limit is stopped. */
static void test_object_verify_limits(void **state)
{
    (void)state;
    struct ebpf_diag diag;
    ebpf_object *obj = ebpf_object_open_file(MIXED, NULL, &diag);
    assert_non_null(obj);
    EBPF_OPTS(ebpf_verify_opts, opts, .mode = EBPF_VERIFY_PROCESS, .cpu_seconds = 1);
    EBPF_OPTS(ebpf_verify_result, r);
    setenv("EBPF_VERIFIER_TEST_HOOK", "loop", 1);
    int rc = ebpf_object_verify(obj, "pass", &opts, &r);
    unsetenv("EBPF_VERIFIER_TEST_HOOK");
    assert_int_equal(rc, -ETIMEDOUT);
    assert_int_equal(r.verdict, EBPF_VERDICT_ERROR);
    assert_string_equal(r.message, "verifier exceeded its CPU limit (1 s)");
    assert_true(r.time_us < 10u * 1000000u);
    ebpf_object_close(obj);
}

int main(void)
{
    FILE *f = fopen(MIXED, "rb");
    if (!f) {
        printf("SKIPPED: %s was not built (needs clang and libbpf-dev)\n", MIXED);
        return 77;
    }
    fclose(f);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_in_process_verdicts),        cmocka_unit_test(test_process_verdicts),
        cmocka_unit_test(test_unverified_runs_checked_only), cmocka_unit_test(test_default_follows_the_switch),
        cmocka_unit_test(test_crashing_verifier_fails_load), cmocka_unit_test(test_object_verify),
        cmocka_unit_test(test_object_verify_limits),      cmocka_unit_test(test_loads_reuse_verdicts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
