/*
 * diff_check.c - the verdict on one generated program. Our runtime must accept it, run it to exit in
 * both modes, and produce the kernel's r0; the kernel must accept it (a refusal means the generator
 * emitted something outside the verifier's rules, which is counted as a failure of the test).
 * A failure report is composed in memory and written with one call, so that reports of parallel
 * worker processes do not interleave.
 */
#define _GNU_SOURCE
#include "diff_check.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff_report.h"
#include "ebpf/ebpf.h"

#define DIFF_OUR_BUDGET 10000000ull
#define DIFF_LOG_TAIL 1500

/* What our runtime said about one program. */
typedef struct our_result {
    bool created;
    struct ebpf_diag diag;
    struct ebpf_run_result checked, fast;
    int checked_rc, fast_rc;
} our_result;

static void run_ours(const diff_prog *prog, our_result *out)
{
    memset(out, 0, sizeof(*out));
    EBPF_OPTS(ebpf_program_opts, popts, .name = "diff", .reject_unreachable = true);
    ebpf_program *p = ebpf_program_create(prog->insns, prog->count, &popts, &out->diag);
    if (!p)
        return;
    out->created = true;
    EBPF_OPTS(ebpf_run_opts, checked, .mode = EBPF_EXEC_CHECKED, .max_insns = DIFF_OUR_BUDGET);
    EBPF_OPTS(ebpf_run_opts, fast, .mode = EBPF_EXEC_FAST);
    out->checked.sz = sizeof(out->checked);
    out->fast.sz = sizeof(out->fast);
    out->checked_rc = ebpf_program_run(p, &checked, &out->checked);
    out->fast_rc = ebpf_program_run(p, &fast, &out->fast);
    ebpf_program_free(p);
}

static bool ours_ok(int rc, const struct ebpf_run_result *r)
{
    return rc == 0 && r->status == EBPF_RUN_OK;
}

static void print_run(FILE *out, const char *mode, int rc, const struct ebpf_run_result *r)
{
    if (ours_ok(rc, r))
        fprintf(out, "#   ours %-7s r0 = 0x%016" PRIx64 "\n", mode, r->r0);
    else
        fprintf(out, "#   ours %-7s stopped: rc %d, %s at insn %" PRId64 ": %s\n", mode, rc,
                ebpf_run_status_name(r->status), r->fault_insn, r->message);
}

static void report_failure(FILE *out, const diff_config *cfg, uint64_t index, const char *what,
                           const diff_prog *prog, const our_result *ours, diff_kernel_status ks, uint64_t kr0,
                           const char *klog)
{
    fprintf(out, "\n# FAIL %s: seed %" PRIu64 " program %" PRIu64 " (%zu slots)\n", what, cfg->seed, index,
            prog->count);
    fprintf(out, "#   reproduce: diff_kernel --seed %" PRIu64 " --only %" PRIu64 " --body %u%s%s\n", cfg->seed,
            index, cfg->gen.body_insns, cfg->gen.loops ? "" : " --no-loops", cfg->gen.v4 ? "" : " --no-v4");
    if (ks == DIFF_KERNEL_OK)
        fprintf(out, "#   kernel       r0 = 0x%016" PRIx64 "\n", kr0);
    else
        fprintf(out, "#   kernel %s\n", ks == DIFF_KERNEL_REFUSED ? "REFUSED the program (log tail below)"
                                                                 : "failed (reason below)");
    if (!ours->created) {
        fprintf(out, "#   ours REFUSED the program: %s (insn %" PRId64 ")\n", ours->diag.message,
                ours->diag.insn);
    } else {
        print_run(out, "checked", ours->checked_rc, &ours->checked);
        print_run(out, "fast", ours->fast_rc, &ours->fast);
    }
    diff_report_program(out, prog, ks == DIFF_KERNEL_OK, kr0);
    if (ks != DIFF_KERNEL_OK && klog) {
        size_t len = strlen(klog);
        fprintf(out, "# ---- kernel log tail ----\n%s\n", len > DIFF_LOG_TAIL ? klog + len - DIFF_LOG_TAIL : klog);
    }
}

/* Prints through a memory stream and one fwrite. */
static void emit_failure(const diff_config *cfg, uint64_t index, const char *what, const diff_prog *prog,
                         const our_result *ours, diff_kernel_status ks, uint64_t kr0, const char *klog)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    if (!mem) {
        report_failure(stdout, cfg, index, what, prog, ours, ks, kr0, klog);
    } else {
        report_failure(mem, cfg, index, what, prog, ours, ks, kr0, klog);
        fclose(mem);
        fwrite(buf, 1, len, stdout);
        free(buf);
    }
    fflush(stdout);
}

void diff_check_one(const diff_config *cfg, diff_kernel *k, uint64_t index, diff_stats *st)
{
    static diff_prog prog;
    diff_rng rng;
    diff_rng_init(&rng, cfg->seed, index);
    diff_gen_program(&rng, &cfg->gen, &prog);
    st->slots += prog.count;

    our_result ours;
    run_ours(&prog, &ours);
    uint64_t kr0 = 0;
    diff_kernel_status ks = diff_kernel_run(k, &prog, &kr0);

    const char *what = NULL;
    if (ks == DIFF_KERNEL_REFUSED)
        what = "kernel refused (generator bug)", st->kernel_refusals++;
    else if (ks == DIFF_KERNEL_ERROR)
        what = "kernel error", st->kernel_errors++;
    else if (!ours.created)
        what = "our runtime refused", st->our_refusals++;
    else if (!ours_ok(ours.checked_rc, &ours.checked) || !ours_ok(ours.fast_rc, &ours.fast))
        what = "our run stopped early", st->our_faults++;
    else if (ours.checked.r0 != kr0 || ours.fast.r0 != kr0)
        what = "r0 mismatch", st->mismatches++;

    if (cfg->verbose) {
        printf("program %" PRIu64 ": %zu slots, kernel 0x%016" PRIx64 ", checked 0x%016" PRIx64
               ", fast 0x%016" PRIx64 "%s%s\n", index, prog.count, kr0, ours.checked.r0, ours.fast.r0,
               what ? " FAIL: " : "", what ? what : "");
        if (cfg->listing && !what)
            diff_report_program(stdout, &prog, ks == DIFF_KERNEL_OK, kr0);
    }
    if (!what) {
        st->passed++;
        return;
    }
    st->failed++;
    if (st->failed <= cfg->max_report)
        emit_failure(cfg, index, what, &prog, &ours, ks, kr0, k->log);
    else if (st->failed == cfg->max_report + 1)
        printf("# (further failures counted, not printed; use --max-report)\n");
}

void diff_stats_add(diff_stats *a, const diff_stats *b)
{
    a->passed += b->passed;
    a->failed += b->failed;
    a->mismatches += b->mismatches;
    a->kernel_refusals += b->kernel_refusals;
    a->kernel_errors += b->kernel_errors;
    a->our_refusals += b->our_refusals;
    a->our_faults += b->our_faults;
    a->slots += b->slots;
    a->kernel_loads += b->kernel_loads;
    a->kernel_runs += b->kernel_runs;
}
