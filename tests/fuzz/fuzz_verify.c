/*
 * fuzz_verify.c - libFuzzer target: arbitrary bytecode -> vf_verify -> the checked interpreter.
 *
 * Input: byte 0 the context size N of an application-defined (GENERIC) program, byte 1 flags (bit 0
 * VF_UNPRIVILEGED), then the program (whole 8-byte slots, at most FUZZ_MAX_SLOTS). Code that
 * isa_validate refuses is dropped (the verifier's contract is structurally valid code).
 * Properties: vf_verify never crashes, hangs or trips a sanitizer, answers a known verdict with a
 * NUL-terminated message and, on refusal, an instruction inside the program; and a program it accepts,
 * run in the checked interpreter with r1 = an exactly sized N-byte context (so that ASan also sees a
 * byte past it), never stops on an out-of-bounds access or a call-depth overflow (a verifier bug).
 * No helpers are registered: a call ends the run (unknown helper), which is no memory fault.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ebpf/ebpf.h"
#include "fuzz_roundtrip.h"
#include "isa/isa.h"
#include "verifier/verifier.h"

#define FUZZ_MAX_SLOTS 4096u
#define FUZZ_BUDGET 100000u

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_result(const vf_result *res, size_t count)
{
    if (res->verdict != VF_ACCEPT && res->verdict != VF_REJECT && res->verdict != VF_ERROR)
        fuzz_fail("vf_verify gave verdict %d", (int)res->verdict);
    if (!memchr(res->message, 0, sizeof res->message))
        fuzz_fail("vf_verify's message is not NUL-terminated");
    if (res->verdict == VF_REJECT && (res->insn < -1 || res->insn >= (int64_t)count))
        fuzz_fail("vf_verify refused instruction %lld of a %zu-slot program", (long long)res->insn, count);
}

static void run_accepted(const isa_slot *code, size_t count, size_t ctx_size)
{
    struct ebpf_diag diag = { 0 };
    EBPF_OPTS(ebpf_program_opts, popts, .name = "fuzz_verify", .allow_uninit_regs = true);
    ebpf_program *prog = ebpf_program_create((const struct ebpf_insn *)code, count, &popts, &diag);
    if (!prog)
        return; /* e.g. a helper call: raw programs here get no helpers */
    uint8_t *ctx = ctx_size ? malloc(ctx_size) : NULL;
    if (ctx_size && !ctx)
        abort();
    if (ctx)
        memset(ctx, 0xa5, ctx_size);
    EBPF_OPTS(ebpf_run_opts, ropts, .mode = EBPF_EXEC_CHECKED, .mem = ctx, .mem_size = ctx_size,
              .max_insns = FUZZ_BUDGET);
    struct ebpf_run_result res = { .sz = sizeof res };
    ebpf_program_run(prog, &ropts, &res);
    if (res.status == EBPF_RUN_OUT_OF_BOUNDS || res.status == EBPF_RUN_CALL_DEPTH)
        fuzz_fail("VERIFIER BUG: vf_verify accepted a %zu-slot program (context %zu bytes) that stopped with "
                  "'%s': %s", count, ctx_size, ebpf_run_status_name(res.status), res.message);
    free(ctx);
    ebpf_program_free(prog);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2 + sizeof(isa_slot))
        return 0;
    size_t ctx_size = data[0];
    uint32_t flags = (data[1] & 1) ? VF_UNPRIVILEGED : 0;
    size_t count = (size - 2) / sizeof(isa_slot);
    if (count > FUZZ_MAX_SLOTS)
        return 0;
    isa_slot *code = malloc(count * sizeof *code);
    if (!code)
        abort();
    memcpy(code, data + 2, count * sizeof *code);
    ebpf_diag diag = { 0 };
    isa_validate_opts vopts = { 0 };
    if (isa_validate(code, count, &vopts, &diag) == 0) {
        vf_input in = { .prog_type = 0x1000u /* GENERIC */, .ctx_size = (uint32_t)ctx_size, .code = code,
                        .count = count, .flags = flags };
        vf_result res;
        memset(&res, 0, sizeof res);
        int rc = vf_verify(&in, &res);
        if (rc != 0 && rc != -ENOMEM)
            fuzz_fail("vf_verify returned %d", rc);
        if (rc == 0)
            check_result(&res, count);
        vf_result_free(&res);
        if (rc == 0 && res.verdict == VF_ACCEPT)
            run_accepted(code, count, ctx_size);
    }
    free(code);
    return 0;
}
