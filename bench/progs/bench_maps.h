/* bench_maps.h - shared by bench/progs/maps.bpf.c and bench_maps (bench/maps_*.c): the geometry of
 * the four benchmark maps and the layout of the test-run packet the in-program path uses. Keys on the
 * packet are 8-byte words: the map's key bytes, zero-padded (array: the u32 index; hash and lru_hash:
 * the u64 key; lpm_trie: { u32 prefixlen; u8 addr[4] }). */
#ifndef BENCH_MAPS_H
#define BENCH_MAPS_H

#define BM_ARRAY_ENTRIES 4096 /* array: u32 index, 64-byte value, every slot filled */
#define BM_ARRAY_VALUE 64
#define BM_HASH_MAX 8192      /* hash, lru_hash: u64 key, 32-byte value, BM_FILL entries filled */
#define BM_HASH_VALUE 32
#define BM_LPM_MAX 8192       /* lpm_trie: IPv4 key { prefixlen, addr }, 8-byte value, ~BM_FILL prefixes */
#define BM_LPM_VALUE 8
#define BM_FILL 4096

#define BM_PKT_KEYS 256                            /* keys per packet, one map operation each per run */
#define BM_PKT_KEYS_OFF 16                         /* the first 16 bytes: result word (u64) at 0 */
#define BM_PKT_LEN (BM_PKT_KEYS_OFF + 8 * BM_PKT_KEYS)

#endif
