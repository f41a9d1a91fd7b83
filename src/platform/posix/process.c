/*
 * process.c (posix) - running a child process with its stdin fed and its stdout/stderr collected
 * concurrently (poll), so a child that writes a lot before reading cannot deadlock us.
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

int plat_run_process(char *const argv[], const char *input, size_t input_size, char **out, char **err,
                     int *exit_code)
{
    int in_pipe[2], out_pipe[2], err_pipe[2];
    if (pipe2(in_pipe, O_CLOEXEC) != 0)
        return -errno;
    if (pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0)
        return -errno;
    pid_t pid = fork();
    if (pid < 0)
        return -errno;
    if (pid == 0) {
        dup2(in_pipe[0], 0);
        dup2(out_pipe[1], 1);
        dup2(err_pipe[1], 2);
        execvp(argv[0], argv);
        _exit(127);
    }
    close(in_pipe[0]);
    close(out_pipe[1]);
    close(err_pipe[1]);
    signal(SIGPIPE, SIG_IGN);

    sink sinks[2] = { { 0 }, { 0 } };
    size_t written = 0;
    struct pollfd fds[3] = { { out_pipe[0], POLLIN, 0 }, { err_pipe[0], POLLIN, 0 }, { in_pipe[1], POLLOUT, 0 } };
    if (input_size == 0) {
        close(in_pipe[1]);
        fds[2].fd = -1;
    }
    int rc = 0;
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
            } else if (n == 0 || errno != EINTR) {
                close(fds[i].fd);
                fds[i].fd = -1;
            }
        }
        if (fds[2].fd >= 0 && (fds[2].revents & (POLLOUT | POLLERR | POLLHUP))) {
            ssize_t n = write(fds[2].fd, input + written, input_size - written);
            if (n > 0)
                written += (size_t)n;
            if (n < 0 || written == input_size) {
                close(fds[2].fd);
                fds[2].fd = -1;
            }
        }
    }
    if (fds[2].fd >= 0)
        close(fds[2].fd);
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
