/* cli_util.c - file I/O, hex parsing and error printing shared by the command-line tools. */
#include "cli_util.h"
#include "platform/platform.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *tool_name = "ebpf";

void cli_set_name(const char *name)
{
    tool_name = name;
}

void cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s: ", tool_name);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

int cli_read_file(const char *path, uint8_t **data, size_t *size)
{
    return plat_read_file(path, data, size);
}

int cli_write_file(const char *path, const void *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -errno;
    size_t n = fwrite(data, 1, size, f);
    int rc = (n == size) ? 0 : -EIO;
    if (fclose(f) != 0 && rc == 0)
        rc = -EIO;
    return rc;
}

static int hex_value(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = tolower(c);
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

int cli_parse_hex(const char *text, uint8_t **out, size_t *size, char *why, size_t why_size)
{
    size_t len = strlen(text);
    const char *p = text;
    while (isspace((unsigned char)*p))
        p++;
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
        p += 2;
    uint8_t *buf = malloc(len / 2 + 1);
    if (!buf) {
        snprintf(why, why_size, "out of memory");
        return -1;
    }
    size_t n = 0;
    int high = -1;
    for (; *p; p++) {
        if (isspace((unsigned char)*p)) {
            if (high >= 0) {
                snprintf(why, why_size, "odd number of hex digits before position %zu", (size_t)(p - text));
                free(buf);
                return -1;
            }
            continue;
        }
        int v = hex_value((unsigned char)*p);
        if (v < 0) {
            snprintf(why, why_size, "'%c' at position %zu is not a hex digit", *p, (size_t)(p - text));
            free(buf);
            return -1;
        }
        if (high < 0) {
            high = v;
        } else {
            buf[n++] = (uint8_t)(high << 4 | v);
            high = -1;
        }
    }
    if (high >= 0) {
        snprintf(why, why_size, "odd number of hex digits");
        free(buf);
        return -1;
    }
    *out = buf;
    *size = n;
    return 0;
}

bool cli_parse_u64(const char *text, uint64_t *value)
{
    if (!text || !*text || *text == '-' || isspace((unsigned char)*text))
        return false;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 0);
    if (errno != 0 || *end != '\0')
        return false;
    *value = v;
    return true;
}
