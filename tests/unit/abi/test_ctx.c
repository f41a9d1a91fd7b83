/*
 * test_ctx.c - src/abi's context layouts and program types: every field's offset and size equal the
 * UAPI structs of <linux/bpf.h> (when installed), and abi_ctx_access allows exactly the reads and
 * writes Linux allows for the cases that matter to programs (whole fields, narrow reads, arrays,
 * pointer fields, per-type write permission, raw contexts).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "abi/abi_ctx.h"
#include "abi/abi_prog.h"

#ifdef HAVE_LINUX_BPF_H
#include <linux/bpf.h>
#endif

static const abi_ctx_field *field_named(abi_ctx_layout layout, const char *name)
{
    size_t count;
    const abi_ctx_field *f = abi_ctx_fields(layout, &count);
    for (size_t i = 0; i < count; i++)
        if (strcmp(f[i].name, name) == 0)
            return &f[i];
    return NULL;
}

#ifdef HAVE_LINUX_BPF_H
#define CHECK_FIELD(LAYOUT, STRUCT, NAME)                                                   \
    do {                                                                                    \
        const abi_ctx_field *f = field_named(ABI_CTX_##LAYOUT, #NAME);                      \
        assert_non_null(f);                                                                 \
        assert_int_equal(f->offset, offsetof(struct STRUCT, NAME));                         \
        assert_int_equal(f->size, sizeof(((struct STRUCT *)0)->NAME));                      \
    } while (0)

static void test_layouts_match_uapi(void **state)
{
    (void)state;
    assert_int_equal(abi_ctx_desc_of(ABI_CTX_XDP)->size, sizeof(struct xdp_md));
    assert_int_equal(abi_ctx_desc_of(ABI_CTX_SKB)->size, sizeof(struct __sk_buff));
    assert_int_equal(abi_ctx_desc_of(ABI_CTX_SOCK_ADDR)->size, sizeof(struct bpf_sock_addr));
    CHECK_FIELD(XDP, xdp_md, data);
    CHECK_FIELD(XDP, xdp_md, data_end);
    CHECK_FIELD(XDP, xdp_md, data_meta);
    CHECK_FIELD(XDP, xdp_md, ingress_ifindex);
    CHECK_FIELD(XDP, xdp_md, rx_queue_index);
    CHECK_FIELD(XDP, xdp_md, egress_ifindex);
    CHECK_FIELD(SKB, __sk_buff, len);
    CHECK_FIELD(SKB, __sk_buff, mark);
    CHECK_FIELD(SKB, __sk_buff, protocol);
    CHECK_FIELD(SKB, __sk_buff, cb);
    CHECK_FIELD(SKB, __sk_buff, tc_classid);
    CHECK_FIELD(SKB, __sk_buff, data);
    CHECK_FIELD(SKB, __sk_buff, data_end);
    CHECK_FIELD(SKB, __sk_buff, napi_id);
    CHECK_FIELD(SKB, __sk_buff, remote_ip6);
    CHECK_FIELD(SKB, __sk_buff, local_port);
    CHECK_FIELD(SKB, __sk_buff, data_meta);
    CHECK_FIELD(SKB, __sk_buff, flow_keys);
    CHECK_FIELD(SKB, __sk_buff, tstamp);
    CHECK_FIELD(SKB, __sk_buff, sk);
    CHECK_FIELD(SKB, __sk_buff, gso_size);
    CHECK_FIELD(SKB, __sk_buff, tstamp_type);
    CHECK_FIELD(SKB, __sk_buff, hwtstamp);
    CHECK_FIELD(SOCK_ADDR, bpf_sock_addr, user_family);
    CHECK_FIELD(SOCK_ADDR, bpf_sock_addr, user_ip4);
    CHECK_FIELD(SOCK_ADDR, bpf_sock_addr, user_ip6);
    CHECK_FIELD(SOCK_ADDR, bpf_sock_addr, user_port);
    CHECK_FIELD(SOCK_ADDR, bpf_sock_addr, protocol);
    CHECK_FIELD(SOCK_ADDR, bpf_sock_addr, msg_src_ip6);
    CHECK_FIELD(SOCK_ADDR, bpf_sock_addr, sk);
    /* Newer UAPIs append skb_hwtstamp (224 bytes); older installed headers end at skb_tcp_flags. */
    assert_true(abi_ctx_desc_of(ABI_CTX_SOCK_OPS)->size >= sizeof(struct bpf_sock_ops));
    CHECK_FIELD(SOCK_OPS, bpf_sock_ops, op);
    CHECK_FIELD(SOCK_OPS, bpf_sock_ops, reply);
    CHECK_FIELD(SOCK_OPS, bpf_sock_ops, family);
    CHECK_FIELD(SOCK_OPS, bpf_sock_ops, remote_ip4);
    CHECK_FIELD(SOCK_OPS, bpf_sock_ops, local_ip4);
    CHECK_FIELD(SOCK_OPS, bpf_sock_ops, remote_ip6);
    CHECK_FIELD(SOCK_OPS, bpf_sock_ops, local_ip6);
    CHECK_FIELD(SOCK_OPS, bpf_sock_ops, remote_port);
    CHECK_FIELD(SOCK_OPS, bpf_sock_ops, local_port);
    CHECK_FIELD(SOCK_OPS, bpf_sock_ops, is_fullsock);
    CHECK_FIELD(SOCK_OPS, bpf_sock_ops, snd_cwnd);
    CHECK_FIELD(SOCK_OPS, bpf_sock_ops, srtt_us);
    CHECK_FIELD(SOCK_OPS, bpf_sock_ops, bpf_sock_ops_cb_flags);
    CHECK_FIELD(SOCK_OPS, bpf_sock_ops, state);
    CHECK_FIELD(SOCK_OPS, bpf_sock_ops, rtt_min);
    CHECK_FIELD(SOCK_OPS, bpf_sock_ops, snd_ssthresh);
    CHECK_FIELD(SOCK_OPS, bpf_sock_ops, rcv_nxt);
    CHECK_FIELD(SOCK_OPS, bpf_sock_ops, snd_nxt);
    CHECK_FIELD(SOCK_OPS, bpf_sock_ops, snd_una);
    CHECK_FIELD(SOCK_OPS, bpf_sock_ops, mss_cache);
    CHECK_FIELD(SOCK_OPS, bpf_sock_ops, ecn_flags);
    CHECK_FIELD(SOCK_OPS, bpf_sock_ops, rate_delivered);
    CHECK_FIELD(SOCK_OPS, bpf_sock_ops, rate_interval_us);
    CHECK_FIELD(SOCK_OPS, bpf_sock_ops, packets_out);
    CHECK_FIELD(SOCK_OPS, bpf_sock_ops, retrans_out);
    CHECK_FIELD(SOCK_OPS, bpf_sock_ops, total_retrans);
    CHECK_FIELD(SOCK_OPS, bpf_sock_ops, segs_in);
    CHECK_FIELD(SOCK_OPS, bpf_sock_ops, data_segs_in);
    CHECK_FIELD(SOCK_OPS, bpf_sock_ops, segs_out);
    CHECK_FIELD(SOCK_OPS, bpf_sock_ops, data_segs_out);
    CHECK_FIELD(SOCK_OPS, bpf_sock_ops, lost_out);
    CHECK_FIELD(SOCK_OPS, bpf_sock_ops, sacked_out);
    CHECK_FIELD(SOCK_OPS, bpf_sock_ops, sk_txhash);
    CHECK_FIELD(SOCK_OPS, bpf_sock_ops, bytes_received);
    CHECK_FIELD(SOCK_OPS, bpf_sock_ops, bytes_acked);
    CHECK_FIELD(SOCK_OPS, bpf_sock_ops, sk);
    CHECK_FIELD(SOCK_OPS, bpf_sock_ops, skb_len);
    CHECK_FIELD(SOCK_OPS, bpf_sock_ops, skb_tcp_flags);
    const abi_ctx_field *rest = field_named(ABI_CTX_SOCK_OPS, "args_1_3");
    assert_non_null(rest);
    assert_int_equal(rest->offset, offsetof(struct bpf_sock_ops, args[1]));
    assert_int_equal(rest->offset + rest->size, offsetof(struct bpf_sock_ops, family));
}
#else
static void test_layouts_match_uapi(void **state)
{
    (void)state;
    skip(); /* no <linux/bpf.h> on this host: the table cannot be compared with the UAPI */
}
#endif

/* Fields of a layout are in offset order, do not overlap and stay inside the struct. */
static void test_layouts_are_consistent(void **state)
{
    (void)state;
    for (int l = 0; l < ABI_CTX_LAYOUT_COUNT; l++) {
        const abi_ctx_desc *d = abi_ctx_desc_of((abi_ctx_layout)l);
        assert_non_null(d);
        size_t count;
        const abi_ctx_field *f = abi_ctx_fields(d->layout, &count);
        assert_true(d->raw ? count == 0 : count > 0 || d->size == 0);
        uint32_t end = 0;
        for (size_t i = 0; i < count; i++) {
            assert_true(f[i].offset >= end);
            end = f[i].offset + f[i].size;
            assert_true(end <= d->size);
        }
    }
    assert_null(abi_ctx_desc_of(ABI_CTX_LAYOUT_COUNT));
}

static bool allowed(uint32_t type, int64_t off, uint32_t size, bool write)
{
    const char *why = NULL;
    const abi_ctx_field *f = abi_ctx_access(type, 0, off, size, write, &why);
    if (!f)
        assert_non_null(why);
    return f != NULL;
}

static void test_xdp_access(void **state)
{
    (void)state;
    assert_true(allowed(ABI_PROG_XDP, 0, 4, false));   /* data */
    assert_true(allowed(ABI_PROG_XDP, 4, 4, false));   /* data_end */
    assert_false(allowed(ABI_PROG_XDP, 0, 2, false));  /* narrow read of a pointer field */
    assert_false(allowed(ABI_PROG_XDP, 0, 8, false));  /* data and data_end at once */
    assert_false(allowed(ABI_PROG_XDP, 0, 4, true));   /* data is read-only */
    assert_true(allowed(ABI_PROG_XDP, 12, 2, false));  /* narrow ingress_ifindex */
    assert_false(allowed(ABI_PROG_XDP, 13, 2, false)); /* misaligned */
    assert_false(allowed(ABI_PROG_XDP, 24, 4, false)); /* past the end */
    assert_false(allowed(ABI_PROG_XDP, -4, 4, false));
    assert_false(allowed(ABI_PROG_XDP, 12, 3, false)); /* odd size */
}

static void test_skb_access(void **state)
{
    (void)state;
    assert_true(allowed(ABI_PROG_SOCKET_FILTER, 0, 4, false));   /* len */
    assert_false(allowed(ABI_PROG_SOCKET_FILTER, 8, 4, true));   /* mark: not for socket filters */
    assert_true(allowed(ABI_PROG_SCHED_CLS, 8, 4, true));        /* mark: tc may write */
    assert_true(allowed(ABI_PROG_CGROUP_SKB, 8, 4, true));
    assert_false(allowed(ABI_PROG_SCHED_CLS, 8, 2, true));       /* narrow writes never */
    assert_true(allowed(ABI_PROG_SOCKET_FILTER, 48 + 16, 4, true)); /* cb[4] */
    assert_false(allowed(ABI_PROG_SOCKET_FILTER, 48 + 16, 8, true)); /* past cb */
    assert_true(allowed(ABI_PROG_SCHED_CLS, 76, 4, false));      /* data */
    assert_false(allowed(ABI_PROG_SCHED_CLS, 76, 8, false));
    assert_false(allowed(ABI_PROG_SCHED_CLS, 88, 4, false));     /* family: sk_skb and cgroup_skb only */
    assert_true(allowed(ABI_PROG_SK_SKB, 88, 4, false));
    assert_true(allowed(ABI_PROG_SCHED_CLS, 168, 8, false));     /* sk pointer */
    assert_false(allowed(ABI_PROG_SCHED_CLS, 168, 4, false));
    assert_false(allowed(ABI_PROG_SCHED_CLS, 181, 1, false));    /* padding */
    assert_false(allowed(ABI_PROG_SOCKET_FILTER, 76, 4, false)); /* no direct packet access */
    assert_true(allowed(ABI_PROG_CGROUP_SKB, 76, 4, false));
    assert_false(allowed(ABI_PROG_CGROUP_SKB, 140, 4, false));   /* data_meta: tc only */
    assert_true(allowed(ABI_PROG_SCHED_ACT, 140, 4, false));
    assert_false(allowed(ABI_PROG_LWT_IN, 72, 4, false));        /* tc_classid: tc only */
    assert_true(allowed(ABI_PROG_LWT_XMIT, 8, 4, true));         /* lwt may write mark */
    assert_false(allowed(ABI_PROG_SCHED_CLS, 144, 8, false));    /* flow_keys: flow dissector only */
    assert_true(allowed(ABI_PROG_FLOW_DISSECTOR, 144, 8, false));
    /* found by progs.kernel against Linux 6.18: */
    assert_true(allowed(ABI_PROG_CGROUP_SKB, 152, 8, true));     /* tstamp: cgroup_skb may write it */
    assert_false(allowed(ABI_PROG_LWT_IN, 152, 8, true));
    assert_true(allowed(ABI_PROG_CGROUP_SKB, 88, 1, false));     /* family and ports: narrow reads */
    assert_true(allowed(ABI_PROG_CGROUP_SKB, 132, 2, false));
    assert_false(allowed(ABI_PROG_CGROUP_SKB, 99, 1, false));    /* addresses: whole only */
    assert_false(allowed(ABI_PROG_CGROUP_SKB, 94, 2, false));
    assert_false(allowed(ABI_PROG_CGROUP_SKB, 120, 1, false));
    assert_true(allowed(ABI_PROG_CGROUP_SKB, 120, 4, false));
    assert_true(allowed(ABI_PROG_SCHED_CLS, 180, 1, false));     /* tstamp_type: tc only */
    assert_true(allowed(ABI_PROG_SCHED_ACT, 180, 1, false));
    assert_false(allowed(ABI_PROG_SOCKET_FILTER, 180, 1, false));
    assert_false(allowed(ABI_PROG_CGROUP_SKB, 180, 1, false));
}

static void test_sock_addr_access(void **state)
{
    (void)state;
    assert_true(allowed(ABI_PROG_CGROUP_SOCK_ADDR, 4, 4, true));   /* user_ip4 */
    assert_true(allowed(ABI_PROG_CGROUP_SOCK_ADDR, 4, 1, false));
    assert_true(allowed(ABI_PROG_CGROUP_SOCK_ADDR, 8, 8, true));   /* user_ip6[0..1] */
    assert_false(allowed(ABI_PROG_CGROUP_SOCK_ADDR, 12, 8, false)); /* 8 bytes must be 8-aligned */
    assert_false(allowed(ABI_PROG_CGROUP_SOCK_ADDR, 0, 4, true));  /* user_family is read-only */
    assert_false(allowed(ABI_PROG_CGROUP_SOCK_ADDR, 28, 2, false)); /* family: whole reads only */
    assert_true(allowed(ABI_PROG_CGROUP_SOCK_ADDR, 24, 4, true));  /* user_port */
}

static void test_sock_ops_access(void **state)
{
    (void)state;
    assert_true(allowed(ABI_PROG_SOCK_OPS, 0, 4, false));     /* op */
    assert_true(allowed(ABI_PROG_SOCK_OPS, 4, 4, true));      /* reply */
    assert_true(allowed(ABI_PROG_SOCK_OPS, 12, 4, false));    /* args[2] */
    assert_false(allowed(ABI_PROG_SOCK_OPS, 12, 4, true));    /* replylong[2]: Linux writes reply only */
    assert_false(allowed(ABI_PROG_SOCK_OPS, 0, 4, true));     /* op is read-only */
    assert_false(allowed(ABI_PROG_SOCK_OPS, 20, 2, false));   /* family: whole reads only */
    assert_true(allowed(ABI_PROG_SOCK_OPS, 164, 4, true));    /* sk_txhash */
    assert_true(allowed(ABI_PROG_SOCK_OPS, 168, 8, false));   /* bytes_received */
    assert_false(allowed(ABI_PROG_SOCK_OPS, 168, 4, false));
    assert_true(allowed(ABI_PROG_SOCK_OPS, 184, 8, false));   /* sk */
    assert_false(allowed(ABI_PROG_SOCK_OPS, 192, 8, false));  /* skb_data: not modelled, refused */
    assert_false(allowed(ABI_PROG_SOCK_OPS, 200, 8, false));  /* skb_data_end */
    assert_true(allowed(ABI_PROG_SOCK_OPS, 212, 1, false));   /* skb_tcp_flags: narrow reads */
    assert_false(allowed(ABI_PROG_SOCK_OPS, 224, 4, false));
    const char *why;
    assert_int_equal(abi_ctx_access(ABI_PROG_SOCK_OPS, 0, 184, 8, false, &why)->kind, ABI_CTX_KIND_SOCK);
}

static void test_raw_and_generic(void **state)
{
    (void)state;
    assert_true(allowed(ABI_PROG_KPROBE, 160, 8, false));
    assert_false(allowed(ABI_PROG_KPROBE, 164, 8, false)); /* misaligned */
    assert_false(allowed(ABI_PROG_KPROBE, 168, 8, false)); /* past pt_regs */
    assert_false(allowed(ABI_PROG_KPROBE, 0, 8, true));
    const char *why;
    assert_null(abi_ctx_access(ABI_PROG_GENERIC, 0, 0, 4, false, &why));
    assert_non_null(abi_ctx_access(ABI_PROG_GENERIC, 64, 56, 8, false, &why));
    assert_null(abi_ctx_access(ABI_PROG_GENERIC, 64, 64, 8, false, &why));
    assert_false(allowed(ABI_PROG_LIRC_MODE2, 0, 4, false));
}

static void test_prog_types(void **state)
{
    (void)state;
    assert_string_equal(abi_prog_type_name(ABI_PROG_XDP), "xdp");
    assert_string_equal(abi_prog_type_name(12345), "unknown");
    assert_int_equal(abi_prog_type_by_id(ABI_PROG_CGROUP_SOCK_ADDR)->ret_max, 1);
    const abi_helper *adjust_head = abi_helper_by_name("xdp_adjust_head");
    const abi_helper *load_bytes = abi_helper_by_name("skb_load_bytes");
    const abi_helper *lookup = abi_helper_by_name("map_lookup_elem");
    assert_true(abi_prog_may_call(ABI_PROG_XDP, adjust_head));
    assert_false(abi_prog_may_call(ABI_PROG_SCHED_CLS, adjust_head));
    assert_true(abi_prog_may_call(ABI_PROG_SCHED_CLS, load_bytes));
    assert_false(abi_prog_may_call(ABI_PROG_CGROUP_SOCK_ADDR, load_bytes));
    assert_true(abi_prog_may_call(ABI_PROG_GENERIC, lookup));
    /* the skb editing helpers, per type as Linux 6.18 loads them */
    const abi_helper *store = abi_helper_by_name("skb_store_bytes"), *l4 = abi_helper_by_name("l4_csum_replace");
    const abi_helper *diff = abi_helper_by_name("csum_diff"), *redirect = abi_helper_by_name("redirect");
    assert_true(abi_prog_may_call(ABI_PROG_SCHED_CLS, store) && abi_prog_may_call(ABI_PROG_SCHED_ACT, l4));
    assert_true(abi_prog_may_call(ABI_PROG_LWT_XMIT, l4) && abi_prog_may_call(ABI_PROG_LWT_XMIT, redirect));
    assert_true(abi_prog_may_call(ABI_PROG_LWT_IN, diff) && abi_prog_may_call(ABI_PROG_XDP, diff));
    assert_true(abi_prog_may_call(ABI_PROG_SK_SKB, store) && abi_prog_may_call(ABI_PROG_XDP, redirect));
    assert_false(abi_prog_may_call(ABI_PROG_CGROUP_SKB, diff) || abi_prog_may_call(ABI_PROG_CGROUP_SKB, store));
    assert_false(abi_prog_may_call(ABI_PROG_SOCKET_FILTER, diff));
    assert_false(abi_prog_may_call(ABI_PROG_SOCKET_FILTER, redirect));
    assert_false(abi_prog_may_call(ABI_PROG_LWT_OUT, redirect) || abi_prog_may_call(ABI_PROG_LWT_IN, store));
    assert_false(abi_prog_may_call(ABI_PROG_SK_SKB, l4) || abi_prog_may_call(ABI_PROG_FLOW_DISSECTOR, diff));
    assert_false(abi_prog_may_call(ABI_PROG_XDP, abi_helper_by_id(0)));
    assert_false(abi_prog_may_call(999, lookup));
    const abi_helper *setsockopt = abi_helper_by_name("setsockopt");
    const abi_helper *getsockopt = abi_helper_by_name("bpf_getsockopt");
    assert_true(abi_prog_may_call(ABI_PROG_SOCK_OPS, setsockopt));
    assert_true(abi_prog_may_call(ABI_PROG_CGROUP_SOCK_ADDR, getsockopt));
    assert_false(abi_prog_may_call(ABI_PROG_SCHED_CLS, setsockopt));
    assert_int_equal(setsockopt->args[3], ABI_ARG_MEM);
    assert_int_equal(getsockopt->args[3], ABI_ARG_UNINIT_MEM);
    assert_int_equal(getsockopt->args[4], ABI_ARG_SIZE);
    assert_true(abi_prog_may_call(ABI_PROG_SCHED_CLS, abi_helper_by_name("skb_under_cgroup")));
    assert_true(abi_prog_may_call(ABI_PROG_SCHED_CLS, abi_helper_by_name("skb_get_tunnel_opt")));
    assert_true(abi_prog_may_call(ABI_PROG_SCHED_ACT, abi_helper_by_name("skb_set_tunnel_opt")));
    assert_false(abi_prog_may_call(ABI_PROG_XDP, abi_helper_by_name("skb_set_tunnel_opt")));
    assert_true(abi_prog_may_call(ABI_PROG_KPROBE, abi_helper_by_name("current_task_under_cgroup")));
    assert_false(abi_prog_may_call(ABI_PROG_XDP, abi_helper_by_name("current_task_under_cgroup")));
    assert_int_equal(abi_helper_by_name("skb_get_tunnel_opt")->args[1], ABI_ARG_UNINIT_MEM);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layouts_match_uapi), cmocka_unit_test(test_layouts_are_consistent),
        cmocka_unit_test(test_xdp_access),         cmocka_unit_test(test_skb_access),
        cmocka_unit_test(test_sock_addr_access),   cmocka_unit_test(test_sock_ops_access),
        cmocka_unit_test(test_raw_and_generic),
        cmocka_unit_test(test_prog_types),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
