/* The bound instance as lowering, the evaluator and the space read it: stage and axis indices,
 * kernel arguments, inserted casts and typed constants, knob fields (candidates, intervals,
 * stage refs), schedule statements, flops and the prototype. */
#include "tests/lib/testlib.h"
#include "lang/inst.h"
#include <stdlib.h>
#include <string.h>

static Arena *arena;
static Diag diag;
static FILE *diag_out; /* where errors go: stderr, or /dev/null for the expected ones */

static Inst *bind(const char *src, const char *tname, const Define *defs, int ndefs) {
    diag_init(&diag, "test.te", src, strlen(src));
    diag.out = diag_out;
    return test_bind(arena, &diag, tname, defs, ndefs);
}

static const char MATMUL[] = "template matmul(N, L, M, dtype = float32) {\n"
                             "    A = placeholder((N, L), dtype)\n"
                             "    B = placeholder((L, M), dtype)\n"
                             "    k = reduce_axis(0, L)\n"
                             "    C = compute((N, M), (i, j) => sum(A[i, k] * B[k, j], k))\n"
                             "    schedule C {\n"
                             "        knob tile_y = split(i, 2)\n"
                             "        knob tile_x = split(j, 2)\n"
                             "        split i -> yo, yi by tile_y\n"
                             "        split j -> xo, xi by tile_x\n"
                             "        reorder yo, xo, k, yi, xi\n"
                             "    }\n"
                             "}\n";

static void test_matmul(void) {
    Define defs[] = {{"N", "512"}, {"L", "256"}, {"M", "128"}, {"dtype", "float64"}};
    Inst *in = bind(MATMUL, NULL, defs, 4);
    CHECK(in);
    if (!in) return;
    CHECK(strcmp(in->name, "matmul") == 0);
    CHECK(in->nparams == 4 && in->params[3].is_dtype && in->params[3].dtype == DT_FLOAT64);
    CHECK(!in->params[0].is_dtype && in->params[0].ival == 512);
    CHECK(in->nstages == 3 && in->nargs == 3);
    CHECK(in->args[0] == 0 && in->args[1] == 1 && in->args[2] == 2);
    const Stage *A = &in->stages[0], *C = &in->stages[2];
    CHECK(A->kind == STAGE_PLACEHOLDER && A->dtype == DT_FLOAT64 && A->arg_index == 0);
    CHECK(A->ndim == 2 && A->shape[0] == 512 && A->shape[1] == 256 && !A->is_output);
    CHECK(C->kind == STAGE_COMPUTE && C->is_output && C->arg_index == 2 && C->dtype == DT_FLOAT64);
    CHECK(C->ndim == 2 && C->nreduce == 1 && stage_size(C) == 512 * 128);
    CHECK(strcmp(C->axes[2].name, "k") == 0 && C->axes[2].reduce && C->axes[2].extent == 256);
    CHECK(!C->axes[0].reduce && C->axes[1].extent == 128);
    const Expr *b = C->body;
    CHECK(b->kind == EX_REDUCE && b->rop == RED_SUM && b->dtype == DT_FLOAT64);
    const Expr *mul = b->a;
    CHECK(mul->kind == EX_BINARY && mul->op == OP_MUL);
    CHECK(mul->a->kind == EX_LOAD && mul->a->stage == 0 && mul->a->nargs == 2);
    CHECK(mul->a->args[0]->kind == EX_VAR && mul->a->args[0]->axis == 0);
    CHECK(mul->a->args[1]->kind == EX_VAR && mul->a->args[1]->axis == 2);
    CHECK(mul->a->args[1]->dtype == DT_INT32);
    CHECK(in->nknobs == 2);
    const Knob *ty = &in->knobs[0];
    CHECK(ty->kind == KNOB_SPLIT && ty->policy == POL_FACTORS && ty->nouts == 2);
    CHECK(strcmp(ty->axis, "i") == 0 && ty->extent == 512 && ty->max_factor == 0);
    CHECK(ty->stage.stage == 2 && !ty->stage.cache);
    CHECK(in->nscheds == 1 && in->scheds[0].nstmts == 5);
    const SStmt *s = in->scheds[0].stmts;
    CHECK(s[0].kind == SS_KNOB && s[0].knob == 0 && s[1].kind == SS_KNOB && s[1].knob == 1);
    CHECK(s[2].kind == SS_SPLIT && s[2].knob == 0 && s[2].nouts == 2 && !s[2].nparts);
    CHECK(strcmp(s[2].axis, "i") == 0 && strcmp(s[2].outs[1], "yi") == 0);
    CHECK(s[4].kind == SS_REORDER && s[4].knob == -1 && s[4].naxes == 5);
    CHECK(strcmp(s[4].axes[2], "k") == 0);
    CHECK(inst_flops(in) == 2.0 * 512 * 256 * 128);
    CHECK(strcmp(inst_prototype(arena, in),
                 "void matmul(const double *A, const double *B, double *C);") == 0);
}

static void test_schedule_data(void) {
    static const char src[] =
        "template t(N = 32) {\n"
        "    A = placeholder((N, N), float32)\n"
        "    k = reduce_axis(0, N)\n"
        "    C = compute((N, N), (i, j) => sum(A[i, k] * A[k, j], k))\n"
        "    schedule C {\n"
        "        CC = cache_write()\n"
        "        split i -> io, ii by 8\n"
        "        split j -> jo, ji nparts 4\n"
        "        fuse io, ii -> f\n"
        "    }\n"
        "    schedule CC {\n"
        "        compute_at C.jo\n"
        "        knob s = split(k, 3, policy = candidate, candidate = [[4, 2, 4], [-1, 1, 32]])\n"
        "        knob r = reorder(i, j, k, policy = candidate, candidate = [[k, i, j]])\n"
        "        knob w = reorder(i, j, k, policy = interval_all, interval = (1, 3))\n"
        "        knob u = annotate(i, j, policy = try_unroll)\n"
        "        knob v = [1, 2]\n"
        "        split k -> k0, k1, k2 by s\n"
        "        split j -> jo, ji by v\n"
        "        vectorize ji\n"
        "    }\n"
        "}\n";
    Inst *in = bind(src, NULL, NULL, 0);
    CHECK(in);
    if (!in) return;
    CHECK(in->nscheds == 2);
    CHECK(in->scheds[0].stage.stage == 1 && !in->scheds[0].stage.cache);
    CHECK(in->scheds[1].stage.stage == 1 && in->scheds[1].stage.cache);
    const SStmt *s = in->scheds[0].stmts;
    CHECK(s[0].kind == SS_CACHE_WRITE && strcmp(s[0].outs[0], "CC") == 0);
    CHECK(s[1].kind == SS_SPLIT && s[1].factor == 8 && s[1].knob == -1);
    CHECK(s[2].kind == SS_SPLIT && s[2].factor == 4 && s[2].nparts);
    CHECK(s[3].kind == SS_FUSE && s[3].naxes == 2 && strcmp(s[3].outs[0], "f") == 0);
    const SStmt *c = in->scheds[1].stmts;
    CHECK(c[0].kind == SS_COMPUTE_AT && c[0].target.stage == 1 && !c[0].target.cache);
    CHECK(strcmp(c[0].axis, "jo") == 0);
    CHECK(in->nknobs == 5);
    const Knob *ks = &in->knobs[0], *kr = &in->knobs[1], *kw = &in->knobs[2];
    CHECK(ks->stage.stage == 1 && ks->stage.cache);
    CHECK(ks->kind == KNOB_SPLIT && ks->policy == POL_CANDIDATE && ks->ncand == 2 &&
          ks->nouts == 3);
    CHECK(ks->extent == 32 && strcmp(ks->axis, "k") == 0);
    CHECK(ks->cand[0] == -1 && ks->cand[1] == 2 && ks->cand[2] == 4);
    CHECK(ks->cand[3] == -1 && ks->cand[4] == 1 && ks->cand[5] == 32);
    CHECK(kr->kind == KNOB_REORDER && kr->ncand == 1 && kr->naxes == 3);
    CHECK(kr->cand[0] == 2 && kr->cand[1] == 0 && kr->cand[2] == 1);
    CHECK(kw->policy == POL_INTERVAL_ALL && kw->ib == 1 && kw->ie == 3);
    CHECK(in->knobs[3].kind == KNOB_ANNOTATE && in->knobs[3].policy == POL_TRY_UNROLL);
    CHECK(in->knobs[4].kind == KNOB_LIST && in->knobs[4].nvals == 2 && in->knobs[4].vals[1] == 2);
    const SStmt *last = &in->scheds[1].stmts[in->scheds[1].nstmts - 1];
    CHECK(last->kind == SS_VECTORIZE && strcmp(last->axis, "ji") == 0);
    const SStmt *ks3 = &in->scheds[1].stmts[in->scheds[1].nstmts - 3];
    CHECK(ks3->kind == SS_SPLIT && ks3->knob == 0 && ks3->nouts == 3);
}

static void test_dtypes(void) {
    static const char src[] = "template t(N = 4) {\n"
                              "    D = placeholder((N,), float64)\n"
                              "    I = placeholder((N,), int32)\n"
                              "    F = placeholder((N,), float32)\n"
                              "    X = compute((N,), i => D[i] + 1)\n"
                              "    Y = compute((N,), i => I[i] * F[i])\n"
                              "    Z = compute((N,), i => select(F[i] > 0.5, F[i], 0), int8)\n"
                              "}\n";
    Inst *in = bind(src, NULL, NULL, 0);
    CHECK(in);
    if (!in) return;
    const Expr *x = in->stages[3].body;
    CHECK(x->kind == EX_BINARY && x->dtype == DT_FLOAT64 && x->a->kind == EX_LOAD);
    CHECK(x->b->kind == EX_CONST && x->b->dtype == DT_FLOAT64 && x->b->fval == 1.0);
    const Expr *y = in->stages[4].body;
    CHECK(y->dtype == DT_FLOAT32 && y->a->kind == EX_CAST && y->a->dtype == DT_FLOAT32);
    CHECK(y->a->a->kind == EX_LOAD && y->a->a->dtype == DT_INT32);
    const Expr *z = in->stages[5].body;
    CHECK(in->stages[5].dtype == DT_INT8 && z->kind == EX_CAST && z->a->kind == EX_SELECT);
    CHECK(z->a->a->dtype == DT_BOOL && z->a->a->b->dtype == DT_FLOAT32);
    CHECK(z->a->c->kind == EX_CONST && z->a->c->dtype == DT_FLOAT32 && z->a->c->fval == 0.0);
    /* all three computes are outputs, after the placeholders */
    CHECK(in->nargs == 6 && in->args[3] == 3 && in->args[5] == 5);
}

static void test_outputs_and_flops(void) {
    /* a diamond: B is read by C and D, and D reads C; AutoTVM counts B once per path */
    static const char src[] = "template first() {\n"
                              "    A = placeholder((2,), float32)\n"
                              "    O = compute((2,), i => A[i])\n"
                              "}\n"
                              "template diamond(N = 10) {\n"
                              "    A = placeholder((N,), float32)\n"
                              "    B = compute((N,), i => A[i] * 2.0 + 1.0)\n"
                              "    C = compute((N,), i => B[i] - 3.0)\n"
                              "    D = compute((N,), i => max(B[i], C[i]) / 2.0)\n"
                              "    E = compute((N,), i => -A[i])\n"
                              "}\n";
    Inst *in = bind(src, "diamond", NULL, 0);
    CHECK(in);
    if (!in) return;
    CHECK(!in->stages[1].is_output && in->stages[1].arg_index == -1);
    CHECK(!in->stages[2].is_output && in->stages[3].is_output && in->stages[4].is_output);
    CHECK(in->nargs == 3 && in->args[0] == 0 && in->args[1] == 3 && in->args[2] == 4);
    CHECK(in->stages[3].arg_index == 1 && in->stages[4].arg_index == 2);
    /* D: 10*2 + via B 10*2 + via C (10*1 + B again 10*2); E: 10*1 */
    CHECK(inst_flops(in) == 20 + 20 + 10 + 20 + 10);
    CHECK(strcmp(inst_prototype(arena, in), "void diamond(const float *A, float *D, float *E);") ==
          0);
}

static void test_errors_give_null(void) {
    Define bad[] = {{"N", "abc"}, {"L", "8"}, {"M", "8"}};
    CHECK(bind(MATMUL, NULL, bad, 3) == NULL && diag.nerrors == 1);
    CHECK(bind(MATMUL, NULL, NULL, 0) == NULL && diag.nerrors == 3); /* N, L, M missing */
    Define ok[] = {{"N", "8"}, {"L", "8"}, {"M", "8"}, {"N", "16"}};
    Inst *in = bind(MATMUL, "matmul", ok, 4); /* the last -D wins */
    CHECK(in && in->params[0].ival == 16);
    CHECK(bind(MATMUL, "other", ok, 3) == NULL && diag.nerrors == 1);
}

int main(void) {
    arena = arena_new();
    diag_out = stderr;
    FILE *devnull = fopen("/dev/null", "w");
    test_matmul();
    test_schedule_data();
    test_dtypes();
    test_outputs_and_flops();
    diag_out = devnull;
    test_errors_give_null();
    fclose(devnull);
    arena_free(arena);
    return test_report("sema_api");
}
