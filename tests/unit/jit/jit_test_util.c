/*
 * jit_test_util.c - the engine runner and comparator of jit_test_util.h, and the test helpers in both
 * x86-64 calling conventions (GCC and clang can compile a function for the other one, which is how the
 * Windows code paths of the JIT run on Linux).
 */
#include "jit_test_util.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exec/interp/interp.h"

const char *const jt_engine_names[JT_ENGINE_COUNT] = {
    "checked", "fast", "jit", "jit-blind", "jit-no-bmi2", "jit-ms", "jit-ms-blind-no-bmi2",
};

/* ---- Helpers, written once, built for both conventions. ---- */
static uint64_t jt_user_value = 0x1000;

static inline uint64_t jt_weigh(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e, void *u)
{
    (void)u;
    return a + 2 * b + 3 * c + 4 * d + 5 * e;
}
static inline uint64_t jt_mix(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e, void *u)
{
    (void)d, (void)e, (void)u;
    return (a * UINT64_C(0x9e3779b97f4a7c15)) ^ (b >> 7) ^ c;
}
static inline uint64_t jt_user(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e, void *u)
{
    (void)b, (void)c, (void)d, (void)e;
    return *(const uint64_t *)u + a;
}
static inline uint64_t jt_swap(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e, void *u)
{
    (void)c, (void)d, (void)e, (void)u;
    uint64_t old;
    memcpy(&old, (void *)(uintptr_t)a, 8);
    memcpy((void *)(uintptr_t)a, &b, 8);
    return old;
}
static inline uint64_t jt_identity(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e, void *u)
{
    (void)b, (void)c, (void)d, (void)e, (void)u;
    return a;
}

#define JT_HELPER_LIST(X) X(weigh) X(mix) X(user) X(swap) X(identity)

#define JT_SYSV(NAME)                                                                                    \
    static uint64_t jt_sysv_##NAME(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e, void *u)  \
    {                                                                                                    \
        return jt_##NAME(a, b, c, d, e, u);                                                              \
    }
JT_HELPER_LIST(JT_SYSV)
#undef JT_SYSV

static const struct ebpf_helper jt_entries_sysv[JT_HELPER_COUNT] = {
    [1] = { 1, "weigh", jt_sysv_weigh, NULL },
    [2] = { 2, "mix", jt_sysv_mix, NULL },
    [3] = { 3, "user", jt_sysv_user, &jt_user_value },
    [4] = { 4, "swap", jt_sysv_swap, NULL },
    [5] = { 5, "identity", jt_sysv_identity, NULL },
};
const exec_helper_table jt_helpers_sysv = { jt_entries_sysv, JT_HELPER_COUNT };

#if defined(__GNUC__) && defined(__x86_64__) && !defined(_WIN32)
#define JT_HAVE_MS 1
#define JT_MS(NAME)                                                                                      \
    static uint64_t __attribute__((ms_abi)) jt_ms_##NAME(uint64_t a, uint64_t b, uint64_t c, uint64_t d, \
                                                         uint64_t e, void *u)                            \
    {                                                                                                    \
        return jt_##NAME(a, b, c, d, e, u);                                                              \
    }
JT_HELPER_LIST(JT_MS)
#undef JT_MS
/* Only generated code calls these (with the Microsoft convention); the table's type is the host's. */
#define JT_AS_HELPER(F) ((ebpf_helper_fn)(void (*)(void))(F))
static const struct ebpf_helper jt_entries_ms[JT_HELPER_COUNT] = {
    [1] = { 1, "weigh", JT_AS_HELPER(jt_ms_weigh), NULL },
    [2] = { 2, "mix", JT_AS_HELPER(jt_ms_mix), NULL },
    [3] = { 3, "user", JT_AS_HELPER(jt_ms_user), &jt_user_value },
    [4] = { 4, "swap", JT_AS_HELPER(jt_ms_swap), NULL },
    [5] = { 5, "identity", JT_AS_HELPER(jt_ms_identity), NULL },
};
const exec_helper_table jt_helpers_ms = { jt_entries_ms, JT_HELPER_COUNT };
#else
#define JT_HAVE_MS 0
const exec_helper_table jt_helpers_ms = { jt_entries_sysv, JT_HELPER_COUNT };
#endif

/* ---- Running. ---- */
isa_insn *jt_decode(const isa_slot *code, size_t n, char *why, size_t why_size)
{
    isa_insn *insns = calloc(n ? n : 1, sizeof *insns);
    if (!insns) {
        snprintf(why, why_size, "out of memory");
        return NULL;
    }
    isa_validate_opts opts = { .allow_kfunc_calls = true, .allow_pseudo_lddw = true };
    ebpf_diag diag;
    if (isa_validate_decoded(code, n, &opts, insns, &diag) != 0) {
        snprintf(why, why_size, "invalid program: %s", diag.message);
        free(insns);
        return NULL;
    }
    return insns;
}

static bool jt_is_ms(jt_engine engine)
{
    return engine == JT_JIT_MS || engine == JT_JIT_MS_ALL;
}

jit_code *jt_compile(const isa_insn *insns, size_t n, jt_engine engine, char *why, size_t why_size)
{
    jit_options opts = {
        .blind_constants = engine == JT_JIT_BLIND || engine == JT_JIT_MS_ALL,
        .no_bmi2 = engine == JT_JIT_NO_BMI2 || engine == JT_JIT_MS_ALL,
        .abi = jt_is_ms(engine) ? JIT_ABI_MS : JIT_ABI_HOST,
    };
    ebpf_diag diag;
    jit_code *code = jit_compile(insns, n, jt_is_ms(engine) ? &jt_helpers_ms : &jt_helpers_sysv, &opts, &diag);
    if (!code)
        snprintf(why, why_size, "%s: compile failed: %s", jt_engine_names[engine], diag.message);
    return code;
}

int jt_run(const isa_insn *insns, size_t n, jt_engine engine, const uint8_t *mem, size_t mem_size, jt_result *res,
           char *why, size_t why_size)
{
    memset(res, 0, sizeof *res);
    if (mem)
        memcpy(res->mem, mem, mem_size < JT_MEM_SIZE ? mem_size : JT_MEM_SIZE);
    exec_region region = { (uintptr_t)res->mem, JT_MEM_SIZE, true };
    exec_request req = {
        .args = { (uint64_t)(uintptr_t)res->mem, JT_MEM_SIZE, 0, 0, 0 },
        .regions = &region,
        .region_count = 1,
        .packet = res->mem,
        .packet_size = JT_MEM_SIZE,
        .max_insns = 100000000,
    };
    memset(&res->out, 0xa5, sizeof res->out);
    if (engine == JT_CHECKED || engine == JT_FAST) {
        ebpf_diag diag;
        interp_code *code = interp_prepare(insns, n, &jt_helpers_sysv, &diag);
        if (!code) {
            snprintf(why, why_size, "interpreter: %s", diag.message);
            return -1;
        }
        if (engine == JT_CHECKED)
            interp_run_checked(code, &req, &res->out);
        else
            interp_run_fast(code, &req, &res->out);
        interp_free(code);
        return 0;
    }
    if (jt_is_ms(engine) && !JT_HAVE_MS)
        engine = JT_JIT;
    jit_code *code = jt_compile(insns, n, engine, why, why_size);
    if (!code)
        return -1;
    jit_run(code, &req, &res->out);
    jit_free(code);
    return 0;
}

static int jt_differs(const jt_result *a, const jt_result *b, char *why, size_t why_size)
{
    if (a->out.status != b->out.status) {
        snprintf(why, why_size, "status %d (%s) vs %d (%s)", a->out.status, a->out.message, b->out.status,
                 b->out.message);
        return 1;
    }
    if (a->out.r0 != b->out.r0) {
        snprintf(why, why_size, "r0 0x%" PRIx64 " vs 0x%" PRIx64, a->out.r0, b->out.r0);
        return 1;
    }
    if (a->out.fault_pc != b->out.fault_pc) {
        snprintf(why, why_size, "fault pc %lld vs %lld", (long long)a->out.fault_pc, (long long)b->out.fault_pc);
        return 1;
    }
    if (a->out.status != EBPF_RUN_OK && strcmp(a->out.message, b->out.message) != 0) {
        snprintf(why, why_size, "message '%s' vs '%s'", a->out.message, b->out.message);
        return 1;
    }
    for (size_t i = 0; i < JT_MEM_SIZE; i++) {
        if (a->mem[i] != b->mem[i]) {
            snprintf(why, why_size, "memory byte %zu: 0x%02x vs 0x%02x", i, a->mem[i], b->mem[i]);
            return 1;
        }
    }
    return 0;
}

int jt_compare(const isa_slot *code, size_t n, const uint8_t *mem, size_t mem_size, bool skip_checked,
               jt_result *fast, char *why, size_t why_size)
{
    isa_insn *insns = jt_decode(code, n, why, why_size);
    if (!insns)
        return -1;
    int rc = jt_run(insns, n, JT_FAST, mem, mem_size, fast, why, why_size);
    jt_result other;
    char detail[400];
    for (int e = 0; rc == 0 && e < JT_ENGINE_COUNT; e++) {
        if (e == JT_FAST || (e == JT_CHECKED && skip_checked))
            continue;
        if (jt_run(insns, n, (jt_engine)e, mem, mem_size, &other, why, why_size) != 0) {
            rc = -1;
        } else if (jt_differs(fast, &other, detail, sizeof detail)) {
            snprintf(why, why_size, "fast vs %s: %s", jt_engine_names[e], detail);
            rc = -1;
        }
    }
    free(insns);
    return rc;
}
