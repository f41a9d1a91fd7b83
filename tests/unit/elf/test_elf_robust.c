/*
 * test_elf_robust.c - the loader against damaged input, for real objects (corpus and the programs
 * compiled for test_elf_objects): every truncation length, a corruption of every byte, boundary values
 * written over every 8-byte-aligned word, and an allocation failure at every allocation of an open.
 * Each open must fail cleanly (negative errno, a message) or succeed with an object that keeps the
 * invariants of elf_object.h; under ASan/UBSan any read outside the (exactly sized) input or any leak
 * is a failure too. Objects that are missing (no corpus, no clang) are skipped; with none at all the
 * suite prints SKIPPED and exits 77.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf/elf_int.h"
#include "elf_test_util.h"

/* Objects of every shape the loader handles: BTF maps, map-in-map, prog_array, sub-programs, CO-RE,
 * legacy maps, old objects without function symbols, RELA relocations, global data, callbacks. */
static const char *const corpus_objects[] = {
    "build/bpf2bpf.o", "build/map_in_map.o", "build/prog_array.o", "cilium-examples/tcprtt_sockops_bpf_bpfel.o",
    "linux/sockex3_kern.o", "prototype-kernel/xdp_ddos01_blacklist_kern.o", "ovs/datapath.o",
};
static const char *const compiled_objects[] = {
    "subprogs", "globals", "map_in_map", "maps_btf", "maps_legacy", "core",
};

#define MAX_SAMPLES 12000   /* corruption positions per object (all of them for smaller objects) */

typedef struct sample {
    char name[256];
    uint8_t *data;
    size_t size;
} sample;

static sample samples[16];
static size_t sample_count;

typedef struct stats {
    size_t opens, accepted, refused;
} stats;

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* One open of `size` bytes copied into an exactly-sized buffer: refusal with a message, or a sound object. */
static void try_open(const sample *s, const uint8_t *data, size_t size, stats *st, const char *what, size_t where)
{
    uint8_t *copy = malloc(size ? size : 1);
    assert_non_null(copy);
    memcpy(copy, data, size);
    elf_object *obj = NULL;
    ebpf_diag diag;
    int rc = elf_object_open(copy, size, &obj, &diag);
    free(copy);
    st->opens++;
    if (rc) {
        st->refused++;
        if (rc >= 0 || diag.message[0] == '\0' || obj)
            fail_msg("%s, %s at %zu: refused with rc %d and message '%s'", s->name, what, where, rc, diag.message);
        return;
    }
    st->accepted++;
    const char *why = elf_test_check_invariants(obj);
    if (why)
        fail_msg("%s, %s at %zu: accepted, but %s", s->name, what, where, why);
    elf_object_free(obj);
}

static void test_truncations(void **state)
{
    (void)state;
    for (size_t i = 0; i < sample_count; i++) {
        const sample *s = &samples[i];
        stats st = {0};
        size_t stride = s->size > MAX_SAMPLES ? s->size / MAX_SAMPLES + 1 : 1;
        for (size_t len = 0; len < s->size; len += (len < 512 || len + 512 > s->size) ? 1 : stride)
            try_open(s, s->data, len, &st, "truncated", len);
        try_open(s, s->data, s->size, &st, "whole", s->size);
        assert_true(st.accepted >= 1); /* the whole object */
        printf("truncations %-48s %zu opens, %zu accepted\n", s->name, st.opens, st.accepted);
    }
}

static void test_byte_corruptions(void **state)
{
    (void)state;
    for (size_t i = 0; i < sample_count; i++) {
        const sample *s = &samples[i];
        uint8_t *buf = malloc(s->size);
        assert_non_null(buf);
        memcpy(buf, s->data, s->size);
        stats st = {0};
        size_t count = s->size < MAX_SAMPLES ? s->size : MAX_SAMPLES;
        for (size_t k = 0; k < count; k++) {
            size_t pos = s->size < MAX_SAMPLES ? k : (size_t)(rng() % s->size);
            uint8_t old = buf[pos];
            switch (k % 4) {
            case 0: buf[pos] ^= 0xff; break;
            case 1: buf[pos] ^= (uint8_t)(1u << (rng() % 8)); break;
            case 2: buf[pos] = (uint8_t)rng(); break;
            default: buf[pos] = old ? 0 : 0x80; break;
            }
            try_open(s, buf, s->size, &st, "byte corrupted", pos);
            buf[pos] = old;
        }
        free(buf);
        printf("byte corruptions %-43s %zu opens, %zu accepted\n", s->name, st.opens, st.accepted);
    }
}

static void test_word_corruptions(void **state)
{
    (void)state;
    static const uint64_t values[] = {
        0xffffffffffffffffull, 0x7fffffffull, 0x80000000ull, 0, 0xfffffff8ull, 0x100000000ull, 8, 0xffff,
    };
    for (size_t i = 0; i < sample_count; i++) {
        const sample *s = &samples[i];
        uint8_t *buf = malloc(s->size);
        assert_non_null(buf);
        memcpy(buf, s->data, s->size);
        stats st = {0};
        size_t stride = s->size / 8 > MAX_SAMPLES ? (s->size / 8 / MAX_SAMPLES + 1) * 8 : 8;
        for (size_t pos = 0, k = 0; pos + 8 <= s->size; pos += stride, k++) {
            uint8_t old[8];
            memcpy(old, buf + pos, 8);
            uint64_t v = values[k % (sizeof values / sizeof values[0])];
            for (int b = 0; b < 8; b++)
                buf[pos + b] = (uint8_t)(v >> (8 * b));
            try_open(s, buf, s->size, &st, "word overwritten", pos);
            /* the same value in the upper half only: offsets and sizes that pass a 32-bit look */
            memcpy(buf + pos, old, 8);
            for (int b = 4; b < 8; b++)
                buf[pos + b] = (uint8_t)(v >> (8 * (b - 4)));
            try_open(s, buf, s->size, &st, "upper word overwritten", pos);
            memcpy(buf + pos, old, 8);
        }
        free(buf);
        printf("word corruptions %-43s %zu opens, %zu accepted\n", s->name, st.opens, st.accepted);
    }
}

static void test_allocation_failures(void **state)
{
    (void)state;
    for (size_t i = 0; i < sample_count; i++) {
        const sample *s = &samples[i];
        size_t failures = 0;
        for (long n = 0;; n++) {
            elf_alloc_fail_after(n);
            elf_object *obj = NULL;
            ebpf_diag diag;
            int rc = elf_object_open(s->data, s->size, &obj, &diag);
            elf_alloc_fail_after(-1);
            if (rc == 0) {
                elf_object_free(obj);
                break;
            }
            if (rc != -ENOMEM || !strstr(diag.message, "out of memory"))
                fail_msg("%s: allocation %ld failing gave rc %d: %s", s->name, n, rc, diag.message);
            failures++;
            assert_true(n < 100000);
        }
        printf("allocation failures %-40s %zu failing opens, then success\n", s->name, failures);
    }
}

static void add_sample(const char *name, const char *path)
{
    if (sample_count == sizeof samples / sizeof samples[0])
        return;
    sample *s = &samples[sample_count];
    s->data = elf_test_read_file(path, &s->size);
    if (!s->data) {
        printf("(skipping %s: cannot read %s)\n", name, path);
        return;
    }
    snprintf(s->name, sizeof s->name, "%s", name);
    sample_count++;
}

int main(void)
{
    char path[512];
    for (size_t i = 0; i < sizeof corpus_objects / sizeof corpus_objects[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", EBPF_CORPUS_DIR, corpus_objects[i]);
        add_sample(corpus_objects[i], path);
    }
    for (size_t i = 0; EBPF_ELF_PROGS_AVAILABLE && i < sizeof compiled_objects / sizeof compiled_objects[0]; i++) {
        snprintf(path, sizeof path, "%s/%s.bpf.o", EBPF_ELF_PROG_DIR, compiled_objects[i]);
        add_sample(compiled_objects[i], path);
    }
    if (sample_count == 0) {
        printf("SKIPPED: no objects (corpus at %s missing, no compiled test programs)\n", EBPF_CORPUS_DIR);
        return 77;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_truncations),
        cmocka_unit_test(test_byte_corruptions),
        cmocka_unit_test(test_word_corruptions),
        cmocka_unit_test(test_allocation_failures),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    for (size_t i = 0; i < sample_count; i++)
        free(samples[i].data);
    return rc;
}
