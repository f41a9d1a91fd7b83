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
    EBPF_RUN_UNINIT,          /* checked, when asked (ebpf_test_run_opts.check_uninit): read of a register
                               * holding no defined value or of a stack byte never written */
};

struct ebpf_run_result {
    size_t sz;
    uint64_t r0;
    enum ebpf_run_status status;
    uint64_t insns_executed;  /* checked mode only */
    int64_t fault_insn;       /* instruction index of the fault, or -1 */
    char message[160];        /* why it stopped, when status != OK */
};

/* Runs the program. An object program loaded without verification (EBPF_TRUST_UNVERIFIED) runs only in
 * EBPF_EXEC_CHECKED: other modes give -EPERM with result->message saying why.
 * Returns 0 when it reached exit (result->r0 holds r0), or when it stopped early
 * -EFAULT (out-of-bounds access, or an uninitialised read when asked), -ETIMEDOUT (instruction budget), -ELOOP (call depth), -ENOENT (unknown
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


/* ---------------------------------------------------------------------------------------------------
 * Objects: clang-compiled eBPF ELF files (`clang -O2 -g -target bpf -c`), opened and inspected.
 *
 * An object lists its programs (one per entry function of a code section, libbpf section-name
 * conventions) and its maps (BTF-defined `.maps`, legacy `maps`, global data as one-element arrays,
 * inner-map templates of map-in-maps). Every string an info call returns belongs to the object and
 * stays valid until ebpf_object_close. Opening never trusts the file: a malformed object is refused
 * with NULL, errno (EINVAL malformed, E2BIG over a sanity limit, ENOMEM; ENOENT and others from the OS
 * for files) and a one-line reason in diag.
 * --------------------------------------------------------------------------------------------------- */

typedef struct ebpf_object ebpf_object;

struct ebpf_object_open_opts {
    size_t sz;                  /* no options yet; the struct is here so that some can be added */
};

EBPF_API ebpf_object *ebpf_object_open_mem(const void *data, size_t size,
                                           const struct ebpf_object_open_opts *opts, struct ebpf_diag *diag);
EBPF_API ebpf_object *ebpf_object_open_file(const char *path, const struct ebpf_object_open_opts *opts,
                                            struct ebpf_diag *diag);
EBPF_API void ebpf_object_close(ebpf_object *obj);

/* Content of the object's `license` section ("" when it has none). */
EBPF_API const char *ebpf_object_license(const ebpf_object *obj);

EBPF_API size_t ebpf_object_program_count(const ebpf_object *obj);

/* One program of an object. Set .sz (EBPF_OPTS does) before the call; fields past it are not written. */
struct ebpf_program_info {
    size_t sz;
    const char *section;        /* ELF section ("xdp", "kprobe/sys_write", ".text") */
    const char *name;           /* entry function; the section name when the section has no function symbol */
    const char *type;           /* program type implied by the section ("xdp", "unspec", ...) */
    const char *attach_type;    /* expected attach type ("cgroup_inet4_connect", "none") */
    const char *attach_target;  /* text after the section prefix's '/' ("sys_write"), "" when none */
    size_t insn_count;          /* instruction slots, sub-programs included */
    size_t func_count;          /* entry function plus the sub-programs it calls */
    bool loadable;              /* false when the loader cannot prepare it as is (CO-RE, unresolved externs) */
    const char *problem;        /* why it is not loadable, NULL when it is */
    uint32_t id;                /* after ebpf_object_load: the program's id, what prog_array lookups give;
                                 * 0 before the load or when it could not be loaded */
};

/* Fills *info for program `index`. Returns 0, or -EINVAL (bad arguments, .sz too small) or -ENOENT
 * (index out of range) with errno set. */
EBPF_API int ebpf_object_program_info(const ebpf_object *obj, size_t index, struct ebpf_program_info *info);

EBPF_API size_t ebpf_object_map_count(const ebpf_object *obj);

/* One map definition of an object. Set .sz before the call, as for ebpf_program_info. */
struct ebpf_map_info {
    size_t sz;
    const char *name;           /* symbol name; the section name for global data (".rodata") */
    const char *type;           /* bpftool name of the map type ("lru_hash"), "unknown" for other ids */
    uint32_t type_id;           /* Linux enum bpf_map_type value */
    uint32_t key_size;
    uint32_t value_size;
    uint32_t max_entries;
    uint32_t map_flags;
    const char *kind;           /* "btf" (.maps), "legacy" (maps), "data" (global data), "inner" (map-in-map template) */
    uint32_t id;                /* after ebpf_object_load: the map's id, what map-in-map lookups give; 0 before */
};

/* Fills *info for map `index`. Returns 0, -EINVAL or -ENOENT as ebpf_object_program_info. */
EBPF_API int ebpf_object_map_info(const ebpf_object *obj, size_t index, struct ebpf_map_info *info);

/* Disassembles program `index` into a malloc'd listing (free with ebpf_free), in the syntax of
 * ebpf_disassemble with each instruction prefixed by its index ("  12: mov %r0, 0"), a label line before
 * each function ("name:"), the source line before the first instruction of each new line when BTF line
 * info exists ("; file.c:42: the source text"), and comments naming the map of a map lddw and the
 * function a local call or lddw of a function reaches. Undecodable slots are listed as `.invalid` lines
 * with the reason. Returns 0, or -EINVAL / -ENOENT / -ENOMEM with errno and diag set. */
EBPF_API int ebpf_object_program_disasm(const ebpf_object *obj, size_t index, char **listing,
                                        struct ebpf_diag *diag);


/* ---- loading and running an object's programs ----------------------------------------------------
 *
 * ebpf_object_load creates every map of the object (global data initialised, .rodata frozen), resolves
 * calls to external functions by helper name, relocates map references, checks every helper call
 * against the Linux helper table and the program's type ("instruction 12: helper 51 (bpf_redirect_map)
 * is not available to kprobe programs"), rewrites context accesses (XDP: the 32-bit xdp_md fields
 * become loads of real pointers) and prepares each program. Programs the loader cannot prepare (CO-RE,
 * unresolved externs) do not fail the load; ebpf_object_find_program refuses them with the reason.
 * Returns 0, or a negative errno with diag naming the map or program, instruction and source line.
 *
 * Verification (ebpf_object_load_with_opts, .verify): EBPF_VERIFY_PROCESS hands every program to the
 * sandboxed verifier process (ebpf-verifier, next to the executable or named by opts / the
 * EBPF_VERIFIER environment variable); EBPF_VERIFY_IN_PROCESS runs the same analysis in this process
 * (tests, fuzzing); EBPF_VERIFY_NONE loads programs unverified, and such programs run only in
 * EBPF_EXEC_CHECKED, which confines every access to the stack, the context record, the packet, global
 * data and the map values helpers returned during the run (FAST / JIT are refused with -EPERM). A
 * program the verifier refuses is not created: ebpf_object_find_program gives -EACCES with the
 * verifier's message, instruction and source line. A verifier that crashes, hits a limit, times out
 * or replies nonsense fails the load with a message ("verifier process killed by SIGSYS (sandbox
 * violation)"). EBPF_VERIFY_DEFAULT (ebpf_object_load) is EBPF_VERIFY_PROCESS (ebpf_program_trust says
 * which case a program is in). bpf_tail_call works in ebpf_prog_test_run (prog_array
 * slots initialised in the object hold its programs; at most 33 tail calls per run, as in Linux).
 * Callbacks (bpf_loop, bpf_for_each_map_elem) run in the interpreters; a program that passes callbacks
 * is not JIT-compiled (EBPF_EXEC_JIT runs it in the fast interpreter and logs why). */
EBPF_API int ebpf_object_load(ebpf_object *obj, struct ebpf_diag *diag);

enum ebpf_verify_mode {
    EBPF_VERIFY_DEFAULT = 0,     /* the library's default: the verifier process */
    EBPF_VERIFY_PROCESS = 1,     /* the sandboxed verifier process */
    EBPF_VERIFY_IN_PROCESS = 2,  /* the verifier in this process (tests, fuzzing; no isolation) */
    EBPF_VERIFY_NONE = 3,        /* unverified: the checked interpreter only */
};

/* Options of the verifier, for loads and for ebpf_object_verify. Zero fields take the defaults. */
struct ebpf_verify_opts {
    size_t sz;
    enum ebpf_verify_mode mode;
    const char *verifier_path;   /* the verifier executable (default: $EBPF_VERIFIER, else ebpf-verifier
                                  * next to the running executable, else next to the library or in
                                  * ../bin from it, else looked up in PATH) */
    uint32_t cpu_seconds;        /* the verifier process's CPU-time limit (default 30) */
    uint32_t memory_mb;          /* its address-space limit beyond what it has at start (default 1024) */
    uint32_t timeout_ms;         /* wall-clock limit on its answer (default 2 x cpu_seconds + 5 s) */
    bool keep_state;             /* ebpf_object_verify: describe the abstract state at a refusal */
};

struct ebpf_object_load_opts {
    size_t sz;
    struct ebpf_verify_opts verify;  /* .verify.sz may stay 0 (its fields are read as they are) */
};

/* ebpf_object_load with options (NULL: the defaults). */
EBPF_API int ebpf_object_load_with_opts(ebpf_object *obj, const struct ebpf_object_load_opts *opts,
                                        struct ebpf_diag *diag);

enum ebpf_program_trust {
    EBPF_TRUST_TRUSTED = 0,      /* raw programs, and object programs loaded by default before the verifier
                                  * is switched on: the caller vouches for them, every engine runs them */
    EBPF_TRUST_VERIFIED = 1,     /* proven safe by the verifier: every engine runs them */
    EBPF_TRUST_UNVERIFIED = 2,   /* loaded with EBPF_VERIFY_NONE: only EBPF_EXEC_CHECKED runs them */
};
EBPF_API enum ebpf_program_trust ebpf_program_trust(const ebpf_program *prog);

enum ebpf_verdict { EBPF_VERDICT_ACCEPT = 0, EBPF_VERDICT_REJECT = 1, EBPF_VERDICT_ERROR = 2 };

struct ebpf_verify_result {
    size_t sz;
    enum ebpf_verdict verdict;   /* ERROR: malformed program, or the verifier could not answer */
    int64_t insn;                /* the instruction refused, -1 when none */
    char line[128];              /* its source line "file.c:NN" from BTF line info, "" when unknown */
    char message[320];           /* why, in plain words ("" when accepted) */
    char *state;                 /* keep_state and refused: the abstract state at insn (free with ebpf_free) */
    uint64_t time_us;            /* wall-clock time of the verification */
    size_t insn_count;           /* instruction slots of the program */
    uint64_t visits;             /* instructions the analysis visited */
};

/* Verifies the program named `name` (function or section name) of an opened (or loaded) object, without
 * loading it. Returns 0 with result filled for any verdict; -ENOENT (no such program), -EINVAL (bad
 * arguments); or a negative errno when the verifier could not answer (the process crashed, hit a limit,
 * timed out, replied nonsense), with verdict ERROR and the reason in result->message. */
EBPF_API int ebpf_object_verify(ebpf_object *obj, const char *name, const struct ebpf_verify_opts *opts,
                                struct ebpf_verify_result *result);

/* The loaded program named `name` (function name, or section name), owned by the object: valid until
 * ebpf_object_close, not to be freed. NULL with errno ENOENT (no such program), EAGAIN (not loaded),
 * ENOTSUP (the loader could not prepare it; diag says why), EACCES (the verifier refused it; diag has its
 * message, instruction and source line). */
EBPF_API ebpf_program *ebpf_object_find_program(ebpf_object *obj, const char *name, struct ebpf_diag *diag);

/* Index of the map named `name` (as ebpf_map_info.name), or -ENOENT. */
EBPF_API int ebpf_object_find_map(const ebpf_object *obj, const char *name);

/* Size of the value buffer the map calls below take for map `index` (per-CPU maps: one 8-byte aligned
 * value per CPU, as bpf() copies them); 0 when the object is not loaded or there is no such map. */
EBPF_API size_t ebpf_object_map_value_size(const ebpf_object *obj, size_t index);

/* The bpf() map commands on a loaded object's map. key_size must equal the map's key size and
 * value_size ebpf_object_map_value_size. Return 0 or a negative errno as Linux gives them (-ENOENT,
 * -EEXIST, -E2BIG, ...); -EAGAIN before ebpf_object_load; -EINVAL for size mismatches. next_key: key
 * NULL gives the first key, -ENOENT after the last. */
EBPF_API int ebpf_object_map_lookup(ebpf_object *obj, size_t index, const void *key, size_t key_size,
                                    void *value, size_t value_size);
EBPF_API int ebpf_object_map_update(ebpf_object *obj, size_t index, const void *key, size_t key_size,
                                    const void *value, size_t value_size, uint64_t flags);
EBPF_API int ebpf_object_map_next_key(ebpf_object *obj, size_t index, const void *key, void *next_key,
                                      size_t key_size);
/* BPF_MAP_LOOKUP_AND_DELETE_ELEM: queue and stack (key NULL, key_size 0: pops the next value, -ENOENT
 * when empty) and the hash maps (copies the value out and deletes the element). */
EBPF_API int ebpf_object_map_lookup_and_delete(ebpf_object *obj, size_t index, const void *key, size_t key_size,
                                               void *value, size_t value_size);

/* ---- event maps: what programs sent to ringbuf and perf_event_array maps --------------------------
 * Linux user space reads these through mmap'd rings (libbpf's ring_buffer and perf_buffer); here the
 * records are handed to a callback. */

/* Receives one ring buffer record (valid during the call); non-zero stops the consumer after it. */
typedef int (*ebpf_ringbuf_fn)(void *ctx, const void *data, size_t size);
/* Consumes every record submitted to ringbuf map `index` so far, in order (discarded records are
 * skipped, as Linux's consumer skips them). Returns the number of records given to fn, or -EINVAL (not
 * a ringbuf map, fn NULL), -ENOENT, -EAGAIN (not loaded). */
EBPF_API int ebpf_object_ringbuf_consume(ebpf_object *obj, size_t index, ebpf_ringbuf_fn fn, void *ctx);

/* Opens a reader on perf_event_array map `index` for every CPU slot (at most max_entries), each a ring
 * of `pages` 4096-byte pages (a power of 2), and stores it at that CPU's index, as libbpf's
 * perf_buffer__new opens one BPF output event per CPU. Until then bpf_perf_event_output fails with
 * -ENOENT; a program may only write to the slot of the CPU it runs on (BPF_F_CURRENT_CPU, or that
 * index), other slots give -EOPNOTSUPP as Linux's per-CPU events do. Returns 0, -EEXIST (already
 * open), -EINVAL, -ENOENT, -EAGAIN, -ENOMEM. */
EBPF_API int ebpf_object_perf_open(ebpf_object *obj, size_t index, size_t pages);
/* Receives one perf sample: the CPU slot it was written on and the raw sample, whose size is padded as
 * Linux pads raw samples (size + 4 is a multiple of 8, the padding zeroed). */
typedef void (*ebpf_perf_sample_fn)(void *ctx, uint32_t cpu, const void *data, uint32_t size);
/* Told how many samples a full ring dropped on that CPU slot. */
typedef void (*ebpf_perf_lost_fn)(void *ctx, uint32_t cpu, uint64_t lost);
/* Consumes the samples of every open slot (lost may be NULL). Returns the number of samples, or a
 * negative errno. */
EBPF_API int ebpf_object_perf_consume(ebpf_object *obj, size_t index, ebpf_perf_sample_fn sample,
                                      ebpf_perf_lost_fn lost, void *ctx);

/* BPF_PROG_TEST_RUN for an object's program, with Linux's semantics per program type:
 *   xdp: the packet data_in is placed after 256 bytes of headroom in a buffer with tailroom for
 *     bpf_xdp_adjust_tail; the context has ingress_ifindex 1 (loopback) and rx_queue_index 0. ctx_in,
 *     when given, is a struct xdp_md as Linux takes it (data = length of metadata at the start of
 *     data_in, data_end = data_size_in, data_meta 0, ingress_ifindex 0 or 1, rx_queue_index 0).
 *   socket_filter, sched_cls, sched_act, cgroup_skb, lwt_*: data_in is an Ethernet frame; the
 *     program sees skb->data at the MAC header (sched_cls, sched_act) or after it (the others), len,
 *     protocol, pkt_type as Linux sets them; ctx_in is a struct __sk_buff of which only mark, priority,
 *     ingress_ifindex, ifindex (0 or 1), cb, tstamp, wire_len, gso_segs, gso_size and hwtstamp may be
 *     non-zero (-EINVAL otherwise); ctx_out returns those fields; data_out starts at the MAC header
 *     (zeroed for the non-l2 types, as Linux does).
 *   cgroup_sock_addr (not in Linux): ctx_in, a struct bpf_sock_addr, is required and data_in must be
 *     empty; ctx_out is the context after the run (e.g. a rewritten user_ip4 / user_port).
 *   raw contexts (kprobe, tracepoint, ...): ctx_in is the record (zero-padded), no data_in.
 * The program runs `repeat` times (0 counts as 1) on the same buffer and context, without resetting
 * them between runs (as Linux). ctx_in longer than the context must be zero past it (-E2BIG). */
struct ebpf_test_run_opts {
    size_t sz;
    const void *data_in;          /* the packet: 14 (Ethernet header) .. 3520 bytes (xdp), 3712 (skb) */
    size_t data_size_in;
    void *data_out;               /* receives the packet after the run (metadata first, as Linux), may be NULL */
    size_t data_size_out;         /* in: capacity of data_out; out: bytes of the packet after the run. When
                                   * they do not fit, data_out gets the first bytes and the call -ENOSPC */
    uint32_t repeat;
    enum ebpf_exec_mode mode;     /* EBPF_EXEC_CHECKED (default) or, for trusted programs, FAST / JIT */
    uint64_t max_insns;           /* checked mode: instruction budget per run (0: the default) */
    /* ---- results ---- */
    uint32_t retval;              /* the program's return value (XDP action) of the last run */
    uint64_t duration;            /* average ns per run */
    enum ebpf_run_status status;  /* EBPF_RUN_OK, or why the run stopped early */
    int64_t fault_insn;           /* instruction of the fault, or -1 */
    char message[160];            /* why the run stopped early */
    /* ---- the context (added later: callers built against an older header leave them zero) ---- */
    const void *ctx_in;           /* the UAPI context struct (xdp_md, __sk_buff, bpf_sock_addr, ...) or NULL */
    size_t ctx_size_in;
    void *ctx_out;                /* receives the context after the run, may be NULL */
    size_t ctx_size_out;          /* in: capacity of ctx_out; out: bytes of the context (0 when ctx_out is
                                   * NULL). When they do not fit, ctx_out gets the first bytes and the
                                   * call -ENOSPC */
    /* ---- added later ---- */
    bool check_uninit;            /* checked mode: also stop with EBPF_RUN_UNINIT (-EFAULT) at a read of a
                                   * register holding no defined value or of a stack byte the run never
                                   * wrote (what verified programs never do; for testing verifiers).
                                   * Other modes ignore it. */
};

/* Returns 0, or -EINVAL (bad arguments, packet size, context fields), -E2BIG, -ENODEV (an ifindex
 * other than the loopback), -ENOTSUP (a type without test run, or not a program of an object),
 * -EPERM (FAST / JIT asked for a program loaded without verification; message says so), -ENOSPC
 * (data_out or ctx_out too small), or the ebpf_program_run error of a run that stopped early (status
 * and message say why). */
EBPF_API int ebpf_prog_test_run(ebpf_program *prog, struct ebpf_test_run_opts *opts);

/* Name of an XDP action ("XDP_PASS"), or NULL for other values. */
EBPF_API const char *ebpf_xdp_action_name(uint32_t action);

#ifdef __cplusplus
}
#endif
#endif
