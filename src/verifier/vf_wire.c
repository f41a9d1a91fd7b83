/*
 * vf_wire.c - encoding and decoding of verifier requests and replies (format and limits: vf_wire.h).
 *
 * Encoding sizes the message first, then writes it with a cursor that cannot overrun (the size was
 * computed from the same fields). Decoding reads through a cursor whose every read checks the bytes
 * left; a failed read latches `bad`, so a decoder checks once per step and stops at the first problem.
 */
#include "verifier/vf_wire.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define WIRE_REQUEST_FIXED 28u  /* seven u32 */
#define WIRE_SLOT_SIZE 8u
#define WIRE_MAP_SIZE 25u
#define WIRE_FUNC_FIXED 32u     /* entry, arg_count, 5 x (kind, size), name_len */
#define WIRE_REPLY_FIXED 26u    /* verdict, insn, visits, message_len, state_len */
#define WIRE_KNOWN_FLAGS (VF_UNPRIVILEGED | VF_NO_TERMINATION | VF_KEEP_STATE)

/* ---- writing ---- */

typedef struct wire_out {
    uint8_t *p;
} wire_out;

static void put_u8(wire_out *w, uint8_t v)
{
    *w->p++ = v;
}

static void put_u16(wire_out *w, uint16_t v)
{
    put_u8(w, (uint8_t)v);
    put_u8(w, (uint8_t)(v >> 8));
}

static void put_u32(wire_out *w, uint32_t v)
{
    put_u16(w, (uint16_t)v);
    put_u16(w, (uint16_t)(v >> 16));
}

static void put_u64(wire_out *w, uint64_t v)
{
    put_u32(w, (uint32_t)v);
    put_u32(w, (uint32_t)(v >> 32));
}

static void put_bytes(wire_out *w, const void *src, size_t n)
{
    if (n)
        memcpy(w->p, src, n);
    w->p += n;
}

/* Allocates header + payload and writes the header. */
static int begin_message(uint32_t kind, size_t payload, uint8_t **out, size_t *size, wire_out *w)
{
    if (payload > VF_WIRE_MAX_PAYLOAD)
        return -E2BIG;
    *size = VF_WIRE_HEADER_SIZE + payload;
    *out = malloc(*size);
    if (!*out)
        return -ENOMEM;
    w->p = *out;
    put_u32(w, VF_WIRE_MAGIC);
    put_u16(w, VF_WIRE_VERSION);
    put_u16(w, (uint16_t)kind);
    put_u32(w, (uint32_t)payload);
    put_u32(w, 0);
    return 0;
}

int vf_wire_encode_request(const vf_input *in, uint32_t hooks, uint8_t **out, size_t *size)
{
    *out = NULL;
    *size = 0;
    if (in->count > VF_WIRE_MAX_INSNS || in->map_count > VF_WIRE_MAX_MAPS || in->func_count > VF_WIRE_MAX_FUNCS ||
        (in->flags & ~WIRE_KNOWN_FLAGS) || (hooks & ~VF_HOOK_ALL))
        return -E2BIG;
    size_t payload = WIRE_REQUEST_FIXED + in->count * WIRE_SLOT_SIZE + in->map_count * WIRE_MAP_SIZE;
    for (size_t i = 0; i < in->func_count; i++) {
        size_t name = in->funcs[i].name ? strlen(in->funcs[i].name) : 0;
        if (name > VF_WIRE_MAX_NAME || in->funcs[i].arg_count > 5)
            return -E2BIG;
        payload += WIRE_FUNC_FIXED + name;
    }
    wire_out w;
    int rc = begin_message(VF_WIRE_KIND_REQUEST, payload, out, size, &w);
    if (rc)
        return rc;
    put_u32(&w, in->prog_type);
    put_u32(&w, in->ctx_size);
    put_u32(&w, in->flags);
    put_u32(&w, hooks);
    put_u32(&w, (uint32_t)in->count);
    put_u32(&w, (uint32_t)in->map_count);
    put_u32(&w, (uint32_t)in->func_count);
    for (size_t i = 0; i < in->count; i++) {
        const isa_slot *s = &in->code[i];
        put_u8(&w, s->opcode);
        put_u8(&w, (uint8_t)(s->dst | s->src << 4));
        put_u16(&w, (uint16_t)s->off);
        put_u32(&w, (uint32_t)s->imm);
    }
    for (size_t i = 0; i < in->map_count; i++) {
        const vf_map *m = &in->maps[i];
        put_u32(&w, m->type);
        put_u32(&w, m->key_size);
        put_u32(&w, m->value_size);
        put_u32(&w, m->max_entries);
        put_u32(&w, m->flags);
        put_u32(&w, (uint32_t)m->inner);
        put_u8(&w, m->read_only ? 1 : 0);
    }
    for (size_t i = 0; i < in->func_count; i++) {
        const vf_func *f = &in->funcs[i];
        size_t name = f->name ? strlen(f->name) : 0;
        put_u32(&w, f->entry);
        put_u8(&w, f->arg_count);
        for (int a = 0; a < 5; a++) {
            bool used = a < f->arg_count;
            put_u8(&w, used ? f->args[a].kind : 0);
            put_u32(&w, used ? f->args[a].size : 0);
        }
        put_u16(&w, (uint16_t)name);
        put_bytes(&w, f->name, name);
    }
    return 0;
}

int vf_wire_encode_reply(const vf_result *res, uint8_t **out, size_t *size)
{
    *out = NULL;
    *size = 0;
    size_t message = strnlen(res->message, sizeof res->message);
    size_t state = res->state ? strlen(res->state) : 0;
    if (message >= VF_MESSAGE_MAX || state > VF_WIRE_MAX_STATE)
        return -E2BIG;
    wire_out w;
    int rc = begin_message(VF_WIRE_KIND_REPLY, WIRE_REPLY_FIXED + message + state, out, size, &w);
    if (rc)
        return rc;
    put_u32(&w, (uint32_t)res->verdict);
    put_u64(&w, (uint64_t)res->insn);
    put_u64(&w, res->visits);
    put_u16(&w, (uint16_t)message);
    put_bytes(&w, res->message, message);
    put_u32(&w, (uint32_t)state);
    put_bytes(&w, res->state, state);
    return 0;
}

/* ---- reading ---- */

typedef struct wire_in {
    const uint8_t *p;
    size_t left;
    bool bad;
} wire_in;

static const uint8_t *take(wire_in *r, size_t n)
{
    if (r->bad || n > r->left) {
        r->bad = true;
        return NULL;
    }
    const uint8_t *at = r->p;
    r->p += n;
    r->left -= n;
    return at;
}

static uint8_t get_u8(wire_in *r)
{
    const uint8_t *b = take(r, 1);
    return b ? b[0] : 0;
}

static uint16_t get_u16(wire_in *r)
{
    const uint8_t *b = take(r, 2);
    return b ? (uint16_t)(b[0] | b[1] << 8) : 0;
}

static uint32_t get_u32(wire_in *r)
{
    const uint8_t *b = take(r, 4);
    return b ? (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24 : 0;
}

static uint64_t get_u64(wire_in *r)
{
    uint64_t lo = get_u32(r);
    return lo | (uint64_t)get_u32(r) << 32;
}

static int refuse(const char **why, const char *reason)
{
    if (why)
        *why = reason;
    return -EPROTO;
}

int vf_wire_message_size(const uint8_t *header, uint32_t kind, size_t *total, const char **why)
{
    wire_in r = { header, VF_WIRE_HEADER_SIZE, false };
    uint32_t magic = get_u32(&r);
    uint16_t version = get_u16(&r), got_kind = get_u16(&r);
    uint32_t payload = get_u32(&r), zero = get_u32(&r);
    if (magic != VF_WIRE_MAGIC)
        return refuse(why, "not a verifier message (bad magic)");
    if (version != VF_WIRE_VERSION)
        return refuse(why, "unsupported message version");
    if (got_kind != kind)
        return refuse(why, "unexpected message kind");
    if (zero != 0)
        return refuse(why, "reserved header field is not zero");
    if (payload > VF_WIRE_MAX_PAYLOAD)
        return refuse(why, "payload over the size limit");
    *total = VF_WIRE_HEADER_SIZE + (size_t)payload;
    return 0;
}

/* Checks the header against `size` and returns a reader over the payload. */
static int open_message(const uint8_t *data, size_t size, uint32_t kind, wire_in *r, const char **why)
{
    if (size < VF_WIRE_HEADER_SIZE)
        return refuse(why, "message shorter than its header");
    size_t total;
    int rc = vf_wire_message_size(data, kind, &total, why);
    if (rc)
        return rc;
    if (total != size)
        return refuse(why, "message size does not match its header");
    *r = (wire_in){ data + VF_WIRE_HEADER_SIZE, size - VF_WIRE_HEADER_SIZE, false };
    return 0;
}

static int decode_funcs(wire_in *r, vf_wire_request *out, const char **why)
{
    size_t count = out->input.func_count;
    /* Names are copied into one block sized by what is left of the message (an upper bound). */
    out->names = malloc(r->left + count + 1);
    if (!out->names)
        return -ENOMEM;
    char *name_at = out->names;
    for (size_t i = 0; i < count; i++) {
        vf_func *f = &out->funcs[i];
        f->entry = get_u32(r);
        f->arg_count = get_u8(r);
        for (int a = 0; a < 5; a++) {
            f->args[a].kind = get_u8(r);
            f->args[a].size = get_u32(r);
            if (f->args[a].kind > VF_ARG_UNSUPPORTED)
                return refuse(why, "unknown argument kind");
            if (a >= f->arg_count && (f->args[a].kind || f->args[a].size))
                return refuse(why, "unused argument slot is not zero");
        }
        uint16_t len = get_u16(r);
        if (f->arg_count > 5)
            return refuse(why, "more than five arguments");
        if (len > VF_WIRE_MAX_NAME)
            return refuse(why, "function name over the length limit");
        const uint8_t *name = take(r, len);
        if (r->bad)
            return refuse(why, "truncated function");
        if (memchr(name, 0, len))
            return refuse(why, "function name holds a NUL byte");
        f->name = NULL;
        if (len) {
            memcpy(name_at, name, len);
            name_at[len] = 0;
            f->name = name_at;
            name_at += len + 1;
        }
    }
    return 0;
}

static int decode_request_body(wire_in *r, vf_wire_request *out, const char **why)
{
    vf_input *in = &out->input;
    in->prog_type = get_u32(r);
    in->ctx_size = get_u32(r);
    in->flags = get_u32(r);
    out->hooks = get_u32(r);
    uint32_t count = get_u32(r), map_count = get_u32(r), func_count = get_u32(r);
    if (r->bad)
        return refuse(why, "truncated request");
    if (in->flags & ~WIRE_KNOWN_FLAGS)
        return refuse(why, "unknown verifier flag");
    if (out->hooks & ~VF_HOOK_ALL)
        return refuse(why, "unknown test hook");
    if (count > VF_WIRE_MAX_INSNS || map_count > VF_WIRE_MAX_MAPS || func_count > VF_WIRE_MAX_FUNCS)
        return refuse(why, "count over its limit");
    /* Counts cannot promise more than the bytes present (before allocating anything for them). */
    if ((uint64_t)count * WIRE_SLOT_SIZE + (uint64_t)map_count * WIRE_MAP_SIZE +
            (uint64_t)func_count * WIRE_FUNC_FIXED > r->left)
        return refuse(why, "counts larger than the message");
    out->code = calloc(count ? count : 1, sizeof *out->code);
    out->maps = calloc(map_count ? map_count : 1, sizeof *out->maps);
    out->funcs = calloc(func_count ? func_count : 1, sizeof *out->funcs);
    if (!out->code || !out->maps || !out->funcs)
        return -ENOMEM;
    for (uint32_t i = 0; i < count; i++) {
        isa_slot *s = &out->code[i];
        s->opcode = get_u8(r);
        uint8_t regs = get_u8(r);
        s->dst = regs & 0xf;
        s->src = regs >> 4;
        s->off = (int16_t)get_u16(r);
        s->imm = (int32_t)get_u32(r);
    }
    for (uint32_t i = 0; i < map_count; i++) {
        vf_map *m = &out->maps[i];
        m->type = get_u32(r);
        m->key_size = get_u32(r);
        m->value_size = get_u32(r);
        m->max_entries = get_u32(r);
        m->flags = get_u32(r);
        m->inner = (int32_t)get_u32(r);
        uint8_t ro = get_u8(r);
        if (ro > 1)
            return refuse(why, "read_only is not 0 or 1");
        if (m->inner < -1 || (m->inner >= 0 && (uint32_t)m->inner >= map_count))
            return refuse(why, "inner map index out of range");
        m->read_only = ro == 1;
    }
    if (r->bad)
        return refuse(why, "truncated request");
    in->code = out->code;
    in->count = count;
    in->maps = out->maps;
    in->map_count = map_count;
    in->funcs = out->funcs;
    in->func_count = func_count;
    int rc = decode_funcs(r, out, why);
    if (rc)
        return rc;
    if (r->left != 0)
        return refuse(why, "trailing bytes after the request");
    return 0;
}

int vf_wire_decode_request(const uint8_t *data, size_t size, vf_wire_request *out, const char **why)
{
    memset(out, 0, sizeof *out);
    wire_in r;
    int rc = open_message(data, size, VF_WIRE_KIND_REQUEST, &r, why);
    if (rc == 0)
        rc = decode_request_body(&r, out, why);
    if (rc) {
        vf_wire_request_free(out);
        if (rc == -ENOMEM && why)
            *why = "out of memory";
    }
    return rc;
}

void vf_wire_request_free(vf_wire_request *req)
{
    free(req->code);
    free(req->maps);
    free(req->funcs);
    free(req->names);
    memset(req, 0, sizeof *req);
}

int vf_wire_decode_reply(const uint8_t *data, size_t size, vf_result *out, const char **why)
{
    memset(out, 0, sizeof *out);
    out->verdict = VF_ERROR;
    out->insn = -1;
    wire_in r;
    int rc = open_message(data, size, VF_WIRE_KIND_REPLY, &r, why);
    if (rc)
        return rc;
    uint32_t verdict = get_u32(&r);
    int64_t insn = (int64_t)get_u64(&r);
    uint64_t visits = get_u64(&r);
    uint16_t message_len = get_u16(&r);
    const uint8_t *message = take(&r, message_len);
    uint32_t state_len = get_u32(&r);
    if (r.bad)
        return refuse(why, "truncated reply");
    if (verdict > VF_ERROR)
        return refuse(why, "unknown verdict");
    if (insn < -1 || insn >= (int64_t)VF_WIRE_MAX_INSNS)
        return refuse(why, "instruction index out of range");
    if (message_len >= VF_MESSAGE_MAX || memchr(message, 0, message_len))
        return refuse(why, "bad message text");
    if (state_len > VF_WIRE_MAX_STATE)
        return refuse(why, "state text over the size limit");
    const uint8_t *state = take(&r, state_len);
    if (r.bad || r.left != 0)
        return refuse(why, r.bad ? "truncated reply" : "trailing bytes after the reply");
    if (memchr(state, 0, state_len))
        return refuse(why, "state text holds a NUL byte");
    if (state_len) {
        out->state = malloc((size_t)state_len + 1);
        if (!out->state)
            return -ENOMEM;
        memcpy(out->state, state, state_len);
        out->state[state_len] = 0;
    }
    out->verdict = (vf_verdict)verdict;
    out->insn = insn;
    out->visits = visits;
    memcpy(out->message, message, message_len);
    out->message[message_len] = 0;
    return 0;
}
