/* vd_util.c - see vd_util.h. */
#include "vd_util.h"

#include <stdlib.h>

uint64_t vd_seed;
unsigned long vd_cases;
static uint64_t state;

void vd_seed_init(void)
{
    const char *env = getenv("VF_TEST_SEED");
    vd_seed = env && *env ? strtoull(env, NULL, 0) : UINT64_C(0x5eedf00d2024);
    state = vd_seed;
    vd_cases = 0;
}

void vd_report(const char *what)
{
    printf("  %-28s %lu cases (seed %llu)\n", what, vd_cases, (unsigned long long)vd_seed);
}

uint64_t vd_rand(void)
{
    uint64_t z = (state += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

uint64_t vd_below(uint64_t n) { return vd_rand() % n; }

uint64_t vd_value(void)
{
    uint64_t r = vd_rand();
    switch (vd_below(8)) {
    case 0: return (uint64_t)((int64_t)vd_below(17) - 8);
    case 1: { /* near a power of two, either sign */
        uint64_t p = UINT64_C(1) << vd_below(64);
        uint64_t v = p + (uint64_t)((int64_t)vd_below(5) - 2);
        return vd_below(2) ? v : (uint64_t)0 - v;
    }
    case 2: return r & 0xffffffff;
    case 3: return r & vd_rand() & vd_rand(); /* sparse */
    case 4: return r | vd_rand() | vd_rand(); /* dense */
    case 5: return r & 0xffff;
    default: return r;
    }
}

static uint64_t sar(uint64_t x, unsigned k)
{
    return k ? (x >> k) | ((x >> 63) ? ~(UINT64_MAX >> k) : 0) : x;
}

uint64_t vd_alu(vf_alu_op op, uint64_t a, uint64_t b, bool is64)
{
    if (!is64) {
        a = (uint32_t)a;
        b = (uint32_t)b;
    }
    unsigned sh = (unsigned)(b & (is64 ? 63 : 31));
    uint64_t r = 0;
    switch (op) {
    case VF_ALU_ADD: r = a + b; break;
    case VF_ALU_SUB: r = a - b; break;
    case VF_ALU_MUL: r = a * b; break;
    case VF_ALU_DIV: r = b ? a / b : 0; break;
    case VF_ALU_MOD: r = b ? a % b : a; break;
    case VF_ALU_AND: r = a & b; break;
    case VF_ALU_OR: r = a | b; break;
    case VF_ALU_XOR: r = a ^ b; break;
    case VF_ALU_LSH: r = a << sh; break;
    case VF_ALU_RSH: r = a >> sh; break;
    case VF_ALU_ARSH:
        /* 32-bit: shift the sign-extended low half */
        r = is64 ? sar(a, sh) : sar((uint64_t)(int64_t)(int32_t)(uint32_t)a, sh);
        break;
    case VF_ALU_COUNT: break;
    }
    return is64 ? r : (uint32_t)r;
}

bool vd_cmp(vf_cmp_op op, uint64_t a, uint64_t b, bool is64)
{
    int64_t sa = (int64_t)a, sb = (int64_t)b;
    if (!is64) {
        a = (uint32_t)a;
        b = (uint32_t)b;
        sa = (int32_t)(uint32_t)a;
        sb = (int32_t)(uint32_t)b;
    }
    switch (op) {
    case VF_CMP_EQ: return a == b;
    case VF_CMP_NE: return a != b;
    case VF_CMP_GT: return a > b;
    case VF_CMP_GE: return a >= b;
    case VF_CMP_LT: return a < b;
    case VF_CMP_LE: return a <= b;
    case VF_CMP_SGT: return sa > sb;
    case VF_CMP_SGE: return sa >= sb;
    case VF_CMP_SLT: return sa < sb;
    case VF_CMP_SLE: return sa <= sb;
    case VF_CMP_SET: return (a & b) != 0;
    case VF_CMP_COUNT: break;
    }
    return false;
}

const char *const vd_alu_names[VF_ALU_COUNT] = {
    "add", "sub", "mul", "div", "mod", "and", "or", "xor", "lsh", "rsh", "arsh",
};
const char *const vd_cmp_names[VF_CMP_COUNT] = {
    "eq", "ne", "gt", "ge", "lt", "le", "sgt", "sge", "slt", "sle", "set",
};
