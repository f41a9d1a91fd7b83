/*
 * helper_run_state.c - which Linux helpers leave the per-run state alone (helper_keeps_run_state):
 * what helper_run_reset clears is written only by the redirect helpers (redirect, redirect_map), by
 * tail_call (tail_call_cnt, tail_call_target) and, through the runtime's callback trampoline, by the
 * helpers that run callbacks (loop, for_each_map_elem: callback_abort). The list below is the other
 * way round on purpose: each helper named here was read and touches only its arguments, maps, the
 * packet window, ring buffers, the trace sink or clocks. A helper added later is not on it until
 * someone checks it, so the lean repeat path stays correct by default.
 */
#include "helpers/helper_run.h"

#include "abi/abi_helpers.h"

bool helper_keeps_run_state(uint32_t id)
{
    switch (id) {
    case ABI_HELPER_ID_map_lookup_elem:
    case ABI_HELPER_ID_map_update_elem:
    case ABI_HELPER_ID_map_delete_elem:
    case ABI_HELPER_ID_map_lookup_percpu_elem:
    case ABI_HELPER_ID_map_push_elem:
    case ABI_HELPER_ID_map_pop_elem:
    case ABI_HELPER_ID_map_peek_elem:
    case ABI_HELPER_ID_ktime_get_ns:
    case ABI_HELPER_ID_ktime_get_boot_ns:
    case ABI_HELPER_ID_ktime_get_coarse_ns:
    case ABI_HELPER_ID_ktime_get_tai_ns:
    case ABI_HELPER_ID_jiffies64:
    case ABI_HELPER_ID_get_prandom_u32:
    case ABI_HELPER_ID_get_smp_processor_id:
    case ABI_HELPER_ID_get_numa_node_id:
    case ABI_HELPER_ID_csum_diff:
    case ABI_HELPER_ID_xdp_adjust_head:
    case ABI_HELPER_ID_xdp_adjust_meta:
    case ABI_HELPER_ID_xdp_adjust_tail:
    case ABI_HELPER_ID_xdp_get_buff_len:
    case ABI_HELPER_ID_xdp_load_bytes:
    case ABI_HELPER_ID_xdp_store_bytes:
    case ABI_HELPER_ID_skb_load_bytes:
    case ABI_HELPER_ID_skb_store_bytes:
    case ABI_HELPER_ID_l3_csum_replace:
    case ABI_HELPER_ID_l4_csum_replace:
    case ABI_HELPER_ID_ringbuf_output:
    case ABI_HELPER_ID_ringbuf_reserve:
    case ABI_HELPER_ID_ringbuf_submit:
    case ABI_HELPER_ID_ringbuf_discard:
    case ABI_HELPER_ID_ringbuf_query:
    case ABI_HELPER_ID_trace_printk:
        return true;
    default:
        return false;
    }
}
