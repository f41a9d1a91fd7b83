/*
 * heap_peak.h - the peak heap growth of a stretch of code: how many bytes it had allocated at once at
 * most. bench_verifier's binary is linked with -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=free
 * (bench/CMakeLists.txt), so every allocation made by its own objects and libebpf goes through
 * heap_peak.c; while armed, live bytes (malloc_usable_size of each block) are counted and their high mark
 * kept. Disarmed, the wrappers only forward. glibc only; one thread at a time.
 */
#ifndef EBPF_BENCH_HEAP_PEAK_H
#define EBPF_BENCH_HEAP_PEAK_H

#include <stddef.h>

/* Arms the counter: live bytes and the peak start at 0. */
void heap_peak_start(void);

/* Disarms it and returns the highest live byte count reached while armed. Blocks freed while armed
 * that were allocated before count negatively, so pair start and stop around self-contained work. */
size_t heap_peak_stop(void);

#endif
