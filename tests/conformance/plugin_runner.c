/*
 * plugin_runner.c - runs a bpf_conformance folder through a plugin process, speaking the suite's
 * plugin protocol (../shared/bpf_conformance/PROTOCOL.md, sections 4 and 5): one process per test,
 * memory as "xx  " hex in argv, the program as hex on stdin, r0 in hex on stdout, exit status 0.
 * Usage: conformance_plugin_runner --plugin "CMD [ARGS]" [--plugin-options "A B"] [--negative]
 *        [--retry-silent N] DIR
 * --retry-silent N reruns a plugin that exits non-zero having printed nothing at all (not even the
 * one-line refusal every refusal carries), up to N times, and counts it: wine was seen to lose a
 * child's output once in thousands of runs. The native plugin never needs it.
 * A test of the suite tooling, not of the product: it may use the platform layer directly.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_util.h"
#include "conformance_data.h"
#include "platform/platform.h"

#define MAX_ARGS 64

/* Splits `text` on single spaces into argv entries (the suite splits --plugin_options the same way). */
static int split_words(char *text, char **argv, int max)
{
    int n = 0;
    for (char *p = strtok(text, " "); p && n < max; p = strtok(NULL, " "))
        argv[n++] = p;
    return n;
}

static char *hex_bytes(const uint8_t *data, size_t size, const char *sep)
{
    size_t step = 2 + strlen(sep);
    char *out = malloc(size * step + 2);
    if (!out)
        return NULL;
    for (size_t i = 0; i < size; i++)
        snprintf(out + i * step, step + 1, "%02x%s", data[i], sep);
    out[size * step] = 0;
    return out;
}

static void trim_newline(char *s)
{
    size_t n = strlen(s);
    if (n && s[n - 1] == '\n')
        s[n - 1] = 0;
}

typedef enum verdict { V_PASS, V_FAIL, V_SKIP } verdict;

static int silent_retries_left;
static int silent_retries_used;

static verdict run_one(const char *path, char *plugin_cmd, char *plugin_opts, bool negative, char *why,
                       size_t why_size)
{
    conf_test test;
    int rc = conf_test_load(path, &test);
    if (rc != 0) {
        snprintf(why, why_size, "cannot read: %s", strerror(-rc));
        return V_FAIL;
    }
    verdict v = V_FAIL;
    const char *skip = conf_test_skip_reason(&test);
    bool runnable_negative = negative && (test.raw || test.asm_source) && !test.unknown_directive;
    struct ebpf_insn *insns = NULL;
    char *mem_arg = NULL, *program = NULL, *out = NULL, *err = NULL;
    if (skip && !runnable_negative) {
        snprintf(why, why_size, "%s", skip);
        v = negative ? V_PASS : V_SKIP;
        goto done;
    }
    struct ebpf_diag diag;
    int count = conf_test_program(&test, &insns, &diag);
    if (count < 0) {
        snprintf(why, why_size, "assembler: %s", diag.message);
        v = negative ? V_PASS : V_FAIL;
        goto done;
    }
    program = hex_bytes((const uint8_t *)insns, (size_t)count * 8, "  ");
    if (test.mem_size)
        mem_arg = hex_bytes(test.mem, test.mem_size, "  ");
    char cmd_copy[1024], opts_copy[1024];
    snprintf(cmd_copy, sizeof cmd_copy, "%s", plugin_cmd);
    snprintf(opts_copy, sizeof opts_copy, "%s", plugin_opts ? plugin_opts : "");
    char *argv[MAX_ARGS + 1];
    int argc = split_words(cmd_copy, argv, MAX_ARGS - 2);
    if (mem_arg)
        argv[argc++] = mem_arg;
    argc += split_words(opts_copy, argv + argc, MAX_ARGS - argc);
    argv[argc] = NULL;
    size_t program_len = strlen(program);
    program[program_len++] = '\n';
    int status;
    rc = plat_run_process(argv, program, program_len, &out, &err, &status);
    while (rc == 0 && status != 0 && !out[0] && !err[0] && silent_retries_left > 0) {
        silent_retries_left--;
        silent_retries_used++;
        free(out);
        free(err);
        out = err = NULL;
        rc = plat_run_process(argv, program, program_len, &out, &err, &status);
    }
    if (rc != 0) {
        snprintf(why, why_size, "plugin cannot be started: %s", strerror(-rc));
        goto done;
    }
    trim_newline(out);
    trim_newline(err);
    if (status == 0) {
        char *end;
        errno = 0;
        uint64_t r0 = strtoull(out, &end, 16);
        uint64_t want = test.has_result ? test.result : 0;
        if (end == out || errno == ERANGE) {
            snprintf(why, why_size, "plugin output could not be parsed: '%s'", out);
        } else if (negative) {
            v = (test.has_result && r0 != want) ? V_PASS : V_FAIL;
            snprintf(why, why_size, "plugin accepted it and printed %s", out);
        } else if (r0 == want) {
            v = V_PASS;
        } else {
            snprintf(why, why_size, "incorrect return value: got 0x%" PRIx64 ", expected 0x%" PRIx64, r0, want);
        }
    } else {
        const char *text = out[0] ? out : err;
        snprintf(why, why_size, "plugin exit %d: %s", status, text);
        if (negative) {
            bool one_line = strchr(text, '\n') == NULL && text[0] != 0;
            v = one_line ? V_PASS : V_FAIL;
            if (!one_line)
                snprintf(why, why_size, "refused without a one-line message (exit %d): '%s'", status, text);
        } else if (test.error) {
            v = V_PASS; /* refusal expected; our wording differs from the suite's reference text */
        }
    }
done:
    free(insns);
    free(mem_arg);
    free(program);
    free(out);
    free(err);
    conf_test_free(&test);
    return v;
}

int main(int argc, char **argv)
{
    cli_set_name("conformance_plugin_runner");
    char *plugin = NULL, *plugin_opts = NULL;
    const char *dir = NULL;
    bool negative = false, verbose = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--plugin") && i + 1 < argc)
            plugin = argv[++i];
        else if (!strcmp(argv[i], "--plugin-options") && i + 1 < argc)
            plugin_opts = argv[++i];
        else if (!strcmp(argv[i], "--negative"))
            negative = true;
        else if (!strcmp(argv[i], "--verbose"))
            verbose = true;
        else if (!strcmp(argv[i], "--retry-silent") && i + 1 < argc)
            silent_retries_left = atoi(argv[++i]);
        else if (argv[i][0] != '-' && !dir)
            dir = argv[i];
        else {
            cli_error("unexpected argument '%s'", argv[i]);
            return CLI_EXIT_USAGE;
        }
    }
    if (!plugin || !dir) {
        cli_error("usage: conformance_plugin_runner --plugin \"CMD [ARGS]\" [--plugin-options \"A B\"] [--negative] DIR");
        return CLI_EXIT_USAGE;
    }
    char **paths;
    int count = conf_list_dir(dir, &paths);
    if (count <= 0) {
        printf("SKIPPED: no conformance tests in '%s' (is ../shared beside the checkout?)\n", dir);
        return 77;
    }
    int passed = 0, failed = 0, skipped = 0;
    for (int i = 0; i < count; i++) {
        char why[600] = "";
        verdict v = run_one(paths[i], plugin, plugin_opts, negative, why, sizeof why);
        const char *name = strrchr(paths[i], '/') ? strrchr(paths[i], '/') + 1 : paths[i];
        if (v == V_FAIL || verbose)
            printf("%s %s%s%s\n", v == V_PASS ? "PASS" : v == V_FAIL ? "FAIL" : "SKIP", name, why[0] ? ": " : "", why);
        passed += v == V_PASS;
        failed += v == V_FAIL;
        skipped += v == V_SKIP;
    }
    conf_free_list(paths, count);
    if (silent_retries_used)
        printf("note: %d silent plugin failures were retried\n", silent_retries_used);
    printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped);
    return failed ? CLI_EXIT_FAIL : CLI_EXIT_OK;
}
