/*
 * map_value.c - copying values into and out of map memory, and struct bpf_spin_lock.
 *
 * Map memory is shared with running programs, so copies move it with relaxed atomic accesses of the
 * widest aligned size (8, then 4, 2, 1 bytes): a concurrent reader sees each aligned word old or new,
 * never a mix (Linux gets the same from its long-sized copies), and the copies are not data races.
 * The caller's buffer may have any alignment and is copied with memcpy through a local word.
 *
 * Values with a spin lock: Linux's copy_map_value leaves the 4-byte lock field of the destination
 * alone, and lookups hand it to user space as zero. The lock is a test-and-test-and-set word that
 * yields the processor after a burst of spinning, since a holder can be preempted outside the kernel.
 */
#include "maps/map_int.h"

#include "platform/sync.h"

#include <string.h>

void map_words_store(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    for (; n >= 8 && ((uintptr_t)d & 7) == 0; d += 8, s += 8, n -= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        __atomic_store_n((uint64_t *)(void *)d, w, __ATOMIC_RELAXED);
    }
    for (; n >= 4 && ((uintptr_t)d & 3) == 0; d += 4, s += 4, n -= 4) {
        uint32_t w;
        memcpy(&w, s, 4);
        __atomic_store_n((uint32_t *)(void *)d, w, __ATOMIC_RELAXED);
    }
    for (; n > 0; d++, s++, n--)
        __atomic_store_n(d, *s, __ATOMIC_RELAXED);
}

void map_words_load(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    for (; n >= 8 && ((uintptr_t)s & 7) == 0; d += 8, s += 8, n -= 8) {
        uint64_t w = __atomic_load_n((const uint64_t *)(const void *)s, __ATOMIC_RELAXED);
        memcpy(d, &w, 8);
    }
    for (; n >= 4 && ((uintptr_t)s & 3) == 0; d += 4, s += 4, n -= 4) {
        uint32_t w = __atomic_load_n((const uint32_t *)(const void *)s, __ATOMIC_RELAXED);
        memcpy(d, &w, 4);
    }
    for (; n > 0; d++, s++, n--)
        *d = __atomic_load_n(s, __ATOMIC_RELAXED);
}

void map_words_zero(void *dst, size_t n)
{
    static const unsigned char zeros[64];
    unsigned char *d = dst;
    while (n > 0) {
        size_t chunk = n < sizeof zeros ? n : sizeof zeros;
        map_words_store(d, zeros, chunk);
        d += chunk;
        n -= chunk;
    }
}

void map_value_store(const struct map *map, void *dst, const void *src)
{
    if (map->spin_lock_off < 0) {
        map_words_store(dst, src, map->value_size);
        return;
    }
    size_t off = (size_t)map->spin_lock_off;
    map_words_store(dst, src, off);
    map_words_store((char *)dst + off + 4, (const char *)src + off + 4, map->value_size - off - 4);
}

void map_value_store_locked(const struct map *map, void *dst, const void *src)
{
    void *lock = (char *)dst + map->spin_lock_off;
    map_spin_lock(lock);
    map_value_store(map, dst, src);
    map_spin_unlock(lock);
}

void map_value_load(const struct map *map, void *dst, const void *src, bool locked)
{
    if (map->spin_lock_off < 0) {
        map_words_load(dst, src, map->value_size);
        return;
    }
    size_t off = (size_t)map->spin_lock_off;
    void *lock = (char *)(uintptr_t)src + off;
    if (locked)
        map_spin_lock(lock);
    map_words_load(dst, src, off);
    map_words_load((char *)dst + off + 4, (const char *)src + off + 4, map->value_size - off - 4);
    if (locked)
        map_spin_unlock(lock);
    memset((char *)dst + off, 0, 4);
}

#define MAP_SPIN_BURST 64

void map_spin_lock(void *lock)
{
    uint32_t *word = lock;
    for (;;) {
        for (int i = 0; i < MAP_SPIN_BURST; i++)
            if (__atomic_load_n(word, __ATOMIC_RELAXED) == 0 &&
                __atomic_exchange_n(word, 1u, __ATOMIC_ACQUIRE) == 0)
                return;
        plat_thread_yield();
    }
}

void map_spin_unlock(void *lock)
{
    __atomic_store_n((uint32_t *)lock, 0u, __ATOMIC_RELEASE);
}
