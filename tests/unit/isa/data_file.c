/*
 * data_file.c - the `.data` reader of the isa unit tests (see data_file.h). Test code: it may use
 * POSIX directly and aborts on allocation failure.
 */
#define _POSIX_C_SOURCE 200809L /* getline, opendir */
#include "data_file.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *xrealloc(void *p, size_t size)
{
    p = realloc(p, size ? size : 1);
    if (!p) {
        fprintf(stderr, "out of memory\n");
        abort();
    }
    return p;
}

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(xrealloc(NULL, n), s, n);
}

static void append(char **text, size_t *len, const char *line)
{
    size_t n = strlen(line);
    *text = xrealloc(*text, *len + n + 2);
    memcpy(*text + *len, line, n);
    *len += n;
    (*text)[(*len)++] = '\n';
    (*text)[*len] = '\0';
}

typedef enum section { SEC_NONE, SEC_ASM, SEC_RESULT, SEC_MEM, SEC_RAW, SEC_IGNORED, SEC_ERROR } section;

static section header_kind(const char *line)
{
    static const struct { const char *needle; section kind; } order[] = {
        { "asm", SEC_ASM }, { "result", SEC_RESULT }, { "mem", SEC_MEM }, { "raw", SEC_RAW },
        { "no register offset", SEC_IGNORED }, { " c", SEC_IGNORED }, { "error", SEC_ERROR },
    };
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
        if (strstr(line, order[i].needle))
            return order[i].kind;
    return SEC_NONE;
}

static bool blank(const char *s)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
            return false;
    return true;
}

int data_file_read(const char *path, data_file *df)
{
    memset(df, 0, sizeof *df);
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    char *line = NULL;
    size_t line_cap = 0, asm_len = 0;
    section sec = SEC_NONE;
    for (;;) {
        /* getline is POSIX; the unit tests only run on POSIX hosts. */
        ssize_t got = getline(&line, &line_cap, f);
        if (got < 0)
            break;
        line[strcspn(line, "\n")] = '\0';
        size_t n = strlen(line);
        if (n > 0 && line[n - 1] == '\r')
            line[n - 1] = '\0';
        line[strcspn(line, "#")] = '\0';
        if (strstr(line, "--")) {
            sec = header_kind(line);
            if (sec == SEC_NONE)
                df->unknown_directive = true;
            if (sec == SEC_ASM && !df->asm_text)
                df->asm_text = xstrdup("");
            if (sec == SEC_RAW)
                df->has_raw = true;
            continue;
        }
        if (blank(line))
            continue;
        switch (sec) {
        case SEC_ASM:
            append(&df->asm_text, &asm_len, line);
            break;
        case SEC_RESULT:
            free(df->result);
            df->result = xstrdup(line);
            break;
        case SEC_ERROR:
            free(df->error);
            df->error = xstrdup(line);
            break;
        case SEC_RAW:
            for (char *tok = strtok(line, " \t"); tok; tok = strtok(NULL, " \t")) {
                df->raw = xrealloc(df->raw, (df->raw_count + 1) * sizeof *df->raw);
                df->raw[df->raw_count++] = xstrdup(tok);
            }
            break;
        default:
            break;
        }
    }
    free(line);
    fclose(f);
    return 0;
}

void data_file_free(data_file *df)
{
    free(df->asm_text);
    free(df->error);
    free(df->result);
    for (size_t i = 0; i < df->raw_count; i++)
        free(df->raw[i]);
    free(df->raw);
    memset(df, 0, sizeof *df);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int data_names(const char *dir, const char *prefix, char ***names)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    int count = 0;
    *names = NULL;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        size_t n = strlen(e->d_name);
        if (strncmp(e->d_name, prefix, strlen(prefix)) != 0 || n < 5 || strcmp(e->d_name + n - 5, ".data") != 0)
            continue;
        *names = xrealloc(*names, (size_t)(count + 1) * sizeof **names);
        (*names)[count++] = xstrdup(e->d_name);
    }
    closedir(d);
    if (count > 0)
        qsort(*names, (size_t)count, sizeof **names, by_name);
    return count;
}

void data_names_free(char **names, int count)
{
    for (int i = 0; i < count; i++)
        free(names[i]);
    free(names);
}

char *data_path(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *path = xrealloc(NULL, n);
    snprintf(path, n, "%s/%s", dir, name);
    return path;
}
