/*
 * chk_args.c - the checked run's helper-argument dispatcher: each argument of a helper call is
 * checked by its kind in the helper's prototype (abi_helper_by_id(id)->args[], src/abi/helpers.def),
 * one rule per kind:
 *
 *   MAP               one of the object's maps, or an inner map a lookup of this run returned
 *   PROG_ARRAY        one of the object's maps, of type prog_array
 *   MAP_KEY           key_size readable bytes of the preceding map argument's map
 *   MAP_VALUE         value_size readable bytes; UNINIT_MAP_VALUE: writable
 *   MEM, MEM_OR_NULL  as many readable bytes as the following SIZE / SIZE_OR_ZERO says (OR_NULL: NULL
 *                     only with size 0); UNINIT_MEM: writable
 *   CONST_STR         readable up to a NUL (followed by a SIZE: that many readable bytes)
 *   LONG_PTR          8 writable bytes, 8-byte aligned
 *   CTX, CTX_OR_NULL  the run's context record (or NULL)
 *   RINGBUF_MEM       a record this run reserved and has not released (the call releases it)
 *   FUNC              a callback entry of the program; STACK_OR_NULL: writable memory or NULL
 *   SPIN_LOCK         4 writable bytes, 4-byte aligned; one lock held at a time, unlocked by the holder;
 *                     a lock word that stays non-zero for CHK_LOCK_WAIT_NS (no run holds it: the
 *                     program's own stores may have set it) is refused instead of spun on for ever
 *
 * Readable and writable mean what chk_mem.c says. While a bpf_spin_lock is held only
 * bpf_spin_unlock may be called (as Linux requires; any other helper could wait on the lock).
 * The first broken rule refuses the call: EBPF_RUN_OUT_OF_BOUNDS, and a sentence naming the helper,
 * the register, the argument and why.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "abi/abi_helpers.h"
#include "abi/abi_maps.h"
#include "maps/maps.h"
#include "platform/platform.h"
#include "platform/sync.h"
#include "runtime/chk.h"

typedef struct chk_call {
    const chk_env *env;
    const abi_helper *h;
    const uint64_t *args;
    char *why;
    size_t size;
    const struct map *map;  /* the call's MAP argument once checked */
} chk_call;

static const char *const kind_names[] = {
    [ABI_ARG_MAP] = "map", [ABI_ARG_MAP_KEY] = "key", [ABI_ARG_MAP_VALUE] = "value",
    [ABI_ARG_UNINIT_MAP_VALUE] = "value buffer", [ABI_ARG_CTX] = "context", [ABI_ARG_CTX_OR_NULL] = "context",
    [ABI_ARG_MEM] = "memory", [ABI_ARG_MEM_OR_NULL] = "memory", [ABI_ARG_UNINIT_MEM] = "buffer",
    [ABI_ARG_RINGBUF_MEM] = "ring buffer record", [ABI_ARG_FUNC] = "callback",
    [ABI_ARG_STACK_OR_NULL] = "callback context", [ABI_ARG_CONST_STR] = "string", [ABI_ARG_LONG_PTR] = "result",
    [ABI_ARG_PROG_ARRAY] = "program array", [ABI_ARG_SPIN_LOCK] = "lock",
};

bool chk_is_map(const ebpf_object *obj, const chk_track *t, uint64_t ptr)
{
    size_t count = elf_object_map_count(obj->elf);
    for (size_t i = 0; i < count; i++)
        if (obj->maps[i] && (uint64_t)(uintptr_t)obj->maps[i] == ptr &&
            elf_object_map(obj->elf, i)->kind != ELF_MAP_INNER)
            return true;
    return t && chk_track_has_inner_map(t, ptr);
}

/* "bpf_NAME: rN (WHAT[, N bytes]) REASON" */
#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static enum ebpf_run_status refuse(const chk_call *c, unsigned i, uint64_t bytes, const char *fmt, ...)
{
    uint8_t kind = c->h->args[i];
    const char *what = kind < sizeof kind_names / sizeof kind_names[0] && kind_names[kind] ? kind_names[kind]
                                                                                            : "argument";
    int n = bytes ? snprintf(c->why, c->size, "bpf_%s: r%u (%s, %llu bytes) ", c->h->name, i + 1, what,
                             (unsigned long long)bytes)
                  : snprintf(c->why, c->size, "bpf_%s: r%u (%s) ", c->h->name, i + 1, what);
    if (n >= 0 && (size_t)n < c->size) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(c->why + n, c->size - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return EBPF_RUN_OUT_OF_BOUNDS;
}

static enum ebpf_run_status check_mem(const chk_call *c, unsigned i, uint64_t bytes, bool write)
{
    if (chk_mem_ok(c->env->req, c->args[i], bytes, write))
        return EBPF_RUN_OK;
    return refuse(c, i, bytes, "points outside every region the program may %s", write ? "write" : "read");
}

/* The size that follows a memory argument (SIZE or SIZE_OR_ZERO in the next slot), else 0. */
static uint64_t size_after(const chk_call *c, unsigned i)
{
    if (i + 1 < 5 && (c->h->args[i + 1] == ABI_ARG_SIZE || c->h->args[i + 1] == ABI_ARG_SIZE_OR_ZERO))
        return c->args[i + 1];
    return 0;
}

static enum ebpf_run_status check_string(const chk_call *c, unsigned i)
{
    uint64_t p = c->args[i];
    if (i + 1 < 5 && c->h->args[i + 1] == ABI_ARG_SIZE)
        return check_mem(c, i, c->args[i + 1], false);
    size_t n = chk_mem_readable(c->env->req, p, CHK_STR_MAX);
    if (n == 0)
        return refuse(c, i, 0, "points outside every region the program may read");
    if (!memchr((const void *)(uintptr_t)p, 0, n))
        return refuse(c, i, 0, "has no NUL inside the region it points to");
    return EBPF_RUN_OK;
}

/* True once the lock word at p reads 0 (free), within CHK_LOCK_WAIT_NS. */
static bool lock_frees(uint64_t p)
{
    const uint32_t *word = (const uint32_t *)(uintptr_t)p;
    uint64_t start = plat_monotonic_ns();
    for (;;) {
        for (int i = 0; i < 64; i++)
            if (__atomic_load_n(word, __ATOMIC_RELAXED) == 0)
                return true;
        if (plat_monotonic_ns() - start > CHK_LOCK_WAIT_NS)
            return false;
        plat_thread_yield();
    }
}

static enum ebpf_run_status check_lock(chk_call *c, unsigned i)
{
    uint64_t p = c->args[i];
    chk_track *t = c->env->track;
    if (p & 3)
        return refuse(c, i, 0, "at 0x%llx is not 4-byte aligned", (unsigned long long)p);
    enum ebpf_run_status st = check_mem(c, i, 4, true);
    if (st != EBPF_RUN_OK)
        return st;
    if (c->h->id == ABI_HELPER_ID_spin_lock) {
        if (t->lock) /* the "held lock" rule in chk_helper_args refuses this first */
            return refuse(c, i, 0, "cannot be taken while another lock is held");
        if (!lock_frees(p))
            return refuse(c, i, 0, "at 0x%llx stays taken and no run holds it (a store of the program's may have "
                          "set it)", (unsigned long long)p);
        t->lock = (uintptr_t)p;
    } else {
        if (t->lock != p)
            return refuse(c, i, 0, "is not the lock this run holds");
        t->lock = 0;
    }
    return EBPF_RUN_OK;
}

static enum ebpf_run_status check_arg(chk_call *c, unsigned i)
{
    const chk_env *e = c->env;
    uint64_t p = c->args[i];
    switch ((abi_arg)c->h->args[i]) {
    case ABI_ARG_MAP:
    case ABI_ARG_PROG_ARRAY:
        if (!chk_is_map(e->obj, e->track, p))
            return refuse(c, i, 0, "0x%llx is not a map of the program's object", (unsigned long long)p);
        c->map = (const struct map *)(uintptr_t)p;
        if (c->h->args[i] == ABI_ARG_PROG_ARRAY && c->map->type != ABI_MAP_TYPE_PROG_ARRAY)
            return refuse(c, i, 0, "is not a prog_array map");
        return EBPF_RUN_OK;
    case ABI_ARG_MAP_KEY:
        return c->map ? check_mem(c, i, c->map->key_size, false) : EBPF_RUN_OK;
    case ABI_ARG_MAP_VALUE:
    case ABI_ARG_UNINIT_MAP_VALUE:
        return c->map ? check_mem(c, i, c->map->value_size, c->h->args[i] == ABI_ARG_UNINIT_MAP_VALUE)
                      : EBPF_RUN_OK;
    case ABI_ARG_MEM_OR_NULL:
        if (p == 0) {
            uint64_t n = size_after(c, i);
            return n == 0 ? EBPF_RUN_OK : refuse(c, i, n, "is NULL with a non-zero size");
        }
        return check_mem(c, i, size_after(c, i), false);
    case ABI_ARG_MEM:
    case ABI_ARG_UNINIT_MEM:
        return check_mem(c, i, size_after(c, i), c->h->args[i] == ABI_ARG_UNINIT_MEM);
    case ABI_ARG_CONST_STR:
        return check_string(c, i);
    case ABI_ARG_LONG_PTR:
        if (p & 7)
            return refuse(c, i, 8, "at 0x%llx is not 8-byte aligned", (unsigned long long)p);
        return check_mem(c, i, 8, true);
    case ABI_ARG_CTX_OR_NULL:
        if (p == 0)
            return EBPF_RUN_OK;
        /* fall through */
    case ABI_ARG_CTX:
        if (p != (uint64_t)(uintptr_t)e->ctx)
            return refuse(c, i, 0, "0x%llx is not the program's context", (unsigned long long)p);
        return EBPF_RUN_OK;
    case ABI_ARG_RINGBUF_MEM:
        if (!chk_track_take_record(e->track, p, true))
            return refuse(c, i, 0, "0x%llx is not a record this run reserved and has not submitted or discarded",
                          (unsigned long long)p);
        return EBPF_RUN_OK;
    case ABI_ARG_FUNC:
        if (!runtime_program_is_callback(e->prog, p))
            return refuse(c, i, 0, "%llu is not a callback function of the program", (unsigned long long)p);
        return EBPF_RUN_OK;
    case ABI_ARG_STACK_OR_NULL:
        if (p && !chk_mem_ok(e->req, p, 1, true))
            return refuse(c, i, 0, "points outside every region the program may write");
        return EBPF_RUN_OK;
    case ABI_ARG_SPIN_LOCK:
        return check_lock(c, i);
    default: /* NONE, ANYTHING, sizes (checked with their memory), SOCKET (no helper takes one yet) */
        return EBPF_RUN_OK;
    }
}

enum ebpf_run_status chk_helper_args(const chk_env *env, uint32_t id, const uint64_t args[5], char *why,
                                     size_t size)
{
    const abi_helper *h = abi_helper_by_id(id);
    if (!abi_helper_supported(h))
        return EBPF_RUN_OK; /* not a Linux helper of ours: nothing to check against */
    chk_call c = { env, h, args, why, size, NULL };
    if (env->track->lock && id != ABI_HELPER_ID_spin_unlock) {
        snprintf(why, size, "bpf_%s: called while holding a bpf_spin_lock (only bpf_spin_unlock may be)",
                 h->name);
        return EBPF_RUN_OUT_OF_BOUNDS;
    }
    if (id == ABI_HELPER_ID_ringbuf_reserve && !chk_track_record_room(env->track)) {
        snprintf(why, size, "bpf_%s: %u records are reserved and not yet submitted or discarded", h->name,
                 CHK_RECORDS_MAX);
        return EBPF_RUN_OUT_OF_BOUNDS;
    }
    for (unsigned i = 0; i < 5; i++) {
        enum ebpf_run_status st = check_arg(&c, i);
        if (st != EBPF_RUN_OK)
            return st;
    }
    return EBPF_RUN_OK;
}
