/*
 * interp_alu.h - the value semantics of RFC 9669 arithmetic, byte swaps and comparisons as small pure
 * functions on unsigned integers: no undefined behaviour for any input, no dependence on how the C
 * implementation converts or shifts negative numbers, no dependence on host byte order.
 *
 * Naming: interp_<op>64 works on 64-bit values; interp_<op>32 takes the operands' low 32 bits and
 * returns a 32-bit result, which the caller zero-extends into the 64-bit register.
 */
#ifndef EBPF_EXEC_INTERP_ALU_H
#define EBPF_EXEC_INTERP_ALU_H

#include <stdbool.h>
#include <stdint.h>

#define INTERP_SIGN64 UINT64_C(0x8000000000000000)
#define INTERP_SIGN32 UINT32_C(0x80000000)

/* Sign-extends the low `bits` bits of x to 64 bits. */
static inline uint64_t interp_sext(uint64_t x, unsigned bits)
{
    uint64_t sign = UINT64_C(1) << (bits - 1);
    uint64_t low = bits == 64 ? x : x & ((sign << 1) - 1);
    return (low ^ sign) - sign;
}

/* Two's-complement signed view, without relying on implementation-defined conversions. */
static inline bool interp_neg64(uint64_t x) { return (x & INTERP_SIGN64) != 0; }
static inline bool interp_neg32(uint32_t x) { return (x & INTERP_SIGN32) != 0; }
static inline uint64_t interp_abs64(uint64_t x) { return interp_neg64(x) ? 0 - x : x; }
static inline uint32_t interp_abs32(uint32_t x) { return interp_neg32(x) ? 0u - x : x; }

/* Signed order: flipping the sign bit maps signed order onto unsigned order. */
static inline bool interp_slt64(uint64_t a, uint64_t b) { return (a ^ INTERP_SIGN64) < (b ^ INTERP_SIGN64); }
static inline bool interp_slt32(uint32_t a, uint32_t b) { return (a ^ INTERP_SIGN32) < (b ^ INTERP_SIGN32); }

/* Plain operations (64-bit and 32-bit forms). */
#define INTERP_ALU_PAIR(NAME, EXPR)                                                    \
    static inline uint64_t interp_##NAME##64(uint64_t a, uint64_t b) { return EXPR; }  \
    static inline uint32_t interp_##NAME##32(uint32_t a, uint32_t b) { return EXPR; }
INTERP_ALU_PAIR(add, a + b)
INTERP_ALU_PAIR(sub, a - b)
INTERP_ALU_PAIR(or, a | b)
INTERP_ALU_PAIR(and, a & b)
INTERP_ALU_PAIR(xor, a ^ b)
INTERP_ALU_PAIR(mov, ((void)a, b))
#undef INTERP_ALU_PAIR

/* uint32_t operands never promote to int, so these products wrap as unsigned. */
static inline uint64_t interp_mul64(uint64_t a, uint64_t b) { return a * b; }
static inline uint32_t interp_mul32(uint32_t a, uint32_t b) { return a * b; }

/* Shift amounts are masked to the operand width. */
static inline uint64_t interp_lsh64(uint64_t a, uint64_t b) { return a << (b & 63); }
static inline uint32_t interp_lsh32(uint32_t a, uint32_t b) { return a << (b & 31); }
static inline uint64_t interp_rsh64(uint64_t a, uint64_t b) { return a >> (b & 63); }
static inline uint32_t interp_rsh32(uint32_t a, uint32_t b) { return a >> (b & 31); }
static inline uint64_t interp_arsh64(uint64_t a, uint64_t b)
{
    unsigned n = (unsigned)(b & 63);
    return interp_neg64(a) ? ~(~a >> n) : a >> n;
}
static inline uint32_t interp_arsh32(uint32_t a, uint32_t b)
{
    unsigned n = (unsigned)(b & 31);
    return interp_neg32(a) ? ~(~a >> n) : a >> n;
}

/* Unsigned division: x / 0 = 0, x % 0 = x. */
static inline uint64_t interp_div64(uint64_t a, uint64_t b) { return b ? a / b : 0; }
static inline uint32_t interp_div32(uint32_t a, uint32_t b) { return b ? a / b : 0; }
static inline uint64_t interp_mod64(uint64_t a, uint64_t b) { return b ? a % b : a; }
static inline uint32_t interp_mod32(uint32_t a, uint32_t b) { return b ? a % b : a; }

/* Signed division truncating toward zero, computed on magnitudes: x / 0 = 0, x % 0 = x,
 * INT_MIN / -1 = INT_MIN (wraps), INT_MIN % -1 = 0; the remainder takes the dividend's sign. */
static inline uint64_t interp_sdiv64(uint64_t a, uint64_t b)
{
    if (!b)
        return 0;
    uint64_t q = interp_abs64(a) / interp_abs64(b);
    return interp_neg64(a) != interp_neg64(b) ? 0 - q : q;
}
static inline uint32_t interp_sdiv32(uint32_t a, uint32_t b)
{
    if (!b)
        return 0;
    uint32_t q = interp_abs32(a) / interp_abs32(b);
    return interp_neg32(a) != interp_neg32(b) ? 0u - q : q;
}
static inline uint64_t interp_smod64(uint64_t a, uint64_t b)
{
    if (!b)
        return a;
    uint64_t r = interp_abs64(a) % interp_abs64(b);
    return interp_neg64(a) ? 0 - r : r;
}
static inline uint32_t interp_smod32(uint32_t a, uint32_t b)
{
    if (!b)
        return a;
    uint32_t r = interp_abs32(a) % interp_abs32(b);
    return interp_neg32(a) ? 0u - r : r;
}

/* Byte swaps. */
static inline uint16_t interp_bswap16(uint64_t x)
{
    return (uint16_t)(((x & 0xff) << 8) | ((x >> 8) & 0xff));
}
static inline uint32_t interp_bswap32(uint64_t x)
{
#if defined(__GNUC__)
    return __builtin_bswap32((uint32_t)x);
#else
    uint32_t v = (uint32_t)x;
    return (v >> 24) | ((v >> 8) & 0xff00u) | ((v << 8) & 0xff0000u) | (v << 24);
#endif
}
static inline uint64_t interp_bswap64(uint64_t x)
{
#if defined(__GNUC__)
    return __builtin_bswap64(x);
#else
    return ((uint64_t)interp_bswap32(x) << 32) | interp_bswap32(x >> 32);
#endif
}

/* Host byte order, decided by the compiler where it says so, else by a constant-folded probe. */
static inline bool interp_host_le(void)
{
#if defined(__BYTE_ORDER__) && defined(__ORDER_LITTLE_ENDIAN__)
    return __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__;
#else
    const union { uint16_t u; uint8_t b[2]; } probe = { 1 };
    return probe.b[0] == 1;
#endif
}

/* le<N>: convert to little endian (truncating to N bits); be<N>: to big endian. */
static inline uint64_t interp_le16(uint64_t x) { return interp_host_le() ? (uint16_t)x : interp_bswap16(x); }
static inline uint64_t interp_le32(uint64_t x) { return interp_host_le() ? (uint32_t)x : interp_bswap32(x); }
static inline uint64_t interp_le64(uint64_t x) { return interp_host_le() ? x : interp_bswap64(x); }
static inline uint64_t interp_be16(uint64_t x) { return interp_host_le() ? interp_bswap16(x) : (uint16_t)x; }
static inline uint64_t interp_be32(uint64_t x) { return interp_host_le() ? interp_bswap32(x) : (uint32_t)x; }
static inline uint64_t interp_be64(uint64_t x) { return interp_host_le() ? interp_bswap64(x) : x; }

/* Conditional jump predicates (the 32-bit forms receive the operands' low 32 bits). */
#define INTERP_CMP_PAIR(NAME, EXPR64, EXPR32)                                          \
    static inline bool interp_##NAME##64(uint64_t a, uint64_t b) { return EXPR64; }    \
    static inline bool interp_##NAME##32(uint32_t a, uint32_t b) { return EXPR32; }
INTERP_CMP_PAIR(jeq, a == b, a == b)
INTERP_CMP_PAIR(jne, a != b, a != b)
INTERP_CMP_PAIR(jgt, a > b, a > b)
INTERP_CMP_PAIR(jge, a >= b, a >= b)
INTERP_CMP_PAIR(jlt, a < b, a < b)
INTERP_CMP_PAIR(jle, a <= b, a <= b)
INTERP_CMP_PAIR(jset, (a & b) != 0, (a & b) != 0)
INTERP_CMP_PAIR(jsgt, interp_slt64(b, a), interp_slt32(b, a))
INTERP_CMP_PAIR(jsge, !interp_slt64(a, b), !interp_slt32(a, b))
INTERP_CMP_PAIR(jslt, interp_slt64(a, b), interp_slt32(a, b))
INTERP_CMP_PAIR(jsle, !interp_slt64(b, a), !interp_slt32(b, a))
#undef INTERP_CMP_PAIR

#endif
