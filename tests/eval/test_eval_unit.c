/* The reference evaluator on hand-built instances: arithmetic semantics (floor division,
 * wrap-around, float32 rounding, casts), select guards, out-of-bounds reads, reductions,
 * multi-stage instances, stages large enough to be split among threads; and the random filler
 * and comparator. */
#include "eval_build.h"
#include <math.h>
#include <string.h>
#include <unistd.h>

/* C[i, j] = sum(A[i, k] * B[k, j], k): evaluator against the same loop in C, bit for bit. */
static void test_matmul_f32(void) {
    enum { N = 5, L = 7, M = 6 };
    TB b = tb_new("mm");
    int A = placeholder(&b, "A", DT_FLOAT32, 2, (int64_t)N, (int64_t)L);
    int B = placeholder(&b, "B", DT_FLOAT32, 2, (int64_t)L, (int64_t)M);
    int C = compute(&b, "C", DT_FLOAT32, 2, 1, (int64_t)N, (int64_t)M, (int64_t)0, (int64_t)L);
    b.in->stages[C].body = red(&b, RED_SUM,
                               bin(&b, OP_MUL, load(&b, A, 2, var(&b, 0), var(&b, 2)),
                                   load(&b, B, 2, var(&b, 2), var(&b, 1))));
    tb_finish(&b);
    float a[N * L], bb[L * M], c[N * M], ref[N * M];
    uint64_t seed = 1;
    eval_fill_random(DT_FLOAT32, a, N * L, &seed);
    eval_fill_random(DT_FLOAT32, bb, L * M, &seed);
    void *args[] = {a, bb, c};
    CHECK(eval_run(b.in, args));
    for (int i = 0; i < N; i++)
        for (int j = 0; j < M; j++) {
            float acc = 0;
            for (int k = 0; k < L; k++) acc += a[i * L + k] * bb[k * M + j];
            ref[i * M + j] = acc;
        }
    CHECK(memcmp(c, ref, sizeof c) == 0);
    CHECK(eval_compare(DT_FLOAT32, c, ref, N * M, L, NULL, 0));
    arena_free(b.a);
}

/* Integer / and % are Python's // and %; x / 0 and x % 0 give 0; INT32_MIN / -1 wraps. */
static void test_floor_div_mod(void) {
    enum { N = 12 };
    TB b = tb_new("divmod");
    int A = placeholder(&b, "A", DT_INT32, 1, (int64_t)N);
    int B = placeholder(&b, "B", DT_INT32, 1, (int64_t)N);
    int Q = compute(&b, "Q", DT_INT32, 1, 0, (int64_t)N);
    int R = compute(&b, "R", DT_INT32, 1, 0, (int64_t)N);
    b.in->stages[Q].body = bin(&b, OP_DIV, load(&b, A, 1, var(&b, 0)), load(&b, B, 1, var(&b, 0)));
    b.in->stages[R].body = bin(&b, OP_MOD, load(&b, A, 1, var(&b, 0)), load(&b, B, 1, var(&b, 0)));
    tb_finish(&b);
    int32_t a[N] = {7, -7, 7, -7, 6, -6, 0, 5, -5, INT32_MIN, INT32_MIN, 1};
    int32_t d[N] = {2, 2, -2, -2, 3, 3, 3, 0, 0, -1, 2, 1};
    int32_t q[N], r[N];
    int32_t eq[N] = {3, -4, -4, 3, 2, -2, 0, 0, 0, INT32_MIN, -1073741824, 1};
    int32_t er[N] = {1, 1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};
    void *args[] = {a, d, q, r};
    CHECK(eval_run(b.in, args));
    for (int i = 0; i < N; i++) {
        if (q[i] != eq[i] || r[i] != er[i])
            fprintf(stderr, "  %d: %d / %d = %d %% %d, expected %d %% %d\n", i, a[i], d[i], q[i],
                    r[i], eq[i], er[i]);
        CHECK(q[i] == eq[i]);
        CHECK(r[i] == er[i]);
    }
    arena_free(b.a);
}

/* int8 and uint8 arithmetic wraps to the width after each operation. */
static void test_wraparound(void) {
    TB b = tb_new("wrap");
    int A = placeholder(&b, "A", DT_INT8, 1, (int64_t)4);
    int U = placeholder(&b, "U", DT_UINT8, 1, (int64_t)4);
    int C = compute(&b, "C", DT_INT8, 1, 0, (int64_t)4);
    int D = compute(&b, "D", DT_UINT8, 1, 0, (int64_t)4);
    int S = compute(&b, "S", DT_INT8, 1, 1, (int64_t)1, (int64_t)0, (int64_t)4);
    /* C = A * 3 - 1 (wraps); D = U - 5 (wraps below 0); S = sum(A[k] * 2, k) (wraps per step) */
    b.in->stages[C].body =
        bin(&b, OP_SUB, bin(&b, OP_MUL, load(&b, A, 1, var(&b, 0)), ci(&b, DT_INT8, 3)),
            ci(&b, DT_INT8, 1));
    b.in->stages[D].body = bin(&b, OP_SUB, load(&b, U, 1, var(&b, 0)), ci(&b, DT_UINT8, 5));
    b.in->stages[S].body =
        red(&b, RED_SUM, bin(&b, OP_MUL, load(&b, A, 1, var(&b, 1)), ci(&b, DT_INT8, 2)));
    tb_finish(&b);
    int8_t a[4] = {100, -100, 43, 127}, c[4], s[1];
    uint8_t u[4] = {0, 4, 5, 255}, dd[4];
    void *args[] = {a, u, c, dd, s};
    CHECK(eval_run(b.in, args));
    int8_t ec[4] = {(int8_t)(299 - 256), (int8_t)(-301 + 256), (int8_t)(128 - 256),
                    (int8_t)(380 - 256)};
    /* 100*3 = 300 -> 44, -1 = 43; -300 -> -44, -1 = -45; 129 -> -127, -1 = -128; 381 -> 125, -1 */
    ec[0] = 43, ec[1] = -45, ec[2] = -128, ec[3] = 124;
    uint8_t ed[4] = {251, 255, 0, 250};
    CHECK(memcmp(c, ec, 4) == 0);
    CHECK(memcmp(dd, ed, 4) == 0);
    /* 200 -> -56; -56 + (-200 -> 56) = 0; 0 + 86 = 86; 86 + (254 -> -2) = 84 */
    CHECK(s[0] == 84);
    arena_free(b.a);
}

/* float32 results are rounded after each operation: identical to a C float expression. */
static void test_float32_rounding(void) {
    enum { N = 64 };
    TB b = tb_new("fma");
    int A = placeholder(&b, "A", DT_FLOAT32, 1, (int64_t)N);
    int B = placeholder(&b, "B", DT_FLOAT32, 1, (int64_t)N);
    int C = compute(&b, "C", DT_FLOAT32, 1, 0, (int64_t)N);
    int D = compute(&b, "D", DT_FLOAT64, 1, 0, (int64_t)N);
    Expr *ai = load(&b, A, 1, var(&b, 0)), *bi = load(&b, B, 1, var(&b, 0));
    /* C = (A * B + A) / 3.0 ; D = float64(A) * float64(B) + 0.1 */
    b.in->stages[C].body =
        bin(&b, OP_DIV, bin(&b, OP_ADD, bin(&b, OP_MUL, ai, bi), ai), cf(&b, DT_FLOAT32, 3.0));
    b.in->stages[D].body =
        bin(&b, OP_ADD, bin(&b, OP_MUL, cast(&b, DT_FLOAT64, ai), cast(&b, DT_FLOAT64, bi)),
            cf(&b, DT_FLOAT64, 0.1));
    tb_finish(&b);
    float a[N], bb[N], c[N];
    double d[N];
    uint64_t seed = 7;
    eval_fill_random(DT_FLOAT32, a, N, &seed);
    eval_fill_random(DT_FLOAT32, bb, N, &seed);
    void *args[] = {a, bb, c, d};
    CHECK(eval_run(b.in, args));
    for (int i = 0; i < N; i++) {
        volatile float p = a[i] * bb[i];
        volatile float s = p + a[i];
        float e = s / 3.0f;
        CHECK(c[i] == e);
        CHECK(d[i] == (double)a[i] * (double)bb[i] + 0.1);
    }
    arena_free(b.a);
}

/* Casts: float -> int truncates toward zero, NaN gives 0; to bool is x != 0. */
static void test_casts(void) {
    enum { N = 8 };
    TB b = tb_new("casts");
    int A = placeholder(&b, "A", DT_FLOAT64, 1, (int64_t)N);
    int I = compute(&b, "I", DT_INT32, 1, 0, (int64_t)N);
    int Z = compute(&b, "Z", DT_BOOL, 1, 0, (int64_t)N);
    int F = compute(&b, "F", DT_FLOAT32, 1, 0, (int64_t)N);
    b.in->stages[I].body = cast(&b, DT_INT32, load(&b, A, 1, var(&b, 0)));
    b.in->stages[Z].body = cast(&b, DT_BOOL, load(&b, A, 1, var(&b, 0)));
    b.in->stages[F].body = cast(&b, DT_FLOAT32, load(&b, A, 1, var(&b, 0)));
    tb_finish(&b);
    double a[N] = {2.7, -2.7, 0.0, -0.5, 0.5, NAN, 1e300, 1.0 / 3.0};
    int32_t in[N];
    bool z[N];
    float f[N];
    void *args[] = {a, in, z, f};
    CHECK(eval_run(b.in, args));
    int32_t ei[N] = {2, -2, 0, 0, 0, 0, -1, 0}; /* 1e300 saturates to INT64_MAX, wraps to -1 */
    bool ez[N] = {1, 1, 0, 1, 1, 1, 1, 1};
    for (int i = 0; i < N; i++) {
        CHECK(in[i] == ei[i]);
        CHECK(z[i] == ez[i]);
    }
    CHECK(f[7] == (float)(1.0 / 3.0) && isinf(f[6]));
    arena_free(b.a);
}

/* Padding through select: the guarded read A[i - 1] is out of bounds only when not taken. */
static void test_select_guard(void) {
    enum { N = 5 };
    TB b = tb_new("pad");
    int A = placeholder(&b, "A", DT_INT32, 1, (int64_t)N);
    int P = compute(&b, "P", DT_INT32, 1, 0, (int64_t)(N + 2));
    Expr *i = var(&b, 0);
    Expr *inb = bin(&b, OP_AND, bin(&b, OP_GE, i, ci(&b, DT_INT32, 1)),
                    bin(&b, OP_LE, i, ci(&b, DT_INT32, N)));
    b.in->stages[P].body =
        sel(&b, inb, load(&b, A, 1, bin(&b, OP_SUB, i, ci(&b, DT_INT32, 1))), ci(&b, DT_INT32, -1));
    /* Q[i] = !(i >= N) && A[i] > 0: && short-circuits, so A[N], A[N+1] are never read */
    int Q = compute(&b, "Q", DT_BOOL, 1, 0, (int64_t)(N + 2));
    b.in->stages[Q].body =
        bin(&b, OP_AND, un(&b, OP_NOT, bin(&b, OP_GE, var(&b, 0), ci(&b, DT_INT32, N))),
            bin(&b, OP_GT, load(&b, A, 1, var(&b, 0)), ci(&b, DT_INT32, 0)));
    tb_finish(&b);
    int32_t a[N] = {3, -1, 4, 0, 5}, p[N + 2];
    bool q[N + 2];
    void *args[] = {a, p, q};
    CHECK(eval_run(b.in, args));
    int32_t ep[N + 2] = {-1, 3, -1, 4, 0, 5, -1};
    bool eq[N + 2] = {1, 0, 1, 0, 1, 0, 0};
    CHECK(memcmp(p, ep, sizeof p) == 0);
    CHECK(memcmp(q, eq, sizeof q) == 0);
    arena_free(b.a);
}

/* A read that is executed out of bounds is a bug in the template: eval_run says so. */
static void test_oob_read(void) {
    TB b = tb_new("oob");
    int A = placeholder(&b, "A", DT_FLOAT32, 2, (int64_t)4, (int64_t)4);
    int C = compute(&b, "C", DT_FLOAT32, 2, 0, (int64_t)4, (int64_t)4);
    b.in->stages[C].body =
        load(&b, A, 2, var(&b, 0), bin(&b, OP_ADD, var(&b, 1), ci(&b, DT_INT32, 1)));
    tb_finish(&b);
    float a[16] = {0}, c[16];
    void *args[] = {a, c};
    fprintf(stderr, "(an out-of-bounds message is expected next)\n");
    CHECK(!eval_run(b.in, args));
    arena_free(b.a);
}

/* A stage of 2^21 points, split among the cores: the same values as one thread's walk, and of
 * several out-of-bounds reads the one a sequential walk meets first is reported (row 200),
 * though another thread (from row 256 on, with 2 cores) meets its own first. */
static void test_parallel_stage(void) {
    enum { N = 512, M = 4096 };
    TB b = tb_new("par");
    int A = placeholder(&b, "A", DT_FLOAT32, 2, (int64_t)N, (int64_t)M);
    int C = compute(&b, "C", DT_FLOAT32, 2, 0, (int64_t)N, (int64_t)M);
    int D = compute(&b, "D", DT_FLOAT32, 2, 0, (int64_t)N, (int64_t)M);
    b.in->stages[C].body =
        bin(&b, OP_MUL, load(&b, A, 2, var(&b, 0), var(&b, 1)), cf(&b, DT_FLOAT32, 3));
    /* A[i, j + i / 200]: out of bounds at j = M - 1 from row 200 on */
    b.in->stages[D].body =
        load(&b, A, 2, var(&b, 0),
             bin(&b, OP_ADD, var(&b, 1), bin(&b, OP_DIV, var(&b, 0), ci(&b, DT_INT32, 200))));
    tb_finish(&b);
    float *a = malloc(sizeof *a * N * M), *c = malloc(sizeof *c * N * M),
          *d = malloc(sizeof *d * N * M);
    uint64_t seed = 3;
    eval_fill_random(DT_FLOAT32, a, N * M, &seed);
    void *args[] = {a, c, d};
    char msg[1024] = "";
    FILE *tmp = tmpfile();
    fflush(stderr);
    int saved = dup(2);
    CHECK(tmp && saved >= 0 && dup2(fileno(tmp), 2) >= 0);
    CHECK(!eval_run(b.in, args));
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    rewind(tmp);
    size_t got = fread(msg, 1, sizeof msg - 1, tmp);
    msg[got] = 0;
    fclose(tmp);
    bool same = true;
    for (int i = 0; i < N * M; i++) same = same && c[i] == (float)(a[i] * 3.0);
    CHECK(same, "C differs from A * 3");
    CHECK(strstr(msg, "reading A[200, 4096]") != NULL && !strstr(msg, "A[256"), "%s", msg);
    CHECK(strchr(msg, '\n') == msg + strlen(msg) - 1, "one line: %s", msg);
    free(a);
    free(c);
    free(d);
    arena_free(b.a);
}

/* Reductions: identities (lowest/highest, -inf/+inf), several reduce axes in order. */
static void test_reductions(void) {
    TB b = tb_new("red");
    int A = placeholder(&b, "A", DT_INT8, 2, (int64_t)3, (int64_t)4);
    int F = placeholder(&b, "F", DT_FLOAT32, 2, (int64_t)3, (int64_t)4);
    int MX = compute(&b, "MX", DT_INT8, 1, 1, (int64_t)3, (int64_t)0, (int64_t)4);
    int MN = compute(&b, "MN", DT_INT8, 1, 1, (int64_t)3, (int64_t)0, (int64_t)4);
    int E = compute(&b, "E", DT_INT8, 1, 1, (int64_t)1, (int64_t)0, (int64_t)0);
    int EF = compute(&b, "EF", DT_FLOAT32, 1, 1, (int64_t)1, (int64_t)0, (int64_t)0);
    int EN = compute(&b, "EN", DT_FLOAT32, 1, 1, (int64_t)1, (int64_t)0, (int64_t)0);
    /* S = sum over r0 in [1, 3), r1 in [0, 4) of F[r0, r1]: first axis outermost */
    int S = compute(&b, "S", DT_FLOAT32, 1, 2, (int64_t)1, (int64_t)1, (int64_t)2, (int64_t)0,
                    (int64_t)4);
    b.in->stages[MX].body = red(&b, RED_MAX, load(&b, A, 2, var(&b, 0), var(&b, 1)));
    b.in->stages[MN].body = red(&b, RED_MIN, load(&b, A, 2, var(&b, 0), var(&b, 1)));
    b.in->stages[E].body = red(&b, RED_MAX, ci(&b, DT_INT8, 5));
    b.in->stages[EF].body = red(&b, RED_MAX, cf(&b, DT_FLOAT32, 5));
    b.in->stages[EN].body = red(&b, RED_MIN, cf(&b, DT_FLOAT32, 5));
    b.in->stages[S].body = red(&b, RED_SUM, load(&b, F, 2, var(&b, 1), var(&b, 2)));
    tb_finish(&b);
    int8_t a[12] = {-128, -128, -128, -128, 1, 2, 3, 127, -5, 9, -7, 0};
    float f[12] = {9, 9, 9, 9, 1e8f, 1, -1e8f, 1, 3, 0.25f, 1e-8f, 7};
    int8_t mx[3], mn[3], e[1];
    float ef[1], en[1], s[1];
    void *args[] = {a, f, mx, mn, e, ef, en, s};
    CHECK(eval_run(b.in, args));
    CHECK(mx[0] == -128 && mx[1] == 127 && mx[2] == 9);
    CHECK(mn[0] == -128 && mn[1] == 1 && mn[2] == -7);
    CHECK(e[0] == -128); /* empty max: int8's lowest */
    CHECK(isinf(ef[0]) && ef[0] < 0 && isinf(en[0]) && en[0] > 0);
    float acc = 0;
    for (int r0 = 1; r0 < 3; r0++)
        for (int r1 = 0; r1 < 4; r1++) acc += f[r0 * 4 + r1];
    CHECK(s[0] == acc);
    arena_free(b.a);
}

/* Intermediate stages are allocated inside; integer math helpers. */
static void test_multistage_int(void) {
    enum { N = 9 };
    TB b = tb_new("ms");
    int A = placeholder(&b, "A", DT_INT32, 1, (int64_t)N);
    int T = compute(&b, "T", DT_INT32, 1, 0, (int64_t)N);
    int O = compute(&b, "O", DT_INT64, 1, 0, (int64_t)N);
    Expr *ai = load(&b, A, 1, var(&b, 0));
    /* T = max(abs(A) , 2) ^ 3 ... via pow; O = int64(T) - min(A, 0) */
    Expr *mx = bin(&b, OP_MAX, call(&b, FN_ABS, ai), ci(&b, DT_INT32, 2));
    b.in->stages[T].body = bin(&b, OP_POW, mx, ci(&b, DT_INT32, 3));
    b.in->stages[O].body = bin(&b, OP_SUB, cast(&b, DT_INT64, load(&b, T, 1, var(&b, 0))),
                               cast(&b, DT_INT64, bin(&b, OP_MIN, ai, ci(&b, DT_INT32, 0))));
    tb_finish(&b);
    CHECK(b.in->nargs == 2 && b.in->stages[T].arg_index == -1);
    int32_t a[N] = {0, 1, -1, 3, -4, 7, -8, 100, -2000};
    int64_t o[N];
    void *args[] = {a, o};
    CHECK(eval_run(b.in, args));
    for (int i = 0; i < N; i++) {
        int64_t m = a[i] < 0 ? -a[i] : a[i];
        if (m < 2) m = 2;
        int32_t t = (int32_t)(uint32_t)(m * m * m); /* -2000: 8e9 wraps in int32 */
        CHECK(o[i] == (int64_t)t - (a[i] < 0 ? a[i] : 0));
    }
    arena_free(b.a);
}

/* Math calls on float64 agree with libm; float32 ones with the float functions. */
static void test_math(void) {
    enum { N = 16 };
    TB b = tb_new("math");
    int A = placeholder(&b, "A", DT_FLOAT64, 1, (int64_t)N);
    int G = placeholder(&b, "G", DT_FLOAT32, 1, (int64_t)N);
    MathFn fns[] = {FN_EXP, FN_LOG, FN_SQRT, FN_TANH, FN_ABS, FN_FLOOR, FN_CEIL};
    int out[7], outf[7];
    for (int f = 0; f < 7; f++) {
        out[f] = compute(&b, "M", DT_FLOAT64, 1, 0, (int64_t)N);
        b.in->stages[out[f]].body = call(&b, fns[f], load(&b, A, 1, var(&b, 0)));
        outf[f] = compute(&b, "MF", DT_FLOAT32, 1, 0, (int64_t)N);
        b.in->stages[outf[f]].body = call(&b, fns[f], load(&b, G, 1, var(&b, 0)));
    }
    int P = compute(&b, "P", DT_FLOAT64, 1, 0, (int64_t)N);
    b.in->stages[P].body = bin(&b, OP_POW, load(&b, A, 1, var(&b, 0)), cf(&b, DT_FLOAT64, 1.5));
    tb_finish(&b);
    double a[N], r[7][N], p[N];
    float g[N], rf[7][N];
    uint64_t seed = 3;
    eval_fill_random(DT_FLOAT64, a, N, &seed);
    for (int i = 0; i < N; i++) g[i] = (float)a[i] * 4;
    void *args[2 + 15];
    args[0] = a, args[1] = g;
    for (int f = 0; f < 7; f++) args[2 + 2 * f] = r[f], args[3 + 2 * f] = rf[f];
    args[16] = p;
    CHECK(eval_run(b.in, args));
    for (int i = 0; i < N; i++) {
        double x = a[i];
        float y = g[i];
#define SAME(u, v) (((u) == (v)) || (isnan(u) && isnan(v)))
        CHECK(SAME(r[0][i], exp(x)) && SAME(rf[0][i], expf(y)));
        CHECK(SAME(r[1][i], log(x)) && SAME(rf[1][i], logf(y)));
        CHECK(SAME(r[2][i], sqrt(x)) && SAME(rf[2][i], sqrtf(y)));
        CHECK(SAME(r[3][i], tanh(x)) && SAME(rf[3][i], tanhf(y)));
        CHECK(r[4][i] == fabs(x) && rf[4][i] == fabsf(y));
        CHECK(r[5][i] == floor(x) && rf[5][i] == floorf(y));
        CHECK(r[6][i] == ceil(x) && rf[6][i] == ceilf(y));
        CHECK(SAME(p[i], pow(x, 1.5)));
    }
    arena_free(b.a);
}

/* Same seed, same values; in the documented ranges; the seed moves on. */
static void test_fill_random(void) {
    enum { N = 4096 };
    static float f1[N], f2[N];
    static int32_t iv[N];
    static uint8_t uv[N];
    static bool bv[N];
    uint64_t s1 = 42, s2 = 42;
    eval_fill_random(DT_FLOAT32, f1, N, &s1);
    eval_fill_random(DT_FLOAT32, f2, N, &s2);
    CHECK(memcmp(f1, f2, sizeof f1) == 0 && s1 == s2 && s1 != 42);
    eval_fill_random(DT_FLOAT32, f2, N, &s2);
    CHECK(memcmp(f1, f2, sizeof f1) != 0);
    float lo = 1, hi = -1;
    for (int i = 0; i < N; i++) lo = fminf(lo, f1[i]), hi = fmaxf(hi, f1[i]);
    CHECK(lo >= -1 && lo < -0.99f && hi < 1 && hi > 0.99f);
    eval_fill_random(DT_INT32, iv, N, &s1);
    eval_fill_random(DT_UINT8, uv, N, &s1);
    eval_fill_random(DT_BOOL, bv, N, &s1);
    int imin = 0, imax = 0, umax = 0, nb = 0;
    for (int i = 0; i < N; i++) {
        imin = iv[i] < imin ? iv[i] : imin, imax = iv[i] > imax ? iv[i] : imax;
        umax = uv[i] > umax ? uv[i] : umax, nb += bv[i];
        CHECK((unsigned char)bv[i] <= 1);
    }
    CHECK(imin == -8 && imax == 7 && umax == 15 && nb > N / 4 && nb < 3 * N / 4);
}

/* The comparator accepts a sum taken in another order and rejects one wrong element. */
static void test_compare(void) {
    enum { N = 32, L = 1024, M = 32 };
    static float a[N * L], bb[L * M], ref[N * M], rev[N * M], blk[N * M];
    static double ad[N * L], bd[L * M], refd[N * M], revd[N * M];
    uint64_t seed = 9;
    eval_fill_random(DT_FLOAT32, a, N * L, &seed);
    eval_fill_random(DT_FLOAT32, bb, L * M, &seed);
    for (int i = 0; i < N * L; i++) ad[i] = a[i];
    for (int i = 0; i < L * M; i++) bd[i] = bb[i];
    for (int i = 0; i < N; i++)
        for (int j = 0; j < M; j++) {
            float s = 0, r = 0, part[8] = {0};
            double sd = 0, rd = 0;
            for (int k = 0; k < L; k++) s += a[i * L + k] * bb[k * M + j];
            for (int k = L - 1; k >= 0; k--) r += a[i * L + k] * bb[k * M + j];
            for (int k = 0; k < L; k++) part[k % 8] += a[i * L + k] * bb[k * M + j];
            for (int k = 0; k < L; k++) sd += ad[i * L + k] * bd[k * M + j];
            for (int k = L - 1; k >= 0; k--) rd += ad[i * L + k] * bd[k * M + j];
            ref[i * M + j] = s, rev[i * M + j] = r;
            blk[i * M + j] = ((part[0] + part[1]) + (part[2] + part[3])) +
                             ((part[4] + part[5]) + (part[6] + part[7]));
            refd[i * M + j] = sd, revd[i * M + j] = rd;
        }
    char why[200];
    CHECK(eval_compare(DT_FLOAT32, rev, ref, N * M, L, why, sizeof why));
    CHECK(eval_compare(DT_FLOAT32, blk, ref, N * M, L, why, sizeof why));
    CHECK(eval_compare(DT_FLOAT64, revd, refd, N * M, L, why, sizeof why));
    /* A lost term: element 77 misses k = 500. */
    float bad = rev[77] - a[2 * L + 500] * bb[500 * M + 13];
    float save = rev[77];
    rev[77] = bad;
    CHECK(!eval_compare(DT_FLOAT32, rev, ref, N * M, L, why, sizeof why));
    CHECK(strstr(why, "element 77") != NULL);
    rev[77] = save;
    /* A small relative error on one element (1e-3 of the output's scale). */
    rev[300] += 1e-3f * fabsf(ref[300]) + 1e-2f;
    CHECK(!eval_compare(DT_FLOAT32, rev, ref, N * M, L, why, sizeof why));
    /* float64 at float32 accuracy is wrong */
    for (int i = 0; i < N * M; i++) revd[i] = (float)refd[i];
    CHECK(!eval_compare(DT_FLOAT64, revd, refd, N * M, L, why, sizeof why));
    /* ... unless the value passed through float32 arithmetic: then float32's tolerance */
    CHECK(eval_compare_at(DT_FLOAT64, DT_FLOAT32, revd, refd, N * M, L, why, sizeof why));
    CHECK(!eval_compare_at(DT_FLOAT64, DT_FLOAT64, revd, refd, N * M, L, why, sizeof why));
    /* Integers exactly; bool by truth value. */
    int32_t x[4] = {1, 2, 3, 4}, y[4] = {1, 2, 3, 5};
    CHECK(eval_compare(DT_INT32, x, x, 4, 1, why, sizeof why));
    CHECK(!eval_compare(DT_INT32, x, y, 4, 1, why, sizeof why) && strstr(why, "element 3"));
    /* NaN only matches NaN, inf only the same inf */
    float n1[3] = {NAN, INFINITY, 1}, n2[3] = {NAN, INFINITY, 1}, n3[3] = {1, INFINITY, 1},
          n4[3] = {NAN, -INFINITY, 1};
    CHECK(eval_compare(DT_FLOAT32, n1, n2, 3, 1, NULL, 0));
    CHECK(!eval_compare(DT_FLOAT32, n3, n1, 3, 1, NULL, 0));
    CHECK(!eval_compare(DT_FLOAT32, n4, n1, 3, 1, NULL, 0));
}

int main(void) {
    test_matmul_f32();
    test_floor_div_mod();
    test_wraparound();
    test_float32_rounding();
    test_casts();
    test_select_guard();
    test_oob_read();
    test_parallel_stage();
    test_reductions();
    test_multistage_int();
    test_math();
    test_fill_random();
    test_compare();
    return test_report("eval_unit");
}
