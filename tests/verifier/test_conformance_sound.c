/*
 * test_conformance_sound.c - a soundness spot check: every program of the bpf_conformance suite that the
 * verifier accepts as a GENERIC program (r1 = its input memory as a read-only context of that size; no
 * memory: no readable context) must run in the checked interpreter without a fault: no out-of-bounds
 * access, no budget exhaustion (loops were proven to terminate), no call-depth overflow. Programs that
 * call helpers are left out (the suite's helper ids mean other things than Linux's). Prints how many
 * were accepted; fails on any fault of an accepted program. SKIPPED (exit 77) without the suite.
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

static bool calls_anything(const isa_insn *insns, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (insns[i].id != ISA_SLOT_TAIL && isa_is_call(&insns[i]) && insns[i].id != ISA_CALL_LOCAL)
            return true;
    return false;
}

int main(void)
{
    char **paths = NULL;
    int count = conf_list_dir(EBPF_CONFORMANCE_DIR, &paths);
    if (count <= 0) {
        printf("SKIPPED: no bpf_conformance tests at %s\n", EBPF_CONFORMANCE_DIR);
        return 77;
    }
    int accepted = 0, refused = 0, skipped = 0, faults = 0;
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
        isa_insn *insns = calloc((size_t)n, sizeof *insns);
        isa_validate_opts vo = {.allow_pseudo_lddw = false};
        if (!insns || isa_validate_decoded(slots, (size_t)n, &vo, insns, &diag) < 0 || calls_anything(insns, (size_t)n)) {
            skipped++;
            free(insns);
            free(code);
            conf_test_free(&t);
            continue;
        }
        vf_input in = {.prog_type = ABI_PROG_GENERIC, .ctx_size = (uint32_t)t.mem_size, .code = slots,
                       .count = (size_t)n};
        vf_result res;
        if (vf_verify(&in, &res) < 0 || res.verdict != VF_ACCEPT) {
            refused++;
            if (getenv("VF_SHOW_REFUSED"))
                printf("refused %s: insn %lld: %s\n", paths[i], (long long)res.insn, res.message);
        } else {
            accepted++;
            interp_code *ic = interp_prepare(insns, (size_t)n, NULL, &diag);
            uint8_t *mem = malloc(t.mem_size ? t.mem_size : 1);
            if (ic && mem) {
                if (t.mem_size)
                    memcpy(mem, t.mem, t.mem_size);
                exec_region region = {(uintptr_t)mem, t.mem_size, false};
                exec_request req;
                memset(&req, 0, sizeof req);
                req.args[0] = t.mem_size ? (uint64_t)(uintptr_t)mem : 0;
                req.regions = t.mem_size ? &region : NULL;
                req.region_count = t.mem_size ? 1 : 0;
                exec_outcome out;
                memset(&out, 0, sizeof out);
                interp_run_checked(ic, &req, &out);
                if (out.status != EBPF_RUN_OK) {
                    printf("FAULT %s: accepted, but the checked run stopped at insn %lld: %s\n", paths[i],
                           (long long)out.fault_pc, out.message);
                    faults++;
                }
            }
            interp_free(ic);
            free(mem);
        }
        vf_result_free(&res);
        free(insns);
        free(code);
        conf_test_free(&t);
    }
    conf_free_list(paths, count);
    printf("conformance programs: %d accepted (each ran without a fault: %s), %d refused, %d skipped\n", accepted,
           faults ? "NO" : "yes", refused, skipped);
    return faults ? 1 : 0;
}
