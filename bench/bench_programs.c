/*
 * bench_programs.c - the micro-programs of bench_interp and their C twins. Each C twin mirrors its
 * eBPF program operation for operation and returns the same r0 (bench_interp checks this before
 * timing). The twins are noinline and read their input through a pointer the compiler cannot see
 * through, so gcc -O2 cannot fold the work away.
 */
#include "bench_programs.h"

#include <string.h>

#if defined(__GNUC__)
#define BENCH_NOINLINE __attribute__((noinline))
#else
#define BENCH_NOINLINE
#endif

uint64_t bench_helper_inc(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5, void *user)
{
    (void)r2, (void)r3, (void)r4, (void)r5, (void)user;
    return r1 + 1;
}

/* ---- nop: the cost of one run (entry, exit, outcome). ---- */
static const char nop_src[] = "mov %r0, 0\n"
                              "exit\n";

static BENCH_NOINLINE uint64_t native_nop(const uint64_t *mem)
{
    (void)mem;
    return 0;
}

/* ---- alu: 32 register ALU operations (add, xor, mul, shifts) per loop iteration. ---- */
static const char alu_src[] =
    "ldxdw %r1, [%r1]\n"
    "mov %r0, 1\n mov %r2, 2\n mov %r3, 3\n mov %r4, 4\n mov %r5, 5\n"
    "mov %r6, 6\n mov %r7, 7\n mov %r8, 8\n mov %r9, 9\n"
    "loop:\n"
    "add %r0, %r2\n xor %r2, %r3\n mul %r3, %r4\n lsh %r4, 1\n"
    "add %r5, %r6\n xor %r6, %r7\n mul %r7, 3\n rsh %r8, 1\n"
    "add %r9, %r0\n xor %r0, 0x55\n mul %r2, %r5\n lsh %r3, 3\n"
    "add %r4, %r9\n xor %r5, %r8\n mul %r6, %r9\n rsh %r7, 2\n"
    "add %r8, 77\n xor %r9, %r4\n mul %r0, %r3\n lsh %r5, 2\n"
    "add %r6, %r2\n xor %r7, %r0\n mul %r8, 5\n rsh %r9, 3\n"
    "add %r2, %r7\n xor %r3, %r6\n mul %r4, %r8\n lsh %r6, 1\n"
    "add %r7, %r5\n xor %r8, %r2\n mul %r9, %r3\n rsh %r0, 1\n"
    "sub %r1, 1\n"
    "jne %r1, 0, loop\n"
    "add %r0, %r2\n add %r0, %r3\n add %r0, %r4\n add %r0, %r5\n"
    "add %r0, %r6\n add %r0, %r7\n add %r0, %r8\n add %r0, %r9\n"
    "exit\n";

static BENCH_NOINLINE uint64_t native_alu(const uint64_t *mem)
{
    uint64_t n = mem[0];
    uint64_t r0 = 1, r2 = 2, r3 = 3, r4 = 4, r5 = 5, r6 = 6, r7 = 7, r8 = 8, r9 = 9;
    do {
        r0 += r2, r2 ^= r3, r3 *= r4, r4 <<= 1;
        r5 += r6, r6 ^= r7, r7 *= 3, r8 >>= 1;
        r9 += r0, r0 ^= 0x55, r2 *= r5, r3 <<= 3;
        r4 += r9, r5 ^= r8, r6 *= r9, r7 >>= 2;
        r8 += 77, r9 ^= r4, r0 *= r3, r5 <<= 2;
        r6 += r2, r7 ^= r0, r8 *= 5, r9 >>= 3;
        r2 += r7, r3 ^= r6, r4 *= r8, r6 <<= 1;
        r7 += r5, r8 ^= r2, r9 *= r3, r0 >>= 1;
    } while (--n != 0);
    return r0 + r2 + r3 + r4 + r5 + r6 + r7 + r8 + r9;
}

/* ---- branchy: a random walk (LCG) with three data-dependent, uncorrelated branches per iteration. ---- */
static const char branchy_src[] =
    "ldxdw %r1, [%r1]\n"
    "lddw %r6, 0x5851f42d4c957f2d\n"
    "lddw %r7, 0x14057b7ef767814f\n"
    "mov %r2, 12345\n mov %r0, 0\n mov %r3, 0\n"
    "loop:\n"
    "mul %r2, %r6\n add %r2, %r7\n mov %r4, %r2\n rsh %r4, 40\n"
    "jset %r4, 1, odd\n"
    "add %r0, %r4\n ja next1\n"
    "odd:\n sub %r3, %r4\n"
    "next1:\n jgt %r4, 0x7fffff, big\n"
    "xor %r0, %r2\n ja next2\n"
    "big:\n add %r3, 1\n"
    "next2:\n jset %r2, 0x10000, skip\n"
    "add %r0, 3\n"
    "skip:\n sub %r1, 1\n"
    "jne %r1, 0, loop\n"
    "add %r0, %r3\n"
    "exit\n";

static BENCH_NOINLINE uint64_t native_branchy(const uint64_t *mem)
{
    uint64_t n = mem[0], x = 12345, r0 = 0, r3 = 0;
    do {
        x = x * UINT64_C(0x5851f42d4c957f2d) + UINT64_C(0x14057b7ef767814f);
        uint64_t r4 = x >> 40;
        if (r4 & 1)
            r3 -= r4;
        else
            r0 += r4;
        if (r4 > 0x7fffff)
            r3 += 1;
        else
            r0 ^= x;
        if (!(x & 0x10000))
            r0 += 3;
    } while (--n != 0);
    return r0 + r3;
}

/* ---- memory: sum n words of the input (64-bit and 32-bit loads) through a stack slot. ---- */
static const char memory_src[] =
    "ldxdw %r3, [%r1]\n"
    "lsh %r3, 3\n add %r1, 8\n add %r3, %r1\n mov %r0, 0\n"
    "loop:\n"
    "ldxdw %r4, [%r1]\n add %r0, %r4\n"
    "ldxw %r5, [%r1+4]\n xor %r0, %r5\n"
    "stxdw [%r10-8], %r0\n ldxdw %r0, [%r10-8]\n"
    "add %r1, 8\n"
    "jlt %r1, %r3, loop\n"
    "exit\n";

static BENCH_NOINLINE uint64_t native_memory(const uint64_t *mem)
{
    uint64_t n = mem[0], r0 = 0;
    const uint64_t *p = mem + 1;
    do {
        uint32_t w;
        memcpy(&w, (const char *)p + 4, 4);
        r0 += *p;
        r0 ^= w;
        p++;
    } while (--n != 0);
    return r0;
}

/* ---- helper: one helper call (r0 = r1 + 1) per iteration. ---- */
static const char helper_src[] =
    "ldxdw %r6, [%r1]\n mov %r7, 0\n"
    "loop:\n"
    "mov %r1, %r7\n call 1\n mov %r7, %r0\n"
    "sub %r6, 1\n"
    "jne %r6, 0, loop\n"
    "mov %r0, %r7\n"
    "exit\n";

/* Called through a volatile pointer so that the call is real, as in the interpreter. */
static uint64_t (*volatile native_helper_fn)(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, void *) =
    bench_helper_inc;

static BENCH_NOINLINE uint64_t native_helper(const uint64_t *mem)
{
    uint64_t n = mem[0], r7 = 0;
    do
        r7 = native_helper_fn(r7, 0, 0, 0, 0, NULL);
    while (--n != 0);
    return r7;
}

const bench_program bench_programs[] = {
    { "nop", "mov r0, 0; exit: the cost of one run", nop_src, native_nop, 1, { 1, 1 } },
    { "alu", "loop of 32 register ALU ops (add/xor/mul/shift) + 2 loop insns", alu_src, native_alu, 1000,
      { 1000, 3000 } },
    { "branchy", "LCG random walk, 3 data-dependent branches per iteration", branchy_src, native_branchy, 2000,
      { 1000, 3000 } },
    { "memory", "sum of n words: 64/32-bit loads + a stack store/reload", memory_src, native_memory,
      BENCH_MAX_WORDS, { 1000, 3000 } },
    { "helper", "one helper call per iteration", helper_src, native_helper, 2000, { 1000, 3000 } },
};
const size_t bench_program_count = sizeof bench_programs / sizeof bench_programs[0];

const bench_program *bench_find(const char *name)
{
    for (size_t i = 0; i < bench_program_count; i++)
        if (strcmp(bench_programs[i].name, name) == 0)
            return &bench_programs[i];
    return NULL;
}
