/*
 * fuzz_seed.c - seeds the fuzzers' corpora from the bpf_conformance test files (not a fuzz target).
 *
 *   fuzz_seed CONFORMANCE_TESTS_DIR CORPUS_DIR
 *
 * For every *.data file: the `-- asm` text goes to CORPUS_DIR/fuzz_asm/, its assembled bytes (behind an
 * options byte, several variants) to CORPUS_DIR/fuzz_validate/, and the bytes with the file's `-- mem`
 * to CORPUS_DIR/fuzz_interp/ (in that target's input layout). It also writes CORPUS_DIR/fuzz_asm.dict,
 * a libFuzzer dictionary of every mnemonic of isa_insns.def and the operand spellings.
 * The .data reading follows PROTOCOL.md section 1 closely enough for seeding: '#' starts a comment and
 * a line containing "--" starts a section.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "isa/isa.h"

#define SEED_MAX_FILE (1 << 20)
#define SEED_MAX_MEM 255 /* fuzz_interp's memory size is one byte */

typedef struct seed_text {
    char *p;
    size_t len, cap;
} seed_text;

static void text_add(seed_text *t, const char *s, size_t n)
{
    if (t->len + n + 1 > t->cap) {
        size_t cap = (t->cap ? t->cap * 2 : 256) + n;
        char *p = realloc(t->p, cap);
        if (!p) {
            perror("fuzz_seed");
            exit(1);
        }
        t->p = p, t->cap = cap;
    }
    memcpy(t->p + t->len, s, n);
    t->len += n;
    t->p[t->len] = 0;
}

static int write_file(const char *dir, const char *name, const char *suffix, const void *a, size_t an,
                      const void *b, size_t bn)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s%s", dir, name, suffix);
    FILE *f = fopen(path, "wb");
    if (!f || (an && fwrite(a, 1, an, f) != an) || (bn && fwrite(b, 1, bn, f) != bn)) {
        fprintf(stderr, "fuzz_seed: cannot write %s: %s\n", path, strerror(errno));
        if (f)
            fclose(f);
        return -1;
    }
    return fclose(f);
}

/* Splits one .data file into its asm text and input memory. */
static void parse_data(char *content, seed_text *asm_text, uint8_t *mem, size_t *mem_size)
{
    enum { NONE, ASM, MEM, OTHER } section = NONE;
    *mem_size = 0;
    for (char *line = strtok(content, "\n"); line; line = strtok(NULL, "\n")) {
        char *hash = strchr(line, '#');
        if (hash)
            *hash = 0;
        if (strstr(line, "--")) {
            section = strstr(line, "asm") ? ASM : strstr(line, "mem") && !strstr(line, "result") ? MEM : OTHER;
            continue;
        }
        if (section == ASM) {
            text_add(asm_text, line, strlen(line));
            text_add(asm_text, "\n", 1);
        } else if (section == MEM) {
            for (char *tok = line; *tok;) {
                char *end;
                unsigned long v = strtoul(tok, &end, 16);
                if (end == tok)
                    break;
                if (*mem_size < SEED_MAX_MEM)
                    mem[(*mem_size)++] = (uint8_t)v;
                tok = end;
            }
        }
    }
}

static int seed_one(const char *path, const char *name, const char *out)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    char *content = malloc(SEED_MAX_FILE + 1);
    size_t n = content ? fread(content, 1, SEED_MAX_FILE, f) : 0;
    fclose(f);
    if (!content)
        return -1;
    content[n] = 0;

    seed_text asm_text = {0};
    uint8_t mem[SEED_MAX_MEM];
    size_t mem_size;
    parse_data(content, &asm_text, mem, &mem_size);
    free(content);
    if (!asm_text.len)
        return 0;

    char dir[4096];
    snprintf(dir, sizeof(dir), "%s/fuzz_asm", out);
    int rc = write_file(dir, name, "", asm_text.p, asm_text.len, NULL, 0);

    isa_slot *code = NULL;
    size_t count = 0;
    ebpf_diag diag;
    if (isa_assemble(asm_text.p, &code, &count, &diag) == 0 && count) {
        /* fuzz_validate: plain, every option on, check_uninit_regs with r1 at entry. */
        static const uint8_t variants[] = {0x00, 0x0f, 0x18};
        snprintf(dir, sizeof(dir), "%s/fuzz_validate", out);
        for (size_t v = 0; v < sizeof(variants); v++) {
            char suffix[8];
            snprintf(suffix, sizeof(suffix), ".%02x", variants[v]);
            rc |= write_file(dir, name, suffix, &variants[v], 1, code, count * sizeof(*code));
        }
        /* fuzz_interp: flags 0, memory size, memory, program. */
        uint8_t head[2 + SEED_MAX_MEM] = {0, (uint8_t)mem_size};
        memcpy(head + 2, mem, mem_size);
        snprintf(dir, sizeof(dir), "%s/fuzz_interp", out);
        rc |= write_file(dir, name, "", head, 2 + mem_size, code, count * sizeof(*code));
    }
    free(code);
    free(asm_text.p);
    return rc;
}

static int write_dict(const char *out)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/fuzz_asm.dict", out);
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    for (size_t i = 0; i < ISA_ID_COUNT; i++) {
        size_t j = 0;
        while (j < i && strcmp(isa_infos[j].mnemonic, isa_infos[i].mnemonic) != 0)
            j++;
        if (j == i) /* first row with this spelling */
            fprintf(f, "\"%s \"\n", isa_infos[i].mnemonic);
    }
    static const char *const words[] = {
        "%r0", "%r1", "%r9", "%r10", "%r11", "%r15", "[%r1+", "[%r10-8]", "]", ", ", "+1", "-1",
        "0x", "0xffffffff", "-2147483648", "4294967296", "0x7fffffffffffffff", "exit", "\\x0a", ":",
        "call local ", "call helper ", "call runtime ", "lock fetch ", "map_fd ", "map_value ",
        "map_idx ", "map_idx_value ", "btf_id ", "func ", "label", "swap16 ", "swap32 ", "swap64 ",
    };
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
        fprintf(f, "\"%s\"\n", words[i]);
    return fclose(f);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: fuzz_seed CONFORMANCE_TESTS_DIR CORPUS_DIR\n");
        return 2;
    }
    static const char *const targets[] = {"fuzz_asm", "fuzz_validate", "fuzz_interp"};
    for (size_t i = 0; i < 3; i++) {
        char dir[4096];
        snprintf(dir, sizeof(dir), "%s/%s", argv[2], targets[i]);
        mkdir(argv[2], 0777);
        mkdir(dir, 0777);
    }
    DIR *d = opendir(argv[1]);
    if (!d) {
        fprintf(stderr, "fuzz_seed: %s: %s\n", argv[1], strerror(errno));
        return 1;
    }
    int files = 0, failed = 0;
    for (struct dirent *e; (e = readdir(d));) {
        size_t len = strlen(e->d_name);
        if (len < 6 || strcmp(e->d_name + len - 5, ".data") != 0)
            continue;
        char path[4096];
        snprintf(path, sizeof(path), "%s/%s", argv[1], e->d_name);
        if (seed_one(path, e->d_name, argv[2]) != 0)
            failed++;
        files++;
    }
    closedir(d);
    if (write_dict(argv[2]) != 0)
        failed++;
    printf("fuzz_seed: %d conformance files seeded into %s (%d failed)\n", files, argv[2], failed);
    return failed ? 1 : 0;
}
