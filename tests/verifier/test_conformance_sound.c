/*
 * test_conformance_sound.c - a soundness spot check: every program of the bpf_conformance suite that the
 * verifier accepts as a GENERIC program (r1 = its input memory as a read-only context of that size; no
 * memory: no readable context) must run in the checked interpreter without a fault: no out-of-bounds
 * access, no budget exhaustion (loops were proven to terminate), no call-depth overflow. Programs that
 * call helpers are left out (the suite's helper ids mean other things than Linux's). The same for
 * MUTANTS random mutants of each accepted program (a register, an offset or an immediate changed).
 * Prints how many were accepted; fails on any fault of an accepted program. SKIPPED (exit 77) without
 * the suite.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conformance_data.h"
#include "exec/exec.h"
#include "exec/interp/interp.h"
#include "isa/isa.h"
#include "abi/abi_prog.h"
#include "verifier/verifier.h"

#define MUTANTS 24

static bool calls_anything(const isa_insn *insns, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (insns[i].id != ISA_SLOT_TAIL && isa_is_call(&insns[i]) && insns[i].id != ISA_CALL_LOCAL)
            return true;
    return false;
}

static uint64_t rng = 20261125;

static uint32_t rnd(void)
{
    rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)(rng >> 33);
}

/* Verifies code as GENERIC over mem; when accepted, runs it checked. Returns -1 refused/invalid, 0 ran
 * cleanly, 1 faulted (printed). */
static int check_one(const char *name, const isa_slot *slots, size_t n, const uint8_t *tmem, size_t mem_size)
{
    isa_insn *insns = calloc(n, sizeof *insns);
    ebpf_diag diag;
    memset(&diag, 0, sizeof diag);
    isa_validate_opts vo = {.allow_pseudo_lddw = false};
    int rc = -1;
    if (!insns || isa_validate_decoded(slots, n, &vo, insns, &diag) < 0 || calls_anything(insns, n)) {
        free(insns);
        return -1;
    }
    vf_input in = {.prog_type = ABI_PROG_GENERIC, .ctx_size = (uint32_t)mem_size, .code = slots, .count = n};
    vf_result res;
    if (vf_verify(&in, &res) == 0 && res.verdict == VF_ACCEPT) {
        rc = 0;
        interp_code *ic = interp_prepare(insns, n, NULL, &diag);
        uint8_t *mem = malloc(mem_size ? mem_size : 1);
        if (ic && mem) {
            if (mem_size)
                memcpy(mem, tmem, mem_size);
            exec_region region = {(uintptr_t)mem, mem_size, false};
            exec_request req;
            memset(&req, 0, sizeof req);
            req.args[0] = mem_size ? (uint64_t)(uintptr_t)mem : 0;
            req.regions = mem_size ? &region : NULL;
            req.region_count = mem_size ? 1 : 0;
            req.max_insns = 1u << 24;
            exec_outcome out;
            memset(&out, 0, sizeof out);
            interp_run_checked(ic, &req, &out);
            /* a proven bound may still exceed the run budget: only memory and call faults count */
            if (out.status != EBPF_RUN_OK && out.status != EBPF_RUN_BUDGET) {
                printf("FAULT %s: accepted, but the checked run stopped at insn %lld: %s\n", name,
                       (long long)out.fault_pc, out.message);
                rc = 1;
            }
        }
        interp_free(ic);
        free(mem);
    } else if (getenv("VF_SHOW_REFUSED")) {
        printf("refused %s: insn %lld: %s\n", name, (long long)res.insn, res.message);
    }
    vf_result_free(&res);
    free(insns);
    return rc;
}


int main(void)
{
    char **paths = NULL;
    int count = conf_list_dir(EBPF_CONFORMANCE_DIR, &paths);
    if (count <= 0) {
        printf("SKIPPED: no bpf_conformance tests at %s\n", EBPF_CONFORMANCE_DIR);
        return 77;
    }
    int accepted = 0, refused = 0, skipped = 0, faults = 0, mutants_accepted = 0;
    for (int i = 0; i < count; i++) {
        conf_test t;
        if (conf_test_load(paths[i], &t) < 0)
            continue;
        struct ebpf_insn *code = NULL;
        struct ebpf_diag diag;
        memset(&diag, 0, sizeof diag);
        int n = conf_test_skip_reason(&t) ? 0 : conf_test_program(&t, &code, &diag);
        if (n <= 0) {
            skipped++;
            conf_test_free(&t);
            free(code);
            continue;
        }
        const isa_slot *slots = (const isa_slot *)code;
        int r = check_one(paths[i], slots, (size_t)n, t.mem, t.mem_size);
        if (r < 0) {
            refused++;
        } else {
            accepted++;
            faults += r;
            /* mutants of an accepted program: each one the verifier accepts must run cleanly too */
            isa_slot *m = malloc((size_t)n * sizeof *m);
            for (int k = 0; m && k < MUTANTS; k++) {
                memcpy(m, slots, (size_t)n * sizeof *m);
                isa_slot *x = &m[rnd() % (uint32_t)n];
                switch (rnd() % 4) {
                case 0: x->dst = rnd() % 11; break;
                case 1: x->src = rnd() % 11; break;
                case 2: x->off = (int16_t)(x->off + (int)(rnd() % 17) - 8); break;
                default: x->imm = (rnd() & 1) ? (int32_t)rnd() : (int32_t)((uint32_t)x->imm + rnd() % 9 - 4); break;
                }
                int mr = check_one(paths[i], m, (size_t)n, t.mem, t.mem_size);
                if (mr >= 0)
                    mutants_accepted++;
                if (mr > 0)
                    faults++;
            }
            free(m);
        }
        free(code);
        conf_test_free(&t);
    }
    conf_free_list(paths, count);
    printf("conformance programs: %d accepted, %d refused, %d skipped; %d mutants accepted; faults of accepted "
           "programs: %d\n", accepted, refused, skipped, mutants_accepted, faults);
    return faults ? 1 : 0;
}
