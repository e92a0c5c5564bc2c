/* Worker processes for the builder and the runner: fork with a request and a response pipe,
 * full reads and writes, waiting with a deadline, killing and reaping, and saying how a worker
 * died. A worker owns nothing of its parent but what fork copied. */
#ifndef TEC_PROC_H
#define TEC_PROC_H
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

typedef struct Proc {
    pid_t pid;   /* 0: not running */
    int req_fd;  /* parent writes requests */
    int resp_fd; /* parent reads responses */
} Proc;

/* The worker's body: reads requests from in_fd until EOF, answers on out_fd. Its return value
 * is the worker's exit status. */
typedef int (*ProcMain)(void *ctx, int in_fd, int out_fd);

/* Fork a worker running fn(ctx, ...) at the given nice increment. In the child: every other
 * descriptor closed, SIGINT ignored (the parent decides when to stop), killed when the parent
 * dies. */
bool proc_start(Proc *p, ProcMain fn, void *ctx, int nice_inc, char *err, size_t errlen);
/* SIGKILL, reap, close. *status (may be NULL) receives the wait status. */
void proc_kill(Proc *p, int *status);
/* Close the request pipe so the worker exits on its own; reap it (SIGKILL after grace_s). */
void proc_stop(Proc *p, double grace_s);
/* Reap a worker whose response pipe hit EOF; returns its wait status (kills it if needed). */
int proc_reap(Proc *p);

/* Full transfers; false on EOF or error (EINTR retried). */
bool proc_read(int fd, void *buf, size_t n);
bool proc_write(int fd, const void *buf, size_t n);
/* Wait until fd is readable or the monotonic deadline passes. 1 readable (or EOF), 0 timeout,
 * -1 interrupted by a signal. */
int proc_wait(int fd, double deadline);
/* "killed by signal 11 (Segmentation fault)" / "exited with status 1". */
void proc_describe(int status, char *buf, size_t n);
double proc_now(void); /* monotonic seconds */
#endif
