/*
 * cmd_prog.c - `ebpf prog show OBJ [--json]`: what a clang-compiled object holds (programs with their
 * section, name, type and size, and whether the loader can prepare them; maps with their shape), and
 * the object half of `ebpf disasm` (cli_disasm_object). Public API only.
 *
 * JSON output is one object on one line; strings are escaped by cli_json_string.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_json.h"
#include "cli_util.h"
#include "commands.h"

static void show_json(const char *path, const ebpf_object *obj)
{
    fputs("{\"object\":", stdout);
    cli_json_string(stdout, path);
    fputs(",\"license\":", stdout);
    cli_json_string(stdout, ebpf_object_license(obj));
    fputs(",\"programs\":[", stdout);
    for (size_t i = 0; i < ebpf_object_program_count(obj); i++) {
        EBPF_OPTS(ebpf_program_info, p);
        if (ebpf_object_program_info(obj, i, &p) != 0)
            continue;
        fputs(i ? ",{\"section\":" : "{\"section\":", stdout);
        cli_json_string(stdout, p.section);
        fputs(",\"name\":", stdout);
        cli_json_string(stdout, p.name);
        fputs(",\"type\":", stdout);
        cli_json_string(stdout, p.type);
        printf(",\"insns\":%zu,\"loadable\":%s,\"problem\":", p.insn_count, p.loadable ? "true" : "false");
        cli_json_string(stdout, p.problem);
        fputs("}", stdout);
    }
    fputs("],\"maps\":[", stdout);
    for (size_t i = 0; i < ebpf_object_map_count(obj); i++) {
        EBPF_OPTS(ebpf_map_info, m);
        if (ebpf_object_map_info(obj, i, &m) != 0)
            continue;
        fputs(i ? ",{\"name\":" : "{\"name\":", stdout);
        cli_json_string(stdout, m.name);
        fputs(",\"type\":", stdout);
        cli_json_string(stdout, m.type);
        printf(",\"key_size\":%u,\"value_size\":%u,\"max_entries\":%u,\"flags\":%u}", (unsigned)m.key_size,
               (unsigned)m.value_size, (unsigned)m.max_entries, (unsigned)m.map_flags);
    }
    fputs("]}\n", stdout);
}

static void show_text(const char *path, const ebpf_object *obj)
{
    printf("object %s\nlicense %s\n", path, ebpf_object_license(obj));
    size_t count = ebpf_object_program_count(obj);
    printf("%zu program%s\n", count, count == 1 ? "" : "s");
    for (size_t i = 0; i < count; i++) {
        EBPF_OPTS(ebpf_program_info, p);
        if (ebpf_object_program_info(obj, i, &p) != 0)
            continue;
        printf("  %zu: %s  section %s  type %s  %zu insns", i, p.name, p.section, p.type, p.insn_count);
        if (!p.loadable)
            printf("  not loadable: %s", p.problem);
        putchar('\n');
    }
    count = ebpf_object_map_count(obj);
    printf("%zu map%s\n", count, count == 1 ? "" : "s");
    for (size_t i = 0; i < count; i++) {
        EBPF_OPTS(ebpf_map_info, m);
        if (ebpf_object_map_info(obj, i, &m) != 0)
            continue;
        printf("  %zu: %s  type %s  key %u  value %u  max_entries %u  flags 0x%x\n", i, m.name, m.type,
               (unsigned)m.key_size, (unsigned)m.value_size, (unsigned)m.max_entries, (unsigned)m.map_flags);
    }
}

static int prog_show(int argc, char **argv)
{
    const char *path = NULL;
    bool json = false;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--json")) {
            json = true;
        } else if (argv[i][0] == '-' || path) {
            cli_error("prog show: usage: ebpf prog show OBJ [--json]");
            return CLI_EXIT_USAGE;
        } else {
            path = argv[i];
        }
    }
    if (!path) {
        cli_error("prog show: usage: ebpf prog show OBJ [--json]");
        return CLI_EXIT_USAGE;
    }
    struct ebpf_diag diag;
    ebpf_object *obj = ebpf_object_open_file(path, NULL, &diag);
    if (!obj) {
        cli_error("%s: %s", path, diag.message);
        return CLI_EXIT_USAGE;
    }
    if (json)
        show_json(path, obj);
    else
        show_text(path, obj);
    ebpf_object_close(obj);
    return CLI_EXIT_OK;
}

int cmd_prog(int argc, char **argv)
{
    if (argc >= 1 && !strcmp(argv[0], "show"))
        return prog_show(argc - 1, argv + 1);
    if (argc >= 1)
        cli_error("prog: unknown subcommand '%s' (expected 'show')", argv[0]);
    else
        cli_error("prog: usage: ebpf prog show OBJ [--json]");
    return CLI_EXIT_USAGE;
}

/* Appends "name, name, ..." of every program to buf (truncated with "..." when it does not fit). */
static void program_names(const ebpf_object *obj, char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < ebpf_object_program_count(obj); i++) {
        EBPF_OPTS(ebpf_program_info, p);
        if (ebpf_object_program_info(obj, i, &p) != 0)
            continue;
        int n = snprintf(buf + len, size - len, "%s%s", len ? ", " : "", p.name);
        if (n < 0 || (size_t)n >= size - len) {
            if (size >= 4)
                memcpy(buf + size - 4, "...", 4);
            return;
        }
        len += (size_t)n;
    }
    if (!len)
        snprintf(buf, size, "(none)");
}

int cli_disasm_object(const char *path, const void *data, size_t size, const char *program)
{
    struct ebpf_diag diag;
    ebpf_object *obj = ebpf_object_open_mem(data, size, NULL, &diag);
    if (!obj) {
        cli_error("%s: %s", path, diag.message);
        return CLI_EXIT_USAGE;
    }
    size_t count = ebpf_object_program_count(obj);
    size_t match = count;
    if (program) {
        for (size_t i = 0; i < count && match == count; i++) {
            EBPF_OPTS(ebpf_program_info, p);
            if (ebpf_object_program_info(obj, i, &p) == 0 && !strcmp(p.name, program))
                match = i;
        }
        if (match == count) {
            char names[512];
            program_names(obj, names, sizeof names);
            cli_error("%s: no program named '%s' (programs: %s)", path, program, names);
            ebpf_object_close(obj);
            return CLI_EXIT_USAGE;
        }
    }
    /* Build every listing first so that an error prints nothing on stdout. */
    char **listings = calloc(count ? count : 1, sizeof *listings);
    int rc = listings ? CLI_EXIT_OK : CLI_EXIT_USAGE;
    if (!listings)
        cli_error("%s: out of memory", path);
    for (size_t i = 0; i < count && rc == CLI_EXIT_OK; i++) {
        if (program && i != match)
            continue;
        if (ebpf_object_program_disasm(obj, i, &listings[i], &diag) != 0) {
            cli_error("%s: %s", path, diag.message);
            rc = CLI_EXIT_USAGE;
        }
    }
    for (size_t i = 0; listings && i < count; i++) {
        if (rc == CLI_EXIT_OK && listings[i]) {
            EBPF_OPTS(ebpf_program_info, p);
            ebpf_object_program_info(obj, i, &p);
            printf("%s; program %s, section %s, type %s, %zu insns%s%s\n", (program || i == 0) ? "" : "\n",
                   p.name, p.section, p.type, p.insn_count, p.loadable ? "" : "; not loadable: ",
                   p.loadable ? "" : p.problem);
            fputs(listings[i], stdout);
        }
        ebpf_free(listings[i]);
    }
    free(listings);
    ebpf_object_close(obj);
    return rc;
}
