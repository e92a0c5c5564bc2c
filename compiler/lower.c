/* The lowering pipeline: instance + config -> schedule data -> bounds -> loop nest -> passes.
 * Reads like the list it is; the IR is verified after every step when asked. */
#include "compiler/lower_int.h"
#include <string.h>

typedef struct Pass {
    const char *name;
    void (*run)(Arena *a, IrFunc *f);
} Pass;

static const Pass PIPELINE[] = {
    {"unit_loops", pass_unit_loops}, /* TVM prints no loop of extent 1 */
    {"simplify", pass_simplify},     /* affine indices, constant guards gone */
    {"unroll", pass_unroll},         /* small unrolled loops replicated */
    {"simplify", pass_simplify},     /* constant indices in the unrolled copies */
    {"vectorize", pass_vectorize},   /* guarded vector loops split, illegal ones serial */
    {"parallel", pass_parallel},     /* one level of threads */
    {"unswitch", pass_unswitch},     /* invariant guards tested outside the loops (full tiles) */
    {"simplify", pass_simplify},
};

bool lower_is_pass(const char *name) {
    for (size_t i = 0; i < sizeof PIPELINE / sizeof *PIPELINE; i++)
        if (strcmp(PIPELINE[i].name, name) == 0) return true;
    return strcmp(name, "build") == 0;
}

void lower_pass_names(char *buf, size_t size) {
    const char *names[sizeof PIPELINE / sizeof *PIPELINE + 1] = {"build"};
    size_t n = 1;
    for (size_t i = 0; i < sizeof PIPELINE / sizeof *PIPELINE; i++) {
        bool seen = false;
        for (size_t j = 0; j < n; j++) seen = seen || strcmp(names[j], PIPELINE[i].name) == 0;
        if (!seen) names[n++] = PIPELINE[i].name;
    }
    size_t len = 0;
    buf[0] = 0;
    for (size_t i = 0; i < n && len < size; i++)
        len += (size_t)snprintf(buf + len, size - len, "%s%s",
                                i == 0      ? ""
                                : i + 1 < n ? ", "
                                            : " or ",
                                names[i]);
}

static void check(const IrFunc *f, const LowerOptions *opt, const char *after) {
    if (opt && opt->verify) {
        char why[512];
        if (!ir_verify(f, why, sizeof why)) TEC_BUG("IR invalid after %s: %s", after, why);
    }
    if (opt && opt->dump_after && strcmp(opt->dump_after, after) == 0) {
        fprintf(stderr, "// after %s\n", after);
        ir_print(stderr, f);
    }
}

static IrFunc *new_func(Arena *a, const Inst *in, IrBuf ***inst_buf) {
    IrFunc *f = ARENA_NEW(a, IrFunc);
    f->name = in->name;
    f->nargs = in->nargs;
    f->args = ARENA_ARRAY(a, IrBuf *, in->nargs ? in->nargs : 1);
    *inst_buf = ARENA_ARRAY(a, IrBuf *, in->nstages ? in->nstages : 1);
    for (int i = 0; i < in->nargs; i++) {
        const Stage *st = &in->stages[in->args[i]];
        IrBuf *b = ir_buf(a, st->name, st->dtype, stage_size(st), BUF_ARG, i);
        b->readonly = st->kind == STAGE_PLACEHOLDER;
        f->args[i] = b;
        (*inst_buf)[in->args[i]] = b;
    }
    return f;
}

/* The schedule with bounds inferred, and the lowering context that holds them. */
static Sched *schedule(LowerCtx *c, Arena *a, Diag *d, const Inst *in, const Config *cfg) {
    Sched *s = sched_build(a, d, in, cfg);
    if (!s) return NULL;
    *c = (LowerCtx){.a = a, .d = d, .in = in, .s = s, .watch = -1};
    c->f = new_func(a, in, &c->inst_buf);
    c->low = ARENA_ARRAY(a, StageLow, s->nstages ? s->nstages : 1);
    return lower_bound_infer(c) ? s : NULL;
}

IrFunc *lower(Arena *a, Diag *d, const Inst *in, const Config *cfg, const LowerOptions *opt) {
    LowerCtx c;
    if (!schedule(&c, a, d, in, cfg)) return NULL;
    c.f->body = lower_build_nest(&c);
    check(c.f, opt, "build");
    const char *stop = opt ? opt->stop_after : NULL;
    if (stop && strcmp(stop, "build") == 0) return c.f;
    for (size_t i = 0; i < sizeof PIPELINE / sizeof *PIPELINE; i++) {
        PIPELINE[i].run(a, c.f);
        check(c.f, opt, PIPELINE[i].name);
        if (stop && strcmp(stop, PIPELINE[i].name) == 0) break;
    }
    return c.f;
}

Sched *lower_sched(Arena *a, Diag *d, const Inst *in, const Config *cfg) {
    LowerCtx c;
    return schedule(&c, a, d, in, cfg);
}
