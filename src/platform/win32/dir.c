/* dir.c (win32) - listing a directory's entries with FindFirstFile/FindNextFile. */
#include "platform/platform.h"
#include "platform/win32/win32_int.h"

#include <stdio.h>

#include "platform/dir_portable.inc"

int plat_list_dir(const char *dir, char ***names)
{
    char pattern[MAX_PATH];
    if (snprintf(pattern, sizeof pattern, "%s\\*", dir) >= (int)sizeof pattern)
        return -ENAMETOOLONG;
    WIN32_FIND_DATAA found;
    HANDLE find = FindFirstFileA(pattern, &found);
    if (find == INVALID_HANDLE_VALUE) {
        DWORD error = GetLastError();
        if (error != ERROR_FILE_NOT_FOUND)
            return -plat_win32_errno(error);
        *names = NULL; /* nothing matched: an empty list */
        return 0;
    }
    char **list = NULL;
    int count = 0, cap = 0, rc = 0;
    do
        rc = dir_list_add(&list, &count, &cap, found.cFileName);
    while (rc == 0 && FindNextFileA(find, &found));
    FindClose(find);
    if (rc != 0) {
        plat_free_list(list, count);
        return rc;
    }
    *names = list;
    return count;
}
