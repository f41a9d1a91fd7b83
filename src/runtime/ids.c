/*
 * ids.c - object ids: every map and program the runtime creates gets a process-wide id, from 1, never
 * reused in the process' life, one sequence per object kind (Linux: map_idr and prog_idr). User space
 * sees them where Linux shows ids: prog_array and map-in-map lookups, ebpf_map_info and
 * ebpf_program_info.
 */
#include <stdatomic.h>

#include "runtime/runtime_int.h"

static atomic_uint runtime_last_map_id;
static atomic_uint runtime_last_prog_id;

uint32_t runtime_next_map_id(void)
{
    return atomic_fetch_add_explicit(&runtime_last_map_id, 1, memory_order_relaxed) + 1;
}

uint32_t runtime_next_prog_id(void)
{
    return atomic_fetch_add_explicit(&runtime_last_prog_id, 1, memory_order_relaxed) + 1;
}
