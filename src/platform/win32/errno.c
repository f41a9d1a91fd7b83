/*
 * errno.c (win32) - maps Win32 error codes to errno values, so that every platform function reports
 * failures the same way on every host (a negative errno, as platform.h says).
 */
#include "platform/win32/win32_int.h"

#include <errno.h>

static const struct {
    DWORD win32;
    int errnum;
} plat_win32_errors[] = {
    { ERROR_FILE_NOT_FOUND, ENOENT },
    { ERROR_PATH_NOT_FOUND, ENOENT },
    { ERROR_INVALID_DRIVE, ENOENT },
    { ERROR_BAD_NETPATH, ENOENT },
    { ERROR_BAD_PATHNAME, ENOENT },
    { ERROR_INVALID_NAME, ENOENT },
    { ERROR_MOD_NOT_FOUND, ENOENT },
    { ERROR_DIRECTORY, ENOTDIR },
    { ERROR_ACCESS_DENIED, EACCES },
    { ERROR_SHARING_VIOLATION, EACCES },
    { ERROR_LOCK_VIOLATION, EACCES },
    { ERROR_WRITE_PROTECT, EACCES },
    { ERROR_FILENAME_EXCED_RANGE, ENAMETOOLONG },
    { ERROR_TOO_MANY_OPEN_FILES, EMFILE },
    { ERROR_NOT_ENOUGH_MEMORY, ENOMEM },
    { ERROR_OUTOFMEMORY, ENOMEM },
    { ERROR_COMMITMENT_LIMIT, ENOMEM },
    { ERROR_NO_SYSTEM_RESOURCES, ENOMEM },
    { ERROR_INVALID_PARAMETER, EINVAL },
    { ERROR_INVALID_HANDLE, EBADF },
    { ERROR_BROKEN_PIPE, EPIPE },
    { ERROR_NO_DATA, EPIPE },
    { ERROR_BAD_EXE_FORMAT, ENOEXEC },
    { ERROR_EXE_MACHINE_TYPE_MISMATCH, ENOEXEC },
    { ERROR_BAD_FORMAT, ENOEXEC },
    { ERROR_FILE_TOO_LARGE, EFBIG },
    { ERROR_DISK_FULL, ENOSPC },
    { ERROR_HANDLE_DISK_FULL, ENOSPC },
    { ERROR_NOT_SUPPORTED, ENOTSUP },
    { ERROR_CALL_NOT_IMPLEMENTED, ENOSYS },
};

int plat_win32_errno(DWORD error)
{
    for (size_t i = 0; i < sizeof plat_win32_errors / sizeof plat_win32_errors[0]; i++)
        if (plat_win32_errors[i].win32 == error)
            return plat_win32_errors[i].errnum;
    return EIO;
}
