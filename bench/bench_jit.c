/*
 * bench_jit.c - our JIT against our fast interpreter, the Linux kernel's JIT and native code, on the
 * XDP programs of bench/progs (C compiled by clang -O2 -target bpf at build time). Linux only.
 *
 *   bench_jit [PROGS_DIR] [--min-ms N] [--batches N]
 *
 * For each program, in one process and on the same 128-byte UDP packet:
 *   jit     ebpf_prog_test_run, EBPF_EXEC_JIT
 *   interp  ebpf_prog_test_run, EBPF_EXEC_FAST (the fast interpreter)
 *   kernel  the same object loaded into the kernel through libbpf, bpf_prog_test_run_opts with repeat,
 *           timed by the kernel (its duration field, whole ns per run: a test-run call has milliseconds
 *           of set-up outside its timed loop); SKIPPED (loudly) when bpf() is unavailable. libbpf is
 *           used here only, as a measuring oracle; the runtime never links it.
 *   native  the C twin (jit_native.c) compiled by the host compiler at -O2, called through a volatile
 *           function pointer.
 * Time: each cell doubles the repeat count until one batch (one test-run call, or one loop of native
 * calls) takes at least --min-ms (2), then keeps the best of --batches (40) batches; ns per run is the
 * batch's wall time over its repeat count (the kernel: its own duration), so the call that starts a
 * batch is amortised. Before timing,
 * every column's result (the word the program writes into the packet, and the return value) is checked
 * against a checked-mode run. Nothing is asserted about time: results are for people.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "ebpf/ebpf.h"
#include "bench_table.h"
#include "jit_native.h"
#include "platform/platform.h"
#include "progs/bench_xdp.h"

#ifndef BENCH_JIT_PROGS_DIR
#define BENCH_JIT_PROGS_DIR "bench/progs"
#endif

enum { COL_JIT, COL_INTERP, COL_KERNEL, COL_NATIVE, COL_COUNT };

typedef enum { MAP_NONE, MAP_ARRAY, MAP_HASH } map_kind;

typedef struct bench_prog {
    const char *name; /* file bench/progs/NAME.bpf.c, program bench_NAME */
    map_kind map;
    native_fn native;
} bench_prog;

static const bench_prog progs[] = {
    { "nop", MAP_NONE, native_nop },
    { "alu", MAP_NONE, native_alu },
    { "parse", MAP_NONE, native_parse },
    { "array", MAP_ARRAY, native_array_lookups },
    { "hash", MAP_HASH, native_hash_lookups },
    { "branchy", MAP_NONE, native_branchy },
};
#define PROG_COUNT (sizeof progs / sizeof progs[0])

/* Many short batches: on a shared machine a 20 ms batch is almost always interrupted by another job,
 * while the kernel's own timer stops while its test run reschedules; the best of 40 batches of 2 ms
 * finds uninterrupted ones. */
static unsigned min_ms = 2, batches = 40;
static uint8_t packet[BENCH_PKT_LEN];

/* ---- the packet and the map contents -------------------------------------------------------------- */

static void put16be(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

/* Ethernet / IPv4 (valid checksum) / UDP 1234 -> 53 with a patterned payload; the seed word is 0. */
static void make_packet(void)
{
    uint8_t *p = packet;
    for (size_t i = 0; i < sizeof packet; i++)
        p[i] = (uint8_t)(i * 7 + 3);
    memcpy(p, "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01", 12);
    put16be(p + 12, 0x0800);
    uint8_t *ip = p + 14;
    memset(ip, 0, 20);
    ip[0] = 0x45;
    put16be(ip + 2, BENCH_PKT_LEN - 14);
    ip[8] = 64;
    ip[9] = 17;
    memcpy(ip + 12, "\x0a\x00\x00\x01\x0a\x00\x00\x02", 8);
    uint32_t sum = 0;
    for (int i = 0; i < 20; i += 2)
        sum += (uint32_t)ip[i] << 8 | ip[i + 1];
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    put16be(ip + 10, (uint16_t)~sum);
    uint8_t *udp = ip + 20;
    put16be(udp, 1234);
    put16be(udp + 2, 53);
    put16be(udp + 4, BENCH_PKT_LEN - 34);
    put16be(udp + 6, 0);
    memset(p + BENCH_SEED_OFF, 0, 4);
    memset(p + BENCH_RESULT_OFF, 0, 4);
}

/* Entry i of the benchmark maps: key and value. */
static uint32_t map_key(map_kind kind, uint32_t i)
{
    return kind == MAP_HASH ? i * BENCH_HASH_MULT : i;
}

static uint64_t map_value(uint32_t i)
{
    return (uint64_t)i * 0x100000001ull + 7;
}

static uint32_t result_word(const uint8_t *pkt)
{
    uint32_t v;
    memcpy(&v, pkt + BENCH_RESULT_OFF, sizeof v);
    return v;
}

/* ---- timing --------------------------------------------------------------------------------------- */

/* One batch of `repeat` runs; returns its wall time in ns, or a negative value on failure. */
typedef double (*batch_fn)(void *ctx, uint32_t repeat);

static double best_ns_per_run(batch_fn fn, void *ctx)
{
    uint32_t repeat = 256;
    double t;
    for (;;) {
        t = fn(ctx, repeat);
        if (t < 0)
            return -1;
        if (t >= min_ms * 1e6 || repeat >= UINT32_MAX / 2)
            break;
        repeat *= 2;
    }
    double best = t / repeat;
    for (unsigned b = 1; b < batches; b++) {
        t = fn(ctx, repeat);
        if (t < 0)
            return -1;
        if (t / repeat < best)
            best = t / repeat;
    }
    return best;
}

/* ---- our runtime ---------------------------------------------------------------------------------- */

typedef struct ours {
    ebpf_object *obj;
    ebpf_program *prog;
    enum ebpf_exec_mode mode;
} ours;

static int ours_run(ours *o, uint32_t repeat, uint8_t *out, uint32_t *retval, char *why, size_t why_size)
{
    EBPF_OPTS(ebpf_test_run_opts, t, .data_in = packet, .data_size_in = sizeof packet, .data_out = out,
              .data_size_out = out ? BENCH_PKT_LEN : 0, .repeat = repeat, .mode = o->mode);
    int err = ebpf_prog_test_run(o->prog, &t);
    if (err) {
        snprintf(why, why_size, "%s", t.message[0] ? t.message : strerror(-err));
        return err;
    }
    if (retval)
        *retval = t.retval;
    return 0;
}

static double ours_batch(void *ctx, uint32_t repeat)
{
    char why[160];
    uint64_t t0 = plat_monotonic_ns();
    if (ours_run(ctx, repeat, NULL, NULL, why, sizeof why) != 0)
        return -1;
    return (double)(plat_monotonic_ns() - t0);
}

static ebpf_object *ours_open(const char *path, map_kind kind, char *why, size_t why_size)
{
    struct ebpf_diag diag;
    ebpf_object *obj = ebpf_object_open_file(path, NULL, &diag);
    if (!obj) {
        snprintf(why, why_size, "%s", diag.message);
        return NULL;
    }
    if (ebpf_object_load(obj, &diag) != 0) {
        snprintf(why, why_size, "%s", diag.message);
        ebpf_object_close(obj);
        return NULL;
    }
    if (kind != MAP_NONE) {
        int m = ebpf_object_find_map(obj, "table");
        for (uint32_t i = 0; m >= 0 && i < BENCH_MAP_LOOKUPS; i++) {
            uint32_t key = map_key(kind, i);
            uint64_t value = map_value(i);
            int err = ebpf_object_map_update(obj, (size_t)m, &key, sizeof key, &value, sizeof value, 0);
            if (err) {
                snprintf(why, why_size, "map update: %s", strerror(-err));
                ebpf_object_close(obj);
                return NULL;
            }
        }
    }
    return obj;
}

/* ---- the kernel (libbpf) -------------------------------------------------------------------------- */

static char libbpf_log[8192];
static size_t libbpf_log_len;

static int libbpf_collect(enum libbpf_print_level level, const char *fmt, va_list args)
{
    if (level == LIBBPF_DEBUG || libbpf_log_len >= sizeof libbpf_log - 1)
        return 0;
    size_t room = sizeof libbpf_log - libbpf_log_len;
    int n = vsnprintf(libbpf_log + libbpf_log_len, room, fmt, args);
    if (n > 0)
        libbpf_log_len += (size_t)n < room ? (size_t)n : room - 1;
    return n;
}

typedef struct kern {
    struct bpf_object *obj;
    int prog_fd;
} kern;

static int kern_run(kern *k, uint32_t repeat, uint8_t *out, uint32_t *retval, uint32_t *duration)
{
    uint8_t scratch[BENCH_PKT_LEN + 256];
    LIBBPF_OPTS(bpf_test_run_opts, t, .data_in = packet, .data_size_in = sizeof packet,
                .data_out = out ? out : scratch, .data_size_out = out ? BENCH_PKT_LEN : sizeof scratch,
                .repeat = (int)repeat);
    int err = bpf_prog_test_run_opts(k->prog_fd, &t);
    if (err)
        return err < 0 ? err : -errno;
    if (retval)
        *retval = t.retval;
    if (duration)
        *duration = t.duration;
    return 0;
}

/* The kernel's own time: duration (average ns per run, whole ns) times repeat. Wall time would not do:
 * one XDP BPF_PROG_TEST_RUN call costs milliseconds of set-up outside the timed loop here. */
static double kern_batch(void *ctx, uint32_t repeat)
{
    uint32_t duration;
    if (kern_run(ctx, repeat, NULL, NULL, &duration) != 0)
        return -1;
    return (double)duration * repeat;
}

/* Loads NAME into the kernel; returns 0 or a negative errno with the reason in why. */
static int kern_open(kern *k, const char *path, const bench_prog *p, char *why, size_t why_size)
{
    libbpf_log_len = 0;
    libbpf_log[0] = 0;
    k->obj = bpf_object__open_file(path, NULL);
    if (!k->obj) {
        int err = -errno;
        snprintf(why, why_size, "open: %s", strerror(-err));
        return err;
    }
    int err = bpf_object__load(k->obj);
    if (err) {
        snprintf(why, why_size, "load: %s%s%.300s", strerror(-err), libbpf_log_len ? "; libbpf: " : "",
                 libbpf_log);
        bpf_object__close(k->obj);
        k->obj = NULL;
        return err;
    }
    char prog_name[64];
    snprintf(prog_name, sizeof prog_name, "bench_%s", p->name);
    struct bpf_program *prog = bpf_object__find_program_by_name(k->obj, prog_name);
    k->prog_fd = prog ? bpf_program__fd(prog) : -1;
    if (k->prog_fd < 0) {
        snprintf(why, why_size, "no program %s", prog_name);
        bpf_object__close(k->obj);
        k->obj = NULL;
        return -ENOENT;
    }
    if (p->map != MAP_NONE) {
        struct bpf_map *map = bpf_object__find_map_by_name(k->obj, "table");
        for (uint32_t i = 0; map && i < BENCH_MAP_LOOKUPS; i++) {
            uint32_t key = map_key(p->map, i);
            uint64_t value = map_value(i);
            err = bpf_map__update_elem(map, &key, sizeof key, &value, sizeof value, 0);
            if (err) {
                snprintf(why, why_size, "map update: %s", strerror(-err));
                bpf_object__close(k->obj);
                k->obj = NULL;
                return err;
            }
        }
    }
    return 0;
}

/* ---- native --------------------------------------------------------------------------------------- */

typedef struct native {
    native_fn volatile fn;
    native_env env;
    uint8_t pkt[BENCH_PKT_LEN];
} native;

static double native_batch(void *ctx, uint32_t repeat)
{
    native *n = ctx;
    uint64_t t0 = plat_monotonic_ns();
    for (uint32_t r = 0; r < repeat; r++)
        n->fn(n->pkt, sizeof n->pkt, &n->env);
    return (double)(plat_monotonic_ns() - t0);
}

/* ---- the command line ------------------------------------------------------------------------------ */

static void usage(void)
{
    fprintf(stderr, "usage: bench_jit [PROGS_DIR] [--min-ms N] [--batches N]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    const char *dir = BENCH_JIT_PROGS_DIR;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--min-ms") && i + 1 < argc)
            min_ms = (unsigned)strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--batches") && i + 1 < argc)
            batches = (unsigned)strtoul(argv[++i], NULL, 10);
        else if (argv[i][0] == '-')
            usage();
        else
            dir = argv[i];
    }
    if (min_ms == 0 || batches == 0)
        usage();
    make_packet();
    libbpf_set_print(libbpf_collect);

    static native_array array;
    static native_hash hash;
    static native_chain chain = { .seed = 0x5eed5eed5eed5eedull };
    array.max_entries = BENCH_MAP_LOOKUPS;
    for (uint32_t i = 0; i < BENCH_MAP_LOOKUPS; i++) {
        array.values[i] = map_value(i);
        if (native_hash_update(&hash, map_key(MAP_HASH, i), map_value(i)) != 0 ||
            native_chain_update(&chain, map_key(MAP_HASH, i), map_value(i)) != 0)
            return 1;
    }
    double open_ns = -1; /* the hash program's native twin on the open-addressing table */

    double ns[PROG_COUNT][COL_COUNT];
    bool kernel_ok = true, mismatch = false;
    char kernel_why[400] = "";
    for (size_t pi = 0; pi < PROG_COUNT; pi++) {
        const bench_prog *p = &progs[pi];
        char path[1024], name[64], why[400];
        snprintf(path, sizeof path, "%s/%s.bpf.o", dir, p->name);
        snprintf(name, sizeof name, "bench_%s", p->name);
        for (int c = 0; c < COL_COUNT; c++)
            ns[pi][c] = -1;

        /* reference: a checked-mode run */
        ebpf_object *obj = ours_open(path, p->map, why, sizeof why);
        if (!obj) {
            fprintf(stderr, "bench_jit: %s: %s\n", path, why);
            return 1;
        }
        struct ebpf_diag diag;
        ours o = { obj, ebpf_object_find_program(obj, name, &diag), EBPF_EXEC_CHECKED };
        if (!o.prog) {
            fprintf(stderr, "bench_jit: %s: %s: %s\n", path, name, diag.message);
            return 1;
        }
        uint8_t out[BENCH_PKT_LEN];
        uint32_t ref_ret, ret;
        if (ours_run(&o, 1, out, &ref_ret, why, sizeof why) != 0) {
            fprintf(stderr, "bench_jit: %s: checked run failed: %s\n", p->name, why);
            return 1;
        }
        uint32_t ref_word = result_word(out);

        /* our JIT and fast interpreter */
        const enum ebpf_exec_mode modes[2] = { EBPF_EXEC_JIT, EBPF_EXEC_FAST };
        for (int c = 0; c < 2; c++) {
            o.mode = modes[c];
            if (ours_run(&o, 1, out, &ret, why, sizeof why) != 0) {
                fprintf(stderr, "bench_jit: %s: %s: %s\n", p->name, c == 0 ? "jit" : "interp", why);
                continue;
            }
            if (ret != ref_ret || result_word(out) != ref_word) {
                fprintf(stderr, "bench_jit: %s: %s gives %u/%08x, checked mode %u/%08x\n", p->name,
                        c == 0 ? "jit" : "interp", ret, result_word(out), ref_ret, ref_word);
                mismatch = true;
            }
            ns[pi][c == 0 ? COL_JIT : COL_INTERP] = best_ns_per_run(ours_batch, &o);
        }
        ebpf_object_close(obj);

        /* the kernel */
        if (kernel_ok) {
            kern k = { NULL, -1 };
            int err = kern_open(&k, path, p, why, sizeof why);
            if (err == -EPERM || err == -EACCES || err == -ENOSYS || err == -EOPNOTSUPP) {
                kernel_ok = false;
                snprintf(kernel_why, sizeof kernel_why, "%s", why);
            } else if (err) {
                fprintf(stderr, "bench_jit: %s: kernel: %s\n", p->name, why);
            } else {
                memset(out, 0, sizeof out);
                err = kern_run(&k, 1, out, &ret, NULL);
                if (err) {
                    fprintf(stderr, "bench_jit: %s: kernel test run: %s\n", p->name, strerror(-err));
                } else {
                    if (ret != ref_ret || result_word(out) != ref_word) {
                        fprintf(stderr, "bench_jit: %s: kernel gives %u/%08x, checked mode %u/%08x\n",
                                p->name, ret, result_word(out), ref_ret, ref_word);
                        mismatch = true;
                    }
                    ns[pi][COL_KERNEL] = best_ns_per_run(kern_batch, &k);
                }
                bpf_object__close(k.obj);
            }
        }

        /* native */
        static native n;
        n.env.array = &array;
        n.env.hash = &hash;
        n.env.chain = &chain;
        for (int twin = 0; twin < (p->map == MAP_HASH ? 2 : 1); twin++) {
            n.fn = twin ? native_hash_open_lookups : p->native;
            memcpy(n.pkt, packet, sizeof packet);
            ret = n.fn(n.pkt, sizeof n.pkt, &n.env);
            if (ret != ref_ret || result_word(n.pkt) != ref_word) {
                fprintf(stderr, "bench_jit: %s: native%s gives %u/%08x, checked mode %u/%08x\n", p->name,
                        twin ? " (open addressing)" : "", ret, result_word(n.pkt), ref_ret, ref_word);
                mismatch = true;
            }
            *(twin ? &open_ns : &ns[pi][COL_NATIVE]) = best_ns_per_run(native_batch, &n);
        }
    }

    if (!kernel_ok) {
        printf("*** SKIPPED: kernel column: bpf() is not available here (%s)\n", kernel_why);
        fprintf(stderr, "bench_jit: SKIPPED the kernel column: bpf() unavailable: %s\n", kernel_why);
    }
    printf("%-8s %9s %9s %9s %9s %11s %11s\n", "program", "jit", "interp", "kernel", "native", "jit/kernel",
           "jit/native");
    double log_sum = 0, log_sum_k = 0;
    int log_n = 0, log_n_k = 0;
    for (size_t pi = 0; pi < PROG_COUNT; pi++) {
        printf("%-8s", progs[pi].name);
        for (int c = 0; c < COL_COUNT; c++)
            bench_cell(ns[pi][c], 9, 0);
        bench_ratio(ns[pi][COL_JIT], ns[pi][COL_KERNEL], 11, 2);
        bench_ratio(ns[pi][COL_JIT], ns[pi][COL_NATIVE], 11, 2);
        putchar('\n');
        if (ns[pi][COL_JIT] > 0 && ns[pi][COL_NATIVE] > 0) {
            log_sum += log(ns[pi][COL_JIT] / ns[pi][COL_NATIVE]);
            log_n++;
        }
        if (ns[pi][COL_JIT] > 0 && ns[pi][COL_KERNEL] > 0) {
            log_sum_k += log(ns[pi][COL_JIT] / ns[pi][COL_KERNEL]);
            log_n_k++;
        }
    }
    for (size_t pi = 0; pi < PROG_COUNT; pi++)
        if (progs[pi].map == MAP_HASH && open_ns > 0 && ns[pi][COL_JIT] > 0)
            printf("hash, native on an open-addressing table instead (not our map's algorithm, a lower "
                   "bound): %.1f ns, jit/that %.2f\n", open_ns, ns[pi][COL_JIT] / open_ns);
    if (log_n_k)
        printf("geometric mean jit/kernel: %.2f (target: <= 1 on every program)\n", exp(log_sum_k / log_n_k));
    if (log_n)
        printf("geometric mean jit/native: %.2f (target: <= 1.3)\n", exp(log_sum / log_n));
    if (mismatch)
        printf("*** WARNING: some column computed a different result than checked mode (see stderr)\n");
    return mismatch ? 1 : 0;
}
