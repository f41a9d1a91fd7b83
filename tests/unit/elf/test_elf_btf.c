/*
 * test_elf_btf.c - BTF and BTF.ext parsing on hand-built blobs: sizes through typedef/const/array
 * chains, reference cycles (refused by the depth limit, never a hang), ids and name offsets out of
 * range, records cut short, unknown kinds, overflowing array sizes, and BTF.ext blocks that lie.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>

#include "elf/btf.h"
#include "elf/elf_int.h"

/* A little-endian BTF blob under construction: types and strings are appended, then finished. */
typedef struct builder {
    uint8_t types[4096];
    size_t types_len;
    char strs[1024];
    size_t strs_len;
    uint8_t blob[8192];
    size_t blob_len;
} builder;

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static void start(builder *b)
{
    memset(b, 0, sizeof *b);
    b->strs_len = 1; /* offset 0: "" */
}

static uint32_t str(builder *b, const char *s)
{
    uint32_t off = (uint32_t)b->strs_len;
    memcpy(b->strs + b->strs_len, s, strlen(s) + 1);
    b->strs_len += strlen(s) + 1;
    return off;
}

static void word(builder *b, uint32_t v)
{
    put32(b->types + b->types_len, v);
    b->types_len += 4;
}

static void type(builder *b, uint32_t name, uint32_t kind, uint32_t vlen, uint32_t size_or_type)
{
    word(b, name);
    word(b, kind << 24 | vlen);
    word(b, size_or_type);
}

static const uint8_t *finish(builder *b)
{
    put32(b->blob, 0);
    b->blob[0] = 0x9f;
    b->blob[1] = 0xeb;
    b->blob[2] = 1;                              /* version */
    put32(b->blob + 4, 24);                      /* hdr_len */
    put32(b->blob + 8, 0);                       /* type_off */
    put32(b->blob + 12, (uint32_t)b->types_len);
    put32(b->blob + 16, (uint32_t)b->types_len); /* str_off */
    put32(b->blob + 20, (uint32_t)b->strs_len);
    memcpy(b->blob + 24, b->types, b->types_len);
    memcpy(b->blob + 24 + b->types_len, b->strs, b->strs_len);
    b->blob_len = 24 + b->types_len + b->strs_len;
    return b->blob;
}

static int parse(builder *b, elf_arena *arena, btf **out, ebpf_diag *diag)
{
    finish(b);
    return btf_parse(arena, b->blob, b->blob_len, out, diag);
}

static void test_sizes_through_chains(void **state)
{
    (void)state;
    builder b;
    start(&b);
    type(&b, str(&b, "int"), BTF_K_INT, 0, 4); word(&b, 32);          /* 1 */
    type(&b, 0, BTF_K_PTR, 0, 1);                                      /* 2 */
    type(&b, str(&b, "u32"), BTF_K_TYPEDEF, 0, 1);                     /* 3 */
    type(&b, 0, BTF_K_CONST, 0, 3);                                    /* 4 */
    type(&b, 0, BTF_K_ARRAY, 0, 0); word(&b, 4); word(&b, 1); word(&b, 5); /* 5: const u32[5] */
    type(&b, str(&b, "pair"), BTF_K_STRUCT, 2, 8);                     /* 6 */
    word(&b, str(&b, "a")); word(&b, 1); word(&b, 0);
    word(&b, str(&b, "b")); word(&b, 1); word(&b, 32);
    type(&b, 0, BTF_K_VOLATILE, 0, 6);                                 /* 7 */
    elf_arena arena = {0};
    btf *t;
    ebpf_diag diag;
    assert_int_equal(parse(&b, &arena, &t, &diag), 0);
    assert_int_equal(t->count, 8);
    uint64_t size;
    uint64_t expect[] = {0, 4, 8, 4, 4, 20, 8, 8};
    for (uint32_t id = 1; id < 8; id++) {
        assert_int_equal(btf_resolve_size(t, id, &size, &diag), 0);
        assert_int_equal(size, expect[id]);
    }
    assert_int_equal(btf_skip_modifiers(t, 4, true), 1);
    assert_int_equal(btf_skip_modifiers(t, 4, false), 3);
    btf_member m = btf_member_at(t, 6, 1);
    assert_string_equal(m.name, "b");
    assert_int_equal(m.offset, 32);
    char buf[64];
    assert_string_equal(btf_describe(t, 6, buf, sizeof buf), "struct pair");
    assert_string_equal(btf_describe(t, 3, buf, sizeof buf), "u32");
    assert_int_equal(btf_find(t, BTF_K_TYPEDEF, "u32"), 3);
    /* void and functions have no size */
    assert_int_not_equal(btf_resolve_size(t, 0, &size, &diag), 0);
    elf_arena_free(&arena);
}

static void test_cycles_are_refused_not_followed(void **state)
{
    (void)state;
    builder b;
    start(&b);
    type(&b, str(&b, "a"), BTF_K_TYPEDEF, 0, 2);  /* 1 -> 2 */
    type(&b, 0, BTF_K_CONST, 0, 3);               /* 2 -> 3 */
    type(&b, 0, BTF_K_VOLATILE, 0, 1);            /* 3 -> 1: cycle */
    type(&b, 0, BTF_K_ARRAY, 0, 0); word(&b, 4); word(&b, 1); word(&b, 1); /* 4: array of itself */
    type(&b, str(&b, "self"), BTF_K_TYPEDEF, 0, 5); /* 5 -> 5 */
    elf_arena arena = {0};
    btf *t;
    ebpf_diag diag;
    assert_int_equal(parse(&b, &arena, &t, &diag), 0); /* structurally valid */
    uint64_t size;
    for (uint32_t id = 1; id <= 5; id++) {
        assert_int_equal(btf_resolve_size(t, id, &size, &diag), -EINVAL);
        if (!strstr(diag.message, "cycle"))
            fail_msg("type %u: %s", id, diag.message);
    }
    assert_int_equal(btf_skip_modifiers(t, 1, true), -1);
    assert_int_equal(btf_skip_modifiers(t, 5, true), -1);
    elf_arena_free(&arena);
}

static void expect_refused(builder *b, const char *words)
{
    elf_arena arena = {0};
    btf *t;
    ebpf_diag diag;
    assert_int_equal(parse(b, &arena, &t, &diag), -EINVAL);
    assert_non_null(strstr(diag.message, words));
    elf_arena_free(&arena);
}

static void test_bad_references_and_names(void **state)
{
    (void)state;
    builder b;
    start(&b);
    type(&b, 0, BTF_K_PTR, 0, 99);
    expect_refused(&b, "does not exist");

    start(&b);
    type(&b, 5000, BTF_K_INT, 0, 4); word(&b, 32);
    expect_refused(&b, "name offset");

    start(&b);
    type(&b, 0, BTF_K_STRUCT, 3, 8); word(&b, 0); word(&b, 0); word(&b, 0); /* 3 members, 1 present */
    expect_refused(&b, "runs past the end");

    start(&b);
    type(&b, 0, 25, 0, 0);
    expect_refused(&b, "unknown kind");

    start(&b);
    type(&b, str(&b, "int"), BTF_K_INT, 0, 4); word(&b, 32);
    type(&b, str(&b, "f"), BTF_K_FUNC, 0, 1);    /* a FUNC must name a FUNC_PROTO */
    expect_refused(&b, "not a function prototype");

    start(&b);
    type(&b, str(&b, "int"), BTF_K_INT, 0, 4); word(&b, 32);
    type(&b, str(&b, ".data"), BTF_K_DATASEC, 1, 4); word(&b, 1); word(&b, 0); word(&b, 4);
    expect_refused(&b, "not a variable");

    start(&b);
    type(&b, 0, BTF_K_ARRAY, 0, 0); word(&b, 7); word(&b, 0); word(&b, 1);
    expect_refused(&b, "element type id 7");
}

static void test_header_and_strings(void **state)
{
    (void)state;
    builder b;
    elf_arena arena = {0};
    btf *t;
    ebpf_diag diag;
    start(&b);
    type(&b, str(&b, "int"), BTF_K_INT, 0, 4); word(&b, 32);
    finish(&b);
    assert_int_equal(btf_parse(&arena, b.blob, 10, &t, &diag), -EINVAL);       /* header cut */
    assert_int_equal(btf_parse(&arena, b.blob, b.blob_len - 1, &t, &diag), -EINVAL); /* strings cut */
    b.blob[0] = 0x00;
    assert_int_equal(btf_parse(&arena, b.blob, b.blob_len, &t, &diag), -EINVAL);
    assert_non_null(strstr(diag.message, "magic"));
    b.blob[0] = 0xeb;
    b.blob[1] = 0x9f;
    assert_int_equal(btf_parse(&arena, b.blob, b.blob_len, &t, &diag), -EINVAL);
    assert_non_null(strstr(diag.message, "big-endian"));
    finish(&b);
    b.blob[b.blob_len - 1] = 'x'; /* string section not NUL-terminated */
    assert_int_equal(btf_parse(&arena, b.blob, b.blob_len, &t, &diag), -EINVAL);
    finish(&b);
    put32(b.blob + 12, 0xfffffff0); /* type_len beyond the data */
    assert_int_equal(btf_parse(&arena, b.blob, b.blob_len, &t, &diag), -EINVAL);
    finish(&b);
    assert_int_equal(btf_parse(&arena, b.blob, b.blob_len, &t, &diag), 0);
    assert_null(btf_str(t, 5000));
    assert_string_equal(btf_name(t, 77), ""); /* any id may be asked */
    assert_int_equal(btf_kind(t, 77), BTF_K_UNKN);
    elf_arena_free(&arena);
}

static void test_array_size_overflow(void **state)
{
    (void)state;
    builder b;
    start(&b);
    type(&b, str(&b, "long"), BTF_K_INT, 0, 8); word(&b, 64);                    /* 1 */
    type(&b, 0, BTF_K_ARRAY, 0, 0); word(&b, 1); word(&b, 1); word(&b, 0xffffffff); /* 2 */
    type(&b, 0, BTF_K_ARRAY, 0, 0); word(&b, 2); word(&b, 1); word(&b, 0xffffffff); /* 3 */
    elf_arena arena = {0};
    btf *t;
    ebpf_diag diag;
    uint64_t size;
    assert_int_equal(parse(&b, &arena, &t, &diag), 0);
    assert_int_equal(btf_resolve_size(t, 2, &size, &diag), -EINVAL);
    assert_int_equal(btf_resolve_size(t, 3, &size, &diag), -EINVAL);
    assert_non_null(strstr(diag.message, "overflow"));
    elf_arena_free(&arena);
}

/* .BTF.ext with one part (func_info) holding `count` records of `rec_size` for section name `sec`. */
static size_t ext_blob(uint8_t *out, uint32_t sec, uint32_t rec_size, uint32_t count, uint32_t type_id, size_t room)
{
    memset(out, 0, room);
    out[0] = 0x9f;
    out[1] = 0xeb;
    out[2] = 1;
    put32(out + 4, 32);
    uint32_t len = 4 + 8 + rec_size * 1; /* what is really there: one record */
    put32(out + 8, 0);
    put32(out + 12, len);
    put32(out + 32, rec_size);
    put32(out + 36, sec);
    put32(out + 40, count);
    put32(out + 44, 0);
    put32(out + 48, type_id);
    return 32 + len;
}

static void test_btf_ext(void **state)
{
    (void)state;
    builder b;
    start(&b);
    uint32_t sec = str(&b, "xdp");
    type(&b, str(&b, "int"), BTF_K_INT, 0, 4); word(&b, 32);             /* 1 */
    type(&b, 0, BTF_K_FUNC_PROTO, 0, 1);                                  /* 2 */
    type(&b, str(&b, "f"), BTF_K_FUNC, 1, 2);                             /* 3 */
    elf_arena arena = {0};
    btf *t;
    btf_ext *ext;
    ebpf_diag diag;
    assert_int_equal(parse(&b, &arena, &t, &diag), 0);
    uint8_t blob[128];
    size_t n = ext_blob(blob, sec, 8, 1, 3, sizeof blob);
    assert_int_equal(btf_ext_parse(&arena, t, blob, n, &ext, &diag), 0);
    assert_int_equal(ext->func.block_count, 1);
    assert_non_null(btf_ext_find(&ext->func, "xdp"));
    assert_null(btf_ext_find(&ext->func, "tc"));

    n = ext_blob(blob, sec, 8, 1, 1, sizeof blob); /* func_info naming an INT */
    assert_int_equal(btf_ext_parse(&arena, t, blob, n, &ext, &diag), -EINVAL);
    assert_non_null(strstr(diag.message, "not a function"));
    n = ext_blob(blob, sec, 8, 1000, 3, sizeof blob); /* more records than bytes */
    assert_int_equal(btf_ext_parse(&arena, t, blob, n, &ext, &diag), -EINVAL);
    n = ext_blob(blob, sec, 4, 1, 3, sizeof blob); /* record smaller than the known fields */
    assert_int_equal(btf_ext_parse(&arena, t, blob, n, &ext, &diag), -EINVAL);
    n = ext_blob(blob, 4000, 8, 1, 3, sizeof blob); /* section name outside the strings */
    assert_int_equal(btf_ext_parse(&arena, t, blob, n, &ext, &diag), -EINVAL);
    n = ext_blob(blob, sec, 8, 1, 3, sizeof blob);
    put32(blob + 12, 0x7fffffff); /* func_info length beyond the section */
    assert_int_equal(btf_ext_parse(&arena, t, blob, n, &ext, &diag), -EINVAL);
    elf_arena_free(&arena);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sizes_through_chains),
        cmocka_unit_test(test_cycles_are_refused_not_followed),
        cmocka_unit_test(test_bad_references_and_names),
        cmocka_unit_test(test_header_and_strings),
        cmocka_unit_test(test_array_size_overflow),
        cmocka_unit_test(test_btf_ext),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
