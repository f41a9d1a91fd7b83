/*
 * test_own_progs.c - verifier.own_progs: the project's own clang-built programs (tests/progs, the
 * xdp_firewall example, bench/progs; every one of them is accepted by the Linux verifier) must all be
 * accepted by ours, with the flags ebpf_object_load uses (privileged, termination required). It makes
 * them a permanent precision floor: a change that loses one of them fails here.
 *
 * Arguments: the build folders holding the *.bpf.o objects. bad_helper.bpf.o is skipped (it must fail
 * to load for its helper). KNOWN_REFUSED lists the programs still refused, each with its reason; such a
 * program may be refused, and the test fails when one is accepted so that the list only ever shrinks.
 * SKIPPED (exit 77) when no object is found (no clang at build time).
 */
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi/abi_helpers.h"
#include "elf/elf_object.h"
#include "verifier/verifier.h"
#include "verifier/vf_elf.h"
#include "platform/platform.h"

/* "object:program" still refused (remove a line when its program is accepted). All are the kd_prog.h
 * command walker (a loop over the first `count` commands of a stack array of 12-byte structs); with the
 * verifier on by default the library runs them only unverified in the checked interpreter (progs.kernel
 * marks them trusted for its fast/JIT comparisons with the kernel, and says so). Why each is refused:
 *  - kd_packet: a store into the metadata (data_meta + off, checked against data) is refused: the
 *    packet-size facts are lost after the commands that move the packet are joined and widened;
 *  - kd_string: the command index lives in a spilled slot part of the time, and a reload does not bring
 *    back its relation to the loop counter, so the command loop's bound is not found;
 *  - kd_ringbuf: a command's field is read from stack bytes initialised only on some joined paths
 *    (reserve/submit/discard commands leave different stack layouts). */
static const char *const known_refused[] = {
    "kd_packet.bpf.o:kd_packet", "kd_ringbuf.bpf.o:kd_ringbuf", "kd_string.bpf.o:kd_string",
    NULL,
};

static bool is_known_refused(const char *object, const char *program)
{
    char key[256];
    snprintf(key, sizeof key, "%s:%s", object, program);
    for (size_t i = 0; known_refused[i]; i++)
        if (!strcmp(known_refused[i], key))
            return true;
    return false;
}

/* The whole file (platform layer), or NULL. */
static void *read_all(const char *path, size_t *size)
{
    uint8_t *data = NULL;
    return plat_read_file(path, &data, size) == 0 ? data : NULL;
}

/* Calls to undefined functions named like helpers become helper calls, as the runtime's load does. */
static int lookup_helper(const char *name, void *user)
{
    (void)user;
    const abi_helper *h = abi_helper_by_name(name);
    return h ? (int)h->id : -1;
}

typedef struct tally {
    int programs, accepted, failures;
} tally;

static void report(tally *t, const char *object, const char *program, bool accepted, const char *why)
{
    bool known = is_known_refused(object, program);
    t->programs++;
    t->accepted += accepted;
    if (accepted && known) {
        printf("NOW ACCEPTED %s %s: remove it from known_refused\n", object, program);
        t->failures++;
    } else if (!accepted) {
        printf("%s %s %s: %s\n", known ? "known refused" : "REFUSED", object, program, why);
        t->failures += !known;
    }
}

static void verify_object(tally *t, const char *dir, const char *object)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, object);
    size_t size = 0;
    void *data = read_all(path, &size);
    elf_object *obj = NULL;
    ebpf_diag diag;
    memset(&diag, 0, sizeof diag);
    if (!data || elf_object_open(data, size, &obj, &diag) < 0) {
        report(t, object, "(object)", false, data ? diag.message : "cannot read it");
        free(data);
        return;
    }
    free(data);
    elf_object_resolve_externs(obj, lookup_helper, NULL);
    for (size_t i = 0; i < elf_object_program_count(obj); i++) {
        const elf_program *p = elf_object_program(obj, i);
        char why[600] = "";
        bool accepted = false;
        vf_elf_input vin;
        if (elf_program_check(p, &diag) < 0) {
            snprintf(why, sizeof why, "loader: %s", diag.message);
        } else if (vf_input_from_elf(obj, p, &vin) < 0) {
            snprintf(why, sizeof why, "out of memory");
        } else {
            vin.input.flags = 0; /* as ebpf_object_load verifies */
            vf_result res;
            int rc = vf_verify(&vin.input, &res);
            accepted = rc == 0 && res.verdict == VF_ACCEPT;
            if (!accepted)
                snprintf(why, sizeof why, "insn %lld: %s", (long long)res.insn, res.message);
            vf_result_free(&res);
            vf_elf_input_free(&vin);
        }
        report(t, object, p->name, accepted, why);
    }
    elf_object_free(obj);
}

static bool is_object(const char *name)
{
    size_t n = strlen(name);
    return n > 6 && !strcmp(name + n - 6, ".bpf.o") && strcmp(name, "bad_helper.bpf.o") != 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int main(int argc, char **argv)
{
    tally t = { 0, 0, 0 };
    for (int a = 1; a < argc; a++) {
        DIR *d = opendir(argv[a]);
        if (!d) {
            printf("no folder %s (not built)\n", argv[a]);
            continue;
        }
        char *names[256];
        size_t count = 0;
        for (struct dirent *e = readdir(d); e && count < 256; e = readdir(d))
            if (is_object(e->d_name))
                names[count++] = strdup(e->d_name);
        closedir(d);
        qsort(names, count, sizeof names[0], by_name);
        for (size_t i = 0; i < count; i++) {
            if (names[i])
                verify_object(&t, argv[a], names[i]);
            free(names[i]);
        }
    }
    if (t.programs == 0) {
        printf("SKIPPED: no clang-built objects in the given folders\n");
        return 77;
    }
    printf("own programs accepted: %d/%d\n", t.accepted, t.programs);
    return t.failures ? 1 : 0;
}
