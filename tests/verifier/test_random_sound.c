/*
 * test_random_sound.c - a soundness check by random testing: PROGRAMS random programs (seeded; set
 * VF_TEST_SEED=<n> to change it, VF_TEST_COUNT=<n> for more; VF_SHOW_REFUSED=1 prints refusals) built
 * from moves, 32- and 64-bit ALU operations on r0-r5, stack pointers in r7 with computed offsets, loads and stores of every size through them and
 * through the context, forward branches and small counted loops. Each is verified as a GENERIC program
 * over a 64-byte read-only context; every accepted one runs in the checked interpreter, which must not
 * report an out-of-bounds access or a call-depth fault. Prints how many were accepted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi/abi_prog.h"
#include "exec/exec.h"
#include "exec/interp/interp.h"
#include "isa/isa.h"
#include "verifier/verifier.h"

#define PROGRAMS 10000
#define MAX_SLOTS 72
#define CTX_SIZE 64

static uint64_t rng;

static uint32_t rnd(void)
{
    rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)(rng >> 33);
}

static int pick(int n)
{
    return (int)(rnd() % (uint32_t)n);
}

static const uint8_t alu_ops[] = {0x00, 0x10, 0x20, 0x40, 0x50, 0x60, 0x70, 0xa0, 0xc0};
static const uint8_t jmp_ops[] = {0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0xa0, 0xb0, 0xc0, 0xd0};
static const uint8_t sizes[] = {0x00, 0x08, 0x10, 0x18}; /* W H B DW */

static isa_slot slot(uint8_t op, int dst, int src, int off, int32_t imm)
{
    isa_slot s = {op, (uint8_t)dst, (uint8_t)src, (int16_t)off, imm};
    return s;
}

/* A random program of n slots ending in exit. */
static size_t generate(isa_slot *p)
{
    size_t n = 0;
    int body = 24 + pick(MAX_SLOTS - 24);
    p[n++] = slot(0xbf, 6, 1, 0, 0); /* r6 = ctx (kept) */
    for (int r = 0; r <= 5; r++)
        p[n++] = slot(0xb7, r, 0, 0, pick(200) - 20);
    p[n++] = slot(0xbf, 7, 10, 0, 0);
    for (int o = 1; o <= 8; o++) /* r10-64..r10 initialised */
        p[n++] = slot(0x7a, 10, 0, -8 * o, pick(100));
    while ((int)n < body) {
        int d = pick(6), s = pick(6);
        switch (pick(12)) {
        case 0: p[n++] = slot(0xb7, d, 0, 0, pick(1200) - 600); break;
        case 1: p[n++] = slot(0xbf, d, s, 0, 0); break;
        case 2: p[n++] = slot((uint8_t)(alu_ops[pick(9)] | 0x07), d, 0, 0, pick(64) - 8); break;
        case 3: p[n++] = slot((uint8_t)(alu_ops[pick(9)] | (pick(2) ? 0x0f : 0x0c)), d, s, 0, 0); break;
        case 4: /* r7: a stack pointer with a constant, sometimes also a masked variable, offset */
            p[n++] = slot(0xbf, 7, 10, 0, 0);
            p[n++] = slot(0x07, 7, 0, 0, -8 * (1 + pick(pick(4) ? 9 : 66)));
            if (pick(3) == 0) {
                p[n++] = slot(0x57, s, 0, 0, pick(2) ? 7 : 15); /* s &= 7 or 15 */
                p[n++] = slot(0x0f, 7, s, 0, 0);
            }
            break;
        case 5: { /* load through r10 or r7 */
            int sz = pick(4), w = sz == 3 ? 8 : sz == 0 ? 4 : sz == 1 ? 2 : 1;
            p[n++] = slot((uint8_t)(0x61 | sizes[sz]), d, pick(2) ? 10 : 7, -w * pick(72 / w + 1) + (pick(8) == 0), 0);
            break;
        }
        case 6: { /* store of a register (a number, or sometimes a pointer) through r10 or r7 */
            int sz = pick(4), w = sz == 3 ? 8 : sz == 0 ? 4 : sz == 1 ? 2 : 1;
            p[n++] = slot((uint8_t)(0x63 | sizes[sz]), pick(2) ? 10 : 7, pick(8) ? s : 7, -w * pick(72 / w + 1), 0);
            break;
        }
        case 7: p[n++] = slot((uint8_t)(0x62 | sizes[pick(4)]), pick(2) ? 10 : 7, 0, -8 * pick(10), pick(100)); break;
        case 8: { /* context read, mostly aligned */
            int sz = pick(4), w = sz == 3 ? 8 : sz == 0 ? 4 : sz == 1 ? 2 : 1;
            p[n++] = slot((uint8_t)(0x61 | sizes[sz]), d, 6, w * pick(CTX_SIZE / w + 1) + (pick(8) == 0), 0);
            break;
        }
        case 9: { /* forward branch */
            int skip = 1 + pick(4);
            uint8_t op = (uint8_t)(jmp_ops[pick(11)] | (pick(2) ? 0x05 : 0x0d));
            p[n++] = slot(op, d, (op & 0x08) ? s : 0, skip, pick(600) - 100);
            break;
        }
        case 10: { /* a counted loop storing into a stack array */
            int bound = 1 + pick(12);
            p[n++] = slot(0xb7, 5, 0, 0, 0);
            p[n++] = slot(0xbf, 4, 5, 0, 0);             /* L: r4 = r5 */
            p[n++] = slot(0x67, 4, 0, 0, 3);             /* r4 <<= 3 */
            p[n++] = slot(0xbf, 3, 10, 0, 0);            /* r3 = r10 */
            p[n++] = slot(0x07, 3, 0, 0, -8 * (bound + pick(3))); /* may be one slot too low */
            p[n++] = slot(0x0f, 3, 4, 0, 0);             /* r3 += r4 */
            p[n++] = slot(0x7a, 3, 0, pick(2) ? 0 : 8, 7);  /* *(u64 *)(r3 + 0|8) = 7 */
            p[n++] = slot(0x07, 5, 0, 0, 1);
            p[n++] = slot(0xa5, 5, 0, -8, bound);        /* if r5 < bound goto L */
            break;
        }
        default: p[n++] = slot((uint8_t)(pick(2) ? 0x84 : 0x87), d, 0, 0, 0); break; /* neg of r0..r5 */
        }
    }
    /* forward branches may not jump past the exit */
    for (size_t i = 0; i < n; i++)
        if ((p[i].opcode & 0x07) == 0x05 || (p[i].opcode & 0x07) == 0x06)
            if (p[i].off > 0 && i + 1 + (size_t)p[i].off > n)
                p[i].off = (int16_t)(n - i - 1);
    p[n++] = slot(0x95, 0, 0, 0, 0);
    return n;
}

int main(void)
{
    const char *seed = getenv("VF_TEST_SEED"), *count = getenv("VF_TEST_COUNT");
    rng = seed ? strtoull(seed, NULL, 0) : 20261125;
    long programs = count ? atol(count) : PROGRAMS;
    printf("seed %llu\n", (unsigned long long)rng);
    isa_slot p[MAX_SLOTS + 16];
    isa_insn insns[MAX_SLOTS + 16];
    uint8_t ctx[CTX_SIZE];
    long accepted = 0, ran = 0, faults = 0;
    for (long k = 0; k < programs; k++) {
        size_t n = generate(p);
        ebpf_diag diag;
        if (isa_validate_decoded(p, n, NULL, insns, &diag) < 0)
            continue;
        vf_input in = {.prog_type = ABI_PROG_GENERIC, .ctx_size = CTX_SIZE, .code = p, .count = n};
        vf_result res;
        if (vf_verify(&in, &res) < 0 || res.verdict != VF_ACCEPT) {
            if (getenv("VF_SHOW_REFUSED"))
                printf("refused: %s\n", res.message);
            vf_result_free(&res);
            continue;
        }
        vf_result_free(&res);
        accepted++;
        interp_code *ic = interp_prepare(insns, n, NULL, &diag);
        if (!ic)
            continue;
        for (int i = 0; i < CTX_SIZE; i++)
            ctx[i] = (uint8_t)rnd();
        exec_region region = {(uintptr_t)ctx, CTX_SIZE, false};
        exec_request req;
        memset(&req, 0, sizeof req);
        req.args[0] = (uint64_t)(uintptr_t)ctx;
        req.regions = &region;
        req.region_count = 1;
        req.max_insns = 1u << 20;
        exec_outcome out;
        memset(&out, 0, sizeof out);
        interp_run_checked(ic, &req, &out);
        ran++;
        if (out.status != EBPF_RUN_OK && out.status != EBPF_RUN_BUDGET) {
            char *text = NULL;
            isa_disasm_program(p, n, &text, &diag);
            printf("FAULT program %ld: accepted, but the checked run stopped at insn %lld: %s\n%s\n", k,
                   (long long)out.fault_pc, out.message, text ? text : "");
            free(text);
            faults++;
        }
        interp_free(ic);
    }
    printf("%ld random programs: %ld accepted, %ld run, %ld faults\n", programs, accepted, ran, faults);
    return faults ? 1 : 0;
}
