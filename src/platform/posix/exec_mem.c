/*
 * exec_mem.c (posix) - W^X code memory with mmap and mprotect: pages start PROT_READ|PROT_WRITE and are
 * switched to PROT_READ|PROT_EXEC once the code is written; PROT_WRITE and PROT_EXEC are never requested
 * together. Page protections are read back from /proc/self/maps (Linux; elsewhere -ENOSYS). Random
 * bytes come from /dev/urandom.
 */
#define _GNU_SOURCE /* MAP_ANONYMOUS, O_CLOEXEC */
#include "platform/exec_mem.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#if !defined(MAP_ANONYMOUS) && defined(MAP_ANON)
#define MAP_ANONYMOUS MAP_ANON
#endif

static size_t plat_page_size(void)
{
    long page = sysconf(_SC_PAGESIZE);
    return page > 0 ? (size_t)page : 4096;
}

void *plat_exec_alloc(size_t size, size_t *mapped)
{
    size_t page = plat_page_size();
    if (size == 0 || size > SIZE_MAX - page) {
        errno = EINVAL;
        return NULL;
    }
    size_t rounded = (size + page - 1) / page * page;
    void *p = mmap(NULL, rounded, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
    *mapped = rounded;
    return p;
}

int plat_exec_seal(void *base, size_t mapped)
{
    /* x86 keeps instruction fetch coherent with stores; other CPUs would need a cache flush here. */
    if (mprotect(base, mapped, PROT_READ | PROT_EXEC) != 0)
        return -errno;
    return 0;
}

void plat_exec_free(void *base, size_t mapped)
{
    if (base)
        munmap(base, mapped);
}

int plat_page_protection(const void *addr)
{
    FILE *f = fopen("/proc/self/maps", "r");
    if (!f)
        return -ENOSYS;
    uintptr_t a = (uintptr_t)addr;
    char line[512];
    int result = -ENOENT;
    while (fgets(line, sizeof line, f)) {
        unsigned long long lo, hi;
        char perms[5];
        if (sscanf(line, "%llx-%llx %4s", &lo, &hi, perms) != 3)
            continue;
        if (a < lo || a >= hi)
            continue;
        result = (perms[0] == 'r' ? PLAT_PROT_READ : 0) | (perms[1] == 'w' ? PLAT_PROT_WRITE : 0) |
                 (perms[2] == 'x' ? PLAT_PROT_EXEC : 0);
        break;
    }
    fclose(f);
    return result;
}

int plat_random_bytes(void *buf, size_t size)
{
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    unsigned char *p = buf;
    int rc = 0;
    while (size > 0) {
        ssize_t n = read(fd, p, size);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            rc = n < 0 ? -errno : -EIO;
            break;
        }
        p += n;
        size -= (size_t)n;
    }
    close(fd);
    return rc;
}
