/* Checking compiled kernels against the reference evaluator (tests/lib/kernel_check.h): guarded
 * buffers, the reference outputs, and one config lowered, compiled, run and compared. */
#include "tests/lib/kernel_check.h"
#include "compiler/lower.h"
#include "lang/eval.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

double check_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static bool guarded_new(Guarded *g, size_t bytes, bool at_end) {
    size_t pg = (size_t)sysconf(_SC_PAGESIZE), pages = (bytes + pg - 1) / pg;
    g->maplen = (pages + 2) * pg;
    g->map = mmap(NULL, g->maplen, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (g->map == MAP_FAILED) return false;
    char *m = g->map;
    if (mprotect(m, pg, PROT_NONE) || mprotect(m + (pages + 1) * pg, pg, PROT_NONE)) return false;
    g->p = at_end ? m + (pages + 1) * pg - bytes : m + pg;
    return true;
}

bool bufs_new(Bufs *b, const Inst *in) {
    *b = (Bufs){.in = in, .red_len = inst_max_reduction(in), .prec = inst_float_precision(in)};
    b->ref = calloc((size_t)in->nargs, sizeof *b->ref);
    for (int side = 0; side < 2; side++) {
        b->g[side] = calloc((size_t)in->nargs, sizeof **b->g);
        b->args[side] = calloc((size_t)in->nargs, sizeof **b->args);
        uint64_t seed = 2024; /* same seed: both copies hold the same inputs */
        for (int i = 0; i < in->nargs; i++) {
            const Stage *st = &in->stages[in->args[i]];
            size_t bytes = (size_t)stage_size(st) * dtype_size(st->dtype);
            if (!guarded_new(&b->g[side][i], bytes, side == 0)) return false;
            b->args[side][i] = b->g[side][i].p;
            if (st->kind == STAGE_PLACEHOLDER)
                eval_fill_random(st->dtype, b->args[side][i], stage_size(st), &seed);
            if (side == 0)
                b->ref[i] =
                    st->kind == STAGE_PLACEHOLDER ? b->args[0][i] : calloc(1, bytes ? bytes : 1);
        }
    }
    return eval_run(in, b->ref);
}

void bufs_free(Bufs *b) {
    for (int i = 0; i < b->in->nargs; i++)
        if (b->in->stages[b->in->args[i]].kind != STAGE_PLACEHOLDER) free(b->ref[i]);
    for (int side = 0; side < 2; side++) {
        for (int i = 0; i < b->in->nargs; i++)
            if (b->g[side][i].map && b->g[side][i].map != MAP_FAILED)
                munmap(b->g[side][i].map, b->g[side][i].maplen);
        free(b->g[side]);
        free(b->args[side]);
    }
    free(b->ref);
}

/* Lower, compile, run one config on buffer set `side`, compare every output. */
bool check_config(Cg *cg, Bufs *b, const Config *cfg, const char *desc, int side, Stats *st) {
    const Inst *in = b->in;
    Arena *a = arena_new();
    Diag d;
    diag_init(&d, desc, "", 0);
    LowerOptions lo = {.verify = true};
    char err[1024] = "";
    bool ok = false;
    double t0 = check_now();
    IrFunc *f = lower(a, &d, in, cfg, &lo);
    double t1 = check_now();
    st->t_lower += t1 - t0;
    if (!f) {
        fprintf(stderr, "FAIL %s: lowering failed\n", desc);
        arena_free(a);
        return false;
    }
    CgModule *m = cg_compile(cg, f, err, sizeof err);
    CgJit *j = m ? cg_jit(cg, m, err, sizeof err) : NULL;
    double t2 = check_now();
    st->t_compile += t2 - t1;
    if (!j) {
        fprintf(stderr, "FAIL %s: %s failed: %s\n", desc, m ? "JIT loading" : "compiling", err);
        arena_free(a);
        return false;
    }
    if (t2 - t0 > st->max_compile) st->max_compile = t2 - t0, st->slowest = cfg ? cfg->index : 0;
    for (int i = 0; i < in->nargs; i++) {
        const Stage *s = &in->stages[in->args[i]];
        if (s->kind != STAGE_PLACEHOLDER) /* garbage: every element must be written */
            memset(b->args[side][i], 0xA5, (size_t)stage_size(s) * dtype_size(s->dtype));
    }
    cg_jit_kernel(j)(b->args[side]);
    st->t_run += check_now() - t2;
    ok = true;
    for (int i = 0; i < in->nargs; i++) {
        const Stage *s = &in->stages[in->args[i]];
        char why[512];
        if (s->kind != STAGE_PLACEHOLDER &&
            !eval_compare_at(s->dtype, b->prec, b->args[side][i], b->ref[i], stage_size(s),
                             b->red_len, why, sizeof why)) {
            fprintf(stderr, "FAIL %s: output %s differs from the reference: %s\n", desc, s->name,
                    why);
            ok = false;
        }
    }
    cg_jit_free(j);
    arena_free(a);
    return ok;
}
