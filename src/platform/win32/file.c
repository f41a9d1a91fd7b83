/*
 * file.c (win32) - reading whole files through the Win32 file API, with the same named size limit as
 * the posix version. Paths are in the ANSI code page, like the argv a program receives. Files whose
 * size is known are read into one buffer of that size; anything else (pipes, devices) grows as it goes.
 */
#include "platform/platform.h"
#include "platform/win32/win32_int.h"

#include <errno.h>
#include <stdlib.h>

#define PLAT_MAX_FILE_SIZE (1ull << 30) /* 1 GiB: anything larger is refused as absurd */
#define PLAT_READ_CHUNK (1u << 20)      /* one ReadFile asks for at most this much */

static int plat_open_error(const char *path)
{
    DWORD error = GetLastError();
    if (error == ERROR_ACCESS_DENIED) {
        DWORD attributes = GetFileAttributesA(path);
        if (attributes != INVALID_FILE_ATTRIBUTES && (attributes & FILE_ATTRIBUTE_DIRECTORY))
            return -EISDIR;
    }
    return -plat_win32_errno(error);
}

int plat_read_file(const char *path, uint8_t **data, size_t *size)
{
    HANDLE file = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                              OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL | FILE_FLAG_SEQUENTIAL_SCAN, NULL);
    if (file == INVALID_HANDLE_VALUE)
        return plat_open_error(path);

    size_t cap = 4096;
    LARGE_INTEGER known;
    if (GetFileType(file) == FILE_TYPE_DISK && GetFileSizeEx(file, &known)) {
        if ((uint64_t)known.QuadPart >= PLAT_MAX_FILE_SIZE) {
            CloseHandle(file);
            return -EFBIG;
        }
        cap = (size_t)known.QuadPart + 1; /* +1: reaching cap is how end of file is confirmed */
    }
    uint8_t *buf = malloc(cap + 1);
    size_t len = 0;
    int rc = 0;
    while (buf) {
        if (len == cap) {
            if (cap >= PLAT_MAX_FILE_SIZE) {
                rc = -EFBIG;
                break;
            }
            size_t grown = cap * 2 > PLAT_MAX_FILE_SIZE ? (size_t)PLAT_MAX_FILE_SIZE : cap * 2;
            uint8_t *bigger = realloc(buf, grown + 1);
            if (!bigger) {
                rc = -ENOMEM;
                break;
            }
            buf = bigger;
            cap = grown;
        }
        DWORD want = cap - len > PLAT_READ_CHUNK ? PLAT_READ_CHUNK : (DWORD)(cap - len), got = 0;
        if (!ReadFile(file, buf + len, want, &got, NULL)) {
            DWORD error = GetLastError();
            if (error != ERROR_BROKEN_PIPE) /* a pipe whose writer has finished: end of data */
                rc = -plat_win32_errno(error);
            break;
        }
        if (got == 0)
            break;
        len += got;
    }
    CloseHandle(file);
    if (!buf)
        return -ENOMEM;
    if (rc != 0) {
        free(buf);
        return rc;
    }
    buf[len] = 0;
    *data = buf;
    *size = len;
    return 0;
}
