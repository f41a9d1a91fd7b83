/* dir.c (win32) - listing a directory's entries with FindFirstFile/FindNextFile. */
#include "platform/platform.h"
#include "platform/win32/win32_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int plat_list_dir(const char *dir, char ***names)
{
    char pattern[MAX_PATH];
    if (snprintf(pattern, sizeof pattern, "%s\\*", dir) >= (int)sizeof pattern)
        return -ENAMETOOLONG;
    WIN32_FIND_DATAA found;
    HANDLE find = FindFirstFileA(pattern, &found);
    if (find == INVALID_HANDLE_VALUE) {
        DWORD error = GetLastError();
        return error == ERROR_FILE_NOT_FOUND ? 0 : -plat_win32_errno(error);
    }
    char **list = NULL;
    int count = 0, cap = 0, rc = 0;
    do {
        if (!strcmp(found.cFileName, ".") || !strcmp(found.cFileName, ".."))
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
        if (!(list[count] = _strdup(found.cFileName))) {
            rc = -ENOMEM;
            break;
        }
        count++;
    } while (FindNextFileA(find, &found));
    FindClose(find);
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
