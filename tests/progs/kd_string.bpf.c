/* kd_string.bpf.c - kernel-differential program for bpf_strtol, bpf_strtoul, bpf_strncmp and
 * bpf_snprintf. Ops on the command packet of kd_prog.h; `text` is `arg` (1..32) packet bytes from
 * offset key, copied to the stack:
 *   60 STRTOL   res = bpf_strtol(text, arg, flags, &v), aux = v
 *   61 STRTOUL  res = bpf_strtoul(text, arg, flags, &v), aux = v
 *   62 STRNCMP  res = bpf_strncmp(text, arg, constant sel) with sel 0 "hello", 1 "", 2 "help",
 *               3 "hello world"
 *   63 SNPRINTF res = bpf_snprintf(out, arg (<= 64), format sel, args from key and value); out is
 *               `strs`[command index]. (Bad formats cannot be tested here: the kernel refuses them at
 *               load time; kd_proc tests them through bpf_trace_printk.)
 * The texts live at the end of the packet, after the commands and an op-0 end marker. */
#include "kd_prog.h"

struct str {
    char bytes[64];
};

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, KD_MAX_CMDS);
    __type(key, __u32);
    __type(value, struct str);
} strs SEC(".maps");

static const char s_hello[] = "hello", s_empty[] = "", s_help[] = "help", s_world[] = "hello world";

static const char f0[] = "%d|%u|%x|%X";
static const char f1[] = "%lld %llu %llx";
static const char f2[] = "[%s] [%5s] [%-4s]";
static const char f3[] = "%c%c%c";
static const char f4[] = "100%% %05d %-5d|";
static const char f5[] = "%pI4 %pi4";
static const char f6[] = "%d %d %d %d %d %d %d %d %d %d %d %d";
static const char f7[] = "%+d|% d|%-+5d|";
static const char f8[] = "%08x|%llX|%c";
static const char f9[] = "%ld %lu %lx %i";
static const char f10[] = "%pI6|%pi6";
static const char f11[] = "[%pks] [%s] [%-6s]";
static const char f12[] = "%5c|%-3c|%llx|%lu";

static __always_inline long text_of(struct xdp_md *ctx, const struct kd_cmd *c, char *text)
{
    __u8 *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
    __u32 off = c->key & 0xff;
    for (__u32 i = 0; i < 32; i++) {
        if (i >= c->arg)
            break;
        __u8 *p = data + off + i;
        if ((void *)(p + 1) > (void *)end)
            return KD_ABSENT;
        text[i] = (char)*p;
    }
    return 0;
}

static __always_inline long print(const struct kd_cmd *c, __u32 index)
{
    struct str *out = bpf_map_lookup_elem(&strs, &index);
    __u32 size = c->arg;
    if (!out || size > sizeof out->bytes)
        return KD_ABSENT;
    char word[] = "kd";
    __u8 ip[4];
    __builtin_memcpy(ip, &c->key, 4);
    __u64 a[12] = { (__u64)(__s64)(__s32)c->key, c->value, (__u64)c->key << 32 | c->value };
    switch (c->sel) {
    case 0:
        a[0] = c->key, a[1] = c->key, a[2] = c->value, a[3] = c->value;
        return bpf_snprintf(out->bytes, size, f0, a, 4 * 8);
    case 1:
        return bpf_snprintf(out->bytes, size, f1, a, 3 * 8);
    case 2:
        a[0] = a[1] = a[2] = (__u64)(long)word;
        return bpf_snprintf(out->bytes, size, f2, a, 3 * 8);
    case 3:
        a[0] = c->key & 0xff, a[1] = (c->key >> 8) & 0xff, a[2] = (c->key >> 16) & 0xff;
        return bpf_snprintf(out->bytes, size, f3, a, 3 * 8);
    case 4:
        a[0] = c->key, a[1] = c->value;
        return bpf_snprintf(out->bytes, size, f4, a, 2 * 8);
    case 5:
        a[0] = a[1] = (__u64)(long)ip;
        return bpf_snprintf(out->bytes, size, f5, a, 2 * 8);
    case 6:
        for (int i = 0; i < 12; i++)
            a[i] = c->key + i;
        return bpf_snprintf(out->bytes, size, f6, a, 12 * 8);
    case 7:
        a[1] = a[2] = a[0];
        return bpf_snprintf(out->bytes, size, f7, a, 3 * 8);
    case 8:
        a[0] = c->key, a[2] = 0; /* %c of 0: a NUL inside the text */
        return bpf_snprintf(out->bytes, size, f8, a, 3 * 8);
    case 9:
        a[3] = c->value;
        return bpf_snprintf(out->bytes, size, f9, a, 4 * 8);
    case 10: {
        __u8 ip6[16];
        for (int i = 0; i < 16; i++)
            ip6[i] = i < 12 ? (__u8)(i * 17) : ip[i - 12];
        a[0] = a[1] = (__u64)(long)ip6;
        return bpf_snprintf(out->bytes, size, f10, a, 2 * 8);
    }
    case 11:
        a[0] = (__u64)(long)word, a[1] = 0 /* NULL: an empty string */, a[2] = (__u64)(long)word;
        return bpf_snprintf(out->bytes, size, f11, a, 3 * 8);
    case 12:
        a[0] = 'k', a[1] = 'd', a[2] = (__u64)(__s64)(__s32)c->key, a[3] = (__u64)(__s64)(__s32)c->key;
        return bpf_snprintf(out->bytes, size, f12, a, 4 * 8);
    }
    return KD_BAD_OP;
}

static __always_inline long dispatch(struct xdp_md *ctx, const struct kd_cmd *c, __u64 *second, __u32 index)
{
    char text[32] = { 0 };
    __u32 len = c->arg;
    long r;
    unsigned long u = 0;
    long l = 0;
    if (c->op == 63)
        return print(c, index);
    if (len == 0 || len > sizeof text)
        return KD_BAD_OP;
    len = ((len - 1) & 31) + 1; /* the same value, in a form whose bounds the verifier sees */
    r = text_of(ctx, c, text);
    if (r)
        return r;
    switch (c->op) {
    case 60:
        r = bpf_strtol(text, len, c->flags, &l);
        *second = (__u64)l;
        return r;
    case 61:
        r = bpf_strtoul(text, len, c->flags, &u);
        *second = u;
        return r;
    case 62:
        switch (c->sel) {
        case 0:
            return bpf_strncmp(text, len, s_hello);
        case 1:
            return bpf_strncmp(text, len, s_empty);
        case 2:
            return bpf_strncmp(text, len, s_help);
        case 3:
            return bpf_strncmp(text, len, s_world);
        }
    }
    return KD_BAD_OP;
}

KD_CMD_PROGRAM(kd_string, dispatch)

char LICENSE[] SEC("license") = "GPL";
