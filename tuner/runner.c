/* The runner worker and its parent side. Inputs and reference outputs are made once per task in
 * the parent, before any worker is forked, so every (re)started worker inherits them; the
 * worker makes its inputs and references read-only, so a kernel that writes its inputs crashes
 * (a logged runtime error) instead of corrupting later trials. */
#include "tuner/runner.h"
#include "lang/xalloc.h"
#include "lang/eval.h"
#include "tuner/proc.h"
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

typedef struct Req {
    int64_t index;
    uint64_t len;
    double cut_after; /* seconds: a slower warm-up call ends the trial (0: never) */
} Req;

typedef struct Resp {
    int64_t index;
    int32_t error_no, ncosts;
    int64_t calls;
    double costs[LOG_MAX_COSTS];
    double timed, warmup, load;
    char msg[512];
} Resp;

typedef struct Hello {
    int32_t ok;
    char msg[512];
} Hello;

/* One kernel argument's buffer. */
typedef struct ArgBuf {
    const Stage *st;
    bool output;
    size_t bytes, mapped; /* mapped: page-rounded size */
    void *data;           /* inputs: the values; outputs: the reference */
    int64_t n, red_len;
    DType prec; /* inst_float_precision: the rounding the output's value passed through */
} ArgBuf;

struct Runner {
    RunSetup setup;
    ArgBuf *bufs;
    int nbufs;
    double ref_seconds;
    Proc proc;
    bool busy;
    int64_t index;
    double start, deadline;
};

static void *map_pages(size_t bytes, size_t *mapped) {
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    *mapped = (bytes + page - 1) / page * page;
    if (*mapped == 0) *mapped = page;
    void *p = mmap(NULL, *mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

/* ---- the worker process ---- */

static size_t llc_bytes(void) {
    long l3 = sysconf(_SC_LEVEL3_CACHE_SIZE);
    long l2 = sysconf(_SC_LEVEL2_CACHE_SIZE);
    long c = l3 > 0 ? l3 : l2 > 0 ? l2 : 32L << 20;
    return (size_t)c;
}

static void poison(ArgBuf *b, void *out) {
    /* NaN for floats; an unlikely pattern for integers: an unwritten output never passes. */
    memset(out, dtype_is_float(b->st->dtype) ? 0xff : 0xa5, b->bytes);
}

typedef struct Worker {
    const Runner *r;
    void **args; /* what the kernel receives */
    void *flush; /* cache-flush buffer */
    size_t flush_bytes;
    unsigned flush_round;
    int64_t lucky[FAULT_MAX]; /* configs whose lucky first timing was reported (FAULT_LUCKY) */
    int nlucky;
} Worker;

/* FAULT_LUCKY: the factor for this timing of config index (1 without the fault). */
static double lucky_factor(Worker *w, int64_t index) {
    if (!fault_at(&w->r->setup.faults, FAULT_LUCKY, index)) return 1;
    for (int i = 0; i < w->nlucky; i++)
        if (w->lucky[i] == index) return 1000;
    if (w->nlucky < FAULT_MAX) w->lucky[w->nlucky++] = index;
    return 0.001;
}

static void flush_cache(Worker *w) {
    if (!w->flush) return;
    memset(w->flush, (int)(++w->flush_round & 0xff), w->flush_bytes);
    __asm__ volatile("" ::"r"(w->flush) : "memory");
}

/* Check the outputs of the last call against the references. */
static bool check_outputs(Worker *w, Resp *resp) {
    const Runner *r = w->r;
    for (int i = 0; i < r->nbufs; i++) {
        const ArgBuf *b = &r->bufs[i];
        if (!b->output) continue;
        char why[256] = "";
        if (!eval_compare_at(b->st->dtype, b->prec, w->args[i], b->data, b->n, b->red_len, why,
                             sizeof why)) {
            resp->error_no = ERR_WRONG_ANSWER;
            snprintf(resp->msg, sizeof resp->msg, "output %s: %s", b->st->name, why);
            return false;
        }
    }
    return true;
}

static void corrupt(Worker *w) {
    const Runner *r = w->r;
    for (int i = 0; i < r->nbufs; i++)
        if (r->bufs[i].output) {
            memset(w->args[i], 0x7f, dtype_size(r->bufs[i].st->dtype));
            return;
        }
}

static void measure(Worker *w, KernelFn k, int64_t index, double cut_after, Resp *resp) {
    const RunSetup *s = &w->r->setup;
    const Faults *f = &s->faults;
    for (int i = 0; i < w->r->nbufs; i++)
        if (w->r->bufs[i].output) poison(&w->r->bufs[i], w->args[i]);
    if (fault_at(f, FAULT_CRASH, index)) {
        signal(SIGSEGV, SIG_DFL); /* as a kernel's wild store would end us (test-only) */
        raise(SIGSEGV);
    }
    if (fault_at(f, FAULT_HANG, index))
        for (;;) pause();
    bool wrong = fault_at(f, FAULT_WRONG, index);
    double w0 = proc_now();
    k(w->args); /* warm-up, and the call whose outputs are checked */
    if (fault_at(f, FAULT_SLOW, index)) usleep(300000);
    resp->warmup = proc_now() - w0;
    resp->calls = 1;
    if (wrong) corrupt(w);
    if (!check_outputs(w, resp)) return;
    if (cut_after > 0 && resp->warmup > cut_after) {
        /* --cut-slow: already far slower than the best; its one call is its cost */
        resp->costs[resp->ncosts++] = resp->warmup;
        return;
    }
    int64_t number = s->number > 0 ? s->number : 1;
    double costs[LOG_MAX_COSTS];
    int nrep = s->repeat < 1 ? 1 : s->repeat > LOG_MAX_COSTS ? LOG_MAX_COSTS : s->repeat;
    for (int rep = 0; rep < nrep; rep++) {
        flush_cache(w);
        double dur = 0;
        bool first = true;
        do {
            /* AutoTVM's time_evaluator: grow number by the golden ratio at least, to reach
             * min_repeat_ms; the grown number carries over to later repeats. */
            if (!first) {
                double grown = dur > 0 ? s->min_repeat_ms / (dur * 1e3 / (double)number) + 1 : 0;
                double g = fmax(grown, (double)number * 1.618);
                number = g > 1e9 ? 1000000000 : (int64_t)g;
            }
            first = false;
            double t0 = proc_now();
            for (int64_t i = 0; i < number; i++) k(w->args);
            dur = proc_now() - t0;
            resp->calls += number;
            resp->timed += dur;
        } while (dur * 1e3 < s->min_repeat_ms && number < 1000000000);
        costs[rep] = dur / (double)number;
    }
    if (wrong) corrupt(w);
    double luck = lucky_factor(w, index);
    for (int rep = 0; rep < nrep; rep++) costs[rep] *= luck;
    log_sort_costs(costs, nrep);
    int lo = nrep > 2 ? 1 : 0, hi = nrep > 2 ? nrep - 1 : nrep; /* AutoTVM drops min and max */
    for (int i = lo; i < hi; i++) resp->costs[resp->ncosts++] = costs[i];
}

static int worker_main(void *ctx, int in_fd, int out_fd) {
    const Runner *r = ctx;
    Hello h = {0};
    Worker w = {.r = r};
    Cg *cg = cg_new(&r->setup.target, h.msg, sizeof h.msg);
    w.args = xcalloc((size_t)r->nbufs + 1, sizeof *w.args);
    for (int i = 0; cg && i < r->nbufs; i++) {
        const ArgBuf *b = &r->bufs[i];
        if (b->output) {
            size_t mapped;
            w.args[i] = map_pages(b->bytes, &mapped);
            if (!w.args[i]) {
                snprintf(h.msg, sizeof h.msg, "out of memory for output %s", b->st->name);
                cg_free(cg);
                cg = NULL;
            }
        } else {
            w.args[i] = b->data;
        }
        mprotect(b->data, b->mapped, PROT_READ); /* our copy only (MAP_PRIVATE) */
    }
    if (cg && r->setup.flush_cache) {
        w.flush_bytes = llc_bytes() * 2;
        w.flush = malloc(w.flush_bytes);
    }
    h.ok = cg != NULL;
    if (!proc_write(out_fd, &h, sizeof h) || !cg) return 1;
    Req q;
    while (proc_read(in_fd, &q, sizeof q)) {
        void *image = malloc(q.len ? q.len : 1);
        if (!image || !proc_read(in_fd, image, q.len)) break;
        Resp resp = {.index = q.index};
        char err[256] = "";
        double t0 = proc_now();
        CgJit *j = cg_jit_object(cg, image, q.len, r->setup.in->name, err, sizeof err);
        free(image);
        KernelFn k = j ? cg_jit_kernel(j) : NULL;
        resp.load = proc_now() - t0;
        if (!k) {
            resp.error_no = ERR_RUNTIME_DEVICE;
            snprintf(resp.msg, sizeof resp.msg, "cannot load the kernel: %s", err);
        } else {
            measure(&w, k, q.index, q.cut_after, &resp);
        }
        if (j) cg_jit_free(j);
        if (!proc_write(out_fd, &resp, sizeof resp)) break;
    }
    cg_free(cg);
    return 0;
}

/* ---- the parent side ---- */

static bool start(Runner *r, char *err, size_t errlen) {
    if (!proc_start(&r->proc, worker_main, r, 0, err, errlen)) return false;
    Hello h;
    if (proc_wait(r->proc.resp_fd, proc_now() + 60) != 1 ||
        !proc_read(r->proc.resp_fd, &h, sizeof h)) {
        char how[128];
        proc_describe(proc_reap(&r->proc), how, sizeof how);
        snprintf(err, errlen, "runner worker failed to start (%s)", how);
        return false;
    }
    if (!h.ok) {
        snprintf(err, errlen, "%s", h.msg);
        proc_kill(&r->proc, NULL);
        return false;
    }
    return true;
}

static void free_bufs(Runner *r) {
    for (int i = 0; i < r->nbufs; i++)
        if (r->bufs[i].data) munmap(r->bufs[i].data, r->bufs[i].mapped);
    free(r->bufs);
    r->bufs = NULL;
}

Runner *runner_new(const RunSetup *s, char *err, size_t errlen) {
    Runner *r = xcalloc(1, sizeof *r);
    r->setup = *s;
    const Inst *in = s->in;
    r->nbufs = in->nargs;
    r->bufs = xcalloc((size_t)in->nargs + 1, sizeof *r->bufs);
    void **args = xcalloc((size_t)in->nargs + 1, sizeof *args);
    uint64_t seed = s->seed;
    bool ok = true;
    for (int i = 0; i < in->nargs && ok; i++) {
        ArgBuf *b = &r->bufs[i];
        b->st = &in->stages[in->args[i]];
        b->output = b->st->kind == STAGE_COMPUTE;
        b->n = stage_size(b->st);
        b->bytes = (size_t)b->n * dtype_size(b->st->dtype);
        b->red_len = b->output ? inst_max_reduction(in) : 1;
        b->prec = inst_float_precision(in);
        b->data = map_pages(b->bytes, &b->mapped);
        if (!b->data) {
            snprintf(err, errlen, "out of memory for tensor %s", b->st->name);
            ok = false;
            break;
        }
        if (!b->output) eval_fill_random(b->st->dtype, b->data, b->n, &seed);
        args[i] = b->data;
    }
    if (ok) {
        double t0 = proc_now();
        ok = s->reference ? s->reference(s->reference_ctx, args) : eval_run(in, args);
        r->ref_seconds = proc_now() - t0;
        if (!ok)
            snprintf(err, errlen, "%s",
                     s->reference ? "the reference function failed"
                                  : "out of memory computing the reference outputs");
    }
    free(args);
    if (ok) ok = start(r, err, errlen);
    if (!ok) {
        free_bufs(r);
        free(r);
        return NULL;
    }
    return r;
}

void runner_free(Runner *r) {
    if (!r) return;
    if (r->busy)
        proc_kill(&r->proc, NULL);
    else
        proc_stop(&r->proc, 2.0);
    free_bufs(r);
    free(r);
}

double runner_reference_seconds(const Runner *r) {
    return r->ref_seconds;
}

bool runner_busy(const Runner *r) {
    return r->busy;
}

int runner_fd(const Runner *r) {
    return r->proc.resp_fd;
}

double runner_deadline(const Runner *r) {
    return r->busy ? r->deadline : INFINITY;
}

static void fail(RunResult *out, int64_t index, int error_no, const char *msg) {
    memset(out, 0, sizeof *out);
    out->index = index;
    out->error_no = error_no;
    snprintf(out->msg, sizeof out->msg, "%s", msg);
}

bool runner_submit(Runner *r, int64_t index, const void *image, size_t len, double cut_after,
                   RunResult *failed) {
    char err[512];
    for (int attempt = 0; attempt < 2; attempt++) {
        if (r->proc.pid <= 0 && !start(r, err, sizeof err)) {
            fail(failed, index, ERR_RUNTIME_DEVICE, err);
            return false;
        }
        Req q = {.index = index, .len = len, .cut_after = cut_after};
        r->start = proc_now();
        if (proc_write(r->proc.req_fd, &q, sizeof q) && proc_write(r->proc.req_fd, image, len)) {
            r->busy = true;
            r->index = index;
            r->deadline = r->start + r->setup.timeout;
            return true;
        }
        proc_kill(&r->proc, NULL); /* died between trials: start a fresh one and retry */
    }
    fail(failed, index, ERR_RUNTIME_DEVICE, "the runner process cannot take requests");
    return false;
}

bool runner_collect(Runner *r, RunResult *out) {
    if (!r->busy) return false;
    struct pollfd pf = {.fd = r->proc.resp_fd, .events = POLLIN};
    double now = proc_now();
    if (poll(&pf, 1, 0) > 0) {
        Resp resp;
        r->busy = false;
        if (proc_read(r->proc.resp_fd, &resp, sizeof resp) && resp.index == r->index) {
            memset(out, 0, sizeof *out);
            out->index = r->index;
            out->error_no = resp.error_no;
            out->ncosts = resp.ncosts < 0               ? 0
                          : resp.ncosts > LOG_MAX_COSTS ? LOG_MAX_COSTS
                                                        : resp.ncosts;
            memcpy(out->costs, resp.costs, sizeof(double) * (size_t)out->ncosts);
            out->timed = resp.timed;
            out->calls = resp.calls;
            out->warmup = resp.warmup;
            out->load = resp.load;
            snprintf(out->msg, sizeof out->msg, "%s", resp.msg);
        } else {
            char how[128], msg[256];
            proc_describe(proc_reap(&r->proc), how, sizeof how);
            snprintf(msg, sizeof msg, "kernel crashed: runner process %s", how);
            fail(out, r->index, ERR_RUNTIME_DEVICE, msg);
        }
        out->seconds = proc_now() - r->start;
        return true;
    }
    if (now >= r->deadline) {
        proc_kill(&r->proc, NULL);
        r->busy = false;
        char msg[128];
        snprintf(msg, sizeof msg, "run took longer than the timeout of %g s", r->setup.timeout);
        fail(out, r->index, ERR_RUN_TIMEOUT, msg);
        out->seconds = now - r->start;
        return true;
    }
    return false;
}

void runner_abort(Runner *r) {
    if (r->busy) proc_kill(&r->proc, NULL);
    r->busy = false;
}
