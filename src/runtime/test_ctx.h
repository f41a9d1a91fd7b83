/*
 * test_ctx.h - the context side of one ebpf_prog_test_run, per layout: building the runtime's context
 * record and the packet buffer from data_in / ctx_in as Linux's BPF_PROG_TEST_RUN does for the type,
 * and handing back data_out / ctx_out after the run. test_run.c owns the run itself.
 *
 *   test_ctx_xdp.c        xdp_md: bpf_prog_test_run_xdp's buffer, metadata from ctx_in
 *   test_ctx_skb.c        __sk_buff: bpf_prog_test_run_skb (eth_type_trans, l2 or not, allowed fields)
 *   test_ctx.c            the dispatch, bpf_sock_addr (ours: Linux has no test run for it), raw layouts
 */
#ifndef EBPF_RUNTIME_TEST_CTX_H
#define EBPF_RUNTIME_TEST_CTX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ebpf/ebpf.h"
#include "helpers/helper_run.h"
#include "runtime/ctx_records.h"

#define TEST_CTX_RAW_MAX 512u /* the largest raw layout (tracepoint records) */
#define TEST_CTX_SOCK_SIZE 80u /* sizeof(struct bpf_sock) */

typedef struct test_ctx {
    uint32_t prog_type;
    const abi_ctx_desc *desc;
    union {
        runtime_xdp_ctx xdp;
        runtime_skb_ctx skb;
        runtime_sock_addr_ctx sock_addr;
        uint64_t raw[TEST_CTX_RAW_MAX / 8];
    } rec;                       /* what r1 points to */
    size_t rec_size;             /* bytes of rec that are the record */
    size_t rec_readonly;         /* its leading bytes no store may reach (the pointers) */
    uint8_t *frame;              /* the packet buffer (owned), NULL for types without a packet */
    helper_packet pkt;           /* the packet window helpers see; zero without a packet */
    const uint8_t *ld_abs;       /* LD_ABS / LD_IND source (skb data), NULL if none */
    size_t ld_abs_size;
    bool l2;                     /* skb: data starts at the MAC header (tc) */
    bool has_sock;               /* skb: sock is the run's socket, what skb->sk points to */
    uint8_t sock[TEST_CTX_SOCK_SIZE]; /* a struct bpf_sock (UAPI layout), read-only to the program */
    uint8_t uapi[TEST_CTX_RAW_MAX]; /* ctx_in as given (zero-padded), the base of ctx_out */
} test_ctx;

/* Prepares c for a run of a program of prog_type with the request o (data_in, ctx_in). Returns 0,
 * or a negative errno (-EINVAL, -E2BIG, -ENODEV, -ENOTSUP, -ENOMEM) with why filled. */
int test_ctx_setup(test_ctx *c, uint32_t prog_type, const struct ebpf_test_run_opts *o, char *why,
                   size_t why_size);

/* After the runs: fills o's data_out / data_size_out and ctx_out / ctx_size_out. Returns 0 or
 * -ENOSPC (a buffer too small: it gets the first bytes) with why filled. */
int test_ctx_finish(test_ctx *c, struct ebpf_test_run_opts *o, char *why, size_t why_size);

/* Frees the packet buffer. */
void test_ctx_release(test_ctx *c);

/* ---- per layout (called by the dispatch) ---- */
int test_ctx_xdp_setup(test_ctx *c, const struct ebpf_test_run_opts *o, char *why, size_t why_size);
void test_ctx_xdp_finish(test_ctx *c, const uint8_t **data, size_t *size, uint8_t *uapi);
int test_ctx_skb_setup(test_ctx *c, const struct ebpf_test_run_opts *o, char *why, size_t why_size);
void test_ctx_skb_finish(test_ctx *c, const uint8_t **data, size_t *size, uint8_t *uapi);

/* Copies ctx_in into c->uapi (zero-padded to the layout's size `size`); -E2BIG when bytes past `size`
 * are not zero, -EINVAL for a NULL ctx_in with a size. */
int test_ctx_read_in(test_ctx *c, const struct ebpf_test_run_opts *o, size_t size, char *why, size_t why_size);

#endif
