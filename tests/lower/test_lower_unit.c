/* Unit checks of lowering's parts that the end-to-end tests reach only indirectly:
 * - simplify never changes a value: random int64 index expressions (affine terms, floor
 *   division and modulo by constants of either sign and by zero, min/max, selects, comparisons)
 *   over loop variables, evaluated by the IR interpreter before and after pass_simplify;
 * - simplify does the rewrites codegen relies on (affine flattening, div/mod of split indices,
 *   fused indices recombined, guards decided by loop ranges, also in int32 arithmetic that
 *   cannot wrap);
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
    switch (rnd(10)) {
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

/* (x*7 + y) / 7 and % 7, with y in [0, 7): x and y */
static IrExpr *m_div(Arena *a, IrVar **v, void *ud) {
    (void)ud;
    IrExpr *s =
        ir_binary(a, OP_ADD, ir_binary(a, OP_MUL, ir_var(a, v[0]), ir_int(a, 7)), ir_var(a, v[1]));
    return ir_binary(a, OP_ADD,
                     ir_binary(a, OP_MUL, ir_binary(a, OP_DIV, s, ir_int(a, 7)), ir_int(a, 100)),
                     ir_binary(a, OP_MOD, s, ir_int(a, 7)));
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

/* select(int32(x)*5 + int32(z) < 20, 1, 2) with x < 4, z < 5: always 1 (int32 arithmetic
   that cannot wrap is decided as int64 is); select(int32(x) * 1000000000 < 0, 10, 20): kept, the
   product wraps for x = 3 */
static IrExpr *m_guard32(Arena *a, IrVar **v, void *ud) {
    (void)ud;
    IrExpr *x = ir_cast(a, DT_INT32, ir_var(a, v[0])), *z = ir_cast(a, DT_INT32, ir_var(a, v[2]));
    IrExpr *c = ir_binary(
        a, OP_LT, ir_binary(a, OP_ADD, ir_binary(a, OP_MUL, x, ir_const(a, DT_INT32, 5, 0)), z),
        ir_const(a, DT_INT32, 20, 0));
    IrExpr *w = ir_binary(a, OP_LT, ir_binary(a, OP_MUL, x, ir_const(a, DT_INT32, 1000000000, 0)),
                          ir_const(a, DT_INT32, 0, 0));
    return ir_binary(a, OP_ADD, ir_select(a, c, ir_int(a, 1), ir_int(a, 2)),
                     ir_select(a, w, ir_int(a, 10), ir_int(a, 20)));
}

/* make's values over the loops, before and after pass_simplify, are equal */
static bool same_values(IrExpr *(*make)(Arena *, IrVar **, void *)) {
    Arena *a = arena_new();
    int64_t n;
    IrFunc *f = func_of(a, make, NULL, &n), *g = func_of(a, make, NULL, &n);
    pass_simplify(a, g);
    char why[256];
    int64_t *x = calloc((size_t)n, 8), *y = calloc((size_t)n, 8);
    void *ax[1] = {x}, *ay[1] = {y};
    bool ok = ir_interp_run(f, ax, why, sizeof why) && ir_interp_run(g, ay, why, sizeof why) &&
              memcmp(x, y, (size_t)n * 8) == 0;
    free(x);
    free(y);
    arena_free(a);
    return ok;
}

static void test_simplify_rewrites(void) {
    Arena *a = arena_new();
    const char *s;
    s = value_text(a, m_div);
    CHECK(strcmp(s, "((x*100) + y)") == 0);
    if (strcmp(s, "((x*100) + y)")) fprintf(stderr, "  got %s\n", s);
    s = value_text(a, m_fused);
    CHECK(strcmp(s, "((z*3) + x)") == 0);
    if (strcmp(s, "((z*3) + x)")) fprintf(stderr, "  got %s\n", s);
    s = value_text(a, m_affine);
    CHECK(strcmp(s, "(x + 2)") == 0);
    if (strcmp(s, "(x + 2)")) fprintf(stderr, "  got %s\n", s);
    s = value_text(a, m_guard);
    CHECK(strcmp(s, "(y + 1)") == 0);
    if (strcmp(s, "(y + 1)")) fprintf(stderr, "  got %s\n", s);
    s = value_text(a, m_guard32);
    const char *sel = strstr(s, "select");
    CHECK(sel && !strstr(sel + 1, "select") && strstr(s, "1000000000"));
    if (!sel || strstr(sel + 1, "select")) fprintf(stderr, "  got %s\n", s);
    CHECK(same_values(m_guard32));
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

int main(void) {
    test_simplify_preserves_values();
    test_simplify_rewrites();
    test_verify();
    return test_report("lower_unit");
}
