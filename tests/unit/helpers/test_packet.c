/*
 * test_packet.c - the packet helpers on a Linux-like XDP frame (4096 bytes, 256 headroom, 320
 * tailroom reserve): xdp_adjust_head/tail/meta limits and the resulting data/data_end/data_meta,
 * metadata moving with adjust_head, zero-filled growth, xdp_get_buff_len, xdp_load/store_bytes
 * bounds; skb_load_bytes / skb_store_bytes bounds, flags and hash invalidation; a wrong context.
 */
#include "helpers_test.h"

#define ADJ(name, p, delta) HCALL(name, &(p)->ctx, (uint64_t)(int64_t)(delta), 0, 0, 0)

static ht_packet *packet(size_t len)
{
    ht_packet *p = calloc(1, sizeof *p);
    ht_packet_enter(p, HELPER_PROG_TYPE_XDP, len);
    return p;
}

static void done(ht_packet *p)
{
    ht_packet_exit();
    free(p);
}

static void test_adjust_head(void **state)
{
    (void)state;
    ht_packet *p = packet(64);
    uint8_t *frame = p->frame;
    /* at most back to the xdp_frame reserve: 256 - 40 bytes */
    assert_int_equal(ADJ(xdp_adjust_head, p, -217), HERR(22));
    assert_int_equal(ADJ(xdp_adjust_head, p, -216), 0);
    assert_ptr_equal(ht_data(p), frame + 40);
    assert_int_equal(ht_len(p), 64 + 216);
    assert_int_equal(p->ctx.data_meta, p->ctx.data); /* empty metadata follows data */
    assert_int_equal(ADJ(xdp_adjust_head, p, 216), 0);
    assert_ptr_equal(ht_data(p), frame + 256);
    assert_int_equal(ht_data(p)[0], 0);
    /* forward: at least ETH_HLEN bytes stay */
    assert_int_equal(ADJ(xdp_adjust_head, p, 51), HERR(22));
    assert_int_equal(ADJ(xdp_adjust_head, p, 50), 0);
    assert_int_equal(ht_len(p), 14);
    assert_int_equal(ht_data(p)[0], 50);
    assert_int_equal(ADJ(xdp_adjust_head, p, 1), HERR(22));
    assert_int_equal(ADJ(xdp_adjust_head, p, (int32_t)0x80000000), HERR(22));
    /* the offset is an int: upper bits of the register are ignored */
    assert_int_equal(HCALL(xdp_adjust_head, &p->ctx, 0xffffffff00000000ull | (uint32_t)-50, 0, 0, 0), 0);
    assert_ptr_equal(ht_data(p), frame + 256);
    done(p);
}

static void test_adjust_head_moves_meta(void **state)
{
    (void)state;
    ht_packet *p = packet(64);
    assert_int_equal(ADJ(xdp_adjust_meta, p, -8), 0);
    uint8_t *meta = (uint8_t *)(uintptr_t)p->ctx.data_meta;
    memcpy(meta, "METADATA", 8);
    /* the metadata needs room in front too */
    assert_int_equal(ADJ(xdp_adjust_head, p, -209), HERR(22));
    assert_int_equal(ADJ(xdp_adjust_head, p, -208), 0);
    assert_int_equal(p->ctx.data - p->ctx.data_meta, 8);
    assert_memory_equal((void *)(uintptr_t)p->ctx.data_meta, "METADATA", 8);
    assert_int_equal(ADJ(xdp_adjust_head, p, 208 + 20), 0);
    assert_int_equal(p->ctx.data - p->ctx.data_meta, 8);
    assert_memory_equal((void *)(uintptr_t)p->ctx.data_meta, "METADATA", 8);
    assert_int_equal(ht_data(p)[0], 20);
    done(p);
}

static void test_adjust_meta(void **state)
{
    (void)state;
    ht_packet *p = packet(64);
    assert_int_equal(ADJ(xdp_adjust_meta, p, -32), 0);
    assert_int_equal(p->ctx.data - p->ctx.data_meta, 32);
    assert_int_equal(ADJ(xdp_adjust_meta, p, -4), 0); /* 36 bytes: more than the 32 old kernels allowed */
    assert_int_equal(ADJ(xdp_adjust_meta, p, 36), 0);
    /* 252 bytes (the largest multiple of 4 in skb_shared_info's u8 meta_len) need more headroom */
    assert_int_equal(ADJ(xdp_adjust_head, p, 40), 0);
    assert_int_equal(ADJ(xdp_adjust_meta, p, -252), 0);
    assert_int_equal(p->ctx.data - p->ctx.data_meta, 252);
    assert_int_equal(ADJ(xdp_adjust_meta, p, -4), HERR(13)); /* 256 bytes do not fit meta_len */
    assert_int_equal(ADJ(xdp_adjust_meta, p, 252), 0);
    assert_int_equal(ADJ(xdp_adjust_head, p, -40), 0);
    assert_int_equal(ADJ(xdp_adjust_meta, p, -32), 0);
    assert_int_equal(ADJ(xdp_adjust_meta, p, 2), HERR(13));  /* 30: not a multiple of 4 */
    assert_int_equal(ADJ(xdp_adjust_meta, p, 33), HERR(22)); /* past data */
    assert_int_equal(ADJ(xdp_adjust_meta, p, 32), 0);
    assert_int_equal(p->ctx.data_meta, p->ctx.data);
    assert_int_equal(ADJ(xdp_adjust_meta, p, 0), 0);
    /* the reserve in front of the headroom */
    assert_int_equal(ADJ(xdp_adjust_head, p, -200), 0);
    assert_int_equal(ADJ(xdp_adjust_meta, p, -20), HERR(22)); /* data is 56 bytes in: 36 < 40 */
    assert_int_equal(ADJ(xdp_adjust_meta, p, -16), 0);
    /* a context without metadata */
    p->run.pkt.data_meta = NULL;
    assert_int_equal(ADJ(xdp_adjust_meta, p, -4), HERR(524));
    assert_int_equal(ADJ(xdp_adjust_head, p, 4), 0);
    /* metadata marked unsupported (data_meta just past data) stays so across adjust_head */
    p->run.pkt.data_meta = &p->ctx.data_meta;
    p->ctx.data_meta = p->ctx.data + 1;
    assert_int_equal(ADJ(xdp_adjust_meta, p, -4), HERR(524));
    assert_int_equal(ADJ(xdp_adjust_head, p, 10), 0);
    assert_int_equal(p->ctx.data_meta, p->ctx.data + 1);
    done(p);
}

static void test_adjust_tail(void **state)
{
    (void)state;
    ht_packet *p = packet(64);
    uint8_t *hard_end = p->frame + HT_FRAME - HELPER_SKB_SHINFO_RESERVE;
    assert_int_equal(ADJ(xdp_adjust_tail, p, -51), HERR(22));
    assert_int_equal(ADJ(xdp_adjust_tail, p, -50), 0);
    assert_int_equal(ht_len(p), 14);
    int64_t room = (int64_t)(hard_end - (ht_data(p) + 14));
    assert_int_equal(ADJ(xdp_adjust_tail, p, room + 1), HERR(22));
    assert_int_equal(ADJ(xdp_adjust_tail, p, room), 0);
    assert_ptr_equal((uint8_t *)(uintptr_t)p->ctx.data_end, hard_end);
    assert_int_equal(ht_len(p), 3520); /* 4096 - 256 - 320: Linux's largest test-run frame */
    for (size_t i = 14; i < ht_len(p); i++)
        if (ht_data(p)[i] != 0)
            fail_msg("byte %zu not zeroed on growth", i);
    assert_int_equal(ht_data(p)[13], 13);
    assert_int_equal(HCALL(xdp_get_buff_len, &p->ctx, 0, 0, 0, 0), 3520);
    done(p);
}

static void test_xdp_load_store(void **state)
{
    (void)state;
    ht_packet *p = packet(64);
    uint8_t buf[16];
    assert_int_equal(HCALL(xdp_load_bytes, &p->ctx, 60, buf, 4, 0), 0);
    assert_int_equal(buf[0], 60);
    assert_int_equal(buf[3], 63);
    assert_int_equal(HCALL(xdp_load_bytes, &p->ctx, 61, buf, 4, 0), HERR(22));
    assert_int_equal(HCALL(xdp_load_bytes, &p->ctx, 0x10000, buf, 4, 0), HERR(14));
    assert_int_equal(HCALL(xdp_load_bytes, &p->ctx, 0, buf, 0x10000, 0), HERR(14));
    assert_int_equal(HCALL(xdp_store_bytes, &p->ctx, 2, "XY", 2, 0), 0);
    assert_memory_equal(ht_data(p) + 1, "\x01XY\x04", 4);
    assert_int_equal(HCALL(xdp_store_bytes, &p->ctx, 63, "XY", 2, 0), HERR(22));
    assert_int_equal(HCALL(xdp_get_buff_len, &p->ctx, 0, 0, 0, 0), 64);
    done(p);
}

static void test_skb_load_store(void **state)
{
    (void)state;
    ht_packet *p = calloc(1, sizeof *p);
    ht_packet_enter(p, 3, 40);
    uint8_t buf[8];
    assert_int_equal(HCALL(skb_load_bytes, &p->ctx, 32, buf, 8, 0), 0);
    assert_int_equal(buf[7], 39);
    memset(buf, 0x55, sizeof buf);
    assert_int_equal(HCALL(skb_load_bytes, &p->ctx, 33, buf, 8, 0), HERR(14));
    assert_int_equal(buf[0], 0); /* zeroed on failure */
    assert_int_equal(buf[7], 0);
    assert_int_equal(HCALL(skb_load_bytes, &p->ctx, 0x80000000u, buf, 1, 0), HERR(14));
    assert_int_equal(HCALL(skb_store_bytes, &p->ctx, 0, "abcd", 4, 0), 0);
    assert_memory_equal(ht_data(p), "abcd", 4);
    assert_int_equal(p->ctx.hash, 0x12345678);
    assert_int_equal(HCALL(skb_store_bytes, &p->ctx, 36, "wxyz", 4, 3), 0); /* both flags */
    assert_memory_equal(ht_data(p) + 36, "wxyz", 4);
    assert_int_equal(p->ctx.hash, 0);
    assert_int_equal(HCALL(skb_store_bytes, &p->ctx, 37, "wxyz", 4, 0), HERR(14));
    assert_int_equal(HCALL(skb_store_bytes, &p->ctx, 0, "wxyz", 4, 4), HERR(22));
    assert_int_equal(HCALL(skb_store_bytes, &p->ctx, 0x80000000u, "w", 1, 0), HERR(14));
    int other;
    assert_int_equal(HCALL(skb_load_bytes, &other, 0, buf, 1, 0), HERR(14));
    assert_int_equal(HCALL(xdp_adjust_head, &other, 0, 0, 0, 0), HERR(22));
    ht_packet_exit();
    assert_int_equal(HCALL(skb_load_bytes, &p->ctx, 0, buf, 1, 0), HERR(14)); /* no run */
    assert_int_equal(HCALL(xdp_get_buff_len, &p->ctx, 0, 0, 0, 0), 0);
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        HT_TEST(test_adjust_head),
        HT_TEST(test_adjust_head_moves_meta),
        HT_TEST(test_adjust_meta),
        HT_TEST(test_adjust_tail),
        HT_TEST(test_xdp_load_store),
        HT_TEST(test_skb_load_store),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
