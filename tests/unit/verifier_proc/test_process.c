/*
 * test_process.c - the verifier process seen from the runtime (src/runtime/verify.c): it answers a
 * trivially safe program; its sandbox stops it from opening a file (killed by SIGSYS, or the open
 * refused); and each way it can misbehave (crash, endless loop, unbounded allocation, a garbage
 * reply, a missing executable) becomes a clean error with the right message, quickly. Hooks are the
 * test-only VF_HOOK_* flags of the request (src/verifier/proc/main.c). Programs used here are ones
 * any correct verifier judges the same way (`r0 = 0; exit` is safe).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "platform/child.h"
#include "platform/platform.h"
#include "runtime/runtime_int.h"
#include "verifier/vf_wire.h"

static const isa_slot safe_code[] = { { 0xb7, 0, 0, 0, 0 }, { 0x95, 0, 0, 0, 0 } }; /* r0 = 0; exit */

static vf_input safe_input(void)
{
    return (vf_input){ .prog_type = 6 /* xdp */, .code = safe_code, .count = 2 };
}

static runtime_verify_opts process_opts(uint32_t hooks)
{
    runtime_verify_opts o;
    bool trusted, keep;
    assert_int_equal(runtime_verify_opts_resolve(NULL, false, &o, &trusted, &keep), 0);
    assert_int_equal(o.mode, EBPF_VERIFY_PROCESS);
    o.hooks = hooks;
    o.cpu_seconds = 1;
    o.memory_mb = 64;
    o.timeout_ms = 20000;
    return o;
}

/* Runs the verifier with opts; returns the errno and the message in msg; checks it took < max_ms. */
static int run(const runtime_verify_opts *o, char *msg, size_t size, uint64_t max_ms)
{
    vf_input in = safe_input();
    vf_result res;
    uint64_t start = plat_monotonic_ns();
    int rc = runtime_verify(&in, o, &res);
    uint64_t ms = (plat_monotonic_ns() - start) / 1000000u;
    snprintf(msg, size, "%s", res.message);
    printf("  rc %d after %llu ms: %s\n", rc, (unsigned long long)ms, res.message);
    if (rc)
        assert_int_equal(res.verdict, VF_ERROR);
    vf_result_free(&res);
    assert_true(ms < max_ms);
    return rc;
}

static void test_accepts_safe_program(void **state)
{
    (void)state;
    runtime_verify_opts o = process_opts(0);
    vf_input in = safe_input();
    vf_result res;
    assert_int_equal(runtime_verify(&in, &o, &res), 0);
    assert_int_equal(res.verdict, VF_ACCEPT);
    vf_result_free(&res);
    o.mode = EBPF_VERIFY_IN_PROCESS;
    assert_int_equal(runtime_verify(&in, &o, &res), 0);
    assert_int_equal(res.verdict, VF_ACCEPT);
    vf_result_free(&res);
}

/* The proof of the sandbox: the process cannot open a file. */
static void test_sandbox_refuses_open(void **state)
{
    (void)state;
    runtime_verify_opts o = process_opts(VF_HOOK_OPEN_FILE);
    char msg[VF_MESSAGE_MAX];
    int rc = run(&o, msg, sizeof msg, 10000);
    assert_int_equal(rc, -EPERM);
    assert_true(!strcmp(msg, "verifier process killed by SIGSYS (sandbox violation)") ||
                !strncmp(msg, "verifier process was denied a system call (sandbox violation)", 61));
}

static void test_crash(void **state)
{
    (void)state;
    runtime_verify_opts o = process_opts(VF_HOOK_CRASH);
    char msg[VF_MESSAGE_MAX];
    assert_int_equal(run(&o, msg, sizeof msg, 10000), -EIO);
    assert_string_equal(msg, "verifier process crashed (killed by SIGSEGV)");
}

static void test_cpu_limit(void **state)
{
    (void)state;
    runtime_verify_opts o = process_opts(VF_HOOK_LOOP);
    char msg[VF_MESSAGE_MAX];
    assert_int_equal(run(&o, msg, sizeof msg, 10000), -ETIMEDOUT);
    assert_string_equal(msg, "verifier exceeded its CPU limit (1 s)");
}

static void test_timeout(void **state)
{
    (void)state;
    runtime_verify_opts o = process_opts(VF_HOOK_LOOP);
    o.cpu_seconds = 30;
    o.timeout_ms = 300;
    char msg[VF_MESSAGE_MAX];
    assert_int_equal(run(&o, msg, sizeof msg, 5000), -ETIMEDOUT);
    assert_string_equal(msg, "verifier did not answer within 300 ms (killed)");
}

static void test_memory_limit(void **state)
{
    (void)state;
    runtime_verify_opts o = process_opts(VF_HOOK_ALLOC);
    char msg[VF_MESSAGE_MAX];
    assert_int_equal(run(&o, msg, sizeof msg, 20000), -ENOMEM);
    assert_string_equal(msg, "verifier exceeded its memory limit (64 MiB)");
}

static void test_garbage_reply(void **state)
{
    (void)state;
    runtime_verify_opts o = process_opts(VF_HOOK_GARBAGE);
    char msg[VF_MESSAGE_MAX];
    assert_int_equal(run(&o, msg, sizeof msg, 10000), -EPROTO);
    assert_true(!strncmp(msg, "malformed reply from the verifier process: ", 43));
}

static void test_missing_executable(void **state)
{
    (void)state;
    runtime_verify_opts o = process_opts(0);
    o.verifier_path = "/nonexistent/ebpf-verifier";
    char msg[VF_MESSAGE_MAX];
    int rc = run(&o, msg, sizeof msg, 10000);
    assert_true(rc == -ENOENT);
    assert_non_null(strstr(msg, "cannot run the verifier '/nonexistent/ebpf-verifier'"));
}

/* A bad request reaches the process (as a test can only send by hand): it says so and exits. */
static void test_request_refused_by_process(void **state)
{
    (void)state;
    char *argv[] = { "ebpf-verifier", NULL };
    char dir[4096], path[4200];
    assert_int_equal(plat_self_dir(dir, sizeof dir), 0);
    snprintf(path, sizeof path, "%s/ebpf-verifier", dir);
    argv[0] = path;
    static const uint8_t junk[] = "EBVF\001\000\001\000\004\000\000\000\000\000\000\000abcd";
    plat_child_result res;
    assert_int_equal(plat_run_child(argv, junk, sizeof junk - 1, NULL, &res), 0);
    assert_int_equal(res.signal, 0);
    assert_int_equal(res.exit_code, VF_PROC_EXIT_BAD_REQUEST);
    assert_non_null(strstr(res.err, "bad request"));
    plat_child_result_free(&res);
}

/* A stand-in verifier (a shell script) that answers with a well-formed reply refusing instruction
 * `insn`: the client takes the verdict only when the instruction exists in the program. */
static int fake_verifier(int insn, char *msg, size_t size)
{
    char path[] = "/tmp/vf_fake_verifier_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    /* header (payload 29) | verdict 1 | insn | visits 3 | "why" | no state */
    fprintf(f, "#!/bin/sh\ncat >/dev/null\nprintf 'EBVF\\001\\000\\002\\000\\035\\000\\000\\000"
               "\\000\\000\\000\\000\\001\\000\\000\\000\\%03o\\000\\000\\000\\000\\000\\000\\000"
               "\\003\\000\\000\\000\\000\\000\\000\\000\\003\\000why\\000\\000\\000\\000'\n",
            (unsigned)insn);
    fclose(f);
    char chmod[128];
    snprintf(chmod, sizeof chmod, "chmod 700 %s", path);
    assert_int_equal(system(chmod), 0);
    runtime_verify_opts o = process_opts(0);
    o.verifier_path = path;
    int rc = run(&o, msg, size, 10000);
    unlink(path);
    return rc;
}

static void test_reply_checked_against_program(void **state)
{
    (void)state;
    char msg[VF_MESSAGE_MAX];
    assert_int_equal(fake_verifier(1, msg, sizeof msg), 0);
    assert_string_equal(msg, "why");
    assert_int_equal(fake_verifier(5, msg, sizeof msg), -EPROTO);
    assert_string_equal(msg, "malformed reply from the verifier process: instruction index beyond the program");
}

/* The platform half: plat_run_child ends a child that talks too much or too long. */
static void test_child_limits(void **state)
{
    (void)state;
    char *chatty[] = { "/bin/sh", "-c", "while :; do echo aaaaaaaaaaaaaaaa; done", NULL };
    plat_child_opts cap = { .timeout_ms = 20000, .max_output = 4096 };
    plat_child_result res;
    assert_int_equal(plat_run_child(chatty, NULL, 0, &cap, &res), 0);
    assert_true(res.output_overflow);
    assert_false(res.timed_out);
    assert_true(res.out_size <= 4096);
    assert_int_equal(res.signal, PLAT_SIG_KILL);
    plat_child_result_free(&res);

    char *slow[] = { "/bin/sh", "-c", "sleep 30", NULL };
    plat_child_opts deadline = { .timeout_ms = 200 };
    uint64_t start = plat_monotonic_ns();
    assert_int_equal(plat_run_child(slow, NULL, 0, &deadline, &res), 0);
    assert_true(res.timed_out);
    assert_int_equal(res.signal, PLAT_SIG_KILL);
    assert_true(plat_monotonic_ns() - start < 5000000000ull);
    plat_child_result_free(&res);

    char *echo[] = { "/bin/sh", "-c", "cat; echo done >&2; exit 3", NULL };
    assert_int_equal(plat_run_child(echo, "in\0put", 6, NULL, &res), 0);
    assert_int_equal(res.exit_code, 3);
    assert_int_equal(res.signal, 0);
    assert_int_equal(res.out_size, 6);
    assert_memory_equal(res.out, "in\0put", 6); /* binary-safe */
    assert_string_equal(res.err, "done\n");
    plat_child_result_free(&res);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accepts_safe_program), cmocka_unit_test(test_sandbox_refuses_open),
        cmocka_unit_test(test_crash),                cmocka_unit_test(test_cpu_limit),
        cmocka_unit_test(test_timeout),              cmocka_unit_test(test_memory_limit),
        cmocka_unit_test(test_garbage_reply),        cmocka_unit_test(test_missing_executable),
        cmocka_unit_test(test_request_refused_by_process), cmocka_unit_test(test_reply_checked_against_program),
        cmocka_unit_test(test_child_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
