/*
 * kd_snapshot.c - building, canonicalising and freeing snapshots (kd_snapshot.h).
 */
#include "kd_snapshot.h"

#include <linux/bpf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void kd_snapshot_clear(struct kd_snapshot *s)
{
    for (size_t i = 0; i < s->map_count; i++) {
        for (size_t e = 0; e < s->maps[i].count; e++) {
            free(s->maps[i].entries[e].key);
            free(s->maps[i].entries[e].value);
        }
        free(s->maps[i].entries);
    }
    for (size_t i = 0; i < s->stream_count; i++) {
        for (size_t r = 0; r < s->streams[i].count; r++)
            free(s->streams[i].records[r].data);
        free(s->streams[i].records);
    }
    memset(s, 0, sizeof *s);
}

int kd_fail(struct kd_snapshot *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->error, sizeof s->error, fmt, ap);
    va_end(ap);
    return -1;
}

struct kd_map_dump *kd_snapshot_add_map(struct kd_snapshot *s, const char *name, uint32_t type,
                                        uint32_t key_size, bool names)
{
    if (s->map_count == KD_MAX_MAPS) {
        kd_fail(s, "more than %d maps", KD_MAX_MAPS);
        return NULL;
    }
    struct kd_map_dump *m = &s->maps[s->map_count++];
    memset(m, 0, sizeof *m);
    snprintf(m->name, sizeof m->name, "%s", name);
    m->type = type;
    m->key_size = key_size;
    m->names = names;
    return m;
}

struct kd_stream *kd_snapshot_add_stream(struct kd_snapshot *s, const char *name)
{
    if (s->stream_count == KD_MAX_MAPS) {
        kd_fail(s, "more than %d event maps", KD_MAX_MAPS);
        return NULL;
    }
    struct kd_stream *st = &s->streams[s->stream_count++];
    memset(st, 0, sizeof *st);
    snprintf(st->name, sizeof st->name, "%s", name);
    return st;
}

static void *dup_bytes(const void *data, size_t size)
{
    void *copy = malloc(size ? size : 1);
    if (copy && size)
        memcpy(copy, data, size);
    return copy;
}

int kd_map_add(struct kd_map_dump *m, const void *key, const void *value, size_t value_size)
{
    if (m->count == m->cap) {
        size_t cap = m->cap ? 2 * m->cap : 16;
        struct kd_entry *grown = realloc(m->entries, cap * sizeof *grown);
        if (!grown)
            return -1;
        m->entries = grown;
        m->cap = cap;
    }
    struct kd_entry *e = &m->entries[m->count];
    e->key = dup_bytes(key, m->key_size);
    e->value = dup_bytes(value, value_size);
    e->value_size = value_size;
    if (!e->key || !e->value) {
        free(e->key);
        free(e->value);
        return -1;
    }
    m->count++;
    return 0;
}

int kd_stream_add(struct kd_stream *st, uint32_t cpu, const void *data, size_t size)
{
    if (st->count == st->cap) {
        size_t cap = st->cap ? 2 * st->cap : 16;
        struct kd_record *grown = realloc(st->records, cap * sizeof *grown);
        if (!grown)
            return -1;
        st->records = grown;
        st->cap = cap;
    }
    struct kd_record *r = &st->records[st->count];
    r->data = dup_bytes(data, size);
    if (!r->data)
        return -1;
    r->cpu = cpu;
    r->size = size;
    st->count++;
    return 0;
}

bool kd_map_type_has_keys(uint32_t type)
{
    return type != BPF_MAP_TYPE_QUEUE && type != BPF_MAP_TYPE_STACK && type != BPF_MAP_TYPE_RINGBUF &&
           type != BPF_MAP_TYPE_PERF_EVENT_ARRAY;
}

bool kd_map_type_is_percpu(uint32_t type)
{
    return type == BPF_MAP_TYPE_PERCPU_ARRAY || type == BPF_MAP_TYPE_PERCPU_HASH ||
           type == BPF_MAP_TYPE_LRU_PERCPU_HASH;
}

bool kd_map_type_holds_ids(uint32_t type)
{
    return type == BPF_MAP_TYPE_PROG_ARRAY || type == BPF_MAP_TYPE_ARRAY_OF_MAPS ||
           type == BPF_MAP_TYPE_HASH_OF_MAPS;
}

/* Hash-table iteration order is each implementation's own. LPM tries keep theirs: Linux walks the
 * trie in post-order, more specific prefixes before the prefixes that contain them, and says so
 * where it added get_next_key; a user may rely on that. */
static bool order_is_semantic(uint32_t type)
{
    return type != BPF_MAP_TYPE_HASH && type != BPF_MAP_TYPE_PERCPU_HASH && type != BPF_MAP_TYPE_LRU_HASH &&
           type != BPF_MAP_TYPE_LRU_PERCPU_HASH && type != BPF_MAP_TYPE_HASH_OF_MAPS;
}

static size_t sort_key_size;

static int compare_keys(const void *a, const void *b)
{
    return memcmp(((const struct kd_entry *)a)->key, ((const struct kd_entry *)b)->key, sort_key_size);
}

void kd_snapshot_canonicalize(struct kd_snapshot *s)
{
    for (size_t i = 0; i < s->map_count; i++) {
        struct kd_map_dump *m = &s->maps[i];
        if (order_is_semantic(m->type) || m->count < 2)
            continue;
        sort_key_size = m->key_size;
        qsort(m->entries, m->count, sizeof *m->entries, compare_keys);
    }
}

void kd_percpu_rotate(uint8_t *out, const uint8_t *in, uint32_t cpus, size_t slot, uint32_t run_cpu)
{
    for (uint32_t i = 0; i < cpus; i++)
        memcpy(out + (size_t)i * slot, in + (size_t)((run_cpu + i) % cpus) * slot, slot);
}

const char *kd_canonical_map_name(const char *name)
{
    static const char *const sections[] = { ".rodata", ".data", ".bss", ".kconfig" };
    for (const char *p = name; *p; p++)
        for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++)
            if (!strncmp(p, sections[i], strlen(sections[i])))
                return p;
    return name;
}
