/*
 * sound_maps.c - random map contents (sound_maps.h). Keys are biased towards what programs look up:
 * small indexes, all-zero keys, then noise; values are noise. Writable global data (.data, .bss) is
 * overwritten too: user space may change it at any time, so a verifier must not trust its initial
 * value (.rodata is frozen and left alone). Map types whose values are handles (prog_array, map-in-map,
 * devmap, sockmap) or that have no update (ringbuf, perf_event_array) are left empty.
 */
#include "sound_maps.h"

#include <stdlib.h>
#include <string.h>

#define SOUND_MAP_ENTRIES 48u   /* entries written per map */

static bool fillable(const char *type)
{
    static const char *const ok[] = { "hash", "array", "percpu_hash", "percpu_array", "lru_hash",
                                      "lru_percpu_hash", "lpm_trie" };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        if (strcmp(type, ok[i]) == 0)
            return true;
    return false;
}

static void make_key(sound_rng *r, const struct ebpf_map_info *m, size_t n, uint8_t *key)
{
    memset(key, 0, m->key_size);
    bool array = strstr(m->type, "array") != NULL;
    if (strcmp(m->type, "lpm_trie") == 0 && m->key_size > 4) {
        uint32_t prefix = (uint32_t)sound_below(r, (m->key_size - 4) * 8 + 1);
        memcpy(key, &prefix, sizeof prefix);
        sound_fill(r, key + 4, m->key_size - 4);
        return;
    }
    uint64_t index = array ? (n < m->max_entries ? n : sound_below(r, m->max_entries ? m->max_entries : 1))
                           : n % 3 == 0 ? n / 3 : sound_next(r);
    if (!array && n % 3 == 1) {
        sound_fill(r, key, m->key_size);
        return;
    }
    memcpy(key, &index, m->key_size < sizeof index ? m->key_size : sizeof index);
}

size_t sound_maps_fill(ebpf_object *obj, sound_rng *r)
{
    size_t stored = 0;
    for (size_t i = 0; i < ebpf_object_map_count(obj); i++) {
        EBPF_OPTS(ebpf_map_info, m);
        if (ebpf_object_map_info(obj, i, &m) != 0)
            continue;
        bool data = strcmp(m.kind, "data") == 0;
        if (strcmp(m.kind, "inner") == 0 || (data && strncmp(m.name, ".rodata", 7) == 0) ||
            (!data && !fillable(m.type)))
            continue;
        size_t value_size = ebpf_object_map_value_size(obj, i);
        if (!value_size || m.key_size > 512)
            continue;
        uint8_t *key = malloc(m.key_size ? m.key_size : 1), *value = malloc(value_size);
        if (!key || !value) {
            free(key);
            free(value);
            continue;
        }
        size_t count = data ? (sound_below(r, 2) ? 1 : 0) : SOUND_MAP_ENTRIES;
        for (size_t n = 0; n < count; n++) {
            make_key(r, &m, n, key);
            if (data)
                memset(key, 0, m.key_size);
            sound_fill(r, value, value_size);
            if (ebpf_object_map_update(obj, i, key, m.key_size, value, value_size, 0) == 0)
                stored++;
        }
        free(key);
        free(value);
    }
    return stored;
}
