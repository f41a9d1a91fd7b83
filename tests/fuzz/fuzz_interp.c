/*
 * fuzz_interp.c - libFuzzer target: arbitrary bytecode -> ebpf_program_create -> ebpf_program_run in
 * checked mode. Fast mode is never used here: it trusts the program, and these programs are unverified.
 *
 * Input: byte 0 flags (bit 0 reject_unreachable, bit 1 allow_uninit_regs, bit 2 an extra region,
 * bit 3 that region writable, bit 4 a separate packet for LD_ABS/LD_IND), byte 1 the input memory size
 * N, then N bytes of input memory, then the program. Helper 5 is registered and returns its first
 * argument (as the conformance suite expects).
 * Properties: no crash, hang or sanitizer report (every buffer is exactly sized, so an access one byte
 * outside is an ASan report); the instruction budget is respected; the return code agrees with the
 * status; a fault names an instruction of the program. (Runs are not compared with each other: a
 * program may compute with the addresses of its memory and stack, which differ from run to run.)
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ebpf/ebpf.h"
#include "fuzz_roundtrip.h"

#define FUZZ_BUDGET 100000u
#define FUZZ_MAX_SLOTS 4096
#define FUZZ_REGION_SIZE 48
#define FUZZ_PACKET_SIZE 20

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t helper_unwind(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5, void *user)
{
    (void)r2, (void)r3, (void)r4, (void)r5, (void)user;
    return r1;
}

static void *dup_exact(const void *src, size_t n)
{
    if (n == 0)
        return NULL;
    void *p = malloc(n);
    if (!p)
        abort();
    memcpy(p, src, n);
    return p;
}

typedef struct run_outcome {
    int rc;
    struct ebpf_run_result res;
} run_outcome;

static void run_once(ebpf_program *prog, uint8_t flags, const uint8_t *mem_init, size_t mem_size,
                     run_outcome *out)
{
    static const uint8_t region_init[FUZZ_REGION_SIZE] = {1, 2, 3, 4, 5, 6, 7, 8};
    static const uint8_t packet_init[FUZZ_PACKET_SIZE] = {0x45, 0, 0, 20, 0xde, 0xad, 0xbe, 0xef};
    uint8_t *mem = dup_exact(mem_init, mem_size);
    uint8_t *region_mem = (flags & 4) ? dup_exact(region_init, sizeof(region_init)) : NULL;
    uint8_t *packet = (flags & 16) ? dup_exact(packet_init, sizeof(packet_init)) : NULL;
    struct ebpf_region region = {.base = region_mem, .size = FUZZ_REGION_SIZE, .writable = (flags & 8) != 0};

    EBPF_OPTS(ebpf_run_opts, opts, .mode = EBPF_EXEC_CHECKED, .mem = mem, .mem_size = mem_size,
              .packet = packet, .packet_size = packet ? FUZZ_PACKET_SIZE : 0,
              .regions = region_mem ? &region : NULL, .region_count = region_mem ? 1 : 0,
              .max_insns = FUZZ_BUDGET);
    memset(&out->res, 0, sizeof(out->res));
    out->res.sz = sizeof(out->res);
    out->rc = ebpf_program_run(prog, &opts, &out->res);
    free(packet);
    free(region_mem);
    free(mem);
}

static void check_outcome(const run_outcome *o, size_t count)
{
    const struct ebpf_run_result *r = &o->res;
    if ((o->rc == 0) != (r->status == EBPF_RUN_OK))
        fuzz_fail("ebpf_program_run returned %d with status %d", o->rc, (int)r->status);
    if (o->rc > 0)
        fuzz_fail("ebpf_program_run returned positive %d", o->rc);
    if (r->insns_executed > FUZZ_BUDGET)
        fuzz_fail("%llu instructions executed with a budget of %u", (unsigned long long)r->insns_executed,
                  FUZZ_BUDGET);
    if (r->status != EBPF_RUN_OK && (r->fault_insn < -1 || r->fault_insn >= (int64_t)count))
        fuzz_fail("fault at instruction %lld of a %zu-slot program", (long long)r->fault_insn, count);
    if (memchr(r->message, 0, sizeof(r->message)) == NULL)
        fuzz_fail("result message is not NUL-terminated");
    if (ebpf_run_status_name(r->status) == NULL)
        fuzz_fail("status %d has no name", (int)r->status);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    uint8_t flags = data[0];
    size_t mem_size = data[1];
    if (mem_size > size - 2)
        mem_size = size - 2;
    const uint8_t *mem_init = data + 2;
    size_t code_bytes = size - 2 - mem_size;
    size_t count = code_bytes / sizeof(struct ebpf_insn);
    if (count > FUZZ_MAX_SLOTS)
        return 0;

    struct ebpf_insn *code = dup_exact(mem_init + mem_size, count * sizeof(struct ebpf_insn));
    const struct ebpf_helper helpers[] = {{.id = 5, .name = "unwind", .fn = helper_unwind, .user = NULL}};
    EBPF_OPTS(ebpf_program_opts, popts, .name = "fuzz", .helpers = helpers, .helper_count = 1,
              .reject_unreachable = flags & 1, .allow_uninit_regs = (flags & 2) != 0);
    struct ebpf_diag diag;
    memset(&diag, 0, sizeof(diag));
    ebpf_program *prog = ebpf_program_create(code, count, &popts, &diag);
    int err = prog ? 0 : errno;
    free(code);
    if (!prog) {
        if (err == EINVAL && diag.message[0] == 0)
            fuzz_fail("ebpf_program_create refused a program without a message");
        return 0;
    }

    run_outcome outcome;
    run_once(prog, flags, mem_init, mem_size, &outcome);
    check_outcome(&outcome, count);
    ebpf_program_free(prog);
    return 0;
}
