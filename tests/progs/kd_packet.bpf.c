/* kd_packet.bpf.c - kernel-differential program for the XDP packet helpers. Ops on the command
 * packet of kd_prog.h (the commands are read before any runs, so moving the packet is fine):
 *   50 HEAD      res = bpf_xdp_adjust_head(ctx, (int)key)
 *   51 TAIL      res = bpf_xdp_adjust_tail(ctx, (int)key)
 *   52 META      res = bpf_xdp_adjust_meta(ctx, (int)key)
 *   53 WMETA     writes the u32 value at metadata offset key; res 0, or KD_ABSENT out of bounds
 *   54 WBYTE     writes the low byte of value at packet offset key; res 0, or KD_ABSENT
 *   55 CSUM      copies arg (<= 64) packet bytes from offset key; sel 0: res = bpf_csum_diff(NULL, 0,
 *                bytes, arg, seed = value), sel 1: (bytes, arg, NULL, 0, seed), sel 2: the first 4
 *                bytes replaced by the next 4 (bytes, 4, bytes + 4, 4, seed)
 *   56 LEN       res = packet length, aux = metadata length
 *   57 BUFLEN    res = bpf_xdp_get_buff_len(ctx)
 *   58 LOAD      res = bpf_xdp_load_bytes(ctx, key, 8 bytes), aux = those bytes
 *   59 STORE     res = bpf_xdp_store_bytes(ctx, key, value, 4) */
#include "kd_prog.h"

static __always_inline long csum(struct xdp_md *ctx, const struct kd_cmd *c)
{
    __u8 *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
    __u32 bytes[16] = { 0 };
    __u8 *b = (__u8 *)bytes;
    __u32 len = c->arg, off = c->key & 0xff;
    if (len > sizeof bytes)
        return KD_BAD_OP;
    for (__u32 i = 0; i < sizeof bytes; i++) {
        if (i >= len)
            break;
        __u8 *p = data + off + i;
        if ((void *)(p + 1) > (void *)end)
            return KD_ABSENT;
        b[i] = *p;
    }
    switch (c->sel) {
    case 0:
        return bpf_csum_diff(0, 0, bytes, len, c->value);
    case 1:
        return bpf_csum_diff(bytes, len, 0, 0, c->value);
    case 2:
        return bpf_csum_diff(bytes, 4, bytes + 1, 4, c->value);
    }
    return KD_BAD_OP;
}

static __always_inline long dispatch(struct xdp_md *ctx, const struct kd_cmd *c, __u64 *second, __u32 index)
{
    __u8 *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
    __u8 *meta = (void *)(long)ctx->data_meta;
    __u32 off = c->key & 0xff;
    __u64 bytes = 0;
    long r;
    switch (c->op) {
    case 50:
        return bpf_xdp_adjust_head(ctx, (int)c->key);
    case 51:
        return bpf_xdp_adjust_tail(ctx, (int)c->key);
    case 52:
        return bpf_xdp_adjust_meta(ctx, (int)c->key);
    case 53: {
        __u8 *p = meta + off;
        if ((void *)(p + 4) > (void *)data)
            return KD_ABSENT;
        __builtin_memcpy(p, &c->value, 4);
        return 0;
    }
    case 54: {
        __u8 *p = data + off;
        if ((void *)(p + 1) > (void *)end)
            return KD_ABSENT;
        *p = (__u8)c->value;
        return 0;
    }
    case 55:
        return csum(ctx, c);
    case 56:
        *second = (__u64)(data - meta);
        return (long)(end - data);
    case 57:
        return bpf_xdp_get_buff_len(ctx);
    case 58:
        r = bpf_xdp_load_bytes(ctx, c->key, &bytes, sizeof bytes);
        *second = bytes;
        return r;
    case 59:
        return bpf_xdp_store_bytes(ctx, c->key, (void *)&c->value, 4);
    }
    return KD_BAD_OP;
}

KD_CMD_PROGRAM(kd_packet, dispatch)

char LICENSE[] SEC("license") = "GPL";
