/*
 * main.c - `ebpf_plugin`, the bpf_conformance plugin: reads a program as hex on stdin, takes the input
 * memory as hex in the first argument (if any), runs it with r1 = a private copy of the memory and
 * r2 = its length, prints r0 in hex and exits 0. A program it refuses (invalid bytecode, unknown
 * helper, run-time fault) gets one line on stderr and exit status 1; bad usage exit status 2.
 * Options: --mode checked|fast|jit (default checked), --jit (= --mode jit). Helper 5 returns its first
 * argument.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_util.h"
#include "conformance_data.h"

#define PLUGIN_MAX_INPUT (64u << 20)

static char *read_stdin(void)
{
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    while (buf) {
        if (len + 1 >= cap) {
            if (cap >= PLUGIN_MAX_INPUT) {
                free(buf);
                return NULL;
            }
            char *bigger = realloc(buf, cap * 2);
            if (!bigger) {
                free(buf);
                return NULL;
            }
            buf = bigger;
            cap *= 2;
        }
        size_t n = fread(buf + len, 1, cap - len - 1, stdin);
        if (n == 0)
            break;
        len += n;
    }
    if (buf)
        buf[len] = 0;
    return buf;
}

int main(int argc, char **argv)
{
    cli_set_name("ebpf_plugin");
    const char *mem_hex = NULL;
    enum ebpf_exec_mode mode = EBPF_EXEC_CHECKED;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--mode") && i + 1 < argc) {
            const char *m = argv[++i];
            if (!strcmp(m, "checked"))
                mode = EBPF_EXEC_CHECKED;
            else if (!strcmp(m, "fast"))
                mode = EBPF_EXEC_FAST;
            else if (!strcmp(m, "jit"))
                mode = EBPF_EXEC_JIT;
            else {
                cli_error("unknown mode '%s' (checked, fast or jit)", m);
                return CLI_EXIT_USAGE;
            }
        } else if (!strcmp(argv[i], "--jit")) {
            mode = EBPF_EXEC_JIT;
        } else if (!strcmp(argv[i], "--elf")) {
            cli_error("ELF input (--elf) is not supported by this plugin yet");
            return CLI_EXIT_FAIL;
        } else if (argv[i][0] != '-' && !mem_hex && i == 1) {
            mem_hex = argv[i];
        } else {
            cli_error("unexpected argument '%s' (usage: ebpf_plugin [MEMHEX] [--mode checked|fast|jit] [--jit] "
                      "< PROGHEX)", argv[i]);
            return CLI_EXIT_USAGE;
        }
    }

    char why[128];
    uint8_t *mem = NULL, *code = NULL;
    size_t mem_size = 0, code_size = 0;
    if (mem_hex && cli_parse_hex(mem_hex, &mem, &mem_size, why, sizeof why) != 0) {
        cli_error("invalid memory argument: %s", why);
        return CLI_EXIT_USAGE;
    }
    char *program_hex = read_stdin();
    if (!program_hex) {
        cli_error("cannot read the program from stdin");
        free(mem);
        return CLI_EXIT_USAGE;
    }
    int rc = cli_parse_hex(program_hex, &code, &code_size, why, sizeof why);
    free(program_hex);
    if (rc != 0 || code_size == 0 || code_size % 8 != 0) {
        if (rc == 0)
            snprintf(why, sizeof why, "%zu bytes is not a whole, non-zero number of 8-byte instructions", code_size);
        cli_error("invalid program: %s", why);
        free(mem);
        free(code);
        return CLI_EXIT_FAIL;
    }

    static const struct ebpf_helper helpers[] = { { 5, "unwind", conf_helper_unwind, NULL } };
    EBPF_OPTS(ebpf_program_opts, popts, .helpers = helpers, .helper_count = 1);
    struct ebpf_diag diag;
    ebpf_program *prog = ebpf_program_create((const struct ebpf_insn *)code, code_size / 8, &popts, &diag);
    free(code);
    if (!prog) {
        cli_error("invalid program: %s", diag.message);
        free(mem);
        return CLI_EXIT_FAIL;
    }
    EBPF_OPTS(ebpf_run_opts, ropts, .mode = mode, .mem = mem_size ? mem : NULL, .mem_size = mem_size);
    struct ebpf_run_result result = { .sz = sizeof result };
    rc = ebpf_program_run(prog, &ropts, &result);
    ebpf_program_free(prog);
    free(mem);
    if (rc != 0) {
        cli_error("run stopped (%s): %s", ebpf_run_status_name(result.status), result.message);
        return CLI_EXIT_FAIL;
    }
    printf("%" PRIx64 "\n", result.r0);
    return CLI_EXIT_OK;
}
