/*
 * test_mutants.c - the verifier against damaged programs: for every program of the corpus that loads,
 * MUTANTS copies with one to three random changes each (a register, an offset, an immediate, an opcode)
 * go through vf_verify, which must return a verdict (any) without crashing, hanging or tripping the
 * sanitizers. Seeded (VF_TEST_SEED=<n> to change it; printed). SKIPPED (exit 77) without the corpus.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "elf/elf_object.h"
#include "verifier/verifier.h"
#include "verifier/vf_elf.h"
#include "platform/platform.h"

#define MUTANTS 12

static uint64_t rng_state;

static uint32_t rnd(void)
{
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)(rng_state >> 33);
}

/* The whole file (platform layer), or NULL. */
static void *read_all(const char *path, size_t *size)
{
    uint8_t *data = NULL;
    return plat_read_file(path, &data, size) == 0 ? data : NULL;
}

static void mutate(isa_slot *code, size_t count)
{
    int changes = 1 + (int)(rnd() % 3);
    for (int i = 0; i < changes; i++) {
        isa_slot *s = &code[rnd() % count];
        switch (rnd() % 5) {
        case 0: s->dst = rnd() % 11; break;
        case 1: s->src = rnd() % 11; break;
        case 2: s->off = (int16_t)(s->off + (int)(rnd() % 33) - 16); break;
        case 3: s->imm = (rnd() & 1) ? (int32_t)rnd() : (int32_t)((uint32_t)s->imm + rnd() % 17 - 8); break;
        default: s->opcode = (uint8_t)rnd(); break;
        }
    }
}

int main(void)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/labels.tsv", EBPF_CORPUS_DIR);
    FILE *f = fopen(path, "r");
    if (!f) {
        printf("SKIPPED: no corpus with labels.tsv at %s\n", EBPF_CORPUS_DIR);
        return 77;
    }
    const char *seed = getenv("VF_TEST_SEED");
    rng_state = seed ? strtoull(seed, NULL, 0) : 20261125;
    printf("seed %llu\n", (unsigned long long)rng_state);
    char line[4096], last[512] = "";
    unsigned long runs = 0, verdicts[3] = {0};
    while (fgets(line, sizeof line, f)) {
        char object[512];
        if (sscanf(line, "%511[^\t]", object) != 1 || !strcmp(object, "object") || !strcmp(object, last))
            continue;
        snprintf(last, sizeof last, "%s", object);
        char file[1100];
        snprintf(file, sizeof file, "%s/%s", EBPF_CORPUS_DIR, object);
        size_t size = 0;
        void *data = read_all(file, &size);
        if (!data)
            continue;
        elf_object *obj = NULL;
        ebpf_diag diag;
        int rc = elf_object_open(data, size, &obj, &diag);
        free(data);
        if (rc < 0)
            continue;
        for (size_t p = 0; p < elf_object_program_count(obj); p++) {
            const elf_program *prog = elf_object_program(obj, p);
            vf_elf_input vin;
            if (prog->insn_count == 0 || vf_input_from_elf(obj, prog, &vin) < 0)
                continue;
            isa_slot *copy = malloc(prog->insn_count * sizeof *copy);
            for (int m = 0; copy && m < MUTANTS; m++) {
                memcpy(copy, prog->insns, prog->insn_count * sizeof *copy);
                mutate(copy, prog->insn_count);
                vin.input.code = copy;
                vin.input.flags = (rnd() & 1) ? VF_UNPRIVILEGED | VF_KEEP_STATE : 0;
                vf_result res;
                clock_t t0 = clock();
                if (vf_verify(&vin.input, &res) == 0 && res.verdict <= VF_ERROR)
                    verdicts[res.verdict]++;
                double dt = (double)(clock() - t0) / CLOCKS_PER_SEC;
                if (dt > 0.5)
                    printf("SLOW %.2fs %s %s mutant %d: %s (%llu visits)\n", dt, object, prog->name, m, res.message,
                           (unsigned long long)res.visits);
                vf_result_free(&res);
                runs++;
            }
            free(copy);
            vf_elf_input_free(&vin);
        }
        elf_object_free(obj);
    }
    fclose(f);
    printf("%lu mutants verified: %lu accepted, %lu refused, %lu malformed\n", runs, verdicts[0], verdicts[1],
           verdicts[2]);
    return 0;
}
