/*
 * verify_cache.c - verdicts remembered for the life of the process, so that loading the same program
 * again (a test that opens one object many times, an application that reloads) does not run the
 * verifier again. The analysis is deterministic in its input, so a verdict is reused only for an
 * input that encodes to exactly the same request bytes (vf_wire: program type, context size, flags,
 * every instruction, every map, every global function signature); a hash only speeds up the search.
 *
 * Only answers the verifier gave are kept (accept or reject, never a failure to answer), at most
 * VERIFY_CACHE_ENTRIES of them and VERIFY_CACHE_BYTES of request bytes; the oldest go first.
 */
#include <stdlib.h>
#include <string.h>

#include "platform/sync.h"
#include "runtime/verify_cache.h"

#define VERIFY_CACHE_ENTRIES 64u
#define VERIFY_CACHE_BYTES ((size_t)16 << 20)

typedef struct cache_entry {
    uint64_t hash;
    uint8_t *request;       /* NULL: empty slot */
    size_t size;
    vf_result result;       /* result.state owned by the entry */
} cache_entry;

static cache_entry entries[VERIFY_CACHE_ENTRIES];
static size_t next_victim;
static size_t bytes_held;
static plat_mutex cache_lock;
static plat_once cache_once = PLAT_ONCE_INIT;
static bool cache_ready;

static void cache_init(void)
{
    cache_ready = plat_mutex_init(&cache_lock) == 0;
}

/* FNV-1a over the request bytes. */
static uint64_t hash_bytes(const uint8_t *data, size_t size)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < size; i++)
        h = (h ^ data[i]) * 0x100000001b3ull;
    return h;
}

static int copy_result(vf_result *to, const vf_result *from)
{
    *to = *from;
    to->state = NULL;
    if (from->state) {
        to->state = strdup(from->state);
        if (!to->state)
            return -1;
    }
    return 0;
}

static void drop(cache_entry *e)
{
    free(e->request);
    free(e->result.state);
    bytes_held -= e->size;
    memset(e, 0, sizeof *e);
}

bool verify_cache_find(const uint8_t *request, size_t size, vf_result *out)
{
    plat_call_once(&cache_once, cache_init);
    if (!cache_ready)
        return false;
    uint64_t h = hash_bytes(request, size);
    bool found = false;
    plat_mutex_lock(&cache_lock);
    for (size_t i = 0; i < VERIFY_CACHE_ENTRIES && !found; i++) {
        const cache_entry *e = &entries[i];
        if (e->request && e->hash == h && e->size == size && memcmp(e->request, request, size) == 0)
            found = copy_result(out, &e->result) == 0;
    }
    plat_mutex_unlock(&cache_lock);
    return found;
}

void verify_cache_store(const uint8_t *request, size_t size, const vf_result *result)
{
    plat_call_once(&cache_once, cache_init);
    if (!cache_ready || (result->verdict != VF_ACCEPT && result->verdict != VF_REJECT) ||
        size > VERIFY_CACHE_BYTES)
        return;
    cache_entry fresh = { .hash = hash_bytes(request, size), .size = size };
    fresh.request = malloc(size ? size : 1);
    if (!fresh.request || copy_result(&fresh.result, result) != 0) {
        free(fresh.request);
        return;
    }
    memcpy(fresh.request, request, size);
    plat_mutex_lock(&cache_lock);
    for (size_t i = 0; i < VERIFY_CACHE_ENTRIES && bytes_held + size > VERIFY_CACHE_BYTES; i++)
        if (entries[i].request)
            drop(&entries[i]);
    cache_entry *slot = &entries[next_victim];
    next_victim = (next_victim + 1) % VERIFY_CACHE_ENTRIES;
    if (slot->request)
        drop(slot);
    *slot = fresh;
    bytes_held += size;
    plat_mutex_unlock(&cache_lock);
}
