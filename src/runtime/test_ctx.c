/*
 * test_ctx.c - the dispatch of test-run contexts by layout (test_ctx.h), reading ctx_in and writing
 * data_out / ctx_out as Linux's bpf_ctx_init / bpf_ctx_finish / bpf_test_finish do, and the two
 * layouts without a packet:
 *
 *   bpf_sock_addr (cgroup connect/bind/sendmsg hooks): Linux has no test run for them; ours runs the
 *     program on the record made from ctx_in, which is required (every scalar field may be set; sk must
 *     be zero), takes no data_in, and returns the record after the run in ctx_out (a rewritten
 *     user_ip4 / user_port) with the program's return value.
 *   raw layouts (kprobe's pt_regs, tracepoint records, ...): the record is ctx_in zero-padded to the
 *     layout's size, read-only for the program; no data_in; ctx_out gives it back.
 */
#include "runtime/test_ctx.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi/abi_prog.h"

int test_ctx_read_in(test_ctx *c, const struct ebpf_test_run_opts *o, size_t size, char *why, size_t why_size)
{
    memset(c->uapi, 0, sizeof c->uapi);
    if (o->ctx_size_in && !o->ctx_in) {
        snprintf(why, why_size, "ctx_size_in is %zu but ctx_in is NULL", o->ctx_size_in);
        return -EINVAL;
    }
    const uint8_t *in = o->ctx_in;
    for (size_t i = size; i < o->ctx_size_in; i++)
        if (in[i]) {
            snprintf(why, why_size, "ctx_in has %zu bytes; the context has %zu and byte %zu is not zero",
                     o->ctx_size_in, size, i);
            return -E2BIG;
        }
    if (o->ctx_size_in)
        memcpy(c->uapi, in, o->ctx_size_in < size ? o->ctx_size_in : size);
    return 0;
}

/* bpf_sock_addr: every scalar field from ctx_in; the rest (sk, padding) must be zero. */
static int sock_addr_setup(test_ctx *c, const struct ebpf_test_run_opts *o, char *why, size_t why_size)
{
    if (!o->ctx_in || !o->ctx_size_in) {
        snprintf(why, why_size, "%s programs need ctx_in (a struct bpf_sock_addr)",
                 abi_prog_type_by_id(c->prog_type)->name);
        return -EINVAL;
    }
    size_t count;
    const abi_ctx_field *fields = abi_ctx_fields(ABI_CTX_SOCK_ADDR, &count);
    for (size_t i = 0; i < c->desc->size; i++) {
        bool scalar = false;
        for (size_t k = 0; k < count; k++)
            scalar |= fields[k].kind == ABI_CTX_KIND_SCALAR && i >= fields[k].offset &&
                      i < (size_t)fields[k].offset + fields[k].size;
        if (!scalar && c->uapi[i]) {
            snprintf(why, why_size, "ctx_in: byte %zu of struct bpf_sock_addr must be zero (sk is the "
                     "runtime's)", i);
            return -EINVAL;
        }
    }
    runtime_ctx_import(&runtime_ctx_table_sock_addr, &c->rec, c->uapi, c->desc->size);
    return 0;
}

int test_ctx_setup(test_ctx *c, uint32_t prog_type, const struct ebpf_test_run_opts *o, char *why,
                   size_t why_size)
{
    memset(c, 0, sizeof *c);
    c->prog_type = prog_type;
    c->desc = abi_ctx_for_prog_type(prog_type);
    const runtime_ctx_table *table = c->desc ? runtime_ctx_table_of(c->desc->layout) : NULL;
    if (!c->desc || (!table && (!c->desc->raw || c->desc->size == 0 || c->desc->size > TEST_CTX_RAW_MAX))) {
        snprintf(why, why_size, "test run is not implemented for %s programs",
                 c->desc ? abi_prog_type_by_id(prog_type)->name : "these");
        return -ENOTSUP;
    }
    int rc = test_ctx_read_in(c, o, c->desc->size, why, why_size);
    if (rc)
        return rc;
    if (c->desc->layout == ABI_CTX_XDP)
        return test_ctx_xdp_setup(c, o, why, why_size);
    if (c->desc->layout == ABI_CTX_SKB)
        return test_ctx_skb_setup(c, o, why, why_size);
    if (table) {
        c->rec_size = table->record_size;
        c->rec_readonly = table->readonly_size;
        rc = sock_addr_setup(c, o, why, why_size);
    } else {
        c->rec_size = c->desc->size;
        c->rec_readonly = c->desc->size;
        memcpy(c->rec.raw, c->uapi, c->desc->size);
    }
    if (rc == 0 && (o->data_in || o->data_size_in)) {
        snprintf(why, why_size, "%s programs take no packet (data_in), only ctx_in",
                 abi_prog_type_by_id(prog_type)->name);
        rc = -EINVAL;
    }
    return rc;
}

int test_ctx_finish(test_ctx *c, struct ebpf_test_run_opts *o, char *why, size_t why_size)
{
    const uint8_t *data = NULL;
    size_t size = 0;
    uint8_t *uapi = c->uapi;
    switch (c->desc->layout) {
    case ABI_CTX_XDP: test_ctx_xdp_finish(c, &data, &size, uapi); break;
    case ABI_CTX_SKB: test_ctx_skb_finish(c, &data, &size, uapi); break;
    case ABI_CTX_SOCK_ADDR: runtime_ctx_export(&runtime_ctx_table_sock_addr, &c->rec, uapi, c->desc->size); break;
    default: memcpy(uapi, c->rec.raw, c->desc->size); break;
    }
    int rc = 0;
    size_t copy = size < o->data_size_out ? size : o->data_size_out;
    if (o->data_out && copy)
        memcpy(o->data_out, data, copy);
    if (o->data_out && size > o->data_size_out) {
        snprintf(why, why_size, "the packet has %zu bytes, data_out only %zu", size, o->data_size_out);
        rc = -ENOSPC;
    }
    o->data_size_out = size;
    if (o->ctx_out) { /* as Linux: the context of the layout, when the caller asked for it */
        size_t ctx_size = c->desc->size;
        copy = ctx_size < o->ctx_size_out ? ctx_size : o->ctx_size_out;
        memcpy(o->ctx_out, uapi, copy);
        if (ctx_size > o->ctx_size_out && rc == 0) {
            snprintf(why, why_size, "the context has %zu bytes, ctx_out only %zu", ctx_size, o->ctx_size_out);
            rc = -ENOSPC;
        }
        o->ctx_size_out = ctx_size;
    } else {
        o->ctx_size_out = 0;
    }
    return rc;
}

void test_ctx_release(test_ctx *c)
{
    free(c->frame);
    c->frame = NULL;
}
