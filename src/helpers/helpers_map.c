/*
 * helpers_map.c - the map helpers: element lookup/update/delete, queue and stack push/pop/peek,
 * bpf_spin_lock/unlock and bpf_for_each_map_elem, over the program side of maps.h. Map arguments are
 * the struct map * the runtime put into the program's map references; calls happen inside the map
 * read-side section the runtime opened for the run, so returned value pointers stay valid.
 */
#include "helpers/helpers_int.h"

#include "maps/maps.h"

/* void *bpf_map_lookup_elem(struct bpf_map *map, const void *key) */
HELPER_FN(map_lookup_elem)
{
    return HELPER_RET_PTR(map_lookup_elem(HELPER_PTR(r1), HELPER_PTR(r2)));
}

/* void *bpf_map_lookup_percpu_elem(struct bpf_map *map, const void *key, u32 cpu) */
HELPER_FN(map_lookup_percpu_elem)
{
    return HELPER_RET_PTR(map_lookup_percpu_elem(HELPER_PTR(r1), HELPER_PTR(r2), (uint32_t)r3));
}

/* long bpf_map_update_elem(struct bpf_map *map, const void *key, const void *value, u64 flags) */
HELPER_FN(map_update_elem)
{
    return helper_ret(map_update_elem(HELPER_PTR(r1), HELPER_PTR(r2), HELPER_PTR(r3), r4));
}

/* long bpf_map_delete_elem(struct bpf_map *map, const void *key) */
HELPER_FN(map_delete_elem)
{
    return helper_ret(map_delete_elem(HELPER_PTR(r1), HELPER_PTR(r2)));
}

/* long bpf_map_push_elem(struct bpf_map *map, const void *value, u64 flags) */
HELPER_FN(map_push_elem)
{
    return helper_ret(map_push_elem(HELPER_PTR(r1), HELPER_PTR(r2), r3));
}

/* long bpf_map_pop_elem(struct bpf_map *map, void *value) */
HELPER_FN(map_pop_elem)
{
    return helper_ret(map_pop_elem(HELPER_PTR(r1), HELPER_PTR(r2)));
}

/* long bpf_map_peek_elem(struct bpf_map *map, void *value) */
HELPER_FN(map_peek_elem)
{
    return helper_ret(map_peek_elem(HELPER_PTR(r1), HELPER_PTR(r2)));
}

/* long bpf_spin_lock(struct bpf_spin_lock *lock): always 0 */
HELPER_FN(spin_lock)
{
    map_spin_lock(HELPER_PTR(r1));
    return 0;
}

/* long bpf_spin_unlock(struct bpf_spin_lock *lock): always 0 */
HELPER_FN(spin_unlock)
{
    map_spin_unlock(HELPER_PTR(r1));
    return 0;
}

typedef struct each_call {
    helper_run *run;
    uint64_t fn;
    uint64_t ctx;
} each_call;

/* One element: callback_fn(map, key, value, callback_ctx); 0 goes on, 1 stops. */
static long each_element(struct map *map, const void *key, void *value, void *arg)
{
    each_call *call = arg;
    uint64_t r0 = call->run->call_callback(call->run, call->fn, HELPER_RET_PTR(map),
                                           HELPER_RET_PTR(key), HELPER_RET_PTR(value), call->ctx, 0);
    return r0 != 0 || call->run->callback_abort;
}

/* long bpf_for_each_map_elem(struct bpf_map *map, void *callback_fn, void *callback_ctx, u64 flags):
 * the number of elements visited (the one whose callback stopped the walk included), -EINVAL for
 * flags != 0 or a map type that cannot be walked. -EOPNOTSUPP: the runtime gave no callback
 * trampoline (not a Linux case). */
HELPER_FN(for_each_map_elem)
{
    if (r4)
        return HELPER_ERR(HELPER_EINVAL);
    helper_run *run = helper_run_current();
    if (!run || !run->call_callback)
        return HELPER_ERR(HELPER_EOPNOTSUPP);
    each_call call = { run, r2, r3 };
    return helper_ret(map_for_each_elem(HELPER_PTR(r1), each_element, &call, 0));
}
