/* file.c (posix) - reading whole files, with a named size limit. */
#include "platform/platform.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#define PLAT_MAX_FILE_SIZE (1ull << 30) /* 1 GiB: anything larger is refused as absurd */

int plat_read_file(const char *path, uint8_t **data, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -errno;
    size_t cap = 4096, len = 0;
    uint8_t *buf = malloc(cap + 1);
    int rc = 0;
    while (buf) {
        if (len == cap) {
            if (cap >= PLAT_MAX_FILE_SIZE) {
                rc = -EFBIG;
                break;
            }
            uint8_t *bigger = realloc(buf, cap * 2 + 1);
            if (!bigger) {
                rc = -ENOMEM; /* not a silently truncated file */
                break;
            }
            buf = bigger;
            cap *= 2;
        }
        size_t n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (n == 0) {
            if (ferror(f))
                rc = -EIO;
            break;
        }
    }
    fclose(f);
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
