/*
 * verifier.h - the verifier's in-process entry point: one program (its code exactly as the ELF loader
 * leaves it, before map relocation and context rewrite), the maps it names, its program type and the
 * signatures of its global functions in; a verdict, the instruction that failed and a reason out.
 *
 * This is what the sandboxed verifier process (src/verifier/proc/, build/bin/ebpf-verifier) runs on
 * what it reads from its pipe, and what tests and fuzzers call directly. Pure: no OS calls, no maps,
 * no engines; everything it knows about the world comes from vf_input and src/abi.
 */
#ifndef EBPF_VERIFIER_H
#define EBPF_VERIFIER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "isa/isa.h"

/* A map the program may name in an lddw (by its index in vf_input.maps). */
typedef struct vf_map {
    uint32_t type;          /* Linux map type id (abi_maps.h) */
    uint32_t key_size;
    uint32_t value_size;
    uint32_t max_entries;
    uint32_t flags;         /* map_flags */
    int32_t inner;          /* map-in-map: index of the inner map's template in vf_input.maps, else -1 */
    bool read_only;         /* programs may not write its values (.rodata, BPF_F_RDONLY_PROG) */
} vf_map;

/* Argument kinds of a global function, from its BTF prototype. */
typedef enum vf_arg_kind {
    VF_ARG_SCALAR,          /* an integer (any value) */
    VF_ARG_CTX,             /* a pointer to the program's context */
    VF_ARG_MEM,             /* a pointer to `size` readable and writable bytes */
    VF_ARG_MEM_OR_NULL,     /* the same, or NULL (Linux: a global function's pointer arguments may be NULL) */
    VF_ARG_UNSUPPORTED,     /* a parameter the verifier cannot type (void *, struct by value): refuse calls */
} vf_arg_kind;

/* A global (non-static) function: verified once on its own from its signature; calls to it are
 * checked against the signature, and its result is any integer. */
typedef struct vf_func {
    uint32_t entry;         /* instruction index of its first slot */
    uint8_t arg_count;      /* 0..5 */
    struct {
        uint8_t kind;       /* vf_arg_kind */
        uint32_t size;      /* VF_ARG_MEM*: bytes */
    } args[5];
    const char *name;       /* for messages; may be NULL */
} vf_func;

/* vf_input.flags */
#define VF_UNPRIVILEGED     0x1u  /* no pointer may leak into maps, packets or the return value */
#define VF_NO_TERMINATION   0x2u  /* do not require loops to be proven bounded (on by default) */
#define VF_KEEP_STATE       0x4u  /* on refusal, describe the abstract state at the failing point */

typedef struct vf_input {
    uint32_t prog_type;     /* Linux program type id (abi_prog.h) */
    uint32_t ctx_size;      /* GENERIC programs: the application's context size in bytes */
    /*
     * The code as the ELF loader leaves it (already structurally valid for isa_validate):
     *   lddw src 1 (ELF_LDDW_MAP_FD):    imm = map index
     *   lddw src 2 (ELF_LDDW_MAP_VALUE): imm = map index, second slot's imm = offset into the value
     *   lddw src 4 (ELF_LDDW_FUNC):      imm = target - (pc + 1), a callback function's entry
     *   call src 1 (local call):         imm = target - (pc + 1)
     *   call src 0:                      Linux helper id (abi_helpers.h)
     */
    const isa_slot *code;
    size_t count;
    const vf_map *maps;
    size_t map_count;
    const vf_func *funcs;   /* global functions other than the entry (may be empty) */
    size_t func_count;
    uint32_t flags;         /* VF_* */
} vf_input;

typedef enum vf_verdict {
    VF_ACCEPT = 0,          /* proven safe */
    VF_REJECT = 1,          /* not proven safe: insn and message say where and why */
    VF_ERROR = 2,           /* the input itself is malformed (bad code, bad map index, limits) */
} vf_verdict;

#define VF_MESSAGE_MAX 320

typedef struct vf_result {
    vf_verdict verdict;
    int64_t insn;                    /* the instruction refused, -1 when none */
    char message[VF_MESSAGE_MAX];    /* plain words: "r3 may be NULL here: check the result of
                                        bpf_map_lookup_elem before dereferencing it" */
    char *state;                     /* VF_KEEP_STATE and refused: the abstract state at insn
                                        (malloc'd text, one fact per line), else NULL */
    uint64_t visits;                 /* instructions analysed (with repeats at loop heads) */
} vf_result;

/* Verifies in->code. Returns 0 with out filled (any verdict), or -ENOMEM (out->verdict = VF_ERROR).
 * Deterministic; never reads outside in's arrays, whatever they contain. */
int vf_verify(const vf_input *in, vf_result *out);

/* Frees out->state. */
void vf_result_free(vf_result *out);

#endif
