/*
 * text_api.c - the public text tools of include/ebpf/ebpf.h (ebpf_assemble, ebpf_disassemble, ebpf_free)
 * as thin wrappers over isa_assemble and isa_disasm_program. struct ebpf_insn and isa_slot are the same
 * 8 bytes (checked below), so instruction arrays pass through unchanged.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>

#include "ebpf/ebpf.h"
#include "isa/isa.h"

_Static_assert(sizeof(struct ebpf_insn) == sizeof(isa_slot), "ebpf_insn and isa_slot differ in size");
_Static_assert(offsetof(struct ebpf_insn, off) == offsetof(isa_slot, off), "ebpf_insn.off is misplaced");
_Static_assert(offsetof(struct ebpf_insn, imm) == offsetof(isa_slot, imm), "ebpf_insn.imm is misplaced");

static int fail(int rc)
{
    errno = -rc;
    return rc;
}

EBPF_API int ebpf_assemble(const char *source, struct ebpf_insn **out, struct ebpf_diag *diag)
{
    if (!out)
        return fail(diag_fail(diag, -1, "ebpf_assemble: out is required"));
    *out = NULL;
    isa_slot *slots;
    size_t count;
    int rc = isa_assemble(source, &slots, &count, diag);
    if (rc != 0)
        return fail(rc);
    *out = (struct ebpf_insn *)slots; /* count <= ISA_MAX_INSNS fits an int */
    return (int)count;
}

EBPF_API int ebpf_disassemble(const struct ebpf_insn *insns, size_t insn_count, char **out,
                              struct ebpf_diag *diag)
{
    int rc = isa_disasm_program((const isa_slot *)insns, insn_count, out, diag);
    return rc == 0 ? 0 : fail(rc);
}

EBPF_API void ebpf_free(void *ptr)
{
    free(ptr);
}
