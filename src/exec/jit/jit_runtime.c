/*
 * jit_runtime.c - the C code compiled programs call: the legacy packet loads (LD_ABS / LD_IND), with
 * the interpreter's rule: a big-endian load of 1, 2 or 4 bytes at a 32-bit offset treated as signed,
 * refused (the program then ends with r0 = 0) when there is no packet or the bytes are not all in it.
 *
 * GCC and clang can compile a function for the other x86-64 calling convention (sysv_abi / ms_abi), so
 * code generated for either convention can run on any x86-64 host; the tests use that to run the
 * Windows convention on Linux.
 */
#include "exec/jit/jit_int.h"

uint64_t jit_packet_load(const jit_ctx *ctx, uint32_t off, uint32_t size)
{
    if (!ctx->packet || (off & UINT32_C(0x80000000)) || off > ctx->packet_size || size > ctx->packet_size - off)
        return JIT_PACKET_FAIL;
    const uint8_t *p = ctx->packet + off;
    uint64_t v = 0;
    for (uint32_t i = 0; i < size; i++)
        v = (v << 8) | p[i];
    return v;
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
