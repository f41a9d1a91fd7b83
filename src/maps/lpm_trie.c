/*
 * lpm_trie.c - BPF_MAP_TYPE_LPM_TRIE: longest-prefix match over keys { u32 prefixlen; u8 data[] }
 * (prefixlen in host order, data in network order, bit 0 = the most significant bit of data[0]).
 *
 * A path-compressed binary trie as Linux builds it: each node holds a prefix; a child's prefix
 * extends its parent's, the branch taken being the bit at the parent's prefixlen. Intermediate nodes
 * (LPM_IM) exist only where two prefixes diverge, have no value and always two children.
 *
 * Readers walk with acquire loads and no lock. Writers hold the map's lock and never change a
 * published node except its child links and, on deleting a node that has two children, its IM flag
 * (its value stays readable). An update of an existing prefix publishes a new node that takes over
 * the old one's children, and the old one is retired; removed nodes are retired too (epoch.h).
 *
 * Errors as Linux: prefixlen > data bits -> -EINVAL; a new prefix in a full trie -> -ENOSPC.
 * get_next_key: postorder (children before parents, left before right), skipping intermediates;
 * an absent key restarts from the first node.
 */
#include "maps/map_int.h"

#include "platform/sync.h"

#include <stdlib.h>

#define LPM_DATA_SIZE_MIN 1u
#define LPM_DATA_SIZE_MAX 256u
#define LPM_KEY_SIZE_MIN (4u + LPM_DATA_SIZE_MIN)
#define LPM_KEY_SIZE_MAX (4u + LPM_DATA_SIZE_MAX)
#define LPM_KMALLOC_MAX (4u << 20)
#define LPM_VAL_SIZE_MAX (LPM_KMALLOC_MAX - ABI_MAX_STACK - 64u - LPM_DATA_SIZE_MAX)
#define LPM_CREATE_FLAG_MASK (ABI_F_NO_PREALLOC | ABI_F_NUMA_NODE | ABI_F_ACCESS_MASK)
#define LPM_IM 1u

struct lpm_node {
    struct lpm_node *_Atomic child[2];
    struct map_retired retired;
    uint32_t prefixlen;
    atomic_uchar flags;
    _Alignas(8) unsigned char data[]; /* data_size bytes, padded to 8, then the value */
};

struct lpm_trie {
    struct map map;
    plat_mutex lock;
    struct lpm_node *_Atomic root;
    uint32_t data_size, max_prefixlen;
    size_t data_area;
    uint32_t n_entries; /* nodes with a value; under the lock */
};

static inline struct lpm_trie *trie_of(struct map *map)
{
    return (struct lpm_trie *)map;
}

static inline struct lpm_node *lpm_load(struct lpm_node *_Atomic *link)
{
    return atomic_load_explicit(link, memory_order_acquire);
}

static inline bool lpm_is_im(struct lpm_node *node)
{
    return atomic_load_explicit(&node->flags, memory_order_relaxed) & LPM_IM;
}

static inline void *lpm_value(struct lpm_trie *t, struct lpm_node *node)
{
    return node->data + t->data_area;
}

static inline uint32_t lpm_key_prefixlen(const void *key)
{
    uint32_t prefixlen;
    memcpy(&prefixlen, key, sizeof prefixlen);
    return prefixlen;
}

static inline const unsigned char *lpm_key_data(const void *key)
{
    return (const unsigned char *)key + 4;
}

static inline unsigned lpm_bit(const unsigned char *data, uint32_t index)
{
    return (data[index / 8] >> (7 - index % 8)) & 1u;
}

/* Leading bits in which node's prefix and the key agree, at most min(both prefix lengths). */
static uint32_t lpm_match_len(const struct lpm_trie *t, const struct lpm_node *node,
                              const unsigned char *data, uint32_t prefixlen)
{
    uint32_t limit = node->prefixlen < prefixlen ? node->prefixlen : prefixlen;
    uint32_t matched = 0;
    for (uint32_t i = 0; i < t->data_size && matched < limit; i += 8) {
        uint32_t n = t->data_size - i < 8 ? t->data_size - i : 8;
        uint64_t a = 0, b = 0;
        for (uint32_t j = 0; j < n; j++) {
            a = (a << 8) | node->data[i + j];
            b = (b << 8) | data[i + j];
        }
        uint64_t diff = (a ^ b) << (64 - 8 * n);
        if (diff) {
            matched += (uint32_t)__builtin_clzll(diff);
            break;
        }
        matched += 8 * n;
    }
    return matched < limit ? matched : limit;
}

static int lpm_check(const struct map_def *def, ebpf_diag *diag)
{
    if (def->max_entries == 0)
        return map_fail(diag, def, -EINVAL, "max_entries must be > 0");
    if (!(def->map_flags & ABI_F_NO_PREALLOC))
        return map_fail(diag, def, -EINVAL, "LPM tries need BPF_F_NO_PREALLOC");
    if ((def->map_flags & ~LPM_CREATE_FLAG_MASK) || !map_flags_access_ok(def->map_flags))
        return map_fail(diag, def, -EINVAL, "map_flags 0x%x not allowed", def->map_flags);
    if (def->key_size < LPM_KEY_SIZE_MIN || def->key_size > LPM_KEY_SIZE_MAX)
        return map_fail(diag, def, -EINVAL, "key_size must be 4 + 1..%u data bytes, not %u",
                        LPM_DATA_SIZE_MAX, def->key_size);
    if (def->value_size < 1 || def->value_size > LPM_VAL_SIZE_MAX)
        return map_fail(diag, def, -EINVAL, "value_size %u out of range", def->value_size);
    return 0;
}

static int lpm_alloc(const struct map_def *def, struct map **out, ebpf_diag *diag)
{
    struct lpm_trie *t = calloc(1, sizeof *t);
    if (!t || plat_mutex_init(&t->lock) != 0) {
        free(t);
        return map_fail(diag, def, -ENOMEM, "out of memory");
    }
    t->data_size = def->key_size - 4;
    t->max_prefixlen = t->data_size * 8;
    t->data_area = map_round8(t->data_size);
    *out = &t->map;
    return 0;
}

static void lpm_free_subtree(struct lpm_node *node)
{
    while (node) {
        lpm_free_subtree(atomic_load_explicit(&node->child[0], memory_order_relaxed));
        struct lpm_node *right = atomic_load_explicit(&node->child[1], memory_order_relaxed);
        free(node);
        node = right;
    }
}

static void lpm_free(struct map *map)
{
    struct lpm_trie *t = trie_of(map);
    lpm_free_subtree(atomic_load_explicit(&t->root, memory_order_relaxed));
    plat_mutex_destroy(&t->lock);
    free(t);
}

static void lpm_node_free(struct map_retired *node)
{
    free(MAP_CONTAINER(node, struct lpm_node, retired));
}

static struct lpm_node *lpm_node_new(struct lpm_trie *t, uint32_t prefixlen,
                                     const unsigned char *data, const void *value)
{
    size_t size = sizeof(struct lpm_node) + t->data_area + (value ? t->map.value_size : 0);
    struct lpm_node *node = calloc(1, size);
    if (!node)
        return NULL;
    node->prefixlen = prefixlen;
    memcpy(node->data, data, t->data_size);
    if (value)
        memcpy(lpm_value(t, node), value, t->map.value_size);
    else
        atomic_init(&node->flags, LPM_IM);
    return node;
}

static void *lpm_lookup(struct map *map, const void *key)
{
    struct lpm_trie *t = trie_of(map);
    const unsigned char *data = lpm_key_data(key);
    uint32_t prefixlen = lpm_key_prefixlen(key);
    struct lpm_node *found = NULL;
    for (struct lpm_node *node = lpm_load(&t->root); node;) {
        uint32_t matched = lpm_match_len(t, node, data, prefixlen);
        if (matched == t->max_prefixlen) {
            if (!lpm_is_im(node))
                found = node;
            break;
        }
        if (matched < node->prefixlen)
            break;
        if (!lpm_is_im(node))
            found = node;
        node = lpm_load(&node->child[lpm_bit(data, node->prefixlen)]);
    }
    return found ? lpm_value(t, found) : NULL;
}

static void lpm_publish(struct lpm_node *_Atomic *slot, struct lpm_node *node)
{
    atomic_store_explicit(slot, node, memory_order_release);
}

static long lpm_update(struct map *map, const void *key, const void *value, uint64_t flags)
{
    struct lpm_trie *t = trie_of(map);
    const unsigned char *data = lpm_key_data(key);
    uint32_t prefixlen = lpm_key_prefixlen(key);
    if (flags > ABI_EXIST || prefixlen > t->max_prefixlen)
        return -EINVAL;
    struct lpm_node *fresh = lpm_node_new(t, prefixlen, data, value);
    if (!fresh)
        return -ENOMEM;

    plat_mutex_lock(&t->lock);
    struct lpm_node *_Atomic *slot = &t->root;
    struct lpm_node *node;
    uint32_t matched = 0;
    while ((node = atomic_load_explicit(slot, memory_order_relaxed))) {
        matched = lpm_match_len(t, node, data, prefixlen);
        if (node->prefixlen != matched || node->prefixlen == prefixlen ||
            node->prefixlen == t->max_prefixlen)
            break;
        slot = &node->child[lpm_bit(data, node->prefixlen)];
    }
    bool exact = node && node->prefixlen == matched && node->prefixlen == prefixlen;
    bool exists = exact && !lpm_is_im(node);
    long rc = map_check_exist(exists, flags);
    if (!rc && !exists && t->n_entries == map->max_entries)
        rc = -ENOSPC;
    struct lpm_node *retire = NULL;
    if (rc)
        goto unlock;

    if (!node) {
        lpm_publish(slot, fresh);
    } else if (exact) {
        for (int i = 0; i < 2; i++)
            atomic_store_explicit(&fresh->child[i],
                                  atomic_load_explicit(&node->child[i], memory_order_relaxed),
                                  memory_order_relaxed);
        lpm_publish(slot, fresh);
        retire = node;
    } else if (matched == prefixlen) {
        /* The new prefix is a prefix of node's: it goes above node. */
        atomic_store_explicit(&fresh->child[lpm_bit(node->data, matched)], node,
                              memory_order_relaxed);
        lpm_publish(slot, fresh);
    } else {
        /* The prefixes diverge at bit `matched`: an intermediate node gets both. */
        struct lpm_node *im = lpm_node_new(t, matched, data, NULL);
        if (!im) {
            rc = -ENOMEM;
            goto unlock;
        }
        unsigned bit = lpm_bit(data, matched);
        atomic_store_explicit(&im->child[bit], fresh, memory_order_relaxed);
        atomic_store_explicit(&im->child[!bit], node, memory_order_relaxed);
        lpm_publish(slot, im);
    }
    if (!exists)
        t->n_entries++;
    fresh = NULL;
unlock:
    plat_mutex_unlock(&t->lock);
    free(fresh);
    if (retire)
        map_epoch_retire(&retire->retired, lpm_node_free);
    return rc;
}

static long lpm_delete(struct map *map, const void *key)
{
    struct lpm_trie *t = trie_of(map);
    const unsigned char *data = lpm_key_data(key);
    uint32_t prefixlen = lpm_key_prefixlen(key);
    if (prefixlen > t->max_prefixlen)
        return -EINVAL;

    plat_mutex_lock(&t->lock);
    struct lpm_node *_Atomic *trim = &t->root, *_Atomic *trim2 = trim;
    struct lpm_node *parent = NULL, *node;
    uint32_t matched = 0;
    while ((node = atomic_load_explicit(trim, memory_order_relaxed))) {
        matched = lpm_match_len(t, node, data, prefixlen);
        if (node->prefixlen != matched || node->prefixlen == prefixlen)
            break;
        parent = node;
        trim2 = trim;
        trim = &node->child[lpm_bit(data, node->prefixlen)];
    }
    if (!node || node->prefixlen != prefixlen || node->prefixlen != matched || lpm_is_im(node)) {
        plat_mutex_unlock(&t->lock);
        return -ENOENT;
    }
    t->n_entries--;
    struct lpm_node *left = atomic_load_explicit(&node->child[0], memory_order_relaxed);
    struct lpm_node *right = atomic_load_explicit(&node->child[1], memory_order_relaxed);
    struct lpm_node *retire1 = NULL, *retire2 = NULL;
    if (left && right) {
        /* Still needed as a branch point: it becomes intermediate in place. */
        atomic_fetch_or_explicit(&node->flags, LPM_IM, memory_order_relaxed);
    } else if (parent && lpm_is_im(parent) && !left && !right) {
        /* A leaf under an intermediate: both go, the sibling takes the parent's place. */
        struct lpm_node *sibling = atomic_load_explicit(&parent->child[0], memory_order_relaxed);
        if (sibling == node)
            sibling = atomic_load_explicit(&parent->child[1], memory_order_relaxed);
        lpm_publish(trim2, sibling);
        retire1 = node;
        retire2 = parent;
    } else {
        lpm_publish(trim, left ? left : right);
        retire1 = node;
    }
    plat_mutex_unlock(&t->lock);
    if (retire1)
        map_epoch_retire(&retire1->retired, lpm_node_free);
    if (retire2)
        map_epoch_retire(&retire2->retired, lpm_node_free);
    return 0;
}

static int lpm_sys_lookup(struct map *map, const void *key, void *value, uint64_t flags)
{
    (void)flags;
    void *found = lpm_lookup(map, key);
    if (!found)
        return -ENOENT;
    map_words_load(value, found, map->value_size);
    return 0;
}

static int lpm_sys_update(struct map *map, const void *key, const void *value, uint64_t flags)
{
    return (int)lpm_update(map, key, value, flags);
}

static void lpm_copy_key(struct lpm_trie *t, struct lpm_node *node, void *next_key)
{
    memcpy(next_key, &node->prefixlen, 4);
    memcpy((unsigned char *)next_key + 4, node->data, t->data_size);
}

/* The first node with a value in postorder under `root`: the deepest leftmost descendant. Every
 * intermediate node has two children, so a walk that prefers child[0] ends on a real node. */
static struct lpm_node *lpm_leftmost(struct lpm_node *root)
{
    struct lpm_node *found = NULL;
    for (struct lpm_node *node = root; node;) {
        if (!lpm_is_im(node))
            found = node;
        struct lpm_node *next = lpm_load(&node->child[0]);
        node = next ? next : lpm_load(&node->child[1]);
    }
    return found;
}

static int lpm_next_key(struct map *map, const void *key, void *next_key)
{
    struct lpm_trie *t = trie_of(map);
    struct lpm_node *root = lpm_load(&t->root);
    if (!root)
        return -ENOENT;
    struct lpm_node *search = root;
    if (key && lpm_key_prefixlen(key) <= t->max_prefixlen) {
        const unsigned char *data = lpm_key_data(key);
        uint32_t prefixlen = lpm_key_prefixlen(key);
        struct lpm_node **stack = malloc(sizeof *stack * (t->max_prefixlen + 2));
        if (!stack)
            return -ENOMEM;
        int depth = 0;
        struct lpm_node *node = root;
        while (node) {
            stack[depth++] = node;
            uint32_t matched = lpm_match_len(t, node, data, prefixlen);
            if (node->prefixlen != matched || node->prefixlen == prefixlen)
                break;
            node = lpm_load(&node->child[lpm_bit(data, node->prefixlen)]);
        }
        if (node && node->prefixlen == prefixlen && !lpm_is_im(node) &&
            lpm_match_len(t, node, data, prefixlen) == prefixlen) {
            /* Found: the postorder successor is the leftmost of the right sibling subtree, or the
             * first real ancestor. */
            search = NULL;
            for (int i = depth - 1; i > 0 && !search; i--) {
                struct lpm_node *parent = stack[i - 1], *child = stack[i];
                struct lpm_node *right = lpm_load(&parent->child[1]);
                if (lpm_load(&parent->child[0]) == child && right) {
                    search = right;
                    break;
                }
                if (!lpm_is_im(parent)) {
                    lpm_copy_key(t, parent, next_key);
                    free(stack);
                    return 0;
                }
            }
            if (!search) {
                free(stack);
                return -ENOENT;
            }
        }
        free(stack);
    }
    struct lpm_node *first = lpm_leftmost(search);
    if (!first)
        return -ENOENT;
    lpm_copy_key(t, first, next_key);
    return 0;
}

const struct map_ops map_ops_lpm_trie = {
    .check = lpm_check,
    .alloc = lpm_alloc,
    .free = lpm_free,
    .lookup = lpm_lookup,
    .update = lpm_update,
    .delete = lpm_delete,
    .sys_lookup = lpm_sys_lookup,
    .sys_update = lpm_sys_update,
    .get_next_key = lpm_next_key,
};
