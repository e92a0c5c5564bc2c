/* Codegen correctness: hand-built IR functions, JIT-compiled, compared with plain C loops.
 * Usage: test_cg_kernels NAME (one test) or no argument (all). */
#include "cg_testlib.h"
#include "lang/scalar.h" /* the language's pow: the oracle compiled kernels must match */
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

static void check_matmul(Cg *cg, int n, int l, int m, bool tiled, int ti, int tj, bool par) {
    TB T = tb_new("mm");
    IrFunc *f = matmul_ir(&T, n, l, m, tiled, ti, tj, par);
    float *A = malloc(sizeof(float) * (size_t)(n * l)),
          *B = malloc(sizeof(float) * (size_t)(l * m));
    float *C = malloc(sizeof(float) * (size_t)(n * m)),
          *R = malloc(sizeof(float) * (size_t)(n * m));
    uint64_t s = 42;
    for (int i = 0; i < n * l; i++) A[i] = rndf(&s);
    for (int i = 0; i < l * m; i++) B[i] = rndf(&s);
    for (int i = 0; i < n * m; i++) C[i] = NAN;
    matmul_ref(A, B, R, n, l, m);
    void *args[3] = {A, B, C};
    if (tb_run(cg, f, args))
        for (int i = 0; i < n * m; i++)
            if (!close_f(C[i], R[i], 1e-5 * l)) {
                CHECK(0, "matmul %dx%dx%d tiled=%d par=%d: C[%d] = %g, want %g", n, l, m, tiled,
                      par, i, C[i], R[i]);
                break;
            }
    free(A), free(B), free(C), free(R);
    arena_free(T.a);
}

static void t_matmul(Cg *cg) {
    check_matmul(cg, 33, 17, 29, false, 0, 0, false);
    check_matmul(cg, 64, 48, 64, true, 4, 32, false);
    check_matmul(cg, 32, 40, 128, true, 8, 64, false);
    check_matmul(cg, 64, 64, 64, true, 4, 16, true);
}

/* out[i*W + j] = a[i*W + j] * 2 + b[j], j vectorized with extents below, at and above 64. */
static void t_vector(Cg *cg) {
    int widths[] = {2, 8, 32, 64, 100, 128, 37};
    for (unsigned w = 0; w < sizeof widths / sizeof *widths; w++) {
        int W = widths[w], R = 5;
        TB T = tb_new("vadd");
        IrBuf *a = tb_arg(&T, "a", DT_FLOAT32, R * W, true);
        IrBuf *b = tb_arg(&T, "b", DT_FLOAT32, W, true);
        IrBuf *o = tb_arg(&T, "o", DT_FLOAT32, R * W, false);
        IrVar *i = VAR("i"), *j = VAR("j");
        IrExpr *ix = ADD(MUL(V(i), I(W)), V(j));
        T.f->body = FOR(i, R, SERIAL,
                        FOR(j, W, VEC, STORE(o, ix, ADD(MUL(LOAD(a, ix), F32(2)), LOAD(b, V(j))))));
        float *A = malloc(sizeof(float) * (size_t)(R * W)), *Bv = malloc(sizeof(float) * (size_t)W);
        float *O = malloc(sizeof(float) * (size_t)(R * W + 1));
        uint64_t s = 7;
        for (int q = 0; q < R * W; q++) A[q] = rndf(&s);
        for (int q = 0; q < W; q++) Bv[q] = rndf(&s);
        O[R * W] = 12345; /* a store past the end would change this */
        void *args[3] = {A, Bv, O};
        if (tb_run(cg, T.f, args)) {
            for (int q = 0; q < R * W; q++)
                if (O[q] != A[q] * 2 + Bv[q % W]) {
                    CHECK(0, "vector W=%d: o[%d] = %g, want %g", W, q, O[q], A[q] * 2 + Bv[q % W]);
                    break;
                }
            CHECK(O[R * W] == 12345, "vector W=%d wrote past the end", W);
        }
        free(A), free(Bv), free(O);
        arena_free(T.a);
    }
}

/* Strided reads (gathers), strided and transposed writes (scatters), uniform reads. */
static void t_gather(Cg *cg) {
    enum { N = 24 };
    TB T = tb_new("gather");
    IrBuf *a = tb_arg(&T, "a", DT_FLOAT32, N * N, true);
    IrBuf *o1 = tb_arg(&T, "o1", DT_FLOAT32, N * N, false); /* transpose */
    IrBuf *o2 = tb_arg(&T, "o2", DT_FLOAT32, N * 3, false); /* o2[j*3+1] = a[j*5 % N] + a[0] */
    IrVar *i = VAR("i"), *j = VAR("j"), *j2 = VAR("j2");
    IrStmt *tr = FOR(
        i, N, SERIAL,
        FOR(j, N, VEC, STORE(o1, ADD(MUL(V(j), I(N)), V(i)), LOAD(a, ADD(MUL(V(i), I(N)), V(j))))));
    IrStmt *g = FOR(j2, N, VEC,
                    STORE(o2, ADD(MUL(V(j2), I(3)), I(1)),
                          ADD(LOAD(a, MOD(MUL(V(j2), I(5)), I(N))), LOAD(a, I(0)))));
    T.f->body = BLOCK(tr, g);
    float A[N * N], O1[N * N], O2[N * 3];
    uint64_t s = 9;
    for (int q = 0; q < N * N; q++) A[q] = rndf(&s);
    for (int q = 0; q < N * 3; q++) O2[q] = -7;
    void *args[3] = {A, O1, O2};
    if (tb_run(cg, T.f, args)) {
        for (int x = 0; x < N; x++)
            for (int y = 0; y < N; y++)
                if (O1[y * N + x] != A[x * N + y]) {
                    CHECK(0, "transpose at %d,%d", x, y);
                    x = N;
                    break;
                }
        for (int q = 0; q < N; q++) {
            CHECK(O2[q * 3 + 1] == A[(q * 5) % N] + A[0], "gather o2[%d]", q * 3 + 1);
            CHECK(O2[q * 3] == -7 && O2[q * 3 + 2] == -7, "scatter touched o2 near %d", q * 3);
        }
    }
    arena_free(T.a);
}

/* Unrolled loops, alone and around a vector loop, with a non-zero minimum. */
static void t_unroll(Cg *cg) {
    TB T = tb_new("unroll");
    IrBuf *a = tb_arg(&T, "a", DT_INT32, 64, true);
    IrBuf *o = tb_arg(&T, "o", DT_INT32, 64, false);
    IrVar *i = VAR("i"), *j = VAR("j"), *k = VAR("k");
    IrStmt *s1 = ir_for(A_, i, I(3), I(5), UNROLL,
                        STORE(o, V(i), MUL(LOAD(a, V(i)), ir_cast(A_, DT_INT32, V(i)))));
    IrStmt *s2 = FOR(j, 4, UNROLL,
                     FOR(k, 8, VEC,
                         STORE(o, ADD(I(32), ADD(MUL(V(j), I(8)), V(k))),
                               ADD(LOAD(a, ADD(MUL(V(j), I(8)), V(k))), C32(1)))));
    T.f->body = BLOCK(s1, s2);
    int32_t A[64], O[64];
    for (int q = 0; q < 64; q++) A[q] = q * 3 - 50, O[q] = -1;
    void *args[2] = {A, O};
    if (tb_run(cg, T.f, args)) {
        for (int q = 0; q < 64; q++) {
            int32_t want = q >= 3 && q < 8 ? A[q] * q : q >= 32 ? A[q - 32] + 1 : -1;
            CHECK(O[q] == want, "unroll o[%d] = %d, want %d", q, O[q], want);
        }
    }
    arena_free(T.a);
}

/* A parallel loop whose body uses a per-thread local buffer, nested parallel loops (the inner
 * runs serially), and a parallel loop with a non-constant extent from an enclosing loop. */
static void t_parallel(Cg *cg) {
    enum { R = 37, W = 16 };
    TB T = tb_new("par");
    IrBuf *a = tb_arg(&T, "a", DT_FLOAT32, R * W, true);
    IrBuf *o = tb_arg(&T, "o", DT_FLOAT32, R * W, false);
    IrBuf *tri = tb_arg(&T, "tri", DT_INT32, R * R, false);
    IrBuf *tmp = tb_buf(&T, "tmp", DT_FLOAT32, W, BUF_LOCAL);
    IrVar *i = VAR("i"), *j = VAR("j"), *j2 = VAR("j2"), *x = VAR("x"), *y = VAR("y"),
          *z = VAR("z");
    IrStmt *p1 =
        FOR(i, R, PAR,
            ir_alloc(A_, tmp,
                     BLOCK(FOR(j, W, SERIAL,
                               STORE(tmp, V(j), MUL(LOAD(a, ADD(MUL(V(i), I(W)), V(j))), F32(2)))),
                           FOR(j2, W, SERIAL,
                               STORE(o, ADD(MUL(V(i), I(W)), V(j2)),
                                     ADD(LOAD(tmp, SUB(I(W - 1), V(j2))), F32(1)))))));
    /* tri[x*R + y] = x + y for y < x + 1: the inner parallel extent depends on x */
    IrStmt *p2 = FOR(x, R, PAR,
                     ir_for(A_, y, I(0), ADD(V(x), I(1)), PAR,
                            FOR(z, 1, PAR,
                                STORE(tri, ADD(MUL(V(x), I(R)), V(y)),
                                      ir_cast(A_, DT_INT32, ADD(ADD(V(x), V(y)), V(z)))))));
    T.f->body = BLOCK(p1, p2);
    float A[R * W], O[R * W];
    int32_t TR[R * R];
    uint64_t s = 3;
    for (int q = 0; q < R * W; q++) A[q] = rndf(&s);
    for (int q = 0; q < R * R; q++) TR[q] = -1;
    void *args[3] = {A, O, TR};
    if (tb_run(cg, T.f, args)) {
        for (int r = 0; r < R; r++)
            for (int c = 0; c < W; c++)
                CHECK(O[r * W + c] == A[r * W + W - 1 - c] * 2 + 1, "par o[%d,%d]", r, c);
        for (int r = 0; r < R; r++)
            for (int c = 0; c < R; c++)
                CHECK(TR[r * R + c] == (c <= r ? r + c : -1), "par tri[%d,%d] = %d", r, c,
                      TR[r * R + c]);
    }
    arena_free(T.a);
}

static int32_t floordiv32(int32_t a, int32_t b) {
    if (b == 0) return 0;
    if (b == -1) return (int32_t)(0u - (uint32_t)a);
    int32_t q = a / b, r = a % b;
    return (r != 0 && ((r < 0) != (b < 0))) ? q - 1 : q;
}

static int32_t floormod32(int32_t a, int32_t b) {
    if (b == 0 || b == -1) return 0;
    int32_t r = a % b;
    return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r;
}

/* int32 floor division and modulo: variable divisors including 0, -1 and INT_MIN operands,
 * constant divisors (powers of two, others, negative, zero), scalar and vectorized. */
static void t_divmod(Cg *cg) {
    static const int32_t vals[] = {0,  1,  -1,   2,   -2,         3,         -3, 7,  -7, 8,
                                   -8, 13, -100, 100, 2147483647, INT32_MIN, 5,  -5, 64, -64};
    enum { NV = sizeof vals / sizeof *vals };
    static const int32_t consts[] = {4, 3, -3, 0, -1, 1, 7, -8};
    enum { NC = sizeof consts / sizeof *consts };
    for (int vec = 0; vec < 2; vec++) {
        TB T = tb_new("divmod");
        IrBuf *a = tb_arg(&T, "a", DT_INT32, NV, true);
        IrBuf *b = tb_arg(&T, "b", DT_INT32, NV, true);
        IrBuf *od = tb_arg(&T, "od", DT_INT32, NV * NV, false);
        IrBuf *om = tb_arg(&T, "om", DT_INT32, NV * NV, false);
        IrBuf *oc = tb_arg(&T, "oc", DT_INT32, NV * NC * 2, false);
        IrBuf *oi = tb_arg(&T, "oi", DT_INT64, 64 * 2, false);
        IrVar *i = VAR("i"), *j = VAR("j"), *i2 = VAR("i2"), *r = VAR("r");
        ForKind k = vec ? VEC : SERIAL;
        IrExpr *ix = ADD(MUL(V(i), I(NV)), V(j));
        IrStmt *s1 = FOR(i, NV, SERIAL,
                         FOR(j, NV, k,
                             BLOCK(STORE(od, ix, DIV(LOAD(a, V(i)), LOAD(b, V(j)))),
                                   STORE(om, ix, MOD(LOAD(a, V(i)), LOAD(b, V(j)))))));
        IrStmt *cs[2 * NC];
        for (int c = 0; c < NC; c++) {
            cs[2 * c] = STORE(oc, ADD(MUL(V(i2), I(NC * 2)), I(2 * c)),
                              DIV(LOAD(a, V(i2)), C32(consts[c])));
            cs[2 * c + 1] = STORE(oc, ADD(MUL(V(i2), I(NC * 2)), I(2 * c + 1)),
                                  MOD(LOAD(a, V(i2)), C32(consts[c])));
        }
        IrStmt *s2 = FOR(i2, NV, k, tb_block(&T, 2 * NC, cs));
        /* int64 index arithmetic on the loop variable: (r*6 - 20) / 3 and (r - 20) % 6 */
        IrStmt *s3 = FOR(r, 64, k,
                         BLOCK(STORE(oi, MUL(V(r), I(2)), DIV(SUB(MUL(V(r), I(6)), I(20)), I(3))),
                               STORE(oi, ADD(MUL(V(r), I(2)), I(1)), MOD(SUB(V(r), I(20)), I(6)))));
        T.f->body = BLOCK(s1, s2, s3);
        int32_t OD[NV * NV], OM[NV * NV], OC[NV * NC * 2];
        int64_t OI[128];
        void *args[6] = {(void *)vals, (void *)vals, OD, OM, OC, OI};
        if (tb_run(cg, T.f, args)) {
            for (int x = 0; x < NV; x++)
                for (int y = 0; y < NV; y++) {
                    CHECK(OD[x * NV + y] == floordiv32(vals[x], vals[y]),
                          "vec=%d %d / %d = %d, want %d", vec, vals[x], vals[y], OD[x * NV + y],
                          floordiv32(vals[x], vals[y]));
                    CHECK(OM[x * NV + y] == floormod32(vals[x], vals[y]),
                          "vec=%d %d %% %d = %d, want %d", vec, vals[x], vals[y], OM[x * NV + y],
                          floormod32(vals[x], vals[y]));
                }
            for (int x = 0; x < NV; x++)
                for (int c = 0; c < NC; c++) {
                    CHECK(OC[x * NC * 2 + 2 * c] == floordiv32(vals[x], consts[c]),
                          "vec=%d %d / const %d = %d", vec, vals[x], consts[c],
                          OC[x * NC * 2 + 2 * c]);
                    CHECK(OC[x * NC * 2 + 2 * c + 1] == floormod32(vals[x], consts[c]),
                          "vec=%d %d %% const %d = %d", vec, vals[x], consts[c],
                          OC[x * NC * 2 + 2 * c + 1]);
                }
            for (int q = 0; q < 64; q++) {
                int64_t n = q * 6 - 20, want_d = n >= 0 ? n / 3 : -((-n + 2) / 3);
                int64_t m = q - 20, want_m = ((m % 6) + 6) % 6;
                CHECK(OI[2 * q] == want_d, "vec=%d (%d*6-20)/3 = %lld", vec, q,
                      (long long)OI[2 * q]);
                CHECK(OI[2 * q + 1] == want_m, "vec=%d (%d-20)%%6 = %lld", vec, q,
                      (long long)OI[2 * q + 1]);
            }
        }
        arena_free(T.a);
    }
}

/* float64 arithmetic, scalar and vectorized, with a reduction. */
static void t_float64(Cg *cg) {
    enum { N = 50 };
    TB T = tb_new("f64");
    IrBuf *a = tb_arg(&T, "a", DT_FLOAT64, N, true);
    IrBuf *o = tb_arg(&T, "o", DT_FLOAT64, N + 1, false);
    IrVar *i = VAR("i"), *k = VAR("k");
    IrStmt *s1 =
        FOR(i, N, VEC, STORE(o, V(i), SUB(DIV(MUL(LOAD(a, V(i)), F64(3.0)), F64(7.0)), F64(0.25))));
    IrStmt *s2 = BLOCK(
        STORE(o, I(N), F64(0)),
        FOR(k, N, SERIAL, STORE(o, I(N), ADD(LOAD(o, I(N)), MUL(LOAD(a, V(k)), LOAD(a, V(k)))))));
    T.f->body = BLOCK(s1, s2);
    double A[N], O[N + 1], sum = 0;
    uint64_t s = 5;
    for (int q = 0; q < N; q++) A[q] = rndf(&s) * 1e3, sum += A[q] * A[q];
    void *args[2] = {A, O};
    if (tb_run(cg, T.f, args)) {
        for (int q = 0; q < N; q++) CHECK(O[q] == A[q] * 3.0 / 7.0 - 0.25, "f64 o[%d]", q);
        CHECK(close_f(O[N], sum, 1e-14), "f64 sum %.17g, want %.17g", O[N], sum);
    }
    arena_free(T.a);
}

/* Every math function, min/max/pow, in float32 and float64, scalar and vectorized. */
static void t_math(Cg *cg) {
    enum { N = 40, NF = 10 };
    for (int dt = 0; dt < 2; dt++)
        for (int vec = 0; vec < 2; vec++) {
            DType t = dt ? DT_FLOAT64 : DT_FLOAT32;
            TB T = tb_new("math");
            IrBuf *a = tb_arg(&T, "a", t, N, true);
            IrBuf *o = tb_arg(&T, "o", t, N * NF, false);
            IrVar *i = VAR("i");
            IrExpr *x = LOAD(a, V(i)), *ax = ir_call(A_, FN_ABS, x);
            IrExpr *r[NF] = {
                ir_call(A_, FN_EXP, x),
                ir_call(A_, FN_LOG, ax),
                ir_call(A_, FN_SQRT, ax),
                ir_call(A_, FN_TANH, x),
                ax,
                ir_call(A_, FN_FLOOR, x),
                ir_call(A_, FN_CEIL, x),
                BIN(OP_MIN, x, ir_const(A_, t, 0, 0.1)),
                BIN(OP_MAX, x, ir_const(A_, t, 0, 0.1)),
                BIN(OP_POW, ax, ir_const(A_, t, 0, 1.5)),
            };
            IrStmt *st[NF];
            for (int q = 0; q < NF; q++) st[q] = STORE(o, ADD(MUL(V(i), I(NF)), I(q)), r[q]);
            T.f->body = FOR(i, N, vec ? VEC : SERIAL, tb_block(&T, NF, st));
            double A[N], O[N * NF];
            float Af[N], Of[N * NF];
            uint64_t s = 11;
            for (int q = 0; q < N; q++) A[q] = rndf(&s) * 4, Af[q] = (float)A[q];
            A[0] = Af[0] = 0; /* log(0) = -inf */
            A[1] = Af[1] = -2.5f;
            void *args[2] = {dt ? (void *)A : (void *)Af, dt ? (void *)O : (void *)Of};
            if (!tb_run(cg, T.f, args)) {
                arena_free(T.a);
                continue;
            }
            for (int q = 0; q < N; q++) {
                double v = dt ? A[q] : Af[q], av = fabs(v), th = dt ? 0.1 : (double)0.1f;
                double want[NF] = {
                    exp(v),   log(av), sqrt(av),        tanh(v),         av,
                    floor(v), ceil(v), v < th ? v : th, v > th ? v : th, pow(av, 1.5)};
                for (int f = 0; f < NF; f++) {
                    double got = dt ? O[q * NF + f] : Of[q * NF + f];
                    double w = dt ? want[f] : (double)(float)want[f];
                    CHECK(close_f(got, w, dt ? 1e-15 : 2e-7) || (isinf(w) && got == w),
                          "math dt=%d vec=%d fn %d of %g = %.17g, want %.17g", dt, vec, f, v, got,
                          w);
                }
            }
            arena_free(T.a);
        }
}

/* A page-guarded buffer: `n` elements of `size` bytes that end (or start) at a PROT_NONE page,
 * so a read one past the end (or before the start) faults. */
static void *guarded(size_t bytes, bool at_end, void **map, size_t *maplen) {
    size_t pg = (size_t)sysconf(_SC_PAGESIZE);
    size_t pages = (bytes + pg - 1) / pg;
    *maplen = (pages + 2) * pg;
    char *m = mmap(NULL, *maplen, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) return NULL;
    mprotect(m, pg, PROT_NONE);
    mprotect(m + (pages + 1) * pg, pg, PROT_NONE);
    *map = m;
    return at_end ? m + (pages + 1) * pg - bytes : m + pg;
}

/* select(i >= 1 && i < n+1, a[i-1], 0): the untaken branch would read out of bounds, both ends
 * against guard pages; scalar and vectorized. Also an if with a varying condition guarding a
 * load and a store in a vector loop wider than the data (masked). */
static void t_select_guard(Cg *cg) {
    enum { N = 37 };
    for (int vec = 0; vec < 2; vec++)
        for (int end = 0; end < 2; end++) {
            TB T = tb_new("pad");
            IrBuf *a = tb_arg(&T, "a", DT_FLOAT32, N, true);
            IrBuf *o = tb_arg(&T, "o", DT_FLOAT32, N + 2, false);
            IrBuf *o2 = tb_arg(&T, "o2", DT_FLOAT32, N, false);
            IrBuf *o3 = tb_arg(&T, "o3", DT_FLOAT32, N + 2, false);
            IrVar *i = VAR("i"), *j = VAR("j");
            IrExpr *inb = AND(GE(V(i), I(1)), LT(V(i), I(N + 1)));
            IrStmt *s1 = FOR(
                i, N + 2, vec ? VEC : SERIAL,
                STORE(o, V(i), ir_select(A_, inb, MUL(LOAD(a, SUB(V(i), I(1))), F32(2)), F32(-1))));
            IrStmt *s2 =
                FOR(j, 64, vec ? VEC : SERIAL,
                    ir_if(A_, LT(V(j), I(N)), STORE(o2, V(j), ADD(LOAD(a, V(j)), F32(1))), NULL));
            /* an expensive branch (calls) is not speculated but branched around */
            IrVar *i3 = VAR("i3");
            IrExpr *x3 = LOAD(a, SUB(V(i3), I(1)));
            IrStmt *s3 = FOR(
                i3, N + 2, vec ? VEC : SERIAL,
                STORE(o3, V(i3),
                      ir_select(A_, AND(GE(V(i3), I(1)), LT(V(i3), I(N + 1))),
                                ADD(ir_call(A_, FN_EXP, x3), ir_call(A_, FN_TANH, x3)), F32(5))));
            T.f->body = BLOCK(s1, s2, s3);
            void *map = NULL, *map2 = NULL;
            size_t ml, ml2;
            float *A = guarded(sizeof(float) * N, end, &map, &ml);
            float *O2 = guarded(sizeof(float) * N, true, &map2, &ml2);
            float O[N + 2], O3[N + 2];
            for (int q = 0; q < N; q++) A[q] = (float)q / 8 - 3.5f;
            void *args[4] = {A, O, O2, O3};
            if (tb_run(cg, T.f, args)) {
                for (int q = 0; q < N + 2; q++) {
                    float want = q >= 1 && q < N + 1 ? A[q - 1] * 2 : -1;
                    CHECK(O[q] == want, "select vec=%d o[%d] = %g, want %g", vec, q, O[q], want);
                }
                for (int q = 0; q < N; q++)
                    CHECK(O2[q] == A[q] + 1, "masked if vec=%d o2[%d]", vec, q);
                for (int q = 0; q < N + 2; q++) {
                    float want = q >= 1 && q < N + 1 ? expf(A[q - 1]) + tanhf(A[q - 1]) : 5;
                    CHECK(close_f(O3[q], want, 1e-6), "branched select vec=%d o3[%d] = %g, want %g",
                          vec, q, O3[q], want);
                }
            }
            munmap(map, ml);
            munmap(map2, ml2);
            arena_free(T.a);
        }
}

/* Small integer types, bool buffers and casts in every direction. */
static void t_types(Cg *cg) {
    enum { N = 24 };
    for (int vec = 0; vec < 2; vec++) {
        TB T = tb_new("types");
        IrBuf *a = tb_arg(&T, "a", DT_FLOAT32, N, true);
        IrBuf *b8 = tb_arg(&T, "b8", DT_INT8, N, true);
        IrBuf *u8 = tb_arg(&T, "u8", DT_UINT8, N, false);
        IrBuf *i16 = tb_arg(&T, "i16", DT_INT16, N, false);
        IrBuf *bl = tb_arg(&T, "bl", DT_BOOL, N, false);
        IrBuf *i64 = tb_arg(&T, "i64", DT_INT64, N, false);
        IrBuf *f64 = tb_arg(&T, "f64", DT_FLOAT64, N, false);
        IrVar *i = VAR("i");
        IrExpr *x = LOAD(a, V(i)), *c = LOAD(b8, V(i));
        IrStmt *st =
            BLOCK(STORE(u8, V(i), ADD(ir_cast(A_, DT_UINT8, c), ir_const(A_, DT_UINT8, 200, 0))),
                  STORE(i16, V(i),
                        MUL(ir_cast(A_, DT_INT16, MUL(x, F32(100))), ir_cast(A_, DT_INT16, c))),
                  STORE(bl, V(i), BIN(OP_OR, LT(x, F32(0)), ir_cast(A_, DT_BOOL, c))),
                  STORE(i64, V(i),
                        ir_select(A_, LOAD(bl, V(i)), ir_cast(A_, DT_INT64, c),
                                  ir_unary(A_, OP_NEG, ir_cast(A_, DT_INT64, LOAD(u8, V(i)))))),
                  STORE(f64, V(i),
                        ADD(ir_cast(A_, DT_FLOAT64, x),
                            ir_cast(A_, DT_FLOAT64, ir_unary(A_, OP_NOT, LOAD(bl, V(i)))))));
        T.f->body = FOR(i, N, vec ? VEC : SERIAL, st);
        float A[N];
        int8_t B8[N];
        uint8_t U8[N];
        int16_t I16[N];
        bool BL[N];
        int64_t I64[N];
        double F64v[N];
        uint64_t s = 17;
        for (int q = 0; q < N; q++) A[q] = rndf(&s), B8[q] = (int8_t)((int)(rnd(&s) % 256) - 128);
        B8[0] = 0;
        void *args[7] = {A, B8, U8, I16, BL, I64, F64v};
        if (tb_run(cg, T.f, args))
            for (int q = 0; q < N; q++) {
                uint8_t u = (uint8_t)((uint8_t)B8[q] + 200);
                int16_t h = (int16_t)((int16_t)(int)(A[q] * 100) * (int16_t)B8[q]);
                bool bb = A[q] < 0 || B8[q] != 0;
                int64_t l = bb ? B8[q] : -(int64_t)u;
                CHECK(U8[q] == u, "vec=%d u8[%d] = %d, want %d", vec, q, U8[q], u);
                CHECK(I16[q] == h, "vec=%d i16[%d] = %d, want %d", vec, q, I16[q], h);
                CHECK(BL[q] == bb && *(uint8_t *)&BL[q] <= 1, "vec=%d bool[%d]", vec, q);
                CHECK(I64[q] == l, "vec=%d i64[%d] = %lld, want %lld", vec, q, (long long)I64[q],
                      (long long)l);
                CHECK(F64v[q] == (double)A[q] + !bb, "vec=%d f64[%d]", vec, q);
            }
        arena_free(T.a);
    }
}

/* Intermediate buffers: a small one on the stack, a large one (> 64 KiB) on the heap. */
static void t_global_buf(Cg *cg) {
    enum { N = 40000 };
    TB T = tb_new("inter");
    IrBuf *a = tb_arg(&T, "a", DT_FLOAT32, N, true);
    IrBuf *o = tb_arg(&T, "o", DT_FLOAT32, N, false);
    IrBuf *big = tb_buf(&T, "big", DT_FLOAT32, N, BUF_GLOBAL);
    IrBuf *sm = tb_buf(&T, "small", DT_FLOAT32, 16, BUF_GLOBAL);
    IrVar *i = VAR("i"), *j = VAR("j"), *k = VAR("k");
    T.f->body = ir_alloc(
        A_, big,
        ir_alloc(A_, sm,
                 BLOCK(FOR(k, 16, SERIAL, STORE(sm, V(k), ir_cast(A_, DT_FLOAT32, V(k)))),
                       FOR(i, N, SERIAL,
                           STORE(big, V(i), ADD(LOAD(a, V(i)), LOAD(sm, MOD(V(i), I(16)))))),
                       FOR(j, N, SERIAL, STORE(o, V(j), LOAD(big, SUB(I(N - 1), V(j))))))));
    float *A = malloc(sizeof(float) * N), *O = malloc(sizeof(float) * N);
    for (int q = 0; q < N; q++) A[q] = (float)q * 0.5f;
    void *args[2] = {A, O};
    if (tb_run(cg, T.f, args))
        for (int q = 0; q < N; q++)
            if (O[q] != A[N - 1 - q] + (float)((N - 1 - q) % 16)) {
                CHECK(0, "global buffer o[%d]", q);
                break;
            }
    free(A), free(O);
    arena_free(T.a);
}

/* Ten 60 KB intermediates live at once: more than one function's stack budget, so some go to
 * the heap; each holds the previous one plus one. */
static void t_buffer_chain(Cg *cg) {
    enum { M = 15000, NB = 10 };
    {
        TB T = tb_new("chain");
        IrBuf *a2 = tb_arg(&T, "a", DT_FLOAT32, M, true);
        IrBuf *o2 = tb_arg(&T, "o", DT_FLOAT32, M, false);
        IrBuf *bufs[NB];
        IrStmt *steps[NB + 1];
        for (int b = 0; b < NB; b++) {
            bufs[b] = tb_buf(&T, arena_printf(A_, "t%d", b), DT_FLOAT32, M, BUF_GLOBAL);
            IrVar *v = VAR("i");
            steps[b] = FOR(v, M, SERIAL,
                           STORE(bufs[b], V(v), ADD(LOAD(b ? bufs[b - 1] : a2, V(v)), F32(1))));
        }
        IrVar *v = VAR("i");
        steps[NB] = FOR(v, M, SERIAL, STORE(o2, V(v), LOAD(bufs[NB - 1], V(v))));
        IrStmt *body = tb_block(&T, NB + 1, steps);
        for (int b = NB - 1; b >= 0; b--) body = ir_alloc(A_, bufs[b], body);
        T.f->body = body;
        float *A2 = malloc(sizeof(float) * M), *O2 = malloc(sizeof(float) * M);
        for (int q = 0; q < M; q++) A2[q] = (float)q;
        void *args2[2] = {A2, O2};
        if (tb_run(cg, T.f, args2))
            for (int q = 0; q < M; q++)
                if (O2[q] != (float)q + NB) {
                    CHECK(0, "buffer chain o[%d] = %g", q, O2[q]);
                    break;
                }
        free(A2), free(O2);
        arena_free(T.a);
    }
}

/* Vectorized loops whose lanes would interfere must keep the scalar loop's result:
 * a sum into one element, a loop-carried recurrence, and an overlapping nested index. */
static void t_vec_fallback(Cg *cg) {
    enum { N = 32 };
    TB T = tb_new("fallback");
    IrBuf *a = tb_arg(&T, "a", DT_INT32, N, true);
    IrBuf *acc = tb_arg(&T, "acc", DT_INT32, 1, false);
    IrBuf *x = tb_arg(&T, "x", DT_INT32, N + 1, false);
    IrBuf *y = tb_arg(&T, "y", DT_INT32, 4 * N, false);
    IrVar *i = VAR("i"), *j = VAR("j"), *k = VAR("k"), *r = VAR("r");
    IrStmt *s1 = BLOCK(STORE(acc, I(0), C32(0)),
                       FOR(i, N, VEC, STORE(acc, I(0), ADD(LOAD(acc, I(0)), LOAD(a, V(i))))));
    IrStmt *s2 = BLOCK(STORE(x, I(0), C32(1)),
                       FOR(j, N, VEC, STORE(x, ADD(V(j), I(1)), MUL(LOAD(x, V(j)), C32(3)))));
    /* y[r + k] += a[r] for k < 4, r vectorized: lanes r and r+1 share elements */
    IrStmt *s3 = FOR(
        r, N, VEC,
        FOR(k, 4, SERIAL,
            STORE(y, ADD(V(r), V(k)),
                  ADD(LOAD(y, ADD(V(r), V(k))), ADD(LOAD(a, V(r)), ir_cast(A_, DT_INT32, V(k)))))));
    T.f->body = BLOCK(s1, s2, s3);
    int32_t A[N], ACC[1], X[N + 1], Y[4 * N] = {0}, RY[4 * N] = {0};
    for (int q = 0; q < N; q++) A[q] = q * q - 7;
    void *args[4] = {A, ACC, X, Y};
    if (tb_run(cg, T.f, args)) {
        int32_t sum = 0;
        uint32_t p = 1;
        for (int q = 0; q < N; q++) sum += A[q];
        CHECK(ACC[0] == sum, "reduction = %d, want %d", ACC[0], sum);
        for (int q = 0; q <= N; q++, p *= 3) CHECK(X[q] == (int32_t)p, "recurrence x[%d]", q);
        for (int rr = 0; rr < N; rr++)
            for (int kk = 0; kk < 4; kk++) RY[rr + kk] += A[rr] + kk;
        for (int q = 0; q < 4 * N; q++)
            CHECK(Y[q] == RY[q], "overlap y[%d] = %d, want %d", q, Y[q], RY[q]);
    }
    arena_free(T.a);
}

/* Let-bound values, ifs with else branches, and a select between loads under a uniform
 * condition. */
static void t_control(Cg *cg) {
    enum { N = 20 };
    for (int vec = 0; vec < 2; vec++) {
        TB T = tb_new("control");
        IrBuf *a = tb_arg(&T, "a", DT_INT32, N, true);
        IrBuf *o = tb_arg(&T, "o", DT_INT32, N, false);
        IrBuf *flag = tb_arg(&T, "flag", DT_INT32, 1, true);
        IrVar *i = VAR("i"), *t = VAR("t");
        IrStmt *body =
            ir_let(A_, t, ADD(MUL(V(i), I(2)), I(1)),
                   ir_if(A_, LT(LOAD(a, V(i)), C32(0)), STORE(o, V(i), ir_cast(A_, DT_INT32, V(t))),
                         STORE(o, V(i),
                               ir_select(A_, LT(LOAD(flag, I(0)), C32(1)), LOAD(a, V(i)),
                                         LOAD(a, SUB(I(N - 1), V(i)))))));
        T.f->body = FOR(i, N, vec ? VEC : SERIAL, body);
        int32_t A[N], O[N], F[1] = {0};
        for (int q = 0; q < N; q++) A[q] = (q % 3 == 0) ? -q - 1 : q * 5;
        void *args[3] = {A, O, F};
        if (tb_run(cg, T.f, args))
            for (int q = 0; q < N; q++)
                CHECK(O[q] == (A[q] < 0 ? 2 * q + 1 : A[q]), "control vec=%d o[%d] = %d", vec, q,
                      O[q]);
        arena_free(T.a);
    }
}

/* Vector loops with uniform subexpressions (casts, calls, negation of outer variables), a
 * serial loop nested inside the vector loop, and an unrolled one whose variable strides past
 * the lanes. */
static void t_vec_nested(Cg *cg) {
    enum { R = 3, W = 16, K = 5 };
    TB T = tb_new("vnest");
    IrBuf *a = tb_arg(&T, "a", DT_FLOAT32, K * W, true);
    IrBuf *o = tb_arg(&T, "o", DT_FLOAT32, R * W, false);
    IrBuf *p = tb_arg(&T, "p", DT_FLOAT32, K * W, false);
    IrVar *i = VAR("i"), *j = VAR("j"), *k = VAR("k"), *j2 = VAR("j2"), *u = VAR("u");
    IrExpr *oix = ADD(MUL(V(i), I(W)), V(j));
    IrExpr *fi = ir_cast(A_, DT_FLOAT32, V(i));
    IrStmt *s1 =
        FOR(i, R, SERIAL,
            FOR(j, W, VEC,
                BLOCK(STORE(o, oix, ADD(ir_call(A_, FN_EXP, fi), ir_unary(A_, OP_NEG, fi))),
                      FOR(k, K, SERIAL,
                          STORE(o, oix,
                                ADD(LOAD(o, oix), MUL(LOAD(a, ADD(MUL(V(k), I(W)), V(j))),
                                                      ir_cast(A_, DT_FLOAT32, V(k)))))))));
    IrStmt *s2 = FOR(j2, W, VEC,
                     FOR(u, K, UNROLL,
                         STORE(p, ADD(MUL(V(u), I(W)), V(j2)),
                               MUL(LOAD(a, ADD(MUL(V(u), I(W)), V(j2))), F32(3)))));
    T.f->body = BLOCK(s1, s2);
    float A[K * W], O[R * W], P[K * W];
    uint64_t s = 23;
    for (int q = 0; q < K * W; q++) A[q] = rndf(&s);
    void *args[3] = {A, O, P};
    if (tb_run(cg, T.f, args)) {
        for (int x = 0; x < R; x++)
            for (int y = 0; y < W; y++) {
                float want = expf((float)x) - (float)x;
                for (int q = 0; q < K; q++) want += A[q * W + y] * (float)q;
                CHECK(close_f(O[x * W + y], want, 1e-6), "nested o[%d,%d] = %g, want %g", x, y,
                      O[x * W + y], want);
            }
        for (int q = 0; q < K * W; q++) CHECK(P[q] == A[q] * 3, "unrolled inside vector p[%d]", q);
    }
    arena_free(T.a);
}

/* The reference evaluator's corner cases: integer pow (wrapping, negative exponents),
 * float -> int conversion (truncate, saturate to int64, NaN 0, then wrap), fmin/fmax with NaN. */
static void t_semantics(Cg *cg) {
    static const int32_t base[] = {0, 1, -1, 2, -2, 3, 7, -5, 12345};
    static const int32_t ex[] = {0, 1, 2, 3, 5, 31, 33, -1, -2};
    enum { NB = 9, NE = 9, NF = 8 };
    static const float fv[NF] = {1.5f, -1.5f, 3e9f, -3e9f, 1e30f, -1e30f, 300.7f, -0.0f};
    for (int vec = 0; vec < 2; vec++) {
        TB T = tb_new("sem");
        IrBuf *b = tb_arg(&T, "b", DT_INT32, NB, true);
        IrBuf *e = tb_arg(&T, "e", DT_INT32, NE, true);
        IrBuf *f = tb_arg(&T, "f", DT_FLOAT32, NF, true);
        IrBuf *op = tb_arg(&T, "op", DT_INT32, NB * NE + NB, false);
        IrBuf *oi32 = tb_arg(&T, "oi32", DT_INT32, NF, false);
        IrBuf *ou8 = tb_arg(&T, "ou8", DT_UINT8, NF, false);
        IrBuf *oi64 = tb_arg(&T, "oi64", DT_INT64, NF, false);
        IrBuf *omm = tb_arg(&T, "omm", DT_FLOAT32, 2 * NF, false);
        IrVar *i = VAR("i"), *j = VAR("j"), *i2 = VAR("i2"), *k = VAR("k");
        ForKind kd = vec ? VEC : SERIAL;
        IrStmt *s1 = FOR(
            i, NB, SERIAL,
            FOR(j, NE, kd,
                STORE(op, ADD(MUL(V(i), I(NE)), V(j)), BIN(OP_POW, LOAD(b, V(i)), LOAD(e, V(j))))));
        IrStmt *s2 =
            FOR(i2, NB, kd, STORE(op, ADD(I(NB * NE), V(i2)), BIN(OP_POW, LOAD(b, V(i2)), C32(7))));
        IrExpr *nan = ir_const(A_, DT_FLOAT32, 0, NAN);
        IrStmt *s3 =
            FOR(k, NF, kd,
                BLOCK(STORE(oi32, V(k), ir_cast(A_, DT_INT32, LOAD(f, V(k)))),
                      STORE(ou8, V(k), ir_cast(A_, DT_UINT8, LOAD(f, V(k)))),
                      STORE(oi64, V(k),
                            ir_cast(A_, DT_INT64,
                                    ir_select(A_, LT(V(k), I(NF - 1)), LOAD(f, V(k)), nan))),
                      STORE(omm, MUL(V(k), I(2)), BIN(OP_MIN, LOAD(f, V(k)), nan)),
                      STORE(omm, ADD(MUL(V(k), I(2)), I(1)), BIN(OP_MAX, nan, LOAD(f, V(k))))));
        T.f->body = BLOCK(s1, s2, s3);
        int32_t OP[NB * NE + NB], OI32[NF];
        uint8_t OU8[NF];
        int64_t OI64[NF];
        float OMM[2 * NF];
        void *args[8] = {(void *)base, (void *)ex, (void *)fv, OP, OI32, OU8, OI64, OMM};
        if (tb_run(cg, T.f, args)) {
            for (int x = 0; x < NB; x++) {
                for (int y = 0; y < NE; y++) {
                    int32_t want = (int32_t)(uint32_t)scalar_ipow(base[x], ex[y]);
                    CHECK(OP[x * NE + y] == want, "vec=%d pow(%d, %d) = %d, want %d", vec, base[x],
                          ex[y], OP[x * NE + y], want);
                }
                CHECK(OP[NB * NE + x] == (int32_t)(uint32_t)scalar_ipow(base[x], 7),
                      "vec=%d pow(%d, 7)", vec, base[x]);
            }
            for (int q = 0; q < NF; q++) {
                double d = fv[q];
                int64_t l = d >= 9223372036854775807.0    ? INT64_MAX
                            : d <= -9223372036854775808.0 ? INT64_MIN
                                                          : (int64_t)d;
                CHECK(OI32[q] == (int32_t)(uint32_t)(uint64_t)l, "vec=%d int32(%g) = %d", vec, d,
                      OI32[q]);
                CHECK(OU8[q] == (uint8_t)(uint64_t)l, "vec=%d uint8(%g) = %d", vec, d, OU8[q]);
                CHECK(OI64[q] == (q < NF - 1 ? l : 0), "vec=%d int64(%g) = %lld", vec, d,
                      (long long)OI64[q]);
                CHECK(OMM[2 * q] == fv[q] && OMM[2 * q + 1] == fv[q], "vec=%d fmin/fmax with NaN",
                      vec);
            }
        }
        arena_free(T.a);
    }
}

static const CgTest tests[] = {
    {"matmul", t_matmul},
    {"vector", t_vector},
    {"gather", t_gather},
    {"unroll", t_unroll},
    {"parallel", t_parallel},
    {"divmod", t_divmod},
    {"float64", t_float64},
    {"math", t_math},
    {"select_guard", t_select_guard},
    {"types", t_types},
    {"global_buf", t_global_buf},
    {"buffer_chain", t_buffer_chain},
    {"vec_fallback", t_vec_fallback},
    {"control", t_control},
    {"semantics", t_semantics},
    {"vec_nested", t_vec_nested},
};

int main(int argc, char **argv) {
    return cg_tests_run(argc, argv, tests, sizeof tests / sizeof *tests);
}
