/*
 * vf_helpers.c - helper calls: the helper must be supported and allowed for the program type; each
 * argument is checked against its kind in helpers.def (map handles only from lddw, key and value
 * memory readable for the map's sizes, memory + size pairs in bounds, context, callbacks, held
 * references); then the calling convention: r1-r5 become uninitialised, r0 gets the return kind
 * (maybe-NULL results get an id shared by their copies; acquired references are recorded), helpers
 * that may move the packet invalidate every packet pointer, and helper writes into the stack leave
 * numbers there.
 */
#include "verifier/vf_int.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "abi/abi_maps.h"
#include "abi/abi_prog.h"

static void invalidate_pkt(vf_reg *r, void *arg)
{
    (void)arg;
    if (r->type == VF_T_PKT || r->type == VF_T_PKT_END)
        vf_reg_set_dead(r, VF_WHY_PACKET);
}

void vf_invalidate_packet(vf_state *s)
{
    vf_state_each_reg(s, invalidate_pkt, NULL);
    for (int i = 0; i < ISA_REG_COUNT; i++)
        if (s->regs[i].type == VF_T_UNINIT)
            vf_zone_forget(s->zone, VF_V_REG0 + (unsigned)i);
    vf_zone_forget(s->zone, VF_V_PKT);
    vf_zone_forget(s->zone, VF_V_META);
    vf_zone_add_bounds(s->zone, VF_V_PKT, 0, VF_PKT_MAX);
    vf_zone_add_bounds(s->zone, VF_V_META, -VF_PKT_MAX, 0);
}

typedef struct id_arg {
    uint32_t id;
} id_arg;

static void drop_id(vf_reg *r, void *arg)
{
    id_arg *a = arg;
    if (r->id == a->id && r->ref)
        vf_reg_set_dead(r, VF_WHY_RELEASED);
    else if (r->id == a->id)
        r->id = 0;
}

static void release_ref(vf_state *s, uint32_t id)
{
    vf_ref_remove(s, id);
    id_arg a = {id};
    vf_state_each_reg(s, drop_id, &a);
    for (int i = 0; i < ISA_REG_COUNT; i++)
        if (s->regs[i].type == VF_T_UNINIT)
            vf_zone_forget(s->zone, VF_V_REG0 + (unsigned)i);
}

static bool is_null_const(const vf_reg *r)
{
    uint64_t k;
    return vf_reg_const(r, &k) && k == 0;
}

static bool const_zero_offset(const vf_reg *r)
{
    uint64_t k;
    return vf_ival_is_const(r->v, &k) && k == 0;
}

/* A memory argument: readable (or writable) for size bytes, size in [smin, smax]. */
static bool mem_arg(vf_ctx *c, vf_state *s, uint32_t pc, int r, uint64_t smin, uint64_t smax, bool write,
                    const char *hname)
{
    char what[96];
    snprintf(what, sizeof what, "argument r%d of %s", r, hname);
    uint8_t t = s->regs[r].type;
    if (t == VF_T_CTX) {
        vf_fail(c, s, pc, "%s: the context cannot be passed as memory", what);
        return false;
    }
    if (smax == 0)
        return true;
    if (!vf_mem_check(c, s, pc, r, 0, smax, write, true, what))
        return false;
    if (write) {
        if (t == VF_T_STACK)
            vf_stack_mark_num(s, &s->regs[r], smin, smax);
    }
    return true;
}

/* What the helper may rely on when r names one map or one of a set of maps: the key size to read
 * (largest), the value size (smallest for results, largest for what the helper reads or writes), the
 * map type and inner map when they agree (else UINT32_MAX / -2), read-only if any is. */
typedef struct map_summary {
    vf_map m;              /* type, key_size (largest), value_size (smallest), inner, read_only */
    uint32_t value_max;
    int index;             /* the map index, -1 for a set */
} map_summary;

static bool map_of(vf_ctx *c, const vf_reg *r, map_summary *out)
{
    if (r->type != VF_T_MAP_PTR)
        return false;
    uint64_t set = r->map >= 0 ? 0 : r->mset;
    if (r->map >= 0) {
        if ((size_t)r->map >= c->in->map_count)
            return false;
        out->m = c->in->maps[r->map];
        out->value_max = out->m.value_size;
        out->index = r->map;
        return true;
    }
    if (!set)
        return false;
    bool first = true;
    for (unsigned i = 0; i < 64; i++) {
        if (!(set >> i & 1))
            continue;
        if (i >= c->in->map_count)
            return false;
        const vf_map *m = &c->in->maps[i];
        if (first) {
            out->m = *m;
            out->value_max = m->value_size;
            first = false;
            continue;
        }
        if (m->type != out->m.type)
            out->m.type = UINT32_MAX;
        if (m->inner != out->m.inner)
            out->m.inner = -2;
        if (m->key_size > out->m.key_size)
            out->m.key_size = m->key_size;
        if (m->value_size < out->m.value_size)
            out->m.value_size = m->value_size;
        if (m->value_size > out->value_max)
            out->value_max = m->value_size;
        out->m.read_only |= m->read_only;
    }
    out->index = -1;
    return true;
}

/* A callback that is one of several functions (funcs, bits of vf_ctx.cb_entries; 0: just `entry`), of
 * bpf_for_each_map_elem on one of several maps (maps, bits of map indexes; 0: just `map`): each pair
 * is analysed, and the call's state after it is the join of the outcomes. */
static void callbacks(vf_ctx *c, vf_state *s, uint32_t pc, uint32_t entry, uint64_t funcs, int map, uint64_t maps,
                      uint8_t cbase)
{
    vf_state *acc = NULL;
    for (unsigned f = 0; f < 64 && !c->nomem; f++) {
        if (funcs ? !(funcs >> f & 1) || f >= c->ncb : f > 0)
            continue;
        for (unsigned m = 0; m < 64 && !c->nomem; m++) {
            if (maps ? !(maps >> m & 1) || m >= c->in->map_count : m > 0)
                continue;
            vf_state *t = vf_state_copy(s);
            if (!t) {
                c->nomem = true;
                break;
            }
            vf_callback(c, t, pc, funcs ? c->cb_entries[f] : entry, maps ? (int)m : map, cbase);
            if (!acc) {
                acc = t;
                continue;
            }
            if (!vf_state_join(c, acc, t, 0))
                c->nomem = true;
            vf_state_free(t);
        }
    }
    if (acc && !c->nomem)
        vf_state_assign(s, acc);
    else if (!c->nomem)
        vf_state_set_bottom(s); /* no function or map to run: nothing gets past the call */
    vf_state_free(acc);
}

void vf_helper_call(vf_ctx *c, vf_state *s, uint32_t pc, const isa_insn *in, uint8_t cbase)
{
    uint32_t id = (uint32_t)in->imm;
    const abi_helper *h = abi_helper_by_id(id);
    char hname[64];
    snprintf(hname, sizeof hname, "bpf_%s", h ? h->name : "unknown");
    bool ok = true;
    if (!h) {
        vf_fail(c, s, pc, "call to unknown helper %" PRIu32, id);
        ok = false;
    } else if (!abi_helper_supported(h)) {
        vf_fail(c, s, pc, "helper %s is not supported", hname);
        ok = false;
    } else if (!abi_prog_may_call(c->prog_type, h)) {
        vf_fail(c, s, pc, "program of type %s may not call helper %s", abi_prog_type_name(c->prog_type), hname);
        ok = false;
    }
    map_summary ms;
    const vf_map *map = NULL;
    int map_index = -1;
    uint64_t map_set = 0; /* several maps (bit i = map i): for_each_map_elem visits each one's callback */
    uint32_t func_entry = UINT32_MAX;
    uint64_t func_set = 0; /* func_entry is VF_FUNC_SET: one of these functions (vf_ctx.cb_entries bits) */
    uint64_t alloc_size = 0;
    uint32_t released = 0;
    for (int a = 0; ok && h && a < 5; a++) {
        uint8_t kind = h->args[a];
        int r = a + 1;
        if (kind == ABI_ARG_NONE)
            break;
        if (kind == ABI_ARG_ANYTHING && id == ABI_HELPER_ID_trace_printk)
            continue; /* Linux checks only the format and its size; the rest are read as the format says */
        if (!vf_need_init(c, s, pc, r)) {
            ok = false;
            break;
        }
        vf_reg *x = &s->regs[r];
        switch (kind) {
        case ABI_ARG_ANYTHING:
            if (x->type != VF_T_NUM && (c->in->flags & VF_UNPRIVILEGED)) {
                vf_fail(c, s, pc, "argument r%d of %s is a %s: passing it as a number leaks an address", r, hname,
                        vf_type_name(x->type));
                ok = false;
            }
            break;
        case ABI_ARG_MAP:
        case ABI_ARG_PROG_ARRAY:
            map = map_of(c, x, &ms) ? &ms.m : NULL;
            if (!map || !const_zero_offset(x)) {
                vf_fail(c, s, pc, "argument r%d of %s must be a map handle loaded with lddw (it is a %s%s)", r, hname,
                        vf_type_name(x->type), x->type == VF_T_MAP_PTR ? " with an offset" : "");
                ok = false;
            } else if (kind == ABI_ARG_PROG_ARRAY && map->type != ABI_MAP_TYPE_PROG_ARRAY) {
                vf_fail(c, s, pc, "%s needs a prog_array map in r%d, not a %s map", hname, r, abi_map_type_name(map->type));
                ok = false;
            } else if ((map->type == UINT32_MAX || map->inner == -2) &&
                       (h->ret == ABI_RET_MAP_VALUE || h->ret == ABI_RET_MAP_VALUE_OR_NULL ||
                        h->ret == ABI_RET_RINGBUF_MEM_OR_NULL)) {
                vf_fail(c, s, pc, "argument r%d of %s may be one of several maps of different types", r, hname);
                ok = false;
            } else if (h->ret == ABI_RET_RINGBUF_MEM_OR_NULL && map->type != ABI_MAP_TYPE_RINGBUF) {
                vf_fail(c, s, pc, "%s needs a ringbuf map in r%d", hname, r);
                ok = false;
            } else {
                map_index = ms.index;
                map_set = ms.index < 0 ? x->mset : 0;
            }
            break;
        case ABI_ARG_MAP_KEY:
        case ABI_ARG_MAP_VALUE:
        case ABI_ARG_UNINIT_MAP_VALUE: {
            if (!map) {
                vf_fail(c, s, pc, "argument r%d of %s needs a map argument before it", r, hname);
                ok = false;
                break;
            }
            uint64_t size = kind == ABI_ARG_MAP_KEY ? map->key_size : ms.value_max;
            ok = mem_arg(c, s, pc, r, size, size, kind == ABI_ARG_UNINIT_MAP_VALUE, hname);
            break;
        }
        case ABI_ARG_CTX:
        case ABI_ARG_CTX_OR_NULL:
            if (kind == ABI_ARG_CTX_OR_NULL && is_null_const(x))
                break;
            if (x->type != VF_T_CTX || !const_zero_offset(x)) {
                vf_fail(c, s, pc, "argument r%d of %s must be the context pointer (it is a %s)", r, hname,
                        vf_type_name(x->type));
                ok = false;
            }
            break;
        case ABI_ARG_MEM:
        case ABI_ARG_MEM_OR_NULL:
        case ABI_ARG_UNINIT_MEM: {
            uint8_t next = a + 1 < 5 ? h->args[a + 1] : ABI_ARG_NONE;
            if (next != ABI_ARG_SIZE && next != ABI_ARG_SIZE_OR_ZERO) {
                vf_fail(c, s, pc, "%s: memory argument r%d without a size", hname, r);
                ok = false;
                break;
            }
            if (!vf_need_init(c, s, pc, r + 1)) {
                ok = false;
                break;
            }
            vf_reg *sz = &s->regs[r + 1];
            if (sz->type != VF_T_NUM) {
                vf_fail(c, s, pc, "size argument r%d of %s is a %s, not a number", r + 1, hname, vf_type_name(sz->type));
                ok = false;
                break;
            }
            if (sz->v.smin < 0 && sz->v.umax > INT32_MAX) {
                vf_fail(c, s, pc, "size argument r%d of %s may be negative", r + 1, hname);
                ok = false;
                break;
            }
            if (next == ABI_ARG_SIZE && sz->v.umin == 0) {
                vf_fail(c, s, pc, "size argument r%d of %s may be 0", r + 1, hname);
                ok = false;
                break;
            }
            if (kind == ABI_ARG_MEM_OR_NULL && is_null_const(x)) {
                if (sz->v.umax != 0) { /* Linux: NULL only together with a size of 0 */
                    vf_fail(c, s, pc, "argument r%d of %s is NULL but its size r%d may be non-zero", r, hname, r + 1);
                    ok = false;
                }
                break;
            }
            ok = mem_arg(c, s, pc, r, sz->v.umin, sz->v.umax, kind == ABI_ARG_UNINIT_MEM, hname);
            break;
        }
        case ABI_ARG_SIZE:
        case ABI_ARG_SIZE_OR_ZERO:
            break; /* checked with its memory argument */
        case ABI_ARG_ALLOC_SIZE:
            /* Linux: ARG_CONST_ALLOC_SIZE_OR_ZERO; a record of 0 bytes admits no access */
            if (!vf_reg_const(x, &alloc_size) || alloc_size > UINT32_MAX) {
                vf_fail(c, s, pc, "size argument r%d of %s must be a constant", r, hname);
                ok = false;
            }
            break;
        case ABI_ARG_RINGBUF_MEM:
        case ABI_ARG_SOCKET: {
            uint8_t want = kind == ABI_ARG_RINGBUF_MEM ? VF_T_MEM : VF_T_SOCK;
            bool held = false;
            for (int i = 0; i < s->nrefs; i++)
                held |= s->refs[i] == x->id;
            if (x->type != want || !x->ref || !held || !const_zero_offset(x)) {
                vf_fail(c, s, pc, "argument r%d of %s must be a %s acquired earlier and not yet released (it is a %s)", r,
                        hname, kind == ABI_ARG_RINGBUF_MEM ? "ringbuf record" : "socket reference",
                        vf_type_name(x->type));
                ok = false;
            } else {
                released = x->id;
            }
            break;
        }
        case ABI_ARG_FUNC:
            if (x->type != VF_T_FUNC) {
                vf_fail(c, s, pc, "argument r%d of %s must be a callback function (it is a %s)", r, hname,
                        vf_type_name(x->type));
                ok = false;
            } else {
                func_entry = x->size;
                func_set = x->size == VF_FUNC_SET ? x->mset : 0;
            }
            break;
        case ABI_ARG_STACK_OR_NULL:
            if (!is_null_const(x) && x->type != VF_T_STACK) {
                vf_fail(c, s, pc, "argument r%d of %s must be a stack pointer or NULL", r, hname);
                ok = false;
            }
            break;
        case ABI_ARG_CONST_STR: {
            /* any offset inside the read-only value (one of several strings after a join is fine) */
            if (x->type != VF_T_MAP_VALUE || !x->ro || x->v.smin < 0 || x->v.umax >= x->size) {
                vf_fail(c, s, pc, "argument r%d of %s must point into a read-only map value (a constant string)", r,
                        hname);
                ok = false;
            }
            break;
        }
        case ABI_ARG_LONG_PTR:
            /* 8 writable bytes at an 8-aligned address: the stack or a map value (both 8-aligned at
             * offset 0) at an offset whose low three bits are known zeros. */
            if ((x->type != VF_T_STACK && x->type != VF_T_MAP_VALUE) || (x->t.mask & 7u) || (x->t.value & 7u)) {
                vf_fail(c, s, pc, "argument r%d of %s must be an 8-byte aligned pointer to the stack or a map value",
                        r, hname);
                ok = false;
                break;
            }
            ok = mem_arg(c, s, pc, r, 8, 8, true, hname);
            break;
        default:
            vf_fail(c, s, pc, "argument r%d of %s has a kind this verifier does not support", r, hname);
            ok = false;
            break;
        }
    }
    if (released)
        release_ref(s, released);
    uint8_t ret = h ? h->ret : ABI_RET_INTEGER;
    if (h && id == ABI_HELPER_ID_loop && func_entry != UINT32_MAX)
        callbacks(c, s, pc, func_entry, func_set, -1, 0, cbase);
    else if (h && id == ABI_HELPER_ID_for_each_map_elem && func_entry != UINT32_MAX) {
        if (map_index >= 0 || map_set)
            callbacks(c, s, pc, func_entry, func_set, map_index, map_set, cbase);
        else
            vf_fail(c, s, pc, "%s needs a known map", hname);
    }
    if (h && (h->flags & ABI_HELPER_PKT_CHANGE))
        vf_invalidate_packet(s);
    for (int r = 1; r <= 5; r++) {
        vf_reg_set_dead(&s->regs[r], VF_WHY_CALL);
        vf_zone_forget(s->zone, VF_V_REG0 + (unsigned)r);
    }
    /* a new result at this call site: older copies lose the link to it */
    id_arg a = {pc + 1};
    bool held = false;
    for (int i = 0; i < s->nrefs; i++)
        held |= s->refs[i] == pc + 1;
    if (!held)
        vf_state_each_reg(s, drop_id, &a);
    vf_reg *r0 = &s->regs[0];
    vf_reg_set_uninit(r0);
    switch (ret) {
    case ABI_RET_VOID:
        vf_reg_set_num(r0, vf_ival_top(), vf_tnum_top());
        break;
    case ABI_RET_MAP_VALUE:
    case ABI_RET_MAP_VALUE_OR_NULL: {
        if (!map) {
            vf_reg_set_num(r0, vf_ival_top(), vf_tnum_top());
            break;
        }
        bool of_maps = map->type == ABI_MAP_TYPE_ARRAY_OF_MAPS || map->type == ABI_MAP_TYPE_HASH_OF_MAPS;
        if (of_maps && (map->inner < 0 || (size_t)map->inner >= c->in->map_count)) {
            vf_reg_set_uninit(r0);
            r0->type = VF_T_MIXED;
            break;
        }
        r0->type = of_maps ? VF_T_MAP_PTR_OR_NULL : VF_T_MAP_VALUE_OR_NULL;
        if (ret == ABI_RET_MAP_VALUE)
            r0->type = of_maps ? VF_T_MAP_PTR : VF_T_MAP_VALUE;
        r0->map = of_maps ? map->inner : map_index;
        r0->size = of_maps ? 0 : map->value_size;
        r0->ro = map->read_only;
        r0->id = pc + 1;
        r0->v = vf_ival_const(0);
        r0->t = vf_tnum_const(0);
        break;
    }
    case ABI_RET_RINGBUF_MEM_OR_NULL:
    case ABI_RET_SOCKET_OR_NULL:
        if (held) {
            vf_fail(c, s, pc, "%s acquires a reference while the one it returned before is still held", hname);
            vf_reg_set_uninit(r0);
            r0->type = VF_T_MIXED;
            break;
        }
        r0->type = ret == ABI_RET_SOCKET_OR_NULL ? VF_T_SOCK_OR_NULL : VF_T_MEM_OR_NULL;
        r0->size = ret == ABI_RET_SOCKET_OR_NULL ? 80 : (uint32_t)alloc_size;
        r0->id = pc + 1;
        r0->ref = 1;
        r0->ro = ret == ABI_RET_SOCKET_OR_NULL;
        r0->v = vf_ival_const(0);
        r0->t = vf_tnum_const(0);
        if (!vf_ref_add(s, pc + 1)) {
            vf_fail(c, s, pc, "too many references held at once");
        }
        break;
    default:
        if (id == ABI_HELPER_ID_get_prandom_u32 || id == ABI_HELPER_ID_get_smp_processor_id)
            vf_reg_set_num(r0, vf_ival_urange(0, UINT32_MAX), vf_tnum_range(0, UINT32_MAX));
        else
            vf_reg_set_num(r0, vf_ival_top(), vf_tnum_top());
        break;
    }
    vf_sync_reg(s, 0);
}
