/*
 * map.c - what every map type shares: creation (generic validation, then the type's check and
 * alloc), reference counting with deferred free, and the entry points of maps.h that dispatch to a
 * type's ops - the program-side ones directly, the user-space ones after Linux's syscall-level
 * checks (access flags, freeze, BPF_F_LOCK) and inside a read-side section.
 */
#include "maps/map_int.h"

#include "platform/sync.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int map_fail(ebpf_diag *diag, const struct map_def *def, int err, const char *fmt, ...)
{
    if (diag) {
        char text[200];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(text, sizeof text, fmt, ap);
        va_end(ap);
        const char *name = def && def->name && def->name[0] ? def->name : "(unnamed)";
        diag_fail_errno(diag, err, -1, "map '%.15s': %s", name, text);
    }
    return err;
}

uint32_t map_cpu_count(void)
{
    return plat_cpu_count();
}

uint32_t map_this_cpu(void)
{
    return plat_cpu_slot();
}

/* Linux's bpf_obj_name_cpy: at most ABI_OBJ_NAME_LEN - 1 characters of [A-Za-z0-9_.]. */
static bool map_name_ok(const char *name)
{
    size_t len = 0;
    for (; name[len]; len++) {
        char c = name[len];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '_' || c == '.';
        if (!ok || len + 1 >= ABI_OBJ_NAME_LEN)
            return false;
    }
    return true;
}

/* Only these types may hold a struct bpf_spin_lock in their value (Linux's map_check_btf). */
static bool map_type_allows_spin_lock(uint32_t type)
{
    return type == ABI_MAP_TYPE_HASH || type == ABI_MAP_TYPE_ARRAY;
}

static int map_check_generic(const struct map_def *def, ebpf_diag *diag)
{
    if (def->name && !map_name_ok(def->name))
        return map_fail(diag, def, -EINVAL,
                        "name must be at most %u characters of [A-Za-z0-9_.]", ABI_OBJ_NAME_LEN - 1);
    if ((def->map_flags & ABI_F_RDONLY) && (def->map_flags & ABI_F_WRONLY))
        return map_fail(diag, def, -EINVAL, "BPF_F_RDONLY and BPF_F_WRONLY together");
    if (def->has_spin_lock) {
        if (!map_type_allows_spin_lock(def->type))
            return map_fail(diag, def, -EOPNOTSUPP, "a %s map cannot hold a bpf_spin_lock",
                            abi_map_type_name(def->type));
        if (def->spin_lock_off % 4 != 0 || def->value_size < 4 ||
            def->spin_lock_off > def->value_size - 4)
            return map_fail(diag, def, -EINVAL, "bpf_spin_lock at offset %u does not fit a %u-byte value",
                            def->spin_lock_off, def->value_size);
    }
    return 0;
}

int map_create(const struct map_def *def, struct map **out, ebpf_diag *diag)
{
    if (!def || !out)
        return -EINVAL;
    *out = NULL;
    const struct map_ops *ops = map_ops_for_type(def->type);
    if (!ops)
        return map_fail(diag, def, -EINVAL, "unknown map type %u", def->type);
    int rc = map_check_generic(def, diag);
    if (rc)
        return rc;
    rc = ops->check(def, diag);
    if (rc)
        return rc;
    struct map *map = NULL;
    rc = ops->alloc(def, &map, diag);
    if (rc)
        return rc;
    map->ops = ops;
    map->type = def->type;
    map->key_size = def->key_size;
    map->value_size = def->value_size;
    map->max_entries = def->max_entries;
    map->map_flags |= def->map_flags; /* a type may add flags (devmap: BPF_F_RDONLY_PROG) */
    map->spin_lock_off = def->has_spin_lock ? (int32_t)def->spin_lock_off : -1;
    map->id = 0;
    memset(map->name, 0, sizeof map->name);
    if (def->name)
        memcpy(map->name, def->name, strlen(def->name));
    atomic_init(&map->refcnt, 1);
    atomic_init(&map->frozen, false);
    *out = map;
    return 0;
}

void map_get(struct map *map)
{
    if (map)
        atomic_fetch_add_explicit(&map->refcnt, 1, memory_order_relaxed);
}

static void map_free_retired(struct map_retired *node)
{
    struct map *map = MAP_CONTAINER(node, struct map, retired);
    map->ops->free(map);
}

void map_put(struct map *map)
{
    if (map && atomic_fetch_sub_explicit(&map->refcnt, 1, memory_order_acq_rel) == 1)
        map_epoch_retire(&map->retired, map_free_retired);
}

void map_read_lock(void)
{
    map_epoch_enter();
}

void map_read_unlock(void)
{
    map_epoch_exit();
}

void map_synchronize(void)
{
    map_epoch_synchronize();
}

void map_reclaim_all(void)
{
    map_epoch_drain();
}

/* ---- program side ---- */

void *map_lookup_elem(struct map *map, const void *key)
{
    return map->ops->lookup ? map->ops->lookup(map, key) : NULL;
}

map_lookup_fn map_direct_lookup(const struct map *map)
{
    if (map->ops->lookup_for)
        return map->ops->lookup_for(map);
    return map->ops->lookup;
}

map_lookup_key32_fn map_direct_lookup_key32(const struct map *map)
{
    return map->key_size == 4 ? map->ops->lookup_key32 : NULL;
}

void *map_lookup_percpu_elem(struct map *map, const void *key, uint32_t cpu)
{
    if (!map->ops->lookup_percpu || cpu >= map_cpu_count())
        return NULL;
    return map->ops->lookup_percpu(map, key, cpu);
}

/* Linux's verifier refuses programs that write to a BPF_F_RDONLY_PROG map; until ours exists, the
 * write helpers refuse at run time too. */
static inline bool map_prog_may_write(const struct map *map)
{
    return !(map->map_flags & ABI_F_RDONLY_PROG);
}

long map_update_elem(struct map *map, const void *key, const void *value, uint64_t flags)
{
    if (!map_prog_may_write(map))
        return -EPERM;
    return map->ops->update ? map->ops->update(map, key, value, flags) : -ABI_ENOTSUPP;
}

long map_delete_elem(struct map *map, const void *key)
{
    if (!map_prog_may_write(map))
        return -EPERM;
    return map->ops->delete ? map->ops->delete(map, key) : -ABI_ENOTSUPP;
}

long map_push_elem(struct map *map, const void *value, uint64_t flags)
{
    if (!map_prog_may_write(map))
        return -EPERM;
    return map->ops->push ? map->ops->push(map, value, flags) : -ABI_ENOTSUPP;
}

long map_pop_elem(struct map *map, void *value)
{
    if (!map_prog_may_write(map))
        return -EPERM;
    return map->ops->pop ? map->ops->pop(map, value) : -ABI_ENOTSUPP;
}

long map_peek_elem(struct map *map, void *value)
{
    return map->ops->peek ? map->ops->peek(map, value) : -ABI_ENOTSUPP;
}

long map_for_each_elem(struct map *map, map_for_each_fn fn, void *ctx, uint64_t flags)
{
    if (flags || !fn || !map->ops->for_each)
        return -EINVAL;
    return map->ops->for_each(map, fn, ctx);
}

/* ---- user space ---- */

static bool map_is_percpu(const struct map *map)
{
    return map->type == ABI_MAP_TYPE_PERCPU_ARRAY || map->type == ABI_MAP_TYPE_PERCPU_HASH ||
           map->type == ABI_MAP_TYPE_LRU_PERCPU_HASH;
}

size_t map_sys_value_size(const struct map *map)
{
    if (map_is_percpu(map))
        return (size_t)map_cpu_count() * map_round8(map->value_size);
    return map->value_size;
}

static bool map_can_read(const struct map *map)
{
    return !(map->map_flags & ABI_F_WRONLY);
}

static bool map_can_write(struct map *map)
{
    return !(map->map_flags & ABI_F_RDONLY) &&
           !atomic_load_explicit(&map->frozen, memory_order_acquire);
}

int map_sys_lookup(struct map *map, const void *key, void *value, uint64_t flags)
{
    if (flags & ~(uint64_t)ABI_F_LOCK)
        return -EINVAL;
    if (!map_can_read(map))
        return -EPERM;
    if (!map_lock_flag_ok(map, flags))
        return -EINVAL;
    if (!map->ops->sys_lookup)
        return -ABI_ENOTSUPP;
    map_read_lock();
    int rc = map->ops->sys_lookup(map, key, value, flags);
    map_read_unlock();
    return rc;
}

int map_sys_update(struct map *map, const void *key, const void *value, uint64_t flags)
{
    if (!map_can_write(map))
        return -EPERM;
    if (!map_lock_flag_ok(map, flags))
        return -EINVAL;
    if (!map->ops->sys_update)
        return -ABI_ENOTSUPP;
    map_read_lock();
    int rc = map->ops->sys_update(map, key, value, flags);
    map_read_unlock();
    return rc;
}

int map_sys_delete(struct map *map, const void *key)
{
    if (!map_can_write(map))
        return -EPERM;
    int (*del)(struct map *, const void *) = map->ops->sys_delete;
    int rc;
    map_read_lock();
    if (del)
        rc = del(map, key);
    else if (map->ops->delete)
        rc = (int)map->ops->delete(map, key);
    else
        rc = -ABI_ENOTSUPP;
    map_read_unlock();
    return rc;
}

int map_sys_get_next_key(struct map *map, const void *key, void *next_key)
{
    if (!map_can_read(map))
        return -EPERM;
    if (!map->ops->get_next_key)
        return -ABI_ENOTSUPP;
    map_read_lock();
    int rc = map->ops->get_next_key(map, key, next_key);
    map_read_unlock();
    return rc;
}

int map_sys_lookup_and_delete(struct map *map, const void *key, void *value, uint64_t flags)
{
    if (flags & ~(uint64_t)ABI_F_LOCK)
        return -EINVAL;
    if (flags && (map->type == ABI_MAP_TYPE_QUEUE || map->type == ABI_MAP_TYPE_STACK))
        return -EINVAL;
    if (!map_can_read(map) || !map_can_write(map))
        return -EPERM;
    if (!map->ops->lookup_and_delete)
        return -ABI_ENOTSUPP;
    if (!map_lock_flag_ok(map, flags))
        return -EINVAL;
    map_read_lock();
    int rc = map->ops->lookup_and_delete(map, key, value, flags);
    map_read_unlock();
    return rc;
}

int map_sys_freeze(struct map *map)
{
    if (map->spin_lock_off >= 0)
        return -ABI_ENOTSUPP;
    if (map->map_flags & ABI_F_RDONLY)
        return -EPERM;
    bool expected = false;
    if (!atomic_compare_exchange_strong(&map->frozen, &expected, true))
        return -EBUSY;
    return 0;
}

int map_sys_update_obj(struct map *map, const void *key, void *obj, uint64_t flags)
{
    if (!map_can_write(map))
        return -EPERM;
    if (!map->ops->update_obj)
        return -EINVAL;
    map_read_lock();
    int rc = map->ops->update_obj(map, key, obj, flags);
    map_read_unlock();
    return rc;
}

int map_direct_value_addr(struct map *map, uint32_t off, void **addr)
{
    if (!map->ops->direct_value_addr)
        return -EINVAL;
    return map->ops->direct_value_addr(map, off, addr);
}

void *map_mmap_base(struct map *map, size_t *size)
{
    if (!map->ops->mmap_base)
        return NULL;
    return map->ops->mmap_base(map, size);
}
