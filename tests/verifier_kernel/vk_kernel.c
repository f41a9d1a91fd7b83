/*
 * vk_kernel.c - loading one program of an image through libbpf and reading the verdict (vk_kernel.h).
 *
 * The program gets a log buffer of its own at log level 0: libbpf loads it without a log, and only on
 * failure loads it again with level 1 into that buffer, so an accepted program never fails for a log
 * too long. A non-empty log after a failure means the verifier ran: a refusal. No log means the load
 * stopped before the verifier; libbpf's last warning (kept by the print callback) says why. Such a
 * load is tried once more with every program of the object: a prog_array initialised in the object
 * needs the programs it names loaded too (the others are the object's own, unmutated).
 */
#include "vk_kernel.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define VK_LOG_SIZE (1u << 20)  /* the kernel keeps the tail of a longer log (its reason is last) */

static char verifier_log[VK_LOG_SIZE];
static char last_warning[256];

/* libbpf's messages: only the last warning is kept (the reason a load stopped); nothing printed. */
static int keep_warning(enum libbpf_print_level level, const char *fmt, va_list args)
{
    if (level != LIBBPF_WARN)
        return 0;
    char line[sizeof last_warning];
    vsnprintf(line, sizeof line, fmt, args);
    line[strcspn(line, "\n")] = '\0';
    if (line[0] && !strstr(line, "failed to load object")) /* that one only repeats the error */
        memcpy(last_warning, line, sizeof line);
    return 0;
}

int vk_kernel_probe(char *why, size_t why_size)
{
    static const struct bpf_insn ret0[] = {
        { .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0 },
        { .code = BPF_JMP | BPF_EXIT },
    };
    libbpf_set_print(keep_warning);
    int fd = bpf_prog_load(BPF_PROG_TYPE_XDP, "vk_probe", "GPL", ret0, 2, NULL); /* not a type for anyone */
    if (fd < 0) {
        snprintf(why, why_size, "bpf(BPF_PROG_LOAD) of a 2-instruction XDP program fails: %s%s", strerror(errno),
                 errno == EPERM || errno == EACCES ? " (needs root or CAP_BPF + CAP_PERFMON + CAP_NET_ADMIN)" : "");
        return -1;
    }
    close(fd);
    return 0;
}

/* The log's last non-empty line, into out. */
static void last_line(const char *log, char *out, size_t size)
{
    const char *end = log + strlen(log);
    while (end > log && (end[-1] == '\n' || end[-1] == ' '))
        end--;
    const char *start = end;
    while (start > log && start[-1] != '\n')
        start--;
    snprintf(out, size, "%.*s", (int)(end - start), start);
}

/* Loads program `program` of obj (alone, or with all its programs). */
static void load(struct bpf_object *obj, const char *program, uint32_t prog_type, bool all, vk_verdict *out)
{
    struct bpf_program *target = NULL, *prog;
    bpf_object__for_each_program(prog, obj) {
        bool mine = strcmp(bpf_program__name(prog), program) == 0;
        bpf_program__set_autoload(prog, mine || all);
        target = mine ? prog : target;
    }
    if (!target) {
        snprintf(out->why, sizeof out->why, "libbpf sees no program %s (to it .text functions are subprograms, and a "
                 "section without a function symbol has none)", program);
        return;
    }
    if (bpf_program__type(target) == BPF_PROG_TYPE_UNSPEC) /* as our loader: no type named, a tc classifier */
        bpf_program__set_type(target, prog_type ? (enum bpf_prog_type)prog_type : BPF_PROG_TYPE_SCHED_CLS);
    verifier_log[0] = '\0';
    bpf_program__set_log_buf(target, verifier_log, sizeof verifier_log);
    bpf_program__set_log_level(target, 0);
    out->err = bpf_object__load(obj);
    if (out->err == 0) {
        out->kind = VK_ACCEPT;
    } else if (verifier_log[0]) {
        out->kind = VK_REFUSE;
        out->log = verifier_log;
        last_line(verifier_log, out->why, sizeof out->why);
    } else {
        snprintf(out->why, sizeof out->why, "%s", last_warning[0] ? last_warning : strerror(-out->err));
    }
}

/* One attempt: open the image, load. */
static void attempt(const uint8_t *image, size_t size, const char *name, const char *program, uint32_t prog_type,
                    bool all, vk_verdict *out)
{
    memset(out, 0, sizeof *out);
    out->kind = VK_ENV;
    last_warning[0] = '\0';
    LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = name);
    struct bpf_object *obj = bpf_object__open_mem(image, size, &opts);
    if (!obj) {
        out->err = -errno;
        snprintf(out->why, sizeof out->why, "libbpf cannot open it: %s",
                 last_warning[0] ? last_warning : strerror(errno));
        return;
    }
    load(obj, program, prog_type, all, out);
    bpf_object__close(obj);
}

void vk_kernel_load(const uint8_t *image, size_t size, const char *name, const char *program, uint32_t prog_type,
                    vk_verdict *out)
{
    libbpf_set_print(keep_warning);
    attempt(image, size, name, program, prog_type, false, out);
    if (out->kind == VK_ENV && out->err != 0) {
        vk_verdict all;
        attempt(image, size, name, program, prog_type, true, &all);
        if (all.kind != VK_ENV)
            *out = all;
    }
}

void vk_print_log(const char *log, unsigned head, unsigned tail, const char *indent)
{
    size_t lines = 0;
    for (const char *p = log; *p; p++)
        lines += *p == '\n';
    if (log[0] && log[strlen(log) - 1] != '\n')
        lines++;
    size_t n = 0;
    for (const char *p = log; *p; n++) {
        const char *nl = strchr(p, '\n');
        int len = nl ? (int)(nl - p) : (int)strlen(p);
        if (n < head || n + tail >= lines)
            printf("%s%.*s\n", indent, len, p);
        else if (n == head)
            printf("%s... (%zu lines)\n", indent, lines - head - tail);
        p = nl ? nl + 1 : p + len;
    }
}
