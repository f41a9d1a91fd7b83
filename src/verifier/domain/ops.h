/*
 * ops.h - the operation codes shared by the numeric abstract domains (tnum, interval, zone):
 * the eBPF ALU operations and branch conditions, named once so that the verifier can hand an
 * instruction's operation to any domain without translating it per domain.
 *
 * Concrete semantics every domain must over-approximate (eBPF, all arithmetic modulo 2^64, or
 * modulo 2^32 for the 32-bit forms whose result is then zero-extended to 64 bits):
 *   ADD SUB MUL      wrap around
 *   DIV MOD          unsigned; x / 0 = 0, x % 0 = x
 *   AND OR XOR       bitwise
 *   LSH RSH ARSH     the shift count is masked with 63 (64-bit) or 31 (32-bit); ARSH is arithmetic
 */
#ifndef EBPF_VERIFIER_DOMAIN_OPS_H
#define EBPF_VERIFIER_DOMAIN_OPS_H

typedef enum vf_alu_op {
    VF_ALU_ADD,
    VF_ALU_SUB,
    VF_ALU_MUL,
    VF_ALU_DIV,
    VF_ALU_MOD,
    VF_ALU_AND,
    VF_ALU_OR,
    VF_ALU_XOR,
    VF_ALU_LSH,
    VF_ALU_RSH,
    VF_ALU_ARSH,
    VF_ALU_COUNT
} vf_alu_op;

/* Branch conditions `dst OP src`, as the eBPF JMP/JMP32 opcodes define them. */
typedef enum vf_cmp_op {
    VF_CMP_EQ,
    VF_CMP_NE,
    VF_CMP_GT,  /* unsigned > */
    VF_CMP_GE,  /* unsigned >= */
    VF_CMP_LT,  /* unsigned < */
    VF_CMP_LE,  /* unsigned <= */
    VF_CMP_SGT, /* signed > */
    VF_CMP_SGE,
    VF_CMP_SLT,
    VF_CMP_SLE,
    VF_CMP_SET, /* (dst & src) != 0 */
    VF_CMP_COUNT
} vf_cmp_op;

#endif
