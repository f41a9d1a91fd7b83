/*
 * gen_pcap.c - writes the demo capture for xdp_firewall and its ground truth.
 *
 *   gen_pcap OUT.pcap MANIFEST
 *
 * OUT.pcap is a classic pcap file (microsecond timestamps, little-endian, link type Ethernet) of
 * DEMO_PACKETS frames built from a fixed pseudo-random sequence, so every build writes the same bytes:
 * IPv4 TCP/UDP/ICMP from a handful of sources with skewed volumes (some inside the block list), plus a
 * few ARP and IPv6 frames (not IPv4: passed) and a few truncated IPv4 headers (aborted).
 *
 * MANIFEST is plain text that run-demo and the ctest read: the block list ("blocklist CIDR KEYHEX
 * VALUEHEX", the hex as `ebpf run --map-update` takes it), the packet count, the expected count per XDP
 * action and every source's packets and bytes, largest first:
 *   blocklist 10.66.0.0/16 100000000a420000 01000000
 *   packets 3000
 *   action XDP_DROP 612
 *   talker 10.0.0.1 900 530112
 * Portable C11, no libpcap needed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEMO_PACKETS 3000
#define FRAME_MAX 1514
#define FRAME_MIN 60 /* Ethernet minimum without the FCS */

enum { ACT_ABORTED, ACT_DROP, ACT_PASS, ACT_COUNT };
static const char *const action_names[ACT_COUNT] = { "XDP_ABORTED", "XDP_DROP", "XDP_PASS" };

typedef struct source {
    uint8_t addr[4];
    unsigned weight; /* share of the IPv4 traffic, in percent */
    uint64_t packets, bytes;
} source;

static source sources[] = {
    { { 10, 0, 0, 1 }, 30, 0, 0 },     { { 10, 0, 0, 2 }, 18, 0, 0 },      { { 10, 0, 1, 5 }, 12, 0, 0 },
    { { 172, 16, 3, 9 }, 9, 0, 0 },    { { 10, 66, 1, 1 }, 8, 0, 0 },      { { 203, 0, 113, 50 }, 6, 0, 0 },
    { { 192, 0, 2, 33 }, 5, 0, 0 },    { { 198, 51, 100, 7 }, 5, 0, 0 },   { { 198, 51, 100, 8 }, 4, 0, 0 },
    { { 10, 66, 200, 4 }, 3, 0, 0 },
};
#define SOURCE_COUNT (sizeof sources / sizeof sources[0])

typedef struct prefix {
    uint8_t addr[4];
    unsigned len;
} prefix;

/* The block list the demo installs; 198.51.100.8 next to the /32 shows that the match is exact. */
static const prefix blocklist[] = {
    { { 10, 66, 0, 0 }, 16 },
    { { 192, 0, 2, 0 }, 24 },
    { { 198, 51, 100, 7 }, 32 },
};
#define BLOCK_COUNT (sizeof blocklist / sizeof blocklist[0])

static const uint8_t destinations[][4] = { { 10, 0, 9, 1 }, { 10, 0, 9, 2 }, { 10, 0, 9, 53 } };

static uint64_t rng_state = 0x9e3779b97f4a7c15u;

/* xorshift64*: a fixed sequence on every platform. */
static uint32_t rng(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (uint32_t)((rng_state * 0x2545f4914f6cdd1du) >> 32);
}

static uint32_t be32(const uint8_t a[4])
{
    return (uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 | (uint32_t)a[2] << 8 | a[3];
}

static int blocked(const uint8_t addr[4])
{
    for (size_t i = 0; i < BLOCK_COUNT; i++) {
        uint32_t mask = blocklist[i].len ? 0xffffffffu << (32 - blocklist[i].len) : 0;
        if ((be32(addr) & mask) == (be32(blocklist[i].addr) & mask))
            return 1;
    }
    return 0;
}

static void put16be(uint8_t *p, unsigned v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void put32le(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static unsigned ip_checksum(const uint8_t *h, size_t n)
{
    uint32_t sum = 0;
    for (size_t i = 0; i + 1 < n; i += 2)
        sum += (uint32_t)h[i] << 8 | h[i + 1];
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return ~sum & 0xffff;
}

static void ethernet(uint8_t *f, unsigned ethertype)
{
    static const uint8_t dst[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
    static const uint8_t src[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };
    memcpy(f, dst, 6);
    memcpy(f + 6, src, 6);
    put16be(f + 12, ethertype);
}

/* An IPv4 frame from `src` of protocol `proto` and `l4` bytes after the IP header. Returns its size. */
static size_t ipv4(uint8_t *f, const uint8_t src[4], unsigned proto, size_t l4, uint16_t id)
{
    ethernet(f, 0x0800);
    uint8_t *ip = f + 14;
    memset(ip, 0, 20);
    ip[0] = 0x45;
    put16be(ip + 2, (unsigned)(20 + l4));
    put16be(ip + 4, id);
    ip[8] = 64;
    ip[9] = (uint8_t)proto;
    memcpy(ip + 12, src, 4);
    memcpy(ip + 16, destinations[rng() % 3], 4);
    put16be(ip + 10, ip_checksum(ip, 20));
    uint8_t *l = ip + 20;
    for (size_t i = 0; i < l4; i++)
        l[i] = (uint8_t)(i * 7 + id);
    if (proto == 6) { /* TCP: ports, seq, data offset 5, ACK|PSH */
        put16be(l, 40000 + rng() % 2000);
        put16be(l + 2, rng() % 2 ? 443 : 22);
        l[12] = 0x50;
        l[13] = 0x18;
        put16be(l + 14, 65535);
        put16be(l + 16, 0); /* checksum left 0: nothing here checks it */
    } else if (proto == 17) { /* UDP: checksum 0 means "none" */
        put16be(l, 50000 + rng() % 1000);
        put16be(l + 2, rng() % 4 ? 53 : 123);
        put16be(l + 4, (unsigned)l4);
        put16be(l + 6, 0);
    } else { /* ICMP echo request */
        l[0] = 8;
        l[1] = 0;
        put16be(l + 2, 0);
        put16be(l + 2, ip_checksum(l, l4));
    }
    size_t size = 14 + 20 + l4;
    if (size < FRAME_MIN) {
        memset(f + size, 0, FRAME_MIN - size);
        size = FRAME_MIN;
    }
    return size;
}

static size_t arp(uint8_t *f)
{
    ethernet(f, 0x0806);
    static const uint8_t body[28] = { 0, 1, 8, 0, 6, 4, 0, 1, 2, 0, 0, 0, 0, 2, 10, 0, 9, 1, 0, 0, 0, 0, 0, 0, 10, 0, 9, 2 };
    memcpy(f + 14, body, sizeof body);
    memset(f + 42, 0, FRAME_MIN - 42);
    return FRAME_MIN;
}

static size_t ipv6(uint8_t *f)
{
    ethernet(f, 0x86dd);
    memset(f + 14, 0, 40 + 8);
    f[14] = 0x60;
    put16be(f + 18, 8);
    f[20] = 58; /* ICMPv6 */
    f[21] = 255;
    f[14 + 8 + 15] = 1;  /* ::1 -> ::2 */
    f[14 + 24 + 15] = 2;
    f[54] = 128; /* echo request */
    return 62;
}

static int write_all(FILE *out, const void *p, size_t n)
{
    return fwrite(p, 1, n, out) == n ? 0 : -1;
}

static int compare_bytes(const void *a, const void *b)
{
    const source *x = a, *y = b;
    if (x->bytes != y->bytes)
        return x->bytes < y->bytes ? 1 : -1;
    return memcmp(x->addr, y->addr, 4);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: gen_pcap OUT.pcap MANIFEST\n");
        return 2;
    }
    FILE *out = fopen(argv[1], "wb");
    if (!out) {
        fprintf(stderr, "gen_pcap: cannot write %s\n", argv[1]);
        return 2;
    }
    uint8_t header[24] = { 0 };
    put32le(header, 0xa1b2c3d4u); /* microsecond timestamps */
    header[4] = 2;                /* version 2.4 */
    header[6] = 4;
    put32le(header + 16, 65535);  /* snaplen */
    put32le(header + 20, 1);      /* LINKTYPE_ETHERNET */
    int err = write_all(out, header, sizeof header);

    uint64_t actions[ACT_COUNT] = { 0 };
    static uint8_t frame[FRAME_MAX];
    uint32_t usec = 0, sec = 1700000000u;
    for (unsigned i = 0; i < DEMO_PACKETS && !err; i++) {
        size_t size;
        if (i % 100 == 37) {
            size = arp(frame);
            actions[ACT_PASS]++;
        } else if (i % 250 == 111) {
            size = ipv6(frame);
            actions[ACT_PASS]++;
        } else if (i % 600 == 299) { /* Ethernet + 12 bytes of an IPv4 header */
            ethernet(frame, 0x0800);
            memset(frame + 14, 0x45, 12);
            size = 26;
            actions[ACT_ABORTED]++;
        } else {
            unsigned pick = rng() % 100, s = 0;
            while (pick >= sources[s].weight) {
                pick -= sources[s].weight;
                s++;
            }
            unsigned kind = rng() % 10;
            if (kind < 6) /* TCP: acks and full segments */
                size = ipv4(frame, sources[s].addr, 6, 20 + (rng() % 3 ? rng() % 1461 : 0), (uint16_t)i);
            else if (kind < 9)
                size = ipv4(frame, sources[s].addr, 17, 8 + rng() % 513, (uint16_t)i);
            else
                size = ipv4(frame, sources[s].addr, 1, 64, (uint16_t)i);
            sources[s].packets++;
            sources[s].bytes += size;
            actions[blocked(sources[s].addr) ? ACT_DROP : ACT_PASS]++;
        }
        uint8_t record[16];
        put32le(record, sec);
        put32le(record + 4, usec);
        put32le(record + 8, (uint32_t)size);
        put32le(record + 12, (uint32_t)size);
        err = write_all(out, record, sizeof record) || write_all(out, frame, size);
        usec += 250 + rng() % 500;
        if (usec >= 1000000) {
            usec -= 1000000;
            sec++;
        }
    }
    if (fclose(out) != 0 || err) {
        fprintf(stderr, "gen_pcap: cannot write %s\n", argv[1]);
        return 2;
    }

    FILE *m = fopen(argv[2], "w");
    if (!m) {
        fprintf(stderr, "gen_pcap: cannot write %s\n", argv[2]);
        return 2;
    }
    fprintf(m, "# xdp_firewall demo capture %s: block list, then the expected results\n", argv[1]);
    for (size_t i = 0; i < BLOCK_COUNT; i++) {
        const uint8_t *a = blocklist[i].addr;
        fprintf(m, "blocklist %u.%u.%u.%u/%u %02x000000%02x%02x%02x%02x %02x000000\n", a[0], a[1], a[2], a[3],
                blocklist[i].len, blocklist[i].len, a[0], a[1], a[2], a[3], (unsigned)(i + 1));
    }
    fprintf(m, "packets %u\n", DEMO_PACKETS);
    for (int a = 0; a < ACT_COUNT; a++)
        fprintf(m, "action %s %llu\n", action_names[a], (unsigned long long)actions[a]);
    fprintf(m, "action XDP_TX 0\naction XDP_REDIRECT 0\n");
    qsort(sources, SOURCE_COUNT, sizeof sources[0], compare_bytes);
    for (size_t i = 0; i < SOURCE_COUNT; i++)
        fprintf(m, "talker %u.%u.%u.%u %llu %llu\n", sources[i].addr[0], sources[i].addr[1], sources[i].addr[2],
                sources[i].addr[3], (unsigned long long)sources[i].packets, (unsigned long long)sources[i].bytes);
    if (fclose(m) != 0) {
        fprintf(stderr, "gen_pcap: cannot write %s\n", argv[2]);
        return 2;
    }
    return 0;
}
