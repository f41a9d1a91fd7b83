/*
 * kd_compare.c - the comparison of two snapshots (kd_snapshot.h): the run's error (cases written to
 * fail), retval, the output packet (length
 * and bytes), the context handed back (size, then each differing 4-byte word by its offset in the
 * UAPI struct), every map (the same names; per map the same entries, keys and values byte for byte, in
 * order - an order that is not semantic was sorted away before) and every event map's records (CPU,
 * size, bytes) and lost count. Differences are printed in hex, kernel first.
 */
#include "kd_compare.h"

#include <string.h>

#define KD_SHOWN_PER_MAP 4  /* differing entries printed per map; the count says how many there were */
#define KD_HEX_MAX 48       /* bytes printed of one value */

static void hex(FILE *out, const uint8_t *data, size_t size)
{
    size_t n = size < KD_HEX_MAX ? size : KD_HEX_MAX;
    for (size_t i = 0; i < n; i++)
        fprintf(out, "%02x", data[i]);
    if (n < size)
        fprintf(out, "...(%zu bytes)", size);
    if (size == 0)
        fprintf(out, "(empty)");
}

static void show(FILE *out, bool names, const uint8_t *data, size_t size)
{
    if (names)
        fprintf(out, "'%.*s'", (int)size, (const char *)data);
    else
        hex(out, data, size);
}

static bool same_bytes(const uint8_t *a, size_t an, const uint8_t *b, size_t bn)
{
    return an == bn && (an == 0 || memcmp(a, b, an) == 0);
}

static const struct kd_map_dump *find_map(const struct kd_snapshot *s, const char *name)
{
    for (size_t i = 0; i < s->map_count; i++)
        if (!strcmp(s->maps[i].name, name))
            return &s->maps[i];
    return NULL;
}

static const struct kd_stream *find_stream(const struct kd_snapshot *s, const char *name)
{
    for (size_t i = 0; i < s->stream_count; i++)
        if (!strcmp(s->streams[i].name, name))
            return &s->streams[i];
    return NULL;
}

static size_t compare_map(const struct kd_map_dump *k, const struct kd_map_dump *o, FILE *out)
{
    size_t diffs = 0, n = k->count > o->count ? k->count : o->count;
    if (k->count != o->count) {
        fprintf(out, "    map %s: %zu entries in the kernel, %zu here\n", k->name, k->count, o->count);
        diffs++;
    }
    for (size_t i = 0; i < n; i++) {
        const struct kd_entry *ke = i < k->count ? &k->entries[i] : NULL;
        const struct kd_entry *oe = i < o->count ? &o->entries[i] : NULL;
        if (ke && oe && !memcmp(ke->key, oe->key, k->key_size) &&
            same_bytes(ke->value, ke->value_size, oe->value, oe->value_size))
            continue;
        if (++diffs > KD_SHOWN_PER_MAP + 1)
            continue;
        fprintf(out, "    map %s entry %zu: kernel ", k->name, i);
        if (ke) {
            hex(out, ke->key, k->key_size);
            fprintf(out, " = ");
            show(out, k->names, ke->value, ke->value_size);
        } else {
            fprintf(out, "(none)");
        }
        fprintf(out, ", here ");
        if (oe) {
            hex(out, oe->key, o->key_size);
            fprintf(out, " = ");
            show(out, o->names, oe->value, oe->value_size);
        } else {
            fprintf(out, "(none)");
        }
        fprintf(out, "\n");
    }
    if (diffs > KD_SHOWN_PER_MAP + 1)
        fprintf(out, "    map %s: %zu differences in all\n", k->name, diffs);
    return diffs;
}

static size_t compare_stream(const struct kd_stream *k, const struct kd_stream *o, FILE *out)
{
    size_t diffs = 0, n = k->count > o->count ? k->count : o->count;
    if (k->count != o->count) {
        fprintf(out, "    %s: %zu records in the kernel, %zu here\n", k->name, k->count, o->count);
        diffs++;
    }
    if (k->lost != o->lost) {
        fprintf(out, "    %s: %llu records lost in the kernel, %llu here\n", k->name, (unsigned long long)k->lost,
                (unsigned long long)o->lost);
        diffs++;
    }
    for (size_t i = 0; i < n; i++) {
        const struct kd_record *kr = i < k->count ? &k->records[i] : NULL;
        const struct kd_record *or = i < o->count ? &o->records[i] : NULL;
        if (kr && or && kr->cpu == or->cpu && same_bytes(kr->data, kr->size, or->data, or->size))
            continue;
        if (++diffs > KD_SHOWN_PER_MAP + 2)
            continue;
        fprintf(out, "    %s record %zu: kernel ", k->name, i);
        if (kr) {
            fprintf(out, "cpu+%u ", kr->cpu);
            hex(out, kr->data, kr->size);
        } else {
            fprintf(out, "(none)");
        }
        fprintf(out, ", here ");
        if (or) {
            fprintf(out, "cpu+%u ", or->cpu);
            hex(out, or->data, or->size);
        } else {
            fprintf(out, "(none)");
        }
        fprintf(out, "\n");
    }
    return diffs;
}

/* The contexts, word by word: a difference names the field's offset in the UAPI struct. */
static size_t compare_ctx(const struct kd_snapshot *k, const struct kd_snapshot *o, FILE *out)
{
    if (k->ctx_size != o->ctx_size) {
        fprintf(out, "    ctx_out: %zu bytes from the kernel, %zu here\n", k->ctx_size, o->ctx_size);
        return 1;
    }
    size_t diffs = 0;
    for (size_t off = 0; off < k->ctx_size; off += 4) {
        size_t n = k->ctx_size - off < 4 ? k->ctx_size - off : 4;
        if (!memcmp(k->ctx + off, o->ctx + off, n))
            continue;
        fprintf(out, "    ctx_out at offset %zu: kernel ", off);
        hex(out, k->ctx + off, n);
        fprintf(out, ", here ");
        hex(out, o->ctx + off, n);
        fprintf(out, "\n");
        diffs++;
    }
    return diffs;
}

size_t kd_compare(const struct kd_snapshot *kernel, const struct kd_snapshot *ours, FILE *out)
{
    size_t diffs = 0;
    if (kernel->run_error != ours->run_error) {
        fprintf(out, "    test run: kernel %s, here %s\n", kernel->run_error ? strerror(-kernel->run_error) : "ok",
                ours->run_error ? strerror(-ours->run_error) : "ok");
        diffs++;
    }
    if (kernel->retval != ours->retval) {
        fprintf(out, "    retval: kernel %u, here %u\n", kernel->retval, ours->retval);
        diffs++;
    }
    if (!same_bytes(kernel->data, kernel->data_size, ours->data, ours->data_size)) {
        fprintf(out, "    data_out: kernel ");
        hex(out, kernel->data, kernel->data_size);
        fprintf(out, "\n              here   ");
        hex(out, ours->data, ours->data_size);
        fprintf(out, "\n");
        diffs++;
    }
    diffs += compare_ctx(kernel, ours, out);
    for (size_t i = 0; i < kernel->map_count; i++) {
        const struct kd_map_dump *o = find_map(ours, kernel->maps[i].name);
        if (!o) {
            fprintf(out, "    map %s: in the kernel's object only\n", kernel->maps[i].name);
            diffs++;
        } else {
            diffs += compare_map(&kernel->maps[i], o, out);
        }
    }
    for (size_t i = 0; i < ours->map_count; i++)
        if (!find_map(kernel, ours->maps[i].name)) {
            fprintf(out, "    map %s: in our object only\n", ours->maps[i].name);
            diffs++;
        }
    for (size_t i = 0; i < kernel->stream_count; i++) {
        const struct kd_stream *o = find_stream(ours, kernel->streams[i].name);
        if (!o) {
            fprintf(out, "    event map %s: in the kernel's object only\n", kernel->streams[i].name);
            diffs++;
        } else {
            diffs += compare_stream(&kernel->streams[i], o, out);
        }
    }
    for (size_t i = 0; i < ours->stream_count; i++)
        if (!find_stream(kernel, ours->streams[i].name)) {
            fprintf(out, "    event map %s: in our object only\n", ours->streams[i].name);
            diffs++;
        }
    return diffs;
}

void kd_snapshot_print(const struct kd_snapshot *s, FILE *out)
{
    if (s->run_error)
        fprintf(out, "    test run failed: %s\n", strerror(-s->run_error));
    fprintf(out, "    retval %u, data_out ", s->retval);
    hex(out, s->data, s->data_size);
    fprintf(out, "\n");
    if (s->ctx_size) {
        fprintf(out, "    ctx_out");
        for (size_t off = 0; off < s->ctx_size; off += 4) {
            uint32_t word = 0;
            memcpy(&word, s->ctx + off, s->ctx_size - off < 4 ? s->ctx_size - off : 4);
            if (word)
                fprintf(out, " @%zu=%#x", off, word);
        }
        fprintf(out, "\n");
    }
    for (size_t i = 0; i < s->map_count; i++) {
        const struct kd_map_dump *m = &s->maps[i];
        fprintf(out, "    map %s:", m->name);
        for (size_t e = 0; e < m->count; e++) {
            fprintf(out, " ");
            hex(out, m->entries[e].key, m->key_size);
            fprintf(out, "=");
            show(out, m->names, m->entries[e].value, m->entries[e].value_size);
        }
        fprintf(out, "\n");
    }
    for (size_t i = 0; i < s->stream_count; i++) {
        const struct kd_stream *st = &s->streams[i];
        fprintf(out, "    %s (%llu lost):", st->name, (unsigned long long)st->lost);
        for (size_t r = 0; r < st->count; r++) {
            fprintf(out, " cpu+%u:", st->records[r].cpu);
            hex(out, st->records[r].data, st->records[r].size);
        }
        fprintf(out, "\n");
    }
}
