/*
 * cmd_jit_dump.c - `ebpf jit-dump FILE [--program NAME] [--intel] [--raw]`: compiles a program with the
 * JIT and prints the x86-64 code: disassembled by `objdump -D -b binary -mi386:x86-64` when objdump is
 * installed, as hex bytes otherwise (or with --raw). Offsets count from the code's entry.
 *
 * FILE is raw bytecode, a .asm file, or an ELF object (recognised by its magic; --program names the
 * program, required when the object has more than one). An object is opened and loaded as `ebpf run`
 * does, so the code shown is the code a test run executes: map addresses relocated, the Linux helpers
 * of the program type, array-map lookups inlined. Raw bytecode is compiled against placeholder helpers
 * (ids 0..255, returning 0), so that any program can be shown; their addresses in the code are the
 * placeholder's. Public API and C library only.
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

#define DUMP_USAGE "usage: ebpf jit-dump FILE [--program NAME] [--intel] [--raw]"
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

/* Prints the JIT code of prog under a one-line header. */
static int dump_program(ebpf_program *prog, const char *what, bool intel, bool raw)
{
    const void *code;
    size_t size;
    int rc = ebpf_program_jit_code(prog, &code, &size);
    if (rc != 0) {
        cli_error("%s: the JIT cannot compile this program: %s", what,
                  last_warning[0] ? last_warning : strerror(-rc));
        return CLI_EXIT_FAIL;
    }
    printf("; %s: %zu eBPF instructions -> %zu bytes of x86-64\n", what, ebpf_program_insn_count(prog), size);
    fflush(stdout);
    if (raw || !objdump_available() || !print_objdump(code, size, intel))
        print_hex(code, size);
    return CLI_EXIT_OK;
}

/* The program of an ELF object: `name`, or the only one. */
static int dump_object(const char *path, const char *name, bool intel, bool raw)
{
    struct ebpf_diag diag;
    ebpf_object *obj = ebpf_object_open_file(path, NULL, &diag);
    if (!obj) {
        cli_error("%s: %s", path, diag.message);
        return CLI_EXIT_USAGE;
    }
    int rc = CLI_EXIT_USAGE;
    struct ebpf_program_info info = { .sz = sizeof info };
    if (!name && ebpf_object_program_count(obj) != 1) {
        cli_error("%s: the object has %zu programs; name one with --program", path, ebpf_object_program_count(obj));
        goto done;
    }
    if (!name && ebpf_object_program_info(obj, 0, &info) == 0)
        name = info.name;
    if (!name || ebpf_object_load(obj, &diag) != 0) {
        cli_error("%s: %s", path, name ? diag.message : "cannot read the program's name");
        goto done;
    }
    ebpf_program *prog = ebpf_object_find_program(obj, name, &diag);
    if (!prog) {
        cli_error("%s: %s", path, diag.message);
        goto done;
    }
    size_t cap = strlen(path) + strlen(name) + 4;
    char *what = malloc(cap);
    if (!what) {
        cli_error("%s: out of memory", path);
        goto done;
    }
    snprintf(what, cap, "%s:%s", path, name);
    rc = dump_program(prog, what, intel, raw);
    free(what);
done:
    ebpf_object_close(obj);
    return rc;
}

static bool is_elf(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    unsigned char magic[4];
    bool elf = fread(magic, 1, sizeof magic, f) == sizeof magic && !memcmp(magic, "\177ELF", 4);
    fclose(f);
    return elf;
}

int cmd_jit_dump(int argc, char **argv)
{
    ebpf_set_log_callback(keep_warning, NULL);
    const char *path = NULL, *program = NULL;
    bool intel = false, raw = false;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--intel"))
            intel = true;
        else if (!strcmp(argv[i], "--raw"))
            raw = true;
        else if (!strcmp(argv[i], "--program") && i + 1 < argc)
            program = argv[++i];
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
    if (is_elf(path))
        return dump_object(path, program, intel, raw);
    if (program) {
        cli_error("%s: --program applies to ELF objects only; this is raw bytecode", path);
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
    int rc = dump_program(prog, path, intel, raw);
    ebpf_program_free(prog);
    return rc;
}
