/*
 * asm_lex.c - operands of the assembly syntax: registers, numbers with their range rules, memory
 * operands. Failures carry the exact bpf_conformance messages ("Invalid register: r50", "Immediate out
 * of 32-bit range: 0x100000000", ...), where the quoted text is the operand as written, without the
 * register sigil `%` and without a leading `+`.
 *
 * Numbers: optional sign, then `0x` hex digits or decimal digits, nothing else. Hex is read as the
 * unsigned bit pattern (up to 0xffffffff for imm32, 0xffff for offsets, 64 bits for lddw); decimal must
 * fit the signed range (int32, int16; lddw: int64 when negative, uint64 otherwise).
 */
#include "isa/asm_int.h"

#include <errno.h>
#include <string.h>

bool isa_word_is(isa_word w, const char *text)
{
    return strlen(text) == w.n && memcmp(w.p, text, w.n) == 0;
}

bool isa_lex_is_register(isa_word w)
{
    return w.n > 0 && w.p[0] == '%';
}

bool isa_lex_is_relative(isa_word w)
{
    return w.n > 0 && (w.p[0] == '+' || w.p[0] == '-');
}

/* The word without a leading '%' (registers) or '+' (offsets), for messages. */
static isa_word quoted(isa_word w)
{
    if (w.n > 0 && (w.p[0] == '%' || w.p[0] == '+'))
        return (isa_word){ w.p + 1, w.n - 1 };
    return w;
}

typedef struct number {
    uint64_t mag;   /* magnitude */
    bool neg;
    bool hex;
    bool overflow;  /* magnitude does not fit 64 bits */
} number;

static int digit_value(char c, bool hex)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (hex && c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (hex && c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static bool parse_number(isa_word w, number *out)
{
    size_t i = 0;
    *out = (number){ 0 };
    if (i < w.n && (w.p[i] == '+' || w.p[i] == '-'))
        out->neg = w.p[i++] == '-';
    if (i + 1 < w.n && w.p[i] == '0' && (w.p[i + 1] == 'x' || w.p[i + 1] == 'X')) {
        out->hex = true;
        i += 2;
    }
    if (i == w.n)
        return false;
    unsigned base = out->hex ? 16 : 10;
    for (; i < w.n; i++) {
        int d = digit_value(w.p[i], out->hex);
        if (d < 0)
            return false;
        if (out->mag > (UINT64_MAX - (uint64_t)d) / base)
            out->overflow = true;
        out->mag = out->mag * base + (uint64_t)d;
    }
    return true;
}

/* Range rule shared by imm32 and off16: hex up to the unsigned maximum, decimal inside the signed range,
 * negative values down to the signed minimum. Returns the value as the low `bits` bits. */
static bool fits(const number *num, unsigned bits, uint64_t *low_bits)
{
    uint64_t umax = (bits == 64) ? UINT64_MAX : ((uint64_t)1 << bits) - 1;
    uint64_t smax = umax >> 1;
    if (num->overflow)
        return false;
    if (num->neg) {
        if (num->mag > smax + 1)
            return false;
        *low_bits = (0 - num->mag) & umax;
        return true;
    }
    if (num->mag > (num->hex ? umax : smax))
        return false;
    *low_bits = num->mag;
    return true;
}

int isa_lex_register(isa_asm *as, isa_word w, uint8_t *reg)
{
    unsigned value = 0;
    bool ok = w.n >= 3 && w.n <= 4 && w.p[0] == '%' && w.p[1] == 'r';
    for (size_t i = 2; ok && i < w.n; i++) {
        int d = digit_value(w.p[i], false);
        ok = d >= 0;
        value = value * 10 + (unsigned)(d < 0 ? 0 : d);
    }
    if (!ok || value > 15)
        return isa_asm_fail(as, "Invalid register: %.*s", ISA_WORD_ARG(quoted(w)));
    *reg = (uint8_t)value;
    return 0;
}

int isa_lex_imm32(isa_asm *as, isa_word w, int32_t *out)
{
    number num;
    uint64_t bits;
    if (!parse_number(w, &num))
        return isa_asm_fail(as, "Invalid immediate: %.*s", ISA_WORD_ARG(w));
    if (!fits(&num, 32, &bits))
        return isa_asm_fail(as, "Immediate out of 32-bit range: %.*s", ISA_WORD_ARG(w));
    *out = isa_i32((uint32_t)bits);
    return 0;
}

int isa_lex_off16(isa_asm *as, isa_word w, int16_t *out)
{
    number num;
    uint64_t bits;
    if (!parse_number(w, &num))
        return isa_asm_fail(as, "Invalid offset: %.*s", ISA_WORD_ARG(quoted(w)));
    if (!fits(&num, 16, &bits))
        return isa_asm_fail(as, "Offset out of 16-bit range: %.*s", ISA_WORD_ARG(quoted(w)));
    *out = isa_i16((uint16_t)bits);
    return 0;
}

int isa_lex_imm64(isa_asm *as, isa_word w, uint64_t *out)
{
    number num;
    if (!parse_number(w, &num))
        return isa_asm_fail(as, "Invalid immediate: %.*s", ISA_WORD_ARG(w));
    /* Unsigned decimal is accepted up to 2^64-1 too: lddw has no narrower destination. */
    num.hex = num.hex || !num.neg;
    if (!fits(&num, 64, out))
        return isa_asm_fail(as, "Immediate out of 64-bit range: %.*s", ISA_WORD_ARG(w));
    return 0;
}

int isa_lex_memory(isa_asm *as, isa_word w, uint8_t *reg, int16_t *off)
{
    if (w.n < 2 || w.p[0] != '[' || w.p[w.n - 1] != ']')
        return isa_asm_fail(as, "Failed to decode register and offset: %.*s", ISA_WORD_ARG(quoted(w)));
    isa_word inner = { w.p + 1, w.n - 2 };
    size_t sign = 0;
    while (sign < inner.n && inner.p[sign] != '+' && inner.p[sign] != '-')
        sign++;
    isa_word base = { inner.p, sign };
    isa_word offset = { inner.p + sign, inner.n - sign };
    if (base.n == 0 || (offset.n == 1))
        return isa_asm_fail(as, "Failed to decode register and offset: %.*s", ISA_WORD_ARG(quoted(w)));
    int rc = isa_lex_register(as, base, reg);
    if (rc != 0)
        return rc;
    *off = 0;
    return offset.n == 0 ? 0 : isa_lex_off16(as, offset, off);
}
