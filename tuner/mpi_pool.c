/* MPI ranks as a measurement pool: the target handshake (MPI_Gather of each rank's target, host
 * and pid), rounds sent to idle ranks, outcomes received trial by trial with MPI_Testany, and
 * the worker ranks' loop. A rank that dies makes mpirun end the job with SIGTERM: rank 0 then
 * names the ranks of its host that are gone, and the log already holds every ended trial. */
#include "tuner/mpi_pool.h"
#include "lang/xalloc.h"
#include <errno.h>
#include <mpi.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { TAG_WORK = 1, TAG_RESULT = 2 };

/* A round for a worker; task -1: stop. */
typedef struct WorkMsg {
    int32_t task, n;
    int64_t idx[STATION_MAX_BATCH];
} WorkMsg;

/* What each rank says of itself at the start. */
typedef struct Hello {
    char target[256], host[128];
    int64_t pid;
} Hello;

static bool active, checked;
static int rank, size;
static Hello *hellos; /* rank 0: every rank's */

static void finalize(void) {
    int done = 0;
    MPI_Finalized(&done);
    if (!done) MPI_Finalize();
}

bool mpi_pool_active(void) {
    if (checked) return active;
    checked = true;
    /* mpirun (Open MPI, or a PMI launcher such as Slurm's) sets these; a plain run never inits
     * MPI, so tec without mpirun works as it always did. */
    if (!getenv("OMPI_COMM_WORLD_SIZE") && !getenv("PMI_SIZE") && !getenv("PMIX_RANK"))
        return false;
    int argc = 0;
    char **argv = NULL;
    if (MPI_Init(&argc, &argv) != MPI_SUCCESS) return false;
    atexit(finalize);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    active = size > 1;
    return active;
}

int mpi_pool_rank(void) {
    return rank;
}

bool mpi_pool_agree_target(const char *target, char *err, size_t errlen) {
    Hello me = {.pid = (int64_t)getpid()};
    snprintf(me.target, sizeof me.target, "%s", target);
    gethostname(me.host, sizeof me.host - 1);
    if (rank == 0) hellos = xcalloc((size_t)size, sizeof *hellos);
    MPI_Gather(&me, sizeof me, MPI_BYTE, hellos, sizeof me, MPI_BYTE, 0, MPI_COMM_WORLD);
    char verdict[768] = "";
    if (rank == 0)
        for (int r = 1; r < size && !verdict[0]; r++)
            if (strcmp(hellos[r].target, hellos[0].target))
                snprintf(verdict, sizeof verdict,
                         "rank %d on host %.100s reports target '%.200s', rank 0 on host %.100s "
                         "'%.200s': every rank must measure on the same target (triple and CPU)",
                         r, hellos[r].host, hellos[r].target, hellos[0].host, hellos[0].target);
    MPI_Bcast(verdict, sizeof verdict, MPI_CHAR, 0, MPI_COMM_WORLD);
    if (!verdict[0]) return true;
    snprintf(err, errlen, "%s", rank == 0 ? verdict : "");
    return false;
}

/* ---- worker ranks ---- */

/* Receive without spinning: MPI_Recv busy-polls, which on a shared node takes a core from the
 * measurements of the other ranks. */
static void wait_for(void *buf, int len, int src, int tag) {
    MPI_Request q;
    MPI_Irecv(buf, len, MPI_BYTE, src, tag, MPI_COMM_WORLD, &q);
    for (int flag = 0;;) {
        MPI_Test(&q, &flag, MPI_STATUS_IGNORE);
        if (flag) return;
        struct timespec ts = {0, 200000};
        nanosleep(&ts, NULL);
    }
}

static volatile sig_atomic_t worker_term;
static void on_term(int sig) {
    (void)sig;
    worker_term = 1;
}

int mpi_pool_serve(const TuneTask *tasks, int ntasks, const MeasureOptions *m) {
    /* mpirun ends a job whose rank died with SIGTERM to the others: the workers outlive it a
     * moment so that rank 0 can tell the dead rank from the living ones. */
    struct sigaction sa = {.sa_handler = on_term};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGINT, SIG_IGN);
    signal(SIGPIPE, SIG_IGN);
    /* Test only (docs/distributed.md): TEC_TEST_RANK_DIE=R:N kills rank R after N outcomes. */
    int die_rank = -1;
    long die_after = -1, sent = 0;
    const char *die = getenv("TEC_TEST_RANK_DIE");
    if (die && sscanf(die, "%d:%ld", &die_rank, &die_after) != 2) die_rank = -1;
    StationCache *cache = station_cache_new(m);
    WorkMsg w;
    for (;;) {
        wait_for(&w, sizeof w, 0, TAG_WORK);
        if (w.task < 0 || w.task >= ntasks || w.n <= 0 || w.n > STATION_MAX_BATCH) break;
        char err[512] = "";
        Station *st = station_cache_get(cache, w.task, &tasks[w.task].m, err, sizeof err);
        TrialOut out;
        if (st) station_start(st, w.idx, w.n);
        for (int i = 0; i < w.n; i++) {
            if (st && !station_next(st, &out)) break;
            if (!st) { /* every config of the round fails with the reason */
                memset(&out, 0, sizeof out);
                out.index = w.idx[i];
                out.error_no = ERR_COMPILE_HOST;
                snprintf(out.msg, sizeof out.msg, "rank %d: %.200s", rank, err);
            }
            MPI_Send(&out, sizeof out, MPI_BYTE, 0, TAG_RESULT, MPI_COMM_WORLD);
            if (rank == die_rank && ++sent == die_after) raise(SIGKILL);
        }
    }
    station_cache_free(cache);
    return 0;
}

/* ---- rank 0 ---- */

struct MpiPool {
    TaskPool pool;
    MPI_Request *req; /* per worker: the outcome being received, or MPI_REQUEST_NULL */
    TrialOut *buf;
    int *left; /* per worker: outcomes of its round still to come */
    bool failed;
};

static bool pool_submit(void *ctx, int slot, int task, const int64_t *idx, int n, char *err,
                        size_t errlen) {
    (void)err, (void)errlen;
    MpiPool *p = ctx;
    WorkMsg w = {.task = task, .n = n};
    memcpy(w.idx, idx, sizeof *idx * (size_t)n);
    MPI_Send(&w, sizeof w, MPI_BYTE, slot + 1, TAG_WORK, MPI_COMM_WORLD);
    p->left[slot] = n;
    MPI_Irecv(&p->buf[slot], sizeof *p->buf, MPI_BYTE, slot + 1, TAG_RESULT, MPI_COMM_WORLD,
              &p->req[slot]);
    return true;
}

/* After a signal: the ranks of this host whose process is gone (the others cannot be asked). */
static void name_dead(char *err, size_t errlen) {
    char dead[256] = "";
    for (int r = 1; r < size; r++) {
        if (strcmp(hellos[r].host, hellos[0].host) || kill((pid_t)hellos[r].pid, 0) == 0 ||
            errno != ESRCH)
            continue;
        snprintf(dead + strlen(dead), sizeof dead - strlen(dead), "%s%d", dead[0] ? ", " : "", r);
    }
    if (dead[0])
        snprintf(err, errlen,
                 "worker rank %s on host %s died; the run stops (the log keeps every finished "
                 "trial: run again with --resume, with any number of ranks)",
                 dead, hellos[0].host);
    else
        snprintf(err, errlen,
                 "the run was ended by a signal (mpirun ends the job when a rank dies, and names "
                 "it); the log keeps every finished trial: run again with --resume");
}

static bool pool_wait(void *ctx, int *slot, TrialOut *out, char *err, size_t errlen) {
    MpiPool *p = ctx;
    for (;;) {
        int idx = MPI_UNDEFINED, flag = 0;
        MPI_Testany(p->pool.nslots, p->req, &idx, &flag, MPI_STATUS_IGNORE);
        if (flag && idx != MPI_UNDEFINED) {
            *slot = idx;
            *out = p->buf[idx];
            if (--p->left[idx] > 0) /* the next outcome of this rank's round */
                MPI_Irecv(&p->buf[idx], sizeof *p->buf, MPI_BYTE, idx + 1, TAG_RESULT,
                          MPI_COMM_WORLD, &p->req[idx]);
            return true;
        }
        if (task_tune_signals()) {
            name_dead(err, errlen);
            p->failed = true;
            return false;
        }
        struct timespec ts = {0, 500000}; /* 0.5 ms: rank 0 stays off the workers' cores */
        nanosleep(&ts, NULL);
    }
}

MpiPool *mpi_pool_new(TaskPool **pool) {
    MpiPool *p = xcalloc(1, sizeof *p);
    int n = size - 1;
    p->req = xcalloc((size_t)n, sizeof *p->req);
    p->buf = xcalloc((size_t)n, sizeof *p->buf);
    p->left = xcalloc((size_t)n, sizeof *p->left);
    for (int i = 0; i < n; i++) p->req[i] = MPI_REQUEST_NULL;
    p->pool = (TaskPool){n, p, pool_submit, pool_wait};
    *pool = &p->pool;
    return p;
}

bool mpi_pool_failed(const MpiPool *p) {
    return p && p->failed;
}

void mpi_pool_free(MpiPool *p) {
    if (!p) return;
    if (!p->failed) {
        for (int i = 0; i < p->pool.nslots; i++) {
            if (p->req[i] != MPI_REQUEST_NULL) {
                MPI_Cancel(&p->req[i]);
                MPI_Request_free(&p->req[i]);
            }
            WorkMsg w = {.task = -1};
            MPI_Send(&w, sizeof w, MPI_BYTE, i + 1, TAG_WORK, MPI_COMM_WORLD);
        }
    }
    free(p->req);
    free(p->buf);
    free(p->left);
    free(p);
}
