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

#include "abi/abi_helpers.h"
#include "elf/elf_object.h"
#include "verifier/verifier.h"
#include "verifier/vf_elf.h"
#include "platform/platform.h"

/* Ratchet: safe programs accepted out of the labelled safe ones (only ever raise it). */
#define SAFE_ACCEPTED_FLOOR 240

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

/* The whole file (platform layer), or NULL. */
static void *read_all(const char *path, size_t *size)
{
    uint8_t *data = NULL;
    return plat_read_file(path, &data, size) == 0 ? data : NULL;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Verdict of one line: 1 accepted, 0 refused (reason in why), -1 crash-free internal failure. */
static bool verbose;

/* Calls to undefined functions named like helpers become helper calls, as the runtime's load does. */
static int lookup_helper(const char *name, void *user)
{
    (void)user;
    const abi_helper *h = abi_helper_by_name(name);
    return h ? (int)h->id : -1;
}

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
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", EBPF_CORPUS_DIR, object);
    size_t size = 0;
    void *data = read_all(path, &size);
    if (!data) {
        snprintf(why, whylen, "cannot read %.400s", path);
        return -1;
    }
    elf_object *obj = NULL;
    ebpf_diag diag;
    memset(&diag, 0, sizeof diag);
    int rc = elf_object_open(data, size, &obj, &diag);
    free(data);
    if (rc < 0) {
        snprintf(why, whylen, "loader: %s", diag.message[0] ? diag.message : "refused");
        return 0;
    }
    elf_object_resolve_externs(obj, lookup_helper, NULL);
    const elf_program *prog = NULL;
    for (size_t i = 0; i < elf_object_program_count(obj); i++) {
        const elf_program *p = elf_object_program(obj, i);
        if (!strcmp(p->section, section) && !strcmp(p->name, program))
            prog = p;
    }
    int verdict = 0;
    if (!prog) {
        snprintf(why, whylen, "loader: no program %s in section %s", program, section);
        goto out;
    }
    if (elf_program_check(prog, &diag) < 0) {
        snprintf(why, whylen, "loader: %s", diag.message[0] ? diag.message : "refused");
        goto out;
    }
    vf_elf_input vin;
    if (vf_input_from_elf(obj, prog, &vin) < 0) {
        snprintf(why, whylen, "out of memory");
        verdict = -1;
        goto out;
    }
    vin.input.flags = VF_UNPRIVILEGED | (verbose ? VF_KEEP_STATE : 0);
    vf_result res;
    rc = vf_verify(&vin.input, &res);
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
        show_code(prog, res.verdict == VF_ACCEPT ? -1 : res.insn);
        printf("%s\n%s", why, res.state ? res.state : "");
    }
    vf_result_free(&res);
    vf_elf_input_free(&vin);
out:
    elf_object_free(obj);
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
    bool header = true;
    printf("== programs refused or accepted against their label ==\n");
    while (fgets(line, sizeof line, f)) {
        if (header) {
            header = false;
            continue;
        }
        line[strcspn(line, "\r\n")] = 0;
        char *cols[4] = {0};
        char *p = line;
        for (int i = 0; i < 4 && p; i++) {
            cols[i] = p;
            p = strchr(p, '\t');
            if (p)
                *p++ = 0;
        }
        if (!cols[3])
            continue;
        const char *object = cols[0], *section = cols[1], *program = cols[2], *expected = cols[3];
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
