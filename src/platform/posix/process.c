/*
 * process.c (posix) - running a child process with its stdin fed and its stdout/stderr collected
 * concurrently (poll), so a child that writes a lot before reading cannot deadlock us; with a
 * deadline and an output cap for helper processes (plat_run_child, child.h), after which the child is
 * killed (SIGKILL) and reaped.
 *
 * Invariants: the parent's pipe ends are close-on-exec and the stdin end is non-blocking, so one
 * write never waits for a child that is itself waiting for us to drain its output; every descriptor
 * is closed on every path before waiting for the child, so a failure here cannot leave the child
 * blocked on a pipe forever.
 */
#define _GNU_SOURCE
#include "platform/platform.h"
#include "platform/child.h"

#include <errno.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct sink {
    char *data;
    size_t len, cap;
} sink;

static int sink_append(sink *s, const char *buf, size_t n)
{
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
    memcpy(s->data + s->len, buf, n);
    s->len += n;
    s->data[s->len] = 0;
    return 0;
}

static void close_fd(int *fd)
{
    if (*fd >= 0) {
        close(*fd);
        *fd = -1;
    }
}

/* In the child: installs `from` as descriptor `to`. The sources were first moved above 2 (see below),
 * so dup2 never overwrites a source still needed and always clears close-on-exec on the copy. */
static void child_install(int from, int to)
{
    if (dup2(from, to) < 0)
        _exit(127);
}

/* Milliseconds left until deadline_ns (-1: no deadline, for poll). */
static int poll_timeout(uint64_t deadline_ns)
{
    if (!deadline_ns)
        return -1;
    uint64_t now = plat_monotonic_ns();
    if (now >= deadline_ns)
        return 0;
    uint64_t ms = (deadline_ns - now + 999999u) / 1000000u;
    return ms > 60000u ? 60000 : (int)ms;
}

int plat_run_child(char *const argv[], const void *input, size_t input_size, const plat_child_opts *opts,
                   plat_child_result *res)
{
    memset(res, 0, sizeof *res);
    const plat_child_opts none = { 0 };
    if (!opts)
        opts = &none;
    /* [0] stdin, [1] stdout, [2] stderr, each { read end, write end }. */
    int pipes[3][2] = { { -1, -1 }, { -1, -1 }, { -1, -1 } };
    int rc = 0;
    for (int i = 0; i < 3 && rc == 0; i++)
        if (pipe2(pipes[i], O_CLOEXEC) != 0)
            rc = -errno;
    /* Nothing of ours may be written while the child waits for us: the stdin end does not block. */
    if (rc == 0 && fcntl(pipes[0][1], F_SETFL, O_NONBLOCK) != 0)
        rc = -errno;
    pid_t pid = -1;
    if (rc == 0 && (pid = fork()) < 0)
        rc = -errno;
    if (pid == 0) {
        /* When this process was started with 0, 1 or 2 closed, a pipe end may sit on one of them;
         * move the child's ends above 2 first (close-on-exec copies), then install them. */
        int ends[3] = { pipes[0][0], pipes[1][1], pipes[2][1] };
        for (int i = 0; i < 3; i++)
            if ((ends[i] = fcntl(ends[i], F_DUPFD_CLOEXEC, 3)) < 0)
                _exit(127);
        for (int i = 0; i < 3; i++)
            child_install(ends[i], i);
        execvp(argv[0], argv);
        _exit(127);
    }
    close_fd(&pipes[0][0]);
    close_fd(&pipes[1][1]);
    close_fd(&pipes[2][1]);
    if (rc != 0) {
        for (int i = 0; i < 3; i++) {
            close_fd(&pipes[i][0]);
            close_fd(&pipes[i][1]);
        }
        return rc;
    }
    signal(SIGPIPE, SIG_IGN);

    uint64_t deadline = opts->timeout_ms ? plat_monotonic_ns() + opts->timeout_ms * 1000000u : 0;
    sink sinks[2] = { { 0 }, { 0 } };
    size_t written = 0;
    struct pollfd fds[3] = { { pipes[1][0], POLLIN, 0 }, { pipes[2][0], POLLIN, 0 }, { pipes[0][1], POLLOUT, 0 } };
    pipes[1][0] = pipes[2][0] = pipes[0][1] = -1; /* owned by fds[] from here */
    if (input_size == 0)
        close_fd(&fds[2].fd);
    while (fds[0].fd >= 0 || fds[1].fd >= 0) {
        int ready = poll(fds, 3, poll_timeout(deadline));
        if (ready < 0) {
            if (errno == EINTR)
                continue;
            rc = -errno;
            break;
        }
        if (ready == 0 && deadline && plat_monotonic_ns() >= deadline) {
            res->timed_out = true;
            break;
        }
        for (int i = 0; i < 2; i++) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            char buf[4096];
            ssize_t n = read(fds[i].fd, buf, sizeof buf);
            if (n > 0) {
                if (i == 0 && opts->max_output && sinks[0].len + (size_t)n > opts->max_output)
                    res->output_overflow = true;
                else if (sink_append(&sinks[i], buf, (size_t)n) != 0)
                    rc = -ENOMEM;
            } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
                close_fd(&fds[i].fd);
            }
        }
        if (res->output_overflow)
            break;
        if (fds[2].fd >= 0 && (fds[2].revents & (POLLOUT | POLLERR | POLLHUP))) {
            ssize_t n = write(fds[2].fd, (const char *)input + written, input_size - written);
            if (n > 0)
                written += (size_t)n;
            if ((n < 0 && errno != EINTR && errno != EAGAIN) || written == input_size)
                close_fd(&fds[2].fd); /* all sent, or the child closed its stdin */
        }
    }
    if (res->timed_out || res->output_overflow || rc != 0) {
        kill(pid, SIGKILL);
    }
    for (int i = 0; i < 3; i++)
        close_fd(&fds[i].fd);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (WIFEXITED(status))
        res->exit_code = WEXITSTATUS(status);
    else
        res->signal = WTERMSIG(status);
    for (int i = 0; i < 2; i++)
        if (sink_append(&sinks[i], "", 0) != 0)
            rc = -ENOMEM;
    res->out = (uint8_t *)sinks[0].data;
    res->out_size = sinks[0].len;
    res->err = sinks[1].data;
    if (rc != 0)
        plat_child_result_free(res);
    return rc;
}

void plat_child_result_free(plat_child_result *res)
{
    free(res->out);
    free(res->err);
    res->out = NULL;
    res->err = NULL;
}

int plat_run_process(char *const argv[], const char *input, size_t input_size, char **out, char **err,
                     int *exit_code)
{
    plat_child_result res;
    int rc = plat_run_child(argv, input, input_size, NULL, &res);
    if (rc != 0)
        return rc;
    *exit_code = res.signal ? 128 + res.signal : res.exit_code;
    *out = (char *)res.out;
    *err = res.err;
    return 0;
}

int plat_self_dir(char *buf, size_t size)
{
    if (size < 2)
        return -ENAMETOOLONG;
    ssize_t n = readlink("/proc/self/exe", buf, size - 1);
    if (n < 0)
        return -errno;
    if ((size_t)n >= size - 1)
        return -ENAMETOOLONG;
    buf[n] = 0;
    char *slash = strrchr(buf, '/');
    if (!slash)
        return -ENOENT;
    *(slash == buf ? slash + 1 : slash) = 0;
    return 0;
}

bool plat_is_executable(const char *path)
{
    return access(path, X_OK) == 0;
}

int plat_module_dir(char *buf, size_t size)
{
    Dl_info info;
    if (!dladdr((void *)(uintptr_t)plat_module_dir, &info) || !info.dli_fname)
        return -ENOENT;
    int n = snprintf(buf, size, "%s", info.dli_fname);
    if (n < 0 || (size_t)n >= size)
        return -ENAMETOOLONG;
    char *slash = strrchr(buf, '/');
    if (!slash)
        return -ENOENT;
    *(slash == buf ? slash + 1 : slash) = 0;
    return 0;
}
