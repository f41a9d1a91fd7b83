/*
 * elf_func_sig.c - the signature of a global function from its BTF prototype (FUNC -> FUNC_PROTO):
 * what each parameter is, so that the verifier can check the function on its own and check every call
 * against it, as Linux does for global functions. Integers and enums are scalars; pointers to one of
 * the context structs are the context; pointers to any other sized type are memory of that size.
 */
#include "elf/elf_int.h"

#include <string.h>

#define BTF_FUNC_STATIC 0u

/* Struct names a program's context can have (Linux's UAPI and kernel types). */
static bool is_context_struct(const char *name)
{
    static const char *const names[] = {"__sk_buff", "xdp_md", "bpf_sock_addr", "pt_regs", "bpf_sock",
                                        "bpf_sock_ops", "sk_msg_md", "bpf_perf_event_data", "sk_reuseport_md",
                                        "bpf_sockopt", "bpf_sysctl", "bpf_cgroup_dev_ctx", "bpf_raw_tracepoint_args",
                                        "bpf_sk_lookup", "bpf_nf_ctx"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(name, names[i]) == 0)
            return true;
    return false;
}

static uint8_t arg_kind(const btf *b, uint32_t type, uint32_t *size)
{
    *size = 0;
    int64_t t = btf_skip_modifiers(b, type, true);
    if (t < 0)
        return ELF_ARG_UNSUPPORTED;
    uint32_t kind = btf_kind(b, (uint32_t)t);
    if (kind == BTF_K_INT || kind == BTF_K_ENUM || kind == BTF_K_ENUM64)
        return ELF_ARG_SCALAR;
    if (kind != BTF_K_PTR)
        return ELF_ARG_UNSUPPORTED;
    int64_t target = btf_skip_modifiers(b, btf_size_or_type(b, (uint32_t)t), true);
    if (target <= 0)
        return ELF_ARG_UNSUPPORTED; /* void * or a cycle */
    uint32_t tk = btf_kind(b, (uint32_t)target);
    if ((tk == BTF_K_STRUCT || tk == BTF_K_FWD) && is_context_struct(btf_name(b, (uint32_t)target)))
        return ELF_ARG_CTX;
    uint64_t bytes;
    if (btf_resolve_size(b, (uint32_t)target, &bytes, NULL) != 0 || bytes == 0 || bytes > UINT32_MAX)
        return ELF_ARG_UNSUPPORTED;
    *size = (uint32_t)bytes;
    return ELF_ARG_MEM;
}

void elf_func_signature(const btf *b, elf_func *f)
{
    f->sig_known = false;
    f->arg_count = 0;
    if (!b || f->btf_type == 0 || f->btf_type >= b->count || btf_kind(b, f->btf_type) != BTF_K_FUNC)
        return;
    f->global = btf_vlen(b, f->btf_type) != BTF_FUNC_STATIC;
    uint32_t proto = btf_size_or_type(b, f->btf_type);
    if (proto == 0 || proto >= b->count || btf_kind(b, proto) != BTF_K_FUNC_PROTO)
        return;
    uint32_t n = btf_vlen(b, proto);
    if (n > 5)
        return;
    for (uint32_t i = 0; i < n; i++) {
        btf_member m = btf_member_at(b, proto, i);
        f->args[i].kind = arg_kind(b, m.type, &f->args[i].size);
    }
    f->arg_count = (uint8_t)n;
    f->sig_known = true;
}
