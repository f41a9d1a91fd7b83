/*
 * cmd_run.c - `ebpf run OBJ --program NAME [--data-hex HEX | --data-file F]
 *            [--map-update MAP KEYHEX VALUEHEX]... [--repeat N] [--engine checked|interp|jit] [--json]
 *            [--dump-maps]`: loads a clang-compiled object, fills maps, test-runs one XDP program on a
 * packet (ebpf_prog_test_run) and prints the return value with its XDP action name, ns per run and
 * the packet bytes the program changed; --dump-maps lists every map's entries. Public API only.
 *
 * Engines: `checked` (default) confines every memory access of the program; `interp` (fast
 * interpreter) and `jit` run it unchecked and, since no verifier exists yet, are only for trusted
 * objects. Exit codes: 0 the program ran, 1 it stopped early (fault, budget), 2 bad input or usage
 * (malformed object, unknown program or map, bad hex, wrong sizes).
 *
 * JSON output is one object on one line: retval, action, ns_per_run, runs, data_out (hex), and with
 * --dump-maps "maps": [{"name", "entries": [{"key", "value"}]}] (hex).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_util.h"
#include "commands.h"

#define RUN_USAGE                                                                                          \
    "usage: ebpf run OBJ --program NAME [--data-hex HEX | --data-file F] [--map-update MAP KEYHEX VALUEHEX]... " \
    "[--repeat N] [--engine checked|interp|jit] [--json] [--dump-maps]"
#define RUN_MAX_UPDATES 256
#define RUN_MAX_DUMP 4096 /* entries listed per map */

typedef struct map_update {
    const char *map, *key, *value;
} map_update;

static void log_to_stderr(enum ebpf_log_level level, const char *message, void *user)
{
    (void)user;
    if (level <= EBPF_LOG_WARN)
        cli_error("%s", message);
}

static void print_hex(const uint8_t *data, size_t size)
{
    for (size_t i = 0; i < size; i++)
        printf("%02x", data[i]);
}

/* A JSON string; bytes outside printable ASCII become \u00XX so that the output always parses. */
static void json_name(const char *s)
{
    putchar('"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            printf("\\%c", c);
        else if (c < 0x20 || c >= 0x7f)
            printf("\\u%04x", c);
        else
            putchar(c);
    }
    putchar('"');
}

/* Applies one --map-update. Returns 0 or prints the reason and returns CLI_EXIT_USAGE. */
static int apply_update(const char *path, ebpf_object *obj, const map_update *u)
{
    int index = ebpf_object_find_map(obj, u->map);
    if (index < 0) {
        cli_error("%s: no map named '%s'", path, u->map);
        return CLI_EXIT_USAGE;
    }
    EBPF_OPTS(ebpf_map_info, info);
    ebpf_object_map_info(obj, (size_t)index, &info);
    size_t value_size = ebpf_object_map_value_size(obj, (size_t)index);
    uint8_t *key = NULL, *value = NULL;
    size_t key_len, value_len;
    char why[128];
    int rc = CLI_EXIT_USAGE;
    if (cli_parse_hex(u->key, &key, &key_len, why, sizeof why) != 0) {
        cli_error("--map-update %s: bad key hex: %s", u->map, why);
    } else if (cli_parse_hex(u->value, &value, &value_len, why, sizeof why) != 0) {
        cli_error("--map-update %s: bad value hex: %s", u->map, why);
    } else if (key_len != info.key_size || value_len != value_size) {
        cli_error("--map-update %s: key has %zu bytes and value %zu, the map wants %u and %zu", u->map, key_len,
                  value_len, (unsigned)info.key_size, value_size);
    } else {
        int err = ebpf_object_map_update(obj, (size_t)index, key, key_len, value, value_len, 0);
        if (err)
            cli_error("--map-update %s: %s", u->map, strerror(-err));
        else
            rc = CLI_EXIT_OK;
    }
    free(key);
    free(value);
    return rc;
}

static void dump_maps(ebpf_object *obj, bool json)
{
    if (json)
        fputs(",\"maps\":[", stdout);
    bool first_map = true;
    for (size_t i = 0; i < ebpf_object_map_count(obj); i++) {
        EBPF_OPTS(ebpf_map_info, info);
        size_t value_size = ebpf_object_map_value_size(obj, i);
        if (ebpf_object_map_info(obj, i, &info) != 0 || value_size == 0 || info.key_size == 0)
            continue; /* not created (templates) or not keyed (queues, ring buffers) */
        uint8_t *key = calloc(1, info.key_size), *next = calloc(1, info.key_size), *value = calloc(1, value_size);
        if (!key || !next || !value) {
            free(key), free(next), free(value);
            continue;
        }
        if (json) {
            fputs(first_map ? "{\"name\":" : ",{\"name\":", stdout);
            json_name(info.name);
            fputs(",\"entries\":[", stdout);
        } else {
            printf("map %s (%s):\n", info.name, info.type);
        }
        first_map = false;
        bool have_key = false;
        for (size_t n = 0; n < RUN_MAX_DUMP; n++) {
            if (ebpf_object_map_next_key(obj, i, have_key ? key : NULL, next, info.key_size) != 0)
                break;
            memcpy(key, next, info.key_size);
            have_key = true;
            if (ebpf_object_map_lookup(obj, i, key, info.key_size, value, value_size) != 0)
                continue;
            if (json) {
                fputs(n ? ",{\"key\":\"" : "{\"key\":\"", stdout);
                print_hex(key, info.key_size);
                fputs("\",\"value\":\"", stdout);
                print_hex(value, value_size);
                fputs("\"}", stdout);
            } else {
                fputs("  ", stdout);
                print_hex(key, info.key_size);
                fputs(": ", stdout);
                print_hex(value, value_size);
                putchar('\n');
            }
        }
        if (json)
            fputs("]}", stdout);
        free(key), free(next), free(value);
    }
    if (json)
        fputs("]", stdout);
}

static void print_changes(const uint8_t *in, size_t in_size, const uint8_t *out, size_t out_size)
{
    if (in_size != out_size) {
        printf("packet: %zu -> %zu bytes: ", in_size, out_size);
        print_hex(out, out_size);
        putchar('\n');
        return;
    }
    size_t changed = 0;
    for (size_t i = 0; i < in_size; i++)
        changed += in[i] != out[i];
    if (!changed) {
        printf("packet: %zu bytes, unchanged\n", in_size);
        return;
    }
    printf("packet: %zu bytes, %zu changed:", in_size, changed);
    for (size_t i = 0; i < in_size; i++)
        if (in[i] != out[i])
            printf(" @%zu %02x->%02x", i, in[i], out[i]);
    putchar('\n');
}

int cmd_run(int argc, char **argv)
{
    ebpf_set_log_callback(log_to_stderr, NULL);
    const char *path = NULL, *program = NULL, *data_hex = NULL, *data_file = NULL;
    map_update updates[RUN_MAX_UPDATES];
    size_t update_count = 0;
    uint64_t repeat = 1;
    enum ebpf_exec_mode mode = EBPF_EXEC_CHECKED;
    bool json = false, dump = false;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        bool more = i + 1 < argc;
        if (!strcmp(a, "--program") && more) {
            program = argv[++i];
        } else if (!strcmp(a, "--data-hex") && more && !data_file) {
            data_hex = argv[++i];
        } else if (!strcmp(a, "--data-file") && more && !data_hex) {
            data_file = argv[++i];
        } else if (!strcmp(a, "--map-update") && i + 3 < argc) {
            if (update_count == RUN_MAX_UPDATES) {
                cli_error("run: at most %d --map-update", RUN_MAX_UPDATES);
                return CLI_EXIT_USAGE;
            }
            updates[update_count++] = (map_update){ argv[i + 1], argv[i + 2], argv[i + 3] };
            i += 3;
        } else if (!strcmp(a, "--repeat") && more) {
            if (!cli_parse_u64(argv[++i], &repeat) || repeat == 0 || repeat > UINT32_MAX) {
                cli_error("run: --repeat wants a number from 1 to %u", (unsigned)UINT32_MAX);
                return CLI_EXIT_USAGE;
            }
        } else if (!strcmp(a, "--engine") && more) {
            const char *e = argv[++i];
            if (!strcmp(e, "checked"))
                mode = EBPF_EXEC_CHECKED;
            else if (!strcmp(e, "interp"))
                mode = EBPF_EXEC_FAST;
            else if (!strcmp(e, "jit"))
                mode = EBPF_EXEC_JIT;
            else {
                cli_error("run: --engine is checked, interp or jit (not '%s')", e);
                return CLI_EXIT_USAGE;
            }
        } else if (!strcmp(a, "--json")) {
            json = true;
        } else if (!strcmp(a, "--dump-maps")) {
            dump = true;
        } else if (a[0] != '-' && !path) {
            path = a;
        } else {
            cli_error("run: unexpected argument '%s'; %s", a, RUN_USAGE);
            return CLI_EXIT_USAGE;
        }
    }
    if (!path || !program || (!data_hex && !data_file)) {
        cli_error("run: %s", RUN_USAGE);
        return CLI_EXIT_USAGE;
    }

    uint8_t *data = NULL;
    size_t size = 0;
    char why[128];
    if (data_hex && cli_parse_hex(data_hex, &data, &size, why, sizeof why) != 0) {
        cli_error("run: bad --data-hex: %s", why);
        return CLI_EXIT_USAGE;
    }
    if (data_file) {
        int err = cli_read_file(data_file, &data, &size);
        if (err) {
            cli_error("run: cannot read '%s': %s", data_file, strerror(-err));
            return CLI_EXIT_USAGE;
        }
    }

    int rc = CLI_EXIT_USAGE;
    uint8_t *out = NULL;
    struct ebpf_diag diag;
    ebpf_object *obj = ebpf_object_open_file(path, NULL, &diag);
    if (!obj) {
        cli_error("%s: %s", path, diag.message);
        goto done;
    }
    if (ebpf_object_load(obj, &diag) != 0) {
        cli_error("%s: %s%s%s", path, diag.message, diag.line[0] ? " at " : "", diag.line);
        goto done;
    }
    ebpf_program *prog = ebpf_object_find_program(obj, program, &diag);
    if (!prog) {
        cli_error("%s: %s", path, diag.message);
        goto done;
    }
    for (size_t i = 0; i < update_count; i++)
        if (apply_update(path, obj, &updates[i]) != CLI_EXIT_OK)
            goto done;
    size_t cap = size + 4096; /* room for adjust_tail growth and metadata */
    out = malloc(cap);
    if (!out) {
        cli_error("run: out of memory");
        goto done;
    }
    EBPF_OPTS(ebpf_test_run_opts, t, .data_in = data, .data_size_in = size, .data_out = out, .data_size_out = cap,
              .repeat = (uint32_t)repeat, .mode = mode);
    int err = ebpf_prog_test_run(prog, &t);
    if (err == -EFAULT || err == -ETIMEDOUT || err == -ELOOP || err == -ENOENT) {
        if (t.fault_insn >= 0)
            cli_error("%s: program '%s' stopped at instruction %" PRId64 ": %s", path, program, t.fault_insn,
                      t.message);
        else
            cli_error("%s: program '%s' stopped: %s", path, program, t.message);
        rc = CLI_EXIT_FAIL;
        goto done;
    }
    if (err) {
        cli_error("%s: %s", path, t.message[0] ? t.message : strerror(-err));
        goto done;
    }
    const char *action = ebpf_xdp_action_name(t.retval);
    if (json) {
        printf("{\"retval\":%" PRIu32 ",\"action\":", t.retval);
        if (action)
            printf("\"%s\"", action);
        else
            fputs("null", stdout);
        printf(",\"ns_per_run\":%" PRIu64 ",\"runs\":%" PRIu64 ",\"data_out\":\"", t.duration, repeat);
        print_hex(out, t.data_size_out);
        putchar('"');
        if (dump)
            dump_maps(obj, true);
        puts("}");
    } else {
        printf("retval %" PRIu32 " (%s)\n", t.retval, action ? action : "not an XDP action");
        printf("%" PRIu64 " run%s, %" PRIu64 " ns per run\n", repeat, repeat == 1 ? "" : "s", t.duration);
        print_changes(data, size, out, t.data_size_out);
        if (dump)
            dump_maps(obj, false);
    }
    rc = CLI_EXIT_OK;
done:
    free(out);
    free(data);
    ebpf_object_close(obj);
    return rc;
}
