/*
 * sound_dir.c - listing a folder's *.bpf.o objects in name order (sound_dir.h).
 */
#include "sound_dir.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/platform.h"

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int sound_each_object(const char *dir, void (*visit)(const char *path, const char *name, void *user), void *user)
{
    char **names = NULL;
    int n = plat_list_dir(dir, &names), objects = 0;
    if (n <= 0)
        return 0;
    qsort(names, (size_t)n, sizeof *names, by_name);
    for (int i = 0; i < n; i++) {
        size_t len = strlen(names[i]);
        char path[1024];
        if (len < 6 || strcmp(names[i] + len - 6, ".bpf.o") != 0 ||
            (size_t)snprintf(path, sizeof path, "%s/%s", dir, names[i]) >= sizeof path)
            continue;
        objects++;
        visit(path, names[i], user);
    }
    plat_free_list(names, n);
    return objects;
}
