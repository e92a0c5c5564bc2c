/* Helpers for codegen tests: build IR functions by hand, JIT them, compare with C loops. */
#ifndef TEC_CG_TESTLIB_H
#define TEC_CG_TESTLIB_H
#include "compiler/codegen.h"
#include "tests/lib/testlib.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct TB {
    Arena *a;
    IrFunc *f;
} TB;
#define TB_MAX_ARGS 16

static inline TB tb_new(const char *name) {
    TB t = {0};
    t.a = arena_new();
    t.f = ARENA_NEW(t.a, IrFunc);
    t.f->name = name;
    t.f->args = ARENA_ARRAY(t.a, IrBuf *, TB_MAX_ARGS);
    return t;
}

/* An argument buffer; arguments are added in ABI order. */
static inline IrBuf *tb_arg(TB *t, const char *name, DType dt, int64_t size, bool readonly) {
    IrBuf *b = ARENA_NEW(t->a, IrBuf);
    b->name = name;
    b->dtype = dt;
    b->size = size;
    b->kind = BUF_ARG;
    b->arg = t->f->nargs;
    b->readonly = readonly;
    if (t->f->nargs == TB_MAX_ARGS) abort();
    t->f->args[t->f->nargs++] = b;
    return b;
}

static inline IrBuf *tb_buf(TB *t, const char *name, DType dt, int64_t size, IrBufKind k) {
    IrBuf *b = ARENA_NEW(t->a, IrBuf);
    b->name = name;
    b->dtype = dt;
    b->size = size;
    b->kind = k;
    b->arg = -1;
    return b;
}

static inline IrStmt *tb_block(TB *t, int n, IrStmt **s) {
    IrStmt **v = ARENA_ARRAY(t->a, IrStmt *, n);
    memcpy(v, s, sizeof *v * (size_t)n);
    return ir_block(t->a, v, n);
}
#define BLOCK(...)                                                                                 \
    tb_block(&T, (int)(sizeof((IrStmt *[]){__VA_ARGS__}) / sizeof(IrStmt *)),                      \
             (IrStmt *[]){__VA_ARGS__})

#define A_ T.a
#define VAR(name) ir_new_var(A_, T.f, name)
#define V(x) ir_var(A_, x)
#define I(n) ir_int(A_, n)
#define C32(n) ir_const(A_, DT_INT32, n, 0)
#define F32(x) ir_const(A_, DT_FLOAT32, 0, x)
#define F64(x) ir_const(A_, DT_FLOAT64, 0, x)
#define BIN(op, x, y) ir_binary(A_, op, x, y)
#define ADD(x, y) BIN(OP_ADD, x, y)
#define SUB(x, y) BIN(OP_SUB, x, y)
#define MUL(x, y) BIN(OP_MUL, x, y)
#define DIV(x, y) BIN(OP_DIV, x, y)
#define MOD(x, y) BIN(OP_MOD, x, y)
#define LT(x, y) BIN(OP_LT, x, y)
#define GE(x, y) BIN(OP_GE, x, y)
#define AND(x, y) BIN(OP_AND, x, y)
#define LOAD(b, i) ir_load(A_, b, i)
#define STORE(b, i, v) ir_store(A_, b, i, v)
#define FOR(v, n, k, body) ir_for(A_, v, I(0), I(n), k, body)
#define SERIAL FOR_SERIAL
#define VEC FOR_VECTORIZED
#define UNROLL FOR_UNROLLED
#define PAR FOR_PARALLEL

/* Compile and JIT f, or report why not (NULL). */
static inline CgJit *tb_jit(Cg *cg, const IrFunc *f) {
    char err[1024];
    CgModule *m = cg_compile(cg, f, err, sizeof err);
    if (!m) {
        fprintf(stderr, "compile %s: %s\n", f->name, err);
        test_fail();
        return NULL;
    }
    if (getenv("CG_TEST_DUMP")) { /* debugging aid: the optimised IR as DIR/NAME.ll */
        char path[512];
        snprintf(path, sizeof path, "%s/%s.ll", getenv("CG_TEST_DUMP"), f->name);
        cg_write(cg, m, CG_LLVM, path, err, sizeof err);
    }
    CgJit *j = cg_jit(cg, m, err, sizeof err);
    if (!j) {
        fprintf(stderr, "jit %s: %s\n", f->name, err);
        test_fail();
    }
    return j;
}

/* Compile, JIT and run f once on args; false on failure. */
static inline bool tb_run(Cg *cg, const IrFunc *f, void *const *args) {
    CgJit *j = tb_jit(cg, f);
    if (!j) return false;
    cg_jit_kernel(j)(args);
    cg_jit_free(j);
    return true;
}

static inline bool close_f(double got, double want, double tol) {
    if (isnan(want)) return isnan(got);
    return fabs(got - want) <= tol * (1 + fabs(want));
}

static inline uint32_t rnd(uint64_t *s) {
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)(*s >> 33);
}

static inline float rndf(uint64_t *s) {
    return (float)((int)(rnd(s) % 2001) - 1000) / 1000.0f;
}
/* C[i,j] = sum_k A[i,k] * B[k,j]; optionally as a register-tiled schedule:
 * for io, jo: CC[ii, ji] = 0; for k: for ii (unrolled): for ji (vectorized): CC += A*B;
 * copy out. */
static inline IrFunc *matmul_ir(TB *tp, int n, int l, int m, bool tiled, int ti, int tj, bool par) {
    TB T = *tp;
    IrBuf *A = tb_arg(&T, "A", DT_FLOAT32, (int64_t)n * l, true);
    IrBuf *B = tb_arg(&T, "B", DT_FLOAT32, (int64_t)l * m, true);
    IrBuf *C = tb_arg(&T, "C", DT_FLOAT32, (int64_t)n * m, false);
    IrVar *i = VAR("i"), *j = VAR("j"), *k = VAR("k");
    if (!tiled) {
        IrExpr *cix = ADD(MUL(V(i), I(m)), V(j));
        IrStmt *upd = STORE(C, cix,
                            ADD(LOAD(C, cix), MUL(LOAD(A, ADD(MUL(V(i), I(l)), V(k))),
                                                  LOAD(B, ADD(MUL(V(k), I(m)), V(j))))));
        T.f->body = FOR(i, n, par ? PAR : SERIAL,
                        FOR(j, m, SERIAL, BLOCK(STORE(C, cix, F32(0)), FOR(k, l, SERIAL, upd))));
        *tp = T;
        return T.f;
    }
    IrVar *io = VAR("i.outer"), *jo = VAR("j.outer"), *ii = VAR("i.inner"), *ji = VAR("j.inner");
    IrVar *ii2 = VAR("i.c"), *ji2 = VAR("j.c");
    IrBuf *CC = tb_buf(&T, "CC", DT_FLOAT32, (int64_t)ti * tj, BUF_LOCAL);
    IrExpr *ccix = ADD(MUL(V(ii), I(tj)), V(ji));
    IrExpr *ccix2 = ADD(MUL(V(ii2), I(tj)), V(ji2));
    IrExpr *arow = ADD(MUL(V(io), I(ti)), V(ii));
    IrExpr *bcol = ADD(MUL(V(jo), I(tj)), V(ji));
    IrStmt *init = FOR(ii, ti, UNROLL, FOR(ji, tj, VEC, STORE(CC, ccix, F32(0))));
    IrVar *ii3 = VAR("i.u"), *ji3 = VAR("j.u");
    IrExpr *ccix3 = ADD(MUL(V(ii3), I(tj)), V(ji3));
    IrStmt *upd = FOR(
        k, l, SERIAL,
        FOR(ii3, ti, UNROLL,
            FOR(ji3, tj, VEC,
                STORE(CC, ccix3,
                      ADD(LOAD(CC, ccix3),
                          MUL(LOAD(A, ADD(MUL(ADD(MUL(V(io), I(ti)), V(ii3)), I(l)), V(k))),
                              LOAD(B, ADD(MUL(V(k), I(m)), ADD(MUL(V(jo), I(tj)), V(ji3))))))))));
    IrStmt *out = FOR(
        ii2, ti, SERIAL,
        FOR(ji2, tj, VEC,
            STORE(C, ADD(MUL(ADD(MUL(V(io), I(ti)), V(ii2)), I(m)), ADD(MUL(V(jo), I(tj)), V(ji2))),
                  LOAD(CC, ccix2))));
    (void)arow;
    (void)bcol;
    (void)i;
    (void)j;
    T.f->body = FOR(io, n / ti, par ? PAR : SERIAL,
                    FOR(jo, m / tj, SERIAL, ir_alloc(A_, CC, BLOCK(init, upd, out))));
    *tp = T;
    return T.f;
}

static inline void matmul_ref(const float *A, const float *B, float *C, int n, int l, int m) {
    for (int i = 0; i < n; i++)
        for (int j = 0; j < m; j++) {
            float s = 0;
            for (int k = 0; k < l; k++) s += A[i * l + k] * B[k * m + j];
            C[i * m + j] = s;
        }
}

/* A codegen test program: named tests sharing one Cg. */
typedef struct CgTest {
    const char *name;
    void (*fn)(Cg *cg);
} CgTest;

/* Runs the test named argv[1] (every test without an argument); the exit status for main. */
static inline int cg_tests_run(int argc, char **argv, const CgTest *tests, size_t ntests) {
    char err[512];
    Cg *cg = cg_new(NULL, err, sizeof err);
    if (!cg) {
        fprintf(stderr, "cg_new: %s\n", err);
        return 1;
    }
    int ran = 0;
    for (size_t i = 0; i < ntests; i++)
        if (argc < 2 || strcmp(argv[1], tests[i].name) == 0) {
            tests[i].fn(cg);
            ran++;
        }
    cg_free(cg);
    if (!ran) {
        fprintf(stderr, "no test named %s\n", argv[1]);
        return 1;
    }
    return test_report(argc < 2 ? "codegen" : argv[1]);
}
#endif
