/*
 * sound_input.c - random packets and contexts for the soundness harness (sound_input.h). Packets are
 * built layer by layer with random field values, so that a program's parser takes every branch with
 * some probability, then cut at a random length (often inside a header, where missing bounds checks
 * show), or replaced by noise. Contexts carry only the fields Linux's test run lets callers set.
 */
#include "sound_input.h"

#include <string.h>

sound_kind sound_kind_of(const char *type)
{
    static const char *const skb[] = { "socket_filter", "sched_cls", "sched_act", "cgroup_skb", "lwt_in",
                                       "lwt_out", "lwt_xmit", "lwt_seg6local", "sk_skb", "flow_dissector" };
    if (strcmp(type, "xdp") == 0)
        return SOUND_XDP;
    for (size_t i = 0; i < sizeof skb / sizeof skb[0]; i++)
        if (strcmp(type, skb[i]) == 0)
            return SOUND_SKB;
    if (strcmp(type, "cgroup_sock_addr") == 0)
        return SOUND_SOCK_ADDR;
    return SOUND_RAW;
}

typedef struct pkt {
    uint8_t *buf;
    size_t len;
    sound_rng *r;
    size_t marks[8];  /* where headers start: good places to cut the packet */
    size_t mark_count;
} pkt;

static void mark(pkt *p)
{
    if (p->mark_count < sizeof p->marks / sizeof p->marks[0])
        p->marks[p->mark_count++] = p->len;
}

static void put8(pkt *p, uint8_t v)
{
    if (p->len < SOUND_PACKET_MAX)
        p->buf[p->len++] = v;
}

static void put16(pkt *p, uint16_t v)
{
    put8(p, (uint8_t)(v >> 8));
    put8(p, (uint8_t)v);
}

static void put_random(pkt *p, size_t n)
{
    while (n--)
        put8(p, (uint8_t)sound_next(p->r));
}

/* A random value, biased towards the ones parsers compare with. */
static uint16_t pick16(sound_rng *r, const uint16_t *common, size_t count)
{
    return sound_below(r, 4) ? common[sound_below(r, count)] : (uint16_t)sound_next(r);
}

static void l4(pkt *p, uint8_t proto)
{
    static const uint16_t ports[] = { 53, 80, 443, 22, 8080, 4789, 6081, 0, 65535 };
    sound_rng *r = p->r;
    mark(p);
    if (proto == 6) {                              /* TCP */
        put16(p, pick16(r, ports, 9));
        put16(p, pick16(r, ports, 9));
        put_random(p, 8);                          /* seq, ack */
        uint8_t doff = sound_below(r, 4) ? 5 + (uint8_t)sound_below(r, 11) : (uint8_t)sound_below(r, 16);
        put8(p, (uint8_t)(doff << 4));
        put_random(p, 7);                          /* flags, window, csum, urg */
        put_random(p, doff > 5 ? (size_t)(doff - 5) * 4 : 0);
        mark(p);
    } else if (proto == 17) {                      /* UDP */
        put16(p, pick16(r, ports, 9));
        put16(p, pick16(r, ports, 9));
        put16(p, (uint16_t)(8 + sound_below(r, 1400)));
        put_random(p, 2);
        mark(p);
    } else if (proto == 1 || proto == 58) {        /* ICMP, ICMPv6 */
        put_random(p, 8);
    }
    put_random(p, sound_below(r, 4) ? sound_below(r, 64) : sound_below(r, 1400));
}

static uint8_t pick_proto(sound_rng *r)
{
    static const uint8_t protos[] = { 6, 6, 6, 6, 17, 17, 17, 17, 1, 58, 47, 41, 4, 50 };
    return sound_below(r, 8) ? protos[sound_below(r, sizeof protos)] : (uint8_t)sound_next(r);
}

static void ipv4(pkt *p)
{
    sound_rng *r = p->r;
    uint64_t roll = sound_below(r, 10);
    uint8_t ihl = roll < 7 ? 5 : roll < 9 ? 6 + (uint8_t)sound_below(r, 10) : (uint8_t)sound_below(r, 16);
    uint8_t proto = pick_proto(r);
    mark(p);
    put8(p, (uint8_t)(0x40 | ihl));
    put8(p, (uint8_t)sound_next(r));               /* tos */
    put16(p, (uint16_t)(20 + sound_below(r, 1480)));
    put16(p, (uint16_t)sound_next(r));             /* id */
    put16(p, sound_below(r, 4) ? 0x4000 : (uint16_t)sound_next(r)); /* frag */
    put8(p, (uint8_t)sound_below(r, 256));         /* ttl */
    put8(p, proto);
    put_random(p, 2 + 8);                          /* csum, saddr, daddr */
    put_random(p, ihl > 5 ? (size_t)(ihl - 5) * 4 : 0);
    l4(p, proto);
}

static void ipv6(pkt *p)
{
    sound_rng *r = p->r;
    uint8_t next = pick_proto(r);
    mark(p);
    put8(p, 0x60);
    put_random(p, 3);
    put16(p, (uint16_t)sound_below(r, 1460));
    bool ext = sound_below(r, 4) == 0;
    put8(p, ext ? 0 : next);                       /* hop-by-hop first, sometimes */
    put8(p, (uint8_t)sound_next(r));
    put_random(p, 32);
    if (ext) {
        put8(p, next);
        uint8_t len = (uint8_t)sound_below(r, 4);
        put8(p, len);
        put_random(p, 6 + (size_t)len * 8);
    }
    l4(p, next);
}

void sound_packet(sound_rng *r, uint8_t *buf, size_t *size)
{
    static const uint16_t ethertypes[] = { 0x0800, 0x0800, 0x0800, 0x0800, 0x86dd, 0x86dd, 0x8100, 0x88a8,
                                           0x0806, 0x8847 };
    pkt p = { .buf = buf, .r = r };
    if (sound_below(r, 10) == 0) {                 /* noise */
        *size = 14 + sound_below(r, SOUND_PACKET_MAX - 14 + 1);
        sound_fill(r, buf, *size);
        return;
    }
    put_random(&p, 12);                            /* MAC addresses */
    uint16_t type = pick16(r, ethertypes, sizeof ethertypes / sizeof ethertypes[0]);
    for (int tags = 0; (type == 0x8100 || type == 0x88a8) && tags < 3; tags++) {
        put16(&p, type);
        put16(&p, (uint16_t)sound_next(r));        /* TCI */
        type = pick16(r, ethertypes, sizeof ethertypes / sizeof ethertypes[0]);
    }
    put16(&p, type);
    if (type == 0x0800)
        ipv4(&p);
    else if (type == 0x86dd)
        ipv6(&p);
    else
        put_random(&p, sound_below(r, 128));
    mark(&p);
    size_t len = p.len;
    switch (sound_below(r, 6)) {
    case 0: len = 14 + sound_below(r, len - 14 + 1); break; /* cut anywhere */
    case 1:
    case 2:
    case 3: {                                      /* cut just before or after a header boundary */
        size_t at = p.marks[sound_below(r, p.mark_count)] + sound_below(r, 17);
        len = at < 8 ? 0 : at - 8 < len ? at - 8 : len;
        break;
    }
    default: break;
    }
    *size = len < 14 ? 14 : len;
}

static void put32_le(uint8_t *ctx, size_t off, uint32_t v)
{
    memcpy(ctx + off, &v, sizeof v);
}

void sound_input_make(sound_rng *r, sound_kind kind, size_t raw_size, sound_input *in)
{
    memset(in, 0, sizeof *in);
    switch (kind) {
    case SOUND_XDP:
        sound_packet(r, in->data, &in->data_size);
        if (sound_below(r, 3) == 0) {              /* xdp_md: metadata at the start of data_in */
            size_t meta = 4 * sound_below(r, 9);
            if (meta > in->data_size - 14)
                meta = 0;
            put32_le(in->ctx, 0, (uint32_t)meta);  /* data */
            put32_le(in->ctx, 4, (uint32_t)in->data_size); /* data_end */
            put32_le(in->ctx, 12, (uint32_t)sound_below(r, 2)); /* ingress_ifindex */
            in->ctx_size = 24;
        }
        break;
    case SOUND_SKB:
        sound_packet(r, in->data, &in->data_size);
        if (sound_below(r, 2) == 0) {              /* __sk_buff: mark, priority, cb[5] */
            put32_le(in->ctx, 8, (uint32_t)sound_next(r));
            put32_le(in->ctx, 32, (uint32_t)sound_next(r));
            sound_fill(r, in->ctx + 48, 20);
            in->ctx_size = 192;
        }
        break;
    case SOUND_SOCK_ADDR: {                        /* bpf_sock_addr's scalar fields (bytes 0..59) */
        sound_fill(r, in->ctx, 60);           /* 60..63 padding, 64 sk: zero */
        uint32_t family = sound_below(r, 4) ? (sound_below(r, 2) ? 2 : 10) : (uint32_t)sound_next(r);
        put32_le(in->ctx, 0, family);              /* user_family */
        put32_le(in->ctx, 28, family);             /* family */
        put32_le(in->ctx, 32, sound_below(r, 2) ? 1 : 2); /* type: stream / dgram */
        put32_le(in->ctx, 36, sound_below(r, 2) ? 6 : 17);
        in->ctx_size = 72;
        break;
    }
    case SOUND_RAW:
        if (raw_size > SOUND_CTX_MAX)
            raw_size = SOUND_CTX_MAX;
        sound_fill(r, in->ctx, raw_size);
        in->ctx_size = raw_size;
        break;
    }
}
