/*
 * verify.c - running the verifier for one program: in the sandboxed verifier process (the default:
 * encode the request, run ebpf-verifier with its limits and a deadline, decode the reply) or in this
 * process (vf_verify directly, for tests and fuzzing).
 *
 * Every way the process can fail to answer becomes an error with one plain message: it could not be
 * started, it was killed by the sandbox (SIGSYS), it ran out of CPU time (SIGXCPU / SIGKILL at the hard
 * limit) or memory, it missed the deadline, it crashed, it exited without a reply, or its reply does
 * not decode. A reply is trusted only after vf_wire_decode_reply accepted all of it.
 *
 * Verdicts are remembered per exact request for the life of the process (verify_cache.c), so a program
 * loaded again is not verified again.
 *
 * EBPF_VERIFIER_TEST_HOOK (test-only; see src/verifier/proc/main.c) names a hook the process obeys
 * after sandboxing: open-file, crash, loop, alloc, garbage. Hooks can only make verification fail.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "base/opts.h"
#include "platform/child.h"
#include "platform/platform.h"
#include "runtime/runtime_int.h"
#include "runtime/verify_cache.h"
#include "runtime/verify_default.h"
#include "verifier/vf_wire.h"

#define VERIFY_PATH_MAX 4096u
#define VERIFY_MAX_REPLY (VF_WIRE_HEADER_SIZE + VF_WIRE_MAX_STATE + 4096u) /* bytes of stdout kept */

static const struct {
    const char *name;
    uint32_t hook;
} test_hooks[] = { { "open-file", VF_HOOK_OPEN_FILE }, { "crash", VF_HOOK_CRASH }, { "loop", VF_HOOK_LOOP },
                   { "alloc", VF_HOOK_ALLOC },         { "garbage", VF_HOOK_GARBAGE } };

static uint32_t hooks_from_env(void)
{
    const char *name = getenv("EBPF_VERIFIER_TEST_HOOK");
    if (!name || !*name)
        return 0;
    for (size_t i = 0; i < sizeof test_hooks / sizeof test_hooks[0]; i++)
        if (!strcmp(name, test_hooks[i].name))
            return test_hooks[i].hook;
    return 0;
}

int runtime_verify_opts_resolve(const struct ebpf_verify_opts *user, bool for_load, runtime_verify_opts *out,
                                bool *trusted, bool *keep_state)
{
    struct ebpf_verify_opts o;
    memset(out, 0, sizeof *out);
    *trusted = false;
    *keep_state = false;
    if (user && user->sz == 0) { /* embedded in load options (whose sz versions it): taken as it is */
        o = *user;
    } else {
        if (!opts_valid(user, sizeof o))
            return -EINVAL;
        opts_copy(&o, sizeof o, user);
    }
    if (o.mode > EBPF_VERIFY_NONE)
        return -EINVAL;
    out->mode = o.mode;
    if (out->mode == EBPF_VERIFY_DEFAULT) {
        out->mode = EBPF_VERIFY_PROCESS;
        if (for_load && !RUNTIME_VERIFY_BY_DEFAULT) {
            out->mode = EBPF_VERIFY_NONE;
            *trusted = true;
        }
    }
    out->verifier_path = o.verifier_path;
    out->cpu_seconds = o.cpu_seconds ? o.cpu_seconds : VF_PROC_CPU_SECONDS;
    out->memory_mb = o.memory_mb ? o.memory_mb : VF_PROC_MEMORY_MB;
    out->timeout_ms = o.timeout_ms ? o.timeout_ms : out->cpu_seconds * 2000u + 5000u;
    out->hooks = hooks_from_env();
    *keep_state = o.keep_state;
    return 0;
}

/* Makes out an error result with a formatted message; returns err. */
static int fail(vf_result *out, int err, const char *fmt, ...) BASE_PRINTF(3, 4);
static int fail(vf_result *out, int err, const char *fmt, ...)
{
    vf_result_free(out);
    memset(out, 0, sizeof *out);
    out->verdict = VF_ERROR;
    out->insn = -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out->message, sizeof out->message, fmt, ap);
    va_end(ap);
    return err;
}

/* Writes dir + rel + "ebpf-verifier" into buf; true when that file is executable. */
static bool candidate(char *buf, size_t size, const char *rel)
{
    size_t len = strlen(buf);
    int n = snprintf(buf + len, size - len, "%sebpf-verifier%s", rel, PLAT_EXE_SUFFIX);
    return n > 0 && (size_t)n < size - len && plat_is_executable(buf);
}

/* The verifier executable: the option, $EBPF_VERIFIER, ebpf-verifier beside the running executable,
 * beside the library (or in ../bin from it, the build tree's and a prefix's layout), else the bare name
 * (looked up in PATH when started). */
static const char *verifier_path(const runtime_verify_opts *opts, char *buf, size_t size)
{
    if (opts->verifier_path && *opts->verifier_path)
        return opts->verifier_path;
    const char *env = getenv("EBPF_VERIFIER");
    if (env && *env)
        return env;
    if (plat_self_dir(buf, size) == 0 && candidate(buf, size, "/"))
        return buf;
    static const char *const from_library[] = { "/", "/../bin/" };
    for (size_t i = 0; i < sizeof from_library / sizeof from_library[0]; i++)
        if (plat_module_dir(buf, size) == 0 && candidate(buf, size, from_library[i]))
            return buf;
    return "ebpf-verifier" PLAT_EXE_SUFFIX;
}

/* The first line of the child's stderr, for messages. */
static const char *first_line(char *text)
{
    if (!text)
        return "";
    char *nl = strchr(text, '\n');
    if (nl)
        *nl = 0;
    size_t len = strlen(text);
    if (len && text[len - 1] == '\r')
        text[len - 1] = 0;
    const char *prefix = "ebpf-verifier: ";
    return strncmp(text, prefix, strlen(prefix)) ? text : text + strlen(prefix);
}

/* Turns the end of a verifier process that gave no usable reply into an error. */
static int explain_end(const plat_child_result *res, const runtime_verify_opts *opts, const char *path,
                       vf_result *out)
{
    char num[64], sig[32];
    if (res->timed_out) {
        snprintf(num, sizeof num, "%u", (unsigned)opts->timeout_ms);
        return fail(out, -ETIMEDOUT, "verifier did not answer within %s ms (killed)", num);
    }
    if (res->output_overflow)
        return fail(out, -EPROTO, "malformed reply from the verifier process: larger than the limit");
    if (res->signal == PLAT_SIG_SYS)
        return fail(out, -EPERM, "verifier process killed by SIGSYS (sandbox violation)");
    if (res->signal == PLAT_SIG_XCPU || res->signal == PLAT_SIG_KILL) {
        snprintf(num, sizeof num, "%u", (unsigned)opts->cpu_seconds);
        return fail(out, -ETIMEDOUT, "verifier exceeded its CPU limit (%s s)", num);
    }
    if (res->signal)
        return fail(out, -EIO, "verifier process crashed (killed by %s)",
                    plat_signal_name(res->signal, sig, sizeof sig));
    char *err = res->err;
    switch (res->exit_code) {
    case VF_PROC_EXIT_NOMEM:
        snprintf(num, sizeof num, "%u", (unsigned)opts->memory_mb);
        return fail(out, -ENOMEM, "verifier exceeded its memory limit (%s MiB)", num);
    case VF_PROC_EXIT_SANDBOX:
        return fail(out, -EPERM, "verifier could not sandbox itself: %s", first_line(err));
    case VF_PROC_EXIT_BAD_REQUEST:
        return fail(out, -EPROTO, "verifier refused the request: %s", first_line(err));
    case VF_PROC_EXIT_HOOK:
        return fail(out, -EPERM, "verifier process was denied a system call (sandbox violation): %s",
                    first_line(err));
    case 127:
        return fail(out, -ENOENT, "cannot run the verifier '%s' (set EBPF_VERIFIER to its path)", path);
    case 0:
        return fail(out, -EPROTO, "malformed reply from the verifier process: %s",
                    res->out_size ? "truncated" : "no reply");
    default:
        snprintf(num, sizeof num, "%d", res->exit_code);
        return fail(out, -EIO, "verifier process exited with status %s: %s", num, first_line(err));
    }
}

static int verify_in_process(const vf_input *in, vf_result *out)
{
    int rc = vf_verify(in, out);
    if (rc)
        return fail(out, rc, "verifier: out of memory");
    return 0;
}

static int verify_in_child(const vf_input *in, const runtime_verify_opts *opts, vf_result *out)
{
    memset(out, 0, sizeof *out);
    uint8_t *request = NULL;
    size_t request_size = 0;
    int rc = vf_wire_encode_request(in, opts->hooks, &request, &request_size);
    if (rc)
        return fail(out, rc, "cannot encode the verifier request: %s",
                    rc == -ENOMEM ? "out of memory" : "program over the verifier's limits");
    char path_buf[VERIFY_PATH_MAX];
    const char *path = verifier_path(opts, path_buf, sizeof path_buf);
    char mem[16], cpu[16];
    snprintf(mem, sizeof mem, "%u", (unsigned)opts->memory_mb);
    snprintf(cpu, sizeof cpu, "%u", (unsigned)opts->cpu_seconds);
    char *argv[] = { (char *)path, "--memory-mb", mem, "--cpu-seconds", cpu, NULL };
    plat_child_opts copts = { .timeout_ms = opts->timeout_ms, .max_output = VERIFY_MAX_REPLY };
    plat_child_result res;
    rc = plat_run_child(argv, request, request_size, &copts, &res);
    free(request);
    if (rc)
        return fail(out, rc, "cannot start the verifier process '%s': %s", path, strerror(-rc));
    const char *why = "no reply";
    if (res.signal == 0 && res.exit_code == 0 && !res.timed_out && !res.output_overflow && res.out_size > 0) {
        rc = vf_wire_decode_reply(res.out, res.out_size, out, &why);
        if (rc == -ENOMEM)
            rc = fail(out, rc, "verifier reply: out of memory");
        else if (rc)
            rc = fail(out, rc, "malformed reply from the verifier process: %s", why);
        else if (out->insn >= (int64_t)in->count)
            rc = fail(out, -EPROTO, "malformed reply from the verifier process: %s",
                      "instruction index beyond the program");
    } else {
        rc = explain_end(&res, opts, path, out);
    }
    plat_child_result_free(&res);
    return rc;
}

int runtime_verify(const vf_input *in, const runtime_verify_opts *opts, vf_result *out)
{
    return opts->mode == EBPF_VERIFY_IN_PROCESS ? verify_in_process(in, out) : verify_in_child(in, opts, out);
}

int runtime_verify_cached(const vf_input *in, const runtime_verify_opts *opts, vf_result *out)
{
    /* Test hooks always reach the verifier. */
    uint8_t *request = NULL;
    size_t request_size = 0;
    if (opts->hooks == 0 && vf_wire_encode_request(in, 0, &request, &request_size) == 0 &&
        verify_cache_find(request, request_size, out)) {
        free(request);
        return 0;
    }
    int rc = runtime_verify(in, opts, out);
    if (rc == 0 && request)
        verify_cache_store(request, request_size, out);
    free(request);
    return rc;
}
