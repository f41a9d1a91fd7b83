/*
 * vf_test_util.c - assemble, verify and assert a verdict (vf_test_util.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi/abi_maps.h"
#include "isa/isa.h"
#include "vf_test_util.h"

const vf_map vt_maps[6] = {
    {ABI_MAP_TYPE_HASH, 4, 8, 16, 0, -1, false},
    {ABI_MAP_TYPE_ARRAY, 4, 16, 4, 0, -1, false},
    {ABI_MAP_TYPE_ARRAY, 4, 8, 1, 0, -1, true},
    {ABI_MAP_TYPE_RINGBUF, 0, 0, 4096, 0, -1, false},
    {ABI_MAP_TYPE_PROG_ARRAY, 4, 4, 4, 0, -1, false},
    {ABI_MAP_TYPE_HASH, 4, 64, 16, 0, -1, false},
};

void vt_verify(const char *src, uint32_t prog_type, uint32_t flags, vf_result *res)
{
    isa_slot *code = NULL;
    size_t count = 0;
    ebpf_diag diag;
    memset(&diag, 0, sizeof diag);
    int rc = isa_assemble(src, &code, &count, &diag);
    if (rc < 0)
        fail_msg("assembler: %s (line %lld)", diag.message, (long long)diag.insn);
    vf_input in = {.prog_type = prog_type, .code = code, .count = count, .maps = vt_maps, .map_count = 6,
                   .flags = flags | VF_KEEP_STATE};
    assert_int_equal(vf_verify(&in, res), 0);
    free(code);
}

void vt_accept(const char *src, uint32_t prog_type, uint32_t flags)
{
    vf_result res;
    vt_verify(src, prog_type, flags, &res);
    if (res.verdict != VF_ACCEPT)
        fail_msg("refused at insn %lld: %s\n%s\nstate:\n%s", (long long)res.insn, res.message, src,
                 res.state ? res.state : "");
    vf_result_free(&res);
}

void vt_refuse(const char *src, uint32_t prog_type, uint32_t flags, int64_t insn, const char *needle)
{
    vf_result res;
    vt_verify(src, prog_type, flags, &res);
    if (res.verdict != VF_REJECT)
        fail_msg("expected a refusal (%s), got verdict %d: %s\n%s", needle, res.verdict, res.message, src);
    if (insn >= 0 && res.insn != insn)
        fail_msg("refused at insn %lld, expected %lld: %s", (long long)res.insn, (long long)insn, res.message);
    if (!strstr(res.message, needle))
        fail_msg("message \"%s\" does not say \"%s\"", res.message, needle);
    vf_result_free(&res);
}
