/*
 * vf_mem.c - memory instructions: loads, stores, atomics and legacy packet loads. Every access is
 * checked against its region (stack r10-512..r10 and initialised bytes for reads; context fields by
 * abi_ctx_access; packet against the zone's proven data_end bound; map values and other sized memory
 * within their size; read-only maps never written) and the byte-granular stack is updated: 8-byte
 * aligned stores spill whole registers (pointers keep their type), other stores leave numbers.
 */
#include "verifier/vf_int.h"

#include <inttypes.h>
#include <string.h>

#include "abi/abi_ctx.h"
#include "abi/abi_prog.h"

static const char *null_msg_name(vf_ctx *c, const vf_reg *r)
{
    return vf_call_name(c, r->id && r->id != UINT32_MAX ? r->id - 1 : UINT32_MAX);
}

/* a + b, saturated (for messages). */
static int64_t sadd(int64_t a, int64_t b)
{
    int64_t r;
    if (!__builtin_add_overflow(a, b, &r))
        return r;
    return b > 0 ? INT64_MAX : INT64_MIN;
}

static int64_t ssize(uint64_t n)
{
    return n > INT64_MAX ? INT64_MAX : (int64_t)n;
}

/* [lo, hi) of the access in region coordinates; false when it cannot be bounded. */
static bool access_range(const vf_reg *r, int64_t off, uint64_t size_max, int64_t *lo, int64_t *hi)
{
    int64_t l, h;
    if (size_max > INT32_MAX || r->v.smin == INT64_MIN || r->v.smax == INT64_MAX ||
        __builtin_add_overflow(r->v.smin, off, &l) || __builtin_add_overflow(r->v.smax, off, &h) ||
        __builtin_add_overflow(h, (int64_t)size_max, &h) || l < INT32_MIN || h > INT32_MAX)
        return false;
    *lo = l;
    *hi = h;
    return true;
}

/* Stack bytes [lo, hi) of frame f (offsets from the frame top). */
static bool stack_readable(vf_ctx *c, vf_state *s, uint32_t pc, vf_frame *f, int64_t lo, int64_t hi, bool helper,
                           const char *what)
{
    if (!helper && hi - lo == 8 && (lo + VF_STACK) % 8 == 0 && f->bytes[lo + VF_STACK] == VF_B_SPILL)
        return true; /* a whole spilled register comes back with its type */
    for (int64_t o = lo; o < hi; o++) {
        int64_t i = o + VF_STACK;
        uint8_t b = f->bytes[i];
        if (b == VF_B_UNINIT) {
            vf_fail(c, s, pc, "%s reads stack byte r10%+" PRId64 ", which is not initialised on every path", what, o);
            return false;
        }
        if (b == VF_B_SPILL && f->slots[i / 8].type != VF_T_NUM) {
            if (!helper) {
                vf_fail(c, s, pc, "%s reads part of a pointer spilled at r10%+" PRId64, what, (i / 8) * 8 - VF_STACK);
                return false;
            }
            if (c->in->flags & VF_UNPRIVILEGED) {
                vf_fail(c, s, pc, "%s reads a pointer spilled at r10%+" PRId64 " (it would leak an address)", what,
                        (i / 8) * 8 - VF_STACK);
                return false;
            }
        }
    }
    return true;
}

/* Stack bytes [lo, hi) may be overwritten by numbers; [dlo, dhi) certainly are. */
static void stack_write_num(vf_frame *f, int64_t lo, int64_t hi, int64_t dlo, int64_t dhi)
{
    for (int64_t o = lo; o < hi; o++) {
        int64_t i = o + VF_STACK;
        if (f->bytes[i] == VF_B_SPILL) {
            int k = (int)(i / 8);
            uint8_t kind = f->slots[k].type == VF_T_NUM ? VF_B_NUM : VF_B_UNINIT;
            memset(&f->bytes[k * 8], kind, 8);
        }
    }
    for (int64_t o = dlo; o < dhi; o++)
        f->bytes[o + VF_STACK] = VF_B_NUM;
}

void vf_stack_mark_num(vf_state *s, const vf_reg *r, uint64_t size_min, uint64_t size_max)
{
    if (r->type != VF_T_STACK || r->frame >= s->depth)
        return;
    int64_t lo, hi;
    if (!access_range(r, 0, size_max, &lo, &hi) || lo < -VF_STACK || hi > 0)
        return;
    int64_t dlo = r->v.smax, dhi = r->v.smin + (int64_t)size_min;
    if (dhi < dlo)
        dhi = dlo;
    stack_write_num(s->frames[r->frame], lo, hi, dlo, dhi);
}

bool vf_mem_check(vf_ctx *c, vf_state *s, uint32_t pc, int regno, int64_t off, uint64_t size_max, bool write,
                  bool helper, const char *what)
{
    vf_reg *r = &s->regs[regno];
    int64_t lo, hi;
    switch (r->type) {
    case VF_T_STACK: {
        if (!access_range(r, off, size_max, &lo, &hi) || lo < -VF_STACK || hi > 0) {
            vf_fail(c, s, pc, "%s: stack access through r%d is outside r10-512..r10 (offset [%" PRId64 ", %" PRId64 "])",
                    what, regno, sadd(r->v.smin, off), sadd(sadd(r->v.smax, off), ssize(size_max)));
            return false;
        }
        if (r->frame >= s->depth) {
            vf_fail(c, s, pc, "%s: r%d points into a stack frame that no longer exists", what, regno);
            return false;
        }
        if (!write)
            return stack_readable(c, s, pc, s->frames[r->frame], lo, hi, helper, what);
        return true;
    }
    case VF_T_PKT: {
        unsigned var = VF_V_REG0 + (unsigned)regno;
        int64_t up, pk_lo = 0, pk_hi = 0, meta;
        int64_t end;
        bool ok_end = size_max <= INT32_MAX && !__builtin_add_overflow(off, (int64_t)size_max, &end) &&
                      end > INT64_MIN && vf_zone_diff_upper(s->zone, var, VF_V_PKT, &up) && up <= -end;
        bool ok_start = vf_zone_diff_upper(s->zone, VF_V_META, var, &meta) && meta <= off;
        if (!ok_end || !ok_start) {
            vf_zone_bounds(s->zone, VF_V_PKT, &pk_lo, &pk_hi);
            if (!ok_end)
                vf_fail(c, s, pc,
                        "%s: packet access at insn %" PRIu32 " is not proven within data_end (offset up to %" PRId64
                        ", checked %" PRId64 "): compare the pointer with data_end first",
                        what, pc, sadd(sadd(r->v.smax, off), ssize(size_max)), pk_lo);
            else
                vf_fail(c, s, pc, "%s: packet access at insn %" PRIu32 " may be before the packet's start", what, pc);
            return false;
        }
        return true;
    }
    case VF_T_MAP_VALUE:
    case VF_T_MEM:
    case VF_T_SOCK: {
        uint64_t size = r->type == VF_T_SOCK ? 80 : r->size;
        if (!access_range(r, off, size_max, &lo, &hi) || lo < 0 || (uint64_t)hi > size) {
            vf_fail(c, s, pc, "%s: access through r%d at offset [%" PRId64 ", %" PRId64 ") is outside the %s of %" PRIu64
                    " bytes", what, regno, sadd(r->v.smin, off), sadd(sadd(r->v.smax, off), ssize(size_max)),
                    r->type == VF_T_MAP_VALUE ? "map value" : r->type == VF_T_SOCK ? "socket" : "memory", size);
            return false;
        }
        if (write && (r->ro || r->type == VF_T_SOCK)) {
            vf_fail(c, s, pc, "%s: r%d points to read-only memory%s", what, regno,
                    r->type == VF_T_MAP_VALUE ? " (a read-only map's value)" : "");
            return false;
        }
        return true;
    }
    case VF_T_MAP_VALUE_OR_NULL:
    case VF_T_MEM_OR_NULL:
    case VF_T_SOCK_OR_NULL:
    case VF_T_MAP_PTR_OR_NULL:
        vf_fail(c, s, pc, "r%d may be NULL here: check the result of %s before dereferencing it", regno,
                null_msg_name(c, r));
        return false;
    case VF_T_UNINIT:
    case VF_T_MIXED:
        vf_need_init(c, s, pc, regno);
        return false;
    case VF_T_NUM:
        vf_fail(c, s, pc, "%s: r%d is a number, not a pointer", what, regno);
        return false;
    default:
        vf_fail(c, s, pc, "%s: memory cannot be accessed through r%d (a %s)", what, regno, vf_type_name(r->type));
        return false;
    }
}

static vf_ival size_range(int size, bool sext)
{
    if (sext)
        return vf_ival_srange(-((int64_t)1 << (size * 8 - 1)), ((int64_t)1 << (size * 8 - 1)) - 1);
    return size == 8 ? vf_ival_top() : vf_ival_urange(0, ((uint64_t)1 << (size * 8)) - 1);
}

static void set_loaded_num(vf_state *s, int dst, int size, bool sext)
{
    vf_ival v = size_range(size, sext);
    vf_tnum t = sext || size == 8 ? vf_tnum_top() : vf_tnum_range(0, v.umax);
    vf_reg_set_num(&s->regs[dst], v, t);
    vf_sync_reg(s, dst);
}

static bool is_sext_load(const isa_insn *in)
{
    return in->id == ISA_LDXSB || in->id == ISA_LDXSH || in->id == ISA_LDXSW;
}

static void load_ctx(vf_ctx *c, vf_state *s, uint32_t pc, const isa_insn *in, int size)
{
    vf_reg *b = &s->regs[in->src];
    uint64_t k;
    if (!vf_ival_is_const(b->v, &k)) {
        vf_fail(c, s, pc, "context access through r%d at a variable offset", in->src);
        set_loaded_num(s, in->dst, size, false);
        return;
    }
    int64_t off = (int64_t)k + in->off;
    const char *why = "";
    const abi_ctx_field *f = abi_ctx_access(c->prog_type, c->in->ctx_size, off, (uint32_t)size, false, &why);
    if (!f) {
        vf_fail(c, s, pc, "context read of %d bytes at offset %" PRId64 " is not allowed for %s programs: %s", size, off,
                abi_prog_type_name(c->prog_type), why);
        set_loaded_num(s, in->dst, size, false);
        return;
    }
    vf_reg *d = &s->regs[in->dst];
    unsigned var = VF_V_REG0 + in->dst;
    switch (f->kind) {
    case ABI_CTX_KIND_PKT:
        vf_reg_set_uninit(d);
        d->type = VF_T_PKT;
        d->v = vf_ival_const(0);
        d->t = vf_tnum_const(0);
        vf_zone_assign_const(s->zone, var, 0);
        return;
    case ABI_CTX_KIND_PKT_END:
        vf_reg_set_uninit(d);
        d->type = VF_T_PKT_END;
        d->v = vf_ival_const(0);
        d->t = vf_tnum_const(0);
        vf_zone_assign_var(s->zone, var, VF_V_PKT, 0);
        return;
    case ABI_CTX_KIND_PKT_META:
        vf_reg_set_uninit(d);
        d->type = VF_T_PKT;
        d->v = vf_ival_srange(-VF_PKT_MAX, 0);
        d->t = vf_tnum_top();
        vf_zone_assign_var(s->zone, var, VF_V_META, 0);
        return;
    case ABI_CTX_KIND_SOCK:
        vf_reg_set_uninit(d);
        d->type = VF_T_SOCK_OR_NULL;
        d->ro = 1;
        d->id = pc + 1;
        d->v = vf_ival_const(0);
        d->t = vf_tnum_const(0);
        vf_sync_reg(s, in->dst);
        return;
    case ABI_CTX_KIND_FLOW_KEYS:
        vf_reg_set_uninit(d);
        d->type = VF_T_MEM;
        d->size = 56;
        d->v = vf_ival_const(0);
        d->t = vf_tnum_const(0);
        vf_sync_reg(s, in->dst);
        return;
    default:
        set_loaded_num(s, in->dst, size, is_sext_load(in));
        return;
    }
}

void vf_load(vf_ctx *c, vf_state *s, uint32_t pc, const isa_insn *in)
{
    int size = isa_access_size(in);
    int src = in->src, dst = in->dst;
    bool sext = is_sext_load(in);
    if (!vf_need_init(c, s, pc, src)) {
        set_loaded_num(s, dst, size, sext);
        return;
    }
    vf_reg *b = &s->regs[src];
    if (b->type == VF_T_CTX) {
        load_ctx(c, s, pc, in, size);
        return;
    }
    if (!vf_mem_check(c, s, pc, src, in->off, (uint64_t)size, false, false, "load")) {
        /* continue with anything the region may hold */
        vf_reg_set_uninit(&s->regs[dst]);
        s->regs[dst].type = VF_T_MIXED;
        vf_sync_reg(s, dst);
        return;
    }
    uint64_t k;
    if (b->type == VF_T_STACK && vf_ival_is_const(b->v, &k)) {
        int64_t o = (int64_t)k + in->off + VF_STACK;
        vf_frame *f = s->frames[b->frame];
        if (o % 8 == 0 && f->bytes[o] == VF_B_SPILL) {
            vf_reg sp = f->slots[o / 8];
            if (size == 8 && !sext) {
                s->regs[dst] = sp;
                vf_sync_reg(s, dst);
                return;
            }
            if (sp.type == VF_T_NUM && !sext) {
                unsigned bits = (unsigned)size * 8;
                vf_tnum t = vf_tnum_trunc(sp.t, bits);
                vf_ival v = sp.v.umax < ((uint64_t)1 << bits) ? sp.v : vf_ival_from_tnum(t);
                vf_reg_set_num(&s->regs[dst], v, t);
                vf_sync_reg(s, dst);
                return;
            }
        }
    }
    set_loaded_num(s, dst, size, sext);
}

/* Register src (a number) was spilled to slot: both take the scalar id `id` of this spill. Copies of an
 * earlier value spilled here lose it first, so an id always names one value. */
static void share_scalar_id(vf_state *s, int src, vf_reg *slot, uint32_t id)
{
    for (int r = 0; r < ISA_REG_COUNT; r++)
        if (s->regs[r].type == VF_T_NUM && s->regs[r].id == id)
            s->regs[r].id = 0;
    for (int d = 0; d < s->depth; d++) {
        vf_frame *f = s->frames[d];
        for (int k = 0; k < VF_SLOTS; k++)
            if (f->slots[k].type == VF_T_NUM && f->slots[k].id == id)
                f->slots[k].id = 0;
        for (int k = 0; k < 4; k++)
            if (f->saved[k].type == VF_T_NUM && f->saved[k].id == id)
                f->saved[k].id = 0;
    }
    s->regs[src].id = id;
    slot->id = id;
}

static void stack_store(vf_ctx *c, vf_state *s, uint32_t pc, const vf_reg *b, int64_t off, int size, const vf_reg *val,
                        int src)
{
    vf_frame *f = s->frames[b->frame];
    uint64_t k;
    bool cst = vf_ival_is_const(b->v, &k);
    if (!cst) {
        if (val->type != VF_T_NUM) {
            vf_fail(c, s, pc, "a pointer is stored on the stack at a variable offset");
        }
        int64_t lo = b->v.smin + off, hi = b->v.smax + off + size;
        stack_write_num(f, lo, hi, b->v.smax + off, b->v.smin + off + size);
        return;
    }
    int64_t o = (int64_t)k + off;
    int64_t i = o + VF_STACK;
    if (size == 8 && i % 8 == 0) {
        memset(&f->bytes[i], VF_B_SPILL, 8);
        f->slots[i / 8] = *val;
        if (val->type == VF_T_NUM && val->id == 0 && src >= 0)
            share_scalar_id(s, src, &f->slots[i / 8], VF_SCALAR_ID | pc);
        return;
    }
    if (val->type != VF_T_NUM)
        vf_fail(c, s, pc, "a pointer is stored on the stack with %d bytes or misaligned (offset %" PRId64 ")", size, o);
    stack_write_num(f, o, o + size, o, o + size);
}

void vf_store(vf_ctx *c, vf_state *s, uint32_t pc, const isa_insn *in)
{
    int size = isa_access_size(in);
    int dst = in->dst;
    vf_reg val;
    if (isa_infos[in->id].format == ISA_FMT_STX) {
        if (!vf_need_init(c, s, pc, in->src))
            return;
        val = s->regs[in->src];
        if (size < 8 && val.type != VF_T_NUM) {
            if (c->in->flags & VF_UNPRIVILEGED)
                vf_fail(c, s, pc, "storing part of r%d (a %s) leaks an address", in->src, vf_type_name(val.type));
            vf_reg_set_num(&val, vf_ival_top(), vf_tnum_top());
        }
        if (size < 8 && val.type == VF_T_NUM)
            vf_reg_set_num(&val, vf_ival_from_tnum(vf_tnum_trunc(val.t, (unsigned)size * 8)),
                           vf_tnum_trunc(val.t, (unsigned)size * 8));
    } else {
        uint64_t v = (uint64_t)(int64_t)in->imm;
        vf_reg_set_num(&val, vf_ival_const(v), vf_tnum_const(v));
    }
    if (!vf_need_init(c, s, pc, dst))
        return;
    vf_reg *b = &s->regs[dst];
    if (b->type == VF_T_CTX) {
        uint64_t k;
        if (!vf_ival_is_const(b->v, &k)) {
            vf_fail(c, s, pc, "context write through r%d at a variable offset", dst);
            return;
        }
        int64_t off = (int64_t)k + in->off;
        const char *why = "";
        if (!abi_ctx_access(c->prog_type, c->in->ctx_size, off, (uint32_t)size, true, &why)) {
            vf_fail(c, s, pc, "context write of %d bytes at offset %" PRId64 " is not allowed for %s programs: %s", size,
                    off, abi_prog_type_name(c->prog_type), why);
            return;
        }
        if (val.type != VF_T_NUM)
            vf_fail(c, s, pc, "a %s may not be stored into the context", vf_type_name(val.type));
        return;
    }
    if (!vf_mem_check(c, s, pc, dst, in->off, (uint64_t)size, true, false, "store"))
        return;
    if (b->type == VF_T_STACK) {
        stack_store(c, s, pc, b, in->off, size, &val,
                    isa_infos[in->id].format == ISA_FMT_STX ? in->src : -1);
        return;
    }
    if (val.type != VF_T_NUM && (c->in->flags & VF_UNPRIVILEGED))
        vf_fail(c, s, pc, "storing r%d (a %s) into %s leaks an address", in->src, vf_type_name(val.type),
                b->type == VF_T_PKT ? "the packet" : "a map value or shared memory");
}

void vf_atomic(vf_ctx *c, vf_state *s, uint32_t pc, const isa_insn *in)
{
    int size = isa_access_size(in);
    int dst = in->dst, src = in->src;
    bool fetch = (in->imm & 1) != 0 || in->id == ISA_ATOMIC_XCHG32 || in->id == ISA_ATOMIC_XCHG64;
    bool cmpxchg = in->id == ISA_ATOMIC_CMPXCHG32 || in->id == ISA_ATOMIC_CMPXCHG64;
    bool ok = vf_need_init(c, s, pc, dst) && vf_need_init(c, s, pc, src);
    if (ok && s->regs[src].type != VF_T_NUM) {
        vf_fail(c, s, pc, "atomic operation with r%d, a %s: only numbers", src, vf_type_name(s->regs[src].type));
        ok = false;
    }
    if (ok && cmpxchg && vf_need_init(c, s, pc, 0) && s->regs[0].type != VF_T_NUM) {
        vf_fail(c, s, pc, "atomic compare-and-exchange with r0, a %s: only numbers", vf_type_name(s->regs[0].type));
        ok = false;
    }
    uint8_t t = s->regs[dst].type;
    if (ok && t != VF_T_STACK && t != VF_T_MAP_VALUE && t != VF_T_MEM) {
        if (t == VF_T_NUM || vf_reg_is_ptr(&s->regs[dst]))
            vf_fail(c, s, pc, "atomic operation on r%d, a %s: only stack, map values and ringbuf memory", dst,
                    vf_type_name(t));
        ok = false;
    }
    if (ok && vf_mem_check(c, s, pc, dst, in->off, (uint64_t)size, false, false, "atomic") &&
        vf_mem_check(c, s, pc, dst, in->off, (uint64_t)size, true, false, "atomic") && t == VF_T_STACK) {
        vf_reg *b = &s->regs[dst];
        int64_t lo = b->v.smin + in->off, hi = b->v.smax + in->off + size;
        stack_write_num(s->frames[b->frame], lo, hi, lo, lo);
        for (int64_t o = lo; o < hi; o++)
            if (s->frames[b->frame]->bytes[o + VF_STACK] == VF_B_UNINIT)
                s->frames[b->frame]->bytes[o + VF_STACK] = VF_B_NUM;
    }
    int out = cmpxchg ? 0 : fetch ? src : -1;
    if (out >= 0)
        set_loaded_num(s, out, size, false);
}

void vf_ld_abs(vf_ctx *c, vf_state *s, uint32_t pc, const isa_insn *in)
{
    const abi_ctx_desc *d = abi_ctx_for_prog_type(c->prog_type);
    if (!d || d->layout != ABI_CTX_SKB)
        vf_fail(c, s, pc, "legacy packet loads (ld_abs/ld_ind) need a socket buffer program, not %s",
                abi_prog_type_name(c->prog_type));
    else if (s->regs[6].type != VF_T_CTX)
        vf_fail(c, s, pc, "legacy packet loads need the context in r6 (r6 is a %s)", vf_type_name(s->regs[6].type));
    if (isa_infos[in->id].format == ISA_FMT_LD_IND && vf_need_init(c, s, pc, in->src) &&
        s->regs[in->src].type != VF_T_NUM)
        vf_fail(c, s, pc, "ld_ind offset r%d is a %s, not a number", in->src, vf_type_name(s->regs[in->src].type));
    set_loaded_num(s, 0, isa_access_size(in), false);
    for (int r = 1; r <= 5; r++) {
        vf_reg_set_uninit(&s->regs[r]);
        vf_sync_reg(s, r);
    }
}
