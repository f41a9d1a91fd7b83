/*
 * test_jit_maps.c - map-aware lookups (src/exec/jit/jit_maps.c), differentially: the same program run
 * by the fast interpreter (the real bpf_map_lookup_elem helper), by the JIT without map knowledge (a
 * call of that helper) and by the JIT told about the maps (array lookups inline, other types a direct
 * call of the map's lookup), on keys in range, at the bounds and far out of range. All engines must
 * return the very same pointer (or NULL). Also: a map constant that reaches the call on one path only
 * must not be trusted, a null check after the lookup (folded into its bound check) both ways round,
 * and the Microsoft x64 build of the inline lookup.
 */
#include <stdlib.h>
#include <string.h>

#include "test_jit.h"
#include "exec/interp/interp.h"
#include "helpers/helpers.h"
#include "maps/maps.h"

typedef struct jm_maps {
    struct map *known[4];
    size_t count;
    unsigned asked;      /* map_info calls */
    unsigned answered;   /* ... that named a known map */
} jm_maps;

static bool jm_map_info(void *user, uint64_t value, jit_map_info *info)
{
    jm_maps *m = user;
    m->asked++;
    for (size_t i = 0; i < m->count; i++) {
        if ((uint64_t)(uintptr_t)m->known[i] != value)
            continue;
        struct map_array_layout layout;
        *info = (jit_map_info){ .lookup = (uint64_t)(uintptr_t)map_direct_lookup(m->known[i]),
                                .lookup_key32 = (uint64_t)(uintptr_t)map_direct_lookup_key32(m->known[i]) };
        if (map_array_direct_layout(m->known[i], &layout))
            *info = (jit_map_info){ info->lookup, info->lookup_key32, true, (uint64_t)(uintptr_t)layout.values, layout.stride,
                                    layout.max_entries };
        m->answered++;
        return true;
    }
    return false;
}

static exec_helper_table jm_helpers(void)
{
    static struct ebpf_helper entries[2];
    entries[1] = *helper_linux_find(EXEC_HELPER_MAP_LOOKUP);
    return (exec_helper_table){ entries, 2 };
}

static struct map *jm_map(uint32_t type, uint32_t key_size, uint32_t value_size, uint32_t max_entries)
{
    struct map_def def = { .type = type, .key_size = key_size, .value_size = value_size, .max_entries = max_entries };
    struct map *map = NULL;
    ebpf_diag diag;
    assert_int_equal(map_create(&def, &map, &diag), 0);
    return map;
}

/* r0 = bpf_map_lookup_elem(map, &key) with key = the u32 at mem[0]; the pointer itself is returned. */
static void jm_lookup_prog(jt_prog *p, uint64_t map)
{
    p->n = 0;
    jt_emit_insn(p, ISA_LDXW, 7, 1, 0, 0);
    jt_emit_insn(p, ISA_STXW, 10, 7, -4, 0);
    jt_emit_insn(p, ISA_MOV64_REG, 2, 10, 0, 0);
    jt_emit_insn(p, ISA_ADD64_IMM, 2, 0, 0, -4);
    jt_emit_lddw(p, 1, map);
    jt_emit_insn(p, ISA_CALL, 0, 0, 0, EXEC_HELPER_MAP_LOOKUP);
    jt_emit_insn(p, ISA_EXIT, 0, 0, 0, 0);
}

/* The lookup followed by a null check that the JIT folds into the bound check: r0 = the value's first
 * byte, or 0xdead when the key is out of range. `jne`: the test written the other way round. */
static void jm_null_check_prog(jt_prog *p, uint64_t map, bool jne)
{
    jm_lookup_prog(p, map);
    p->n--; /* the exit */
    if (jne) {
        jt_emit_insn(p, ISA_JNE_IMM, 0, 0, 2, 0);
        jt_emit_insn(p, ISA_MOV64_IMM, 0, 0, 0, 0xdead);
        jt_emit_insn(p, ISA_EXIT, 0, 0, 0, 0);
        jt_emit_insn(p, ISA_LDXB, 0, 0, 0, 0);
        jt_emit_insn(p, ISA_EXIT, 0, 0, 0, 0);
    } else {
        jt_emit_insn(p, ISA_JEQ_IMM, 0, 0, 2, 0);
        jt_emit_insn(p, ISA_LDXB, 0, 0, 0, 0);
        jt_emit_insn(p, ISA_EXIT, 0, 0, 0, 0);
        jt_emit_insn(p, ISA_MOV64_IMM, 0, 0, 0, 0xdead);
        jt_emit_insn(p, ISA_EXIT, 0, 0, 0, 0);
    }
}

/* The same, but r1 is map_a when key > 5 and map_b otherwise: the call is a jump target. */
static void jm_join_prog(jt_prog *p, uint64_t map_a, uint64_t map_b)
{
    p->n = 0;
    jt_emit_insn(p, ISA_LDXW, 7, 1, 0, 0);
    jt_emit_insn(p, ISA_STXW, 10, 7, -4, 0);
    jt_emit_insn(p, ISA_MOV64_REG, 2, 10, 0, 0);
    jt_emit_insn(p, ISA_ADD64_IMM, 2, 0, 0, -4);
    jt_emit_lddw(p, 1, map_a);
    jt_emit_insn(p, ISA_JGT_IMM, 7, 0, 2, 5);
    jt_emit_lddw(p, 1, map_b);
    jt_emit_insn(p, ISA_CALL, 0, 0, 0, EXEC_HELPER_MAP_LOOKUP);
    jt_emit_insn(p, ISA_EXIT, 0, 0, 0, 0);
}

typedef enum { JM_FAST, JM_JIT_HELPER, JM_JIT_MAPS, JM_JIT_MAPS_MS, JM_ENGINES } jm_engine;

static uint64_t jm_run(const isa_insn *insns, size_t n, jm_engine engine, jm_maps *maps, uint32_t key)
{
    exec_helper_table helpers = jm_helpers();
    uint8_t mem[16] = { 0 };
    memcpy(mem, &key, sizeof key);
    exec_request req = { .args = { (uint64_t)(uintptr_t)mem, sizeof mem, 0, 0, 0 } };
    exec_outcome out;
    memset(&out, 0, sizeof out);
    ebpf_diag diag;
    map_read_lock();
    if (engine == JM_FAST) {
        interp_code *code = interp_prepare(insns, n, &helpers, &diag);
        assert_non_null(code);
        interp_run_fast(code, &req, &out);
        interp_free(code);
    } else {
        jit_options opts = { .abi = engine == JM_JIT_MAPS_MS ? JIT_ABI_MS : JIT_ABI_HOST };
        if (engine != JM_JIT_HELPER) {
            opts.map_info = jm_map_info;
            opts.map_user = maps;
        }
        jit_code *code = jit_compile(insns, n, &helpers, &opts, &diag);
        if (!code)
            fail_msg("compile: %s", diag.message);
        jit_run(code, &req, &out);
        jit_free(code);
    }
    map_read_unlock();
    assert_int_equal(out.status, EBPF_RUN_OK);
    return out.r0;
}

/* Runs p on every key in every engine that applies; all must give the same r0. Returns how many keys
 * found an element. */
static unsigned jm_compare(const jt_prog *p, jm_maps *maps, bool ms, const uint32_t *keys, size_t key_count)
{
    char why[256];
    isa_insn *insns = jt_decode(p->s, p->n, why, sizeof why);
    if (!insns)
        fail_msg("%s", why);
    unsigned hits = 0;
    for (size_t k = 0; k < key_count; k++) {
        uint64_t fast = jm_run(insns, p->n, JM_FAST, maps, keys[k]);
        hits += fast != 0;
        for (int e = JM_JIT_HELPER; e < JM_ENGINES; e++) {
            if (e == JM_JIT_MAPS_MS && !ms)
                continue;
            uint64_t got = jm_run(insns, p->n, (jm_engine)e, maps, keys[k]);
            if (got != fast)
                fail_msg("key %u, engine %d: r0 0x%llx, the interpreter 0x%llx", keys[k], e,
                         (unsigned long long)got, (unsigned long long)fast);
        }
    }
    free(insns);
    return hits;
}

static const uint32_t jm_keys[] = { 0, 1, 2, 5, 6, 62, 63, 64, 65, 99, 999, 1000, 1001, 0x7fffffff, 0x80000000,
                                    0xfffffffe, 0xffffffff };

static void test_array_inline(void **state)
{
    (void)state;
    static const struct { uint32_t value_size, max_entries; } shapes[] = {
        { 8, 64 }, { 1, 1 }, { 12, 100 }, { 24, 1000 }, { 40, 7 }, { 4096, 3 },
    };
    for (size_t s = 0; s < N(shapes); s++) {
        jm_maps maps = { .count = 1 };
        maps.known[0] = jm_map(ABI_MAP_TYPE_ARRAY, 4, shapes[s].value_size, shapes[s].max_entries);
        jm_lookup_prog(&jt_case, (uint64_t)(uintptr_t)maps.known[0]);
        unsigned hits = jm_compare(&jt_case, &maps, true, jm_keys, N(jm_keys));
        unsigned expect = 0;
        for (size_t k = 0; k < N(jm_keys); k++)
            expect += jm_keys[k] < shapes[s].max_entries;
        assert_int_equal(hits, expect);
        unsigned char value[4096] = { 0 };
        for (uint32_t k = 0; k < shapes[s].max_entries; k++) {
            value[0] = (unsigned char)(k * 7 + 1);
            assert_int_equal(map_sys_update(maps.known[0], &k, value, 0), 0);
        }
        for (int jne = 0; jne < 2; jne++) {
            jm_null_check_prog(&jt_case, (uint64_t)(uintptr_t)maps.known[0], jne);
            assert_int_equal(jm_compare(&jt_case, &maps, true, jm_keys, N(jm_keys)), N(jm_keys));
        }
        /* r0 live where the null check goes (the exit returns the NULL): the JIT must still clear it
         * (jit_live.c lets it skip that only where r0 dies, as in the programs above) */
        jm_lookup_prog(&jt_case, (uint64_t)(uintptr_t)maps.known[0]);
        jt_case.n--; /* the exit */
        jt_emit_insn(&jt_case, ISA_JEQ_IMM, 0, 0, 1, 0);
        jt_emit_insn(&jt_case, ISA_LDXB, 0, 0, 0, 0);
        jt_emit_insn(&jt_case, ISA_EXIT, 0, 0, 0, 0);
        assert_int_equal(jm_compare(&jt_case, &maps, true, jm_keys, N(jm_keys)), expect);
        assert_true(maps.answered > 0);
        map_put(maps.known[0]);
    }
}

/* Variants of the lookup around the key taken from a register (jit_maps.c): compilers' shapes where it
 * applies, and ones where the store, the key register or r2 change in between and it must not. */
enum {
    JM_KEY_R1,          /* the key in r1, which the (dropped) lddw overwrites */
    JM_KEY_HIGH_BITS,   /* a 64-bit register: the stxw stores its low half */
    JM_KEY_SLOT_STORED, /* another store to the slot after the stxw: the key is 3 */
    JM_KEY_REG_CHANGED, /* the register changes after the store */
    JM_KEY_R2_READ,     /* r2 is read before the call: the r2 set-up stays */
    JM_KEY_R1_READ,     /* r1 is read between lddw and call: the lddw stays */
    JM_KEY_OTHER_SLOT,  /* r2 points at another slot than the one stored last */
    JM_KEY_VARIANTS
};

static void jm_key_variant_prog(jt_prog *p, uint64_t map, int variant)
{
    unsigned k = variant == JM_KEY_R1 ? 1 : 7;
    p->n = 0;
    jt_emit_insn(p, ISA_MOV64_IMM, 6, 0, 0, 0);
    jt_emit_insn(p, ISA_LDXW, k, 1, 0, 0);
    jt_emit_insn(p, ISA_STXW, 10, 6, -8, 0);
    if (variant == JM_KEY_HIGH_BITS) {
        jt_emit_insn(p, ISA_MOV64_IMM, 8, 0, 0, 1);
        jt_emit_insn(p, ISA_LSH64_IMM, 8, 0, 0, 32);
        jt_emit_insn(p, ISA_OR64_REG, 7, 8, 0, 0);
    }
    jt_emit_insn(p, ISA_STXW, 10, k, -4, 0);
    if (variant == JM_KEY_SLOT_STORED)
        jt_emit_insn(p, ISA_STW, 10, 0, -4, 3);
    if (variant == JM_KEY_REG_CHANGED)
        jt_emit_insn(p, ISA_ADD64_IMM, 7, 0, 0, 1);
    jt_emit_insn(p, ISA_MOV64_REG, 2, 10, 0, 0);
    jt_emit_insn(p, ISA_ADD64_IMM, 2, 0, 0, variant == JM_KEY_OTHER_SLOT ? -8 : -4);
    if (variant == JM_KEY_R2_READ)
        jt_emit_insn(p, ISA_MOV64_REG, 9, 2, 0, 0);
    jt_emit_lddw(p, 1, map);
    if (variant == JM_KEY_R1_READ)
        jt_emit_insn(p, ISA_MOV64_REG, 9, 1, 0, 0);
    jt_emit_insn(p, ISA_CALL, 0, 0, 0, EXEC_HELPER_MAP_LOOKUP);
    if (variant == JM_KEY_R2_READ || variant == JM_KEY_R1_READ) { /* if the lookup hit: r0 = the map / key + 1 */
        jt_emit_insn(p, ISA_JEQ_IMM, 0, 0, 2, 0);
        if (variant == JM_KEY_R1_READ)
            jt_emit_insn(p, ISA_MOV64_REG, 0, 9, 0, 0);
        else
            jt_emit_insn(p, ISA_LDXW, 0, 9, 0, 0);
        jt_emit_insn(p, ISA_ADD64_IMM, 0, 0, 0, 1);
    }
    jt_emit_insn(p, ISA_EXIT, 0, 0, 0, 0);
}

static void test_array_key_register(void **state)
{
    (void)state;
    jm_maps maps = { .count = 1 };
    maps.known[0] = jm_map(ABI_MAP_TYPE_ARRAY, 4, 8, 64);
    for (int v = 0; v < JM_KEY_VARIANTS; v++) {
        jm_key_variant_prog(&jt_case, (uint64_t)(uintptr_t)maps.known[0], v);
        unsigned hits = jm_compare(&jt_case, &maps, true, jm_keys, N(jm_keys));
        /* key 3 / key r6 = 0 for every key given; otherwise the keys below 64 hit */
        unsigned expect = v == JM_KEY_SLOT_STORED || v == JM_KEY_OTHER_SLOT ? N(jm_keys) : 7;
        assert_int_equal(hits, expect);
    }
    map_put(maps.known[0]);
}

/* The same variants on a hash map with 4-byte keys: the direct call of its by-value lookup where the
 * key comes from a register, the pointer lookup otherwise; keys 0..63 are filled. */
static void test_hash_key_register(void **state)
{
    (void)state;
    jm_maps maps = { .count = 1 };
    maps.known[0] = jm_map(ABI_MAP_TYPE_HASH, 4, 8, 64);
    for (uint32_t k = 0; k < 64; k++) {
        uint64_t value = k + 1;
        assert_int_equal(map_sys_update(maps.known[0], &k, &value, 0), 0);
    }
    for (int v = 0; v < JM_KEY_VARIANTS; v++) {
        jm_key_variant_prog(&jt_case, (uint64_t)(uintptr_t)maps.known[0], v);
        unsigned hits = jm_compare(&jt_case, &maps, true, jm_keys, N(jm_keys));
        unsigned expect = v == JM_KEY_SLOT_STORED || v == JM_KEY_OTHER_SLOT ? N(jm_keys) : 7;
        assert_int_equal(hits, expect);
    }
    map_put(maps.known[0]);
}

/* Types that are not plain arrays: a direct call of their lookup. */
static void test_direct_lookup(void **state)
{
    (void)state;
    jm_maps maps = { .count = 2 };
    maps.known[0] = jm_map(ABI_MAP_TYPE_HASH, 4, 8, 16);
    maps.known[1] = jm_map(ABI_MAP_TYPE_PERCPU_ARRAY, 4, 8, 4);
    uint64_t value = 0x1122334455667788ull;
    for (uint32_t key = 0; key < 10; key += 3)
        assert_int_equal(map_sys_update(maps.known[0], &key, &value, 0), 0);
    for (size_t m = 0; m < 2; m++) {
        jm_lookup_prog(&jt_case, (uint64_t)(uintptr_t)maps.known[m]);
        unsigned hits = jm_compare(&jt_case, &maps, false, jm_keys, N(jm_keys));
        assert_int_equal(hits, m == 0 ? 2 : 3); /* hash: keys 0 and 6; percpu array: 0, 1, 2 */
    }
    assert_true(maps.answered > 0);
    map_put(maps.known[0]);
    map_put(maps.known[1]);
}

/* Two maps reaching one call: r1 is not a constant there, so map_info is never asked. */
static void test_join_not_trusted(void **state)
{
    (void)state;
    jm_maps maps = { .count = 2 };
    maps.known[0] = jm_map(ABI_MAP_TYPE_ARRAY, 4, 8, 64);
    maps.known[1] = jm_map(ABI_MAP_TYPE_ARRAY, 4, 16, 3);
    jm_join_prog(&jt_case, (uint64_t)(uintptr_t)maps.known[0], (uint64_t)(uintptr_t)maps.known[1]);
    unsigned hits = jm_compare(&jt_case, &maps, false, jm_keys, N(jm_keys));
    assert_int_equal(hits, 6); /* 0, 1, 2 in the small map; 6, 62, 63 in the large one */
    assert_int_equal(maps.asked, 0);
    map_put(maps.known[0]);
    map_put(maps.known[1]);
}

int jit_test_maps(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_array_inline),
        cmocka_unit_test(test_array_key_register),
        cmocka_unit_test(test_hash_key_register),
        cmocka_unit_test(test_direct_lookup),
        cmocka_unit_test(test_join_not_trusted),
    };
    int failed = cmocka_run_group_tests_name("jit_maps", tests, NULL, NULL);
    map_reclaim_all();
    return failed;
}
