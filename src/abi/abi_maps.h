/*
 * abi_maps.h - the Linux map ABI as data: map type ids and names (from map_types.def) and the UAPI
 * flag values of linux/bpf.h that map creation, element updates, ring buffers and perf output use.
 * The constants carry an ABI_ prefix so that this header can live beside <linux/bpf.h>.
 */
#ifndef EBPF_ABI_MAPS_H
#define EBPF_ABI_MAPS_H

#include <stdint.h>

enum abi_map_type {
#define ABI_MAP_TYPE(ENUM, id, name, impl) ABI_MAP_TYPE_##ENUM = (id),
#include "abi/map_types.def"
#undef ABI_MAP_TYPE
};

/* One past the highest known map type id (the list is dense and ordered; abi_maps.c checks it). */
enum {
#define ABI_MAP_TYPE(ENUM, id, name, impl) ABI_MAP_TYPE_ORDINAL_##ENUM,
#include "abi/map_types.def"
#undef ABI_MAP_TYPE
    ABI_MAP_TYPE_LIMIT
};

/* The bpftool name of a map type ("lru_percpu_hash"), or NULL for an unknown id. */
const char *abi_map_type_name(uint32_t type);
/* The id of a map type given its bpftool name, or -1. */
int abi_map_type_from_name(const char *name);

/* Element update flags (BPF_MAP_UPDATE_ELEM, bpf_map_update_elem, push). */
#define ABI_ANY     0u  /* create or update */
#define ABI_NOEXIST 1u  /* create only */
#define ABI_EXIST   2u  /* update only (queue/stack push: overwrite the oldest when full) */
#define ABI_F_LOCK  4u  /* copy the value under its struct bpf_spin_lock */

/* Map creation flags (map_flags). */
#define ABI_F_NO_PREALLOC    (1u << 0)
#define ABI_F_NO_COMMON_LRU  (1u << 1)
#define ABI_F_NUMA_NODE      (1u << 2)
#define ABI_F_RDONLY         (1u << 3)
#define ABI_F_WRONLY         (1u << 4)
#define ABI_F_STACK_BUILD_ID (1u << 5)
#define ABI_F_ZERO_SEED      (1u << 6)
#define ABI_F_RDONLY_PROG    (1u << 7)
#define ABI_F_WRONLY_PROG    (1u << 8)
#define ABI_F_CLONE          (1u << 9)
#define ABI_F_MMAPABLE       (1u << 10)
#define ABI_F_PRESERVE_ELEMS (1u << 11)
#define ABI_F_INNER_MAP      (1u << 12)
#define ABI_F_ACCESS_MASK (ABI_F_RDONLY | ABI_F_WRONLY | ABI_F_RDONLY_PROG | ABI_F_WRONLY_PROG)

/* Limits Linux applies at map creation. */
#define ABI_OBJ_NAME_LEN 16u          /* map names, including the NUL */
#define ABI_MAX_STACK 512u            /* keys are built on the program stack */
#define ABI_PCPU_MIN_UNIT_SIZE 32768u /* per-CPU value size bound */
#define ABI_PAGE_SIZE 4096u           /* ring buffer sizes are multiples of this */

/* Ring buffer record header bits and flags (bpf_ringbuf_*). */
#define ABI_RINGBUF_BUSY_BIT    (1u << 31)
#define ABI_RINGBUF_DISCARD_BIT (1u << 30)
#define ABI_RINGBUF_HDR_SZ      8u
#define ABI_RB_NO_WAKEUP    (1u << 0)
#define ABI_RB_FORCE_WAKEUP (1u << 1)
#define ABI_RB_AVAIL_DATA 0u
#define ABI_RB_RING_SIZE  1u
#define ABI_RB_CONS_POS   2u
#define ABI_RB_PROD_POS   3u

/* bpf_perf_event_output flags. */
#define ABI_F_INDEX_MASK  0xffffffffull
#define ABI_F_CURRENT_CPU ABI_F_INDEX_MASK
#define ABI_F_CTXLEN_MASK (0xfffffull << 32)

/* Linux's kernel-internal ENOTSUPP, which bpf() returns to user space for some map requests. */
#define ABI_ENOTSUPP 524

#endif
