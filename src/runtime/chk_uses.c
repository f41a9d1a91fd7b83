/*
 * chk_uses.c - for the checked run's uninitialised-read check (exec_request.helper_uses): what a helper
 * call reads and writes, from its prototype in src/abi/helpers.def.
 *
 *   every argument slot that is not NONE   the register must hold a defined value
 *   MAP_KEY, MAP_VALUE                      key_size / value_size bytes read (of a map chk_is_map knows)
 *   MEM, MEM_OR_NULL                        the following SIZE bytes read
 *   UNINIT_MEM                              the following SIZE bytes written (probe_read*, get_current_comm,
 *                                           skb_load_bytes, snprintf, ...; *_str helpers write less: all
 *                                           of it counts, which never raises a false alarm)
 *   UNINIT_MAP_VALUE                        value_size bytes written (map_pop_elem, map_peek_elem)
 *   LONG_PTR, SPIN_LOCK                     8 / 4 bytes written
 *   STACK_OR_NULL (a callback's context)    the whole stack written: the callback runs on its own stack
 *                                           and may store anywhere in its caller's through the pointer
 *
 * bpf_trace_printk reads r3..r5 only as its format asks (Linux declares them don't-care, and clang
 * leaves the unused ones unset): they are not required.
 *
 * Limits: CONST_STR is not checked (Linux wants it in read-only map memory, never on the stack); a
 * helper that is not a Linux helper with a prototype counts as writing the whole stack and reading
 * nothing. Arguments arrive unchecked (helper_check runs in the same step): nothing here dereferences
 * a pointer that chk_is_map has not recognised.
 */
#include <string.h>

#include "abi/abi_helpers.h"
#include "maps/maps.h"
#include "runtime/chk.h"

static void add(exec_helper_uses *uses, uint64_t addr, uint64_t size, bool write)
{
    if (size && uses->count < EXEC_HELPER_SPANS)
        uses->span[uses->count++] = (exec_mem_span){ addr, size, write };
}

/* The whole stack of the run (all its frames), as written. */
static void whole_stack(const chk_env *env, exec_helper_uses *uses)
{
    if (env->req->stack_out)
        add(uses, env->req->stack_out->base, env->req->stack_out->size, true);
}

void chk_helper_uses(const chk_env *env, uint32_t id, const uint64_t args[5], exec_helper_uses *uses)
{
    memset(uses, 0, sizeof *uses);
    const abi_helper *h = abi_helper_by_id(id);
    if (!abi_helper_supported(h)) {
        whole_stack(env, uses);
        return;
    }
    const struct map *map = NULL;
    for (unsigned i = 0; i < 5; i++) {
        uint8_t kind = h->args[i];
        uint64_t next = i + 1 < 5 ? args[i + 1] : 0;
        if (kind != ABI_ARG_NONE && !(id == ABI_HELPER_ID_trace_printk && kind == ABI_ARG_ANYTHING))
            uses->args |= (uint8_t)(1u << i);
        switch ((abi_arg)kind) {
        case ABI_ARG_MAP:
        case ABI_ARG_PROG_ARRAY:
            map = chk_is_map(env->obj, env->track, args[i]) ? (const struct map *)(uintptr_t)args[i] : NULL;
            break;
        case ABI_ARG_MAP_KEY:
            if (map)
                add(uses, args[i], map->key_size, false);
            break;
        case ABI_ARG_MAP_VALUE:
        case ABI_ARG_UNINIT_MAP_VALUE:
            if (map)
                add(uses, args[i], map->value_size, kind == ABI_ARG_UNINIT_MAP_VALUE);
            break;
        case ABI_ARG_MEM:
        case ABI_ARG_MEM_OR_NULL:
        case ABI_ARG_UNINIT_MEM:
            if (i + 1 < 5 && (h->args[i + 1] == ABI_ARG_SIZE || h->args[i + 1] == ABI_ARG_SIZE_OR_ZERO))
                add(uses, args[i], next, kind == ABI_ARG_UNINIT_MEM);
            break;
        case ABI_ARG_LONG_PTR:
            add(uses, args[i], 8, true);
            break;
        case ABI_ARG_SPIN_LOCK:
            add(uses, args[i], 4, true);
            break;
        case ABI_ARG_STACK_OR_NULL:
            if (args[i])
                whole_stack(env, uses);
            break;
        default:
            break;
        }
    }
}
