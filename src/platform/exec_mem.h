/*
 * exec_mem.h - what the JIT needs from the operating system: memory for generated code that is never
 * writable and executable at the same time (W^X), a way to ask a page's current protection (for the
 * test that proves it), and unpredictable bytes for constant blinding.
 *
 * Life of a code region: plat_exec_alloc gives read-write, non-executable pages; the JIT writes the code;
 * plat_exec_seal turns them read-only and executable (and flushes the instruction cache where the OS
 * requires it); plat_exec_free gives them back. A region is never writable again after sealing, and no
 * call here ever asks the OS for writable and executable at once.
 *
 * Implemented in posix/exec_mem.c (mmap, mprotect, /proc/self/maps, /dev/urandom) and
 * win32/exec_mem.c (VirtualAlloc, VirtualProtect, VirtualQuery, the CRT's rand_s).
 */
#ifndef EBPF_PLATFORM_EXEC_MEM_H
#define EBPF_PLATFORM_EXEC_MEM_H

#include <stddef.h>

/* Allocates at least `size` bytes (rounded up to whole pages; the rounded size goes to *mapped),
 * readable and writable, not executable. Returns NULL with errno set. */
void *plat_exec_alloc(size_t size, size_t *mapped);

/* Makes [base, base + mapped) read-only and executable. Returns 0 or a negative errno (the region then
 * stays writable and not executable: the caller must not run it). */
int plat_exec_seal(void *base, size_t mapped);

/* Releases a region from plat_exec_alloc (sealed or not). NULL is ignored. */
void plat_exec_free(void *base, size_t mapped);

/* Protection bits of the page holding `addr`, as the OS reports it now. */
enum {
    PLAT_PROT_READ = 1,
    PLAT_PROT_WRITE = 2,
    PLAT_PROT_EXEC = 4,
};

/* Returns a combination of PLAT_PROT_* (0: mapped but inaccessible), or a negative errno: -ENOENT when
 * nothing is mapped there, -ENOSYS when this OS cannot tell. */
int plat_page_protection(const void *addr);

/* Fills buf with unpredictable bytes from the OS. Returns 0 or a negative errno. */
int plat_random_bytes(void *buf, size_t size);

#endif
