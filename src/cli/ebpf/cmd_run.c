/*
 * cmd_run.c - `ebpf run OBJ --program NAME [--data-hex HEX | --data-file F | --pcap F] [--ctx-hex HEX]
 *            [--map-update MAP KEYHEX VALUEHEX]... [--repeat N] [--engine checked|interp|jit] [--json]
 *            [--dump-maps]`: loads a clang-compiled object, fills maps, test-runs one program on a
 * packet and/or a context (ebpf_prog_test_run, Linux's BPF_PROG_TEST_RUN rules per program type) and
 * prints the return value (with its XDP action name for XDP programs), ns per run, the packet bytes
 * the program changed and the context after the run (ctx_out, hex); --dump-maps lists every map's
 * entries. Public API only.
 *
 * --ctx-hex is the program's UAPI context struct (ctx_in): a struct __sk_buff for skb programs (only
 * the fields Linux accepts may be non-zero), a struct bpf_sock_addr for cgroup_sock_addr programs
 * (required; they take no packet), a struct xdp_md for XDP. ctx_out is printed for every program type
 * with a context, and for XDP only when --ctx-hex was given (Linux returns it only then).
 *
 * With --pcap every packet of the capture (read with libpcap, see pcap_input.c) runs once, in file
 * order, on the same maps; the output is the packet count, the count per XDP action and the average
 * ns per packet. Packets test-run refuses (shorter than an Ethernet header, longer than 3520 bytes)
 * are counted as skipped. A malformed capture is bad input (exit 2) and nothing is printed on stdout.
 *
 * Engines: `checked` confines every memory access of the program; `interp` (fast interpreter) and
 * `jit` run it unchecked. The object is loaded with the library's default verification; a verified
 * program runs in `interp` unless an engine is named, others in `checked`. --no-verify loads without
 * verification, and then only `checked` may run the program. Exit codes: 0 the program ran, 1 it stopped early (fault, budget), 2 bad input or usage
 * (malformed object, unknown program or map, bad hex, wrong sizes).
 *
 * --repeat N: the N runs go in min(N, 31) batches, one ebpf_prog_test_run each; "ns per run" is the
 * median of the batches' ns per run (each batch's test-run duration), so that a preempted batch does not
 * skew it. Maps keep their state across batches, and each batch starts from the packet the previous
 * one left when the program kept the packet's size, so the packet evolves as in one call of N runs
 * (a program that resizes it or adds metadata restarts each batch from the input packet: the
 * headroom and metadata of one call do not carry over to the next). Every batch starts from ctx_in.
 *
 * JSON output is one object on one line: retval, action (null unless XDP), ns_per_run, runs, data_out
 * (hex), ctx_out (hex, as above), and with
 * --dump-maps "maps": [{"name", "entries": [{"key", "value"}]}] (hex). With --pcap: packets, actions
 * ({"XDP_ABORTED": n, ... "XDP_REDIRECT": n}), other (return values that are no XDP action), skipped,
 * ns_per_packet, and maps with --dump-maps.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_util.h"
#include "commands.h"
#include "pcap_input.h"

#define RUN_USAGE                                                                                          \
    "usage: ebpf run OBJ --program NAME [--data-hex HEX | --data-file F | --pcap F] [--ctx-hex HEX] " \
    "[--map-update MAP KEYHEX VALUEHEX]... " \
    "[--repeat N] [--engine checked|interp|jit] [--no-verify] [--json] [--dump-maps]"
#define RUN_MAX_UPDATES 256
#define RUN_MAX_DUMP 4096 /* entries listed per map */
#define RUN_XDP_ACTIONS 5 /* XDP_ABORTED .. XDP_REDIRECT */
#define RUN_MAX_PACKET 3520 /* the largest packet ebpf_prog_test_run takes */
#define RUN_MAX_CTX 512     /* the largest context struct (raw tracepoint records) */
#define RUN_MAX_BATCHES 31  /* --repeat: timed batches, the median reported */

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

/* The program type of the program `name` (function or section name), "" when not found. */
static const char *program_type(const ebpf_object *obj, const char *name)
{
    for (size_t i = 0; i < ebpf_object_program_count(obj); i++) {
        EBPF_OPTS(ebpf_program_info, info);
        if (ebpf_object_program_info(obj, i, &info) == 0 && (!strcmp(info.name, name) || !strcmp(info.section, name)))
            return info.type;
    }
    return "";
}

/* Reports a run that stopped early or failed; returns the exit code. */
static int run_failed(const char *path, const char *program, int err, const struct ebpf_test_run_opts *t,
                      uint64_t packet)
{
    char where[48] = "";
    if (packet)
        snprintf(where, sizeof where, " on packet %" PRIu64, packet);
    if (err == -EFAULT || err == -ETIMEDOUT || err == -ELOOP || err == -ENOENT) {
        if (t->fault_insn >= 0)
            cli_error("%s: program '%s' stopped%s at instruction %" PRId64 ": %s", path, program, where,
                      t->fault_insn, t->message);
        else
            cli_error("%s: program '%s' stopped%s: %s", path, program, where, t->message);
        return CLI_EXIT_FAIL;
    }
    cli_error("%s: %s%s", path, t->message[0] ? t->message : strerror(-err), where);
    return CLI_EXIT_USAGE;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* --repeat: `repeat` runs in batches (see the top of the file). t is set up for one call on the input
 * packet; afterwards it holds the last batch's results. *ns_per_run gets the median batch's ns per
 * run. Returns 0 or the failing call's error (t says why). */
static int run_batches(ebpf_program *prog, struct ebpf_test_run_opts *t, uint32_t repeat, uint64_t *ns_per_run)
{
    uint32_t batches = repeat < RUN_MAX_BATCHES ? repeat : RUN_MAX_BATCHES;
    uint64_t per_run[RUN_MAX_BATCHES];
    const void *input = t->data_in;
    size_t size = t->data_size_in, cap = t->data_size_out, ctx_cap = t->ctx_size_out;
    uint8_t *carry = malloc(size ? size : 1);
    if (!carry)
        return -ENOMEM;
    for (uint32_t b = 0; b < batches; b++) {
        t->repeat = repeat / batches + (b < repeat % batches);
        t->data_size_out = cap;
        t->ctx_size_out = ctx_cap;
        int err = ebpf_prog_test_run(prog, t);
        if (err) {
            t->data_in = input;
            free(carry);
            return err;
        }
        per_run[b] = t->duration;
        bool kept_size = t->data_size_out == size;
        if (kept_size)
            memcpy(carry, t->data_out, size);
        t->data_in = kept_size ? carry : input;
    }
    free(carry);
    t->data_in = input;
    qsort(per_run, batches, sizeof per_run[0], cmp_u64);
    *ns_per_run = batches % 2 ? per_run[batches / 2] : (per_run[batches / 2 - 1] + per_run[batches / 2]) / 2;
    return 0;
}

/* --pcap: runs every packet of the capture once and prints the counts per action. */
static int run_pcap(const char *path, const char *program, const char *pcap_path, cli_pcap *cap,
                    ebpf_object *obj, ebpf_program *prog, enum ebpf_exec_mode mode, bool json, bool dump)
{
    char why[256];
    uint64_t actions[RUN_XDP_ACTIONS] = { 0 }, other = 0, skipped = 0, packets = 0, ns_total = 0, ran = 0;
    size_t cap_out = RUN_MAX_PACKET + 4096;
    uint8_t *out = malloc(cap_out);
    int rc = CLI_EXIT_USAGE;
    if (!out) {
        cli_error("run: out of memory");
        goto done;
    }
    for (;;) {
        const uint8_t *data;
        size_t size;
        int got = cli_pcap_next(cap, &data, &size, why, sizeof why);
        if (got < 0) {
            cli_error("run: %s: packet %" PRIu64 ": %s", pcap_path, packets + 1, why);
            goto done;
        }
        if (got == 0)
            break;
        packets++;
        if (size < 14 || size > RUN_MAX_PACKET) {
            skipped++;
            continue;
        }
        EBPF_OPTS(ebpf_test_run_opts, t, .data_in = data, .data_size_in = size, .data_out = out,
                  .data_size_out = cap_out, .repeat = 1, .mode = mode);
        int err = ebpf_prog_test_run(prog, &t);
        if (err) {
            rc = run_failed(path, program, err, &t, packets);
            goto done;
        }
        ran++;
        ns_total += t.duration;
        if (t.retval < RUN_XDP_ACTIONS)
            actions[t.retval]++;
        else
            other++;
    }
    uint64_t ns_per_packet = ran ? ns_total / ran : 0;
    if (json) {
        printf("{\"packets\":%" PRIu64 ",\"actions\":{", packets);
        for (uint32_t a = 0; a < RUN_XDP_ACTIONS; a++)
            printf("%s\"%s\":%" PRIu64, a ? "," : "", ebpf_xdp_action_name(a), actions[a]);
        printf("},\"other\":%" PRIu64 ",\"skipped\":%" PRIu64 ",\"ns_per_packet\":%" PRIu64, other, skipped,
               ns_per_packet);
        if (dump)
            dump_maps(obj, true);
        puts("}");
    } else {
        printf("%" PRIu64 " packets, %" PRIu64 " ns per packet\n", packets, ns_per_packet);
        for (uint32_t a = 0; a < RUN_XDP_ACTIONS; a++)
            printf("  %-14s %" PRIu64 "\n", ebpf_xdp_action_name(a), actions[a]);
        if (other)
            printf("  %-14s %" PRIu64 "\n", "other", other);
        if (skipped)
            printf("  %-14s %" PRIu64 "   (shorter than 14 or longer than %d bytes)\n", "skipped", skipped,
                   RUN_MAX_PACKET);
        if (dump)
            dump_maps(obj, false);
    }
    rc = CLI_EXIT_OK;
done:
    free(out);
    return rc;
}

int cmd_run(int argc, char **argv)
{
    ebpf_set_log_callback(log_to_stderr, NULL);
    const char *path = NULL, *program = NULL, *data_hex = NULL, *data_file = NULL, *pcap_path = NULL;
    const char *ctx_hex = NULL;
    map_update updates[RUN_MAX_UPDATES];
    size_t update_count = 0;
    uint64_t repeat = 1;
    enum ebpf_exec_mode mode = EBPF_EXEC_CHECKED;
    bool json = false, dump = false, mode_given = false, no_verify = false;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        bool more = i + 1 < argc;
        if (!strcmp(a, "--program") && more) {
            program = argv[++i];
        } else if (!strcmp(a, "--data-hex") && more && !data_file && !pcap_path) {
            data_hex = argv[++i];
        } else if (!strcmp(a, "--data-file") && more && !data_hex && !pcap_path) {
            data_file = argv[++i];
        } else if (!strcmp(a, "--pcap") && more && !data_hex && !data_file) {
            pcap_path = argv[++i];
        } else if (!strcmp(a, "--ctx-hex") && more) {
            ctx_hex = argv[++i];
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
        } else if (!strcmp(a, "--no-verify")) {
            no_verify = true;
        } else if (!strcmp(a, "--engine") && more) {
            mode_given = true;
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
    if (!path || !program || (!data_hex && !data_file && !pcap_path && !ctx_hex)) {
        cli_error("run: %s", RUN_USAGE);
        return CLI_EXIT_USAGE;
    }

    uint8_t *data = NULL;
    size_t size = 0;
    char why[256];
    cli_pcap *capture = NULL;
    uint8_t *ctx_in = NULL, ctx_out[RUN_MAX_CTX];
    size_t ctx_size = 0;
    if (ctx_hex && pcap_path) {
        cli_error("run: --ctx-hex does not combine with --pcap");
        return CLI_EXIT_USAGE;
    }
    if (ctx_hex && cli_parse_hex(ctx_hex, &ctx_in, &ctx_size, why, sizeof why) != 0) {
        cli_error("run: bad --ctx-hex: %s", why);
        return CLI_EXIT_USAGE;
    }
    if (pcap_path) { /* the capture is checked before the object: bad input is reported first */
        if (repeat != 1) {
            cli_error("run: --repeat does not combine with --pcap (each packet runs once)");
            return CLI_EXIT_USAGE;
        }
        if (cli_pcap_open(pcap_path, &capture, why, sizeof why) != 0) {
            cli_error("run: %s: %s", pcap_path, why);
            return CLI_EXIT_USAGE;
        }
    }
    if (data_hex && cli_parse_hex(data_hex, &data, &size, why, sizeof why) != 0) {
        cli_error("run: bad --data-hex: %s", why);
        free(ctx_in);
        return CLI_EXIT_USAGE;
    }
    if (data_file) {
        int err = cli_read_file(data_file, &data, &size);
        if (err) {
            cli_error("run: cannot read '%s': %s", data_file, strerror(-err));
            free(ctx_in);
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
    EBPF_OPTS(ebpf_object_load_opts, load_opts, .verify = { .sz = sizeof(struct ebpf_verify_opts),
                                                             .mode = no_verify ? EBPF_VERIFY_NONE
                                                                               : EBPF_VERIFY_DEFAULT });
    if (ebpf_object_load_with_opts(obj, &load_opts, &diag) != 0) {
        cli_error("%s: %s%s%s", path, diag.message, diag.line[0] ? " at " : "", diag.line);
        goto done;
    }
    ebpf_program *prog = ebpf_object_find_program(obj, program, &diag);
    if (!prog) {
        cli_error("%s: %s%s%s", path, diag.message, diag.line[0] ? " at " : "", diag.line);
        goto done;
    }
    if (!mode_given && ebpf_program_trust(prog) == EBPF_TRUST_VERIFIED)
        mode = EBPF_EXEC_FAST; /* verified: the fast interpreter unless an engine is named */
    if (mode != EBPF_EXEC_CHECKED && ebpf_program_trust(prog) == EBPF_TRUST_UNVERIFIED) {
        cli_error("%s: --no-verify runs only in the checked engine (not '%s')", path,
                  mode == EBPF_EXEC_JIT ? "jit" : "interp");
        goto done;
    }
    for (size_t i = 0; i < update_count; i++)
        if (apply_update(path, obj, &updates[i]) != CLI_EXIT_OK)
            goto done;
    if (pcap_path) {
        rc = run_pcap(path, program, pcap_path, capture, obj, prog, mode, json, dump);
        goto done;
    }
    size_t cap = size + 4096; /* room for adjust_tail growth and metadata */
    out = malloc(cap);
    if (!out) {
        cli_error("run: out of memory");
        goto done;
    }
    bool xdp = !strcmp(program_type(obj, program), "xdp");
    EBPF_OPTS(ebpf_test_run_opts, t, .data_in = data, .data_size_in = size, .data_out = out, .data_size_out = cap,
              .repeat = 1, .mode = mode, .ctx_in = ctx_in, .ctx_size_in = ctx_size,
              .ctx_out = xdp && !ctx_in ? NULL : ctx_out, .ctx_size_out = sizeof ctx_out);
    uint64_t ns_per_run = 0;
    int err = run_batches(prog, &t, (uint32_t)repeat, &ns_per_run);
    if (err) {
        rc = run_failed(path, program, err, &t, 0);
        goto done;
    }
    const char *action = xdp ? ebpf_xdp_action_name(t.retval) : NULL;
    if (json) {
        printf("{\"retval\":%" PRIu32 ",\"action\":", t.retval);
        if (action)
            printf("\"%s\"", action);
        else
            fputs("null", stdout);
        printf(",\"ns_per_run\":%" PRIu64 ",\"runs\":%" PRIu64 ",\"data_out\":\"", ns_per_run, repeat);
        print_hex(out, t.data_size_out);
        putchar('"');
        if (t.ctx_size_out) {
            fputs(",\"ctx_out\":\"", stdout);
            print_hex(ctx_out, t.ctx_size_out);
            putchar('"');
        }
        if (dump)
            dump_maps(obj, true);
        puts("}");
    } else {
        if (xdp)
            printf("retval %" PRIu32 " (%s)\n", t.retval, action ? action : "not an XDP action");
        else
            printf("retval %" PRIu32 "\n", t.retval);
        printf("%" PRIu64 " run%s, %" PRIu64 " ns per run", repeat, repeat == 1 ? "" : "s", ns_per_run);
        if (repeat > 1)
            printf(" (median of %u batches)", (unsigned)(repeat < RUN_MAX_BATCHES ? repeat : RUN_MAX_BATCHES));
        putchar('\n');
        if (size || t.data_size_out)
            print_changes(data, size, out, t.data_size_out);
        if (t.ctx_size_out) {
            fputs("ctx_out: ", stdout);
            print_hex(ctx_out, t.ctx_size_out);
            putchar('\n');
        }
        if (dump)
            dump_maps(obj, false);
    }
    rc = CLI_EXIT_OK;
done:
    free(out);
    free(data);
    free(ctx_in);
    cli_pcap_close(capture);
    ebpf_object_close(obj);
    return rc;
}
