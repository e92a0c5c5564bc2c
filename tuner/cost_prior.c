/* The analytic cost prior (tuner/cost_prior.h; docs/tuning.md "The analytic prior"). Per store
 * statement of the loop nest:
 *   register tile: the innermost run of unrolled and vectorized loops around the store, with the
 *     short serial loops LLVM unrolls whole. A pass over it costs the most of its vector FMAs
 *     over 2 ports, its loads over 2 ports (per operand its distinct vectors, or elements where
 *     the vector loop does not walk it with unit stride), its stores over 1 port, and the FMA
 *     latency times the FMAs chained into one accumulator; plus a cycle of loop overhead. A
 *     reduction's accumulators stay in registers across the loop around the tile when that
 *     loop does not move them, no guard is inside it and they fit; otherwise they are loaded
 *     and stored each pass. Accumulators live at once past the registers (minus 8 for
 *     operands) cost a cycle per FMA into them (a store and a reload on the FMA's chain);
 *   memory: per cache level, the outermost loop whose footprint (in lines where an access's
 *     stride skips lines) fits half the cache is where the level refills: that footprint times
 *     the iterations outside, over 64, 32 and 8 bytes per cycle from L2, L3 and memory;
 * and a statement costs the larger of the two. Parallel loops divide among the threads. */
#include "tuner/cost_prior.h"
#include "lang/xalloc.h"
#include "tuner/loop_walk.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { FMA_PORTS = 2, LOAD_PORTS = 2, STORE_PORTS = 1, FMA_LATENCY = 4, OPERAND_REGS = 8 };
/* LLVM unrolls a constant-trip serial loop whole when this many instructions or fewer come
 * out (its full-unroll threshold at -O3 is a cost of about 300) */
enum { LLVM_UNROLL = 256 };
static const double level_bw[3] = {64, 32, 8}; /* bytes per cycle into L1, L2, L3 */

void prior_machine_host(PriorMachine *m) {
    *m = (PriorMachine){.vec_bytes = 16, .vec_regs = 16, .cache = {32768, 1 << 20, 32 << 20}};
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f"))
        m->vec_bytes = 64, m->vec_regs = 32;
    else if (__builtin_cpu_supports("avx"))
        m->vec_bytes = 32;
#endif
#ifdef _SC_LEVEL1_DCACHE_SIZE
    long c[3] = {sysconf(_SC_LEVEL1_DCACHE_SIZE), sysconf(_SC_LEVEL2_CACHE_SIZE),
                 sysconf(_SC_LEVEL3_CACHE_SIZE)};
    for (int i = 0; i < 3; i++)
        if (c[i] > 0) m->cache[i] = (double)c[i];
#endif
    const char *env = getenv("OMP_NUM_THREADS");
    long n = env ? strtol(env, NULL, 10) : sysconf(_SC_NPROCESSORS_ONLN);
    m->threads = n > 0 ? (int)n : 1;
}

/* Iterations of loop l, as one thread sees them. */
static double trips(const WalkLoop *l, const PriorMachine *m) {
    double e = (double)l->extent;
    if (l->kind == FOR_PARALLEL && m->threads > 1) return ceil(e / m->threads);
    return e;
}

/* Bytes a brings into a cache inside its enclosing loop q: distinct elements, each a whole
 * line when the smallest stride of q, the loops inside it and the loop just outside it (whose
 * next iterations read the rest of a line) skips lines. */
static double line_bytes(const WalkAccess *a, const Touch *t, int q) {
    double elem = (double)dtype_size(a->buf->dtype), minstride = 0;
    for (int i = q > 0 ? q - 1 : 0; i < a->nenc; i++)
        if (t[i].stride > 0 && (minstride == 0 || t[i].stride < minstride)) minstride = t[i].stride;
    double per_line = 64 / elem;
    double f = minstride == 0 ? 1 : minstride < per_line ? minstride : per_line;
    double whole = (double)a->buf->size * elem; /* an index the walk cannot bound */
    return a->buf->size > 0 && t[q].bytes * f > whole ? whole : t[q].bytes * f;
}

typedef struct PriorStmt {
    const WalkAccess **acc; /* the statement's accesses, the store first */
    Touch **t;              /* per access, per enclosing loop */
    int n;
} PriorStmt;

/* Vector instructions of one pass over loops q.. of the store (v: the vectorized one). */
static double pass_instrs(const LoopWalk *w, const WalkAccess *st, int q, int v, double lanes) {
    double iters = 1;
    for (int i = q; i < st->nenc; i++) iters *= (double)w->loops[st->enc[i]].extent;
    if (v < 0) return iters;
    double ev = (double)w->loops[st->enc[v]].extent;
    return iters / ev * ceil(ev / lanes);
}

static double tile_cycles(const LoopWalk *w, const PriorStmt *s, const WalkStmt *ws,
                          const PriorMachine *m, int *tile_start, bool *in_regs) {
    const WalkAccess *st = s->acc[0];
    int n = st->nenc, b = n, v = -1;
    double elem = (double)dtype_size(st->buf->dtype);
    double lanes = m->vec_bytes / elem > 1 ? m->vec_bytes / elem : 1;
    int per_elem = (ws->ops[0] > ws->ops[1] ? ws->ops[0] : ws->ops[1]) + 4 * ws->ops[2];
    /* the tile: unrolled and vectorized loops, and the short serial loops LLVM unrolls whole */
    while (b > 0) {
        const WalkLoop *l = &w->loops[st->enc[b - 1]];
        if (l->kind == FOR_SERIAL &&
            (double)l->extent * pass_instrs(w, st, b, v, lanes) * (per_elem + s->n) > LLVM_UNROLL)
            break;
        if (l->kind == FOR_PARALLEL) break;
        b--;
        if (l->kind == FOR_VECTORIZED && v < 0) v = b;
    }
    *tile_start = b;
    double fmas = pass_instrs(w, st, b, v, lanes) * per_elem;
    /* per access: distinct vectors (unit stride along the vector loop) or elements in the tile */
    double loads = 0, acc = 0, live = 0;
    bool reduction = false;
    int r = -1; /* the tile's outermost loop that does not move the store */
    for (int q = b; q < n && r < 0; q++)
        if (s->t[0][q].stride == 0) r = q;
    for (int i = 0; i < s->n; i++) {
        const WalkAccess *a = s->acc[i];
        double el = (double)dtype_size(a->buf->dtype);
        double sv = v >= 0 ? s->t[i][v].stride : 0;
        double d = b < n ? s->t[i][b].bytes / el : 1;
        double regs = v >= 0 && sv == 1 ? ceil(d / lanes) : d;
        if (i == 0) {
            acc = regs;
            double dl = r >= 0 ? s->t[i][r].bytes / el : d;
            live = v >= 0 && sv == 1 ? ceil(dl / lanes) : dl;
            continue;
        }
        if (a->buf == st->buf) {
            reduction = true;
            continue;
        }
        loads += regs;
    }
    /* Accumulators live at once past the registers spill: the register allocator keeps `budget`
     * of them and the rest are stored and reloaded around each FMA into them. */
    double budget = m->vec_regs - OPERAND_REGS, spill = 0;
    if (reduction && live > budget) spill = (live - budget) / live * fmas;
    int p = b - 1;
    bool promoted =
        reduction && p >= 0 && s->t[0][p].stride == 0 && st->guarded <= p && acc <= budget;
    *in_regs = promoted;
    double stores = promoted ? 0 : acc;
    loads += reduction && !promoted ? acc : 0;
    double c = fmas / FMA_PORTS;
    if (loads / LOAD_PORTS > c) c = loads / LOAD_PORTS;
    if (stores / STORE_PORTS > c) c = stores / STORE_PORTS;
    /* each accumulator's FMAs form a chain; the out-of-order core overlaps different ones */
    if (reduction && acc > 0 && FMA_LATENCY * fmas / acc > c) c = FMA_LATENCY * fmas / acc;
    /* a spilled accumulator's FMA waits for its reload: a cycle each, not overlapped */
    return c + spill + 1 + (st->guarded >= b ? 1 : 0);
}

static double memory_cycles(const LoopWalk *w, const PriorStmt *s, const PriorMachine *m,
                            bool acc_in_regs) {
    int n = s->acc[0]->nenc;
    double worst = 0;
    for (int lv = 0; lv < 3; lv++) {
        double cap = m->cache[lv] / 2;
        int qc = n - 1;
        for (int q = n - 1; q >= 0; q--) {
            double f = 0;
            for (int i = 0; i < s->n; i++) f += line_bytes(s->acc[i], s->t[i], q);
            if (f > cap) break;
            qc = q;
        }
        double traffic = 0;
        for (int i = 0; i < s->n; i++) {
            /* a reduction's read of its own output is the store's line again; an accumulator
             * kept in registers moves only when its tile starts and ends */
            if (s->acc[i]->buf == s->acc[0]->buf && (i > 0 || acc_in_regs)) continue;
            traffic += line_bytes(s->acc[i], s->t[i], qc);
        }
        for (int q = 0; q < qc; q++) traffic *= trips(&w->loops[s->acc[0]->enc[q]], m);
        if (traffic / level_bw[lv] > worst) worst = traffic / level_bw[lv];
    }
    return worst;
}

double cost_prior_cycles(const LoopWalk *w, const PriorMachine *m) {
    if (!w) return INFINITY;
    int cap = w->nacc ? w->nacc : 1, depth = 1;
    for (int i = 0; i < w->nacc; i++)
        if (w->acc[i].nenc > depth) depth = w->acc[i].nenc;
    const WalkAccess **acc = xmalloc(sizeof *acc * (size_t)cap);
    Touch **t = xmalloc(sizeof *t * (size_t)cap);
    Touch *rows = xmalloc(sizeof *rows * (size_t)cap * (size_t)depth);
    double total = 0;
    for (int si = 0; si < w->nstmts; si++) {
        PriorStmt s = {acc, t, 0};
        for (int i = 0; i < w->nacc; i++)
            if (w->acc[i].stmt == si && w->acc[i].store) acc[s.n++] = &w->acc[i];
        if (s.n != 1) continue;
        for (int i = 0; i < w->nacc; i++)
            if (w->acc[i].stmt == si && !w->acc[i].store && w->acc[i].nenc == acc[0]->nenc)
                acc[s.n++] = &w->acc[i];
        for (int i = 0; i < s.n; i++) {
            t[i] = rows + (size_t)i * (size_t)depth;
            loop_walk_touches(w, acc[i], t[i]);
        }
        int b;
        bool in_regs;
        double tile = tile_cycles(w, &s, &w->stmts[si], m, &b, &in_regs);
        double outer = 1;
        for (int q = 0; q < b; q++) outer *= trips(&w->loops[acc[0]->enc[q]], m);
        double compute = tile * outer;
        double mem = acc[0]->nenc > 0 ? memory_cycles(w, &s, m, in_regs) : 0;
        total += compute > mem ? compute : mem;
    }
    free(acc);
    free(t);
    free(rows);
    return total;
}
