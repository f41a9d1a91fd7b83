/* cmd_disasm.c - `ebpf disasm FILE [--program NAME]`: prints raw bytecode in the assembly syntax
 * `ebpf asm` reads; an ELF object (recognised by its magic) is listed per program with its source lines
 * (cli_disasm_object in cmd_prog.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_util.h"
#include "commands.h"

#define DISASM_USAGE "disasm: usage: ebpf disasm FILE [--program NAME]"

int cmd_disasm(int argc, char **argv)
{
    const char *path = NULL, *program = NULL;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--program") && i + 1 < argc) {
            program = argv[++i];
        } else if (argv[i][0] == '-' || path) {
            cli_error(DISASM_USAGE);
            return CLI_EXIT_USAGE;
        } else {
            path = argv[i];
        }
    }
    if (!path) {
        cli_error(DISASM_USAGE);
        return CLI_EXIT_USAGE;
    }
    uint8_t *data;
    size_t size;
    int err = cli_read_file(path, &data, &size);
    if (err < 0) {
        cli_error("%s: %s", path, strerror(-err));
        return CLI_EXIT_USAGE;
    }
    if (size >= 4 && !memcmp(data, "\177ELF", 4)) {
        int rc = cli_disasm_object(path, data, size, program);
        free(data);
        return rc;
    }
    free(data);
    if (program) {
        cli_error("%s: --program applies to ELF objects only; this is raw bytecode", path);
        return CLI_EXIT_USAGE;
    }
    struct ebpf_insn *insns;
    int count = cli_load_program(path, &insns);
    if (count < 0)
        return CLI_EXIT_USAGE;
    char *listing;
    struct ebpf_diag diag;
    int rc = ebpf_disassemble(insns, (size_t)count, &listing, &diag);
    free(insns);
    if (rc < 0) {
        cli_error("%s: %s", path, diag.message);
        return CLI_EXIT_USAGE;
    }
    fputs(listing, stdout);
    ebpf_free(listing);
    return CLI_EXIT_OK;
}
