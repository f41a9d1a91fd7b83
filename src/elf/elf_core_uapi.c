/*
 * elf_core_uapi.c - which CO-RE relocations hold without a target BTF: those on the UAPI structs of
 * <linux/bpf.h> that programs read as their context or pass to helpers (__sk_buff, xdp_md,
 * bpf_sock_ops, ...). Linux fixes their layout, and the runtime implements that layout, so the value
 * clang compiled into the instruction (a field's offset, size, existence, signedness, shifts; the
 * type's existence and size) is the value libbpf would compute: the relocation resolves to the
 * instruction as it is. Relocations on kernel-internal types (struct sock, task_struct) need the
 * kernel's BTF, which has no meaning here, and are still refused.
 */
#include "elf/elf_int.h"

#include <string.h>

/* bpf_core_relo_kind values whose compiled value depends only on the type's layout. */
static bool layout_kind(uint32_t kind)
{
    switch (kind) {
    case 0: /* field_byte_offset */
    case 1: /* field_byte_size */
    case 2: /* field_exists */
    case 3: /* field_signed */
    case 4: /* field_lshift_u64 */
    case 5: /* field_rshift_u64 */
    case 8: /* type_exists */
    case 9: /* type_size */
        return true;
    default:
        return false;
    }
}

static const char *const uapi_structs[] = {
    "__sk_buff", "xdp_md", "bpf_sock", "bpf_sock_addr", "bpf_sock_ops", "sk_msg_md", "sk_reuseport_md",
    "bpf_sockopt", "bpf_sysctl", "bpf_flow_keys", "bpf_cgroup_dev_ctx", "bpf_sk_lookup", "bpf_tcp_sock",
    "bpf_sock_tuple", "bpf_tunnel_key", "bpf_xfrm_state", "bpf_fib_lookup", "bpf_spin_lock", "bpf_timer",
    "bpf_xdp_sock",
};

bool elf_core_relo_as_compiled(const elf_core_relo *r)
{
    const char *name = r->type_name;
    if (!layout_kind(r->kind) || !name || strncmp(name, "struct ", 7) != 0)
        return false;
    name += 7;
    const char *flavour = strstr(name, "___"); /* a local flavour, "xdp_md___mine": the name before it */
    size_t len = flavour ? (size_t)(flavour - name) : strlen(name);
    for (size_t i = 0; i < sizeof uapi_structs / sizeof uapi_structs[0]; i++)
        if (strlen(uapi_structs[i]) == len && !strncmp(name, uapi_structs[i], len))
            return true;
    return false;
}
