/*
 * process.c (posix) - running a child process with its stdin fed and its stdout/stderr collected
 * concurrently (poll), so a child that writes a lot before reading cannot deadlock us.
 *
 * Invariants: the parent's pipe ends are close-on-exec and the stdin end is non-blocking, so one
 * write never waits for a child that is itself waiting for us to drain its output; every descriptor
 * is closed on every path before waiting for the child, so a failure here cannot leave the child
 * blocked on a pipe forever.
 */
#define _GNU_SOURCE
#include "platform/platform.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
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

int plat_run_process(char *const argv[], const char *input, size_t input_size, char **out, char **err,
                     int *exit_code)
{
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

    sink sinks[2] = { { 0 }, { 0 } };
    size_t written = 0;
    struct pollfd fds[3] = { { pipes[1][0], POLLIN, 0 }, { pipes[2][0], POLLIN, 0 }, { pipes[0][1], POLLOUT, 0 } };
    pipes[1][0] = pipes[2][0] = pipes[0][1] = -1; /* owned by fds[] from here */
    if (input_size == 0)
        close_fd(&fds[2].fd);
    while (fds[0].fd >= 0 || fds[1].fd >= 0) {
        if (poll(fds, 3, -1) < 0) {
            if (errno == EINTR)
                continue;
            rc = -errno;
            break;
        }
        for (int i = 0; i < 2; i++) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            char buf[4096];
            ssize_t n = read(fds[i].fd, buf, sizeof buf);
            if (n > 0) {
                if (sink_append(&sinks[i], buf, (size_t)n) != 0)
                    rc = -ENOMEM;
            } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
                close_fd(&fds[i].fd);
            }
        }
        if (fds[2].fd >= 0 && (fds[2].revents & (POLLOUT | POLLERR | POLLHUP))) {
            ssize_t n = write(fds[2].fd, input + written, input_size - written);
            if (n > 0)
                written += (size_t)n;
            if ((n < 0 && errno != EINTR && errno != EAGAIN) || written == input_size)
                close_fd(&fds[2].fd); /* all sent, or the child closed its stdin */
        }
    }
    for (int i = 0; i < 3; i++)
        close_fd(&fds[i].fd);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    *exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    for (int i = 0; i < 2; i++)
        if (sink_append(&sinks[i], "", 0) != 0)
            rc = -ENOMEM;
    *out = sinks[0].data;
    *err = sinks[1].data;
    return rc;
}
