/*
 * helpers_tail_call.c - bpf_tail_call, helper side: the prog_array lookup with Linux's checks and
 * counting (helper_tail_call_resolve), and the helper function that leaves the target in the run for
 * the engine to jump to (helper_tail_call_take). The jump itself belongs to the engine.
 */
#include "helpers/helpers_int.h"

#include "maps/maps.h"

void *helper_tail_call_resolve(helper_run *run, struct map *map, uint32_t index)
{
    if (!run || !map || map->type != ABI_MAP_TYPE_PROG_ARRAY)
        return NULL;
    if (index >= map->max_entries)
        return NULL;
    if (run->tail_call_cnt >= HELPER_MAX_TAIL_CALL_CNT)
        return NULL;
    run->tail_call_cnt++;
    return map_prog_array_get(map, index);
}

void *helper_tail_call_take(helper_run *run)
{
    void *target = run->tail_call_target;
    run->tail_call_target = NULL;
    return target;
}

/* long bpf_tail_call(void *ctx, struct bpf_map *prog_array_map, u32 index): on success Linux never
 * returns; here the target is left in run->tail_call_target and 0 returned for the engine to act
 * on. On failure (-ENOENT here) the program continues after the call, as in Linux. */
HELPER_FN(tail_call)
{
    helper_run *run = helper_ctx_run(r1);
    if (!run)
        return HELPER_ERR(HELPER_EINVAL);
    run->tail_call_target = helper_tail_call_resolve(run, HELPER_PTR(r2), (uint32_t)r3);
    return run->tail_call_target ? 0 : HELPER_ERR(HELPER_ENOENT);
}
