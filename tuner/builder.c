/* Builder workers: each forks once, makes its own Cg, then for every config index it receives
 * lowers the instance with that config, compiles and emits an object image, and sends it back.
 * The parent side hands out indices, enforces the build timeout and replaces dead workers. */
#include "tuner/builder.h"
#include "lang/xalloc.h"
#include "compiler/lower.h"
#include "tuner/log.h"
#include "tuner/proc.h"
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct Hello {
    int32_t ok;
    char triple[128], cpu[64], msg[512];
} Hello;

typedef struct Resp {
    int64_t index;
    int32_t error_no, uses_openmp;
    uint64_t len;
    double seconds; /* the build's own time, measured by the worker */
    char msg[1024];
} Resp;

typedef struct Worker {
    Proc proc;
    bool busy;
    int64_t index;
    double start, deadline;
} Worker;

struct Builder {
    BuildSetup setup;
    Worker *w;
    int n;
    char triple[128], cpu[64];
};

/* ---- the worker process ---- */

/* Lower and compile one config; on success *image holds the object. */
static void build_config(const BuildSetup *s, Cg *cg, int64_t index, Resp *r, void **image) {
    const Inst *in = s->in;
    KnobVal vals[in->nknobs > 0 ? in->nknobs : 1];
    memset(vals, 0, sizeof vals);
    Config cfg = {.index = index, .nknobs = in->nknobs, .vals = vals};
    if (in->nknobs > 0 && !space_get(s->sp, index, &cfg)) {
        r->error_no = ERR_INSTANTIATION;
        snprintf(r->msg, sizeof r->msg, "config index %lld is outside the space", (long long)index);
        return;
    }
    Arena *a = arena_new();
    Diag d;
    diag_init(&d, s->src_path, s->src, s->srclen);
    char *dtext = NULL;
    size_t dlen = 0;
    FILE *dout = open_memstream(&dtext, &dlen);
    if (dout) d.out = dout;
    LowerOptions lo = {0};
    IrFunc *f = lower(a, &d, in, in->nknobs > 0 ? &cfg : NULL, &lo);
    if (dout) fclose(dout);
    if (!f) {
        r->error_no = ERR_INSTANTIATION;
        const char *t = dtext && *dtext ? dtext : "lowering failed";
        size_t l = strcspn(t, "\n"); /* the error line; the excerpt is for terminals */
        snprintf(r->msg, sizeof r->msg, "%.*s", (int)l, t);
    } else {
        r->uses_openmp = ir_has_parallel(f);
        char err[sizeof r->msg - 32];
        err[0] = '\0';
        CgModule *m = cg_compile(cg, f, err, sizeof err);
        size_t len = 0;
        if (!m) {
            r->error_no = ERR_COMPILE_HOST;
            snprintf(r->msg, sizeof r->msg, "compile: %s", err);
        } else if (!cg_emit_object_mem(cg, m, image, &len, err, sizeof err)) {
            r->error_no = ERR_COMPILE_HOST;
            snprintf(r->msg, sizeof r->msg, "emit: %s", err);
            *image = NULL;
        } else {
            r->len = len;
        }
        if (m) cg_module_free(m);
    }
    free(dtext);
    arena_free(a);
}

static int worker_main(void *ctx, int in_fd, int out_fd) {
    const BuildSetup *s = ctx;
    Hello h = {0};
    Cg *cg = cg_new(&s->target, h.msg, sizeof h.msg);
    if (cg) {
        h.ok = 1;
        snprintf(h.triple, sizeof h.triple, "%s", cg_triple(cg));
        snprintf(h.cpu, sizeof h.cpu, "%s", cg_cpu(cg));
    }
    if (!proc_write(out_fd, &h, sizeof h) || !cg) return 1;
    int64_t index;
    while (proc_read(in_fd, &index, sizeof index)) {
        if (fault_at(&s->faults, FAULT_BUILDCRASH, index)) {
            signal(SIGSEGV, SIG_DFL); /* die as a crash inside LLVM would (test-only) */
            raise(SIGSEGV);
        }
        if (fault_at(&s->faults, FAULT_BUILDHANG, index))
            for (;;) pause();
        Resp r = {.index = index};
        void *image = NULL;
        double t0 = proc_now();
        build_config(s, cg, index, &r, &image);
        r.seconds = proc_now() - t0;
        bool ok =
            proc_write(out_fd, &r, sizeof r) && (r.len == 0 || proc_write(out_fd, image, r.len));
        free(image);
        if (!ok) break;
    }
    cg_free(cg);
    return 0;
}

/* ---- the parent side ---- */

static bool start_worker(Builder *b, Worker *w, Hello *h, char *err, size_t errlen) {
    memset(w, 0, sizeof *w);
    if (!proc_start(&w->proc, worker_main, &b->setup, b->setup.nice_inc, err, errlen)) return false;
    /* Codegen setup takes milliseconds; a worker that cannot say hello is broken. */
    if (proc_wait(w->proc.resp_fd, proc_now() + 60) != 1 ||
        !proc_read(w->proc.resp_fd, h, sizeof *h)) {
        int st = proc_reap(&w->proc);
        char how[128];
        proc_describe(st, how, sizeof how);
        snprintf(err, errlen, "builder worker failed to start (%s)", how);
        return false;
    }
    if (!h->ok) {
        snprintf(err, errlen, "%s", h->msg);
        proc_kill(&w->proc, NULL);
        return false;
    }
    return true;
}

Builder *builder_new(const BuildSetup *s, int nworkers, char *err, size_t errlen) {
    Builder *b = xcalloc(1, sizeof *b);
    b->setup = *s;
    b->n = nworkers < 1 ? 1 : nworkers;
    b->w = xcalloc((size_t)b->n, sizeof *b->w);
    for (int i = 0; i < b->n; i++) {
        Hello h;
        if (!start_worker(b, &b->w[i], &h, err, errlen)) {
            b->n = i;
            builder_free(b);
            return NULL;
        }
        if (i == 0) {
            snprintf(b->triple, sizeof b->triple, "%s", h.triple);
            snprintf(b->cpu, sizeof b->cpu, "%s", h.cpu);
        }
    }
    return b;
}

void builder_free(Builder *b) {
    if (!b) return;
    for (int i = 0; i < b->n; i++) {
        if (b->w[i].busy)
            proc_kill(&b->w[i].proc, NULL);
        else
            proc_stop(&b->w[i].proc, 2.0);
    }
    free(b->w);
    free(b);
}

void builder_target(const Builder *b, const char **triple, const char **cpu) {
    if (triple) *triple = b->triple;
    if (cpu) *cpu = b->cpu;
}

int builder_idle(const Builder *b) {
    int k = 0;
    for (int i = 0; i < b->n; i++) k += !b->w[i].busy;
    return k;
}

int builder_busy(const Builder *b) {
    return b->n - builder_idle(b);
}

/* Replace a dead worker; if even that fails the slot stays empty and submit skips it. */
static void restart(Builder *b, Worker *w) {
    Hello h;
    char err[1024];
    if (!start_worker(b, w, &h, err, sizeof err)) {
        fprintf(stderr, "tec: warning: cannot restart a builder worker: %s\n", err);
        memset(w, 0, sizeof *w);
    }
}

bool builder_submit(Builder *b, int64_t index) {
    for (int i = 0; i < b->n; i++) {
        Worker *w = &b->w[i];
        if (w->busy) continue;
        if (w->proc.pid <= 0) restart(b, w);
        if (w->proc.pid <= 0) continue;
        if (!proc_write(w->proc.req_fd, &index, sizeof index)) {
            /* It died while idle: replace it and try once more. */
            proc_reap(&w->proc);
            restart(b, w);
            if (w->proc.pid <= 0 || !proc_write(w->proc.req_fd, &index, sizeof index)) continue;
        }
        w->busy = true;
        w->index = index;
        w->start = proc_now();
        w->deadline = w->start + b->setup.timeout;
        return true;
    }
    return false;
}

int builder_pollfds(const Builder *b, struct pollfd *fds, int max) {
    int k = 0;
    for (int i = 0; i < b->n && k < max; i++)
        if (b->w[i].busy) fds[k++] = (struct pollfd){.fd = b->w[i].proc.resp_fd, .events = POLLIN};
    return k;
}

double builder_deadline(const Builder *b) {
    double d = INFINITY;
    for (int i = 0; i < b->n; i++)
        if (b->w[i].busy && b->w[i].deadline < d) d = b->w[i].deadline;
    return d;
}

/* Read one answer from w (its fd is readable). */
static void receive(Builder *b, Worker *w, BuildResult *out) {
    Resp r;
    memset(out, 0, sizeof *out);
    out->index = w->index;
    bool ok = proc_read(w->proc.resp_fd, &r, sizeof r) && r.index == w->index;
    void *image = NULL;
    if (ok && r.error_no == ERR_NONE) {
        image = malloc(r.len ? r.len : 1);
        ok = image && proc_read(w->proc.resp_fd, image, r.len);
    }
    out->seconds = proc_now() - w->start;
    w->busy = false;
    if (!ok) {
        free(image);
        int st = proc_reap(&w->proc);
        char how[128];
        proc_describe(st, how, sizeof how);
        out->error_no = ERR_COMPILE_HOST;
        snprintf(out->msg, sizeof out->msg, "builder process %s while compiling", how);
        restart(b, w);
        return;
    }
    if (r.error_no == ERR_NONE && r.seconds > b->setup.timeout) {
        /* finished, but past the limit: a build answered while the parent was busy elsewhere
           is judged by its own time, so the limit means the same whenever it is collected */
        free(image);
        out->error_no = ERR_BUILD_TIMEOUT;
        snprintf(out->msg, sizeof out->msg, "build took longer than %g s", b->setup.timeout);
        return;
    }
    out->error_no = r.error_no;
    out->uses_openmp = r.uses_openmp;
    snprintf(out->msg, sizeof out->msg, "%s", r.msg);
    out->image = image;
    out->len = r.len;
}

int builder_collect(Builder *b, BuildResult *out, int max) {
    int k = 0;
    double now = proc_now();
    for (int i = 0; i < b->n && k < max; i++) {
        Worker *w = &b->w[i];
        if (!w->busy) continue;
        struct pollfd pf = {.fd = w->proc.resp_fd, .events = POLLIN};
        if (poll(&pf, 1, 0) > 0) {
            receive(b, w, &out[k++]);
        } else if (now >= w->deadline) {
            proc_kill(&w->proc, NULL);
            w->busy = false;
            BuildResult *o = &out[k++];
            memset(o, 0, sizeof *o);
            o->index = w->index;
            o->error_no = ERR_BUILD_TIMEOUT;
            o->seconds = now - w->start;
            snprintf(o->msg, sizeof o->msg, "build took longer than %g s", b->setup.timeout);
            restart(b, w);
        }
    }
    return k;
}

/* Wait until some busy worker answers (or its deadline passes). */
static void wait_any(Builder *b) {
    struct pollfd fds[64];
    int n = builder_pollfds(b, fds, 64);
    double left = builder_deadline(b) - proc_now();
    poll(fds, (nfds_t)n, left > 0 ? (int)ceil(left * 1000) : 0);
}

bool builder_build_one(Builder *b, int64_t index, BuildResult *out) {
    memset(out, 0, sizeof *out);
    out->index = index;
    /* Builds left in flight by a stopped run (Ctrl-C) would hold every worker (a hung one for
     * the whole build timeout) or answer first with another config's image: drop them. */
    for (int i = 0; i < b->n; i++) {
        Worker *w = &b->w[i];
        if (!w->busy) continue;
        proc_kill(&w->proc, NULL);
        w->busy = false;
        restart(b, w);
    }
    if (!builder_submit(b, index)) {
        out->error_no = ERR_COMPILE_HOST;
        snprintf(out->msg, sizeof out->msg, "no builder process could be started");
        return false;
    }
    for (;;) {
        if (builder_collect(b, out, 1) == 1) return true;
        wait_any(b);
    }
}
