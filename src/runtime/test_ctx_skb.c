/*
 * test_ctx_skb.c - the __sk_buff test-run context, as Linux's bpf_prog_test_run_skb builds it
 * for the types Linux runs through it (socket_filter, sched_cls, sched_act, cgroup_skb, lwt_in, lwt_out,
 * lwt_xmit, lwt_seg6local; checked against Linux 6.18 with BPF_PROG_TEST_RUN):
 *
 *   frame          +64 (NET_SKB_PAD)  MAC header   L3 ...                  +64+size       +3776
 *   |---- headroom ----|--- 14 bytes ---|--------- packet -----------------|-- tailroom --|-- shinfo --|
 *                      ^ data for sched_cls / sched_act (l2)
 *                                       ^ data for the others, lwt_xmit too (after eth_type_trans)
 *
 *   - data_in is an Ethernet frame of 14 .. 3712 bytes; an IPv4 one must hold its 20-byte IP header and
 *     an IPv6 one its 40-byte header (-EINVAL otherwise, as Linux checks since 6.x);
 *   - protocol is the Ethernet type as Linux stores it (network order in the low 16 bits; below 0x600
 *     it is ETH_P_802_3 or ETH_P_802_2), pkt_type as eth_type_trans sets it on the loopback device
 *     (address and broadcast address 00:00:00:00:00:00): host, multicast (ff:ff:ff:ff:ff:ff too) or
 *     other host;
 *   - len is the frame size (l2) or the size after the MAC header; wire_len defaults to len when the
 *     run has a ctx_in or a ctx_out, and is 0 without either (Linux converts no context then);
 *   - ifindex 1 (loopback); the socket fields (family, local/remote addresses) come from the IP
 *     header as Linux fills its dummy socket: local = source, remote = destination; sk points to that
 *     socket as a struct bpf_sock (read-only): family (0 unless IPv4/IPv6), src_ip4/6 = source,
 *     dst_ip4/6 = destination, state TCP_CLOSE, rx_queue_mapping -1, the rest 0;
 *   - ctx_in (struct __sk_buff) may set only mark, priority, ingress_ifindex, ifindex (0 or 1: the
 *     loopback is the only device, others -ENODEV), cb[], tstamp, wire_len (>= len, <= 65536),
 *     gso_segs (<= 65535), gso_size, hwtstamp; any other non-zero byte is -EINVAL;
 *   - after the run, data_out is the packet from the MAC header (for non-l2 types Linux puts back a
 *     zeroed MAC header, and so does this), ctx_out those same fields, the rest zero.
 */
#include "runtime/test_ctx.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi/abi_prog.h"

#define SKB_FRAME_SIZE 4096u
#define SKB_HEADROOM 64u                 /* NET_SKB_PAD + NET_IP_ALIGN on x86-64 */
#define SKB_MAX_DATA (SKB_FRAME_SIZE - SKB_HEADROOM - HELPER_SKB_SHINFO_RESERVE)
#define SKB_LOOPBACK_IFINDEX 1u
#define SKB_MAX_WIRE_LEN 65536u          /* GSO_LEGACY_MAX_SIZE */
#define SKB_MAX_GSO_SEGS 65535u          /* GSO_MAX_SEGS */
#define ETH_P_802_3_MIN 0x0600u
#define ETH_P_IP 0x0800u
#define ETH_P_IPV6 0x86ddu
#define ETH_P_802_3 0x0001u
#define ETH_P_802_2 0x0004u
#define AF_INET_LINUX 2u
#define AF_INET6_LINUX 10u
enum { PACKET_HOST = 0, PACKET_MULTICAST = 2, PACKET_OTHERHOST = 3 };

/* The fields of struct __sk_buff a test run takes from ctx_in and gives back in ctx_out (Linux's
 * convert___skb_to_skb / convert_skb_to___skb), by UAPI offset and size. */
static const struct { uint16_t offset, size; } skb_ctx_fields[] = {
    { 8, 4 },    /* mark */
    { 32, 4 },   /* priority */
    { 36, 4 },   /* ingress_ifindex */
    { 40, 4 },   /* ifindex */
    { 48, 20 },  /* cb[5] */
    { 152, 8 },  /* tstamp */
    { 160, 4 },  /* wire_len */
    { 164, 4 },  /* gso_segs */
    { 176, 4 },  /* gso_size */
    { 184, 8 },  /* hwtstamp */
};
#define SKB_CTX_FIELD_COUNT (sizeof skb_ctx_fields / sizeof skb_ctx_fields[0])

static bool taken_from_ctx(size_t byte)
{
    for (size_t i = 0; i < SKB_CTX_FIELD_COUNT; i++)
        if (byte >= skb_ctx_fields[i].offset && byte < (size_t)skb_ctx_fields[i].offset + skb_ctx_fields[i].size)
            return true;
    return false;
}

static uint16_t be16_at(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

/* skb->protocol as eth_type_trans finds it, in network order (what the program reads). */
static uint32_t eth_protocol(const uint8_t *frame, size_t size)
{
    uint16_t type = be16_at(frame + 12);
    if (type < ETH_P_802_3_MIN)
        type = size >= 16 && be16_at(frame + 14) == 0xffffu ? ETH_P_802_3 : ETH_P_802_2;
    uint8_t wire[2] = { (uint8_t)(type >> 8), (uint8_t)type };
    uint16_t stored;
    memcpy(&stored, wire, 2);
    return stored;
}

/* eth_type_trans on the loopback device, whose address and broadcast address are both all-zero: so a
 * frame to ff:ff:ff:ff:ff:ff is a multicast one there, not a broadcast (as Linux 6.18 answers). */
static uint32_t eth_pkt_type(const uint8_t *dst)
{
    static const uint8_t loopback[6];
    if (!memcmp(dst, loopback, 6))
        return PACKET_HOST;
    return (dst[0] & 1) ? PACKET_MULTICAST : PACKET_OTHERHOST;
}

/* struct bpf_sock (UAPI) offsets of the fields the dummy socket sets */
enum {
    SOCK_FAMILY = 4, SOCK_SRC_IP4 = 24, SOCK_SRC_IP6 = 28, SOCK_DST_IP4 = 52, SOCK_DST_IP6 = 56, SOCK_STATE = 72,
    SOCK_RX_QUEUE_MAPPING = 76,
};
#define TCP_CLOSE_STATE 7u

/* skb->sk: the struct bpf_sock view of Linux's dummy socket, from the record's socket fields. */
static void fill_sock(test_ctx *c)
{
    const runtime_skb_ctx *s = &c->rec.skb;
    uint32_t state = TCP_CLOSE_STATE;
    int32_t no_queue = -1;
    memset(c->sock, 0, sizeof c->sock);
    memcpy(c->sock + SOCK_FAMILY, &s->family, 4);
    memcpy(c->sock + SOCK_SRC_IP4, &s->local_ip4, 4);
    memcpy(c->sock + SOCK_SRC_IP6, s->local_ip6, 16);
    memcpy(c->sock + SOCK_DST_IP4, &s->remote_ip4, 4);
    memcpy(c->sock + SOCK_DST_IP6, s->remote_ip6, 16);
    memcpy(c->sock + SOCK_STATE, &state, 4);
    memcpy(c->sock + SOCK_RX_QUEUE_MAPPING, &no_queue, 4);
    c->has_sock = true;
    c->rec.skb.sk = (uint64_t)(uintptr_t)c->sock;
}

/* The dummy socket's family and addresses from the IP header; -EINVAL for a truncated IP header. */
static int fill_socket(runtime_skb_ctx *s, const uint8_t *frame, size_t size, char *why, size_t why_size)
{
    uint16_t type = be16_at(frame + 12);
    const uint8_t *ip = frame + HELPER_ETH_HLEN;
    size_t l3 = size - HELPER_ETH_HLEN;
    if (type == ETH_P_IP) {
        if (l3 < 20) {
            snprintf(why, why_size, "an IPv4 frame must hold the 20-byte IP header (it has %zu bytes after the "
                     "Ethernet header)", l3);
            return -EINVAL;
        }
        s->family = AF_INET_LINUX;
        memcpy(&s->local_ip4, ip + 12, 4);
        memcpy(&s->remote_ip4, ip + 16, 4);
    } else if (type == ETH_P_IPV6) {
        if (l3 < 40) {
            snprintf(why, why_size, "an IPv6 frame must hold the 40-byte IPv6 header (it has %zu bytes after the "
                     "Ethernet header)", l3);
            return -EINVAL;
        }
        s->family = AF_INET6_LINUX;
        memcpy(s->local_ip6, ip + 8, 16);
        memcpy(s->remote_ip6, ip + 24, 16);
    }
    return 0;
}

/* The ctx_in fields into the record, with Linux's checks. has_ctx: the run was given a ctx_in or a
 * ctx_out; without either Linux skips this step, so wire_len (qdisc_skb_cb's pkt_len) stays 0. */
static int apply_ctx_in(test_ctx *c, bool has_ctx, char *why, size_t why_size)
{
    for (size_t i = 0; i < c->desc->size; i++)
        if (c->uapi[i] && !taken_from_ctx(i)) {
            snprintf(why, why_size, "ctx_in: byte %zu of struct __sk_buff must be zero (only mark, priority, "
                     "ingress_ifindex, ifindex, cb, tstamp, wire_len, gso_segs, gso_size and hwtstamp may be set)", i);
            return -EINVAL;
        }
    runtime_skb_ctx *s = &c->rec.skb, in;
    memset(&in, 0, sizeof in);
    runtime_ctx_import(&runtime_ctx_table_skb, &in, c->uapi, c->desc->size);
    if (in.ifindex > SKB_LOOPBACK_IFINDEX) {
        snprintf(why, why_size, "ctx_in: no device with ifindex %u (only the loopback, 1)", in.ifindex);
        return -ENODEV;
    }
    if (in.wire_len && (in.wire_len < s->len || in.wire_len > SKB_MAX_WIRE_LEN)) {
        snprintf(why, why_size, "ctx_in: wire_len %u must be from len (%u) to %u", in.wire_len, s->len,
                 SKB_MAX_WIRE_LEN);
        return -EINVAL;
    }
    if (in.gso_segs > SKB_MAX_GSO_SEGS) {
        snprintf(why, why_size, "ctx_in: gso_segs %u is above %u", in.gso_segs, SKB_MAX_GSO_SEGS);
        return -EINVAL;
    }
    s->mark = in.mark;
    s->priority = in.priority;
    s->ingress_ifindex = in.ingress_ifindex;
    memcpy(s->cb, in.cb, sizeof s->cb);
    s->tstamp = in.tstamp;
    s->wire_len = in.wire_len ? in.wire_len : has_ctx ? s->len : 0;
    s->gso_segs = in.gso_segs;
    s->gso_size = in.gso_size;
    s->hwtstamp = in.hwtstamp;
    return 0;
}

/* The skb types Linux test-runs with bpf_prog_test_run_skb (sk_skb has no test run; flow_dissector
 * has its own, with a struct bpf_flow_keys this runtime does not build). */
static bool skb_test_run_type(uint32_t prog_type)
{
    switch (prog_type) {
    case ABI_PROG_SOCKET_FILTER:
    case ABI_PROG_SCHED_CLS:
    case ABI_PROG_SCHED_ACT:
    case ABI_PROG_CGROUP_SKB:
    case ABI_PROG_LWT_IN:
    case ABI_PROG_LWT_OUT:
    case ABI_PROG_LWT_XMIT:
    case ABI_PROG_LWT_SEG6LOCAL:
        return true;
    default:
        return false;
    }
}

int test_ctx_skb_setup(test_ctx *c, const struct ebpf_test_run_opts *o, char *why, size_t why_size)
{
    if (!skb_test_run_type(c->prog_type)) {
        snprintf(why, why_size, "test run is not implemented for %s programs", abi_prog_type_by_id(c->prog_type)->name);
        return -ENOTSUP;
    }
    size_t size = o->data_size_in;
    if (!o->data_in || size < HELPER_ETH_HLEN || size > SKB_MAX_DATA) {
        snprintf(why, why_size, "the packet must have %u to %u bytes (it has %zu)", HELPER_ETH_HLEN, SKB_MAX_DATA,
                 size);
        return -EINVAL;
    }
    const uint8_t *in = o->data_in;
    runtime_skb_ctx *s = &c->rec.skb;
    int rc = fill_socket(s, in, size, why, why_size);
    if (rc)
        return rc;
    fill_sock(c);
    c->frame = calloc(SKB_FRAME_SIZE, 1);
    if (!c->frame) {
        snprintf(why, why_size, "out of memory");
        return -ENOMEM;
    }
    c->l2 = c->prog_type == ABI_PROG_SCHED_CLS || c->prog_type == ABI_PROG_SCHED_ACT;
    uint8_t *mac = c->frame + SKB_HEADROOM, *data = c->l2 ? mac : mac + HELPER_ETH_HLEN;
    memcpy(mac, in, size);
    s->data = s->data_meta = (uint64_t)(uintptr_t)data;
    s->data_end = (uint64_t)(uintptr_t)(mac + size);
    s->len = (uint32_t)(s->data_end - s->data);
    s->protocol = eth_protocol(in, size);
    s->pkt_type = eth_pkt_type(in);
    s->ifindex = SKB_LOOPBACK_IFINDEX;
    rc = apply_ctx_in(c, o->ctx_in != NULL || o->ctx_out != NULL, why, why_size);
    if (rc)
        return rc;
    c->rec_size = runtime_ctx_table_skb.record_size;
    c->rec_readonly = runtime_ctx_table_skb.readonly_size;
    c->pkt = (helper_packet){ .data = &s->data, .data_end = &s->data_end, .buf_start = c->frame,
                              .buf_end = mac + size, .hash = &s->hash };
    c->ld_abs = data;
    c->ld_abs_size = s->len;
    return 0;
}

void test_ctx_skb_finish(test_ctx *c, const uint8_t **data, size_t *size, uint8_t *uapi)
{
    const runtime_skb_ctx *s = &c->rec.skb;
    uint8_t *start = (uint8_t *)(uintptr_t)s->data;
    if (!c->l2) { /* Linux pushes a zeroed MAC header back in front */
        start -= HELPER_ETH_HLEN;
        memset(start, 0, HELPER_ETH_HLEN);
    }
    *data = start;
    *size = (size_t)((uint8_t *)(uintptr_t)s->data_end - start);
    uint8_t full[256];
    memset(full, 0, sizeof full);
    runtime_ctx_export(&runtime_ctx_table_skb, s, full, c->desc->size);
    memset(uapi, 0, c->desc->size);
    for (size_t i = 0; i < SKB_CTX_FIELD_COUNT; i++)
        memcpy(uapi + skb_ctx_fields[i].offset, full + skb_ctx_fields[i].offset, skb_ctx_fields[i].size);
}
