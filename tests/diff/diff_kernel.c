/*
 * diff_kernel.c - loading and test-running generated programs in the Linux kernel with the raw bpf()
 * system call, as a socket filter.
 *
 * Harness around a generated program P (whose last slot is its only exit):
 *
 *     r2 = *(u32 *)(r1 + 0)        skb->len, decided by the test packet's size
 *     *(u64 *)(r10 - 8) = r2       kept on the stack: P owns every register
 *     P without its exit          (jumps to P's exit now land on the next line)
 *     r1 = *(u64 *)(r10 - 8)
 *     r1 &= 1
 *     if r1 == low_parity goto +1
 *     r0 >>= 32
 *     exit
 *
 * One load, two runs with packets whose lengths differ by one: the kernel's 32-bit retval is the low
 * half of r0 in one run and the high half in the other. Which parity means "low" is probed once.
 */
#define _GNU_SOURCE
#include "diff_kernel.h"

#include <errno.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define KERNEL_LOG_SIZE (1u << 20)
#define KERNEL_PKT_SIZE 64           /* >= ETH_HLEN; the second run uses one byte more */
#define KERNEL_HEAD 2
#define KERNEL_TAIL 5
#define KERNEL_LOAD_RETRIES 5

static long kernel_bpf(int cmd, union bpf_attr *attr)
{
    return syscall(__NR_bpf, cmd, attr, sizeof(*attr));
}

/* Loads `count` slots as a socket filter. Returns the fd, or -errno. With a log buffer the verifier's
 * messages are kept (its log rotates, so the tail with the refusal reason survives). */
static int kernel_load(const struct ebpf_insn *insns, size_t count, char *log, size_t log_size)
{
    union bpf_attr attr;
    for (int attempt = 0;; attempt++) {
        memset(&attr, 0, sizeof(attr));
        attr.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
        attr.insns = (uint64_t)(uintptr_t)insns;
        attr.insn_cnt = (uint32_t)count;
        attr.license = (uint64_t)(uintptr_t)"GPL";
        if (log) {
            log[0] = 0;
            attr.log_buf = (uint64_t)(uintptr_t)log;
            attr.log_size = (uint32_t)log_size;
            attr.log_level = 1;
        }
        memcpy(attr.prog_name, "ebpf_diff", sizeof("ebpf_diff"));
        long fd = kernel_bpf(BPF_PROG_LOAD, &attr);
        if (fd >= 0)
            return (int)fd;
        if (errno != EAGAIN || attempt >= KERNEL_LOAD_RETRIES)
            return -errno;
    }
}

/* One test run with a packet of `size` bytes; *retval receives the program's 32-bit result. */
static int kernel_test_run(int fd, size_t size, uint32_t *retval)
{
    static unsigned char packet[KERNEL_PKT_SIZE + 1];
    union bpf_attr attr;
    memset(&attr, 0, sizeof(attr));
    attr.test.prog_fd = (uint32_t)fd;
    attr.test.data_in = (uint64_t)(uintptr_t)packet;
    attr.test.data_size_in = (uint32_t)size;
    attr.test.repeat = 1;
    if (kernel_bpf(BPF_PROG_TEST_RUN, &attr) < 0)
        return -errno;
    *retval = attr.test.retval;
    return 0;
}

static void reason_errno(char *reason, size_t size, const char *what, int err)
{
    const char *hint = "";
    if (err == EPERM || err == EACCES)
        hint = " (needs root or CAP_BPF+CAP_NET_ADMIN; or blocked by seccomp / lockdown)";
    else if (err == ENOSYS)
        hint = " (kernel without bpf() or blocked by seccomp)";
    snprintf(reason, size, "%s: %s%s", what, strerror(err), hint);
}

/* A seccomp policy may kill the caller of bpf() instead of failing the call: try it in a child first. */
static bool kernel_call_survives(char *reason, size_t size)
{
    pid_t pid = fork();
    if (pid < 0)
        return true; /* cannot tell; the real call will say */
    if (pid == 0) {
        union bpf_attr attr;
        memset(&attr, 0, sizeof(attr));
        kernel_bpf(BPF_PROG_LOAD, &attr);
        _exit(0);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (WIFSIGNALED(status)) {
        snprintf(reason, size, "a process calling bpf() was killed by signal %d (seccomp?)", WTERMSIG(status));
        return false;
    }
    return true;
}

int diff_kernel_open(diff_kernel *k, char *reason, size_t reason_size)
{
    memset(k, 0, sizeof(*k));
    if (!kernel_call_survives(reason, reason_size))
        return -1;
    /* Probe: r0 = skb->len; exit. Also tells which packet size gives which parity. */
    struct ebpf_insn probe[2] = {
        {.opcode = DIFF_OP_LDXW, .dst_reg = 0, .src_reg = 1, .off = 0, .imm = 0},
        {.opcode = DIFF_CLS_JMP | DIFF_JMP_EXIT},
    };
    int fd = kernel_load(probe, 2, NULL, 0);
    if (fd < 0) {
        reason_errno(reason, reason_size, "BPF_PROG_LOAD of a 2-instruction socket filter", -fd);
        return -1;
    }
    uint32_t len_a = 0, len_b = 0;
    int err = kernel_test_run(fd, KERNEL_PKT_SIZE, &len_a);
    if (err == 0)
        err = kernel_test_run(fd, KERNEL_PKT_SIZE + 1, &len_b);
    close(fd);
    if (err < 0) {
        reason_errno(reason, reason_size, "BPF_PROG_TEST_RUN of a socket filter", -err);
        return -1;
    }
    if ((len_a & 1) == (len_b & 1)) {
        snprintf(reason, reason_size, "skb->len %u and %u for packets of %d and %d bytes", len_a, len_b,
                 KERNEL_PKT_SIZE, KERNEL_PKT_SIZE + 1);
        return -1;
    }
    k->low_parity = len_a & 1;
    k->log_size = KERNEL_LOG_SIZE;
    k->log = malloc(k->log_size);
    if (!k->log) {
        snprintf(reason, reason_size, "out of memory");
        return -1;
    }
    k->log[0] = 0;
    return 0;
}

void diff_kernel_close(diff_kernel *k)
{
    free(k->log);
    k->log = NULL;
}

bool diff_kernel_has_v4(diff_kernel *k)
{
    (void)k;
    /* r0 = 7; r0 s/= -1; r1 = (s8)r0; r1 = bswap16 r1; gotol +0; exit */
    struct ebpf_insn v4[] = {
        {.opcode = DIFF_CLS_ALU64 | DIFF_ALU_MOV | DIFF_SRC_K, .dst_reg = 0, .imm = 7},
        {.opcode = DIFF_CLS_ALU64 | DIFF_ALU_DIV | DIFF_SRC_K, .dst_reg = 0, .off = 1, .imm = -1},
        {.opcode = DIFF_CLS_ALU64 | DIFF_ALU_MOV | DIFF_SRC_X, .dst_reg = 1, .src_reg = 0, .off = 8},
        {.opcode = DIFF_CLS_ALU64 | DIFF_ALU_END | DIFF_SRC_K, .dst_reg = 1, .imm = 16},
        {.opcode = DIFF_CLS_JMP32 | DIFF_JMP_JA, .imm = 0},
        {.opcode = DIFF_CLS_JMP | DIFF_JMP_EXIT},
    };
    int fd = kernel_load(v4, sizeof(v4) / sizeof(v4[0]), NULL, 0);
    if (fd < 0)
        return false;
    close(fd);
    return true;
}

/* Wraps `prog` into the harness described at the top of this file. */
static size_t kernel_wrap(const diff_prog *prog, unsigned low_parity, struct ebpf_insn *out)
{
    size_t n = 0;
    out[n++] = (struct ebpf_insn){.opcode = DIFF_OP_LDXW, .dst_reg = 2, .src_reg = 1};
    out[n++] = (struct ebpf_insn){.opcode = DIFF_OP_STXDW, .dst_reg = 10, .src_reg = 2, .off = -8};
    memcpy(&out[n], prog->insns, (prog->count - 1) * sizeof(out[0]));
    n += prog->count - 1;
    out[n++] = (struct ebpf_insn){.opcode = DIFF_OP_LDXDW, .dst_reg = 1, .src_reg = 10, .off = -8};
    out[n++] = (struct ebpf_insn){.opcode = DIFF_CLS_ALU64 | DIFF_ALU_AND | DIFF_SRC_K, .dst_reg = 1, .imm = 1};
    out[n++] = (struct ebpf_insn){.opcode = DIFF_CLS_JMP | DIFF_JMP_JEQ | DIFF_SRC_K, .dst_reg = 1, .off = 1,
                                  .imm = (int32_t)low_parity};
    out[n++] = (struct ebpf_insn){.opcode = DIFF_CLS_ALU64 | DIFF_ALU_RSH | DIFF_SRC_K, .dst_reg = 0, .imm = 32};
    out[n++] = (struct ebpf_insn){.opcode = DIFF_CLS_JMP | DIFF_JMP_EXIT};
    return n;
}

diff_kernel_status diff_kernel_run(diff_kernel *k, const diff_prog *prog, uint64_t *r0)
{
    _Static_assert(sizeof(struct ebpf_insn) == sizeof(struct bpf_insn), "slot layouts agree");
    static struct ebpf_insn wrapped[DIFF_PROG_MAX + KERNEL_HEAD + KERNEL_TAIL];
    size_t n = kernel_wrap(prog, k->low_parity, wrapped);

    k->log[0] = 0;
    int fd = kernel_load(wrapped, n, NULL, 0);
    k->loads++;
    if (fd < 0) {
        int err = -fd;
        /* EACCES / EINVAL: the verifier refused; E2BIG: it gave up (complexity limit). */
        if (err != EACCES && err != EINVAL && err != E2BIG) {
            reason_errno(k->log, k->log_size, "BPF_PROG_LOAD", err);
            return DIFF_KERNEL_ERROR;
        }
        /* Load again with the verifier log on, to say why. */
        fd = kernel_load(wrapped, n, k->log, k->log_size);
        if (fd >= 0) {
            close(fd);
            snprintf(k->log, k->log_size, "refused without log (%s), accepted with it", strerror(err));
        }
        return DIFF_KERNEL_REFUSED;
    }

    uint32_t first = 0, second = 0;
    int e = kernel_test_run(fd, KERNEL_PKT_SIZE, &first);
    if (e == 0)
        e = kernel_test_run(fd, KERNEL_PKT_SIZE + 1, &second);
    k->runs += 2;
    close(fd);
    if (e < 0) {
        reason_errno(k->log, k->log_size, "BPF_PROG_TEST_RUN", -e);
        return DIFF_KERNEL_ERROR;
    }
    /* low_parity is the parity of the first packet's skb->len: that run skipped the shift. */
    *r0 = (uint64_t)first | (uint64_t)second << 32;
    return DIFF_KERNEL_OK;
}
