/*
 * test_jit_system.c - the JIT as a component: refusals (pseudo lddw, kfunc, unknown helper), constant
 * blinding, W^X page protections, several threads running one compiled program, EBPF_EXEC_JIT
 * through the public API, extra entries (runs starting at a callback function), and jit_run_repeat in
 * both conventions.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "test_jit.h"
#include "ebpf/ebpf.h"
#include "exec/interp/interp.h"
#include "exec/jit/jit.h"
#include "platform/exec_mem.h"
#include "platform/sync.h"

/* ---- Refusals ---- */
static void expect_refusal(const isa_slot *code, size_t n, int err, const char *text)
{
    char why[256];
    isa_insn *insns = jt_decode(code, n, why, sizeof why);
    assert_non_null(insns);
    ebpf_diag diag;
    errno = 0;
    jit_code *c = jit_compile(insns, n, &jt_helpers_sysv, NULL, &diag);
    free(insns);
    assert_null(c);
    assert_int_equal(errno, err);
    if (!strstr(diag.message, text))
        fail_msg("message '%s' lacks '%s'", diag.message, text);
}

static void test_refusals(void **state)
{
    (void)state;
    isa_slot map_fd[] = { jt_enc(ISA_LDDW_MAP_FD, 1, 0, 0, 5), { 0, 0, 0, 0, 0 },
                          jt_enc(ISA_MOV64_IMM, 0, 0, 0, 0), jt_enc(ISA_EXIT, 0, 0, 0, 0) };
    expect_refusal(map_fd, N(map_fd), ENOTSUP, "instruction 0: lddw with pseudo source 1");
    isa_slot kfunc[] = { jt_enc(ISA_CALL_KFUNC, 0, 0, 0, 5), jt_enc(ISA_EXIT, 0, 0, 0, 0) };
    expect_refusal(kfunc, N(kfunc), ENOTSUP, "kernel function calls");
    isa_slot unknown[] = { jt_enc(ISA_MOV64_IMM, 0, 0, 0, 0), jt_enc(ISA_CALL, 0, 0, 0, 7),
                           jt_enc(ISA_EXIT, 0, 0, 0, 0) };
    expect_refusal(unknown, N(unknown), EINVAL, "instruction 1: unknown helper 7");
    ebpf_diag diag;
    errno = 0;
    assert_null(jit_compile(NULL, 0, NULL, NULL, &diag));
    assert_int_equal(errno, EINVAL);
}

/* ---- Constant blinding ---- */
static bool jt_contains(const uint8_t *hay, size_t n, const void *needle, size_t m)
{
    for (size_t i = 0; i + m <= n; i++)
        if (!memcmp(hay + i, needle, m))
            return true;
    return false;
}

static void test_blinding(void **state)
{
    (void)state;
    const int32_t magic = 0x5a17c0de;
    const uint64_t magic64 = 0x0badc0ffee15900dull;
    jt_case.n = 0;
    jt_emit_insn(&jt_case, ISA_MOV64_IMM, 0, 0, 0, magic);
    jt_emit_insn(&jt_case, ISA_ADD32_IMM, 0, 0, 0, magic);
    jt_emit_insn(&jt_case, ISA_STW, 10, 0, -8, magic);
    jt_emit_insn(&jt_case, ISA_JEQ_IMM, 0, 0, 1, magic);
    jt_emit_insn(&jt_case, ISA_MOV64_IMM, 0, 0, 0, 1);
    jt_emit_lddw(&jt_case, 1, magic64);
    jt_emit_insn(&jt_case, ISA_XOR64_REG, 0, 1, 0, 0);
    jt_emit_insn(&jt_case, ISA_EXIT, 0, 0, 0, 0);
    jt_check_case(NULL, "blinding");
    char why[256];
    isa_insn *insns = jt_decode(jt_case.s, jt_case.n, why, sizeof why);
    assert_non_null(insns);
    for (int blind = 0; blind < 2; blind++) {
        jit_code *c = jt_compile(insns, jt_case.n, blind ? JT_JIT_BLIND : JT_JIT, why, sizeof why);
        assert_non_null(c);
        size_t size;
        const uint8_t *bytes = jit_code_bytes(c, &size);
        assert_true(size > 0);
        assert_int_equal(jt_contains(bytes, size, &magic, 4), !blind);
        assert_int_equal(jt_contains(bytes, size, &magic64, 8), !blind);
        jit_free(c);
    }
    free(insns);
}

/* ---- W^X ---- */
static void test_wx(void **state)
{
    (void)state;
    size_t mapped;
    uint8_t *p = plat_exec_alloc(100, &mapped);
    assert_non_null(p);
    assert_true(mapped >= 100);
    int prot = plat_page_protection(p);
    if (prot == -ENOSYS) {
        plat_exec_free(p, mapped);
        skip();
    }
    assert_int_equal(prot, PLAT_PROT_READ | PLAT_PROT_WRITE); /* writable, not executable */
    p[0] = 0xc3;
    assert_int_equal(plat_exec_seal(p, mapped), 0);
    assert_int_equal(plat_page_protection(p), PLAT_PROT_READ | PLAT_PROT_EXEC); /* executable, not writable */
    plat_exec_free(p, mapped);

    jt_recursion_prog(3);
    char why[256];
    isa_insn *insns = jt_decode(jt_case.s, jt_case.n, why, sizeof why);
    assert_non_null(insns);
    jit_code *c = jt_compile(insns, jt_case.n, JT_JIT, why, sizeof why);
    free(insns);
    assert_non_null(c);
    size_t size;
    const uint8_t *code = jit_code_bytes(c, &size);
    assert_int_equal(plat_page_protection(code), PLAT_PROT_READ | PLAT_PROT_EXEC);
    assert_int_equal(plat_page_protection(code + size - 1), PLAT_PROT_READ | PLAT_PROT_EXEC);
    jit_free(c);
}

/* ---- Several threads running one compiled program. ---- */
typedef struct thread_arg {
    const jit_code *code;
    uint64_t n;
    uint64_t r0;
} thread_arg;

static void thread_main(void *p)
{
    thread_arg *a = p;
    for (int i = 0; i < 2000; i++) {
        exec_request req = { .args = { a->n } };
        exec_outcome out;
        jit_run(a->code, &req, &out);
        a->r0 = out.status == EBPF_RUN_OK ? out.r0 : UINT64_MAX;
        if (a->r0 != a->n * (a->n + 1) / 2)
            break;
    }
}

static void test_threads(void **state)
{
    (void)state;
    jt_case.n = 0; /* r0 = 1 + ... + r1, through a local call */
    jt_emit_insn(&jt_case, ISA_CALL_LOCAL, 0, 0, 0, 2); /* 5 + 1 + 2 = 8 */
    jt_emit_insn(&jt_case, ISA_EXIT, 0, 0, 0, 0);
    jt_emit_insn(&jt_case, ISA_MOV64_IMM, 0, 0, 0, 0);
    jt_emit_insn(&jt_case, ISA_ADD64_REG, 0, 1, 0, 0);
    jt_emit_insn(&jt_case, ISA_SUB64_IMM, 1, 0, 0, 1);
    jt_emit_insn(&jt_case, ISA_JNE_IMM, 1, 0, -3, 0);
    jt_emit_insn(&jt_case, ISA_EXIT, 0, 0, 0, 0);
    char why[256];
    isa_insn *insns = jt_decode(jt_case.s, jt_case.n, why, sizeof why);
    assert_non_null(insns);
    jit_code *c = jt_compile(insns, jt_case.n, JT_JIT, why, sizeof why);
    free(insns);
    assert_non_null(c);
    thread_arg args[4];
    plat_thread *threads[4];
    for (int i = 0; i < 4; i++) {
        args[i] = (thread_arg){ c, (uint64_t)(100 + i), 0 };
        assert_int_equal(plat_thread_create(&threads[i], thread_main, &args[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        plat_thread_join(threads[i]);
        assert_int_equal(args[i].r0, args[i].n * (args[i].n + 1) / 2);
    }
    jit_free(c);
}

/* ---- The public API. ---- */
static int log_count;
static void count_log(enum ebpf_log_level level, const char *message, void *user)
{
    (void)level, (void)message, (void)user;
    log_count++;
}

static uint64_t api_helper(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e, void *user)
{
    (void)user;
    return a ^ b ^ c ^ d ^ (e << 1);
}

static void test_public_api(void **state)
{
    (void)state;
    static const struct ebpf_helper helpers[] = { { 9, "api", api_helper, NULL } };
    /* r0 = helper(mem[0] as u64, r2 = size, 3, 4, 5) + a stored byte */
    struct ebpf_insn code[] = {
        { 0x79, 6, 1, 0, 0 },      /* ldxdw r6, [r1+0] */
        { 0x72, 1, 0, 8, 0x7e },   /* stb [r1+8], 0x7e */
        { 0xbf, 1, 6, 0, 0 },      /* mov r1, r6 */
        { 0xb7, 3, 0, 0, 3 }, { 0xb7, 4, 0, 0, 4 }, { 0xb7, 5, 0, 0, 5 },
        { 0x85, 0, 0, 0, 9 },      /* call 9 */
        { 0x95, 0, 0, 0, 0 },
    };
    struct ebpf_diag diag;
    EBPF_OPTS(ebpf_program_opts, popts, .helpers = helpers, .helper_count = 1);
    ebpf_program *prog_ = ebpf_program_create(code, N(code), &popts, &diag);
    if (!prog_)
        fail_msg("create: %s", diag.message);
    log_count = 0;
    ebpf_set_log_callback(count_log, NULL);
    uint64_t results[3];
    for (int mode = 0; mode < 3; mode++) {
        uint8_t mem[16] = { 1, 2, 3, 4, 5, 6, 7, 8 };
        EBPF_OPTS(ebpf_run_opts, ropts, .mode = (enum ebpf_exec_mode)mode, .mem = mem, .mem_size = sizeof mem);
        struct ebpf_run_result res = { .sz = sizeof res };
        assert_int_equal(ebpf_program_run(prog_, &ropts, &res), 0);
        assert_int_equal(mem[8], 0x7e);
        results[mode] = res.r0;
    }
    assert_int_equal(results[EBPF_EXEC_JIT], results[EBPF_EXEC_FAST]);
    assert_int_equal(results[EBPF_EXEC_JIT], results[EBPF_EXEC_CHECKED]);
    assert_int_equal(results[EBPF_EXEC_JIT], 0x0807060504030201ull ^ 16 ^ 3 ^ 4 ^ 10);
    const void *bytes;
    size_t size;
    assert_int_equal(ebpf_program_jit_code(prog_, &bytes, &size), 0);
    assert_non_null(bytes);
    assert_true(size > 16);
    assert_int_equal(ebpf_program_jit_code(prog_, NULL, &size), -EINVAL);
    assert_int_equal(log_count, 0); /* compiled: nothing to say */
    ebpf_program_free(prog_);

    /* blinding through the program options */
    EBPF_OPTS(ebpf_program_opts, bopts, .jit_blind_constants = true);
    struct ebpf_insn magic[] = { { 0xb7, 0, 0, 0, 0x5a17c0de }, { 0x95, 0, 0, 0, 0 } };
    prog_ = ebpf_program_create(magic, N(magic), &bopts, &diag);
    assert_non_null(prog_);
    EBPF_OPTS(ebpf_run_opts, jopts, .mode = EBPF_EXEC_JIT);
    struct ebpf_run_result res = { .sz = sizeof res };
    assert_int_equal(ebpf_program_run(prog_, &jopts, &res), 0);
    assert_int_equal(res.r0, 0x5a17c0de);
    assert_int_equal(ebpf_program_jit_code(prog_, &bytes, &size), 0);
    const int32_t m = 0x5a17c0de;
    assert_false(jt_contains(bytes, size, &m, 4));
    ebpf_program_free(prog_);
    ebpf_set_log_callback(NULL, NULL);
}

/* ---- Extra entries (callback functions started as runs of their own) ---- */
static void test_entries(void **state)
{
    (void)state;
    /* 0: r0 = r1; exit.   2: r0 = r1 * r2 + f(r3), a local call to f inside this callback.
     * 8: f(x) = x + 1000.  Entries: 2 and 8. */
    jt_case.n = 0;
    jt_emit_insn(&jt_case, ISA_MOV64_REG, 0, 1, 0, 0);
    jt_emit_insn(&jt_case, ISA_EXIT, 0, 0, 0, 0);
    jt_emit_insn(&jt_case, ISA_MOV64_REG, 6, 1, 0, 0);
    jt_emit_insn(&jt_case, ISA_MUL64_REG, 6, 2, 0, 0);
    jt_emit_insn(&jt_case, ISA_MOV64_REG, 1, 3, 0, 0);
    jt_emit_insn(&jt_case, ISA_CALL_LOCAL, 0, 0, 0, 2); /* 5 + 1 + 2 = 8 */
    jt_emit_insn(&jt_case, ISA_ADD64_REG, 0, 6, 0, 0);
    jt_emit_insn(&jt_case, ISA_EXIT, 0, 0, 0, 0);
    jt_emit_insn(&jt_case, ISA_MOV64_REG, 0, 1, 0, 0);
    jt_emit_insn(&jt_case, ISA_ADD64_IMM, 0, 0, 0, 1000);
    jt_emit_insn(&jt_case, ISA_EXIT, 0, 0, 0, 0);
    char why[256];
    isa_insn *insns = jt_decode(jt_case.s, jt_case.n, why, sizeof why);
    assert_non_null(insns);
    ebpf_diag diag;
    interp_code *interp = interp_prepare(insns, jt_case.n, &jt_helpers_sysv, &diag);
    assert_non_null(interp);
    static const size_t entries[] = { 2, 8 };
    for (int cfg = 0; cfg < 3; cfg++) {
        jit_options opts = { .blind_constants = cfg == 1, .abi = cfg == 2 ? JIT_ABI_MS : JIT_ABI_HOST,
                             .entries = entries, .entry_count = N(entries) };
        jit_code *code = jit_compile(insns, jt_case.n, cfg == 2 ? &jt_helpers_ms : &jt_helpers_sysv, &opts, &diag);
        if (!code)
            fail_msg("compile: %s", diag.message);
        static const size_t starts[] = { 0, 2, 8, 1, 3, 11 };
        for (size_t i = 0; i < N(starts); i++) {
            exec_request req = { .args = { 7, 9, 5, 0, 0 }, .entry_pc = starts[i] };
            exec_outcome want, got;
            interp_run_fast(interp, &req, &want);
            jit_run(code, &req, &got);
            if (i < 3) { /* 0: 7, 2: 7 * 9 + 1005 = 1068, 8: 1007 */
                static const uint64_t r0[] = { 7, 1068, 1007 };
                assert_int_equal(want.status, EBPF_RUN_OK);
                assert_int_equal(got.status, EBPF_RUN_OK);
                assert_int_equal(got.r0, r0[i]);
                assert_int_equal(want.r0, r0[i]);
            } else { /* not compiled as an entry (3: inside a function; 11: outside the program) */
                assert_int_equal(got.status, EBPF_RUN_UNSUPPORTED);
                assert_int_equal(got.fault_pc, (int64_t)starts[i]);
            }
        }
        jit_free(code);
    }
    static const size_t bad[] = { 11 };
    jit_options opts = { .entries = bad, .entry_count = 1 };
    errno = 0;
    assert_null(jit_compile(insns, jt_case.n, &jt_helpers_sysv, &opts, &diag));
    assert_int_equal(errno, EINVAL);
    interp_free(interp);
    free(insns);
}

/* jit_run_repeat in both conventions: before() ahead of every run (or none), the count, *stop, an entry
 * that is none (one run, no call of before()). */
typedef struct repeat_probe {
    unsigned calls;
    unsigned stop_at;
    bool stop;
} repeat_probe;

static void repeat_before(void *user)
{
    repeat_probe *p = user;
    p->calls++;
    p->stop = p->calls == p->stop_at;
}

static void test_run_repeat(void **state)
{
    (void)state;
    jt_case.n = 0; /* r0 = r1 * r2 + 1 */
    jt_emit_insn(&jt_case, ISA_MOV64_REG, 0, 1, 0, 0);
    jt_emit_insn(&jt_case, ISA_MUL64_REG, 0, 2, 0, 0);
    jt_emit_insn(&jt_case, ISA_ADD64_IMM, 0, 0, 0, 1);
    jt_emit_insn(&jt_case, ISA_EXIT, 0, 0, 0, 0);
    char why[256];
    isa_insn *insns = jt_decode(jt_case.s, jt_case.n, why, sizeof why);
    assert_non_null(insns);
    ebpf_diag diag;
    for (int cfg = 0; cfg < 2; cfg++) {
        jit_options opts = { .abi = cfg ? JIT_ABI_MS : JIT_ABI_HOST };
        jit_code *code = jit_compile(insns, jt_case.n, cfg ? &jt_helpers_ms : &jt_helpers_sysv, &opts, &diag);
        if (!code)
            fail_msg("compile: %s", diag.message);
        exec_request req = { .args = { 7, 9, 0, 0, 0 } };
        exec_outcome out;
        repeat_probe p = { 0 };
        assert_int_equal(jit_run_repeat(code, &req, 5, repeat_before, &p, &p.stop, &out), 5);
        assert_int_equal(p.calls, 5);
        assert_int_equal(out.status, EBPF_RUN_OK);
        assert_int_equal(out.r0, 64);
        p = (repeat_probe){ .stop_at = 3 };
        assert_int_equal(jit_run_repeat(code, &req, 100, repeat_before, &p, &p.stop, &out), 3);
        assert_int_equal(out.r0, 64);
        p = (repeat_probe){ 0 };
        assert_int_equal(jit_run_repeat(code, &req, 0, repeat_before, &p, &p.stop, &out), 0);
        p = (repeat_probe){ 0 }; /* no before(): the bare loop, still stopped by *stop */
        assert_int_equal(jit_run_repeat(code, &req, 7, NULL, NULL, &p.stop, &out), 7);
        assert_int_equal(out.r0, 64);
        p.stop = true;
        assert_int_equal(jit_run_repeat(code, &req, 7, NULL, NULL, &p.stop, &out), 1);
        assert_int_equal(out.status, EBPF_RUN_OK);
        assert_int_equal(jit_run_repeat(code, &req, 9, NULL, NULL, NULL, &out), 9); /* nothing can stop it */
        assert_int_equal(out.r0, 64);
        req.entry_pc = 2; /* no entry */
        assert_int_equal(jit_run_repeat(code, &req, 5, repeat_before, &p, &p.stop, &out), 1);
        assert_int_equal(p.calls, 0);
        assert_int_equal(out.status, EBPF_RUN_UNSUPPORTED);
        jit_free(code);
    }
    free(insns);
}

int jit_test_system(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_blinding),
        cmocka_unit_test(test_wx),
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_public_api),
        cmocka_unit_test(test_entries),
        cmocka_unit_test(test_run_repeat),
    };
    return cmocka_run_group_tests_name("jit_system", tests, NULL, NULL);
}
