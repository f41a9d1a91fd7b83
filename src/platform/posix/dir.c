/* dir.c (posix) - listing a directory's entries. */
#include "platform/platform.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

int plat_list_dir(const char *dir, char ***names)
{
    DIR *d = opendir(dir);
    if (!d)
        return -errno;
    char **list = NULL;
    int count = 0, cap = 0, rc = 0;
    struct dirent *entry;
    while ((entry = readdir(d)) != NULL) {
        if (!strcmp(entry->d_name, ".") || !strcmp(entry->d_name, ".."))
            continue;
        if (count == cap) {
            cap = cap ? cap * 2 : 64;
            char **bigger = realloc(list, (size_t)cap * sizeof *list);
            if (!bigger) {
                rc = -ENOMEM;
                break;
            }
            list = bigger;
        }
        if (!(list[count] = strdup(entry->d_name))) {
            rc = -ENOMEM;
            break;
        }
        count++;
    }
    closedir(d);
    if (rc != 0) {
        plat_free_list(list, count);
        return rc;
    }
    *names = list;
    return count;
}

void plat_free_list(char **names, int count)
{
    for (int i = 0; i < count; i++)
        free(names[i]);
    free(names);
}
