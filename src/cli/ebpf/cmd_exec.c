/*
 * cmd_exec.c - `ebpf exec FILE [--mem HEX] [--mode checked|fast|jit] [--budget N]`: validates raw bytecode,
 * runs it once with r1 = a copy of the memory and r2 = its length, prints r0 in hex.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_util.h"
#include "commands.h"

#define EXEC_USAGE "usage: ebpf exec FILE [--mem HEX] [--mode checked|fast|jit] [--budget N]"

static bool parse_mode(const char *text, enum ebpf_exec_mode *mode)
{
    if (!strcmp(text, "checked"))
        *mode = EBPF_EXEC_CHECKED;
    else if (!strcmp(text, "fast"))
        *mode = EBPF_EXEC_FAST;
    else if (!strcmp(text, "jit"))
        *mode = EBPF_EXEC_JIT;
    else
        return false;
    return true;
}

/* The library's messages (e.g. why the JIT did not compile a program) go to stderr. */
static void log_to_stderr(enum ebpf_log_level level, const char *message, void *user)
{
    (void)user;
    if (level <= EBPF_LOG_WARN)
        cli_error("%s", message);
}

int cmd_exec(int argc, char **argv)
{
    ebpf_set_log_callback(log_to_stderr, NULL);
    const char *path = NULL, *mem_hex = NULL;
    enum ebpf_exec_mode mode = EBPF_EXEC_CHECKED;
    uint64_t budget = 0;
    for (int i = 0; i < argc; i++) {
        bool has_value = i + 1 < argc;
        if (!strcmp(argv[i], "--mem") && has_value) {
            mem_hex = argv[++i];
        } else if (!strcmp(argv[i], "--mode") && has_value) {
            if (!parse_mode(argv[++i], &mode)) {
                cli_error("exec: unknown mode '%s' (checked, fast or jit)", argv[i]);
                return CLI_EXIT_USAGE;
            }
        } else if (!strcmp(argv[i], "--budget") && has_value) {
            if (!cli_parse_u64(argv[++i], &budget) || budget == 0) {
                cli_error("exec: --budget needs a positive number, not '%s'", argv[i]);
                return CLI_EXIT_USAGE;
            }
        } else if (argv[i][0] != '-' && !path) {
            path = argv[i];
        } else {
            cli_error("exec: unexpected argument '%s' (%s)", argv[i], EXEC_USAGE);
            return CLI_EXIT_USAGE;
        }
    }
    if (!path) {
        cli_error("exec: missing FILE (%s)", EXEC_USAGE);
        return CLI_EXIT_USAGE;
    }

    uint8_t *mem = NULL;
    size_t mem_size = 0;
    if (mem_hex) {
        char why[128];
        if (cli_parse_hex(mem_hex, &mem, &mem_size, why, sizeof why) != 0) {
            cli_error("exec: --mem: %s", why);
            return CLI_EXIT_USAGE;
        }
    }
    struct ebpf_insn *insns;
    int count = cli_load_program(path, &insns);
    if (count < 0) {
        free(mem);
        return CLI_EXIT_USAGE;
    }

    struct ebpf_diag diag;
    EBPF_OPTS(ebpf_program_opts, popts, .name = path);
    ebpf_program *prog = ebpf_program_create(insns, (size_t)count, &popts, &diag);
    free(insns);
    if (!prog) {
        cli_error("%s: invalid program: %s", path, diag.message);
        free(mem);
        return CLI_EXIT_USAGE;
    }
    EBPF_OPTS(ebpf_run_opts, ropts, .mode = mode, .mem = mem_size ? mem : NULL, .mem_size = mem_size,
              .max_insns = budget);
    struct ebpf_run_result result = { .sz = sizeof result };
    int rc = ebpf_program_run(prog, &ropts, &result);
    ebpf_program_free(prog);
    free(mem);
    if (rc != 0) {
        cli_error("%s: run stopped (%s): %s", path, ebpf_run_status_name(result.status), result.message);
        return CLI_EXIT_FAIL;
    }
    printf("0x%" PRIx64 "\n", result.r0);
    return CLI_EXIT_OK;
}
