/*
 * helpers_redirect.c - bpf_redirect and bpf_redirect_map: record where the packet should go in the
 * run (helper_run.redirect) and return the action the program is expected to return.
 *
 * bpf_redirect has two Linux flavours. XDP: flags must be 0 (else XDP_ABORTED), result XDP_REDIRECT.
 * tc and the other skb programs: flags may only hold BPF_F_INGRESS (else TC_ACT_SHOT), result
 * TC_ACT_REDIRECT.
 *
 * bpf_redirect_map (XDP) on a devmap, devmap_hash, cpumap or xskmap (any other map: XDP_ABORTED,
 * a call Linux's verifier refuses): the low two bits of flags are the action to return when the key
 * has no entry (XDP_ABORTED, DROP, PASS or TX); devmaps also accept BPF_F_BROADCAST and
 * BPF_F_EXCLUDE_INGRESS; any other bit is XDP_ABORTED. The key is used as a u32. Found (or
 * broadcasting): XDP_REDIRECT. Not found: the fallback action, and the redirect is cleared.
 */
#include "helpers/helpers_int.h"

#include <string.h>

#include "maps/maps.h"

#define HELPER_F_INGRESS 1ull          /* BPF_F_INGRESS */
#define HELPER_F_BROADCAST (1ull << 3) /* BPF_F_BROADCAST */
#define HELPER_F_EXCLUDE_INGRESS (1ull << 4)
#define HELPER_XDP_ACTION_MASK 3ull    /* XDP_ABORTED | XDP_DROP | XDP_PASS | XDP_TX */

/* long bpf_redirect(u32 ifindex, u64 flags) */
HELPER_FN(redirect)
{
    helper_run *run = helper_run_current();
    bool xdp = run && run->prog_type == HELPER_PROG_TYPE_XDP;
    if (xdp ? r2 != 0 : (r2 & ~HELPER_F_INGRESS) != 0)
        return xdp ? HELPER_XDP_ABORTED : HELPER_TC_ACT_SHOT;
    if (!run)
        return HELPER_TC_ACT_SHOT;
    memset(&run->redirect, 0, sizeof run->redirect);
    run->redirect.set = true;
    run->redirect.ifindex = (uint32_t)r1;
    run->redirect.flags = r2;
    return xdp ? HELPER_XDP_REDIRECT : HELPER_TC_ACT_REDIRECT;
}

/* long bpf_redirect_map(struct bpf_map *map, u64 key, u64 flags) */
HELPER_FN(redirect_map)
{
    struct map *map = HELPER_PTR(r1);
    uint64_t flags = r3;
    bool devmap = map->type == ABI_MAP_TYPE_DEVMAP || map->type == ABI_MAP_TYPE_DEVMAP_HASH;
    if (!devmap && map->type != ABI_MAP_TYPE_CPUMAP && map->type != ABI_MAP_TYPE_XSKMAP)
        return HELPER_XDP_ABORTED;
    uint64_t allowed = HELPER_XDP_ACTION_MASK |
                       (devmap ? HELPER_F_BROADCAST | HELPER_F_EXCLUDE_INGRESS : 0);
    if (flags & ~allowed)
        return HELPER_XDP_ABORTED;
    helper_run *run = helper_run_current();
    if (!run)
        return HELPER_XDP_ABORTED;
    uint32_t key = (uint32_t)r2;
    const void *entry = map_lookup_elem(map, &key);
    bool broadcast = (flags & HELPER_F_BROADCAST) != 0;
    memset(&run->redirect, 0, sizeof run->redirect);
    if (!entry && !broadcast)
        return flags & HELPER_XDP_ACTION_MASK;
    run->redirect.set = true;
    run->redirect.map = map;
    run->redirect.map_type = map->type;
    run->redirect.key = key;
    run->redirect.flags = broadcast ? flags : 0;
    if (entry && devmap)
        memcpy(&run->redirect.ifindex, entry, sizeof run->redirect.ifindex);
    else
        run->redirect.ifindex = key;
    return HELPER_XDP_REDIRECT;
}
