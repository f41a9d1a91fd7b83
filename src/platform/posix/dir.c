/* dir.c (posix) - listing a directory's entries with opendir/readdir. */
#include "platform/platform.h"

#include <dirent.h>

#include "platform/dir_portable.inc"

int plat_list_dir(const char *dir, char ***names)
{
    DIR *d = opendir(dir);
    if (!d)
        return -errno;
    char **list = NULL;
    int count = 0, cap = 0, rc = 0;
    struct dirent *entry;
    while (rc == 0 && (entry = readdir(d)) != NULL)
        rc = dir_list_add(&list, &count, &cap, entry->d_name);
    closedir(d);
    if (rc != 0) {
        plat_free_list(list, count);
        return rc;
    }
    *names = list;
    return count;
}
