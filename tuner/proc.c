/* Fork-based worker processes with pipes; see proc.h. Children close every descriptor but
 * their own two so that no worker keeps another's pipe open (EOF must mean "parent gone"). */
#include "tuner/proc.h"
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

double proc_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void close_others(int a, int b) {
    int lo = a < b ? a : b, hi = a < b ? b : a;
    if (lo > 3) close_range(3, (unsigned)lo - 1, 0);
    if (hi > lo + 1) close_range((unsigned)lo + 1, (unsigned)hi - 1, 0);
    close_range((unsigned)hi + 1, ~0U, 0);
}

bool proc_start(Proc *p, ProcMain fn, void *ctx, int nice_inc, char *err, size_t errlen) {
    int req[2], resp[2];
    if (pipe2(req, O_CLOEXEC) != 0) {
        snprintf(err, errlen, "cannot create a pipe: %s", strerror(errno));
        return false;
    }
    if (pipe2(resp, O_CLOEXEC) != 0) {
        snprintf(err, errlen, "cannot create a pipe: %s", strerror(errno));
        close(req[0]), close(req[1]);
        return false;
    }
    pid_t parent = getpid();
    fflush(NULL); /* nothing buffered is duplicated into the child */
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(err, errlen, "cannot start a worker process: %s", strerror(errno));
        close(req[0]), close(req[1]), close(resp[0]), close(resp[1]);
        return false;
    }
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent) _exit(0);
        signal(SIGINT, SIG_IGN);
        signal(SIGTERM, SIG_DFL);
        signal(SIGPIPE, SIG_DFL);
        close(req[1]);
        close(resp[0]);
        close_others(req[0], resp[1]);
        if (nice_inc) setpriority(PRIO_PROCESS, 0, getpriority(PRIO_PROCESS, 0) + nice_inc);
        /* _exit: no atexit handlers or stdio flushes of the parent's state. */
        _exit(fn(ctx, req[0], resp[1]));
    }
    close(req[0]);
    close(resp[1]);
    p->pid = pid;
    p->req_fd = req[1];
    p->resp_fd = resp[0];
    return true;
}

static void close_fds(Proc *p) {
    if (p->req_fd >= 0) close(p->req_fd);
    if (p->resp_fd >= 0) close(p->resp_fd);
    p->req_fd = p->resp_fd = -1;
}

static int reap(pid_t pid) {
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    return st;
}

void proc_kill(Proc *p, int *status) {
    if (p->pid <= 0) return;
    kill(p->pid, SIGKILL);
    int st = reap(p->pid);
    if (status) *status = st;
    p->pid = 0;
    close_fds(p);
}

int proc_reap(Proc *p) {
    if (p->pid <= 0) return 0;
    /* EOF on the pipe normally means the worker is gone; give it a moment, then make sure. */
    int st = 0;
    for (int i = 0; i < 200; i++) {
        pid_t r = waitpid(p->pid, &st, WNOHANG);
        if (r == p->pid) {
            p->pid = 0;
            close_fds(p);
            return st;
        }
        if (r < 0 && errno != EINTR) break;
        usleep(5000);
    }
    proc_kill(p, &st);
    return st;
}

void proc_stop(Proc *p, double grace_s) {
    if (p->pid <= 0) return;
    close(p->req_fd);
    p->req_fd = -1;
    double end = proc_now() + grace_s;
    int st;
    while (proc_now() < end) {
        pid_t r = waitpid(p->pid, &st, WNOHANG);
        if (r == p->pid || (r < 0 && errno != EINTR)) {
            p->pid = 0;
            close_fds(p);
            return;
        }
        usleep(2000);
    }
    proc_kill(p, NULL);
}

/* The whole of n bytes, read or written; false on EOF or error (EINTR retried). */
static bool transfer(int fd, char *c, size_t n, bool writing) {
    while (n > 0) {
        ssize_t r = writing ? write(fd, c, n) : read(fd, c, n);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return false;
        c += r;
        n -= (size_t)r;
    }
    return true;
}

bool proc_read(int fd, void *buf, size_t n) {
    return transfer(fd, buf, n, false);
}

bool proc_write(int fd, const void *buf, size_t n) {
    return transfer(fd, (char *)buf, n, true);
}

int proc_wait(int fd, double deadline) {
    for (;;) {
        double left = deadline - proc_now();
        if (left <= 0) left = 0;
        int ms = isinf(deadline) ? -1 : (int)ceil(left * 1000);
        struct pollfd pf = {.fd = fd, .events = POLLIN};
        int r = poll(&pf, 1, ms);
        if (r > 0) return 1;
        if (r == 0) return proc_now() >= deadline ? 0 : proc_wait(fd, deadline);
        if (errno == EINTR) return -1;
        return 1; /* a broken descriptor reads as EOF */
    }
}

void proc_describe(int st, char *buf, size_t n) {
    if (WIFSIGNALED(st))
        snprintf(buf, n, "killed by signal %d (%s)", WTERMSIG(st), strsignal(WTERMSIG(st)));
    else if (WIFEXITED(st))
        snprintf(buf, n, "exited with status %d", WEXITSTATUS(st));
    else
        snprintf(buf, n, "ended (wait status %d)", st);
}
