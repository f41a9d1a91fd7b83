/*
 * sound_object.c - the soundness check of one object (sound_object.h): verdicts from vf_verify, runs
 * through sound_run, mutants from sound_mutate patched into the image (sound_mutant.h).
 */
#include "sound_object.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "isa/isa.h"
#include "sound_mutant.h"
#include "sound_run.h"
#include "sound_verify.h"

typedef struct job_ctx {
    const sound_config *cfg;
    sound_tally *t;
    const char *path;
    unsigned long next_job;
} job_ctx;

/* Announces the next job; false when an earlier attempt crashed in it (it is not run again). */
static bool job_start(job_ctx *j, const char *prog, const char *mutation, bool audit)
{
    unsigned long n = j->next_job++;
    for (size_t i = 0; i < j->cfg->skip_count; i++)
        if (j->cfg->skip_jobs[i] == n)
            return false;
    fprintf(stderr, "SOUND_JOB %lu %s %s / %s%s%s\n", n, audit ? "audit" : "accepted", j->path, prog,
            mutation ? " / mutant " : "", mutation ? mutation : "");
    fflush(stderr);
    return true;
}

static void print_bug(const char *path, const char *prog, const char *mutation, const sound_stats *st)
{
    printf("VERIFIER BUG: %s / %s%s%s\n", path, prog, mutation ? " / mutant " : "", mutation ? mutation : "");
    printf("      vf_verify accepted it, yet %u of %u checked runs faulted (%u uninitialised reads); first: %s at "
           "instruction %lld: %s\n", st->faults, st->runs, st->uninit, st->fault_status, (long long)st->fault_insn,
           st->fault_message);
    sound_print_input(&st->fault_input, 96);
}

static void mutants_of(job_ctx *j, const sound_obj *o, const elf_program *p, size_t index)
{
    const sound_config *cfg = j->cfg;
    sound_tally *t = j->t;
    sound_mutant m;
    if (!sound_mutant_init(&m, o, p)) {
        sound_mutant_free(&m);
        return;
    }
    size_t count = p->insn_count;
    for (unsigned k = 0; k < cfg->mutants; k++) {
        sound_rng r = sound_fork(cfg->seed, sound_hash(j->path) ^ (k + 1) * 0x9e37u, sound_hash(p->name) + index);
        sound_op op = (sound_op)((k + sound_below(&r, SOUND_OP_COUNT)) % SOUND_OP_COUNT);
        char desc[200];
        if (sound_mutate(p->insns, count, op, &r, m.code, desc, sizeof desc) < 0 ||
            sound_same_code(m.code, p->insns, count)) {
            t->n[T_M_NOSITE]++;
            continue;
        }
        if (!sound_valid_code(m.code, count)) {
            t->n[T_M_INVALID]++;
            continue;
        }
        vf_result res;
        bool accepted = sound_verify(o, p, m.code, &res) == VF_ACCEPT;
        if (!accepted) {
            t->n[T_M_REFUSED]++;
            t->n[T_OP + 3 * op]++;
            if (t->n[T_AUDIT_RUNS] >= cfg->audit)
                continue;
        }
        if (!sound_mutant_patch(&m, o, p, index)) {
            t->n[T_M_UNPATCHABLE] += accepted;
            continue;
        }
        if (!job_start(j, p->name, desc, !accepted)) {
            if (accepted) {
                t->n[T_M_CRASH]++;
                t->n[T_BUGS]++;
            }
            continue; /* an audit run that crashed: the refusal was right */
        }
        sound_stats st;
        char skip[200];
        bool ran = sound_run_image(m.image, o->size, p->name, &r, cfg->mutant_runs, &st, skip, sizeof skip);
        if (!accepted) {
            t->n[T_AUDIT_RUNS] += ran;
            t->n[T_AUDIT_FAULTS] += ran && st.faults;
            t->n[T_AUDIT_UNINIT] += ran && st.uninit;
        } else if (!ran) {
            t->n[T_M_UNRUNNABLE]++;
            sound_reason_add(&t->m_skips, skip, 1);
        } else if (st.faults) {
            t->n[T_M_FAULT]++;
            t->n[T_OP + 3 * op + 2]++;
            t->n[T_BUGS]++;
            t->n[T_UNINIT_BUGS] += st.uninit > 0;
            print_bug(j->path, p->name, desc, &st);
        } else {
            t->n[T_M_CLEAN]++;
            t->n[T_OP + 3 * op + 1]++;
        }
    }
    sound_mutant_free(&m);
}

static void program(job_ctx *j, const sound_obj *o, size_t index)
{
    sound_tally *t = j->t;
    const elf_program *p = elf_object_program(o->elf, index);
    t->n[T_PROGRAMS]++;
    ebpf_diag diag = { 0 };
    if (elf_program_check(p, &diag) != 0) {
        t->n[T_NOT_LOADABLE]++;
        sound_reason_add(&t->skips, diag.message, 1);
        return;
    }
    vf_result res;
    vf_verdict v = sound_verify(o, p, NULL, &res);
    if (j->cfg->verbose)
        printf("  %s / %s: %s %s\n", j->path, p->name,
               v == VF_ACCEPT ? "accepted" : v == VF_REJECT ? "refused:" : "error:", res.message);
    if (v != VF_ACCEPT) {
        t->n[T_REFUSED] += v == VF_REJECT;
        t->n[T_ERRORS] += v == VF_ERROR;
        return;
    }
    t->n[T_ACCEPTED]++;
    sound_rng r = sound_fork(j->cfg->seed, sound_hash(j->path), sound_hash(p->name) + index);
    sound_stats st;
    char skip[200];
    if (!job_start(j, p->name, NULL, false)) {
        t->n[T_CRASHES]++;
        t->n[T_BUGS]++;
    } else if (!sound_run_image(o->image, o->size, p->name, &r, j->cfg->runs, &st, skip, sizeof skip)) {
        t->n[T_SKIPPED]++;
        sound_reason_add(&t->skips, skip, 1);
        if (j->cfg->verbose)
            printf("  %s / %s: not run: %s\n", j->path, p->name, skip);
        return; /* its mutants could not run either */
    } else {
        t->n[T_RAN]++;
        t->n[T_RUNS] += st.runs, t->n[T_CLEAN] += st.clean, t->n[T_BUDGET] += st.budget;
        t->n[T_UNSUPPORTED] += st.unsupported, t->n[T_REFUSED_INPUT] += st.refused_input;
        if (st.faults) {
            t->n[T_BUGS]++;
            t->n[T_UNINIT_BUGS] += st.uninit > 0;
            print_bug(j->path, p->name, NULL, &st);
        }
    }
    mutants_of(j, o, p, index);
}

void sound_object_check(const char *path, const sound_config *cfg, sound_tally *t)
{
    job_ctx j = { cfg, t, path, 0 };
    sound_obj o;
    char why[200];
    t->n[T_OBJECTS]++;
    if (sound_obj_open(path, &o, why, sizeof why) != 0) {
        t->n[T_UNOPENED]++;
        if (cfg->verbose)
            printf("  %s: not opened: %s\n", path, why);
        return;
    }
    for (size_t i = 0; i < elf_object_program_count(o.elf); i++)
        program(&j, &o, i);
    sound_obj_close(&o);
}

unsigned sound_detector(const char *path, const char *name, const sound_config *cfg, unsigned runs,
                        unsigned *mutants)
{
    sound_obj o;
    char why[200];
    unsigned faulted = 0;
    *mutants = 0;
    if (sound_obj_open(path, &o, why, sizeof why) != 0)
        return 0;
    const elf_program *p = NULL;
    size_t index = 0;
    for (; index < elf_object_program_count(o.elf); index++)
        if (strcmp((p = elf_object_program(o.elf, index))->name, name) == 0)
            break;
    sound_mutant m;
    if (index < elf_object_program_count(o.elf) && sound_mutant_init(&m, &o, p)) {
        for (size_t pc = 0; pc < p->insn_count; pc++) {
            sound_rng r = sound_fork(cfg->seed, sound_hash(path), pc);
            char desc[200], skip[200];
            sound_stats st;
            if (sound_mutate_at(p->insns, p->insn_count, SOUND_OP_GUARD_FALL, pc, &r, m.code, desc, sizeof desc) < 0 ||
                !sound_valid_code(m.code, p->insn_count) || !sound_mutant_patch(&m, &o, p, index))
                continue;
            (*mutants)++;
            bool ran = sound_run_image(m.image, o.size, name, &r, runs, &st, skip, sizeof skip);
            faulted += ran && st.faults;
            if (cfg->verbose)
                printf("  detector: %s: %s\n", desc, !ran ? skip : st.faults ? st.fault_message : "no fault");
        }
    }
    if (index < elf_object_program_count(o.elf))
        sound_mutant_free(&m);
    sound_obj_close(&o);
    return faulted;
}
