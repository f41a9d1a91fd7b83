/*
 * sound_maps.h - random contents for a loaded object's maps, so that accepted programs run with map
 * values the verifier may not assume anything about (lengths, offsets, indexes read from a map).
 */
#ifndef SOUND_MAPS_H
#define SOUND_MAPS_H

#include "ebpf/ebpf.h"
#include "sound_rng.h"

/* Fills the object's hash, array, LRU, per-CPU and LPM maps and its writable global data with random
 * entries of the right sizes (errors such as a full map are ignored). Returns the entries stored. */
size_t sound_maps_fill(ebpf_object *obj, sound_rng *r);

#endif
