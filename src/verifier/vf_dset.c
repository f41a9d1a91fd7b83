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
 * of the same type.
 */
#include "verifier/vf_int.h"

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
    for (int i = 0; i < VF_STACK; i++)
        if ((k->mask[i / 8] >> (i & 7)) & 1u)
            if (byte_init(a, i) != byte_init(b, i))
                return false;
    return true;
}

static int closeness(const vf_keys *k, const vf_state *a, const vf_state *b)
{
    int n = vf_keys_same(k, a, b) ? ISA_REG_COUNT + 1 : 0;
    for (int i = 0; i < ISA_REG_COUNT; i++)
        n += a->regs[i].type == b->regs[i].type;
    return n;
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
        set[n] = vf_state_copy(out);
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
    if (!vf_state_join(c, set[best], out, widen))
        c->nomem = true;
    return true;
}
