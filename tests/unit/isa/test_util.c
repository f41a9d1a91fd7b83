/*
 * test_util.c - helpers shared by the isa unit tests.
 */
#include "test_isa.h"

isa_slot *isa_test_assemble(const char *source, size_t *count)
{
    isa_slot *slots = NULL;
    ebpf_diag diag;
    if (isa_assemble(source, &slots, count, &diag) != 0)
        fail_msg("assembling `%.200s` failed at line %lld: %s", source, (long long)diag.insn, diag.message);
    return slots;
}
