/* main.c - the `ebpf` tool: dispatches to one subcommand per word. */
#include <stdio.h>
#include <string.h>

#include "cli_util.h"
#include "commands.h"

static const struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *usage;
} commands[] = {
    { "asm", cmd_asm, "asm FILE [-o OUT]                 assemble text (conformance syntax) to bytecode" },
    { "disasm", cmd_disasm, "disasm FILE [--program NAME]      disassemble raw bytecode, or an ELF object's programs\n"
                            "                                    with their source lines" },
    { "prog", cmd_prog, "prog show OBJ [--json]            list the programs and maps of an ELF object" },
    { "run", cmd_run, "run OBJ --program NAME [--data-hex HEX | --data-file F] [--map-update MAP KEY VALUE]...\n"
                      "    [--repeat N] [--engine checked|interp|jit] [--no-verify] [--json] [--dump-maps]\n"
                      "                                    test-run an object's XDP program on a packet\n"
                      "                                    (--no-verify: unverified, checked engine only)" },
    { "verify", cmd_verify, "verify OBJ [--program NAME] [--json] [--verbose] [--in-process] [--timeout-ms N]\n"
                            "                                    verify an object's programs (exit 1: some refused)" },
    { "exec", cmd_exec, "exec FILE [--mem HEX] [--mode checked|fast|jit] [--budget N]\n"
                        "                                    run raw bytecode (or a .asm file), print r0" },
    { "conformance", cmd_conformance, "conformance DIR [--mode checked|fast|jit|both|all] [--negative] [--verbose]\n"
                                      "                                    run a bpf_conformance folder in-process" },
    { "jit-dump", cmd_jit_dump, "jit-dump FILE [--program NAME] [--intel] [--raw]\n"
                                "                                    show the x86-64 code the JIT makes of raw\n"
                                "                                    bytecode or of an object's program" },
};

static void usage(FILE *out)
{
    fprintf(out, "usage: ebpf COMMAND [ARGS]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %s\n", commands[i].usage);
}

int main(int argc, char **argv)
{
    cli_set_name("ebpf");
    if (argc < 2) {
        cli_error("missing command (try 'ebpf --help')");
        return CLI_EXIT_USAGE;
    }
    if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return CLI_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(argv[1], commands[i].name))
            return commands[i].run(argc - 2, argv + 2);
    cli_error("unknown command '%s' (try 'ebpf --help')", argv[1]);
    return CLI_EXIT_USAGE;
}
