/*
 * cmd_conformance.c - `ebpf conformance DIR`: runs a bpf_conformance folder in-process, in one or more
 * execution modes (`both`: checked and fast; `all`: checked, fast and jit). Positive suites (tests/)
 * must give the expected r0; with --negative every file must be refused (assembler error, invalid
 * program, run failure) or, for the suite's self-test of the 64-bit comparison, give a result that
 * differs from the expected one.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_util.h"
#include "commands.h"
#include "conformance_data.h"

typedef enum verdict { V_PASS, V_FAIL, V_SKIP } verdict;

typedef struct counts {
    int passed, failed, skipped;
} counts;

typedef struct outcome {
    bool assembled;     /* false: the assembler refused (message in why) */
    bool created;       /* false: the program was refused (message in why) */
    bool ran;           /* true: it reached exit, r0 valid */
    uint64_t r0;
    char why[300];
} outcome;

static const struct ebpf_helper suite_helpers[] = { { 5, "unwind", conf_helper_unwind, NULL } };

static void run_test(const conf_test *test, enum ebpf_exec_mode mode, outcome *out)
{
    memset(out, 0, sizeof *out);
    struct ebpf_insn *insns = NULL;
    struct ebpf_diag diag;
    int count = conf_test_program(test, &insns, &diag);
    if (count < 0) {
        snprintf(out->why, sizeof out->why, "%s", diag.message);
        return;
    }
    out->assembled = true;
    EBPF_OPTS(ebpf_program_opts, popts, .helpers = suite_helpers, .helper_count = 1);
    ebpf_program *prog = ebpf_program_create(insns, (size_t)count, &popts, &diag);
    ebpf_free(insns);
    if (!prog) {
        snprintf(out->why, sizeof out->why, "%s", diag.message);
        return;
    }
    out->created = true;
    uint8_t *mem = NULL;
    if (test->mem_size) {
        mem = malloc(test->mem_size);
        memcpy(mem, test->mem, test->mem_size);
    }
    EBPF_OPTS(ebpf_run_opts, ropts, .mode = mode, .mem = mem, .mem_size = mem ? test->mem_size : 0,
              .max_insns = 100000000);
    struct ebpf_run_result result = { .sz = sizeof result };
    if (ebpf_program_run(prog, &ropts, &result) == 0) {
        out->ran = true;
        out->r0 = result.r0;
    } else {
        snprintf(out->why, sizeof out->why, "run stopped (%s): %s", ebpf_run_status_name(result.status),
                 result.message);
    }
    free(mem);
    ebpf_program_free(prog);
}

static verdict judge_positive(const conf_test *test, const outcome *out, char *why, size_t size)
{
    if (!out->ran) {
        if (test->error && out->assembled) /* an expected refusal */
            return V_PASS;
        snprintf(why, size, "%s", out->why);
        return V_FAIL;
    }
    uint64_t want = test->has_result ? test->result : 0;
    if (out->r0 == want)
        return V_PASS;
    snprintf(why, size, "incorrect return value: got 0x%" PRIx64 ", expected 0x%" PRIx64, out->r0, want);
    return V_FAIL;
}

static verdict judge_negative(const conf_test *test, const outcome *out, char *why, size_t size)
{
    if (!out->assembled) {
        if (test->error && strncmp(out->why, test->error, strlen(test->error)) != 0) {
            snprintf(why, size, "assembler said '%s', expected '%s'", out->why, test->error);
            return V_FAIL;
        }
        return V_PASS;
    }
    if (!out->ran)
        return V_PASS;
    if (test->has_result && out->r0 != test->result)
        return V_PASS; /* the wrong result is detected, as the suite's self-test wants */
    snprintf(why, size, "was accepted and ran (r0 = 0x%" PRIx64 ")", out->r0);
    return V_FAIL;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static void run_mode(char **paths, int count, enum ebpf_exec_mode mode, bool negative, bool verbose,
                     counts *total)
{
    const char *mode_name = mode == EBPF_EXEC_JIT ? "jit" : mode == EBPF_EXEC_FAST ? "fast" : "checked";
    counts c = { 0, 0, 0 };
    for (int i = 0; i < count; i++) {
        conf_test test;
        int rc = conf_test_load(paths[i], &test);
        if (rc != 0) {
            printf("FAIL %s [%s]: cannot read: %s\n", base_name(paths[i]), mode_name, strerror(-rc));
            c.failed++;
            continue;
        }
        const char *skip = conf_test_skip_reason(&test);
        bool runnable_negative = negative && (test.raw || test.asm_source) && !test.unknown_directive;
        verdict v;
        char why[400] = "";
        if (skip && !runnable_negative) {
            v = negative ? V_PASS : V_SKIP;
            snprintf(why, sizeof why, "%s", skip);
        } else {
            outcome out;
            run_test(&test, mode, &out);
            v = negative ? judge_negative(&test, &out, why, sizeof why)
                         : judge_positive(&test, &out, why, sizeof why);
            if (negative && v == V_PASS && verbose)
                snprintf(why, sizeof why, "%s", out.why[0] ? out.why : "result differs");
        }
        if (v == V_FAIL || verbose)
            printf("%s %s [%s]%s%s\n", v == V_PASS ? "PASS" : v == V_FAIL ? "FAIL" : "SKIP",
                   base_name(paths[i]), mode_name, why[0] ? ": " : "", why);
        c.passed += v == V_PASS;
        c.failed += v == V_FAIL;
        c.skipped += v == V_SKIP;
        conf_test_free(&test);
    }
    printf("%s mode: %d passed, %d failed, %d skipped (%s)\n", mode_name, c.passed, c.failed, c.skipped,
           negative ? "negative: refused as required" : "tests");
    total->passed += c.passed;
    total->failed += c.failed;
    total->skipped += c.skipped;
}

int cmd_conformance(int argc, char **argv)
{
    const char *dir = NULL, *mode = "both";
    bool negative = false, verbose = false;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--mode") && i + 1 < argc)
            mode = argv[++i];
        else if (!strcmp(argv[i], "--negative"))
            negative = true;
        else if (!strcmp(argv[i], "--verbose"))
            verbose = true;
        else if (argv[i][0] != '-' && !dir)
            dir = argv[i];
        else {
            cli_error("conformance: unexpected argument '%s'", argv[i]);
            return CLI_EXIT_USAGE;
        }
    }
    bool all = !strcmp(mode, "all");
    bool checked = !strcmp(mode, "checked") || !strcmp(mode, "both") || all;
    bool fast = !strcmp(mode, "fast") || !strcmp(mode, "both") || all;
    bool jit = !strcmp(mode, "jit") || all;
    if (!dir || (!checked && !fast && !jit)) {
        cli_error("conformance: usage: ebpf conformance DIR [--mode checked|fast|jit|both|all] [--negative] "
                  "[--verbose]");
        return CLI_EXIT_USAGE;
    }
    char **paths;
    int count = conf_list_dir(dir, &paths);
    if (count < 0) {
        cli_error("conformance: cannot list '%s': %s", dir, strerror(-count));
        return CLI_EXIT_USAGE;
    }
    if (count == 0) {
        cli_error("conformance: no .data files in '%s'", dir);
        conf_free_list(paths, count);
        return CLI_EXIT_USAGE;
    }
    counts total = { 0, 0, 0 };
    if (checked)
        run_mode(paths, count, EBPF_EXEC_CHECKED, negative, verbose, &total);
    if (fast)
        run_mode(paths, count, EBPF_EXEC_FAST, negative, verbose, &total);
    if (jit)
        run_mode(paths, count, EBPF_EXEC_JIT, negative, verbose, &total);
    conf_free_list(paths, count);
    printf("%d passed, %d failed, %d skipped\n", total.passed, total.failed, total.skipped);
    return total.failed ? CLI_EXIT_FAIL : CLI_EXIT_OK;
}
