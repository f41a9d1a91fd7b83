/*
 * kd_cases.c - the case table of progs.kernel (kd_case.h): which program runs on which packet with
 * which maps filled. Each row says what it is written to provoke (its retval: the kd_*.bpf.c programs
 * return XDP_DROP when some command had a negative result); the kernel says what comes out. Programs
 * and command layouts: tests/progs/kd_prog.h and the kd_*.bpf.c file of each group.
 */
#include "kd_case.h"

#define XDP_ABORTED 0
#define XDP_DROP 1
#define XDP_PASS 2
#define XDP_TX 3
#define XDP_REDIRECT 4

#define ROW(NAME, OBJECT, PROGRAM, REPEAT, RETVAL, PACKET, ...)                                           \
    { .name = NAME, .object = OBJECT, .program = PROGRAM, .repeat = REPEAT, .retval = RETVAL,             \
      .packet = PACKET, .init = { __VA_ARGS__ } }
#define ROW_TAIL(NAME, OBJECT, PROGRAM, RETVAL, PACKET, TAIL)                                              \
    { .name = NAME, .object = OBJECT, .program = PROGRAM, .repeat = 1, .retval = RETVAL, .packet = PACKET, \
      .tail = TAIL }

#define C KD_CMD
#define ARRAY 0
#define PERCPU_ARRAY 1
#define HASH 0
#define PERCPU_HASH 1
#define LRU 2
#define LRU_PERCPU 3
#define QUEUE 0
#define STACK 1
#define BAD_FLAGS 8

/* kd_lpm: an IPv4 address as the command's key bytes (packet order) */
#define IP(a, b, c, d) ((uint32_t)(a) | (uint32_t)(b) << 8 | (uint32_t)(c) << 16 | (uint32_t)(d) << 24)
#define LPM_KEY(len, a, b, c, d) KD_BYTES(KD_U32(len), a, b, c, d)

/* kd_ringbuf, kd_perf, kd_devmap, kd_packet, kd_string ops */
#define RB_OUTPUT 20
#define RB_SUBMIT 21
#define RB_DISCARD 22
#define RB_QUERY 23
#define RB_FILL 24
#define PERF_OUT 30
#define CURRENT_CPU 0xffffffffu
#define OWN_INDEX 0xfffffffeu
#define NEXT_CPU 0xfffffffdu
#define REDIRECT_MAP 40
#define REDIRECT 41
#define HEAD 50
#define TAIL 51
#define META 52
#define WMETA 53
#define WBYTE 54
#define CSUM 55
#define LEN 56
#define BUFLEN 57
#define LOAD 58
#define STORE 59
#define STRTOL 60
#define STRTOUL 61
#define STRNCMP 62
#define SNPRINTF 63

/* the packets of the older test programs (xdp_dns_drop, xdp_pop_tag, xdp_tail_call, xdp_loop) */
#define ETH_IP 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 1, 0x08, 0x00
#define IPV4(proto) 0x45, 0, 0, 0x1c, 0, 0, 0, 0, 0x40, proto, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2
#define UDP_TO(port) 0x12, 0x34, 0, port, 0, 8, 0, 0

const struct kd_case kd_cases[] = {
    /* ---- array, percpu_array, bpf_loop, bpf_for_each_map_elem (kd_array) ----
     * KD_LOOKUP_PERCPU: arg 0 the running CPU, 1 the next one, 64 (absolute) beyond every CPU */
    ROW("array/update_lookup_add", "kd_array", "kd_array", 1, XDP_PASS,
        KD_PKT(C(KD_UPDATE, ARRAY, KD_ANY, 0, 1, 50), C(KD_LOOKUP, ARRAY, 0, 0, 1, 0), C(KD_ADD, ARRAY, 0, 0, 1, 7),
               C(KD_LOOKUP, ARRAY, 0, 0, 7, 0), C(KD_UPDATE, ARRAY, KD_EXIST, 0, 7, 70))),
    ROW("array/error_paths", "kd_array", "kd_array", 1, XDP_DROP,
        KD_PKT(C(KD_UPDATE, ARRAY, KD_NOEXIST, 0, 2, 1), C(KD_UPDATE, ARRAY, 3, 0, 2, 1),
               C(KD_UPDATE, ARRAY, 4 /* BPF_F_LOCK */, 0, 2, 1), C(KD_UPDATE, ARRAY, KD_ANY, 0, 8, 1),
               C(KD_DELETE, ARRAY, 0, 0, 2, 0), C(KD_LOOKUP, ARRAY, 0, 0, 8, 0), C(KD_ADD, ARRAY, 0, 0, 9, 1),
               C(KD_LOOKUP, ARRAY, 0, 0, 2, 0))),
    ROW("array/add_repeat", "kd_array", "kd_array", 4, XDP_PASS,
        KD_PKT(C(KD_ADD, ARRAY, 0, 0, 3, 5), C(KD_ADD, ARRAY, 0, 0, 0, 1)), KD_SET("arr", 3, 100),
        KD_SET("arr", 0, 0xffffffffffffffffull)),
    ROW("percpu_array/update_lookup", "kd_array", "kd_array", 1, XDP_DROP,
        KD_PKT(C(KD_UPDATE, PERCPU_ARRAY, KD_ANY, 0, 1, 9), C(KD_LOOKUP, PERCPU_ARRAY, 0, 0, 1, 0),
               C(KD_ADD, PERCPU_ARRAY, 0, 0, 2, 4), C(KD_LOOKUP_PERCPU, PERCPU_ARRAY, 0, 0, 2, 0),
               C(KD_LOOKUP_PERCPU, PERCPU_ARRAY, 0, 1, 2, 0), C(KD_LOOKUP_PERCPU, PERCPU_ARRAY, 0, 64, 2, 0),
               C(KD_LOOKUP_PERCPU, PERCPU_ARRAY, 0, 0, 4, 0), C(KD_LOOKUP, PERCPU_ARRAY, 0, 0, 2, 0)),
        KD_SET("parr", 2, 3), KD_SET("parr", 3, 33)),
    ROW("percpu_array/error_paths", "kd_array", "kd_array", 1, XDP_DROP,
        KD_PKT(C(KD_UPDATE, PERCPU_ARRAY, KD_NOEXIST, 0, 0, 1), C(KD_UPDATE, PERCPU_ARRAY, KD_ANY, 0, 4, 1),
               C(KD_UPDATE, PERCPU_ARRAY, BAD_FLAGS, 0, 0, 1), C(KD_DELETE, PERCPU_ARRAY, 0, 0, 0, 0),
               C(KD_UPDATE, PERCPU_ARRAY, KD_EXIST, 0, 3, 5))),
    ROW("percpu_array/add_repeat", "kd_array", "kd_array", 3, XDP_PASS,
        KD_PKT(C(KD_ADD, PERCPU_ARRAY, 0, 0, 0, 10), C(KD_ADD, PERCPU_ARRAY, 0, 0, 3, 1)), KD_SET("parr", 0, 5)),
    ROW("foreach/array", "kd_array", "kd_array", 1, XDP_DROP,
        KD_PKT(C(KD_FOREACH, ARRAY, 0, 0, 0, 0), C(KD_FOREACH, ARRAY, 0, 0, 0, 30), C(KD_FOREACH, ARRAY, 1, 0, 0, 0),
               C(KD_UPDATE, ARRAY, KD_ANY, 0, 7, 30), C(KD_FOREACH, ARRAY, 0, 0, 0, 30)),
        KD_SET("arr", 1, 10), KD_SET("arr", 4, 30), KD_SET("arr", 6, 5)),
    ROW("foreach/percpu_array", "kd_array", "kd_array", 2, XDP_PASS,
        KD_PKT(C(KD_ADD, PERCPU_ARRAY, 0, 0, 1, 2), C(KD_FOREACH, PERCPU_ARRAY, 0, 0, 0, 0),
               C(KD_FOREACH, PERCPU_ARRAY, 0, 0, 0, 7)),
        KD_SET("parr", 0, 7), KD_SET("parr", 1, 1)),
    ROW("loop/counts_and_limits", "kd_array", "kd_array", 1, XDP_DROP,
        KD_PKT(C(KD_LOOP, 0, 0, 0, 10, 0), C(KD_LOOP, 0, 0, 0, 0, 0), C(KD_LOOP, 0, 0, 0, 200, 0),
               C(KD_LOOP, 0, 0, 0, 10, 1), C(KD_LOOP, 0, 0, 0, (1u << 23) + 1, 0), C(KD_LOOP, 0, 0, 0, 1u << 23, 0))),

    /* ---- hash, percpu_hash, lru_hash, lru_percpu_hash (kd_hash) ---- */
    ROW("hash/insert_lookup_delete", "kd_hash", "kd_hash", 1, XDP_DROP,
        KD_PKT(C(KD_UPDATE, HASH, KD_ANY, 0, 5, 50), C(KD_LOOKUP, HASH, 0, 0, 5, 0), C(KD_ADD, HASH, 0, 0, 5, 1),
               C(KD_DELETE, HASH, 0, 0, 5, 0), C(KD_LOOKUP, HASH, 0, 0, 5, 0), C(KD_DELETE, HASH, 0, 0, 5, 0),
               C(KD_UPDATE, HASH, KD_ANY, 0, 6, 60))),
    ROW("hash/flags", "kd_hash", "kd_hash", 1, XDP_DROP,
        KD_PKT(C(KD_UPDATE, HASH, KD_NOEXIST, 0, 1, 11), C(KD_UPDATE, HASH, KD_EXIST, 0, 2, 22),
               C(KD_UPDATE, HASH, KD_EXIST, 0, 1, 12), C(KD_UPDATE, HASH, 3, 0, 3, 33),
               C(KD_UPDATE, HASH, 4 /* BPF_F_LOCK */, 0, 1, 13), C(KD_UPDATE, HASH, KD_NOEXIST, 0, 2, 22)),
        KD_SET("hash", 1, 10)),
    ROW("hash/full", "kd_hash", "kd_hash", 1, XDP_DROP,
        KD_PKT(C(KD_UPDATE, HASH, KD_ANY, 0, 5, 5), C(KD_UPDATE, HASH, KD_ANY, 0, 1, 100),
               C(KD_UPDATE, HASH, KD_EXIST, 0, 2, 200), C(KD_UPDATE, HASH, KD_NOEXIST, 0, 5, 5),
               C(KD_DELETE, HASH, 0, 0, 3, 0), C(KD_UPDATE, HASH, KD_NOEXIST, 0, 5, 5), C(KD_UPDATE, HASH, 0, 0, 6, 6),
               C(KD_UPDATE, HASH, KD_NOEXIST, 0, 4, 44)),
        KD_SET("hash", 1, 1), KD_SET("hash", 2, 2), KD_SET("hash", 3, 3), KD_SET("hash", 4, 4)),
    ROW("hash/add_repeat", "kd_hash", "kd_hash", 5, XDP_PASS,
        KD_PKT(C(KD_ADD, HASH, 0, 0, 7, 3), C(KD_ADD, PERCPU_HASH, 0, 0, 7, 4), C(KD_ADD, LRU, 0, 0, 7, 5),
               C(KD_ADD, LRU_PERCPU, 0, 0, 7, 6)),
        KD_SET("hash", 7, 1), KD_SET("phash", 7, 2), KD_SET("lru", 7, 3), KD_SET("plru", 7, 4)),
    ROW("hash/foreach", "kd_hash", "kd_hash", 1, XDP_DROP,
        KD_PKT(C(KD_FOREACH, HASH, 0, 0, 0, 0), C(KD_FOREACH, PERCPU_HASH, 0, 0, 0, 0), C(KD_FOREACH, LRU, 0, 0, 0, 0),
               C(KD_FOREACH, LRU_PERCPU, 0, 0, 0, 0), C(KD_FOREACH, HASH, 2, 0, 0, 0), C(KD_FOREACH, LRU, 0, 0, 0, 77)),
        KD_SET("hash", 1, 10), KD_SET("hash", 2, 20), KD_SET("hash", 3, 30), KD_SET("phash", 9, 90),
        KD_SET("lru", 4, 40), KD_SET("lru", 5, 50), KD_SET("plru", 6, 60), KD_SET("plru", 7, 70)),
    ROW("hash/foreach_deleting", "kd_hash", "kd_hash", 1, XDP_DROP,
        KD_PKT(C(KD_FOREACH_DELETE, HASH, 0, 0, 0, 0), C(KD_FOREACH, HASH, 0, 0, 0, 0),
               C(KD_FOREACH_DELETE, PERCPU_HASH, 0, 0, 0, 0), C(KD_FOREACH_DELETE, LRU, 0, 0, 0, 0),
               C(KD_FOREACH, LRU, 0, 0, 0, 0), C(KD_FOREACH_DELETE, LRU_PERCPU, 0, 0, 0, 0),
               C(KD_LOOKUP, HASH, 0, 0, 1, 0), C(KD_LOOKUP, HASH, 0, 0, 2, 0)),
        KD_SET("hash", 1, 11), KD_SET("hash", 2, 22), KD_SET("hash", 3, 33), KD_SET("hash", 4, 44),
        KD_SET("phash", 5, 55), KD_SET("phash", 6, 66), KD_SET("lru", 7, 77), KD_SET("lru", 8, 88),
        KD_SET("lru", 9, 99), KD_SET("plru", 10, 101), KD_SET("plru", 12, 121)),
    ROW("foreach/array_delete_refused", "kd_array", "kd_array", 2, XDP_PASS,
        KD_PKT(C(KD_FOREACH_DELETE, ARRAY, 0, 0, 0, 0), C(KD_FOREACH_DELETE, PERCPU_ARRAY, 0, 0, 0, 0)),
        KD_SET("arr", 1, 1), KD_SET("arr", 2, 3), KD_SET("parr", 3, 5)),
    ROW("hash/foreach_empty", "kd_hash", "kd_hash", 1, XDP_PASS,
        KD_PKT(C(KD_FOREACH, HASH, 0, 0, 0, 0), C(KD_FOREACH, LRU_PERCPU, 0, 0, 0, 0))),
    ROW("percpu_hash/insert_lookup", "kd_hash", "kd_hash", 1, XDP_DROP,
        KD_PKT(C(KD_UPDATE, PERCPU_HASH, KD_ANY, 0, 3, 30), C(KD_LOOKUP, PERCPU_HASH, 0, 0, 3, 0),
               C(KD_LOOKUP_PERCPU, PERCPU_HASH, 0, 0, 3, 0), C(KD_LOOKUP_PERCPU, PERCPU_HASH, 0, 1, 3, 0),
               C(KD_LOOKUP_PERCPU, PERCPU_HASH, 0, 1, 8, 0), C(KD_ADD, PERCPU_HASH, 0, 0, 8, 1),
               C(KD_DELETE, PERCPU_HASH, 0, 0, 9, 0), C(KD_LOOKUP, PERCPU_HASH, 0, 0, 9, 0)),
        KD_SET("phash", 8, 80), KD_SET("phash", 9, 90)),
    ROW("percpu_hash/flags_full", "kd_hash", "kd_hash", 1, XDP_DROP,
        KD_PKT(C(KD_UPDATE, PERCPU_HASH, KD_NOEXIST, 0, 1, 1), C(KD_UPDATE, PERCPU_HASH, KD_EXIST, 0, 9, 1),
               C(KD_UPDATE, PERCPU_HASH, KD_ANY, 0, 9, 9), C(KD_UPDATE, PERCPU_HASH, KD_EXIST, 0, 4, 44),
               C(KD_DELETE, PERCPU_HASH, 0, 0, 1, 0), C(KD_UPDATE, PERCPU_HASH, KD_NOEXIST, 0, 9, 9)),
        KD_SET("phash", 1, 1), KD_SET("phash", 2, 2), KD_SET("phash", 3, 3), KD_SET("phash", 4, 4)),
    ROW("lru_hash/no_eviction", "kd_hash", "kd_hash", 1, XDP_DROP,
        KD_PKT(C(KD_UPDATE, LRU, KD_ANY, 0, 10, 1), C(KD_UPDATE, LRU, KD_NOEXIST, 0, 1, 1),
               C(KD_UPDATE, LRU, KD_EXIST, 0, 11, 1), C(KD_UPDATE, LRU, KD_EXIST, 0, 2, 22),
               C(KD_LOOKUP, LRU, 0, 0, 2, 0), C(KD_DELETE, LRU, 0, 0, 3, 0), C(KD_DELETE, LRU, 0, 0, 3, 0),
               C(KD_UPDATE, LRU, 3, 0, 12, 1)),
        KD_SET("lru", 1, 1), KD_SET("lru", 2, 2), KD_SET("lru", 3, 3), KD_SET("lru", 4, 4), KD_SET("lru", 5, 5)),
    ROW("lru_percpu_hash/no_eviction", "kd_hash", "kd_hash", 1, XDP_DROP,
        KD_PKT(C(KD_UPDATE, LRU_PERCPU, KD_ANY, 0, 10, 1), C(KD_UPDATE, LRU_PERCPU, KD_NOEXIST, 0, 1, 1),
               C(KD_UPDATE, LRU_PERCPU, KD_EXIST, 0, 2, 22), C(KD_LOOKUP_PERCPU, LRU_PERCPU, 0, 0, 2, 0),
               C(KD_LOOKUP_PERCPU, LRU_PERCPU, 0, 1, 1, 0), C(KD_ADD, LRU_PERCPU, 0, 0, 1, 5),
               C(KD_DELETE, LRU_PERCPU, 0, 0, 3, 0), C(KD_LOOKUP, LRU_PERCPU, 0, 0, 3, 0)),
        KD_SET("plru", 1, 1), KD_SET("plru", 2, 2), KD_SET("plru", 3, 3)),
    ROW("lru_hash/repeat_inserts", "kd_hash", "kd_hash", 6, XDP_DROP,
        KD_PKT(C(KD_UPDATE, LRU, KD_NOEXIST, 0, 20, 1), C(KD_ADD, LRU, 0, 0, 20, 1), C(KD_UPDATE, LRU_PERCPU, 0, 0, 21, 2),
               C(KD_ADD, LRU_PERCPU, 0, 0, 21, 2))),

    /* ---- lpm_trie (kd_lpm): arg is the prefix length ---- */
    ROW("lpm/longest_prefix", "kd_lpm", "kd_lpm", 1, XDP_DROP,
        KD_PKT(C(KD_LOOKUP, 0, 0, 32, IP(10, 1, 2, 3), 0), C(KD_LOOKUP, 0, 0, 32, IP(10, 1, 9, 9), 0),
               C(KD_LOOKUP, 0, 0, 32, IP(10, 9, 9, 9), 0), C(KD_LOOKUP, 0, 0, 32, IP(11, 0, 0, 1), 0),
               C(KD_LOOKUP, 0, 0, 16, IP(10, 1, 2, 3), 0), C(KD_LOOKUP, 0, 0, 8, IP(10, 1, 2, 3), 0),
               C(KD_LOOKUP, 0, 0, 7, IP(10, 1, 2, 3), 0), C(KD_LOOKUP, 0, 0, 32, IP(192, 168, 1, 1), 0)),
        KD_PUT("prefixes", LPM_KEY(8, 10, 0, 0, 0), KD_BYTES(KD_U64(1)), 0),
        KD_PUT("prefixes", LPM_KEY(16, 10, 1, 0, 0), KD_BYTES(KD_U64(2)), 0),
        KD_PUT("prefixes", LPM_KEY(24, 10, 1, 2, 0), KD_BYTES(KD_U64(3)), 0),
        KD_PUT("prefixes", LPM_KEY(1, 0, 0, 0, 0), KD_BYTES(KD_U64(4)), 0)),
    ROW("lpm/default_route", "kd_lpm", "kd_lpm", 1, XDP_PASS,
        KD_PKT(C(KD_LOOKUP, 0, 0, 32, IP(200, 1, 2, 3), 0), C(KD_LOOKUP, 0, 0, 0, IP(10, 1, 2, 3), 0),
               C(KD_LOOKUP, 0, 0, 32, IP(10, 200, 2, 3), 0)),
        KD_PUT("prefixes", LPM_KEY(0, 0, 0, 0, 0), KD_BYTES(KD_U64(100)), 0),
        KD_PUT("prefixes", LPM_KEY(8, 10, 0, 0, 0), KD_BYTES(KD_U64(1)), 0)),
    ROW("lpm/update_delete", "kd_lpm", "kd_lpm", 1, XDP_DROP,
        KD_PKT(C(KD_UPDATE, 0, KD_ANY, 16, IP(192, 168, 0, 0), 7), C(KD_LOOKUP, 0, 0, 32, IP(192, 168, 3, 4), 0),
               C(KD_DELETE, 0, 0, 16, IP(10, 0, 0, 0), 0), C(KD_DELETE, 0, 0, 8, IP(10, 0, 0, 0), 0),
               C(KD_DELETE, 0, 0, 8, IP(10, 0, 0, 0), 0), C(KD_LOOKUP, 0, 0, 32, IP(10, 1, 2, 3), 0),
               C(KD_LOOKUP, 0, 0, 32, IP(10, 128, 2, 3), 0), C(KD_UPDATE, 0, KD_ANY, 16, IP(192, 168, 99, 99), 8)),
        KD_PUT("prefixes", LPM_KEY(8, 10, 0, 0, 0), KD_BYTES(KD_U64(1)), 0),
        KD_PUT("prefixes", LPM_KEY(9, 10, 128, 0, 0), KD_BYTES(KD_U64(2)), 0),
        KD_PUT("prefixes", LPM_KEY(10, 10, 0, 0, 0), KD_BYTES(KD_U64(3)), 0)),
    ROW("lpm/flags", "kd_lpm", "kd_lpm", 1, XDP_DROP,
        KD_PKT(C(KD_UPDATE, 0, KD_NOEXIST, 8, IP(10, 0, 0, 0), 5), C(KD_UPDATE, 0, KD_EXIST, 16, IP(10, 2, 0, 0), 5),
               C(KD_UPDATE, 0, KD_EXIST, 8, IP(10, 0, 0, 0), 6), C(KD_UPDATE, 0, KD_ANY, 33, IP(10, 0, 0, 0), 5),
               C(KD_UPDATE, 0, 3, 8, IP(10, 0, 0, 0), 5), C(KD_UPDATE, 0, KD_NOEXIST, 12, IP(10, 16, 0, 0), 9),
               C(KD_DELETE, 0, 0, 33, IP(10, 0, 0, 0), 0), C(KD_LOOKUP, 0, 0, 32, IP(10, 16, 1, 1), 0)),
        KD_PUT("prefixes", LPM_KEY(8, 10, 0, 0, 0), KD_BYTES(KD_U64(1)), 0)),
    ROW("lpm/full", "kd_lpm", "kd_lpm", 1, XDP_DROP,
        KD_PKT(C(KD_UPDATE, 0, KD_ANY, 24, IP(10, 0, 9, 0), 9), C(KD_UPDATE, 0, KD_ANY, 24, IP(10, 0, 1, 0), 11),
               C(KD_DELETE, 0, 0, 24, IP(10, 0, 2, 0), 0), C(KD_UPDATE, 0, KD_NOEXIST, 24, IP(10, 0, 9, 0), 9),
               C(KD_LOOKUP, 0, 0, 32, IP(10, 0, 9, 1), 0)),
        KD_PUT("prefixes", LPM_KEY(24, 10, 0, 1, 0), KD_BYTES(KD_U64(1)), 0),
        KD_PUT("prefixes", LPM_KEY(24, 10, 0, 2, 0), KD_BYTES(KD_U64(2)), 0),
        KD_PUT("prefixes", LPM_KEY(24, 10, 0, 3, 0), KD_BYTES(KD_U64(3)), 0),
        KD_PUT("prefixes", LPM_KEY(24, 10, 0, 4, 0), KD_BYTES(KD_U64(4)), 0),
        KD_PUT("prefixes", LPM_KEY(24, 10, 0, 5, 0), KD_BYTES(KD_U64(5)), 0),
        KD_PUT("prefixes", LPM_KEY(24, 10, 0, 6, 0), KD_BYTES(KD_U64(6)), 0),
        KD_PUT("prefixes", LPM_KEY(24, 10, 0, 7, 0), KD_BYTES(KD_U64(7)), 0),
        KD_PUT("prefixes", LPM_KEY(16, 10, 0, 0, 0), KD_BYTES(KD_U64(8)), 0)),

    /* the dump's order is compared too: post-order, more specific prefixes first */
    ROW("lpm/iteration_order", "kd_lpm", "kd_lpm", 1, XDP_DROP,
        KD_PKT(C(KD_DELETE, 0, 0, 9, IP(10, 128, 0, 0), 0), C(KD_LOOKUP, 0, 0, 32, IP(10, 200, 0, 1), 0),
               C(KD_LOOKUP, 0, 0, 32, IP(10, 70, 0, 1), 0), C(KD_LOOKUP, 0, 0, 32, IP(172, 31, 255, 255), 0),
               C(KD_LOOKUP, 0, 0, 32, IP(172, 32, 0, 0), 0), C(KD_UPDATE, 0, KD_ANY, 32, IP(192, 168, 1, 77), 9),
               C(KD_DELETE, 0, 0, 0, 0, 0), C(KD_LOOKUP, 0, 0, 32, IP(8, 8, 8, 8), 0)),
        KD_PUT("prefixes", LPM_KEY(24, 192, 168, 1, 0), KD_BYTES(KD_U64(1)), 0),
        KD_PUT("prefixes", LPM_KEY(9, 10, 128, 0, 0), KD_BYTES(KD_U64(2)), 0),
        KD_PUT("prefixes", LPM_KEY(0, 0, 0, 0, 0), KD_BYTES(KD_U64(3)), 0),
        KD_PUT("prefixes", LPM_KEY(12, 172, 16, 0, 0), KD_BYTES(KD_U64(4)), 0),
        KD_PUT("prefixes", LPM_KEY(10, 10, 64, 0, 0), KD_BYTES(KD_U64(5)), 0),
        KD_PUT("prefixes", LPM_KEY(16, 192, 168, 0, 0), KD_BYTES(KD_U64(6)), 0),
        KD_PUT("prefixes", LPM_KEY(8, 10, 0, 0, 0), KD_BYTES(KD_U64(7)), 0)),

    /* ---- queue, stack (kd_queue) ---- */
    ROW("queue/fifo", "kd_queue", "kd_queue", 1, XDP_DROP,
        KD_PKT(C(KD_PUSH, QUEUE, KD_ANY, 0, 0, 1), C(KD_PUSH, QUEUE, KD_ANY, 0, 0, 2), C(KD_PUSH, QUEUE, KD_ANY, 0, 0, 3),
               C(KD_POP, QUEUE, 0, 0, 0, 0), C(KD_PEEK, QUEUE, 0, 0, 0, 0), C(KD_POP, QUEUE, 0, 0, 0, 0),
               C(KD_POP, QUEUE, 0, 0, 0, 0), C(KD_POP, QUEUE, 0, 0, 0, 0))),
    ROW("queue/full_and_overwrite", "kd_queue", "kd_queue", 1, XDP_DROP,
        KD_PKT(C(KD_PUSH, QUEUE, KD_ANY, 0, 0, 5), C(KD_PUSH, QUEUE, KD_EXIST, 0, 0, 6), C(KD_PEEK, QUEUE, 0, 0, 0, 0),
               C(KD_PUSH, QUEUE, KD_NOEXIST, 0, 0, 7), C(KD_PUSH, QUEUE, 3, 0, 0, 7), C(KD_POP, QUEUE, 0, 0, 0, 0)),
        KD_PUT("queue", KD_NONE, KD_BYTES(KD_U64(1)), 0), KD_PUT("queue", KD_NONE, KD_BYTES(KD_U64(2)), 0),
        KD_PUT("queue", KD_NONE, KD_BYTES(KD_U64(3)), 0), KD_PUT("queue", KD_NONE, KD_BYTES(KD_U64(4)), 0)),
    ROW("queue/empty", "kd_queue", "kd_queue", 1, XDP_DROP,
        KD_PKT(C(KD_PEEK, QUEUE, 0, 0, 0, 0), C(KD_POP, QUEUE, 0, 0, 0, 0), C(KD_PEEK, STACK, 0, 0, 0, 0),
               C(KD_POP, STACK, 0, 0, 0, 0))),
    ROW("stack/lifo", "kd_queue", "kd_queue", 1, XDP_PASS,
        KD_PKT(C(KD_PUSH, STACK, KD_ANY, 0, 0, 1), C(KD_PUSH, STACK, KD_ANY, 0, 0, 2), C(KD_PEEK, STACK, 0, 0, 0, 0),
               C(KD_POP, STACK, 0, 0, 0, 0), C(KD_PUSH, STACK, KD_ANY, 0, 0, 3), C(KD_POP, STACK, 0, 0, 0, 0)),
        KD_PUT("stack", KD_NONE, KD_BYTES(KD_U64(10)), 0)),
    ROW("stack/full_and_overwrite", "kd_queue", "kd_queue", 1, XDP_DROP,
        KD_PKT(C(KD_PUSH, STACK, KD_ANY, 0, 0, 5), C(KD_PUSH, STACK, KD_EXIST, 0, 0, 6), C(KD_PEEK, STACK, 0, 0, 0, 0),
               C(KD_PUSH, STACK, KD_EXIST, 0, 0, 7), C(KD_POP, STACK, 0, 0, 0, 0), C(KD_PUSH, STACK, KD_NOEXIST, 0, 0, 8)),
        KD_PUT("stack", KD_NONE, KD_BYTES(KD_U64(1)), 0), KD_PUT("stack", KD_NONE, KD_BYTES(KD_U64(2)), 0),
        KD_PUT("stack", KD_NONE, KD_BYTES(KD_U64(3)), 0), KD_PUT("stack", KD_NONE, KD_BYTES(KD_U64(4)), 0)),
    ROW("queue_stack/repeat", "kd_queue", "kd_queue", 6, XDP_DROP,
        KD_PKT(C(KD_PUSH, QUEUE, KD_ANY, 0, 0, 9), C(KD_PUSH, STACK, KD_EXIST, 0, 0, 8), C(KD_PEEK, STACK, 0, 0, 0, 0))),

    /* ---- ringbuf (kd_ringbuf): a 4096-byte ring; records are compared too ---- */
    ROW("ringbuf/output_query", "kd_ringbuf", "kd_ringbuf", 1, XDP_PASS,
        KD_PKT(C(RB_OUTPUT, 0, 0, 5, 0, 0x10), C(RB_OUTPUT, 0, 0, 0, 0, 0x20), C(RB_OUTPUT, 0, 1, 64, 0, 0x30),
               C(RB_OUTPUT, 0, 2, 1, 0, 0x40), C(RB_QUERY, 0, 0, 0, 0, 0), C(RB_QUERY, 0, 0, 0, 1, 0),
               C(RB_QUERY, 0, 0, 0, 2, 0), C(RB_QUERY, 0, 0, 0, 3, 0))),
    ROW("ringbuf/reserve_submit_discard", "kd_ringbuf", "kd_ringbuf", 1, XDP_PASS,
        KD_PKT(C(RB_SUBMIT, 0, 0, 0, 0, 0x01), C(RB_DISCARD, 1, 0, 0, 0, 0x02), C(RB_SUBMIT, 1, 1, 0, 0, 0x03),
               C(RB_SUBMIT, 2, 2, 0, 0, 0x04), C(RB_DISCARD, 3, 1, 0, 0, 0x05), C(RB_SUBMIT, 3, 0, 0, 0, 0x06),
               C(RB_QUERY, 0, 0, 0, 0, 0), C(RB_QUERY, 0, 0, 0, 3, 0))),
    ROW("ringbuf/bad_flags_and_sizes", "kd_ringbuf", "kd_ringbuf", 1, XDP_DROP,
        KD_PKT(C(RB_OUTPUT, 0, 4, 8, 0, 0x10), C(RB_SUBMIT, 4, 0, 0, 0, 0x11), C(RB_QUERY, 0, 0, 0, 7, 0),
               C(RB_OUTPUT, 0, 3, 8, 0, 0x12), C(RB_SUBMIT, 5, 0, 0, 0, 0x13), C(RB_DISCARD, 5, 0, 0, 0, 0x14),
               C(RB_SUBMIT, 6, 0, 0, 0, 0x15), C(RB_QUERY, 0, 0, 0, 3, 0))),
    ROW("ringbuf/full", "kd_ringbuf", "kd_ringbuf", 1, XDP_DROP,
        KD_PKT(C(RB_FILL, 0, 0, 0, 0, 0xa0), C(RB_OUTPUT, 0, 0, 64, 0, 0x10), C(RB_OUTPUT, 0, 0, 48, 0, 0x20),
               C(RB_SUBMIT, 0, 0, 0, 0, 0x30), C(RB_QUERY, 0, 0, 0, 0, 0), C(RB_QUERY, 0, 0, 0, 3, 0))),
    ROW("ringbuf/repeat", "kd_ringbuf", "kd_ringbuf", 3, XDP_PASS,
        KD_PKT(C(RB_OUTPUT, 0, 0, 10, 0, 0x50), C(RB_SUBMIT, 1, 0, 0, 0, 0x60), C(RB_QUERY, 0, 0, 0, 3, 0))),

    /* ---- perf_event_array (kd_perf): a reader on every CPU; flags = record size, arg = packet bytes ---- */
    ROW("perf/current_cpu", "kd_perf", "kd_perf", 1, XDP_PASS,
        KD_PKT(C(PERF_OUT, 0, 8, 0, CURRENT_CPU, 0x11), C(PERF_OUT, 0, 13, 0, CURRENT_CPU, 0x22),
               C(PERF_OUT, 0, 0, 0, CURRENT_CPU, 0x33), C(PERF_OUT, 0, 4, 16, CURRENT_CPU, 0x44),
               C(PERF_OUT, 0, 0, 5, CURRENT_CPU, 0x55), C(PERF_OUT, 0, 32, 0, OWN_INDEX, 0x66))),
    ROW("perf/bad_index_and_flags", "kd_perf", "kd_perf", 1, XDP_DROP,
        KD_PKT(C(PERF_OUT, 0, 8, 0, NEXT_CPU, 0x11), C(PERF_OUT, 0, 8, 0, 8, 0x22), C(PERF_OUT, 0, 8, 0, 7, 0x33),
               C(PERF_OUT, 1, 8, 0, CURRENT_CPU, 0x44), C(PERF_OUT, 0, 8, 200, CURRENT_CPU, 0x55),
               C(PERF_OUT, 0, 4, 0, CURRENT_CPU, 0x66))),
    ROW("perf/repeat", "kd_perf", "kd_perf", 3, XDP_PASS,
        KD_PKT(C(PERF_OUT, 0, 3, 2, CURRENT_CPU, 0x77))),

    /* ---- array_of_maps, hash_of_maps (kd_mim): sel picks the outer map, key its slot, arg the inner key ---- */
    ROW("array_of_maps/inner_ops", "kd_mim", "kd_mim", 1, XDP_DROP,
        KD_PKT(C(KD_UPDATE, 0, KD_ANY, 1, 0, 5), C(KD_LOOKUP, 0, 0, 1, 0, 0), C(KD_ADD, 0, 0, 3, 2, 7),
               C(KD_LOOKUP, 0, 0, 0, 1, 0), C(KD_LOOKUP, 0, 0, 0, 3, 0), C(KD_UPDATE, 0, KD_NOEXIST, 2, 2, 1),
               C(KD_LOOKUP, 0, 0, 0, 0, 0), C(KD_UPDATE, 0, KD_ANY, 4, 0, 1)),
        KD_SET("inner_a", 0, 11), KD_SET("inner_b", 3, 30)),
    ROW("hash_of_maps/inner_ops", "kd_mim", "kd_mim", 1, XDP_DROP,
        KD_PKT(C(KD_UPDATE, 1, KD_NOEXIST, 9, 1, 90), C(KD_LOOKUP, 1, 0, 9, 1, 0), C(KD_ADD, 1, 0, 9, 1, 1),
               C(KD_LOOKUP, 1, 0, 9, 2, 0), C(KD_UPDATE, 1, KD_ANY, 8, 1, 80), C(KD_UPDATE, 1, KD_ANY, 7, 1, 70),
               C(KD_UPDATE, 1, KD_ANY, 6, 1, 60), C(KD_UPDATE, 1, KD_EXIST, 9, 1, 99)),
        KD_SET("inner_h", 5, 50)),
    ROW("map_in_map/repeat", "kd_mim", "kd_mim", 3, XDP_PASS,
        KD_PKT(C(KD_ADD, 0, 0, 2, 0, 1), C(KD_ADD, 0, 0, 2, 2, 2), C(KD_ADD, 1, 0, 4, 1, 3)), KD_SET("inner_h", 4, 0)),

    /* ---- devmap, bpf_redirect_map, bpf_redirect (kd_devmap): ports hold ifindex 1 (loopback) ---- */
    ROW("devmap/redirect_map", "kd_devmap", "kd_devmap", 1, XDP_PASS,
        KD_PKT(C(REDIRECT_MAP, 0, 0, 0, 0, 0), C(REDIRECT_MAP, 0, 0, 0, 1, 0), C(REDIRECT_MAP, 0, 0, 0, 1, XDP_PASS),
               C(REDIRECT_MAP, 0, 0, 0, 3, XDP_TX), C(REDIRECT_MAP, 0, 0, 0, 9, XDP_DROP),
               C(REDIRECT_MAP, 0, 0, 0, 1, 8 /* BPF_F_BROADCAST */),
               C(REDIRECT_MAP, 0, 0, 0, 0, 8 | 16 /* | BPF_F_EXCLUDE_INGRESS */), C(REDIRECT_MAP, 0, 0, 0, 2, 0x20)),
        { "ports", KD_BYTES(KD_U32(0)), KD_BYTES(KD_U32(1)), 0 }, { "ports", KD_BYTES(KD_U32(2)), KD_BYTES(KD_U32(1)), 0 }),
    ROW("devmap/lookup", "kd_devmap", "kd_devmap", 1, XDP_DROP,
        KD_PKT(C(KD_LOOKUP, 0, 0, 0, 0, 0), C(KD_LOOKUP, 0, 0, 0, 1, 0), C(KD_LOOKUP, 0, 0, 0, 4, 0)),
        { "ports", KD_BYTES(KD_U32(0)), KD_BYTES(KD_U32(1)), 0 }),
    ROW("redirect/flags", "kd_devmap", "kd_devmap", 1, XDP_PASS,
        KD_PKT(C(REDIRECT, 0, 0, 0, 1, 0), C(REDIRECT, 0, 0, 0, 1, 1 /* BPF_F_INGRESS */), C(REDIRECT, 0, 0, 0, 99, 0),
               C(REDIRECT, 0, 0, 0, 1, 2), C(REDIRECT_MAP, 0, 0, 0, 3, XDP_PASS))),

    /* ---- XDP packet helpers, csum_diff (kd_packet) ---- */
    ROW("xdp/adjust_head_grow", "kd_packet", "kd_packet", 1, XDP_PASS,
        KD_PKT(C(HEAD, 0, 0, 0, (uint32_t)-4, 0), C(WBYTE, 0, 0, 0, 0, 0xaa), C(WBYTE, 0, 0, 0, 3, 0xbb),
               C(LEN, 0, 0, 0, 0, 0), C(HEAD, 0, 0, 0, (uint32_t)-212, 0), C(LEN, 0, 0, 0, 0, 0),
               C(BUFLEN, 0, 0, 0, 0, 0))),
    ROW("xdp/adjust_head_limits", "kd_packet", "kd_packet", 1, XDP_DROP,
        KD_PKT(C(HEAD, 0, 0, 0, (uint32_t)-217, 0), C(HEAD, 0, 0, 0, (uint32_t)-300, 0), C(HEAD, 0, 0, 0, 1000, 0),
               C(HEAD, 0, 0, 0, 16 + 6 * 12 - 13, 0), C(HEAD, 0, 0, 0, 2, 0), C(LEN, 0, 0, 0, 0, 0))),
    ROW("xdp/adjust_head_shrink", "kd_packet", "kd_packet", 1, XDP_PASS,
        KD_PKT(C(HEAD, 0, 0, 0, 16, 0), C(WBYTE, 0, 0, 0, 1, 0x5a), C(LEN, 0, 0, 0, 0, 0), C(HEAD, 0, 0, 0, 20, 0),
               C(LEN, 0, 0, 0, 0, 0))),
    ROW("xdp/adjust_tail", "kd_packet", "kd_packet", 1, XDP_DROP,
        KD_PKT(C(TAIL, 0, 0, 0, 8, 0), C(LEN, 0, 0, 0, 0, 0), C(TAIL, 0, 0, 0, (uint32_t)-20, 0),
               C(TAIL, 0, 0, 0, 4000, 0), C(TAIL, 0, 0, 0, (uint32_t)-200, 0), C(BUFLEN, 0, 0, 0, 0, 0),
               C(TAIL, 0, 0, 0, 3520 - 96, 0), C(TAIL, 0, 0, 0, 1, 0))),
    ROW("xdp/adjust_tail_repeat", "kd_packet", "kd_packet", 3, XDP_PASS,
        KD_PKT(C(TAIL, 0, 0, 0, 7, 0), C(WBYTE, 0, 0, 0, 0, 0x77))),
    ROW("xdp/adjust_meta", "kd_packet", "kd_packet", 1, XDP_DROP,
        KD_PKT(C(META, 0, 0, 0, (uint32_t)-8, 0), C(WMETA, 0, 0, 0, 0, 0x11223344), C(WMETA, 0, 0, 0, 4, 0x55667788),
               C(LEN, 0, 0, 0, 0, 0), C(META, 0, 0, 0, (uint32_t)-3, 0), C(META, 0, 0, 0, (uint32_t)-28, 0),
               C(META, 0, 0, 0, 12, 0), C(WMETA, 0, 0, 0, 8, 1))),
    ROW("xdp/meta_moves_with_head", "kd_packet", "kd_packet", 1, XDP_PASS,
        KD_PKT(C(META, 0, 0, 0, (uint32_t)-4, 0), C(WMETA, 0, 0, 0, 0, 0xcafef00d), C(HEAD, 0, 0, 0, (uint32_t)-6, 0),
               C(LEN, 0, 0, 0, 0, 0), C(HEAD, 0, 0, 0, 10, 0), C(LEN, 0, 0, 0, 0, 0), C(META, 0, 0, 0, 4, 0),
               C(LEN, 0, 0, 0, 0, 0))),
    ROW("xdp/meta_limits", "kd_packet", "kd_packet", 1, XDP_DROP,
        KD_PKT(C(META, 0, 0, 0, (uint32_t)-32, 0), C(META, 0, 0, 0, (uint32_t)-4, 0), C(HEAD, 0, 0, 0, (uint32_t)-200, 0),
               C(META, 0, 0, 0, 32, 0), C(HEAD, 0, 0, 0, (uint32_t)-16, 0), C(LEN, 0, 0, 0, 0, 0))),
    ROW("xdp/load_store_bytes", "kd_packet", "kd_packet", 1, XDP_DROP,
        KD_PKT(C(LOAD, 0, 0, 0, 0, 0), C(STORE, 0, 0, 0, 2, 0xdeadbeef), C(LOAD, 0, 0, 0, 0, 0),
               C(LOAD, 0, 0, 0, 100, 0), C(STORE, 0, 0, 0, 90, 1), C(WBYTE, 0, 0, 0, 200, 1), C(BUFLEN, 0, 0, 0, 0, 0))),
    /* since Linux 6.13 any sizes are fine and the result is folded to 16 bits: never negative */
    ROW("csum_diff/sums", "kd_packet", "kd_packet", 1, XDP_PASS,
        KD_PKT(C(CSUM, 0, 0, 8, 16, 0), C(CSUM, 0, 0, 8, 0, 0xffff), C(CSUM, 1, 0, 12, 16, 0x12345678),
               C(CSUM, 2, 0, 8, 0, 0), C(CSUM, 0, 0, 6, 16, 0), C(CSUM, 0, 0, 0, 16, 0xabcd),
               C(CSUM, 0, 0, 64, 0, 0xffffffff), C(CSUM, 1, 0, 64, 8, 1))),

    /* ---- task, clock, CPU and random helpers; trace_printk (kd_proc) ---- */
    ROW("proc/properties", "kd_proc", "kd_proc", 1, XDP_PASS, KD_PKT()),
    ROW("proc/repeat", "kd_proc", "kd_proc", 5, XDP_PASS, KD_PKT()),

    /* ---- strtol, strtoul, strncmp, snprintf (kd_string): texts in the tail ---- */
    ROW_TAIL("string/strtol", "kd_string", "kd_string", XDP_DROP,
             KD_PKT(C(STRTOL, 0, 10, 3, KD_TEXT(8, 0), 0), C(STRTOL, 0, 0, 3, KD_TEXT(8, 4), 0),
                    C(STRTOL, 0, 0, 4, KD_TEXT(8, 8), 0), C(STRTOL, 0, 16, 4, KD_TEXT(8, 8), 0),
                    C(STRTOL, 0, 0, 3, KD_TEXT(8, 13), 0), C(STRTOL, 0, 8, 3, KD_TEXT(8, 13), 0),
                    C(STRTOL, 0, 10, 5, KD_TEXT(8, 17), 0), C(STRTOL, 0, 10, 3, KD_TEXT(8, 23), 0), KD_END),
             KD_TAIL("123\0-42\0000x1f\0017\0  7ab\0abc\0")),
    ROW_TAIL("string/strtol_edges", "kd_string", "kd_string", XDP_DROP,
             KD_PKT(C(STRTOL, 0, 0, 19, KD_TEXT(8, 0), 0), C(STRTOL, 0, 0, 20, KD_TEXT(8, 0), 0),
                    C(STRTOL, 0, 0, 20, KD_TEXT(8, 20), 0), C(STRTOL, 0, 3, 2, KD_TEXT(8, 41), 0),
                    C(STRTOL, 0, 0x20, 2, KD_TEXT(8, 41), 0), C(STRTOL, 0, 10, 1, KD_TEXT(8, 44), 0),
                    C(STRTOL, 0, 10, 2, KD_TEXT(8, 46), 0), C(STRTOL, 0, 10, 1, KD_TEXT(8, 49), 0), KD_END),
             KD_TAIL("92233720368547758070-9223372036854775808\00042\0-\0+5\0\0")),
    ROW_TAIL("string/strtoul", "kd_string", "kd_string", XDP_DROP,
             KD_PKT(C(STRTOUL, 0, 0, 20, KD_TEXT(8, 0), 0), C(STRTOUL, 0, 0, 21, KD_TEXT(8, 0), 0),
                    C(STRTOUL, 0, 10, 2, KD_TEXT(8, 22), 0), C(STRTOUL, 0, 16, 10, KD_TEXT(8, 25), 0),
                    C(STRTOUL, 0, 0, 10, KD_TEXT(8, 25), 0), C(STRTOUL, 0, 8, 4, KD_TEXT(8, 36), 0),
                    C(STRTOUL, 0, 0, 4, KD_TEXT(8, 36), 0), C(STRTOUL, 0, 16, 3, KD_TEXT(8, 41), 0), KD_END),
             KD_TAIL("18446744073709551615\0-5\0 0xDEADbeef\0 0778\0fg\0")),
    ROW_TAIL("string/strncmp", "kd_string", "kd_string", XDP_DROP,
             KD_PKT(C(STRNCMP, 0, 0, 5, KD_TEXT(8, 0), 0), C(STRNCMP, 0, 0, 6, KD_TEXT(8, 0), 0),
                    C(STRNCMP, 0, 0, 3, KD_TEXT(8, 6), 0), C(STRNCMP, 0, 0, 5, KD_TEXT(8, 6), 0),
                    C(STRNCMP, 2, 0, 5, KD_TEXT(8, 12), 0), C(STRNCMP, 1, 0, 1, KD_TEXT(8, 12), 0),
                    C(STRNCMP, 3, 0, 6, KD_TEXT(8, 0), 0), C(STRNCMP, 3, 0, 12, KD_TEXT(8, 18), 0), KD_END),
             KD_TAIL("hello\0hellz\0help!\0hello world!")),
    ROW("string/snprintf_formats", "kd_string", "kd_string", 1, XDP_PASS,
        KD_PKT(C(SNPRINTF, 0, 0, 64, (uint32_t)-5, 0xbeef), C(SNPRINTF, 1, 0, 64, (uint32_t)-7, 12345),
               C(SNPRINTF, 2, 0, 64, 0, 0), C(SNPRINTF, 3, 0, 64, 0x216b64, 0), C(SNPRINTF, 4, 0, 64, 42, (uint32_t)-3),
               C(SNPRINTF, 5, 0, 64, IP(192, 168, 1, 20), 0), C(SNPRINTF, 6, 0, 64, 100, 0),
               C(SNPRINTF, 7, 0, 64, 17, 0))),
    ROW("string/snprintf_truncation", "kd_string", "kd_string", 1, XDP_PASS,
        KD_PKT(C(SNPRINTF, 0, 0, 4, 123456, 1), C(SNPRINTF, 0, 0, 1, 1, 1), C(SNPRINTF, 0, 0, 0, 1, 1),
               C(SNPRINTF, 8, 0, 64, 0xab, 0), C(SNPRINTF, 8, 0, 12, 0xab, 0), C(SNPRINTF, 9, 0, 64, (uint32_t)-1, 7),
               C(SNPRINTF, 7, 0, 64, (uint32_t)-17, 0), C(SNPRINTF, 6, 0, 20, 7, 0))),

    ROW("string/snprintf_pointers", "kd_string", "kd_string", 1, XDP_PASS,
        KD_PKT(C(SNPRINTF, 10, 0, 64, IP(10, 0, 0, 1), 0), C(SNPRINTF, 10, 0, 20, IP(0, 0, 0, 0), 0),
               C(SNPRINTF, 11, 0, 64, 0, 0), C(SNPRINTF, 11, 0, 5, 0, 0), C(SNPRINTF, 12, 0, 64, (uint32_t)-2, 0),
               C(SNPRINTF, 12, 0, 64, 255, 0), C(SNPRINTF, 5, 0, 64, IP(255, 255, 255, 255), 0),
               C(SNPRINTF, 5, 0, 9, IP(1, 2, 3, 4), 0))),

    /* ---- the older test programs: global data, hash maps, tail calls, callbacks ---- */
    ROW("dns_drop/udp53", "xdp_dns_drop", "xdp_dns_drop", 1, XDP_DROP, KD_BYTES(ETH_IP, IPV4(17), UDP_TO(53))),
    ROW("dns_drop/udp54_repeat", "xdp_dns_drop", "xdp_dns_drop", 3, XDP_PASS, KD_BYTES(ETH_IP, IPV4(17), UDP_TO(54))),
    ROW("dns_drop/tcp", "xdp_dns_drop", "xdp_dns_drop", 1, XDP_PASS, KD_BYTES(ETH_IP, IPV4(6), UDP_TO(53)),
        { "verdicts", KD_BYTES(KD_U32(1)), KD_BYTES(KD_U64(2)), 0 }),
    ROW("dns_drop/short", "xdp_dns_drop", "xdp_dns_drop", 1, XDP_PASS, KD_BYTES(ETH_IP)),
    ROW("pop_tag/pass", "xdp_pop_tag", "xdp_pop_tag", 1, XDP_PASS, KD_BYTES(0xaa, 0, 0, 0, ETH_IP, 0x45, 0)),
    ROW("pop_tag/strip", "xdp_pop_tag", "xdp_pop_tag", 1, XDP_TX, KD_BYTES(0xaa, 0, 0, 0, ETH_IP, 0x45, 0),
        { "strip", KD_BYTES(0xaa), KD_BYTES(KD_U32(1)), 0 }),
    /* the first run strips the tag and turns the next byte into 0x00: the second run strips 4 more
     * bytes if strip[0x00] is on, which leaves less than an Ethernet header */
    ROW("pop_tag/strip_repeat", "xdp_pop_tag", "xdp_pop_tag", 2, XDP_ABORTED, KD_BYTES(0xaa, 0, 0, 0, ETH_IP, 0x45, 0),
        { "strip", KD_BYTES(0xaa), KD_BYTES(KD_U32(1)), 0 }, { "strip", KD_BYTES(0x00), KD_BYTES(KD_U32(1)), 0 }),
    ROW("pop_tag/strip_repeat_off", "xdp_pop_tag", "xdp_pop_tag", 2, XDP_PASS, KD_BYTES(0xaa, 0, 0, 0, ETH_IP, 0x45, 0),
        { "strip", KD_BYTES(0xaa), KD_BYTES(KD_U32(1)), 0 }, { "strip", KD_BYTES(0x00), KD_BYTES(KD_U32(0)), 0 }),
    ROW("pop_tag/too_short", "xdp_pop_tag", "xdp_pop_tag", 1, XDP_ABORTED,
        KD_BYTES(0xbb, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 1, 0x08),
        { "strip", KD_BYTES(0xbb), KD_BYTES(KD_U32(1)), 0 }),
    ROW("tail_call/chain", "xdp_tail_call", "xdp_tail_entry", 1, XDP_TX, KD_BYTES(ETH_IP, 0x45, 0)),
    ROW("tail_call/direct", "xdp_tail_call", "xdp_tail_a", 1, XDP_TX, KD_BYTES(ETH_IP, 0x45, 0)),
    ROW("tail_call/limit", "xdp_tail_call", "xdp_tail_loop", 1, XDP_PASS, KD_BYTES(ETH_IP, 0x45, 0)),
    ROW("tail_call/limit_repeat", "xdp_tail_call", "xdp_tail_loop", 3, XDP_PASS, KD_BYTES(ETH_IP, 0x45, 0)),
    ROW("callbacks/loop_stop", "xdp_loop", "xdp_loop", 1, XDP_TX, KD_BYTES(ETH_IP, 10)),
    ROW("callbacks/loop_all", "xdp_loop", "xdp_loop", 1, XDP_PASS, KD_BYTES(ETH_IP, 0xff)),
    ROW("callbacks/foreach_count", "xdp_loop", "xdp_foreach", 1, XDP_DROP, KD_BYTES(ETH_IP, 10), KD_SET("vals", 1, 5),
        KD_SET("vals", 3, 1)),
    ROW("callbacks/foreach_stop", "xdp_loop", "xdp_foreach", 1, XDP_PASS, KD_BYTES(ETH_IP, 10), KD_SET("vals", 1, 5),
        KD_SET("vals", 2, 99), KD_SET("vals", 3, 1)),
};

const size_t kd_case_count = sizeof kd_cases / sizeof kd_cases[0];
