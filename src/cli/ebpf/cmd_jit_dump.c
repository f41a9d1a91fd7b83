/*
 * cmd_jit_dump.c - `ebpf jit-dump FILE [--intel] [--raw]`: compiles raw bytecode (or a .asm file) with
 * the JIT and prints the x86-64 code: disassembled by `objdump -D -b binary -mi386:x86-64` when objdump
 * is installed, as hex bytes otherwise (or with --raw). Offsets count from the code's entry.
 *
 * Helper calls are compiled against placeholder helpers (ids 0..255, returning 0), so that any program
 * can be shown; their addresses in the code are the placeholder's. Public API and C library only.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli_util.h"
#include "commands.h"

#if defined(_WIN32)
#define popen _popen
#define pclose _pclose
#define DUMP_QUIET " 2>NUL"
#else
#define DUMP_QUIET " 2>/dev/null"
#endif

#define DUMP_USAGE "usage: ebpf jit-dump FILE [--intel] [--raw]"
#define DUMP_HELPERS 256

static uint64_t placeholder_helper(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5, void *user)
{
    (void)r1, (void)r2, (void)r3, (void)r4, (void)r5, (void)user;
    return 0;
}

static void print_hex(const uint8_t *code, size_t size)
{
    for (size_t i = 0; i < size; i += 16) {
        printf("%8zx:", i);
        for (size_t j = i; j < size && j < i + 16; j++)
            printf(" %02x", code[j]);
        printf("\n");
    }
}

static bool objdump_available(void)
{
    FILE *p = popen("objdump --version" DUMP_QUIET, "r");
    if (!p)
        return false;
    char line[256];
    while (fgets(line, sizeof line, p))
        ;
    return pclose(p) == 0;
}

/* Writes the code to a new file in the temporary folder; returns its malloc'd name or NULL. */
static char *write_temp(const uint8_t *code, size_t size)
{
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir)
        dir = getenv("TEMP");
    if (!dir || !*dir)
        dir = "/tmp";
    if (strchr(dir, '"'))
        return NULL;
    size_t cap = strlen(dir) + 64;
    char *name = malloc(cap);
    if (!name)
        return NULL;
    unsigned long salt = (unsigned long)time(NULL) ^ (unsigned long)(uintptr_t)name;
    for (int attempt = 0; attempt < 100; attempt++) {
        snprintf(name, cap, "%s/ebpf-jit-dump-%lx-%d.bin", dir, salt, attempt);
        FILE *f = fopen(name, "wbx"); /* C11: fails if the name exists */
        if (!f)
            continue;
        bool ok = fwrite(code, 1, size, f) == size;
        ok = fclose(f) == 0 && ok;
        if (ok)
            return name;
        remove(name);
        break;
    }
    free(name);
    return NULL;
}

/* Prints objdump's disassembly without its header. Returns false when objdump could not be run. */
static bool print_objdump(const uint8_t *code, size_t size, bool intel)
{
    char *path = write_temp(code, size);
    if (!path)
        return false;
    size_t cap = strlen(path) + 128;
    char *command = malloc(cap);
    bool ok = false;
    if (command) {
        snprintf(command, cap, "objdump -D -b binary -mi386:x86-64%s \"%s\"" DUMP_QUIET, intel ? " -M intel" : "",
                 path);
        FILE *p = popen(command, "r");
        if (p) {
            char line[512];
            bool body = false;
            while (fgets(line, sizeof line, p)) {
                if (body)
                    fputs(line, stdout);
                else if (strstr(line, "<.data>:"))
                    body = true;
            }
            ok = pclose(p) == 0 && body;
        }
        free(command);
    }
    remove(path);
    free(path);
    return ok;
}

/* The library's last warning (why the JIT did not compile the program), for the one error line. */
static char last_warning[256];

static void keep_warning(enum ebpf_log_level level, const char *message, void *user)
{
    (void)user;
    if (level <= EBPF_LOG_WARN)
        snprintf(last_warning, sizeof last_warning, "%s", message);
}

int cmd_jit_dump(int argc, char **argv)
{
    ebpf_set_log_callback(keep_warning, NULL);
    const char *path = NULL;
    bool intel = false, raw = false;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--intel"))
            intel = true;
        else if (!strcmp(argv[i], "--raw"))
            raw = true;
        else if (argv[i][0] != '-' && !path)
            path = argv[i];
        else {
            cli_error("jit-dump: unexpected argument '%s' (%s)", argv[i], DUMP_USAGE);
            return CLI_EXIT_USAGE;
        }
    }
    if (!path) {
        cli_error("jit-dump: missing FILE (%s)", DUMP_USAGE);
        return CLI_EXIT_USAGE;
    }
    struct ebpf_insn *insns;
    int count = cli_load_program(path, &insns);
    if (count < 0)
        return CLI_EXIT_USAGE;

    static struct ebpf_helper helpers[DUMP_HELPERS];
    for (uint32_t id = 0; id < DUMP_HELPERS; id++)
        helpers[id] = (struct ebpf_helper){ id, "placeholder", placeholder_helper, NULL };
    struct ebpf_diag diag;
    EBPF_OPTS(ebpf_program_opts, popts, .name = path, .helpers = helpers, .helper_count = DUMP_HELPERS);
    ebpf_program *prog = ebpf_program_create(insns, (size_t)count, &popts, &diag);
    free(insns);
    if (!prog) {
        cli_error("%s: invalid program: %s", path, diag.message);
        return CLI_EXIT_USAGE;
    }
    const void *code;
    size_t size;
    int rc = ebpf_program_jit_code(prog, &code, &size);
    if (rc != 0) {
        cli_error("%s: the JIT cannot compile this program: %s", path, last_warning[0] ? last_warning : strerror(-rc));
        ebpf_program_free(prog);
        return CLI_EXIT_FAIL;
    }
    printf("; %s: %d eBPF instructions -> %zu bytes of x86-64\n", path, count, size);
    fflush(stdout);
    if (raw || !objdump_available() || !print_objdump(code, size, intel))
        print_hex(code, size);
    ebpf_program_free(prog);
    return CLI_EXIT_OK;
}
