/*
 * vk_expect.h - the expectation file of the kernel comparison (kernel_verdicts.expect): every program
 * or mutant that our verifier accepts and the Linux verifier refuses, one line each,
 *
 *     KEY REASON
 *
 * KEY is object:program or object:program:mN (mutant N, vk_main.c), REASON one line saying why the
 * difference is fine; a REASON starting with "BUG:" marks a known soundness bug of ours (reported, not
 * failed). '#' starts a comment line. An entry must be used by the run: one no longer occurring is stale.
 */
#ifndef VK_EXPECT_H
#define VK_EXPECT_H

#include <stdbool.h>
#include <stddef.h>

typedef struct vk_entry {
    char *key;
    char *reason;
    unsigned line;
    bool used;
} vk_entry;

typedef struct vk_expect {
    vk_entry *entries;
    size_t count;
} vk_expect;

/* Reads path. 0, or -1 with why filled (unreadable file, a line without a reason, a duplicate key). */
int vk_expect_load(const char *path, vk_expect *e, char *why, size_t why_size);
void vk_expect_free(vk_expect *e);

/* The entry for key (marked used), or NULL. */
const vk_entry *vk_expect_take(vk_expect *e, const char *key);

/* Is this entry a known soundness bug ("BUG:")? */
bool vk_entry_is_bug(const vk_entry *entry);

#endif
