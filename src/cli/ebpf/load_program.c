/* load_program.c - reading a program given on the command line: raw bytecode, or assembly text. */
#include <stdlib.h>
#include <string.h>

#include "cli_util.h"
#include "commands.h"

static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && !strcmp(s + n - m, suffix);
}

int cli_load_program(const char *path, struct ebpf_insn **insns)
{
    uint8_t *data;
    size_t size;
    int rc = cli_read_file(path, &data, &size);
    if (rc != 0) {
        cli_error("cannot read '%s': %s", path, strerror(-rc));
        return -1;
    }
    if (has_suffix(path, ".asm") || has_suffix(path, ".s")) {
        struct ebpf_diag diag;
        rc = ebpf_assemble((const char *)data, insns, &diag);
        free(data);
        if (rc < 0) {
            cli_error("%s:%lld: %s", path, (long long)diag.insn, diag.message);
            return -1;
        }
        return rc;
    }
    if (size == 0 || size % sizeof(struct ebpf_insn) != 0) {
        cli_error("'%s': %zu bytes is not a whole number of 8-byte instructions", path, size);
        free(data);
        return -1;
    }
    *insns = (struct ebpf_insn *)data;
    return (int)(size / sizeof(struct ebpf_insn));
}
