/*
 * main.c - ebpf-verifier, the sandboxed verifier process: `ebpf-verifier [--memory-mb N] [--cpu-seconds N]`.
 *
 * It confines itself first (plat_sandbox_enter: address-space and CPU limits, then on Linux a seccomp
 * filter that leaves it read on stdin, write on stdout/stderr, memory and exit), only then reads one
 * request (vf_wire.h) from stdin, runs vf_verify on it, writes one reply on stdout and exits 0.
 * When it cannot reply it exits with a VF_PROC_EXIT_* status and one line on stderr; a sandbox
 * violation kills it with SIGSYS. The runtime (src/runtime/verify.c) turns every such end into a
 * load failure with a message.
 *
 * Test-only hooks (VF_HOOK_* in the request's hooks field, which the runtime sets only from the
 * EBPF_VERIFIER_TEST_HOOK environment variable): obeyed after sandboxing and after reading, they make
 * the process misbehave on purpose - open a file, crash, loop, allocate without bound, reply garbage -
 * so that tests can prove the sandbox and the client's handling. None can produce an accepting reply.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/child.h"
#include "verifier/verifier.h"
#include "verifier/vf_wire.h"

/* Sanitizer builds: malloc returns NULL at the memory limit (instead of aborting), faults are left to
 * the kernel (the sanitizers' own handlers would need system calls the sandbox forbids), and the leak
 * check at exit is skipped (it needs threads and ptrace). */
#if defined(__SANITIZE_ADDRESS__)
#define VF_PROC_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define VF_PROC_ASAN 1
#endif
#endif
#ifdef VF_PROC_ASAN
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "allocator_may_return_null=1:handle_segv=0:handle_abort=0:detect_leaks=0";
}
#endif

/* The file VF_HOOK_OPEN_FILE tries to open: one that exists on any host. */
#ifdef _WIN32
#define VF_PROC_OPEN_PROBE "C:\\windows\\win.ini"
#else
#define VF_PROC_OPEN_PROBE "/etc/passwd"
#endif

static void die(int status, const char *what, const char *why)
{
    char line[256];
    int n = snprintf(line, sizeof line, "ebpf-verifier: %s%s%s\n", what, why ? ": " : "", why ? why : "");
    if (n > 0) {
        /* stderr is fd 2, which the sandbox allows (unbuffered: one write per call). */
        fputs(line, stderr);
        fflush(stderr);
    }
    plat_exit_now(status); /* no atexit handlers: a sanitizer's leak check would need forbidden system calls */
}

static bool parse_u32(const char *text, uint32_t *out)
{
    char *end = NULL;
    errno = 0;
    unsigned long v = strtoul(text, &end, 10);
    if (errno || !end || *end || end == text || v == 0 || v > 1000000ul)
        return false;
    *out = (uint32_t)v;
    return true;
}

/* Reads the one request: a header, then exactly the payload it announces. */
static uint8_t *read_request(size_t *size)
{
    uint8_t header[VF_WIRE_HEADER_SIZE];
    long n = plat_stdin_read(header, sizeof header);
    if (n != (long)sizeof header)
        die(VF_PROC_EXIT_BAD_REQUEST, "bad request", "shorter than a message header");
    const char *why = NULL;
    if (vf_wire_message_size(header, VF_WIRE_KIND_REQUEST, size, &why) != 0)
        die(VF_PROC_EXIT_BAD_REQUEST, "bad request", why);
    uint8_t *data = malloc(*size);
    if (!data)
        die(VF_PROC_EXIT_NOMEM, "out of memory", NULL);
    memcpy(data, header, sizeof header);
    size_t rest = *size - sizeof header;
    if (plat_stdin_read(data + sizeof header, rest) != (long)rest)
        die(VF_PROC_EXIT_BAD_REQUEST, "bad request", "truncated");
    return data;
}

static void run_hooks(uint32_t hooks)
{
    if (hooks & VF_HOOK_OPEN_FILE) {
        FILE *f = fopen(VF_PROC_OPEN_PROBE, "rb");
        if (!f)
            die(VF_PROC_EXIT_HOOK, "test hook: opening a file was refused", strerror(errno));
        fclose(f);
        die(1, "test hook: the sandbox let the verifier open a file", VF_PROC_OPEN_PROBE);
    }
    if (hooks & VF_HOOK_CRASH) {
        volatile uintptr_t address = 16; /* opaque to the compiler: a real wild store */
        *(volatile int *)address = 1;
    }
    if (hooks & VF_HOOK_LOOP) {
        volatile uint64_t spin = 0;
        for (;;)
            spin++;
    }
    if (hooks & VF_HOOK_ALLOC) {
        /* The blocks are chained and the chain published through a volatile, so that the compiler
         * cannot elide the allocations. */
        static void *volatile chain;
        for (;;) {
            void **block = malloc(1u << 20);
            if (!block)
                die(VF_PROC_EXIT_NOMEM, "out of memory", "test hook");
            memset(block, 0x5a, 1u << 20);
            block[0] = chain;
            chain = block;
        }
    }
    if (hooks & VF_HOOK_GARBAGE) {
        static const char garbage[] = "EBVF this is not a verifier reply\n";
        plat_stdout_write(garbage, sizeof garbage - 1);
        plat_exit_now(0);
    }
}

int main(int argc, char **argv)
{
    plat_sandbox_limits limits = { (uint64_t)VF_PROC_MEMORY_MB << 20, VF_PROC_CPU_SECONDS };
    for (int i = 1; i < argc; i += 2) { /* options come in pairs: NAME VALUE */
        uint32_t v;
        if (!strcmp(argv[i], "--memory-mb") && i + 1 < argc && parse_u32(argv[i + 1], &v))
            limits.memory_bytes = (uint64_t)v << 20;
        else if (!strcmp(argv[i], "--cpu-seconds") && i + 1 < argc && parse_u32(argv[i + 1], &v))
            limits.cpu_seconds = v;
        else
            die(VF_PROC_EXIT_USAGE, "usage: ebpf-verifier [--memory-mb N] [--cpu-seconds N] < request", NULL);
    }
    char why[160] = "";
    if (plat_sandbox_enter(&limits, why, sizeof why) != 0)
        die(VF_PROC_EXIT_SANDBOX, "cannot sandbox the verifier", why);

    size_t size = 0;
    uint8_t *data = read_request(&size);
    vf_wire_request req;
    const char *bad = NULL;
    int rc = vf_wire_decode_request(data, size, &req, &bad);
    free(data);
    if (rc == -ENOMEM)
        die(VF_PROC_EXIT_NOMEM, "out of memory", NULL);
    if (rc)
        die(VF_PROC_EXIT_BAD_REQUEST, "bad request", bad);
    run_hooks(req.hooks);

    vf_result res;
    rc = vf_verify(&req.input, &res);
    vf_wire_request_free(&req);
    if (rc == -ENOMEM)
        die(VF_PROC_EXIT_NOMEM, "out of memory", NULL);
    uint8_t *reply = NULL;
    size_t reply_size = 0;
    rc = vf_wire_encode_reply(&res, &reply, &reply_size);
    if (rc == -E2BIG) { /* a state description over the limit: reply without it */
        free(res.state);
        res.state = NULL;
        rc = vf_wire_encode_reply(&res, &reply, &reply_size);
    }
    vf_result_free(&res);
    if (rc)
        die(VF_PROC_EXIT_NOMEM, "out of memory", NULL);
    if (plat_stdout_write(reply, reply_size) != 0)
        die(1, "cannot write the reply", NULL);
    free(reply);
    plat_exit_now(0);
}
