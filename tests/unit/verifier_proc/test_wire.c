/*
 * test_wire.c - the verifier message format (src/verifier/vf_wire.c): requests and replies survive a
 * round trip; every truncation is refused; random corruption is either refused or decodes to a
 * message that re-encodes to the very same bytes (the format is canonical); each limit is enforced.
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

#include "verifier/vf_wire.h"

#define CORRUPTIONS 20000

static const isa_slot sample_code[] = {
    { 0xb7, 0, 0, 0, 0 },         /* mov r0, 0 */
    { 0x18, 1, 1, 0, 1 },         /* lddw r1, map 1 */
    { 0x00, 0, 0, 0, 0 },
    { 0x85, 0, 1, 0, 2 },         /* call local +2 */
    { 0x61, 2, 1, -4, 0x7fffffff }, /* ldxw r2, [r1-4] */
    { 0x95, 0, 0, 0, 0 },         /* exit */
};

static const vf_map sample_maps[] = {
    { 1, 4, 8, 16, 0, -1, false },
    { 2, 4, 4, 1, 0x80, -1, true },
    { 12, 4, 4, 8, 0, 1, false }, /* map-in-map with map 1 as template */
};

static vf_func sample_funcs[2];

static vf_input sample_input(void)
{
    sample_funcs[0] = (vf_func){ .entry = 3, .arg_count = 2, .name = "global_helper" };
    sample_funcs[0].args[0].kind = VF_ARG_CTX;
    sample_funcs[0].args[1].kind = VF_ARG_MEM;
    sample_funcs[0].args[1].size = 16;
    sample_funcs[1] = (vf_func){ .entry = 5, .arg_count = 0, .name = NULL };
    return (vf_input){ .prog_type = 6, .ctx_size = 24, .code = sample_code,
                       .count = sizeof sample_code / sizeof sample_code[0], .maps = sample_maps,
                       .map_count = 3, .funcs = sample_funcs, .func_count = 2,
                       .flags = VF_UNPRIVILEGED | VF_KEEP_STATE };
}

static void assert_same_input(const vf_input *a, const vf_input *b)
{
    assert_int_equal(a->prog_type, b->prog_type);
    assert_int_equal(a->ctx_size, b->ctx_size);
    assert_int_equal(a->flags, b->flags);
    assert_int_equal(a->count, b->count);
    assert_memory_equal(a->code, b->code, a->count * sizeof *a->code);
    assert_int_equal(a->map_count, b->map_count);
    for (size_t i = 0; i < a->map_count; i++) {
        assert_int_equal(a->maps[i].type, b->maps[i].type);
        assert_int_equal(a->maps[i].key_size, b->maps[i].key_size);
        assert_int_equal(a->maps[i].value_size, b->maps[i].value_size);
        assert_int_equal(a->maps[i].max_entries, b->maps[i].max_entries);
        assert_int_equal(a->maps[i].flags, b->maps[i].flags);
        assert_int_equal(a->maps[i].inner, b->maps[i].inner);
        assert_int_equal(a->maps[i].read_only, b->maps[i].read_only);
    }
    assert_int_equal(a->func_count, b->func_count);
    for (size_t i = 0; i < a->func_count; i++) {
        assert_int_equal(a->funcs[i].entry, b->funcs[i].entry);
        assert_int_equal(a->funcs[i].arg_count, b->funcs[i].arg_count);
        for (int k = 0; k < a->funcs[i].arg_count; k++) {
            assert_int_equal(a->funcs[i].args[k].kind, b->funcs[i].args[k].kind);
            assert_int_equal(a->funcs[i].args[k].size, b->funcs[i].args[k].size);
        }
        if (a->funcs[i].name)
            assert_string_equal(a->funcs[i].name, b->funcs[i].name);
        else
            assert_null(b->funcs[i].name);
    }
}

static void test_request_round_trip(void **state)
{
    (void)state;
    vf_input in = sample_input();
    uint8_t *msg;
    size_t size;
    assert_int_equal(vf_wire_encode_request(&in, VF_HOOK_CRASH, &msg, &size), 0);
    size_t total = 0;
    assert_int_equal(vf_wire_message_size(msg, VF_WIRE_KIND_REQUEST, &total, NULL), 0);
    assert_int_equal(total, size);
    vf_wire_request req;
    assert_int_equal(vf_wire_decode_request(msg, size, &req, NULL), 0);
    assert_int_equal(req.hooks, VF_HOOK_CRASH);
    assert_same_input(&in, &req.input);
    vf_wire_request_free(&req);
    free(msg);
}

static void test_empty_request(void **state)
{
    (void)state;
    vf_input in = { .prog_type = 0 };
    uint8_t *msg;
    size_t size;
    assert_int_equal(vf_wire_encode_request(&in, 0, &msg, &size), 0);
    vf_wire_request req;
    assert_int_equal(vf_wire_decode_request(msg, size, &req, NULL), 0);
    assert_int_equal(req.input.count, 0);
    assert_int_equal(req.input.map_count, 0);
    assert_int_equal(req.input.func_count, 0);
    vf_wire_request_free(&req);
    free(msg);
}

static void test_reply_round_trip(void **state)
{
    (void)state;
    vf_result res = { .verdict = VF_REJECT, .insn = 13, .visits = 1234567890123ull };
    snprintf(res.message, sizeof res.message, "r3 may be NULL here");
    res.state = strdup("r3: map_value_or_null\nr10: stack\n");
    uint8_t *msg;
    size_t size;
    assert_int_equal(vf_wire_encode_reply(&res, &msg, &size), 0);
    vf_result back;
    assert_int_equal(vf_wire_decode_reply(msg, size, &back, NULL), 0);
    assert_int_equal(back.verdict, VF_REJECT);
    assert_int_equal(back.insn, 13);
    assert_true(back.visits == 1234567890123ull);
    assert_string_equal(back.message, res.message);
    assert_string_equal(back.state, res.state);
    free(back.state);
    free(msg);
    free(res.state);

    vf_result ok = { .verdict = VF_ACCEPT, .insn = -1 };
    assert_int_equal(vf_wire_encode_reply(&ok, &msg, &size), 0);
    assert_int_equal(vf_wire_decode_reply(msg, size, &back, NULL), 0);
    assert_int_equal(back.verdict, VF_ACCEPT);
    assert_int_equal(back.insn, -1);
    assert_null(back.state);
    assert_string_equal(back.message, "");
    free(msg);
}

/* Every proper prefix of a message (and the message with one byte more) is refused. */
static void test_every_truncation(void **state)
{
    (void)state;
    vf_input in = sample_input();
    uint8_t *req, *rep;
    size_t req_size, rep_size;
    assert_int_equal(vf_wire_encode_request(&in, 0, &req, &req_size), 0);
    vf_result res = { .verdict = VF_REJECT, .insn = 2, .state = "a state" };
    snprintf(res.message, sizeof res.message, "why");
    assert_int_equal(vf_wire_encode_reply(&res, &rep, &rep_size), 0);
    for (size_t n = 0; n < req_size; n++) {
        vf_wire_request out;
        const char *why = NULL;
        uint8_t *copy = malloc(n ? n : 1); /* exact-size buffer: ASan catches any over-read */
        memcpy(copy, req, n);
        assert_int_equal(vf_wire_decode_request(copy, n, &out, &why), -EPROTO);
        assert_non_null(why);
        assert_null(out.code);
        free(copy);
    }
    for (size_t n = 0; n < rep_size; n++) {
        vf_result out;
        uint8_t *copy = malloc(n ? n : 1);
        memcpy(copy, rep, n);
        assert_int_equal(vf_wire_decode_reply(copy, n, &out, NULL), -EPROTO);
        assert_int_equal(out.verdict, VF_ERROR);
        assert_null(out.state);
        free(copy);
    }
    uint8_t *longer = calloc(1, req_size + 1);
    memcpy(longer, req, req_size);
    vf_wire_request out;
    assert_int_equal(vf_wire_decode_request(longer, req_size + 1, &out, NULL), -EPROTO);
    free(longer);
    free(req);
    free(rep);
}

static uint64_t rng_state;
static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* Random byte changes: refused, or decoded into something that encodes back to the same bytes. */
static void test_random_corruption(void **state)
{
    (void)state;
    const char *seed = getenv("VF_TEST_SEED");
    rng_state = seed ? strtoull(seed, NULL, 0) : 0x9e3779b97f4a7c15ull;
    if (!rng_state)
        rng_state = 1;
    printf("vf_wire corruption seed: %#llx\n", (unsigned long long)rng_state);
    vf_input in = sample_input();
    uint8_t *req, *rep;
    size_t req_size, rep_size;
    assert_int_equal(vf_wire_encode_request(&in, 0, &req, &req_size), 0);
    vf_result res = { .verdict = VF_REJECT, .insn = 2, .state = "r1: ctx" };
    snprintf(res.message, sizeof res.message, "because");
    assert_int_equal(vf_wire_encode_reply(&res, &rep, &rep_size), 0);
    size_t decoded = 0, refused = 0;
    for (int round = 0; round < CORRUPTIONS; round++) {
        bool is_req = round % 2 == 0;
        size_t size = is_req ? req_size : rep_size;
        uint8_t *msg = malloc(size);
        memcpy(msg, is_req ? req : rep, size);
        int flips = 1 + (int)(rng() % 4);
        for (int f = 0; f < flips; f++)
            msg[rng() % size] ^= (uint8_t)(1u << (rng() % 8));
        uint8_t *again = NULL;
        size_t again_size = 0;
        if (is_req) {
            vf_wire_request out;
            if (vf_wire_decode_request(msg, size, &out, NULL) == 0) {
                decoded++;
                assert_int_equal(vf_wire_encode_request(&out.input, out.hooks, &again, &again_size), 0);
                vf_wire_request_free(&out);
            } else {
                refused++;
            }
        } else {
            vf_result out;
            if (vf_wire_decode_reply(msg, size, &out, NULL) == 0) {
                decoded++;
                assert_int_equal(vf_wire_encode_reply(&out, &again, &again_size), 0);
                free(out.state);
            } else {
                refused++;
            }
        }
        if (again) {
            assert_int_equal(again_size, size);
            assert_memory_equal(again, msg, size);
            free(again);
        }
        free(msg);
    }
    assert_true(decoded > 0 && refused > 0); /* both outcomes were exercised */
    free(req);
    free(rep);
}

/* Patches a little-endian u32 at offset. */
static void put32(uint8_t *p, size_t off, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[off + (size_t)i] = (uint8_t)(v >> (8 * i));
}

static int decode_req(uint8_t *msg, size_t size, const char **why)
{
    vf_wire_request out;
    int rc = vf_wire_decode_request(msg, size, &out, why);
    if (rc == 0)
        vf_wire_request_free(&out);
    return rc;
}

static void test_header_and_limits(void **state)
{
    (void)state;
    vf_input in = sample_input();
    uint8_t *msg;
    size_t size;
    const char *why;
    assert_int_equal(vf_wire_encode_request(&in, 0, &msg, &size), 0);
    uint8_t *bad = malloc(size);
    struct {
        size_t off;
        uint32_t value;
        const char *reason;
    } cases[] = {
        { 0, 0x12345678u, "not a verifier message (bad magic)" },
        { 4, 2u, "unsupported message version" },         /* version 2, kind 0 */
        { 4, 1u | (2u << 16), "unexpected message kind" }, /* a reply where a request is due */
        { 12, 1u, "reserved header field is not zero" },
        { 8, VF_WIRE_MAX_PAYLOAD + 1u, "payload over the size limit" },
        { 24, 0x100u, "unknown verifier flag" },
        { 28, 0x80u, "unknown test hook" },
        { 32, VF_WIRE_MAX_INSNS + 1u, "count over its limit" },
        { 36, VF_WIRE_MAX_MAPS + 1u, "count over its limit" },
        { 40, VF_WIRE_MAX_FUNCS + 1u, "count over its limit" },
        { 32, 100000u, "counts larger than the message" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        memcpy(bad, msg, size);
        put32(bad, cases[i].off, cases[i].value);
        why = NULL;
        assert_int_equal(decode_req(bad, size, &why), -EPROTO);
        assert_string_equal(why, cases[i].reason);
    }
    /* inner map index out of range: map 0's inner field (offset 16 header + 28 + 6 slots * 8 + 20). */
    size_t map0_inner = 16 + 28 + 6 * 8 + 20;
    memcpy(bad, msg, size);
    put32(bad, map0_inner, 3);
    assert_int_equal(decode_req(bad, size, &why), -EPROTO);
    assert_string_equal(why, "inner map index out of range");
    memcpy(bad, msg, size);
    bad[map0_inner + 4] = 2; /* read_only */
    assert_int_equal(decode_req(bad, size, &why), -EPROTO);
    assert_string_equal(why, "read_only is not 0 or 1");
    /* func 0: entry(4) arg_count(1) then args; arg_count 6 */
    size_t func0 = 16 + 28 + 6 * 8 + 3 * 25;
    memcpy(bad, msg, size);
    bad[func0 + 4] = 6;
    assert_int_equal(decode_req(bad, size, &why), -EPROTO);
    memcpy(bad, msg, size);
    bad[func0 + 5] = VF_ARG_UNSUPPORTED + 1; /* kind of arg 0 */
    assert_int_equal(decode_req(bad, size, &why), -EPROTO);
    assert_string_equal(why, "unknown argument kind");
    memcpy(bad, msg, size);
    bad[func0 + 5 + 5 * 2] = 1; /* kind of arg 2, unused */
    assert_int_equal(decode_req(bad, size, &why), -EPROTO);
    assert_string_equal(why, "unused argument slot is not zero");
    memcpy(bad, msg, size);
    bad[func0 + 32] = 0; /* first byte of the name becomes NUL */
    assert_int_equal(decode_req(bad, size, &why), -EPROTO);
    assert_string_equal(why, "function name holds a NUL byte");
    free(bad);
    free(msg);

    /* Encoding refuses what decoding would. */
    char long_name[VF_WIRE_MAX_NAME + 2];
    memset(long_name, 'a', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = 0;
    in = sample_input();
    sample_funcs[0].name = long_name;
    assert_int_equal(vf_wire_encode_request(&in, 0, &msg, &size), -E2BIG);
    in = sample_input();
    in.flags = 0x80;
    assert_int_equal(vf_wire_encode_request(&in, 0, &msg, &size), -E2BIG);
    in = sample_input();
    assert_int_equal(vf_wire_encode_request(&in, 0x100, &msg, &size), -E2BIG);
}

static void test_reply_limits(void **state)
{
    (void)state;
    vf_result res = { .verdict = VF_REJECT, .insn = 1 };
    snprintf(res.message, sizeof res.message, "m");
    uint8_t *msg;
    size_t size;
    assert_int_equal(vf_wire_encode_reply(&res, &msg, &size), 0);
    uint8_t *bad = malloc(size);
    const char *why;
    vf_result out;
    memcpy(bad, msg, size);
    put32(bad, 16, 3); /* verdict */
    assert_int_equal(vf_wire_decode_reply(bad, size, &out, &why), -EPROTO);
    assert_string_equal(why, "unknown verdict");
    memcpy(bad, msg, size);
    put32(bad, 20, 0xfffffff0u); /* insn low half: -16 with the high half below */
    put32(bad, 24, 0xffffffffu);
    assert_int_equal(vf_wire_decode_reply(bad, size, &out, &why), -EPROTO);
    assert_string_equal(why, "instruction index out of range");
    memcpy(bad, msg, size);
    bad[16 + 20 + 2] = 0; /* the message's one byte becomes NUL */
    assert_int_equal(vf_wire_decode_reply(bad, size, &out, &why), -EPROTO);
    assert_string_equal(why, "bad message text");
    memcpy(bad, msg, size);
    put32(bad, 16 + 20 + 2 + 1, VF_WIRE_MAX_STATE + 1u);
    assert_int_equal(vf_wire_decode_reply(bad, size, &out, &why), -EPROTO);
    assert_string_equal(why, "state text over the size limit");
    free(bad);
    free(msg);
    /* A state over the limit is not encoded. */
    res.state = malloc(VF_WIRE_MAX_STATE + 2);
    memset(res.state, 'x', VF_WIRE_MAX_STATE + 1);
    res.state[VF_WIRE_MAX_STATE + 1] = 0;
    assert_int_equal(vf_wire_encode_reply(&res, &msg, &size), -E2BIG);
    free(res.state);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_request_round_trip), cmocka_unit_test(test_empty_request),
        cmocka_unit_test(test_reply_round_trip),   cmocka_unit_test(test_every_truncation),
        cmocka_unit_test(test_random_corruption),  cmocka_unit_test(test_header_and_limits),
        cmocka_unit_test(test_reply_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
