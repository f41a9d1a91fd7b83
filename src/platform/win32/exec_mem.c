/*
 * exec_mem.c (win32) - W^X code memory with VirtualAlloc and VirtualProtect: pages start PAGE_READWRITE
 * and become PAGE_EXECUTE_READ once the code is written (then the instruction cache is flushed, as
 * Windows asks of every code generator); PAGE_EXECUTE_READWRITE is never requested. VirtualQuery
 * reports a page's protection. Random bytes come from the CRT's rand_s (RtlGenRandom underneath).
 */
#define _CRT_RAND_S /* before any CRT header: declares rand_s */
#include <stdlib.h>

#include "platform/exec_mem.h"
#include "platform/win32/win32_int.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

static size_t plat_page_size(void)
{
    SYSTEM_INFO info;
    GetSystemInfo(&info);
    return info.dwPageSize ? (size_t)info.dwPageSize : 4096;
}

void *plat_exec_alloc(size_t size, size_t *mapped)
{
    size_t page = plat_page_size();
    if (size == 0 || size > SIZE_MAX - page) {
        errno = EINVAL;
        return NULL;
    }
    size_t rounded = (size + page - 1) / page * page;
    void *p = VirtualAlloc(NULL, rounded, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    if (!p) {
        errno = plat_win32_errno(GetLastError());
        return NULL;
    }
    *mapped = rounded;
    return p;
}

int plat_exec_seal(void *base, size_t mapped)
{
    DWORD old;
    if (!VirtualProtect(base, mapped, PAGE_EXECUTE_READ, &old))
        return -plat_win32_errno(GetLastError());
    if (!FlushInstructionCache(GetCurrentProcess(), base, mapped))
        return -plat_win32_errno(GetLastError());
    return 0;
}

void plat_exec_free(void *base, size_t mapped)
{
    (void)mapped;
    if (base)
        VirtualFree(base, 0, MEM_RELEASE);
}

int plat_page_protection(const void *addr)
{
    MEMORY_BASIC_INFORMATION info;
    if (VirtualQuery(addr, &info, sizeof info) != sizeof info || info.State != MEM_COMMIT)
        return -ENOENT;
    switch (info.Protect & 0xff) {
    case PAGE_NOACCESS: return 0;
    case PAGE_READONLY: return PLAT_PROT_READ;
    case PAGE_READWRITE:
    case PAGE_WRITECOPY: return PLAT_PROT_READ | PLAT_PROT_WRITE;
    case PAGE_EXECUTE: return PLAT_PROT_EXEC;
    case PAGE_EXECUTE_READ: return PLAT_PROT_READ | PLAT_PROT_EXEC;
    case PAGE_EXECUTE_READWRITE:
    case PAGE_EXECUTE_WRITECOPY: return PLAT_PROT_READ | PLAT_PROT_WRITE | PLAT_PROT_EXEC;
    default: return 0;
    }
}

int plat_random_bytes(void *buf, size_t size)
{
    unsigned char *p = buf;
    while (size > 0) {
        unsigned int r;
        if (rand_s(&r) != 0)
            return -EIO;
        size_t n = size < sizeof r ? size : sizeof r;
        memcpy(p, &r, n);
        p += n;
        size -= n;
    }
    return 0;
}
