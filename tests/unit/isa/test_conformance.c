/*
 * test_conformance.c - the assembler, disassembler and validator against the bpf_conformance data:
 *   tests/NAME.data        assemble, match `-- raw` where present, validate (default options and with
 *                          the initialisation check, r1/r2 set at entry), disassemble and reassemble to
 *                          the same bytes;
 *   negative/invalid_*     the assembler fails with the exact conformance message, on line 1;
 *   negative/unused-*      (bytes in `-- raw`) isa_validate and the disassembler refuse instruction 0;
 *   negative/error.data    assembles, and is refused for reading r0 before writing it.
 */
#include "test_isa.h"

#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conformance_data.h" /* the one .data reader, shared with the ebpf tool */

static const char *suite_dir;

static char *path_join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *path = malloc(n);
    assert_non_null(path);
    snprintf(path, n, "%s/%s", dir, name);
    return path;
}

static char *subdir(const char *name)
{
    return path_join(suite_dir, name);
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* The .data files of `dir` whose names start with `prefix`, sorted, as full paths. */
static int data_paths(const char *dir, const char *prefix, char ***paths)
{
    char **all;
    int n = conf_list_dir(dir, &all);
    if (n < 0)
        return n;
    int kept = 0;
    for (int i = 0; i < n; i++) {
        if (strncmp(base_name(all[i]), prefix, strlen(prefix)) == 0)
            all[kept++] = all[i];
        else
            free(all[i]);
    }
    *paths = all;
    return kept;
}

/* Slots from little-endian 64-bit words or from bytes (8 per slot). */
static void slot_from_bytes(const uint8_t b[8], isa_slot *s)
{
    s->opcode = b[0];
    s->dst = b[1] & 0xf;
    s->src = (uint8_t)(b[1] >> 4);
    s->off = (int16_t)(uint16_t)(b[2] | b[3] << 8);
    s->imm = (int32_t)((uint32_t)b[4] | (uint32_t)b[5] << 8 | (uint32_t)b[6] << 16 | (uint32_t)b[7] << 24);
}

/* The `-- raw` section as slots (the reader already turned words or bytes into little-endian slots). */
static isa_slot *raw_slots(const conf_test *t, size_t *count)
{
    assert_int_equal(t->raw_size % 8, 0);
    isa_slot *s = calloc(t->raw_size / 8 + 1, sizeof *s);
    assert_non_null(s);
    for (size_t i = 0; i < t->raw_size / 8; i++)
        slot_from_bytes(t->raw + i * 8, &s[i]);
    *count = t->raw_size / 8;
    return s;
}

/* Every check on one tests/NAME.data file; returns false (after printing why) on the first failure. */
static bool check_program(const char *name, const conf_test *df)
{
    if (df->unknown_directive || !df->asm_source) {
        printf("FAIL %s: no `-- asm` section\n", name);
        return false;
    }
    isa_slot *s = NULL, *again = NULL, *raw = NULL;
    char *listing = NULL;
    size_t count, again_count, raw_count;
    ebpf_diag diag;
    bool ok = false;
    const isa_validate_opts init_opts = { .check_uninit_regs = true, .entry_regs = (1u << 1) | (1u << 2) };

    if (isa_assemble(df->asm_source, &s, &count, &diag) != 0) {
        printf("FAIL %s: line %lld: %s\n", name, (long long)diag.insn, diag.message);
        goto out;
    }
    if (df->raw) {
        assert_false(df->raw_is_bytes);
        raw = raw_slots(df, &raw_count);
        if (raw_count != count || memcmp(raw, s, count * sizeof *s) != 0) {
            printf("FAIL %s: assembly differs from `-- raw`\n", name);
            goto out;
        }
    }
    if (isa_validate(s, count, NULL, &diag) != 0) {
        printf("FAIL %s: isa_validate: %s\n", name, diag.message);
        goto out;
    }
    if (isa_validate(s, count, &init_opts, &diag) != 0) {
        printf("FAIL %s: isa_validate (initialised registers): %s\n", name, diag.message);
        goto out;
    }
    /* One instruction at a time, then the whole program: both must give the same listing. */
    size_t cap = count * 64 + 1, len = 0;
    char *text = malloc(cap);
    assert_non_null(text);
    text[0] = '\0';
    for (size_t pc = 0; pc < count;) {
        isa_insn insn;
        assert_int_equal(isa_decode(s, count, pc, &insn, &diag), 0);
        int n = isa_disasm_insn(&insn, text + len, cap - len - 1);
        assert_true(n > 0 && (size_t)n < 64);
        len += (size_t)n;
        text[len++] = '\n';
        text[len] = '\0';
        pc += insn.slots;
    }
    if (isa_disasm_program(s, count, &listing, &diag) != 0 || strcmp(listing, text) != 0) {
        printf("FAIL %s: isa_disasm_program differs from isa_disasm_insn\n", name);
        free(text);
        goto out;
    }
    free(text);
    if (isa_assemble(listing, &again, &again_count, &diag) != 0) {
        printf("FAIL %s: the disassembly does not reassemble: line %lld: %s\n", name, (long long)diag.insn,
               diag.message);
        goto out;
    }
    if (again_count != count || memcmp(again, s, count * sizeof *s) != 0) {
        printf("FAIL %s: the disassembly reassembles to different bytes\n", name);
        goto out;
    }
    ok = true;
out:
    free(s);
    free(again);
    free(raw);
    free(listing);
    return ok;
}

static void all_test_programs(void **state)
{
    (void)state;
    char *dir = subdir("tests");
    char **paths;
    int n = data_paths(dir, "", &paths);
    assert_true(n > 0);
    int failed = 0;
    for (int i = 0; i < n; i++) {
        conf_test df;
        assert_int_equal(conf_test_load(paths[i], &df), 0);
        if (!check_program(base_name(paths[i]), &df))
            failed++;
        conf_test_free(&df);
    }
    printf("isa conformance: %d of %d tests/NAME.data assembled, validated and round-tripped\n", n - failed, n);
    conf_free_list(paths, n);
    free(dir);
    assert_int_equal(failed, 0);
}

/* What the assembler must say for each negative/invalid_*.data (NULL: the file yields no program). Most
 * of these files carry no `-- error` line; the texts follow PROTOCOL.md section 2 and upstream's CTest
 * expectations. Where a file has an `-- error` line, it must also match our message as a regex. */
static const struct {
    const char *file;
    const char *message;
} invalid_expected[] = {
    { "invalid_imm32_dec_range.data", "Immediate out of 32-bit range: 2147483648" },
    { "invalid_imm32_hex_range.data", "Immediate out of 32-bit range: 0x100000000" },
    { "invalid_label.data", "Invalid label: NOT_A_LABEL" },
    { "invalid_lock.data", "Invalid number of operands for lock" },
    { "invalid_lock2.data", "Invalid number of operands for lock" },
    { "invalid_mnemonic.data", "Invalid mnemonic: ldxq" },
    { "invalid_offset.data", "Failed to decode register and offset: r1" },
    { "invalid_offset_range.data", "Offset out of 16-bit range: 0x10000" },
    { "invalid_operand_count.data", "Invalid number of operands for mnemonic: lddw" },
    { "invalid_register.data", "Invalid register: r50" },
    { "invalid_unknown_directive.data", NULL },
};

static bool regex_finds(const char *pattern, const char *text)
{
    regex_t re;
    if (regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB) != 0)
        return strstr(text, pattern) != NULL;
    bool found = regexec(&re, text, 0, NULL, 0) == 0;
    regfree(&re);
    return found;
}

static void invalid_sources(void **state)
{
    (void)state;
    char *dir = subdir("negative");
    char **paths;
    int n = data_paths(dir, "invalid_", &paths);
    assert_true(n > 0);
    int failed = 0;
    for (int i = 0; i < n; i++) {
        const char *name = base_name(paths[i]);
        size_t e = 0, count = sizeof invalid_expected / sizeof invalid_expected[0];
        while (e < count && strcmp(invalid_expected[e].file, name) != 0)
            e++;
        if (e == count) {
            printf("FAIL %s: no expected message known for this file\n", name);
            failed++;
            continue;
        }
        conf_test df;
        assert_int_equal(conf_test_load(paths[i], &df), 0);
        const char *want = invalid_expected[e].message;
        if (!want) {
            if (!df.unknown_directive) {
                printf("FAIL %s: expected an unknown directive (no program)\n", name);
                failed++;
            }
        } else {
            isa_slot *s = NULL;
            size_t slots;
            ebpf_diag diag;
            int rc = df.asm_source ? isa_assemble(df.asm_source, &s, &slots, &diag) : 0;
            if (rc != -EINVAL || strcmp(diag.message, want) != 0 || diag.insn != 1) {
                printf("FAIL %s: got %d \"%s\" at line %lld, expected \"%s\" at line 1\n", name, rc,
                       rc ? diag.message : "", rc ? (long long)diag.insn : 0LL, want);
                failed++;
            } else if (df.error && !regex_finds(df.error, diag.message)) {
                printf("FAIL %s: \"%s\" does not match the file's `-- error` \"%s\"\n", name, diag.message,
                       df.error);
                failed++;
            }
            free(s);
        }
        conf_test_free(&df);
    }
    printf("isa conformance: %d of %d negative/invalid_*.data refused as expected\n", n - failed, n);
    conf_free_list(paths, n);
    free(dir);
    assert_int_equal(failed, 0);
}

static void unused_field_encodings(void **state)
{
    (void)state;
    char *dir = subdir("negative");
    char **paths;
    int n = data_paths(dir, "unused-", &paths);
    assert_true(n > 0);
    int failed = 0;
    for (int i = 0; i < n; i++) {
        const char *name = base_name(paths[i]);
        conf_test df;
        assert_int_equal(conf_test_load(paths[i], &df), 0);
        assert_non_null(df.raw);
        assert_true(df.raw_is_bytes);
        size_t count;
        isa_slot *s = raw_slots(&df, &count);
        ebpf_diag diag;
        int rc = isa_validate(s, count, NULL, &diag);
        char *listing = NULL;
        ebpf_diag ddiag;
        int drc = isa_disasm_program(s, count, &listing, &ddiag);
        if (rc != -EINVAL || diag.insn != 0 || !strstr(diag.message, "instruction 0")) {
            printf("FAIL %s: isa_validate gave %d \"%s\" at %lld; expected a refusal of instruction 0\n", name,
                   rc, rc ? diag.message : "", rc ? (long long)diag.insn : 0LL);
            failed++;
        } else if (drc != -EINVAL || ddiag.insn != 0) {
            printf("FAIL %s: the disassembler accepted it (%d)\n", name, drc);
            failed++;
        }
        free(listing);
        free(s);
        conf_test_free(&df);
    }
    printf("isa conformance: %d of %d negative/unused-*.data refused at instruction 0\n", n - failed, n);
    conf_free_list(paths, n);
    free(dir);
    assert_int_equal(failed, 0);
}

static void runner_self_tests(void **state)
{
    (void)state;
    char *dir = subdir("negative");
    char *path = path_join(dir, "error.data");
    conf_test df;
    assert_int_equal(conf_test_load(path, &df), 0);
    assert_non_null(df.asm_source);
    size_t count;
    isa_slot *s = isa_test_assemble(df.asm_source, &count);
    ebpf_diag diag;
    assert_int_equal(isa_validate(s, count, NULL, &diag), 0);
    const isa_validate_opts opts = { .check_uninit_regs = true, .entry_regs = (1u << 1) | (1u << 2) };
    assert_int_equal(isa_validate(s, count, &opts, &diag), -EINVAL);
    assert_int_equal(diag.insn, 0);
    assert_non_null(strstr(diag.message, "r0 is read before"));
    free(s);
    conf_test_free(&df);
    free(path);

    /* Files without a program must yield none. */
    static const char *const empty[] = { "empty.data", "empty_instructions.data" };
    for (size_t i = 0; i < 2; i++) {
        path = path_join(dir, empty[i]);
        assert_int_equal(conf_test_load(path, &df), 0);
        assert_null(df.asm_source);
        assert_null(df.raw);
        conf_test_free(&df);
        free(path);
    }
    free(dir);
}

int isa_test_conformance(const char *dir)
{
    suite_dir = dir;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(all_test_programs),
        cmocka_unit_test(invalid_sources),
        cmocka_unit_test(unused_field_encodings),
        cmocka_unit_test(runner_self_tests),
    };
    return cmocka_run_group_tests_name("isa_conformance", tests, NULL, NULL);
}
