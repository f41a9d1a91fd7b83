/*
 * test_csum.c - checksum arithmetic and helpers: the RFC 1071 example, RFC 1624's incremental update
 * example (eqn. 3 gives 0x0000 where eqn. 2 gave 0xffff), incremental == full recomputation over many
 * random headers, bpf_csum_diff folding (push, pull, diff, seeds, odd sizes, Linux 6.13+ results),
 * and bpf_l3_csum_replace / bpf_l4_csum_replace on an IPv4/UDP packet: 2- and 4-byte fields, the
 * csum_diff route, the UDP pseudo header, BPF_F_MARK_MANGLED_0, and their argument errors.
 */
#include "helpers_test.h"

/* RFC 1071 over big-endian words: the checksum value (as a number) of n bytes, from init. */
static uint16_t ref_csum(const uint8_t *p, size_t n, uint32_t init)
{
    uint32_t sum = init;
    for (size_t i = 0; i + 1 < n; i += 2)
        sum += (uint32_t)p[i] << 8 | p[i + 1];
    if (n & 1)
        sum += (uint32_t)p[n - 1] << 8;
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static uint16_t get16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static uint16_t load16(const void *p)
{
    uint16_t v;
    memcpy(&v, p, 2);
    return v;
}

static uint32_t load32(const void *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

static void test_rfc1071_example(void **state)
{
    (void)state;
    const uint8_t bytes[8] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };
    uint16_t sum = helper_csum_from32to16(helper_csum_partial(bytes, 8, 0));
    uint8_t out[2];
    memcpy(out, &sum, 2); /* native value of network-order words: bytes come out in order */
    assert_int_equal(out[0], 0xdd);
    assert_int_equal(out[1], 0xf2);
    assert_int_equal(ref_csum(bytes, 8, 0), 0x220d);
    assert_int_equal(helper_csum_fold(helper_csum_partial(bytes, 8, 0)), (uint16_t)~sum);
    assert_int_equal(helper_csum_partial(NULL, 0, 0x1234), 0x1234);
}

static void test_rfc1624_example(void **state)
{
    (void)state;
    uint16_t sum = 0xdd2f;
    helper_csum_replace2(&sum, 0x5555, 0x3285);
    assert_int_equal(sum, 0x0000);
    sum = 0xdd2f; /* the same change as a 4-byte field with an unchanged half */
    helper_csum_replace4(&sum, 0x00005555, 0x00003285);
    assert_int_equal(sum, 0x0000);
    sum = 0xdd2f;
    helper_csum_replace_by_diff(&sum, helper_csum_add(~0x5555u & 0xffff, 0x3285));
    assert_int_equal(sum, 0x0000);
}

/* A tiny deterministic generator for the property tests. */
static uint32_t lcg(uint32_t *s)
{
    *s = *s * 1664525u + 1013904223u;
    return *s >> 8;
}

static void test_incremental_matches_full(void **state)
{
    (void)state;
    uint32_t seed = 12345;
    for (int round = 0; round < 2000; round++) {
        uint8_t hdr[20];
        for (int i = 0; i < 20; i++)
            hdr[i] = (uint8_t)lcg(&seed);
        put16(hdr + 10, 0);
        put16(hdr + 10, ref_csum(hdr, 20, 0));
        int off = (int)(lcg(&seed) % 4) * 4; /* a 4-byte field before the checksum or after it */
        if (off == 8)
            off = 12;
        uint16_t sum = load16(hdr + 10);
        uint32_t from = load32(hdr + off), to = lcg(&seed) ^ (lcg(&seed) << 16);
        memcpy(hdr + off, &to, 4);
        if (round & 1)
            helper_csum_replace4(&sum, from, to);
        else
            helper_csum_proto_replace4(&sum, from, to);
        memcpy(hdr + 10, &sum, 2);
        uint16_t check = ref_csum(hdr, 20, 0); /* a correct header sums to zero */
        assert_true(check == 0 || check == 0xffff);
        if (check != 0)
            fail_msg("round %d: header does not verify", round);
    }
}

static uint64_t diff(const void *from, uint32_t from_size, const void *to, uint32_t to_size,
                     uint32_t seed)
{
    return HCALL(csum_diff, from, from_size, to, to_size, seed);
}

static void test_csum_diff_vectors(void **state)
{
    (void)state;
    const uint64_t dead[2] = { 0xdeadbeefdeadbeefull, 0xbeefdeadbeefdeadull };
    const uint64_t abab = 0xababababababababull, zero[64] = { 0 };
    /* push: the sum of `to` plus seed */
    assert_int_equal(diff(NULL, 0, dead, 8, 0), 0x3b3b);
    assert_int_equal(diff(NULL, 0, dead, 16, 0x1234), 0x88aa);
    /* pull: minus the sum of `from` */
    assert_int_equal(diff(dead, 8, NULL, 0, 0), 0xc4c4);
    /* diff */
    assert_int_equal(diff(dead, 8, &abab, 8, 0), 0x7373);
    assert_int_equal(diff(zero, 8, &abab, 8, 0), 0xaeae);
    assert_int_equal(diff(dead, 8, zero, 8, 0xffff), 0xc4c4);
    /* nothing to sum: the seed, folded */
    assert_int_equal(diff(NULL, 0, NULL, 0, 0), 0);
    assert_int_equal(diff(NULL, 0, NULL, 0, 0x1234), 0x1234);
    assert_int_equal(diff(NULL, 0, NULL, 0, 0x12345678), 0x68ac);
    assert_int_equal(diff(zero, 512, NULL, 0, 0xffff), 0xffff);
    /* any size (Linux >= 6.13): an odd tail byte is padded with zero, in native word order */
    const uint8_t three[3] = { 1, 2, 3 };
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    assert_int_equal(diff(NULL, 0, three, 3, 0), 0x0204);
#else
    assert_int_equal(diff(NULL, 0, three, 3, 0), 0x0402);
#endif
    /* chaining: two halves with the first result as seed equal one call */
    uint64_t whole = diff(dead, 16, NULL, 0, 0x55);
    assert_int_equal(diff(dead + 1, 8, NULL, 0, (uint32_t)diff(dead, 8, NULL, 0, 0x55)), whole);
}

/* An Ethernet + IPv4 + UDP packet with correct checksums, in a tc run; ref_udp is the UDP checksum
 * it should carry. */
enum { ETH = 14, IP = 14, UDP = 34, PAYLOAD = 42, PKT_LEN = 50 };

static uint16_t ref_udp(const uint8_t *pkt)
{
    uint8_t pseudo[12];
    memcpy(pseudo, pkt + IP + 12, 8);
    pseudo[8] = 0;
    pseudo[9] = 17;
    put16(pseudo + 10, PKT_LEN - UDP);
    uint8_t segment[PKT_LEN - UDP];
    memcpy(segment, pkt + UDP, sizeof segment);
    put16(segment + 6, 0); /* computed with the checksum field zero */
    uint16_t partial = (uint16_t)~ref_csum(pseudo, 12, 0);
    return ref_csum(segment, sizeof segment, partial);
}

static void build_packet(ht_packet *p)
{
    static const uint8_t ip[20] = { 0x45, 0x00, 0x00, 0x24, 0x1c, 0x46, 0x40, 0x00, 0x40, 0x11,
                                    0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7 };
    ht_packet_enter(p, 3 /* sched_cls */, PKT_LEN);
    uint8_t *pkt = ht_data(p);
    memset(pkt, 0xaa, ETH);
    memcpy(pkt + IP, ip, 20);
    put16(pkt + IP + 10, ref_csum(pkt + IP, 20, 0));
    put16(pkt + UDP, 0x1234);
    put16(pkt + UDP + 2, 53);
    put16(pkt + UDP + 4, PKT_LEN - UDP);
    put16(pkt + UDP + 6, 0);
    memcpy(pkt + PAYLOAD, "payload!", 8);
    put16(pkt + UDP + 6, ref_udp(pkt));
}

static void test_l3_l4_replace(void **state)
{
    (void)state;
    ht_packet *p = calloc(1, sizeof *p);
    build_packet(p);
    uint8_t *pkt = ht_data(p);

    /* TTL 64 -> 63: the 2-byte word holding TTL and protocol */
    uint16_t old16 = load16(pkt + IP + 8);
    pkt[IP + 8] = 63;
    uint16_t new16 = load16(pkt + IP + 8);
    assert_int_equal(HCALL(l3_csum_replace, &p->ctx, IP + 10, old16, new16, 2), 0);
    assert_int_equal(ref_csum(pkt + IP, 20, 0), 0);

    /* destination address: IP header (4-byte field) and UDP pseudo header */
    uint32_t old32 = load32(pkt + IP + 16);
    const uint8_t dst[4] = { 10, 1, 2, 3 };
    memcpy(pkt + IP + 16, dst, 4);
    uint32_t new32 = load32(pkt + IP + 16);
    assert_int_equal(HCALL(l3_csum_replace, &p->ctx, IP + 10, old32, new32, 4), 0);
    assert_int_equal(ref_csum(pkt + IP, 20, 0), 0);
    assert_int_equal(HCALL(l4_csum_replace, &p->ctx, UDP + 6, old32, new32, 0x10 | 4), 0);
    assert_int_equal(get16(pkt + UDP + 6), ref_udp(pkt));

    /* source address through bpf_csum_diff and size 0 */
    old32 = load32(pkt + IP + 12);
    const uint8_t src[4] = { 172, 16, 0, 9 };
    memcpy(pkt + IP + 12, src, 4);
    new32 = load32(pkt + IP + 12);
    uint64_t d = diff(&old32, 4, &new32, 4, 0);
    assert_int_equal(HCALL(l3_csum_replace, &p->ctx, IP + 10, 0, d, 0), 0);
    assert_int_equal(ref_csum(pkt + IP, 20, 0), 0);
    assert_int_equal(HCALL(l4_csum_replace, &p->ctx, UDP + 6, 0, d, 0x10), 0);
    assert_int_equal(get16(pkt + UDP + 6), ref_udp(pkt));

    /* destination port: a 2-byte field in the UDP header itself */
    old16 = load16(pkt + UDP + 2);
    put16(pkt + UDP + 2, 5353);
    new16 = load16(pkt + UDP + 2);
    assert_int_equal(HCALL(l4_csum_replace, &p->ctx, UDP + 6, old16, new16, 2), 0);
    assert_int_equal(get16(pkt + UDP + 6), ref_udp(pkt));
    ht_packet_exit();
    free(p);
}

static void test_replace_errors(void **state)
{
    (void)state;
    ht_packet *p = calloc(1, sizeof *p);
    build_packet(p);
    uint8_t before[PKT_LEN];
    memcpy(before, ht_data(p), PKT_LEN);
    assert_int_equal(HCALL(l3_csum_replace, &p->ctx, IP + 10, 0, 0, 0x10), HERR(22)); /* flag */
    assert_int_equal(HCALL(l3_csum_replace, &p->ctx, IP + 10, 0, 0, 3), HERR(22));    /* size */
    assert_int_equal(HCALL(l3_csum_replace, &p->ctx, IP + 10, 1, 0, 0), HERR(22));    /* from */
    assert_int_equal(HCALL(l3_csum_replace, &p->ctx, IP + 11, 0, 0, 2), HERR(14));    /* odd */
    assert_int_equal(HCALL(l3_csum_replace, &p->ctx, PKT_LEN - 1, 0, 0, 2), HERR(14));
    assert_int_equal(HCALL(l3_csum_replace, &p->ctx, PKT_LEN, 0, 0, 2), HERR(14));
    assert_int_equal(HCALL(l3_csum_replace, &p->ctx, 0x10000, 0, 0, 2), HERR(14));
    assert_int_equal(HCALL(l4_csum_replace, &p->ctx, UDP + 6, 0, 0, 0x100), HERR(22));
    assert_int_equal(HCALL(l4_csum_replace, &p->ctx, UDP + 6, 0, 0, 8), HERR(22));
    assert_int_equal(HCALL(l4_csum_replace, &p->ctx, UDP + 7, 0, 0, 2), HERR(14));
    int other_ctx;
    assert_int_equal(HCALL(l3_csum_replace, &other_ctx, IP + 10, 0, 0, 2), HERR(14));
    assert_memory_equal(ht_data(p), before, PKT_LEN);
    ht_packet_exit();
    free(p);
}

static void test_mangled_zero(void **state)
{
    (void)state;
    ht_packet *p = calloc(1, sizeof *p);
    build_packet(p);
    uint8_t *pkt = ht_data(p);
    const uint64_t mangled = 0x20, enforce = 0x40;
    /* a UDP packet without checksum (0) keeps it */
    put16(pkt + UDP + 6, 0);
    assert_int_equal(HCALL(l4_csum_replace, &p->ctx, UDP + 6, 1, 2, mangled | 0x10 | 4), 0);
    assert_int_equal(get16(pkt + UDP + 6), 0);
    /* unless enforced; and a result of zero is written as 0xffff */
    assert_int_equal(HCALL(l4_csum_replace, &p->ctx, UDP + 6, 0, 0, mangled | enforce | 4), 0);
    assert_int_equal(get16(pkt + UDP + 6), 0xffff);
    put16(pkt + UDP + 6, 0);
    assert_int_equal(HCALL(l4_csum_replace, &p->ctx, UDP + 6, 0, 0, 4), 0);
    assert_int_equal(get16(pkt + UDP + 6), 0);
    /* BPF_F_IPV6 is accepted */
    assert_int_equal(HCALL(l4_csum_replace, &p->ctx, UDP + 6, 0, 0, 0x80 | 4), 0);
    ht_packet_exit();
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        HT_TEST(test_rfc1071_example),
        HT_TEST(test_rfc1624_example),
        HT_TEST(test_incremental_matches_full),
        HT_TEST(test_csum_diff_vectors),
        HT_TEST(test_l3_l4_replace),
        HT_TEST(test_replace_errors),
        HT_TEST(test_mangled_zero),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
