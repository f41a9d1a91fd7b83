/* cmd_disasm.c - `ebpf disasm FILE`: prints raw bytecode in the assembly syntax `ebpf asm` reads. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_util.h"
#include "commands.h"

int cmd_disasm(int argc, char **argv)
{
    if (argc != 1 || argv[0][0] == '-') {
        cli_error("disasm: usage: ebpf disasm FILE");
        return CLI_EXIT_USAGE;
    }
    struct ebpf_insn *insns;
    int count = cli_load_program(argv[0], &insns);
    if (count < 0)
        return CLI_EXIT_USAGE;
    char *listing;
    struct ebpf_diag diag;
    int rc = ebpf_disassemble(insns, (size_t)count, &listing, &diag);
    free(insns);
    if (rc < 0) {
        cli_error("%s: %s", argv[0], diag.message);
        return CLI_EXIT_USAGE;
    }
    fputs(listing, stdout);
    ebpf_free(listing);
    return CLI_EXIT_OK;
}
