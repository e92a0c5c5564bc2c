/* FLOP count of an instance, as AutoTVM's compute_flop counts it: takes an Inst; gives, summed
 * over the outputs and everything they read, elements x body cost. Arithmetic, min/max,
 * comparisons and logic cost 1; loads, casts, constants, variables and the call itself of a math
 * function cost 0; select, being TVM's if_then_else (a call), costs all of its arguments, as
 * compute_flop counts a call's arguments; a reduction costs the
 * product of its reduce extents x (1 for the combiner + the source). Like AutoTVM, a stage read
 * along several paths from the outputs is counted once per path. Also the largest reduction and
 * the narrowest float rounding of an instance, which set the tolerance of comparing outputs. */
#include "lang/inst.h"
#include <stdlib.h>

static double cost(const Expr *e, const Stage *s) {
    switch (e->kind) {
    case EX_CONST:
    case EX_VAR:
    case EX_LOAD:
        return 0;
    case EX_CAST:
    case EX_CALL:
        return cost(e->a, s);
    case EX_UNARY:
        return 1 + cost(e->a, s); /* TVM builds -x as x * -1 */
    case EX_BINARY:
        return (e->op == OP_POW ? 0 : 1) + cost(e->a, s) + cost(e->b, s); /* pow is a call */
    case EX_SELECT:
        return cost(e->a, s) + cost(e->b, s) + cost(e->c, s);
    case EX_REDUCE: {
        double n = 1;
        for (int i = s->ndim; i < s->ndim + s->nreduce; i++) n *= (double)s->axes[i].extent;
        return n * (1 + cost(e->a, s));
    }
    }
    return 0;
}

/* Adds total[j] once for each distinct stage j that e reads: mark[j] == reader says j was
 * already counted for this reader, so no per-reader reset (quadratic in the stage count). */
typedef struct Reads {
    int *mark, reader;
    const double *total;
    double sum;
} Reads;

static void collect(const Expr *e, Reads *r) {
    if (!e) return;
    if (e->kind == EX_LOAD) {
        if (r->mark[e->stage] != r->reader) {
            r->mark[e->stage] = r->reader;
            r->sum += r->total[e->stage];
        }
        for (int i = 0; i < e->nargs; i++) collect(e->args[i], r);
    }
    collect(e->a, r);
    collect(e->b, r);
    collect(e->c, r);
}

double inst_flops(const Inst *in) {
    if (in->nstages == 0) return 0;
    /* total[i]: flops of stage i plus, per path, of everything it reads. Stages only read
     * earlier stages, so one pass in order fills it, however many paths the DAG has. */
    double *total = malloc(sizeof(double) * (size_t)in->nstages);
    int *mark = malloc(sizeof(int) * (size_t)in->nstages);
    double r = 0;
    if (total && mark) {
        for (int i = 0; i < in->nstages; i++) mark[i] = -1;
        for (int i = 0; i < in->nstages; i++) {
            const Stage *s = &in->stages[i];
            total[i] = 0;
            if (s->kind != STAGE_COMPUTE) continue;
            /* the distinct tensors this stage reads (TVM's input_tensors) */
            Reads reads = {.mark = mark, .reader = i, .total = total};
            collect(s->body, &reads);
            total[i] = (double)stage_size(s) * cost(s->body, s) + reads.sum;
            if (s->is_output) r += total[i];
        }
    }
    free(total);
    free(mark);
    return r;
}

static bool rounds_f32(const Expr *e) {
    if (!e) return false;
    if (e->dtype == DT_FLOAT32 && e->kind != EX_CONST && e->kind != EX_VAR && e->kind != EX_LOAD)
        return true;
    for (int i = 0; i < e->nargs; i++)
        if (rounds_f32(e->args[i])) return true;
    return rounds_f32(e->a) || rounds_f32(e->b) || rounds_f32(e->c);
}

DType inst_float_precision(const Inst *in) {
    for (int s = 0; s < in->nstages; s++)
        if (in->stages[s].kind == STAGE_COMPUTE && rounds_f32(in->stages[s].body))
            return DT_FLOAT32;
    return DT_FLOAT64;
}

int64_t inst_max_reduction(const Inst *in) {
    int64_t r = 1;
    for (int s = 0; s < in->nstages; s++) {
        const Stage *st = &in->stages[s];
        if (st->kind != STAGE_COMPUTE) continue;
        int64_t p = 1;
        for (int k = 0; k < st->nreduce; k++) p *= st->axes[st->ndim + k].extent;
        if (p > r) r = p;
    }
    return r;
}
