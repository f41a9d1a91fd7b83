/*
 * jit_runtime.c - the C code compiled programs call: the legacy packet loads (LD_ABS / LD_IND), by the
 * rule every engine shares (exec_packet_load in exec.h).
 *
 * GCC and clang can compile a function for the other x86-64 calling convention (sysv_abi / ms_abi), so
 * code generated for either convention can run on any x86-64 host; the tests use that to run the
 * Windows convention on Linux.
 */
#include "exec/jit/jit_int.h"

uint64_t jit_packet_load(const jit_ctx *ctx, uint32_t off, uint32_t size)
{
    uint64_t value;
    return exec_packet_load(ctx->packet, ctx->packet_size, off, size, &value) ? value : JIT_PACKET_FAIL;
}

#if defined(__GNUC__) && (defined(__x86_64__) || defined(_M_X64))
static uint64_t __attribute__((sysv_abi)) jit_packet_load_sysv(const jit_ctx *ctx, uint32_t off, uint32_t size)
{
    return jit_packet_load(ctx, off, size);
}

static uint64_t __attribute__((ms_abi)) jit_packet_load_ms(const jit_ctx *ctx, uint32_t off, uint32_t size)
{
    return jit_packet_load(ctx, off, size);
}

uint64_t jit_packet_load_for(jit_abi abi)
{
    return abi == JIT_ABI_MS ? (uint64_t)(uintptr_t)&jit_packet_load_ms : (uint64_t)(uintptr_t)&jit_packet_load_sysv;
}
#else
uint64_t jit_packet_load_for(jit_abi abi)
{
    return abi == jit_abi_host() ? (uint64_t)(uintptr_t)&jit_packet_load : 0;
}
#endif
