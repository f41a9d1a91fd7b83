/*
 * chk_track.c - what helpers handed out during one checked run that later calls may pass back, or the
 * program may touch: ring buffer records from bpf_ringbuf_reserve until bpf_ringbuf_submit or
 * bpf_ringbuf_discard releases them (then neither the program nor a helper may use them again), the
 * inner maps map-in-map lookups returned (map arguments of later calls), and the bpf_spin_lock the
 * run holds (one at a time, as Linux allows).
 *
 * A zero-size record (Linux reserves those too) is live but contains no byte the program may touch.
 */
#include <string.h>

#include "maps/maps.h"
#include "runtime/chk.h"

void chk_track_end(chk_track *t)
{
    for (size_t i = 0; i < CHK_RECORDS_MAX; i++)
        if (t->records[i].live)
            map_ringbuf_discard((void *)t->records[i].base, 0);
    if (t->lock)
        map_spin_unlock((void *)t->lock);
    memset(t, 0, sizeof *t);
}

bool chk_track_record_room(const chk_track *t)
{
    for (size_t i = 0; i < CHK_RECORDS_MAX; i++)
        if (!t->records[i].live)
            return true;
    return false;
}

bool chk_track_record(chk_track *t, uint64_t rec, size_t size)
{
    if (!rec || rec > UINTPTR_MAX)
        return false;
    for (size_t i = 0; i < CHK_RECORDS_MAX; i++)
        if (!t->records[i].live) {
            t->records[i].base = (uintptr_t)rec;
            t->records[i].size = size;
            t->records[i].live = true;
            return true;
        }
    return false;
}

bool chk_track_take_record(chk_track *t, uint64_t rec, bool release)
{
    for (size_t i = 0; i < CHK_RECORDS_MAX; i++)
        if (t->records[i].live && t->records[i].base == rec) {
            if (release)
                t->records[i].live = false;
            return true;
        }
    return false;
}

bool chk_track_in_record(const chk_track *t, uintptr_t addr, size_t size)
{
    for (size_t i = 0; i < CHK_RECORDS_MAX; i++) {
        uintptr_t base = t->records[i].base;
        size_t n = t->records[i].size;
        if (t->records[i].live && n && addr >= base && addr - base <= n && size <= n - (addr - base))
            return true;
    }
    return false;
}

void chk_track_inner_map(chk_track *t, uint64_t map)
{
    if (!map || map > UINTPTR_MAX || chk_track_has_inner_map(t, map))
        return;
    t->inner[t->inner_next] = (uintptr_t)map;
    t->inner_next = (t->inner_next + 1) % CHK_INNER_MAPS_MAX;
    if (t->inner_count < CHK_INNER_MAPS_MAX)
        t->inner_count++;
}

bool chk_track_has_inner_map(const chk_track *t, uint64_t map)
{
    for (size_t i = 0; i < t->inner_count; i++)
        if (map && t->inner[i] == map)
            return true;
    return false;
}
