/*
 * test_elf_corpus.c - every object of ../shared/corpus against its lines in labels.tsv.
 *
 * An object outside invalid/ must open and yield exactly the (section, program) pairs listed for it.
 * Lines labelled `malformed` must not load: the object is refused, or that program fails
 * elf_program_check, always with a message. Objects of invalid/ are damaged or hostile: each is refused
 * with a message unless its labels say it has a program a verifier should accept (then it must open and
 * match like any other), and none may crash (this suite runs under ASan in `make test`).
 * Every object that opens must also keep the invariants of elf_object.h (elf_test_check_invariants).
 * Without the corpus the suite prints SKIPPED and exits 77.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "elf_test_util.h"

#define MAX_LABELS 4096
#define MAX_OBJECTS 1024

typedef struct label {
    char object[160];
    char section[160];
    char program[160];
    char expected[16];
    bool seen;
} label;

static label labels[MAX_LABELS];
static size_t label_count;
static char *objects[MAX_OBJECTS];
static size_t object_count;

static void add_object(const char *rel)
{
    if (object_count < MAX_OBJECTS)
        objects[object_count++] = strdup(rel);
}

/* Every regular file below `dir` (path relative to the corpus root in `rel`), except the documentation. */
static void walk(const char *root, const char *rel)
{
    char path[512];
    snprintf(path, sizeof path, "%s%s%s", root, rel[0] ? "/" : "", rel);
    DIR *d = opendir(path);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char child_rel[512], child[1024];
        snprintf(child_rel, sizeof child_rel, "%s%s%s", rel, rel[0] ? "/" : "", e->d_name);
        snprintf(child, sizeof child, "%s/%s", root, child_rel);
        struct stat st;
        if (stat(child, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode))
            walk(root, child_rel);
        else if (rel[0] && S_ISREG(st.st_mode))
            add_object(child_rel);
    }
    closedir(d);
}

static int compare_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool load_labels(const char *root)
{
    char path[512], line[4096];
    snprintf(path, sizeof path, "%s/labels.tsv", root);
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    bool header = true;
    while (fgets(line, sizeof line, f)) {
        if (header) {
            header = false;
            continue;
        }
        char *fields[4], *save = NULL, *tok = strtok_r(line, "\t\n", &save);
        int n = 0;
        while (tok && n < 4) {
            fields[n++] = tok;
            tok = strtok_r(NULL, "\t\n", &save);
        }
        if (n < 4 || label_count == MAX_LABELS)
            continue;
        label *l = &labels[label_count++];
        snprintf(l->object, sizeof l->object, "%s", fields[0]);
        snprintf(l->section, sizeof l->section, "%s", fields[1]);
        snprintf(l->program, sizeof l->program, "%s", fields[2]);
        snprintf(l->expected, sizeof l->expected, "%s", fields[3]);
    }
    fclose(f);
    return label_count > 0;
}

typedef struct totals {
    size_t opened, refused, invalid_refused, invalid_opened, programs, matched, malformed_lines, malformed_failed;
    size_t check_refused, mismatches;
} totals;

static void mismatch(totals *t, const char *object, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("MISMATCH %s: ", object);
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
    t->mismatches++;
}

static void check_opened(totals *t, const char *rel, const elf_object *obj, label **lines, size_t n)
{
    const char *why = elf_test_check_invariants(obj);
    if (why)
        mismatch(t, rel, "invariant broken: %s", why);
    for (size_t i = 0; i < n; i++)
        if (strcmp(lines[i]->section, "-") == 0)
            mismatch(t, rel, "opened, but labels.tsv says it yields no program (%s)", lines[i]->expected);
    for (size_t p = 0; p < elf_object_program_count(obj); p++) {
        const elf_program *prog = elf_object_program(obj, p);
        ebpf_diag diag;
        int check = elf_program_check(prog, &diag);
        t->programs++;
        if (check)
            t->check_refused++;
        label *found = NULL;
        for (size_t i = 0; i < n && !found; i++)
            if (strcmp(lines[i]->section, prog->section) == 0 && strcmp(lines[i]->program, prog->name) == 0)
                found = lines[i];
        if (!found) {
            mismatch(t, rel, "program (%s, %s) is not in labels.tsv", prog->section, prog->name);
            continue;
        }
        found->seen = true;
        t->matched++;
        if (strcmp(found->expected, "malformed") == 0) {
            if (!check)
                mismatch(t, rel, "program (%s, %s) is labelled malformed but loads", prog->section, prog->name);
            else
                t->malformed_failed++;
        }
    }
    for (size_t i = 0; i < n; i++)
        if (!lines[i]->seen && strcmp(lines[i]->section, "-") != 0)
            mismatch(t, rel, "labelled program (%s, %s) not found", lines[i]->section, lines[i]->program);
}

static void check_object(totals *t, const char *root, const char *rel)
{
    label *lines[256];
    size_t n = 0;
    bool all_malformed = true, any_safe = false;
    for (size_t i = 0; i < label_count && n < 256; i++) {
        if (strcmp(labels[i].object, rel) != 0)
            continue;
        lines[n++] = &labels[i];
        all_malformed &= strcmp(labels[i].expected, "malformed") == 0;
        any_safe |= strcmp(labels[i].expected, "safe") == 0;
        t->malformed_lines += strcmp(labels[i].expected, "malformed") == 0;
    }
    if (n == 0) {
        mismatch(t, rel, "not listed in labels.tsv");
        return;
    }
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    size_t size;
    void *data = elf_test_read_file(path, &size);
    if (!data) {
        mismatch(t, rel, "cannot read %s", path);
        return;
    }
    bool invalid = strncmp(rel, "invalid/", 8) == 0;
    elf_object *obj = NULL;
    ebpf_diag diag;
    int rc = elf_object_open(data, size, &obj, &diag);
    free(data);
    if (rc) {
        t->refused++;
        t->invalid_refused += invalid;
        if (all_malformed)
            t->malformed_failed += n;
        printf("refused %-60s %s\n", rel, diag.message);
        if (rc > 0 || diag.message[0] == '\0')
            mismatch(t, rel, "refused without a negative errno and a message");
        if (!all_malformed && !(invalid && !any_safe))
            mismatch(t, rel, "refused: %s", diag.message);
        return;
    }
    t->opened++;
    t->invalid_opened += invalid;
    if (invalid)
        printf("opened  %-60s (labels: a verifier decides)\n", rel);
    check_opened(t, rel, obj, lines, n);
    elf_object_free(obj);
}

static void test_corpus_matches_labels(void **state)
{
    (void)state;
    totals t = {0};
    for (size_t i = 0; i < object_count; i++)
        check_object(&t, EBPF_CORPUS_DIR, objects[i]);
    size_t unseen_objects = 0;
    for (size_t i = 0; i < label_count; i++) {
        bool present = false;
        for (size_t k = 0; k < object_count && !present; k++)
            present = strcmp(objects[k], labels[i].object) == 0;
        if (!present) {
            printf("MISMATCH labels.tsv names %s, which is not in the corpus\n", labels[i].object);
            unseen_objects++;
        }
    }
    printf("corpus: %zu objects: %zu opened, %zu refused (invalid/: %zu refused, %zu opened); "
           "%zu programs listed, %zu match labels.tsv (%zu lines); malformed lines %zu, failing %zu; "
           "programs refused by elf_program_check: %zu; mismatches %zu\n",
           object_count, t.opened, t.refused, t.invalid_refused, t.invalid_opened, t.programs, t.matched, label_count,
           t.malformed_lines, t.malformed_failed, t.check_refused, t.mismatches + unseen_objects);
    assert_int_equal(t.mismatches + unseen_objects, 0);
    assert_int_equal(t.malformed_failed, t.malformed_lines);
}

int main(void)
{
    struct stat st;
    if (stat(EBPF_CORPUS_DIR, &st) != 0 || !load_labels(EBPF_CORPUS_DIR)) {
        printf("SKIPPED: no corpus with labels.tsv at %s\n", EBPF_CORPUS_DIR);
        return 77;
    }
    walk(EBPF_CORPUS_DIR, "");
    qsort(objects, object_count, sizeof objects[0], compare_str);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_corpus_matches_labels),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    for (size_t i = 0; i < object_count; i++)
        free(objects[i]);
    return rc;
}
