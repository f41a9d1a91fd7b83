/*
 * test_corpus.c - the verifier's yardstick: every program of ../shared/corpus/labels.tsv is loaded
 * as the runtime loads it (elf_object_open, externs named like helpers resolved to them, the named
 * program, elf_program_check), turned into a vf_input and verified in the
 * unprivileged profile. Prints per folder: safe accepted, unsafe refused, malformed refused and the
 * time, then every safe program refused (with its reason) and every unsafe or malformed one accepted.
 *
 * Fails when any unsafe or malformed program is accepted (soundness: 100% required), when a refusal
 * comes without a reason, or when safe acceptance drops below SAFE_ACCEPTED_FLOOR. The floor is a
 * ratchet: raise it to what the verifier achieves whenever precision improves; never lower it.
 * `unknown` lines are verified (no crash allowed) but not scored. SKIPPED (exit 77) without the corpus.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "corpus_prog.h"
#include "verifier/verifier.h"

/* Ratchet: safe programs accepted out of the labelled safe ones (only ever raise it). */
#define SAFE_ACCEPTED_FLOOR 241

#define MAX_FOLDERS 16

typedef struct score {
    char name[64];
    int safe, safe_ok, unsafe, unsafe_ok, malformed, malformed_ok, unknown;
    double seconds;
} score;

static score folders[MAX_FOLDERS];
static int folder_count;

static score *folder_of(const char *object)
{
    char name[64];
    size_t n = strcspn(object, "/");
    if (n >= sizeof name)
        n = sizeof name - 1;
    memcpy(name, object, n);
    name[n] = 0;
    for (int i = 0; i < folder_count; i++)
        if (!strcmp(folders[i].name, name))
            return &folders[i];
    if (folder_count == MAX_FOLDERS)
        return &folders[MAX_FOLDERS - 1];
    score *s = &folders[folder_count++];
    snprintf(s->name, sizeof s->name, "%s", name);
    return s;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Verdict of one line: 1 accepted, 0 refused (reason in why), -1 crash-free internal failure. */
static bool verbose;

static void show_code(const elf_program *prog, int64_t insn)
{
    for (size_t pc = 0; pc < prog->insn_count; pc++) {
        if (insn >= 0 && ((int64_t)pc < insn - 40 || (int64_t)pc > insn + 3))
            continue;
        isa_insn in;
        char buf[128];
        if (isa_decode(prog->insns, prog->insn_count, pc, &in, NULL) < 0)
            continue;
        isa_disasm_insn(&in, buf, sizeof buf);
        printf("%s%5zu: %s\n", (int64_t)pc == insn ? "=>" : "  ", pc, buf);
        if (in.slots == 2)
            pc++;
    }
}

static int verify_line(const char *object, const char *section, const char *program, char *why, size_t whylen,
                       uint64_t *visits)
{
    corpus_label label = {object, section, program, ""};
    corpus_prog cp;
    int verdict = corpus_prog_load(EBPF_CORPUS_DIR, &label, &cp, why, whylen);
    if (verdict != 1) {
        corpus_prog_free(&cp);
        return verdict;
    }
    cp.vin.input.flags |= verbose ? VF_KEEP_STATE : 0;
    vf_result res;
    int rc = vf_verify(&cp.vin.input, &res);
    *visits = res.visits;
    if (rc < 0) {
        snprintf(why, whylen, "verifier failed: %s", res.message);
        verdict = -1;
    } else if (res.verdict == VF_ACCEPT) {
        verdict = 1;
    } else {
        snprintf(why, whylen, "insn %lld: %s", (long long)res.insn, res.message[0] ? res.message : "(no reason)");
        verdict = res.message[0] ? 0 : -1;
    }
    if (verbose) {
        show_code(cp.prog, res.verdict == VF_ACCEPT ? -1 : res.insn);
        printf("%s\n%s", why, res.state ? res.state : "");
    }
    vf_result_free(&res);
    corpus_prog_free(&cp);
    return verdict;
}

int main(int argc, char **argv)
{
    if (argc == 4) { /* debugging one program: object section program */
        char why[512] = "";
        uint64_t visits = 0;
        verbose = true;
        int v = verify_line(argv[1], argv[2], argv[3], why, sizeof why, &visits);
        printf("verdict %d (%llu visits)\n", v, (unsigned long long)visits);
        return 0;
    }
    char path[1024];
    snprintf(path, sizeof path, "%s/labels.tsv", EBPF_CORPUS_DIR);
    FILE *f = fopen(path, "r");
    if (!f) {
        printf("SKIPPED: no corpus with labels.tsv at %s\n", EBPF_CORPUS_DIR);
        return 77;
    }
    char line[4096];
    int failures = 0, safe = 0, safe_ok = 0, unsafe = 0, unsafe_ok = 0, malformed = 0, malformed_ok = 0;
    char report_safe[64][512];
    int nreport = 0;
    double start = now();
    printf("== programs refused or accepted against their label ==\n");
    while (fgets(line, sizeof line, f)) {
        corpus_label label;
        if (!corpus_label_parse(line, &label))
            continue;
        const char *object = label.object, *section = label.section, *program = label.program;
        const char *expected = label.expected;
        score *sc = folder_of(object);
        char why[512] = "";
        uint64_t visits = 0;
        double t0 = now();
        int v = verify_line(object, section, program, why, sizeof why, &visits);
        double dt = now() - t0;
        sc->seconds += dt;
        if (dt > 1.0 || visits > (getenv("VF_SHOW_VISITS") ? 20000u : 200000u))
            printf("SLOW %.2fs %s %s %s (%llu visits)\n", dt, object, section, program, (unsigned long long)visits);
        if (v < 0) {
            printf("ERROR %s %s %s: %s\n", object, section, program, why);
            failures++;
            continue;
        }
        if (!strcmp(expected, "safe")) {
            sc->safe++;
            safe++;
            if (v) {
                sc->safe_ok++;
                safe_ok++;
            } else {
                printf("SAFE REFUSED %s %s %s: %s\n", object, section, program, why);
                (void)report_safe;
                (void)nreport;
            }
        } else if (!strcmp(expected, "unsafe")) {
            sc->unsafe++;
            unsafe++;
            if (!v) {
                sc->unsafe_ok++;
                unsafe_ok++;
                if (getenv("VF_SHOW_UNSAFE"))
                    printf("unsafe refused %s %s %s: %s\n", object, section, program, why);
            } else {
                printf("UNSAFE ACCEPTED %s %s %s\n", object, section, program);
                failures++;
            }
        } else if (!strcmp(expected, "malformed")) {
            sc->malformed++;
            malformed++;
            if (!v) {
                sc->malformed_ok++;
                malformed_ok++;
            } else {
                printf("MALFORMED ACCEPTED %s %s %s\n", object, section, program);
                failures++;
            }
        } else {
            sc->unknown++;
        }
    }
    fclose(f);
    printf("\n== score per folder (unprivileged profile) ==\n");
    printf("%-18s %12s %14s %16s %8s %8s\n", "folder", "safe acc.", "unsafe ref.", "malformed ref.", "unknown", "time");
    for (int i = 0; i < folder_count; i++) {
        score *s = &folders[i];
        printf("%-18s %5d/%-6d %6d/%-7d %7d/%-8d %8d %7.2fs\n", s->name, s->safe_ok, s->safe, s->unsafe_ok, s->unsafe,
               s->malformed_ok, s->malformed, s->unknown, s->seconds);
    }
    printf("%-18s %5d/%-6d %6d/%-7d %7d/%-8d %8s %7.2fs\n", "total", safe_ok, safe, unsafe_ok, unsafe, malformed_ok,
           malformed, "", now() - start);
    printf("safe accepted %.1f%% (floor %d), unsafe refused %d/%d, malformed refused %d/%d\n",
           safe ? 100.0 * safe_ok / safe : 0.0, SAFE_ACCEPTED_FLOOR, unsafe_ok, unsafe, malformed_ok, malformed);
    if (safe_ok < SAFE_ACCEPTED_FLOOR) {
        printf("FAIL: safe accepted %d is below the floor %d\n", safe_ok, SAFE_ACCEPTED_FLOOR);
        failures++;
    }
    if (failures)
        printf("FAIL: %d soundness or internal failures\n", failures);
    return failures ? 1 : 0;
}
