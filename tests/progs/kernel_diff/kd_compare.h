/*
 * kd_compare.h - comparing our snapshot with the kernel's and saying, line by line, what differs;
 * printing a snapshot.
 */
#ifndef KD_COMPARE_H
#define KD_COMPARE_H

#include <stdio.h>

#include "kd_snapshot.h"

/* Prints each difference to `out` (indented, at most a few per map) and returns how many there are. */
size_t kd_compare(const struct kd_snapshot *kernel, const struct kd_snapshot *ours, FILE *out);

/* Prints a whole snapshot (for --show: what the kernel made of a case). */
void kd_snapshot_print(const struct kd_snapshot *s, FILE *out);

#endif
