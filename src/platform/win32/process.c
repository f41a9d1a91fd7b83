/*
 * process.c (win32) - running a child process with its stdin fed and its stdout/stderr collected
 * concurrently, so that a child that writes a lot before it reads cannot deadlock us.
 *
 * Also child.h's process half on Windows: plat_run_child (with its deadline; the output cap is judged
 * after the whole output was read), the executable's and the library's folders, plat_is_executable.
 *
 * Anonymous pipes have no overlapped mode, so the concurrency comes from threads: one thread feeds
 * stdin, one drains stderr, and the calling thread drains stdout. The child inherits exactly its three
 * pipe ends (an explicit handle list), never other handles of this process.
 *
 * Differences from posix/process.c, all within platform.h's contract:
 *  - A program that cannot be started (not found, not an executable) is reported by the return value
 *    (a negative errno), because CreateProcess knows; posix only learns it from the child's exit 127.
 *  - argv becomes one command line quoted by the Microsoft C runtime's rules, which the child's
 *    runtime splits back into the same argv. argv[0] is looked up as CreateProcess does (the
 *    program's folder, the current folder, the system folders, then PATH; ".exe" may be omitted).
 *  - Exit codes 0..INT_MAX are returned as they are. A child killed by an exception is reported
 *    like a signal death on Linux: 128 + the Linux signal number closest to the exception
 *    (access violation = SIGSEGV 11, ...), 255 for anything else.
 *  - Output is collected as raw bytes: a Windows child usually ends its lines with "\r\n".
 */
#include "platform/child.h"
#include "platform/platform.h"
#include "platform/win32/win32_int.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define PLAT_MAX_COMMAND_LINE 32767u /* CreateProcess's limit, in characters, the NUL included */
#define PLAT_WRITE_CHUNK (1u << 20)  /* one WriteFile to the child's stdin sends at most this much */

typedef struct plat_sink {
    char *data;
    size_t len, cap;
} plat_sink;

static int plat_sink_append(plat_sink *s, const char *bytes, size_t n)
{
    if (n > SIZE_MAX / 2 - s->len)
        return -ENOMEM;
    if (s->len + n + 1 > s->cap) {
        size_t cap = s->cap ? s->cap : 256;
        while (cap < s->len + n + 1)
            cap *= 2;
        char *bigger = realloc(s->data, cap);
        if (!bigger)
            return -ENOMEM;
        s->data = bigger;
        s->cap = cap;
    }
    if (n)
        memcpy(s->data + s->len, bytes, n);
    s->len += n;
    s->data[s->len] = 0;
    return 0;
}

static int plat_sink_repeat(plat_sink *s, char c, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (plat_sink_append(s, &c, 1) != 0)
            return -ENOMEM;
    return 0;
}

/* Appends one argument quoted so that the C runtime's command-line parser gives it back unchanged:
 * inside quotes, backslashes are literal except in a run that ends at a quote, where each is doubled
 * and the quote escaped. argv[0] is parsed by simpler rules (up to the next blank, or between quotes
 * with no escapes), so it may not contain a quote. */
static int plat_append_arg(plat_sink *line, const char *arg, int is_program)
{
    if (is_program && strchr(arg, '"'))
        return -EINVAL;
    if (arg[0] && !strpbrk(arg, " \t\n\v\""))
        return plat_sink_append(line, arg, strlen(arg));
    if (plat_sink_append(line, "\"", 1) != 0)
        return -ENOMEM;
    for (const char *p = arg;; p++) {
        size_t backslashes = 0;
        while (*p == '\\' && !is_program) {
            backslashes++;
            p++;
        }
        if (*p == 0) {
            if (plat_sink_repeat(line, '\\', backslashes * 2) != 0)
                return -ENOMEM;
            break;
        }
        size_t escapes = *p == '"' ? backslashes * 2 + 1 : backslashes;
        if (plat_sink_repeat(line, '\\', escapes) != 0 || plat_sink_append(line, p, 1) != 0)
            return -ENOMEM;
    }
    return plat_sink_append(line, "\"", 1);
}

static int plat_command_line(char *const argv[], plat_sink *line)
{
    for (size_t i = 0; argv[i]; i++) {
        if (i > 0 && plat_sink_append(line, " ", 1) != 0)
            return -ENOMEM;
        int rc = plat_append_arg(line, argv[i], i == 0);
        if (rc != 0)
            return rc;
        if (line->len >= PLAT_MAX_COMMAND_LINE)
            return -E2BIG;
    }
    return 0;
}

/* Thread bodies. A feeder writes the input and closes the pipe (end of input for the child); it stops
 * early when the child closes its stdin. A drainer reads until the child's end is closed, and keeps
 * reading (dropping bytes) after a failed allocation so that the child never blocks on a full pipe. */
typedef struct plat_feeder {
    HANDLE pipe;
    const char *data;
    size_t size;
} plat_feeder;

typedef struct plat_drainer {
    HANDLE pipe;
    plat_sink sink;
    int rc;
} plat_drainer;

static DWORD WINAPI plat_feed(LPVOID arg)
{
    plat_feeder *f = arg;
    size_t done = 0;
    while (done < f->size) {
        DWORD chunk = f->size - done > PLAT_WRITE_CHUNK ? PLAT_WRITE_CHUNK : (DWORD)(f->size - done), wrote = 0;
        if (!WriteFile(f->pipe, f->data + done, chunk, &wrote, NULL))
            break;
        done += wrote;
    }
    CloseHandle(f->pipe);
    f->pipe = NULL;
    return 0;
}

static DWORD WINAPI plat_drain(LPVOID arg)
{
    plat_drainer *d = arg;
    char buf[4096];
    DWORD got;
    while (ReadFile(d->pipe, buf, sizeof buf, &got, NULL)) { /* fails with ERROR_BROKEN_PIPE at the end */
        if (got > 0 && d->rc == 0 && plat_sink_append(&d->sink, buf, got) != 0)
            d->rc = -ENOMEM;
    }
    return 0;
}

static int plat_exit_status(DWORD code)
{
    static const struct {
        DWORD exception;
        int linux_signal;
    } deaths[] = {
        { 0xC0000005u, 11 }, /* STATUS_ACCESS_VIOLATION: SIGSEGV */
        { 0xC0000006u, 7 },  /* STATUS_IN_PAGE_ERROR: SIGBUS */
        { 0x80000002u, 7 },  /* STATUS_DATATYPE_MISALIGNMENT: SIGBUS */
        { 0xC00000FDu, 11 }, /* STATUS_STACK_OVERFLOW: SIGSEGV */
        { 0xC000008Cu, 11 }, /* STATUS_ARRAY_BOUNDS_EXCEEDED: SIGSEGV */
        { 0xC000001Du, 4 },  /* STATUS_ILLEGAL_INSTRUCTION: SIGILL */
        { 0xC0000096u, 4 },  /* STATUS_PRIVILEGED_INSTRUCTION: SIGILL */
        { 0xC0000094u, 8 },  /* STATUS_INTEGER_DIVIDE_BY_ZERO: SIGFPE */
        { 0xC0000095u, 8 },  /* STATUS_INTEGER_OVERFLOW: SIGFPE */
        { 0xC000008Eu, 8 },  /* STATUS_FLOAT_DIVIDE_BY_ZERO: SIGFPE */
        { 0xC0000090u, 8 },  /* STATUS_FLOAT_INVALID_OPERATION: SIGFPE */
        { 0x80000003u, 5 },  /* STATUS_BREAKPOINT: SIGTRAP */
        { 0xC000013Au, 2 },  /* STATUS_CONTROL_C_EXIT: SIGINT */
        { 0xC0000409u, 6 },  /* STATUS_STACK_BUFFER_OVERRUN (fast fail): SIGABRT */
        { 0xC0000374u, 6 },  /* STATUS_HEAP_CORRUPTION: SIGABRT */
    };
    if (code <= (DWORD)INT_MAX)
        return (int)code;
    for (size_t i = 0; i < sizeof deaths / sizeof deaths[0]; i++)
        if (deaths[i].exception == code)
            return 128 + deaths[i].linux_signal;
    return 255;
}

static void plat_close(HANDLE *h)
{
    if (*h) {
        CloseHandle(*h);
        *h = NULL;
    }
}

/* Creates a pipe whose `child_end` (0 = read end, 1 = write end) is inheritable and the other is not. */
static int plat_pipe(HANDLE ends[2], int child_end)
{
    if (!CreatePipe(&ends[0], &ends[1], NULL, 0)) {
        ends[0] = ends[1] = NULL;
        return -plat_win32_errno(GetLastError());
    }
    if (!SetHandleInformation(ends[child_end], HANDLE_FLAG_INHERIT, HANDLE_FLAG_INHERIT)) {
        int rc = -plat_win32_errno(GetLastError());
        plat_close(&ends[0]);
        plat_close(&ends[1]);
        return rc;
    }
    return 0;
}

/* Starts the child with exactly `inherit` (its three stdio handles) inherited. Where the explicit
 * handle list is unavailable it falls back to inheriting every inheritable handle, which our own
 * handles never are. */
static int plat_spawn(char *command_line, HANDLE inherit[3], PROCESS_INFORMATION *pi)
{
    STARTUPINFOEXA si;
    memset(&si, 0, sizeof si);
    si.StartupInfo.cb = sizeof si.StartupInfo;
    si.StartupInfo.dwFlags = STARTF_USESTDHANDLES;
    si.StartupInfo.hStdInput = inherit[0];
    si.StartupInfo.hStdOutput = inherit[1];
    si.StartupInfo.hStdError = inherit[2];

    DWORD flags = 0;
    SIZE_T attr_size = 0;
    LPPROC_THREAD_ATTRIBUTE_LIST attrs = NULL;
    InitializeProcThreadAttributeList(NULL, 1, 0, &attr_size); /* fails, giving the size */
    if (attr_size > 0 && (attrs = malloc(attr_size)) != NULL) {
        if (InitializeProcThreadAttributeList(attrs, 1, 0, &attr_size)) {
            if (UpdateProcThreadAttribute(attrs, 0, PROC_THREAD_ATTRIBUTE_HANDLE_LIST, inherit, 3 * sizeof(HANDLE),
                                          NULL, NULL)) {
                si.StartupInfo.cb = sizeof si;
                si.lpAttributeList = attrs;
                flags |= EXTENDED_STARTUPINFO_PRESENT;
            } else {
                DeleteProcThreadAttributeList(attrs);
                free(attrs);
                attrs = NULL;
            }
        } else {
            free(attrs);
            attrs = NULL;
        }
    }
    BOOL started = CreateProcessA(NULL, command_line, NULL, NULL, TRUE, flags, NULL, NULL, &si.StartupInfo, pi);
    DWORD error = GetLastError();
    if (attrs) {
        DeleteProcThreadAttributeList(attrs);
        free(attrs);
    }
    return started ? 0 : -plat_win32_errno(error);
}

int plat_win32_run_process(char *const argv[], const char *input, size_t input_size, char **out, size_t *out_size,
                           char **err, int *exit_code, uint64_t timeout_ms, bool *timed_out)
{
    if (!argv || !argv[0] || (input_size > 0 && !input))
        return -EINVAL;
    plat_sink line = { 0 };
    int rc = plat_command_line(argv, &line);
    if (rc != 0) {
        free(line.data);
        return rc;
    }

    /* [0] = stdin, [1] = stdout, [2] = stderr; each pipe as { read end, write end }. */
    HANDLE pipes[3][2] = { { NULL, NULL }, { NULL, NULL }, { NULL, NULL } };
    HANDLE threads[2] = { NULL, NULL }; /* feeder, stderr drainer */
    HANDLE out_thread = NULL;           /* stdout drainer, when there is a deadline */
    PROCESS_INFORMATION pi = { 0 };
    plat_feeder feeder = { 0 };
    plat_drainer drainers[2] = { { 0 }, { 0 } }; /* stdout, stderr */

    if ((rc = plat_pipe(pipes[0], 0)) != 0 || (rc = plat_pipe(pipes[1], 1)) != 0 || (rc = plat_pipe(pipes[2], 1)) != 0)
        goto out;
    HANDLE child_ends[3] = { pipes[0][0], pipes[1][1], pipes[2][1] };
    rc = plat_spawn(line.data, child_ends, &pi);
    plat_close(&pipes[0][0]);
    plat_close(&pipes[1][1]);
    plat_close(&pipes[2][1]);
    if (rc != 0)
        goto out;
    plat_close(&pi.hThread);

    feeder.pipe = pipes[0][1];
    feeder.data = input;
    feeder.size = input_size;
    pipes[0][1] = NULL; /* the feeder owns it now */
    if (input_size == 0) {
        plat_close(&feeder.pipe); /* end of input right away */
    } else if ((threads[0] = CreateThread(NULL, 0, plat_feed, &feeder, 0, NULL)) == NULL) {
        rc = -plat_win32_errno(GetLastError());
        plat_close(&feeder.pipe);
    }
    drainers[0].pipe = pipes[1][0];
    drainers[1].pipe = pipes[2][0];
    if (rc == 0 && (threads[1] = CreateThread(NULL, 0, plat_drain, &drainers[1], 0, NULL)) == NULL)
        rc = -plat_win32_errno(GetLastError());
    if (rc == 0 && timeout_ms && (out_thread = CreateThread(NULL, 0, plat_drain, &drainers[0], 0, NULL)) == NULL)
        rc = -plat_win32_errno(GetLastError());
    if (rc != 0) {
        TerminateProcess(pi.hProcess, 255); /* without its helpers the child could block forever */
        plat_close(&pipes[1][0]);           /* so that nothing it started can block on our end either */
        plat_close(&pipes[2][0]);
    } else if (out_thread) {
        /* With a deadline: wait for the child, end it when the time is up, then collect the drainer. */
        DWORD wait = timeout_ms >= 0xfffffffeu ? 0xfffffffeu : (DWORD)timeout_ms;
        if (WaitForSingleObject(pi.hProcess, wait) == WAIT_TIMEOUT) {
            TerminateProcess(pi.hProcess, 0xC000013Au);
            if (timed_out)
                *timed_out = true;
        }
        WaitForSingleObject(out_thread, INFINITE);
    } else {
        plat_drain(&drainers[0]);
    }
    plat_close(&out_thread);

    if (threads[1])
        WaitForSingleObject(threads[1], INFINITE);
    WaitForSingleObject(pi.hProcess, INFINITE);
    if (threads[0]) {
        /* Normally finished: the child has exited. A grandchild may still hold the child's stdin
         * without reading it; stop waiting for it as posix does once the outputs are closed. */
        if (WaitForSingleObject(threads[0], 0) == WAIT_TIMEOUT)
            CancelSynchronousIo(threads[0]);
        WaitForSingleObject(threads[0], INFINITE);
    }
    if (rc == 0) {
        DWORD code = 0;
        if (!GetExitCodeProcess(pi.hProcess, &code))
            rc = -plat_win32_errno(GetLastError());
        *exit_code = plat_exit_status(code);
    }

out:
    for (int i = 0; i < 2; i++) {
        plat_close(&threads[i]);
        if (rc == 0 && drainers[i].rc != 0)
            rc = drainers[i].rc;
        if (rc == 0 && plat_sink_append(&drainers[i].sink, "", 0) != 0)
            rc = -ENOMEM;
    }
    for (int i = 0; i < 3; i++) {
        plat_close(&pipes[i][0]);
        plat_close(&pipes[i][1]);
    }
    plat_close(&pi.hProcess);
    plat_close(&pi.hThread);
    free(line.data);
    if (rc != 0) {
        free(drainers[0].sink.data);
        free(drainers[1].sink.data);
        return rc;
    }
    *out = drainers[0].sink.data;
    if (out_size)
        *out_size = drainers[0].sink.len;
    *err = drainers[1].sink.data;
    return 0;
}

int plat_run_process(char *const argv[], const char *input, size_t input_size, char **out, char **err,
                     int *exit_code)
{
    return plat_win32_run_process(argv, input, input_size, out, NULL, err, exit_code, 0, NULL);
}

int plat_self_dir(char *buf, size_t size)
{
    if (size < 2 || size > 32768)
        return -ENAMETOOLONG;
    DWORD n = GetModuleFileNameA(NULL, buf, (DWORD)size);
    if (n == 0)
        return -plat_win32_errno(GetLastError());
    if (n >= size)
        return -ENAMETOOLONG;
    char *slash = strrchr(buf, '\\');
    char *fwd = strrchr(buf, '/');
    if (fwd && (!slash || fwd > slash))
        slash = fwd;
    if (!slash)
        return -ENOENT;
    *slash = 0;
    return 0;
}

int plat_run_child(char *const argv[], const void *input, size_t input_size, const plat_child_opts *opts,
                   plat_child_result *res)
{
    memset(res, 0, sizeof *res);
    char *out = NULL, *err = NULL;
    size_t out_size = 0;
    int code = 0;
    int rc = plat_win32_run_process(argv, input, input_size, &out, &out_size, &err, &code,
                                    opts ? opts->timeout_ms : 0, &res->timed_out);
    if (rc != 0)
        return rc;
    if (opts && opts->max_output && out_size > opts->max_output)
        res->output_overflow = true;
    res->out = (uint8_t *)out;
    res->out_size = out_size;
    res->err = err;
    /* plat_run_process reports deaths as 128 + signal; a Windows exit code that large is rare. */
    if (code > 128 && code < 128 + 65)
        res->signal = code - 128;
    else
        res->exit_code = code;
    return 0;
}

void plat_child_result_free(plat_child_result *res)
{
    free(res->out);
    free(res->err);
    res->out = NULL;
    res->err = NULL;
}

bool plat_is_executable(const char *path)
{
    DWORD attrs = GetFileAttributesA(path);
    return attrs != INVALID_FILE_ATTRIBUTES && !(attrs & FILE_ATTRIBUTE_DIRECTORY);
}

int plat_module_dir(char *buf, size_t size)
{
    HMODULE module = NULL;
    if (size < 2 || size > 32768 ||
        !GetModuleHandleExA(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                            (LPCSTR)(uintptr_t)plat_module_dir, &module))
        return -ENOENT;
    DWORD n = GetModuleFileNameA(module, buf, (DWORD)size);
    if (n == 0 || n >= size)
        return -ENAMETOOLONG;
    char *slash = strrchr(buf, '\\');
    char *fwd = strrchr(buf, '/');
    if (fwd && (!slash || fwd > slash))
        slash = fwd;
    if (!slash)
        return -ENOENT;
    *slash = 0;
    return 0;
}
