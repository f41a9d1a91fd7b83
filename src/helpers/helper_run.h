/*
 * helper_run.h - the per-run state helpers read and modify: what the runtime sets up before it runs a
 * program (program type, context, packet window, callback trampoline, trace sink), what helpers leave
 * behind (redirect target, pending tail call), and the thread's "current run".
 *
 * Life of a run (the runtime's side):
 *   helper_run run;
 *   helper_run_init(&run, prog_type, ctx);          zeroes everything else
 *   run.pkt = ...; run.call_callback = ...;         as the program type needs
 *   map_read_lock(); helper_run_enter(&run);
 *   ... engine runs the program; helpers find the run with helper_run_current() ...
 *   helper_run_exit(); map_read_unlock();
 *   read run.redirect, the context record (data/data_end moved by xdp_adjust_*), ...
 * Running the same set-up again (a repeat loop) needs only helper_run_reset between the runs.
 * Runs nest (a hook may run a program from inside another run): enter saves the outer run and exit
 * restores it. Helpers are registered with user = NULL; called with no current run they fail the
 * way Linux fails for a bad argument (-EINVAL, or the type's abort action).
 *
 * The packet window: Linux contexts (xdp_md, __sk_buff) expose 32-bit data/data_end/data_meta fields
 * that the runtime's context rewrite turns into loads of real 64-bit pointers stored in its context
 * record. helper_packet points at those record fields, so helpers that move the packet (xdp_adjust_*)
 * update exactly what the program reads next. The packet bytes are [*data, *data_end); the metadata,
 * when supported, [*data_meta, *data). buf_start..buf_end is the whole buffer the window may move in.
 */
#ifndef EBPF_HELPERS_HELPER_RUN_H
#define EBPF_HELPERS_HELPER_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct map;

/* Linux enum bpf_prog_type values that change what a helper does (bpf_redirect's flavour). */
#define HELPER_PROG_TYPE_XDP 6u

/* Linux limits the helpers enforce. */
#define HELPER_MAX_TAIL_CALL_CNT 33u      /* MAX_TAIL_CALL_CNT: tail calls per run */
#define HELPER_XDP_PACKET_HEADROOM 256u   /* XDP_PACKET_HEADROOM: headroom Linux gives test runs */
#define HELPER_XDP_FRAME_RESERVE 40u      /* sizeof(struct xdp_frame): head of the headroom no packet
                                           * or metadata may reach (xdp_adjust_head/meta) */
#define HELPER_XDP_META_MAX 255u          /* metadata: a multiple of 4 that fits skb_shared_info's u8
                                           * meta_len (so at most 252 bytes; Linux before 6.x: 32) */
#define HELPER_ETH_HLEN 14u               /* adjust_head/tail keep at least an Ethernet header */
#define HELPER_SKB_SHINFO_RESERVE 320u    /* SKB_DATA_ALIGN(sizeof(struct skb_shared_info)): Linux's
                                           * tailroom reserve; buf_end = frame end minus this */

typedef struct helper_packet {
    uint64_t *data;       /* context-record field holding the packet start pointer (NULL: no packet) */
    uint64_t *data_end;   /* ... its end pointer */
    uint64_t *data_meta;  /* ... metadata start; NULL: this context has no metadata (adjust_meta
                           * answers -ENOTSUPP, adjust_head keeps none) */
    uint8_t *buf_start;   /* XDP: data_hard_start, the start of the headroom */
    uint8_t *buf_end;     /* XDP: data_hard_end, the furthest data_end may grow to (tailroom reserve
                           * already excluded); skb: may equal *data_end */
    uint32_t *hash;       /* optional: the context's skb hash, cleared by BPF_F_INVALIDATE_HASH */
} helper_packet;

/* Where bpf_redirect / bpf_redirect_map asked the packet to go. The last successful call wins; a
 * failed redirect_map lookup clears it (as Linux clears its redirect info). */
typedef struct helper_redirect_info {
    bool set;
    uint32_t ifindex;     /* bpf_redirect: the interface; devmap: the entry's ifindex */
    uint64_t flags;       /* bpf_redirect: BPF_F_INGRESS; redirect_map: BPF_F_BROADCAST and
                           * BPF_F_EXCLUDE_INGRESS when broadcasting, else 0 */
    struct map *map;      /* redirect_map: the map (cpumap: the CPU, xskmap: the queue is `key`) */
    uint32_t map_type;    /* ABI_MAP_TYPE_*, 0 for bpf_redirect */
    uint32_t key;         /* redirect_map: the key looked up */
} helper_redirect_info;

typedef struct helper_run helper_run;

/* Runs the program's sub-function `func` (the value the program passed as callback_fn: what the
 * runtime made of the ld_imm64 BPF_PSEUDO_FUNC) with r1..r5 = a1..a5 on the current thread, as a
 * nested call of the running program, and returns its r0. If that run cannot complete (fault,
 * budget), the trampoline sets run->callback_abort and returns 1; loops then stop at once. */
typedef uint64_t (*helper_callback_fn)(helper_run *run, uint64_t func, uint64_t a1, uint64_t a2,
                                       uint64_t a3, uint64_t a4, uint64_t a5);

/* Receives bpf_trace_printk/trace_vprintk output: `len` bytes of text (at most 511, formatted as
 * Linux formats it; a %c of 0 may put a NUL inside), also NUL-terminated at text[len]. */
typedef void (*helper_trace_fn)(void *user, const char *text, size_t len);

/* How many of the `size` bytes at `addr` a helper may read (0..size). Asked only for pointers the
 * verifier did not prove (the %s, %pks and %pI4 arguments of the printk family), which Linux reads
 * with fault-tolerant copies. */
typedef size_t (*helper_readable_fn)(void *user, const void *addr, size_t size);

struct helper_run {
    /* ---- set by the runtime ---- */
    uint32_t prog_type;              /* Linux enum bpf_prog_type */
    void *ctx;                       /* r1 of the program; helpers given a ctx argument check that it
                                      * is this one (NULL: no check) */
    helper_packet pkt;               /* packet programs; zero otherwise */
    helper_callback_fn call_callback; /* needed by bpf_loop and bpf_for_each_map_elem */
    void *callback_user;             /* for the trampoline's own use */
    helper_trace_fn trace;           /* NULL: the library log callback, level INFO */
    void *trace_user;
    helper_readable_fn readable;     /* NULL: any pointer at or above 4096 is trusted as readable */
    void *readable_user;

    /* ---- written by helpers, read by the runtime ---- */
    helper_redirect_info redirect;
    uint32_t tail_call_cnt;          /* tail calls taken so far (<= HELPER_MAX_TAIL_CALL_CNT) */
    void *tail_call_target;          /* set by the tail_call helper; see helper_tail_call_take */
    bool callback_abort;             /* set by the trampoline: a callback run failed */

    /* ---- private ---- */
    helper_run *outer;               /* the run this one nests in */
};

/* Zeroes the run and sets its program type and context. */
void helper_run_init(helper_run *run, uint32_t prog_type, void *ctx);

/* Clears what helpers wrote (redirect, tail calls, callback abort) and keeps what the runtime set:
 * for the next of several runs with the same set-up (a test run's repeat loop). */
void helper_run_reset(helper_run *run);

/* true when Linux helper `id` (as implemented here) never writes what helper_run_reset clears: it
 * neither redirects, nor tail-calls, nor runs a callback (which may set callback_abort). A program
 * calling only such helpers needs no reset between the runs of a repeat loop. A list of helpers
 * checked one by one (helper_run_state.c); an unlisted id answers false. */
bool helper_keeps_run_state(uint32_t id);

/* Makes run the calling thread's current run (remembering the previous one) / restores the previous
 * one. Calls pair up on one thread. */
void helper_run_enter(helper_run *run);
void helper_run_exit(void);

/* The calling thread's current run, or NULL outside any run. */
helper_run *helper_run_current(void);

/* bpf_tail_call's target, with Linux's order of checks: index >= max_entries -> NULL (not counted);
 * HELPER_MAX_TAIL_CALL_CNT tail calls already taken -> NULL; otherwise the attempt counts, and the
 * program in slot `index` is returned (NULL for an empty slot). NULL also for a map that is not a
 * prog_array. Call inside the map read-side section the run is in. */
void *helper_tail_call_resolve(helper_run *run, struct map *map, uint32_t index);

/* The engine side of the tail_call helper (id 12): after that helper returns, an engine that
 * supports tail calls takes the target here; non-NULL means "continue in this program with the same
 * context and a fresh frame, without returning to the caller". NULL: the call failed and execution
 * goes on after it, as in Linux. Clears the pending target. */
void *helper_tail_call_take(helper_run *run);

#endif
