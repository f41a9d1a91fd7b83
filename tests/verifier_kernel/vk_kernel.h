/*
 * vk_kernel.h - the Linux verifier as an oracle: one program of an ELF image loaded with
 * bpf(BPF_PROG_LOAD) through libbpf (the object's maps created by libbpf, only that program loaded),
 * and its verdict. Test-only: the runtime never links libbpf.
 *
 * A verdict is one of three: the kernel accepted the program; its verifier refused it (it ran and wrote
 * a log); or the load never reached the verifier (libbpf could not open or relocate the object, create
 * a map, find the program or an attach target, or the kernel failed before verifying): environmental,
 * not a refusal.
 */
#ifndef VK_KERNEL_H
#define VK_KERNEL_H

#include <stddef.h>
#include <stdint.h>

typedef enum vk_kind {
    VK_ACCEPT,      /* the kernel's verifier accepted it */
    VK_REFUSE,      /* the kernel's verifier refused it: log holds its log (the tail, when long) */
    VK_ENV,         /* not attempted: why says what stopped it */
} vk_kind;

typedef struct vk_verdict {
    vk_kind kind;
    int err;          /* the load's negative errno (0 on accept) */
    char why[256];    /* VK_ENV: libbpf's last warning or the reason; VK_REFUSE: the log's last line */
    const char *log;  /* VK_REFUSE: the verifier's log (a buffer of vk_kernel.c, valid until the next load) */
} vk_verdict;

/* Can this process load programs? 0, or -1 with why filled (not root, bpf() refused, no libbpf). */
int vk_kernel_probe(char *why, size_t why_size);

/* Loads program `program` of the object image (name: for libbpf's messages) as the kernel would for
 * its section; when libbpf cannot tell a type from the section, as prog_type (our loader's), or as a
 * tc classifier when that is none too (as our verifier checks such programs). */
void vk_kernel_load(const uint8_t *image, size_t size, const char *name, const char *program, uint32_t prog_type,
                    vk_verdict *out);

/* Prints the first `head` and last `tail` lines of log, each after indent. */
void vk_print_log(const char *log, unsigned head, unsigned tail, const char *indent);

#endif
