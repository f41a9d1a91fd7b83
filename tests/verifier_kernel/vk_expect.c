/*
 * vk_expect.c - reading and matching the expectation file (vk_expect.h).
 */
#include "vk_expect.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/platform.h"

static char *trimmed(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

/* Adds the entry of one line (already trimmed, not a comment). 0, or -1 with why. */
static int add(vk_expect *e, char *line, unsigned number, char *why, size_t why_size)
{
    size_t key_len = strcspn(line, " \t");
    char *reason = trimmed(line + key_len);
    line[key_len] = '\0';
    if (!*reason) {
        snprintf(why, why_size, "line %u: %s has no reason", number, line);
        return -1;
    }
    for (size_t i = 0; i < e->count; i++)
        if (strcmp(e->entries[i].key, line) == 0) {
            snprintf(why, why_size, "line %u: %s again (first on line %u)", number, line, e->entries[i].line);
            return -1;
        }
    vk_entry *grown = realloc(e->entries, (e->count + 1) * sizeof *grown);
    if (!grown) {
        snprintf(why, why_size, "out of memory");
        return -1;
    }
    e->entries = grown;
    vk_entry *entry = &e->entries[e->count];
    *entry = (vk_entry){ .key = strdup(line), .reason = strdup(reason), .line = number };
    if (!entry->key || !entry->reason) {
        free(entry->key);
        free(entry->reason);
        snprintf(why, why_size, "out of memory");
        return -1;
    }
    e->count++;
    return 0;
}

int vk_expect_load(const char *path, vk_expect *e, char *why, size_t why_size)
{
    memset(e, 0, sizeof *e);
    uint8_t *data = NULL;
    size_t size = 0;
    if (plat_read_file(path, &data, &size) != 0) {
        snprintf(why, why_size, "cannot read %s", path);
        return -1;
    }
    char *text = realloc(data, size + 1);
    if (!text) {
        free(data);
        snprintf(why, why_size, "out of memory");
        return -1;
    }
    text[size] = '\0';
    unsigned number = 0;
    int rc = 0;
    for (char *line = text, *next; line && rc == 0; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        number++;
        char *t = trimmed(line);
        if (*t && *t != '#')
            rc = add(e, t, number, why, why_size);
    }
    free(text);
    return rc;
}

void vk_expect_free(vk_expect *e)
{
    for (size_t i = 0; i < e->count; i++) {
        free(e->entries[i].key);
        free(e->entries[i].reason);
    }
    free(e->entries);
    memset(e, 0, sizeof *e);
}

const vk_entry *vk_expect_take(vk_expect *e, const char *key)
{
    for (size_t i = 0; i < e->count; i++)
        if (strcmp(e->entries[i].key, key) == 0) {
            e->entries[i].used = true;
            return &e->entries[i];
        }
    return NULL;
}

bool vk_entry_is_bug(const vk_entry *entry)
{
    return strncmp(entry->reason, "BUG:", 4) == 0;
}
