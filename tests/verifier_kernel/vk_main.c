/*
 * vk_main.c - verifier.kernel: the Linux verifier as a second opinion on ours. For every program of
 * every tests/progs object, its one-instruction mutants (sound_mutate.h) and a deterministic sample of
 * ../shared/corpus programs with a few mutants each, both verdicts are compared (vk_compare.h):
 *
 *   both accept / both refuse        agreement
 *   we accept, Linux refuses         must be listed, with why it is fine, in kernel_verdicts.expect
 *                                    (vk_expect.h); an unlisted one FAILS with the kernel's log
 *   we refuse, Linux accepts         a precision gap: listed and counted, not a failure
 *   not tried                        the kernel could not attempt it (vk_kernel.h): listed, not counted
 *
 * An entry of the expectation file that no comparison used is stale and FAILS too. Mutants are
 * mutated only outside lddw and calls, so libbpf's relocations still apply to the patched image; they
 * are made only of programs we accept and the kernel tried (vk_mutants.h: stable keys
 * object:program:mN, a mutant equal to an earlier one of its program compared once; a dropped check
 * reaches the kernel in forms its CFG check does not refuse, vk_kernel_form.h).
 *
 *   verifier_kernel OBJDIR CORPUSDIR EXPECTFILE
 *
 * Environment: VK_MUTANTS (per tests/progs program, default 40), VK_CORPUS_EVERY (one corpus program
 * in N by a hash of its name, default 3; 0: none), VK_CORPUS_MUTANTS (default 4), VK_VERBOSE=1 (every
 * comparison, with times). Other values than the defaults make other comparisons: stale entries are
 * then printed but not failed. SKIPPED (exit 77) when bpf() is refused or there are no objects.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sound_dir.h"
#include "sound_rng.h"
#include "vk_compare.h"
#include "vk_kernel.h"
#include "vk_mutants.h"

#define VK_SKIP 77
#define VK_MUTANTS 40u        /* defaults of the environment settings */
#define VK_CORPUS_EVERY 3u
#define VK_CORPUS_MUTANTS 4u
/* A mutant costs about what its program costs our verifier: a program that takes more than
 * VK_VISIT_BUDGET / VK_MUTANTS analysed instructions gets fewer mutants (at least 1), so that the test
 * stays short. Deterministic, but it follows our verifier's work: if that changes a lot, a program
 * gains or loses its last mutants (mutant N stays the same mutant), and the file may need an update. */
#define VK_VISIT_BUDGET 400000u

static const char *const class_names[VK_CLASS_COUNT] = {
    "both accept", "both refuse", "we accept/Linux refuses", "we refuse/Linux accepts", "not tried by the kernel",
};

static unsigned long env_num(const char *name, unsigned long dflt)
{
    const char *v = getenv(name);
    return v && *v ? strtoul(v, NULL, 0) : dflt;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* How many of `count` mutants a program that took `visits` to verify gets (VK_VISIT_BUDGET). */
static unsigned affordable(unsigned count, uint64_t visits)
{
    uint64_t n = visits ? VK_VISIT_BUDGET / visits : count;
    return n >= count ? count : n > 1 ? (unsigned)n : 1;
}

/* Program `only` of the object at path (every program when NULL), and up to `count` mutants of each
 * that both sides could try and we accept (VK_VISIT_BUDGET). name: the object's name in keys. */
static void object(vk_run *run, const char *path, const char *name, const char *only, unsigned count)
{
    sound_obj obj;
    char why[200];
    if (sound_obj_open(path, &obj, why, sizeof why) != 0) {
        printf("not opened by our loader %s: %s\n", name, why);
        return;
    }
    for (size_t i = 0; i < elf_object_program_count(obj.elf); i++) {
        const elf_program *p = elf_object_program(obj.elf, i);
        if (only && strcmp(p->name, only) != 0)
            continue;
        char key[512];
        snprintf(key, sizeof key, "%s:%s", name, p->name);
        const uint8_t *image = obj.image;
        vk_class c = vk_compare(run, key, &obj, p, NULL, &image, 1, NULL);
        if (c == VK_BOTH_ACCEPT || c == VK_WE_ONLY)
            vk_mutants(run, key, base_name(path), &obj, i, affordable(count, run->visits));
    }
    sound_obj_close(&obj);
}

typedef struct progs_ctx {
    vk_run *run;
    unsigned count;
} progs_ctx;

/* One tests/progs object: every program and its mutants. */
static void progs_object(const char *path, const char *name, void *user)
{
    progs_ctx *c = user;
    object(c->run, path, name, NULL, c->count);
}

/* One labels.tsv row in `every` (by a hash of object and program): that program and its mutants. */
static void corpus_sample(vk_run *run, const char *dir, unsigned long every, unsigned count)
{
    char path[1024], line[2048];
    snprintf(path, sizeof path, "%s/labels.tsv", dir);
    FILE *f = every ? fopen(path, "r") : NULL;
    if (!f)
        return;
    for (bool header = true; fgets(line, sizeof line, f); header = false) {
        char *object_name = strtok(line, "\t\n"), *section = strtok(NULL, "\t\n"), *program = strtok(NULL, "\t\n");
        char key[1024], name[600];
        if (header || !object_name || !section || !program)
            continue;
        snprintf(key, sizeof key, "%s:%s", object_name, program);
        if (sound_hash(key) % every != 0 ||
            (size_t)snprintf(path, sizeof path, "%s/%s", dir, object_name) >= sizeof path)
            continue;
        snprintf(name, sizeof name, "corpus/%s", object_name);
        object(run, path, name, program, count);
    }
    fclose(f);
}

static void summary(const vk_run *run)
{
    static const char *const rows[2][2] = { { "tests/progs programs", "tests/progs mutants" },
                                            { "corpus programs", "corpus mutants" } };
    unsigned long we_only = 0;
    printf("\nverifier.kernel summary (%lu kernel loads):\n", run->loads);
    for (int origin = 0; origin < 2; origin++)
        for (int kind = 0; kind < 2; kind++) {
            printf("  %-21s", rows[origin][kind]);
            for (int c = 0; c < VK_CLASS_COUNT; c++)
                printf(" %s %lu%s", class_names[c], run->n[origin][kind][c], c + 1 < VK_CLASS_COUNT ? ";" : "\n");
            we_only += run->n[origin][kind][VK_WE_ONLY];
        }
    printf("  mutants not compared (no site, invalid code or not patchable): %lu; duplicates of an earlier "
           "mutant: %lu\n", run->mutants_skipped, run->mutants_duplicate);
    printf("  we accept/Linux refuses: %lu expected (%lu of them known soundness bugs), %lu UNEXPECTED\n",
           we_only - run->unexpected, run->bugs, run->unexpected);
}

/* Stale entries: listed, but no comparison met them. Returns how many. */
static unsigned long stale(const vk_run *run)
{
    unsigned long count = 0;
    for (size_t i = 0; i < run->expect.count; i++) {
        const vk_entry *e = &run->expect.entries[i];
        if (e->used)
            continue;
        count++;
        printf("STALE expectation (line %u): %s no longer is accepted by us and refused by Linux: remove it\n",
               e->line, e->key);
    }
    return count;
}

/* Did the run make the comparisons the expectation file was written for (no VK_* overrides)? */
static bool default_run(void)
{
    return env_num("VK_MUTANTS", VK_MUTANTS) == VK_MUTANTS &&
           env_num("VK_CORPUS_EVERY", VK_CORPUS_EVERY) == VK_CORPUS_EVERY &&
           env_num("VK_CORPUS_MUTANTS", VK_CORPUS_MUTANTS) == VK_CORPUS_MUTANTS;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: verifier_kernel OBJDIR CORPUSDIR EXPECTFILE\n");
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    char why[300];
    if (vk_kernel_probe(why, sizeof why) != 0) {
        printf("SKIPPED: verifier.kernel needs the kernel's bpf() as its oracle: %s\n", why);
        return VK_SKIP;
    }
    static vk_run run;
    if (vk_expect_load(argv[3], &run.expect, why, sizeof why) != 0) {
        printf("FAILED: the expectation file: %s\n", why);
        return 1;
    }
    unsigned mutant_count = (unsigned)env_num("VK_MUTANTS", VK_MUTANTS);
    run.verbose = (int)env_num("VK_VERBOSE", 0);
    printf("verifier.kernel: our verifier (privileged, as ebpf_object_load) against the Linux verifier; up to %u "
           "mutants a program\n", mutant_count);
    progs_ctx progs = { &run, mutant_count };
    int objects = sound_each_object(argv[1], progs_object, &progs);
    if (objects == 0) {
        printf("SKIPPED: no tests/progs objects in %s (built by clang)\n", argv[1]);
        vk_expect_free(&run.expect);
        return VK_SKIP;
    }
    run.origin = 1;
    corpus_sample(&run, argv[2], env_num("VK_CORPUS_EVERY", VK_CORPUS_EVERY),
                  (unsigned)env_num("VK_CORPUS_MUTANTS", VK_CORPUS_MUTANTS));
    summary(&run);
    unsigned long stale_count = stale(&run);
    vk_expect_free(&run.expect);
    if (stale_count && !default_run()) {
        printf("(stale entries are no failure here: VK_* settings made other comparisons than the file's)\n");
        stale_count = 0;
    }
    if (run.unexpected || stale_count) {
        printf("FAILED: %lu unexpected \"we accept, Linux refuses\", %lu stale expectations\n", run.unexpected,
               stale_count);
        return 1;
    }
    printf("PASSED: every \"we accept, Linux refuses\" is explained in the expectation file\n");
    return 0;
}
