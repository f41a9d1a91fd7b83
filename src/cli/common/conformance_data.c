/*
 * conformance_data.c - the bpf_conformance .data reader. Follows the upstream runner's rules to the
 * letter, quirks included: `#` starts a comment anywhere, a line containing `--` is a section header
 * chosen by substring, the result is the last non-empty result line read with strtoull rules, memory
 * is read as hex tokens until the first token that is not hex.
 */
#include "conformance_data.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_util.h"
#include "platform/platform.h" /* directory listing: the one OS service the tools need beyond stdio */

typedef enum section { SEC_NONE, SEC_ASM, SEC_RESULT, SEC_MEM, SEC_RAW, SEC_IGNORED, SEC_ERROR } section;

typedef struct text {
    char *data;
    size_t len, cap;
} text;

static int text_add(text *t, const char *s, size_t n, char sep)
{
    if (t->len + n + 2 > t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 256;
        while (cap < t->len + n + 2)
            cap *= 2;
        char *bigger = realloc(t->data, cap);
        if (!bigger)
            return -ENOMEM;
        t->data = bigger;
        t->cap = cap;
    }
    memcpy(t->data + t->len, s, n);
    t->len += n;
    t->data[t->len++] = sep;
    t->data[t->len] = 0;
    return 0;
}

static section header_kind(const char *line)
{
    static const struct { const char *word; section kind; } order[] = {
        { "asm", SEC_ASM }, { "result", SEC_RESULT }, { "mem", SEC_MEM }, { "raw", SEC_RAW },
        { "no register offset", SEC_IGNORED }, { " c", SEC_IGNORED }, { "error", SEC_ERROR },
    };
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
        if (strstr(line, order[i].word))
            return order[i].kind;
    return SEC_NONE;
}

static bool is_blank(const char *s)
{
    for (; *s; s++)
        if (!isspace((unsigned char)*s))
            return false;
    return true;
}

/* Hex tokens until the first one that does not start with a hex number; each is cut to a byte. */
static int parse_mem(const char *joined, conf_test *test)
{
    size_t cap = strlen(joined) / 2 + 1;
    test->mem = malloc(cap);
    if (!test->mem)
        return -ENOMEM;
    const char *p = joined;
    while (*p) {
        while (isspace((unsigned char)*p))
            p++;
        if (!*p)
            break;
        char *end;
        unsigned long v = strtoul(p, &end, 16);
        if (end == p || *p == '-' || *p == '+')
            break;
        test->mem[test->mem_size++] = (uint8_t)v;
        if (*end && !isspace((unsigned char)*end))
            break;
        p = end;
    }
    return 0;
}

/* 64-bit words (0x = hex, else decimal), or 8 bytes per instruction when every token is two hex digits. */
static int parse_raw(const char *joined, conf_test *test)
{
    size_t tokens = 0, byte_like = 0;
    for (const char *p = joined; *p;) {
        while (isspace((unsigned char)*p))
            p++;
        if (!*p)
            break;
        const char *start = p;
        while (*p && !isspace((unsigned char)*p))
            p++;
        tokens++;
        if (p - start == 2 && isxdigit((unsigned char)start[0]) && isxdigit((unsigned char)start[1]))
            byte_like++;
    }
    test->raw_is_bytes = tokens > 0 && byte_like == tokens && tokens % 8 == 0;
    test->raw = malloc(tokens * 8 + 1);
    if (!test->raw)
        return -ENOMEM;
    for (const char *p = joined; *p;) {
        while (isspace((unsigned char)*p))
            p++;
        if (!*p)
            break;
        char *end;
        bool hex = p[0] == '0' && (p[1] == 'x' || p[1] == 'X');
        unsigned long long v = strtoull(p, &end, test->raw_is_bytes ? 16 : (hex ? 16 : 10));
        if (end == p)
            end = (char *)p + 1;
        if (test->raw_is_bytes) {
            test->raw[test->raw_size++] = (uint8_t)v;
        } else {
            for (int i = 0; i < 8; i++)
                test->raw[test->raw_size++] = (uint8_t)(v >> (8 * i));
        }
        p = end;
        while (*p && !isspace((unsigned char)*p))
            p++;
    }
    return 0;
}

int conf_test_load(const char *path, conf_test *test)
{
    memset(test, 0, sizeof *test);
    uint8_t *data;
    size_t size;
    int rc = cli_read_file(path, &data, &size);
    if (rc != 0)
        return rc;

    text sections[SEC_ERROR + 1] = { { 0 } };
    char *last_result = NULL, *last_error = NULL;
    bool has_raw = false, has_mem = false;
    section current = SEC_NONE;
    char *next_line = (char *)data;
    while (next_line && rc == 0) {
        char *line = next_line;
        char *newline = strchr(line, '\n');
        if (newline)
            *newline = 0;
        next_line = newline ? newline + 1 : NULL;
        size_t len = strlen(line);
        if (len && line[len - 1] == '\r')
            line[--len] = 0;
        char *hash = strchr(line, '#');
        if (hash)
            *hash = 0;
        if (strstr(line, "--")) {
            current = header_kind(line);
            if (current == SEC_NONE)
                test->unknown_directive = true;
            has_raw |= current == SEC_RAW;
            has_mem |= current == SEC_MEM;
            continue;
        }
        if (is_blank(line))
            continue;
        switch (current) {
        case SEC_ASM:
            rc = text_add(&sections[SEC_ASM], line, strlen(line), '\n');
            break;
        case SEC_MEM:
        case SEC_RAW:
            rc = text_add(&sections[current], line, strlen(line), ' ');
            break;
        case SEC_RESULT:
            last_result = line;
            break;
        case SEC_ERROR:
            last_error = line;
            break;
        default:
            break;
        }
    }
    if (rc == 0 && last_result) {
        test->has_result = true;
        bool hex = strstr(last_result, "0x") != NULL;
        test->result = strtoull(last_result, NULL, hex ? 16 : 10);
    }
    if (rc == 0 && last_error && !(test->error = strdup(last_error)))
        rc = -ENOMEM;
    if (rc == 0 && sections[SEC_ASM].data)
        test->asm_source = sections[SEC_ASM].data, sections[SEC_ASM].data = NULL;
    if (rc == 0 && has_mem)
        rc = parse_mem(sections[SEC_MEM].data ? sections[SEC_MEM].data : "", test);
    if (rc == 0 && has_raw)
        rc = parse_raw(sections[SEC_RAW].data ? sections[SEC_RAW].data : "", test);
    for (int i = 0; i <= SEC_ERROR; i++)
        free(sections[i].data);
    free(data);
    if (rc != 0)
        conf_test_free(test);
    return rc;
}

void conf_test_free(conf_test *test)
{
    free(test->asm_source);
    free(test->raw);
    free(test->mem);
    free(test->error);
    memset(test, 0, sizeof *test);
}

const char *conf_test_skip_reason(const conf_test *test)
{
    if (test->unknown_directive)
        return "unknown directive";
    if (!test->has_result && !test->error)
        return "Test file has no BPF instructions";
    if (!test->raw && (!test->asm_source || is_blank(test->asm_source)))
        return "Test file has no BPF instructions";
    return NULL;
}

int conf_test_program(const conf_test *test, struct ebpf_insn **insns, struct ebpf_diag *diag)
{
    if (test->raw) {
        size_t count = test->raw_size / sizeof(struct ebpf_insn);
        *insns = malloc(count ? count * sizeof(struct ebpf_insn) : 1);
        if (!*insns)
            return -ENOMEM;
        memcpy(*insns, test->raw, count * sizeof(struct ebpf_insn));
        return (int)count;
    }
    if (!test->asm_source) {
        *insns = NULL;
        return 0;
    }
    return ebpf_assemble(test->asm_source, insns, diag);
}

static int compare_paths(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int conf_list_dir(const char *dir, char ***paths)
{
    char **names;
    int total = plat_list_dir(dir, &names);
    if (total < 0)
        return total;
    char **list = malloc((size_t)(total ? total : 1) * sizeof *list);
    if (!list) {
        plat_free_list(names, total);
        return -ENOMEM;
    }
    int count = 0;
    for (int i = 0; i < total; i++) {
        size_t len = strlen(names[i]);
        if (len < 5 || strcmp(names[i] + len - 5, ".data") != 0)
            continue;
        size_t n = strlen(dir) + len + 2;
        if (!(list[count] = malloc(n)))
            break;
        snprintf(list[count], n, "%s/%s", dir, names[i]);
        count++;
    }
    plat_free_list(names, total);
    if (count > 0)
        qsort(list, (size_t)count, sizeof *list, compare_paths);
    *paths = list;
    return count;
}

void conf_free_list(char **paths, int count)
{
    for (int i = 0; i < count; i++)
        free(paths[i]);
    free(paths);
}

uint64_t conf_helper_unwind(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5, void *user)
{
    (void)r2, (void)r3, (void)r4, (void)r5, (void)user;
    return r1;
}
