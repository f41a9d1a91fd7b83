/*
 * sound_tally.c - folding and printing skip reasons, and the tally's line format between the
 * harness's child processes and its parent (sound_tally.h).
 */
#include "sound_tally.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

void sound_reason_add(sound_reasons *r, const char *text, unsigned long count)
{
    char folded[sizeof r->row[0].text];
    size_t n = 0;
    bool quoted = false;
    for (const char *p = text; *p && *p != '\n' && n + 1 < sizeof folded; p++) {
        if (*p == '\'') {                         /* names: 'prog' -> '*' */
            quoted = !quoted;
            if (quoted)
                folded[n++] = '*';
        } else if (quoted) {
            continue;
        } else if (isdigit((unsigned char)*p)) {
            if (n == 0 || folded[n - 1] != '#')
                folded[n++] = '#';
        } else if (!(*p == 'x' && n && folded[n - 1] == '#')) {
            folded[n++] = *p;
        }
    }
    folded[n] = '\0';
    for (size_t i = 0; i < r->rows; i++)
        if (strcmp(r->row[i].text, folded) == 0) {
            r->row[i].count += count;
            return;
        }
    if (r->rows == SOUND_REASONS_MAX) {
        r->other += count;
        return;
    }
    memcpy(r->row[r->rows].text, folded, n + 1);
    r->row[r->rows++].count = count;
}

void sound_reasons_print(const sound_reasons *r, const char *title)
{
    if (!r->rows)
        return;
    printf("  %s:\n", title);
    for (size_t i = 0; i < r->rows; i++)
        printf("    %5lu  %s\n", r->row[i].count, r->row[i].text);
    if (r->other)
        printf("    %5lu  (other reasons)\n", r->other);
}

void sound_tally_write(const sound_tally *t, FILE *f)
{
    fprintf(f, "SOUND_TALLY");
    for (size_t i = 0; i < T_COUNT; i++)
        fprintf(f, " %lu", t->n[i]);
    fprintf(f, "\n");
    for (size_t i = 0; i < t->skips.rows; i++)
        fprintf(f, "SOUND_REASON P %lu %s\n", t->skips.row[i].count, t->skips.row[i].text);
    for (size_t i = 0; i < t->m_skips.rows; i++)
        fprintf(f, "SOUND_REASON M %lu %s\n", t->m_skips.row[i].count, t->m_skips.row[i].text);
}

int sound_tally_parse(sound_tally *t, const char *line)
{
    if (strncmp(line, "SOUND_TALLY ", 12) == 0) {
        const char *p = line + 11;
        for (size_t i = 0; i < T_COUNT; i++) {
            char *end;
            t->n[i] += strtoul(p, &end, 10);
            p = end;
        }
        return 1;
    }
    if (strncmp(line, "SOUND_REASON ", 13) == 0 && (line[13] == 'P' || line[13] == 'M')) {
        char *end;
        unsigned long count = strtoul(line + 15, &end, 10);
        sound_reason_add(line[13] == 'P' ? &t->skips : &t->m_skips, *end ? end + 1 : end, count);
        return 1;
    }
    return 0;
}
