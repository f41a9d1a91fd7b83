/*
 * test_soundness.c - verifier.soundness: an accepted program must never fault in the checked
 * interpreter. For every program of the corpus (../shared/corpus, the objects of labels.tsv) and of
 * tests/progs (built by clang in the build tree) that vf_verify accepts:
 *
 *   1. load it through the public API, fill its maps with random entries and run it in checked mode
 *      on SOUND_RUNS random inputs (packets that parsers follow deep, random contexts);
 *   2. make SOUND_MUTANTS one-instruction mutants (sound_mutate.h); each mutant vf_verify accepts is
 *      patched into the ELF image, loaded and run on SOUND_MUTANT_RUNS random inputs.
 *
 * Any out-of-bounds access, uninitialised read (of a register or of a stack byte: the runs ask the
 * checked interpreter for that check), call-depth overflow or unknown-helper call of an accepted
 * program or mutant is a VERIFIER BUG, printed with object, program, mutation, input (hex) and the interpreter's
 * message, and the test fails. So is a run that crashes the process: helpers trust their pointer
 * arguments, so an accepted program that hands one a wild pointer crashes instead of faulting; each
 * object is therefore checked in a child process (this executable with --object), and after a crash
 * the object is checked again without the crashing job (sound_object.h).
 *
 * First, a detector check proves the harness can see faults at all: the guard-dropping mutants of
 * known packet parsers, run unverified, must fault (else the harness is blind and fails). Refused
 * mutants are also run (up to SOUND_AUDIT of them): how many of the refusals the runs confirm.
 *
 * Deterministic: SOUND_SEED (printed) fixes every input and mutant. Environment: SOUND_SEED,
 * SOUND_RUNS, SOUND_MUTANTS, SOUND_MUTANT_RUNS, SOUND_AUDIT, SOUND_FILTER (substring of object paths),
 * SOUND_VERBOSE. Arguments: corpus directory, tests/progs object directory (either may be missing;
 * both missing: SKIPPED, exit 77). One object in this process (to debug a crash): `verifier_soundness
 * --object PATH --skip ''` (the same seed and environment give the same jobs).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/platform.h"
#include "sound_dir.h"
#include "sound_object.h"
#include "sound_tally.h"

#define SOUND_MAX_CRASHES 64u  /* crashing jobs of one object before giving up on it */

static sound_config cfg;
static sound_tally total;
static const char *self;
static const char *filter;

static unsigned long env_num(const char *name, unsigned long dflt)
{
    const char *v = getenv(name);
    return v && *v ? strtoul(v, NULL, 0) : dflt;
}

/* The last "SOUND_JOB n kind what" line of a child's stderr: its number, and whether it was an audit. */
static bool last_job(const char *err, unsigned long *n, bool *audit, const char **what)
{
    const char *last = NULL;
    for (const char *p = err; (p = strstr(p, "SOUND_JOB ")) != NULL; p++)
        if (p == err || p[-1] == '\n')
            last = p;
    if (!last)
        return false;
    char *end;
    *n = strtoul(last + 10, &end, 10);
    *audit = strncmp(end, " audit", 6) == 0;
    *what = strchr(end + 1, ' ');
    *what = *what ? *what + 1 : end;
    return true;
}

/* Passes a child's stdout through, adding its tally lines into total. */
static void take_output(const char *out)
{
    const char *line = out;
    while (line && *line) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        char *copy = malloc(len + 1);
        if (copy) {
            memcpy(copy, line, len);
            copy[len] = '\0';
            if (!sound_tally_parse(&total, copy))
                printf("%s\n", copy);
            free(copy);
        }
        line = nl ? nl + 1 : NULL;
    }
}

/* Checks one object in child processes until an attempt finishes. */
static void object(const char *path)
{
    unsigned long skips[SOUND_MAX_CRASHES];
    size_t skip_count = 0;
    if (filter && !strstr(path, filter))
        return;
    for (;;) {
        char list[SOUND_MAX_CRASHES * 12 + 1] = "";
        for (size_t i = 0, at = 0; i < skip_count; i++)
            at += (size_t)snprintf(list + at, sizeof list - at, "%s%lu", i ? "," : "", skips[i]);
        char *argv[] = { (char *)self, "--object", (char *)path, "--skip", list, NULL };
        char *out = NULL, *err = NULL;
        int code = 0;
        int rc = plat_run_process(argv, NULL, 0, &out, &err, &code);
        if (rc == 0 && code == 0) {
            take_output(out);
            free(out);
            free(err);
            return;
        }
        unsigned long job;
        bool audit;
        const char *what;
        bool known = rc == 0 && err && last_job(err, &job, &audit, &what);
        if (!known || skip_count == SOUND_MAX_CRASHES) {
            printf("VERIFIER BUG?: checking %s failed (%s, exit %d) outside any run; stderr:\n%s\n", path,
                   rc ? "cannot start the child" : "crash", code, err ? err : "");
            total.n[T_BUGS]++;
            free(out);
            free(err);
            return;
        }
        if (!audit) {
            const char *nl = strchr(what, '\n');
            printf("VERIFIER BUG: %.*s\n      vf_verify accepted it, yet a checked run crashed the process "
                   "(exit %d): a helper was handed memory the checked interpreter does not confine (or the runtime "
                   "itself crashed: rerun with --object to see where)\n",
                   (int)(nl ? nl - what : (long)strlen(what)), what, code);
        }
        skips[skip_count++] = job;
        free(out);
        free(err);
    }
}

static void corpus_objects(const char *dir)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/labels.tsv", dir);
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    char line[1024], last[512] = "";
    if (!fgets(line, sizeof line, f)) { /* the header */
        fclose(f);
        return;
    }
    while (fgets(line, sizeof line, f)) {
        char *tab = strchr(line, '\t');
        if (!tab)
            continue;
        *tab = '\0';
        if (strcmp(line, last) == 0 || strlen(line) >= sizeof last || strlen(dir) + strlen(line) + 2 > sizeof path)
            continue;
        memcpy(last, line, strlen(line) + 1);
        memcpy(path + strlen(dir) + 1, line, strlen(line) + 1); /* path still holds "dir/labels.tsv" */
        object(path);
    }
    fclose(f);
}

static void progs_object(const char *path, const char *name, void *user)
{
    (void)name, (void)user;
    object(path);
}

/* Guard-dropping mutants of known parsers, run unverified, must fault: else the harness is blind. */
static int detector_check(const char *corpus, const char *progs)
{
    char a[1024], b[1024];
    snprintf(a, sizeof a, "%s/build/packet_access.o", corpus);
    snprintf(b, sizeof b, "%s/xdp_dns_drop.bpf.o", progs);
    const struct { const char *path, *program; } known[] = { { a, "test_packet_access" }, { b, "xdp_dns_drop" } };
    int seen = 0, tried = 0;
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        unsigned mutants = 0, faulted = sound_detector(known[i].path, known[i].program, &cfg, 256, &mutants);
        if (!mutants)
            continue;
        tried++;
        seen += faulted > 0;
        printf("detector check: %s / %s: %u of its %u check-dropping mutants fault when run unverified\n",
               known[i].path, known[i].program, faulted, mutants);
    }
    return tried && seen == tried ? 0 : 1;
}

static void summary(void)
{
    const unsigned long *n = total.n;
    printf("\nsoundness summary (seed 0x%llx, %u runs per program, %u mutants x %u runs each):\n",
           (unsigned long long)cfg.seed, cfg.runs, cfg.mutants, cfg.mutant_runs);
    printf("  objects %lu (%lu not opened); programs %lu: %lu not loadable, %lu refused, %lu verifier errors, "
           "%lu accepted\n", n[T_OBJECTS], n[T_UNOPENED], n[T_PROGRAMS], n[T_NOT_LOADABLE], n[T_REFUSED], n[T_ERRORS],
           n[T_ACCEPTED]);
    printf("  accepted programs run: %lu (%lu not runnable, %lu crashed); runs %lu: %lu clean, %lu budget, "
           "%lu unsupported, %lu inputs refused\n", n[T_RAN], n[T_SKIPPED], n[T_CRASHES], n[T_RUNS], n[T_CLEAN],
           n[T_BUDGET], n[T_UNSUPPORTED], n[T_REFUSED_INPUT]);
    printf("  mutants: %lu refused, %lu accepted and clean, %lu ACCEPTED AND FAULTING, %lu ACCEPTED AND CRASHING,\n"
           "           %lu accepted but not runnable, %lu accepted but not patchable; %lu invalid code, %lu no site\n",
           n[T_M_REFUSED], n[T_M_CLEAN], n[T_M_FAULT], n[T_M_CRASH], n[T_M_UNRUNNABLE], n[T_M_UNPATCHABLE],
           n[T_M_INVALID], n[T_M_NOSITE]);
    for (int op = 0; op < SOUND_OP_COUNT; op++)
        printf("    %-18s refused %5lu  accepted+clean %5lu  accepted+faulting %5lu\n", sound_op_name((sound_op)op),
               n[T_OP + 3 * op], n[T_OP + 3 * op + 1], n[T_OP + 3 * op + 2]);
    printf("  audit: %lu refused mutants run unverified, %lu of them faulted (refusals the runs confirm), %lu with "
           "uninitialised reads\n", n[T_AUDIT_RUNS], n[T_AUDIT_FAULTS], n[T_AUDIT_UNINIT]);
    sound_reasons_print(&total.skips, "programs not run (reason)");
    sound_reasons_print(&total.m_skips, "accepted mutants not run (reason)");
}

/* --object PATH --skip N,N,...: one object, in this process (the parent's child). */
static int child(const char *path, const char *skip_list)
{
    static unsigned long skips[SOUND_MAX_CRASHES];
    size_t count = 0;
    for (const char *p = skip_list; p && *p && count < SOUND_MAX_CRASHES;) {
        char *end;
        skips[count++] = strtoul(p, &end, 10);
        p = *end == ',' ? end + 1 : end;
        if (end == p && *p)
            break;
    }
    cfg.skip_jobs = skips;
    cfg.skip_count = count;
    setvbuf(stdout, NULL, _IONBF, 0); /* bug reports survive a crash */
    sound_tally t = { 0 };
    sound_object_check(path, &cfg, &t);
    sound_tally_write(&t, stdout);
    return 0;
}

int main(int argc, char **argv)
{
    self = argv[0];
    cfg.seed = env_num("SOUND_SEED", 0x50d5eedull);
    cfg.runs = (unsigned)env_num("SOUND_RUNS", 32);
    cfg.mutants = (unsigned)env_num("SOUND_MUTANTS", 12);
    cfg.mutant_runs = (unsigned)env_num("SOUND_MUTANT_RUNS", 12);
    cfg.audit = (unsigned)env_num("SOUND_AUDIT", 100);
    cfg.verbose = (int)env_num("SOUND_VERBOSE", 0);
    if (argc == 5 && strcmp(argv[1], "--object") == 0 && strcmp(argv[3], "--skip") == 0)
        return child(argv[2], argv[4]);
    const char *corpus = argc > 1 ? argv[1] : "", *progs = argc > 2 ? argv[2] : "";
    filter = getenv("SOUND_FILTER");
    char labels[1024];
    snprintf(labels, sizeof labels, "%s/labels.tsv", corpus);
    uint8_t *probe = NULL;
    size_t probe_size = 0;
    bool have_corpus = plat_read_file(labels, &probe, &probe_size) == 0;
    free(probe);
    char **names = NULL;
    int listed = plat_list_dir(progs, &names);
    if (listed > 0)
        plat_free_list(names, listed);
    if (!have_corpus && listed <= 0) {
        printf("SKIPPED: verifier.soundness needs ../shared/corpus or the tests/progs objects (%s, %s)\n", corpus,
               progs);
        return 77;
    }
    printf("verifier.soundness: seed 0x%llx (SOUND_SEED to change it; SOUND_RUNS, SOUND_MUTANTS, SOUND_MUTANT_RUNS "
           "for more)\n", (unsigned long long)cfg.seed);
    int blind = detector_check(corpus, progs);
    if (have_corpus)
        corpus_objects(corpus);
    if (listed > 0)
        sound_each_object(progs, progs_object, NULL);
    summary();
    if (blind) {
        printf("FAILED: the detector check saw no fault: the harness is blind, its silence would mean nothing\n");
        return 1;
    }
    if (total.n[T_BUGS]) {
        printf("FAILED: %lu VERIFIER BUG(S) (%lu with uninitialised reads): accepted programs or mutants faulted (or "
               "crashed) in checked runs\n"
               "(a clearly safe program that faults may instead mean that the runtime did not tell the checked "
               "interpreter about memory it may use: read the fault message)\n", total.n[T_BUGS], total.n[T_UNINIT_BUGS]);
        return 1;
    }
    if (total.n[T_RAN] == 0)
        printf("WARNING: no accepted program could be run: the soundness check exercised nothing\n");
    printf("PASSED: no accepted program or mutant faulted\n");
    return 0;
}
