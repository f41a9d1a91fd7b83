/*
 * vf_wire.h - the message format between the runtime and the sandboxed verifier process
 * (build/bin/ebpf-verifier): one request (a vf_input) in, one reply (a vf_result) out, over pipes.
 *
 * Every message is a 16-byte header and a payload, all integers little-endian:
 *
 *   header:  magic u32 ("EBVF") | version u16 | kind u16 (1 request, 2 reply) | payload size u32 | zero u32
 *   request: prog_type u32 | ctx_size u32 | flags u32 | hooks u32 | count u32 | map_count u32 | func_count u32
 *            count x slot (opcode u8 | dst:4 src:4 u8 | off i16 | imm i32)
 *            map_count x map (type u32 | key u32 | value u32 | max_entries u32 | flags u32 | inner i32 |
 *                             read_only u8)
 *            func_count x func (entry u32 | arg_count u8 | 5 x (kind u8 | size u32) | name_len u16 | name bytes)
 *   reply:   verdict u32 | insn i64 | visits u64 | message_len u16 | message | state_len u32 | state
 *
 * Pure and bounds-checked: encoding never fails except for memory or inputs over the limits below;
 * decoding refuses anything malformed (wrong magic, version or kind, a size that does not match the
 * payload, counts or strings over the limits, an unknown verdict, arg kind or flag, trailing bytes).
 * Decoders never read outside the buffer they are given, whatever it holds.
 */
#ifndef EBPF_VF_WIRE_H
#define EBPF_VF_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include "verifier/verifier.h"

#define VF_WIRE_MAGIC 0x46564245u      /* "EBVF" as little-endian bytes */
#define VF_WIRE_VERSION 1u
#define VF_WIRE_KIND_REQUEST 1u
#define VF_WIRE_KIND_REPLY 2u
#define VF_WIRE_HEADER_SIZE 16u

/* Named limits: a message over any of them is refused. */
#define VF_WIRE_MAX_INSNS ISA_MAX_INSNS     /* instruction slots per program */
#define VF_WIRE_MAX_MAPS 4096u              /* maps per request */
#define VF_WIRE_MAX_FUNCS 65536u            /* global functions per request */
#define VF_WIRE_MAX_NAME 255u               /* bytes of a function name */
#define VF_WIRE_MAX_STATE (1u << 20)        /* bytes of state text in a reply */
#define VF_WIRE_MAX_PAYLOAD (64u << 20)     /* bytes of any payload */

/* Test-only hooks carried by a request (vf_wire_request.hooks): the verifier process obeys them after
 * it has sandboxed itself, to prove that the client survives a misbehaving verifier. They can only
 * make verification fail, never succeed. See src/verifier/proc/main.c. */
#define VF_HOOK_OPEN_FILE   0x1u  /* try to open a file (the sandbox must kill the process) */
#define VF_HOOK_CRASH       0x2u  /* write through a NULL pointer (SIGSEGV) */
#define VF_HOOK_LOOP        0x4u  /* spin forever (the CPU limit or the client's timeout ends it) */
#define VF_HOOK_ALLOC       0x8u  /* allocate until refused (the memory limit ends it) */
#define VF_HOOK_GARBAGE     0x10u /* reply with bytes that are no message */
#define VF_HOOK_ALL         0x1fu

/* How the verifier process ends when it cannot reply (its exit status; 0 after a reply). */
#define VF_PROC_EXIT_SANDBOX 3      /* it could not confine itself: it verified nothing */
#define VF_PROC_EXIT_BAD_REQUEST 4  /* the request was malformed (stderr says why) */
#define VF_PROC_EXIT_NOMEM 5        /* memory ran out (its address-space limit) */
#define VF_PROC_EXIT_USAGE 6        /* bad command line */
#define VF_PROC_EXIT_HOOK 7         /* VF_HOOK_OPEN_FILE: the open failed without killing it (EPERM) */

/* Defaults of the verifier process's limits (--memory-mb, --cpu-seconds). */
#define VF_PROC_MEMORY_MB 1024u
#define VF_PROC_CPU_SECONDS 30u

/* A decoded request: the vf_input and the arrays it points to (owned, free with vf_wire_request_free). */
typedef struct vf_wire_request {
    vf_input input;
    uint32_t hooks;     /* VF_HOOK_* */
    isa_slot *code;
    vf_map *maps;
    vf_func *funcs;
    char *names;        /* the function names, NUL-separated; funcs[i].name points in here */
} vf_wire_request;

/* Encodes a request into a malloc'd buffer. 0, -ENOMEM, or -E2BIG (a count or name over a limit,
 * an arg_count over 5). */
int vf_wire_encode_request(const vf_input *in, uint32_t hooks, uint8_t **out, size_t *size);

/* Encodes a reply (message up to its NUL, state if not NULL). 0, -ENOMEM or -E2BIG. */
int vf_wire_encode_reply(const vf_result *res, uint8_t **out, size_t *size);

/* The total size (header included) of the message whose header is `header` (at least
 * VF_WIRE_HEADER_SIZE bytes), after checking magic, version, kind and the payload limit.
 * 0 or -EPROTO with *why set to a static reason. */
int vf_wire_message_size(const uint8_t *header, uint32_t kind, size_t *total, const char **why);

/* Decode one whole message (exactly `size` bytes). 0, -ENOMEM, or -EPROTO with *why (may be NULL) set
 * to a static reason. On failure nothing is left allocated. */
int vf_wire_decode_request(const uint8_t *data, size_t size, vf_wire_request *out, const char **why);
void vf_wire_request_free(vf_wire_request *req);
int vf_wire_decode_reply(const uint8_t *data, size_t size, vf_result *out, const char **why);

#endif
