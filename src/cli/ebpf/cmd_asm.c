/* cmd_asm.c - `ebpf asm FILE [-o OUT]`: assembles conformance-syntax text into raw bytecode, written
 * to OUT or printed as hex, one instruction (8 bytes) per line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_util.h"
#include "commands.h"

int cmd_asm(int argc, char **argv)
{
    const char *input = NULL, *output = NULL;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "-o") && i + 1 < argc)
            output = argv[++i];
        else if (argv[i][0] != '-' && !input)
            input = argv[i];
        else {
            cli_error("asm: unexpected argument '%s' (usage: ebpf asm FILE [-o OUT])", argv[i]);
            return CLI_EXIT_USAGE;
        }
    }
    if (!input) {
        cli_error("asm: missing FILE (usage: ebpf asm FILE [-o OUT])");
        return CLI_EXIT_USAGE;
    }
    uint8_t *text;
    size_t size;
    int rc = cli_read_file(input, &text, &size);
    if (rc != 0) {
        cli_error("cannot read '%s': %s", input, strerror(-rc));
        return CLI_EXIT_USAGE;
    }
    struct ebpf_insn *insns;
    struct ebpf_diag diag;
    int count = ebpf_assemble((const char *)text, &insns, &diag);
    free(text);
    if (count < 0) {
        cli_error("%s:%lld: %s", input, (long long)diag.insn, diag.message);
        return CLI_EXIT_USAGE;
    }
    int status = CLI_EXIT_OK;
    if (output) {
        rc = cli_write_file(output, insns, (size_t)count * sizeof *insns);
        if (rc != 0) {
            cli_error("cannot write '%s': %s", output, strerror(-rc));
            status = CLI_EXIT_USAGE;
        }
    } else {
        for (int i = 0; i < count; i++) {
            const uint8_t *b = (const uint8_t *)&insns[i];
            printf("%02x %02x %02x %02x %02x %02x %02x %02x\n", b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]);
        }
    }
    ebpf_free(insns);
    return status;
}
