/*
 * ebpf.h - the public C API of ebpf-anywhere, the only way into the library.
 *
 * Conventions (ARCHITECTURE.md):
 *  - Handles are opaque. Functions returning int give 0 (or a count) on success and a negative errno on
 *    failure, with errno set too; functions returning a pointer give NULL with errno set.
 *  - Loading and validation failures also fill a caller-owned ebpf_diag (may be NULL): one line of text,
 *    the instruction it concerns and, when known, the source line.
 *  - Option structs begin with their own size and are declared with EBPF_OPTS so that fields can be
 *    added later without breaking callers; unknown non-zero trailing bytes are refused with -EINVAL.
 *  - The library never prints: messages go to the log callback set with ebpf_set_log_callback.
 */
#ifndef EBPF_EBPF_H
#define EBPF_EBPF_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32) && defined(EBPF_BUILDING_SHARED)
#define EBPF_API __declspec(dllexport)
#elif defined(__GNUC__)
#define EBPF_API __attribute__((visibility("default")))
#else
#define EBPF_API
#endif

/* Declares and zero-fills an options struct of TYPE named NAME, with .sz set, and any fields given. */
#define EBPF_OPTS(TYPE, NAME, ...) \
    struct TYPE NAME = { .sz = sizeof(struct TYPE), __VA_ARGS__ }

/* One eBPF instruction slot, as RFC 9669 lays it out. */
struct ebpf_insn {
    uint8_t opcode;
    uint8_t dst_reg : 4;
    uint8_t src_reg : 4;
    int16_t off;
    int32_t imm;
};

/* What went wrong, for a human. `insn` is the instruction index or -1; `line` is "file.c:NN" or "". */
struct ebpf_diag {
    char message[256];
    int64_t insn;
    char line[128];
};

enum ebpf_log_level { EBPF_LOG_ERROR, EBPF_LOG_WARN, EBPF_LOG_INFO, EBPF_LOG_DEBUG };
typedef void (*ebpf_log_fn)(enum ebpf_log_level level, const char *message, void *user);
/* Sets the process-wide log callback (NULL: messages are dropped). */
EBPF_API void ebpf_set_log_callback(ebpf_log_fn fn, void *user);

/* A helper function callable from programs: five arguments in r1..r5, result in r0. `user` is the
 * pointer given in the helper's registration. */
typedef uint64_t (*ebpf_helper_fn)(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
                                   void *user);

struct ebpf_helper {
    uint32_t id;          /* helper id the program calls (`call id`, or `callx` with the id in a register) */
    const char *name;     /* for messages */
    ebpf_helper_fn fn;
    void *user;
};

struct ebpf_program_opts {
    size_t sz;
    const char *name;                  /* for messages; copied */
    const struct ebpf_helper *helpers; /* helpers this program may call; copied */
    size_t helper_count;
    bool reject_unreachable;           /* refuse instructions no path reaches */
    bool allow_uninit_regs;            /* skip the check that every register is written before it is read */
    bool jit_blind_constants;          /* EBPF_EXEC_JIT: XOR every immediate with a random key in the generated
                                        * code, so that an untrusted program cannot place chosen bytes there */
};

typedef struct ebpf_program ebpf_program;

/* Creates a program from raw instructions after strict validation (opcodes, reserved fields,
 * registers, jump targets, final exit, helpers known, registers initialised before use).
 * Returns NULL with errno (EINVAL: invalid bytecode, see diag; E2BIG: too many instructions;
 * ENOMEM) on failure. */
EBPF_API ebpf_program *ebpf_program_create(const struct ebpf_insn *insns, size_t insn_count,
                                           const struct ebpf_program_opts *opts,
                                           struct ebpf_diag *diag);
EBPF_API void ebpf_program_free(ebpf_program *prog);
EBPF_API size_t ebpf_program_insn_count(const ebpf_program *prog);

enum ebpf_exec_mode {
    /* Bounds-checks every memory access against the registered regions (the input memory, the stack,
     * extra regions) and stops with an error instead of touching anything else; counts instructions
     * against a budget. For unverified bytecode and fuzzing: it cannot corrupt the host. */
    EBPF_EXEC_CHECKED = 0,
    /* Pre-decoded, threaded dispatch, no per-access checks. Only for programs proven safe (verified)
     * or fully trusted: a wild pointer here is a wild pointer in the host. */
    EBPF_EXEC_FAST = 1,
    /* Compiled to x86-64 machine code at first use (held in memory that is never writable and executable
     * at once), same semantics as EBPF_EXEC_FAST and, like it, only for verified or trusted programs.
     * When the JIT cannot translate the program (e.g. an unresolved map reference, or a host that is not
     * x86-64) it says why through the log callback and the program runs in the fast interpreter instead. */
    EBPF_EXEC_JIT = 2,
};

/* A memory region a program in checked mode may access besides its input and stack. */
struct ebpf_region {
    void *base;
    size_t size;
    bool writable;
};

struct ebpf_run_opts {
    size_t sz;
    enum ebpf_exec_mode mode;
    void *mem;                         /* r1 = mem (NULL if none), r2 = mem_size; region read/write */
    size_t mem_size;
    const void *packet;                /* what LD_ABS/LD_IND read; defaults to mem */
    size_t packet_size;
    const struct ebpf_region *regions; /* checked mode: further accessible regions */
    size_t region_count;
    uint64_t max_insns;                /* checked mode: instruction budget (0: default 1e9) */
};

enum ebpf_run_status {
    EBPF_RUN_OK = 0,
    EBPF_RUN_OUT_OF_BOUNDS,   /* checked: memory access outside every region */
    EBPF_RUN_BUDGET,          /* checked: instruction budget exhausted */
    EBPF_RUN_CALL_DEPTH,      /* more than 8 nested local calls */
    EBPF_RUN_UNKNOWN_HELPER,  /* callx to an id no helper has */
    EBPF_RUN_UNSUPPORTED,     /* instruction this engine cannot run here (kfunc, unresolved pseudo lddw) */
};

struct ebpf_run_result {
    size_t sz;
    uint64_t r0;
    enum ebpf_run_status status;
    uint64_t insns_executed;  /* checked mode only */
    int64_t fault_insn;       /* instruction index of the fault, or -1 */
    char message[160];        /* why it stopped, when status != OK */
};

/* Runs the program. Returns 0 when it reached exit (result->r0 holds r0), or when it stopped early
 * -EFAULT (out-of-bounds access), -ETIMEDOUT (instruction budget), -ELOOP (call depth), -ENOENT (unknown
 * helper) or -ENOTSUP (unsupported instruction), with result->status and result->message saying why.
 * -EINVAL for bad arguments. result->sz must be set by the caller. */
EBPF_API int ebpf_program_run(ebpf_program *prog, const struct ebpf_run_opts *opts,
                              struct ebpf_run_result *result);

/* The machine code EBPF_EXEC_JIT runs for this program (compiled now if it was not yet): *code points to
 * *size bytes of x86-64 code, valid until the program is freed. Returns 0, or -ENOTSUP when the JIT
 * cannot translate this program or does not run on this host (the log callback says why), -ENOMEM,
 * -EINVAL. A failed compilation is not retried. */
EBPF_API int ebpf_program_jit_code(ebpf_program *prog, const void **code, size_t *size);

/* Human-readable name of a run status. */
EBPF_API const char *ebpf_run_status_name(enum ebpf_run_status status);

/* Text tools on raw bytecode, in the bpf_conformance assembly syntax.
 * ebpf_assemble: *out is malloc'd (free with ebpf_free); returns the instruction count (0 for an empty
 * source, with *out NULL) or -EINVAL with the message in diag and diag->insn = the 1-based source line.
 * ebpf_disassemble: writes the listing, one instruction per line, into a malloc'd string; -EINVAL with
 * diag naming the instruction for bytecode that does not decode. */
EBPF_API int ebpf_assemble(const char *source, struct ebpf_insn **out, struct ebpf_diag *diag);
EBPF_API int ebpf_disassemble(const struct ebpf_insn *insns, size_t insn_count, char **out,
                              struct ebpf_diag *diag);
EBPF_API void ebpf_free(void *ptr);

#ifdef __cplusplus
}
#endif
#endif
