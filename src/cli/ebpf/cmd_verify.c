/*
 * cmd_verify.c - `ebpf verify OBJ [--program NAME] [--json] [--verbose] [--in-process]`: runs the
 * verifier on an object's programs (in the sandboxed verifier process unless --in-process) and says,
 * for each refusal, the instruction index, its disassembly, the source line (BTF line info) and why;
 * --verbose adds the abstract state at the failing point. Public API only.
 *
 * Exit codes: 0 every program accepted, 1 some refused, 2 malformed input, usage, or a verifier that
 * could not answer (crash, limit, bad reply: one line on stderr, or verdict "error" with --json).
 * --json prints exactly one object: {"object": PATH, "programs": [{"section", "name", "verdict":
 * "accept"|"reject"|"error", "insn": INT|null, "line": "file.c:NN"|null, "message": STR|null,
 * "instructions": INT, "time_us": INT}]}.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_json.h"
#include "cli_util.h"
#include "commands.h"

#define VERIFY_USAGE "usage: ebpf verify OBJ [--program NAME] [--json] [--verbose] [--in-process] [--timeout-ms N]"

static const char *verdict_name(enum ebpf_verdict v)
{
    return v == EBPF_VERDICT_ACCEPT ? "accept" : v == EBPF_VERDICT_REJECT ? "reject" : "error";
}

/* Prints the listing line of instruction insn (and the source text line before it) from the object's
 * disassembly, indented. */
static void print_insn(const ebpf_object *obj, size_t index, int64_t insn)
{
    char *listing = NULL;
    struct ebpf_diag diag;
    if (insn < 0 || ebpf_object_program_disasm(obj, index, &listing, &diag) != 0)
        return;
    char want[32];
    snprintf(want, sizeof want, "%" PRId64 ":", insn);
    const char *source = NULL;
    size_t source_len = 0;
    for (char *line = listing; line && *line;) {
        char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        const char *text = line;
        while (*text == ' ')
            text++;
        if (*text == ';') {
            source = text;
            source_len = len - (size_t)(text - line);
        } else if (!strncmp(text, want, strlen(want))) {
            printf("  %.*s\n", (int)(len - (size_t)(text - line)), text);
            if (source)
                printf("  %.*s\n", (int)source_len, source);
            break;
        }
        line = end ? end + 1 : NULL;
    }
    ebpf_free(listing);
}

static void print_text(const ebpf_object *obj, size_t index, const struct ebpf_program_info *info,
                       const struct ebpf_verify_result *r, bool verbose)
{
    if (r->verdict == EBPF_VERDICT_ACCEPT) {
        printf("%s (%s): accepted (%zu instructions, %" PRIu64 " us)\n", info->name, info->section, r->insn_count,
               r->time_us);
        return;
    }
    if (r->insn >= 0)
        printf("%s (%s): refused at instruction %" PRId64 "%s%s%s: %s\n", info->name, info->section, r->insn,
               r->line[0] ? " (" : "", r->line, r->line[0] ? ")" : "", r->message);
    else
        printf("%s (%s): refused: %s\n", info->name, info->section, r->message);
    print_insn(obj, index, r->insn);
    if (verbose && r->state) {
        printf("  abstract state at instruction %" PRId64 ":\n", r->insn);
        for (const char *s = r->state; *s;) {
            const char *end = strchr(s, '\n');
            size_t len = end ? (size_t)(end - s) : strlen(s);
            printf("    %.*s\n", (int)len, s);
            s = end ? end + 1 : s + len;
        }
    }
}

static void print_json(bool first, const struct ebpf_program_info *info, const struct ebpf_verify_result *r)
{
    fputs(first ? "{\"section\":" : ",{\"section\":", stdout);
    cli_json_string(stdout, info->section);
    fputs(",\"name\":", stdout);
    cli_json_string(stdout, info->name);
    printf(",\"verdict\":\"%s\",\"insn\":", verdict_name(r->verdict));
    if (r->insn >= 0)
        printf("%" PRId64, r->insn);
    else
        fputs("null", stdout);
    fputs(",\"line\":", stdout);
    cli_json_string(stdout, r->line[0] ? r->line : NULL);
    fputs(",\"message\":", stdout);
    cli_json_string(stdout, r->verdict == EBPF_VERDICT_ACCEPT || !r->message[0] ? NULL : r->message);
    printf(",\"instructions\":%zu,\"time_us\":%" PRIu64 "}", info->insn_count, r->time_us);
}

int cmd_verify(int argc, char **argv)
{
    const char *path = NULL, *program = NULL;
    bool json = false, verbose = false, in_process = false;
    uint64_t timeout_ms = 0;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--program") && i + 1 < argc && !program)
            program = argv[++i];
        else if (!strcmp(argv[i], "--timeout-ms") && i + 1 < argc && cli_parse_u64(argv[i + 1], &timeout_ms) &&
                 timeout_ms > 0 && timeout_ms <= UINT32_MAX)
            i++;
        else if (!strcmp(argv[i], "--json"))
            json = true;
        else if (!strcmp(argv[i], "--verbose"))
            verbose = true;
        else if (!strcmp(argv[i], "--in-process"))
            in_process = true;
        else if (argv[i][0] != '-' && !path)
            path = argv[i];
        else {
            cli_error("verify: unexpected argument '%s'; %s", argv[i], VERIFY_USAGE);
            return CLI_EXIT_USAGE;
        }
    }
    if (!path) {
        cli_error("verify: %s", VERIFY_USAGE);
        return CLI_EXIT_USAGE;
    }
    struct ebpf_diag diag;
    ebpf_object *obj = ebpf_object_open_file(path, NULL, &diag);
    if (!obj) {
        cli_error("%s: %s", path, diag.message);
        return CLI_EXIT_USAGE;
    }
    size_t count = ebpf_object_program_count(obj), matched = 0;
    if (program) {
        for (size_t i = 0; i < count; i++) {
            EBPF_OPTS(ebpf_program_info, info);
            if (ebpf_object_program_info(obj, i, &info) == 0 &&
                (!strcmp(info.name, program) || !strcmp(info.section, program)))
                matched++;
        }
        if (!matched) {
            cli_error("%s: no program named '%s'", path, program);
            ebpf_object_close(obj);
            return CLI_EXIT_USAGE;
        }
    }
    EBPF_OPTS(ebpf_verify_opts, opts, .mode = in_process ? EBPF_VERIFY_IN_PROCESS : EBPF_VERIFY_PROCESS,
              .keep_state = verbose, .timeout_ms = (uint32_t)timeout_ms);
    int rc = CLI_EXIT_OK;
    bool first = true, name_taken = false;
    if (json) {
        fputs("{\"object\":", stdout);
        cli_json_string(stdout, path);
        fputs(",\"programs\":[", stdout);
    }
    for (size_t i = 0; i < count; i++) {
        EBPF_OPTS(ebpf_program_info, info);
        if (ebpf_object_program_info(obj, i, &info) != 0)
            continue;
        if (program && strcmp(info.name, program) && strcmp(info.section, program))
            continue;
        if (program && name_taken)
            continue; /* the library verifies the first program of that name; say it once */
        name_taken = program != NULL;
        /* The library finds a program by function name first, then by section name. */
        EBPF_OPTS(ebpf_verify_result, r);
        ebpf_object_verify(obj, program ? program : info.name, &opts, &r);
        if (r.verdict == EBPF_VERDICT_ERROR)
            rc = CLI_EXIT_USAGE;
        else if (r.verdict == EBPF_VERDICT_REJECT && rc == CLI_EXIT_OK)
            rc = CLI_EXIT_FAIL;
        if (json)
            print_json(first, &info, &r);
        else if (r.verdict == EBPF_VERDICT_ERROR)
            cli_error("%s: program '%s': %s", path, info.name, r.message);
        else
            print_text(obj, i, &info, &r, verbose);
        first = false;
        ebpf_free(r.state);
    }
    if (json)
        fputs("]}\n", stdout);
    ebpf_object_close(obj);
    return rc;
}
