/*
 * helper_csum_math.c - the Internet checksum (RFC 1071) as Linux's checksum helpers compute it, and
 * its incremental update (RFC 1624, eqn. 3: HC' = ~(~HC + ~m + m')).
 *
 * Values are "native loads of network-order bytes": a 16-bit checksum field read with a plain load,
 * and field values as the program loaded them. Ones'-complement sums do not depend on byte order,
 * so computing on such values gives the bytes Linux writes, on either host byte order.
 *
 * Representation: every sum here is zero only when everything added was zero; otherwise the result
 * is the one value in [1, 0xffff] of its class modulo 0xffff. Linux's partial sums (whatever the
 * architecture's csum_partial returns) fold to the same 16-bit values, so results match Linux's.
 */
#include "helpers/helpers_int.h"

#include <string.h>

uint32_t helper_csum_add(uint32_t csum, uint32_t addend)
{
    uint32_t sum = csum + addend;
    return sum + (sum < addend);
}

uint32_t helper_csum_sub(uint32_t csum, uint32_t addend)
{
    return helper_csum_add(csum, ~addend);
}

uint16_t helper_csum_from32to16(uint32_t sum)
{
    sum = (sum & 0xffff) + (sum >> 16);
    sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)sum;
}

uint16_t helper_csum_fold(uint32_t sum)
{
    return (uint16_t)~helper_csum_from32to16(sum);
}

uint32_t helper_csum_partial(const void *buf, size_t len, uint32_t seed)
{
    const unsigned char *p = buf;
    uint64_t acc = 0;
    size_t i = 0;
    for (; i + 2 <= len; i += 2) {
        uint16_t word;
        memcpy(&word, p + i, 2);
        acc += word;
    }
    if (i < len) {
        unsigned char last[2] = { p[i], 0 };
        uint16_t word;
        memcpy(&word, last, 2);
        acc += word;
    }
    while (acc >> 32)
        acc = (acc & 0xffffffffu) + (acc >> 32);
    return helper_csum_add(helper_csum_from32to16((uint32_t)acc), seed);
}

/* 16-bit sums with end-around carry (csum16_add / csum16_sub). */
static uint16_t csum16_add(uint16_t csum, uint16_t addend)
{
    uint16_t sum = (uint16_t)(csum + addend);
    return (uint16_t)(sum + (sum < addend));
}

static uint16_t csum16_sub(uint16_t csum, uint16_t addend)
{
    return csum16_add(csum, (uint16_t)~addend);
}

void helper_csum_replace2(uint16_t *sum, uint16_t from, uint16_t to)
{
    *sum = (uint16_t)~csum16_add(csum16_sub((uint16_t)~*sum, from), to);
}

void helper_csum_replace4(uint16_t *sum, uint32_t from, uint32_t to)
{
    uint32_t partial = helper_csum_sub(~(uint32_t)*sum, from);
    *sum = helper_csum_fold(helper_csum_add(partial, to));
}

void helper_csum_replace_by_diff(uint16_t *sum, uint32_t diff)
{
    *sum = helper_csum_fold(helper_csum_add(diff, ~(uint32_t)*sum));
}

void helper_csum_proto_replace4(uint16_t *sum, uint32_t from, uint32_t to)
{
    uint32_t diff[2] = { ~from, to };
    *sum = helper_csum_fold(helper_csum_partial(diff, sizeof diff, ~(uint32_t)*sum));
}
