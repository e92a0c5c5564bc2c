/* Unit checks of lowering's parts that the end-to-end tests reach only indirectly:
 * - simplify never changes a value: random int64 index expressions (affine terms, floor
 *   division and modulo by constants of either sign and by zero, min/max, selects, comparisons,
 *   int8 / uint8 arithmetic and comparisons that wrap) over loop variables, evaluated by the IR
 *   interpreter before and after pass_simplify;
 * - simplify does the rewrites codegen relies on (affine flattening, div/mod of split indices
 *   and of a lane tile inside a block, fused indices recombined, guards decided by loop ranges,
 *   in int64 and in int32 when nothing wraps);
 * - unswitch hoists the ifs a loop cannot change out of it, one version per condition, keeps
 *   ifs that depend on the loop or read memory, respects its budget and never changes a value;
 * - ir_verify rejects each broken invariant. */
#include "tests/lib/testlib.h"
#include "compiler/passes.h"
#include "tests/ir_interp.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng = 88172645463325252ull;
static int64_t rnd(int64_t n) {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (int64_t)(rng % (uint64_t)n);
}

enum { NV = 3 };
static const int64_t EXT[NV] = {4, 7, 5};

static IrExpr *gen(Arena *a, IrVar **v, int depth) {
    if (depth <= 0 || rnd(4) == 0) return rnd(3) ? ir_var(a, v[rnd(NV)]) : ir_int(a, rnd(21) - 10);
    IrExpr *x = gen(a, v, depth - 1);
    switch (rnd(11)) {
    case 0:
        return ir_binary(a, OP_ADD, x, gen(a, v, depth - 1));
    case 1:
        return ir_binary(a, OP_SUB, x, gen(a, v, depth - 1));
    case 2:
        return ir_binary(a, OP_MUL, x, ir_int(a, rnd(9) - 4));
    case 3:
        return ir_binary(a, OP_DIV, x, ir_int(a, rnd(11) - 3));
    case 4:
        return ir_binary(a, OP_MOD, x, ir_int(a, rnd(11) - 3));
    case 5:
        return ir_binary(a, rnd(2) ? OP_MIN : OP_MAX, x, gen(a, v, depth - 1));
    case 6: {
        Op cmp = (Op)(OP_LT + rnd(6));
        return ir_select(a, ir_binary(a, cmp, x, gen(a, v, depth - 1)), gen(a, v, depth - 1),
                         gen(a, v, depth - 1));
    }
    case 7:
        return ir_unary(a, OP_NEG, x);
    case 8:
        return ir_binary(a, OP_MUL, x, gen(a, v, 1));
    case 9: { /* narrow integers wrap early: their ranges hold only when nothing wrapped */
        DType t = rnd(2) ? DT_INT8 : DT_UINT8;
        IrExpr *y = ir_cast(a, t, gen(a, v, depth - 1));
        IrExpr *n = ir_binary(a, rnd(2) ? OP_ADD : OP_MUL, ir_cast(a, t, x), y);
        if (rnd(2)) {
            IrExpr *k = ir_cast(a, t, ir_int(a, rnd(300) - 50));
            n = ir_select(a, ir_binary(a, (Op)(OP_LT + rnd(6)), n, k), n, y);
        }
        return ir_cast(a, DT_INT64, n);
    }
    default:
        return ir_binary(a, OP_ADD, ir_binary(a, OP_MUL, x, ir_int(a, EXT[1])), gen(a, v, 1));
    }
}

/* for v0, v1, v2: out[flat] = e */
static IrFunc *func_of(Arena *a, IrExpr *(*make)(Arena *, IrVar **, void *), void *ud, int64_t *n) {
    IrFunc *f = ARENA_NEW(a, IrFunc);
    f->name = "t";
    IrVar *v[NV];
    for (int i = 0; i < NV; i++) v[i] = ir_new_var(a, f, (const char *[]){"x", "y", "z"}[i]);
    IrBuf *out = ARENA_NEW(a, IrBuf);
    *n = EXT[0] * EXT[1] * EXT[2];
    *out = (IrBuf){"out", DT_INT64, *n, BUF_ARG, 0, false};
    f->args = ARENA_ARRAY(a, IrBuf *, 1);
    f->args[0] = out;
    f->nargs = 1;
    IrExpr *flat = ir_binary(
        a, OP_ADD,
        ir_binary(a, OP_MUL,
                  ir_binary(a, OP_ADD, ir_binary(a, OP_MUL, ir_var(a, v[0]), ir_int(a, EXT[1])),
                            ir_var(a, v[1])),
                  ir_int(a, EXT[2])),
        ir_var(a, v[2]));
    IrStmt *s = ir_store(a, out, flat, make(a, v, ud));
    for (int i = NV - 1; i >= 0; i--)
        s = ir_for(a, v[i], ir_int(a, 0), ir_int(a, EXT[i]), FOR_SERIAL, s);
    f->body = s;
    return f;
}

static IrExpr *make_random(Arena *a, IrVar **v, void *ud) {
    (void)ud;
    return gen(a, v, 5);
}

static void test_simplify_preserves_values(void) {
    int bad = 0;
    for (int t = 0; t < 3000 && bad < 5; t++) {
        Arena *a = arena_new();
        int64_t n;
        uint64_t saved = rng;
        IrFunc *f = func_of(a, make_random, NULL, &n);
        rng = saved;
        IrFunc *g = func_of(a, make_random, NULL, &n); /* same expression, simplified below */
        pass_simplify(a, g);
        char why[256];
        CHECK(ir_verify(g, why, sizeof why));
        int64_t *x = calloc((size_t)n, 8), *y = calloc((size_t)n, 8);
        void *ax[1] = {x}, *ay[1] = {y};
        bool okx = ir_interp_run(f, ax, why, sizeof why),
             oky = ir_interp_run(g, ay, why, sizeof why);
        if (!okx || !oky || memcmp(x, y, (size_t)n * 8) != 0) {
            bad++;
            fprintf(stderr, "simplify changed a value:\n");
            ir_print(stderr, f);
            ir_print(stderr, g);
        }
        free(x);
        free(y);
        arena_free(a);
    }
    CHECK(bad == 0);
}

/* print the simplified store value of for-nest f */
static char *value_text(Arena *a, IrExpr *(*make)(Arena *, IrVar **, void *)) {
    int64_t n;
    IrFunc *f = func_of(a, make, NULL, &n);
    pass_simplify(a, f);
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    ir_print(m, f);
    fclose(m);
    char *line = strstr(buf, "out[");
    char *eq = line ? strstr(line, " = ") : NULL;
    char *res = arena_strdup(a, eq ? eq + 3 : "?");
    char *nl = strchr(res, '\n');
    if (nl) *nl = 0;
    free(buf);
    return res;
}

/* (hi*m + lo) / k * 100 + (hi*m + lo) % k */
static IrExpr *div_mod_sum(Arena *a, IrVar *hi, int64_t m, IrVar *lo, int64_t k) {
    IrExpr *s =
        ir_binary(a, OP_ADD, ir_binary(a, OP_MUL, ir_var(a, hi), ir_int(a, m)), ir_var(a, lo));
    return ir_binary(a, OP_ADD,
                     ir_binary(a, OP_MUL, ir_binary(a, OP_DIV, s, ir_int(a, k)), ir_int(a, 100)),
                     ir_binary(a, OP_MOD, s, ir_int(a, k)));
}
/* (x*7 + y) / 7 and % 7, with y in [0, 7): x and y */
static IrExpr *m_div(Arena *a, IrVar **v, void *ud) {
    (void)ud;
    return div_mod_sum(a, v[0], 7, v[1], 7);
}
/* (y*4 + x) / 8 and % 8, x in [0, 4): a tile of 4 lanes in a block of 8 reads y / 2 and
   (y % 2)*4 + x, so a vector load stays affine in its lane */
static IrExpr *m_divisor(Arena *a, IrVar **v, void *ud) {
    (void)ud;
    return div_mod_sum(a, v[1], 4, v[0], 8);
}
/* f / 5 * 5 + f % 5 with f = z*3 + x: f again */
static IrExpr *m_fused(Arena *a, IrVar **v, void *ud) {
    (void)ud;
    IrExpr *f =
        ir_binary(a, OP_ADD, ir_binary(a, OP_MUL, ir_var(a, v[2]), ir_int(a, 3)), ir_var(a, v[0]));
    return ir_binary(a, OP_ADD,
                     ir_binary(a, OP_MUL, ir_binary(a, OP_DIV, f, ir_int(a, 5)), ir_int(a, 5)),
                     ir_binary(a, OP_MOD, f, ir_int(a, 5)));
}
/* ((x + 1) * 2 - x) * 1 + 0: x + 2 */
static IrExpr *m_affine(Arena *a, IrVar **v, void *ud) {
    (void)ud;
    IrExpr *x = ir_var(a, v[0]);
    IrExpr *e = ir_binary(
        a, OP_SUB, ir_binary(a, OP_MUL, ir_binary(a, OP_ADD, x, ir_int(a, 1)), ir_int(a, 2)), x);
    return ir_binary(a, OP_ADD, ir_binary(a, OP_MUL, e, ir_int(a, 1)), ir_int(a, 0));
}
/* select(x*5 + z < 20, 1, 2) with x < 4, z < 5: always 1; min(y, 6) with y < 7: y */
static IrExpr *m_guard(Arena *a, IrVar **v, void *ud) {
    (void)ud;
    IrExpr *c = ir_binary(
        a, OP_LT,
        ir_binary(a, OP_ADD, ir_binary(a, OP_MUL, ir_var(a, v[0]), ir_int(a, 5)), ir_var(a, v[2])),
        ir_int(a, 20));
    return ir_binary(a, OP_ADD, ir_select(a, c, ir_int(a, 1), ir_int(a, 2)),
                     ir_binary(a, OP_MIN, ir_var(a, v[1]), ir_int(a, 6)));
}

/* The same guard in int32, as a template's lambda variables write it: int32(x)*5 + int32(z) <
   20, decided; and select(int32(x * 2^30) < 0, 1, 2), where x = 2 and 3 wrap: kept. */
static IrExpr *m_guard32(Arena *a, IrVar **v, void *ud) {
    (void)ud;
    IrExpr *c = ir_binary(a, OP_LT,
                          ir_binary(a, OP_ADD,
                                    ir_binary(a, OP_MUL, ir_cast(a, DT_INT32, ir_var(a, v[0])),
                                              ir_cast(a, DT_INT32, ir_int(a, 5))),
                                    ir_cast(a, DT_INT32, ir_var(a, v[2]))),
                          ir_cast(a, DT_INT32, ir_int(a, 20)));
    IrExpr *w = ir_binary(
        a, OP_LT,
        ir_cast(a, DT_INT32, ir_binary(a, OP_MUL, ir_var(a, v[0]), ir_int(a, (int64_t)1 << 30))),
        ir_cast(a, DT_INT32, ir_int(a, 0)));
    return ir_binary(a, OP_ADD, ir_select(a, c, ir_int(a, 1), ir_int(a, 2)),
                     ir_select(a, w, ir_int(a, 10), ir_int(a, 20)));
}

static void test_simplify_rewrites(void) {
    Arena *a = arena_new();
    const char *s;
    s = value_text(a, m_div);
    CHECK(strcmp(s, "((x*100) + y)") == 0);
    if (strcmp(s, "((x*100) + y)")) fprintf(stderr, "  got %s\n", s);
    s = value_text(a, m_divisor);
    CHECK(strcmp(s, "(((floordiv(y, 2)*100) + (floormod(y, 2)*4)) + x)") == 0);
    if (strcmp(s, "(((floordiv(y, 2)*100) + (floormod(y, 2)*4)) + x)"))
        fprintf(stderr, "  got %s\n", s);
    s = value_text(a, m_fused);
    CHECK(strcmp(s, "((z*3) + x)") == 0);
    if (strcmp(s, "((z*3) + x)")) fprintf(stderr, "  got %s\n", s);
    s = value_text(a, m_affine);
    CHECK(strcmp(s, "(x + 2)") == 0);
    if (strcmp(s, "(x + 2)")) fprintf(stderr, "  got %s\n", s);
    s = value_text(a, m_guard);
    CHECK(strcmp(s, "(y + 1)") == 0);
    if (strcmp(s, "(y + 1)")) fprintf(stderr, "  got %s\n", s);
    s = value_text(a, m_guard32); /* the first select is 1, the wrapping one stays */
    const char *sel = strstr(s, "select("), *end = s + strlen(s);
    bool ok32 = sel && !strstr(sel + 1, "select(") && strstr(sel, ", 10, 20)") && strlen(s) > 5 &&
                strcmp(end - 5, " + 1)") == 0;
    CHECK(ok32);
    if (!ok32) fprintf(stderr, "  got %s\n", s);
    arena_free(a);
}

/* A small valid function to break in one way at a time. */
typedef struct Fx {
    Arena *a;
    IrFunc *f;
    IrVar *i;
    IrBuf *in, *out, *tmp;
} Fx;

static Fx fixture(void) {
    Fx x = {.a = arena_new()};
    Arena *a = x.a;
    x.f = ARENA_NEW(a, IrFunc);
    x.f->name = "k";
    x.in = ARENA_NEW(a, IrBuf);
    *x.in = (IrBuf){"A", DT_FLOAT32, 8, BUF_ARG, 0, true};
    x.out = ARENA_NEW(a, IrBuf);
    *x.out = (IrBuf){"B", DT_FLOAT32, 8, BUF_ARG, 1, false};
    x.tmp = ARENA_NEW(a, IrBuf);
    *x.tmp = (IrBuf){"T", DT_FLOAT32, 8, BUF_LOCAL, -1, false};
    x.f->args = ARENA_ARRAY(a, IrBuf *, 2);
    x.f->args[0] = x.in;
    x.f->args[1] = x.out;
    x.f->nargs = 2;
    x.i = ir_new_var(a, x.f, "i");
    return x;
}

static bool verifies(Fx *x, IrStmt *body) {
    x->f->body = body;
    char why[256];
    bool ok = ir_verify(x->f, why, sizeof why);
    arena_free(x->a);
    return ok;
}

static void test_verify(void) {
    Fx x = fixture();
    Arena *a = x.a;
    IrExpr *iv = ir_var(a, x.i);
    /* valid: for i: B[i] = A[i] * 2 */
    CHECK(verifies(&x, ir_for(a, x.i, ir_int(a, 0), ir_int(a, 8), FOR_SERIAL,
                              ir_store(a, x.out, iv,
                                       ir_binary(a, OP_MUL, ir_load(a, x.in, iv),
                                                 ir_const(a, DT_FLOAT32, 0, 2.0))))));
    /* variable out of scope */
    x = fixture();
    a = x.a;
    CHECK(!verifies(&x, ir_store(a, x.out, ir_var(a, x.i), ir_load(a, x.in, ir_int(a, 0)))));
    /* store to an input */
    x = fixture();
    a = x.a;
    CHECK(!verifies(&x, ir_store(a, x.in, ir_int(a, 0), ir_const(a, DT_FLOAT32, 0, 1.0))));
    /* value dtype differs from the buffer's */
    x = fixture();
    a = x.a;
    CHECK(!verifies(&x, ir_store(a, x.out, ir_int(a, 0), ir_const(a, DT_FLOAT64, 0, 1.0))));
    /* local buffer used outside its allocation */
    x = fixture();
    a = x.a;
    CHECK(!verifies(&x, ir_store(a, x.tmp, ir_int(a, 0), ir_const(a, DT_FLOAT32, 0, 1.0))));
    /* ... and inside it: fine */
    x = fixture();
    a = x.a;
    CHECK(verifies(
        &x, ir_alloc(a, x.tmp, ir_store(a, x.tmp, ir_int(a, 0), ir_const(a, DT_FLOAT32, 0, 1.0)))));
    /* a variable bound twice */
    x = fixture();
    a = x.a;
    {
        IrStmt *l = ir_for(a, x.i, ir_int(a, 0), ir_int(a, 8), FOR_SERIAL,
                           ir_store(a, x.out, ir_var(a, x.i), ir_const(a, DT_FLOAT32, 0, 1.0)));
        IrStmt **two = ARENA_ARRAY(a, IrStmt *, 2);
        two[0] = two[1] = l;
        CHECK(!verifies(&x, ir_block(a, two, 2)));
    }
    /* vectorized loop of non-constant extent */
    x = fixture();
    a = x.a;
    {
        IrVar *j = ir_new_var(a, x.f, "j");
        IrStmt *inner = ir_for(a, j, ir_int(a, 0), ir_var(a, x.i), FOR_VECTORIZED,
                               ir_store(a, x.out, ir_var(a, j), ir_const(a, DT_FLOAT32, 0, 1.0)));
        CHECK(!verifies(&x, ir_for(a, x.i, ir_int(a, 0), ir_int(a, 8), FOR_SERIAL, inner)));
    }
    /* constant index out of bounds; int32 index */
    x = fixture();
    a = x.a;
    CHECK(!verifies(&x, ir_store(a, x.out, ir_int(a, 8), ir_const(a, DT_FLOAT32, 0, 1.0))));
    x = fixture();
    a = x.a;
    CHECK(!verifies(
        &x, ir_store(a, x.out, ir_const(a, DT_INT32, 1, 0), ir_const(a, DT_FLOAT32, 0, 1.0))));
    /* operands of different dtypes; an if on a non-bool */
    x = fixture();
    a = x.a;
    CHECK(!verifies(&x, ir_store(a, x.out, ir_int(a, 0),
                                 ir_binary(a, OP_ADD, ir_const(a, DT_FLOAT32, 0, 1.0),
                                           ir_const(a, DT_FLOAT64, 0, 1.0)))));
    x = fixture();
    a = x.a;
    CHECK(!verifies(&x, ir_if(a, ir_int(a, 1),
                              ir_store(a, x.out, ir_int(a, 0), ir_const(a, DT_FLOAT32, 0, 1.0)),
                              NULL)));
}

/* ---- unswitch ---- */

typedef struct Nest {
    Arena *a;
    IrFunc *f;
    IrVar *i, *j, *k;
    IrBuf *in, *out;
    IrExpr *at; /* out's index i*20 + j*5 + k */
} Nest;

static IrStmt *add_to_out(Nest *x, int64_t v) {
    Arena *a = x->a;
    return ir_store(a, x->out, x->at,
                    ir_binary(a, OP_ADD, ir_load(a, x->out, x->at), ir_int(a, v)));
}

static IrExpr *less(Arena *a, IrVar *v, int64_t n) {
    return ir_binary(a, OP_LT, ir_var(a, v), ir_int(a, n));
}

/* for i < 6, j < 4, k < 5 (out[i][j][k] int64, A[4] int64 input):
 *   out = 0; pad times out += 0
 *   if (j < 3) out += 1 else out += 2   invariant in k: out of k, stops at j
 *   if (k < 2) out += 4                 reads k: stays
 *   if (j < 3) out += 8                 the same test: decided with the first
 *   if (!(j < 3)) out += 16             its negation: decided too
 *   if (A[j] > 0) out += 32             a load: stays
 *   if (i < 4) out += 64                invariant in k and j: out of both
 *   if (j < 2) out += 128               settled where j < 3 fails: 3 versions over j, not 4 */
static Nest unswitch_nest(int pad) {
    Nest x = {.a = arena_new()};
    Arena *a = x.a;
    x.f = ARENA_NEW(a, IrFunc);
    x.f->name = "u";
    x.in = ir_buf(a, "A", DT_INT64, 4, BUF_ARG, 0);
    x.in->readonly = true;
    x.out = ir_buf(a, "out", DT_INT64, 120, BUF_ARG, 1);
    x.f->args = ARENA_ARRAY(a, IrBuf *, 2);
    x.f->args[0] = x.in;
    x.f->args[1] = x.out;
    x.f->nargs = 2;
    x.i = ir_new_var(a, x.f, "i");
    x.j = ir_new_var(a, x.f, "j");
    x.k = ir_new_var(a, x.f, "k");
    x.at = ir_binary(a, OP_ADD,
                     ir_binary(a, OP_ADD, ir_binary(a, OP_MUL, ir_var(a, x.i), ir_int(a, 20)),
                               ir_binary(a, OP_MUL, ir_var(a, x.j), ir_int(a, 5))),
                     ir_var(a, x.k));
    int n = 0;
    IrStmt **body = ARENA_ARRAY(a, IrStmt *, pad + 8);
    body[n++] = ir_store(a, x.out, x.at, ir_int(a, 0));
    for (int p = 0; p < pad; p++) body[n++] = add_to_out(&x, 0);
    body[n++] = ir_if(a, less(a, x.j, 3), add_to_out(&x, 1), add_to_out(&x, 2));
    body[n++] = ir_if(a, less(a, x.k, 2), add_to_out(&x, 4), NULL);
    body[n++] = ir_if(a, less(a, x.j, 3), add_to_out(&x, 8), NULL);
    body[n++] = ir_if(a, ir_unary(a, OP_NOT, less(a, x.j, 3)), add_to_out(&x, 16), NULL);
    body[n++] = ir_if(a, ir_binary(a, OP_GT, ir_load(a, x.in, ir_var(a, x.j)), ir_int(a, 0)),
                      add_to_out(&x, 32), NULL);
    body[n++] = ir_if(a, less(a, x.i, 4), add_to_out(&x, 64), NULL);
    body[n++] = ir_if(a, less(a, x.j, 2), add_to_out(&x, 128), NULL);
    IrStmt *s = ir_block(a, body, n);
    s = ir_for(a, x.k, ir_int(a, 0), ir_int(a, 5), FOR_SERIAL, s);
    s = ir_for(a, x.j, ir_int(a, 0), ir_int(a, 4), FOR_SERIAL, s);
    x.f->body = ir_for(a, x.i, ir_int(a, 0), ir_int(a, 6), FOR_PARALLEL, s);
    return x;
}

static bool names(const IrExpr *e, const char *var) {
    if (!e) return false;
    if (e->kind == IE_VAR) return strcmp(e->var->name, var) == 0;
    return names(e->a, var) || names(e->b, var) || names(e->c, var);
}

static bool loads(const IrExpr *e) {
    return e && (e->kind == IE_LOAD || loads(e->a) || loads(e->b) || loads(e->c));
}

typedef struct IfCount {
    int ifs, loops_k, kept; /* kept: ifs inside a k loop that k cannot change */
} IfCount;

static void count_ifs(const IrStmt *s, bool in_k, IfCount *c) {
    if (!s) return;
    switch (s->kind) {
    case IS_FOR:
        if (strcmp(s->var->name, "k") == 0) c->loops_k++, in_k = true;
        count_ifs(s->body, in_k, c);
        return;
    case IS_IF:
        c->ifs++;
        if (in_k && !names(s->cond, "k") && !loads(s->cond)) c->kept++;
        count_ifs(s->body, in_k, c);
        count_ifs(s->orelse, in_k, c);
        return;
    case IS_BLOCK:
        for (int i = 0; i < s->n; i++) count_ifs(s->stmts[i], in_k, c);
        return;
    case IS_LET:
    case IS_ALLOC:
        count_ifs(s->body, in_k, c);
        return;
    case IS_STORE:
        return;
    }
}

/* Unswitch (then simplify) the nest: the counts, and the same outputs as before. */
static IfCount unswitched(int pad) {
    Nest x = unswitch_nest(pad), y = unswitch_nest(pad);
    pass_unswitch(y.a, y.f);
    pass_simplify(y.a, y.f);
    char why[256] = "";
    CHECK(ir_verify(y.f, why, sizeof why), "unswitched IR invalid: %s", why);
    int64_t in[4] = {1, -1, 2, 0}, want[120], got[120];
    void *ax[2] = {in, want}, *ay[2] = {in, got};
    CHECK(ir_interp_run(x.f, ax, why, sizeof why), "%s", why);
    CHECK(ir_interp_run(y.f, ay, why, sizeof why), "%s", why);
    CHECK(memcmp(want, got, sizeof want) == 0, "unswitch changed a value");
    IfCount c = {0};
    count_ifs(y.f->body, false, &c);
    arena_free(x.a);
    arena_free(y.a);
    return c;
}

static void test_unswitch(void) {
    /* i < 4 outside j (2 copies of j), j < 3 then j < 2 outside k in each (3 copies of k:
     * j < 2 is false where j < 3 is), each k loop keeping its k < 2 and A[j] > 0 tests:
     * 1 + 2 * 2 + 6 * 2 ifs, none invariant inside k */
    IfCount c = unswitched(0);
    CHECK_INT(c.loops_k, 6);
    CHECK_INT(c.kept, 0);
    CHECK_INT(c.ifs, 17);
    /* a k body of 600 statements is past the budget: nothing copied, every test stays */
    c = unswitched(600);
    CHECK_INT(c.loops_k, 1);
    CHECK_INT(c.kept, 5);
    CHECK_INT(c.ifs, 7);
}

int main(void) {
    test_simplify_preserves_values();
    test_simplify_rewrites();
    test_verify();
    test_unswitch();
    return test_report("lower_unit");
}
