/*
 * queue_stack.c - BPF_MAP_TYPE_QUEUE (FIFO) and BPF_MAP_TYPE_STACK (LIFO): a ring of max_entries + 1
 * value slots under one lock; values are copied in and out, never handed out by pointer.
 * head is the next slot to write, tail the oldest value; empty when head == tail, full when
 * head + 1 == tail. Push on a full map fails with -E2BIG, or with BPF_EXIST drops the oldest value
 * (for both types, as Linux does). Pop/peek on an empty map: -ENOENT.
 */
#include "maps/map_int.h"

#include "platform/sync.h"

#include <stdlib.h>

#define QUEUE_STACK_CREATE_FLAG_MASK (ABI_F_NUMA_NODE | ABI_F_ACCESS_MASK)
#define QUEUE_STACK_KMALLOC_MAX (4u << 20)

struct queue_stack {
    struct map map;
    plat_mutex lock;
    uint32_t size;      /* max_entries + 1 */
    uint32_t head, tail;
    unsigned char *slots;
};

static inline struct queue_stack *qs_of(struct map *map)
{
    return (struct queue_stack *)map;
}

static int qs_check(const struct map_def *def, ebpf_diag *diag)
{
    if (def->max_entries == 0 || def->key_size != 0 || def->value_size == 0)
        return map_fail(diag, def, -EINVAL, "key_size must be 0, value_size and max_entries > 0");
    if ((def->map_flags & ~QUEUE_STACK_CREATE_FLAG_MASK) || !map_flags_access_ok(def->map_flags))
        return map_fail(diag, def, -EINVAL, "map_flags 0x%x not allowed", def->map_flags);
    if (def->value_size > QUEUE_STACK_KMALLOC_MAX)
        return map_fail(diag, def, -E2BIG, "value_size %u too large", def->value_size);
    return 0;
}

static int qs_alloc(const struct map_def *def, struct map **out, ebpf_diag *diag)
{
    size_t bytes;
    if (def->max_entries == UINT32_MAX ||
        !checked_mul_size((size_t)def->max_entries + 1, def->value_size, &bytes))
        return map_fail(diag, def, -ENOMEM, "%u values overflow", def->max_entries);
    struct queue_stack *qs = calloc(1, sizeof *qs);
    if (!qs)
        return -ENOMEM;
    qs->slots = malloc(bytes);
    if (!qs->slots || plat_mutex_init(&qs->lock) != 0) {
        free(qs->slots);
        free(qs);
        return map_fail(diag, def, -ENOMEM, "cannot allocate %zu bytes", bytes);
    }
    qs->size = def->max_entries + 1;
    *out = &qs->map;
    return 0;
}

static void qs_free(struct map *map)
{
    struct queue_stack *qs = qs_of(map);
    plat_mutex_destroy(&qs->lock);
    free(qs->slots);
    free(qs);
}

static inline unsigned char *qs_slot(struct queue_stack *qs, uint32_t index)
{
    return qs->slots + (size_t)index * qs->map.value_size;
}

static long qs_push(struct map *map, const void *value, uint64_t flags)
{
    struct queue_stack *qs = qs_of(map);
    if ((flags & ABI_NOEXIST) || flags > ABI_EXIST)
        return -EINVAL;
    plat_mutex_lock(&qs->lock);
    if ((qs->head + 1) % qs->size == qs->tail) {
        if (!(flags & ABI_EXIST)) {
            plat_mutex_unlock(&qs->lock);
            return -E2BIG;
        }
        qs->tail = (qs->tail + 1) % qs->size; /* drop the oldest */
    }
    memcpy(qs_slot(qs, qs->head), value, map->value_size);
    qs->head = (qs->head + 1) % qs->size;
    plat_mutex_unlock(&qs->lock);
    return 0;
}

/* Copies the next value out (oldest for a queue, newest for a stack), removing it if `pop`. */
static long qs_take(struct map *map, void *value, bool pop)
{
    struct queue_stack *qs = qs_of(map);
    plat_mutex_lock(&qs->lock);
    if (qs->head == qs->tail) {
        plat_mutex_unlock(&qs->lock);
        return -ENOENT;
    }
    uint32_t index;
    if (map->type == ABI_MAP_TYPE_QUEUE) {
        index = qs->tail;
        if (pop)
            qs->tail = (qs->tail + 1) % qs->size;
    } else {
        index = (qs->head + qs->size - 1) % qs->size;
        if (pop)
            qs->head = index;
    }
    memcpy(value, qs_slot(qs, index), map->value_size);
    plat_mutex_unlock(&qs->lock);
    return 0;
}

static long qs_pop(struct map *map, void *value)
{
    return qs_take(map, value, true);
}

static long qs_peek(struct map *map, void *value)
{
    return qs_take(map, value, false);
}

static long qs_update(struct map *map, const void *key, const void *value, uint64_t flags)
{
    (void)map, (void)key, (void)value, (void)flags;
    return -EINVAL;
}

static long qs_delete(struct map *map, const void *key)
{
    (void)map, (void)key;
    return -EINVAL;
}

static int qs_sys_lookup(struct map *map, const void *key, void *value, uint64_t flags)
{
    (void)key, (void)flags;
    return (int)qs_take(map, value, false);
}

static int qs_sys_update(struct map *map, const void *key, const void *value, uint64_t flags)
{
    (void)key;
    return (int)qs_push(map, value, flags);
}

static int qs_next_key(struct map *map, const void *key, void *next_key)
{
    (void)map, (void)key, (void)next_key;
    return -EINVAL;
}

static int qs_lookup_and_delete(struct map *map, const void *key, void *value, uint64_t flags)
{
    (void)key, (void)flags;
    return (int)qs_take(map, value, true);
}

#define QUEUE_STACK_OPS                                                                             \
    .check = qs_check, .alloc = qs_alloc, .free = qs_free, .update = qs_update,                     \
    .delete = qs_delete, .push = qs_push, .pop = qs_pop, .peek = qs_peek,                           \
    .sys_lookup = qs_sys_lookup, .sys_update = qs_sys_update, .get_next_key = qs_next_key,          \
    .lookup_and_delete = qs_lookup_and_delete

const struct map_ops map_ops_queue = { QUEUE_STACK_OPS };
const struct map_ops map_ops_stack = { QUEUE_STACK_OPS };
