/*
 * vf_dset.c - a block's states as a small disjunction (up to VF_DISJ states), and the key that keeps
 * states apart: the stack bytes of the function's frame whose initialisation differs between the
 * states entering its outermost loops. A stack array filled up to a count on `count` paths (an
 * unrolled copy loop), then read below the count by a loop, stays precise only if the paths are not
 * joined: a join keeps just the bytes initialised on both sides.
 *
 * Adding a state: none is added that a member already includes. A new member is made for the first
 * state; at a loop head only for a state whose key no member has (so the set stays finite and every
 * member's widening sequence stabilises); elsewhere for any state while there is room. Otherwise the
 * state joins (widening at heads) the member most like it: the same key first, then the most registers
 * of the same type; outside heads, two members are joined to make room for a state that would lose a
 * register's meaning in any join (make_room).
 */
#include "verifier/vf_int.h"

#include <string.h>

static bool byte_init(const vf_state *s, int i)
{
    return s->frames[s->depth - 1]->bytes[i] != VF_B_UNINIT;
}

void vf_keys_note_entry(vf_keys *k, uint32_t head, const vf_state *e)
{
    if (!e->depth || !k->entry_init)
        return;
    uint8_t *first = &k->entry_init[(size_t)head * (VF_STACK / 8)];
    for (int i = 0; i < VF_STACK; i++) {
        uint8_t bit = (uint8_t)(1u << (i & 7));
        bool init = byte_init(e, i);
        if (!k->entry_seen[head])
            first[i / 8] = (uint8_t)(init ? first[i / 8] | bit : first[i / 8] & ~bit);
        else if (init != ((first[i / 8] & bit) != 0))
            k->mask[i / 8] |= bit;
    }
    k->entry_seen[head] = 1;
}

bool vf_keys_same(const vf_keys *k, const vf_state *a, const vf_state *b)
{
    if (a->depth != b->depth || !a->depth)
        return a->depth == b->depth;
    const uint8_t *x = a->frames[a->depth - 1]->bytes, *y = b->frames[b->depth - 1]->bytes;
    for (int m = 0; m < VF_STACK / 8; m++) {
        if (!k->mask[m] || !memcmp(&x[m * 8], &y[m * 8], 8))
            continue; /* no key byte here, or the same bytes */
        for (int i = m * 8; i < m * 8 + 8; i++)
            if (((k->mask[m] >> (i & 7)) & 1u) && (x[i] != VF_B_UNINIT) != (y[i] != VF_B_UNINIT))
                return false;
    }
    return true;
}

/* Would a join make the register unusable: two different kinds of value (MIXED), two callbacks, or
 * two map handles (a set of maps, which a helper needing one map refuses)? */
static bool join_loses(const vf_reg *a, const vf_reg *b)
{
    if (a->type == VF_T_UNINIT || b->type == VF_T_UNINIT || a->type == VF_T_MIXED || b->type == VF_T_MIXED)
        return false;
    if (a->type == VF_T_FUNC || b->type == VF_T_FUNC)
        return a->type != b->type || a->size != b->size;
    if (a->type == VF_T_MAP_PTR && b->type == VF_T_MAP_PTR)
        return a->map != b->map;
    bool a_ptr = a->type != VF_T_NUM, b_ptr = b->type != VF_T_NUM;
    if (a_ptr != b_ptr) /* NULL joined with a pointer that may be NULL stays usable */
        return !(a_ptr ? b->v.umax == 0 : a->v.umax == 0);
    return a_ptr && a->type != b->type && vf_or_null_of(a->type) != vf_or_null_of(b->type);
}

/* Registers and spilled stack slots of the current frame a join would make unusable. */
static int losses(const vf_state *a, const vf_state *b)
{
    int n = 0;
    for (int i = 0; i < ISA_REG_COUNT; i++)
        n += join_loses(&a->regs[i], &b->regs[i]);
    if (a->depth != b->depth || !a->depth)
        return n;
    const vf_frame *fa = a->frames[a->depth - 1], *fb = b->frames[b->depth - 1];
    for (int k = 0; k < VF_SLOTS; k++)
        if (fa->bytes[k * 8] == VF_B_SPILL && fb->bytes[k * 8] == VF_B_SPILL)
            n += join_loses(&fa->slots[k], &fb->slots[k]);
    return n;
}

static int closeness(const vf_keys *k, const vf_state *a, const vf_state *b)
{
    int n = vf_keys_same(k, a, b) ? ISA_REG_COUNT + 1 : 0;
    for (int i = 0; i < ISA_REG_COUNT; i++)
        n += a->regs[i].type == b->regs[i].type;
    return n;
}

/* A full set outside loop heads where joining `out` into its closest member would make a register
 * unusable (join_loses): if two members of the same key join without such a loss, they are joined and out
 * takes the freed place (*best becomes -1). */
static void make_room(vf_ctx *c, const vf_keys *k, vf_state **set, int n, int *best, vf_state *out)
{
    int bi = -1, bj = -1, pair = -1;
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++) {
            if (losses(set[i], set[j]) || !vf_keys_same(k, set[i], set[j]))
                continue;
            int sc = closeness(k, set[i], set[j]);
            if (sc > pair) {
                pair = sc;
                bi = i;
                bj = j;
            }
        }
    if (bi < 0)
        return;
    if (!vf_state_join(c, set[bi], set[bj], 0))
        c->nomem = true;
    vf_state_drop(c, set[bj]);
    set[bj] = vf_state_take(c, out);
    if (!set[bj])
        c->nomem = true;
    *best = -1;
}

bool vf_dset_add(vf_ctx *c, const vf_keys *k, vf_state **set, vf_state *out, bool head, int widen)
{
    int n = 0;
    while (n < VF_DISJ && set[n])
        n++;
    for (int i = 0; i < n; i++)
        if (vf_state_leq(out, set[i]))
            return false;
    bool keyed = false; /* a member has out's key */
    for (int i = 0; i < n && !keyed; i++)
        keyed = vf_keys_same(k, set[i], out);
    if (n < VF_DISJ && (n == 0 || !keyed || !head)) {
        set[n] = vf_state_take(c, out);
        if (!set[n])
            c->nomem = true;
        return true;
    }
    int best = 0, score = -1;
    for (int i = 0; i < n; i++) {
        int sc = closeness(k, set[i], out);
        if (sc > score) {
            score = sc;
            best = i;
        }
    }
    if (!head && losses(set[best], out))
        make_room(c, k, set, n, &best, out);
    if (best >= 0 && !vf_state_join(c, set[best], out, widen))
        c->nomem = true;
    return true;
}
