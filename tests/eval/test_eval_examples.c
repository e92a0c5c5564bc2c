/* Every example template, bound at small sizes as `-D` would bind it, evaluated by the
 * reference evaluator on random inputs and compared with a hand-written C loop nest:
 * integers exactly, floats within eval_compare's tolerance. Also floor division and modulo
 * through the whole front end, and every example binding with its own defaults. */
#include "tests/lib/testlib.h"
#include "lang/eval.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *srcdir;

/* Parse and bind a file with -D bindings; NULL (errors printed) on failure. */
static Inst *bind(Arena *a, const char *file, const Define *defs, int ndefs) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", srcdir, file);
    Diag d;
    return test_bind_file(a, &d, path, NULL, defs, ndefs);
}

static int64_t param(const Inst *in, const char *name) {
    for (int i = 0; i < in->nparams; i++)
        if (strcmp(in->params[i].name, name) == 0) return in->params[i].ival;
    fprintf(stderr, "no parameter %s\n", name);
    exit(2);
}

static int64_t nelems(const Stage *s) {
    int64_t n = 1;
    for (int d = 0; d < s->ndim; d++) n *= s->shape[d];
    return n;
}

static int64_t red_len(const Stage *s) {
    int64_t n = 1;
    for (int r = 0; r < s->nreduce; r++) n *= s->axes[s->ndim + r].extent;
    return n;
}

/* Reference loop nests: fill ref[arg] for every output argument from the inputs in arg[]. */
typedef void (*RefFn)(const Inst *in, void **arg, void **ref);

#define F32(x) ((float *)(x))
#define F64(x) ((double *)(x))

static void ref_matmul(const Inst *in, void **arg, void **ref) {
    int64_t N = param(in, "N"), L = param(in, "L"), M = param(in, "M");
    DType t = in->stages[in->args[0]].dtype;
    for (int64_t i = 0; i < N; i++)
        for (int64_t j = 0; j < M; j++) {
            if (t == DT_FLOAT32) {
                float acc = 0;
                for (int64_t k = 0; k < L; k++)
                    acc += F32(arg[0])[i * L + k] * F32(arg[1])[k * M + j];
                F32(ref[2])[i * M + j] = acc;
            } else if (t == DT_FLOAT64) {
                double acc = 0;
                for (int64_t k = 0; k < L; k++)
                    acc += F64(arg[0])[i * L + k] * F64(arg[1])[k * M + j];
                F64(ref[2])[i * M + j] = acc;
            } else {
                int32_t acc = 0;
                for (int64_t k = 0; k < L; k++)
                    acc += ((int32_t *)arg[0])[i * L + k] * ((int32_t *)arg[1])[k * M + j];
                ((int32_t *)ref[2])[i * M + j] = acc;
            }
        }
}

static void ref_batch_matmul(const Inst *in, void **arg, void **ref) {
    int64_t Bt = param(in, "batch"), N = param(in, "N"), L = param(in, "L"), M = param(in, "M");
    for (int64_t b = 0; b < Bt; b++)
        for (int64_t i = 0; i < N; i++)
            for (int64_t j = 0; j < M; j++) {
                float acc = 0;
                for (int64_t k = 0; k < L; k++)
                    acc += F32(arg[0])[(b * N + i) * L + k] * F32(arg[1])[(b * L + k) * M + j];
                F32(ref[2])[(b * N + i) * M + j] = acc;
            }
}

static void ref_conv2d(const Inst *in, void **arg, void **ref) {
    int64_t N = param(in, "N"), CI = param(in, "CI"), H = param(in, "H"), W = param(in, "W"),
            CO = param(in, "CO");
    const float *data = arg[0], *ker = arg[1];
    float *out = ref[2];
    for (int64_t n = 0; n < N; n++)
        for (int64_t f = 0; f < CO; f++)
            for (int64_t y = 0; y < H; y++)
                for (int64_t x = 0; x < W; x++) {
                    float acc = 0;
                    for (int64_t c = 0; c < CI; c++)
                        for (int64_t ry = 0; ry < 3; ry++)
                            for (int64_t rx = 0; rx < 3; rx++) {
                                int64_t yy = y + ry - 1, xx = x + rx - 1;
                                float v = yy >= 0 && yy < H && xx >= 0 && xx < W
                                              ? data[((n * CI + c) * H + yy) * W + xx]
                                              : 0.0f;
                                acc += v * ker[((f * CI + c) * 3 + ry) * 3 + rx];
                            }
                    out[((n * CO + f) * H + y) * W + x] = acc;
                }
}

static void ref_dense_bias_relu(const Inst *in, void **arg, void **ref) {
    int64_t N = param(in, "N"), K = param(in, "K"), M = param(in, "M");
    const float *data = arg[0], *w = arg[1], *bias = arg[2];
    for (int64_t i = 0; i < N; i++)
        for (int64_t j = 0; j < M; j++) {
            float acc = 0;
            for (int64_t k = 0; k < K; k++) acc += data[i * K + k] * w[j * K + k];
            float v = acc + bias[j];
            F32(ref[3])[i * M + j] = v > 0 ? v : 0;
        }
}

static void ref_softmax(const Inst *in, void **arg, void **ref) {
    int64_t N = param(in, "N"), M = param(in, "M");
    const float *x = arg[0];
    float *e = malloc(sizeof(float) * (size_t)M);
    for (int64_t i = 0; i < N; i++) {
        float mx = -INFINITY, s = 0;
        for (int64_t j = 0; j < M; j++) mx = x[i * M + j] > mx ? x[i * M + j] : mx;
        for (int64_t j = 0; j < M; j++) e[j] = expf(x[i * M + j] - mx);
        for (int64_t j = 0; j < M; j++) s += e[j];
        for (int64_t j = 0; j < M; j++) F32(ref[1])[i * M + j] = e[j] / s;
    }
    free(e);
}

static void ref_dense_int8(const Inst *in, void **arg, void **ref) {
    int64_t N = param(in, "N"), K = param(in, "K"), M = param(in, "M");
    const int8_t *data = arg[0], *w = arg[1];
    const int32_t *off = arg[2];
    for (int64_t i = 0; i < N; i++)
        for (int64_t j = 0; j < M; j++) {
            int32_t acc = 0;
            for (int64_t k = 0; k < K; k++) acc += (int32_t)data[i * K + k] * (int32_t)w[j * K + k];
            ((int32_t *)ref[3])[i * M + j] = acc + off[j];
        }
}

static void ref_stencil(const Inst *in, void **arg, void **ref) {
    int64_t N = param(in, "N"), M = param(in, "M");
    const double *g = arg[0];
    for (int64_t i = 0; i < N - 2; i++)
        for (int64_t j = 0; j < M - 2; j++) F64(ref[1])
    [i * (M - 2) + j] = 0.2 * (g[(i + 1) * M + j + 1] + g[i * M + j + 1] + g[(i + 2) * M + j + 1] +
                               g[(i + 1) * M + j] + g[(i + 1) * M + j + 2]);
}

static void ref_pool_upsample(const Inst *in, void **arg, void **ref) {
    int64_t N = param(in, "N"), C = param(in, "C"), H = param(in, "H"), W = param(in, "W");
    int64_t PH = H / 2, PW = W / 2;
    const float *d = arg[0];
    for (int64_t n = 0; n < N; n++)
        for (int64_t c = 0; c < C; c++)
            for (int64_t y = 0; y < 2 * PH; y++)
                for (int64_t x = 0; x < 2 * PW; x++) {
                    float m = -INFINITY;
                    for (int64_t ry = 0; ry < 2; ry++)
                        for (int64_t rx = 0; rx < 2; rx++) {
                            float v =
                                d[((n * C + c) * H + (y / 2) * 2 + ry) * W + (x / 2) * 2 + rx];
                            m = v > m ? v : m;
                        }
                    F32(ref[1])[((n * C + c) * 2 * PH + y) * 2 * PW + x] = m;
                }
}

typedef struct Case {
    const char *file;
    Define defs[6];
    int ndefs;
    int nargs; /* expected kernel arguments */
    RefFn ref;
} Case;

static const Case cases[] = {
    {"examples/matmul.te", {{"N", "7"}, {"L", "9"}, {"M", "5"}}, 3, 3, ref_matmul},
    {"examples/matmul.te",
     {{"N", "4"}, {"L", "33"}, {"M", "6"}, {"dtype", "float64"}},
     4,
     3,
     ref_matmul},
    {"examples/matmul.te",
     {{"N", "5"}, {"L", "6"}, {"M", "3"}, {"dtype", "int32"}},
     4,
     3,
     ref_matmul},
    {"examples/matmul_basic.te", {{"N", "12"}, {"L", "5"}, {"M", "10"}}, 3, 3, ref_matmul},
    {"examples/matmul_v1.te", {{"N", "6"}, {"L", "8"}, {"M", "4"}}, 3, 3, ref_matmul},
    {"examples/batch_matmul.te",
     {{"batch", "3"}, {"N", "5"}, {"L", "6"}, {"M", "7"}},
     4,
     3,
     ref_batch_matmul},
    {"examples/conv2d_nchw.te",
     {{"N", "2"}, {"CI", "3"}, {"H", "5"}, {"W", "6"}, {"CO", "4"}},
     5,
     3,
     ref_conv2d},
    {"examples/dense_bias_relu.te",
     {{"N", "5"}, {"K", "11"}, {"M", "6"}},
     3,
     4,
     ref_dense_bias_relu},
    {"examples/softmax.te", {{"N", "4"}, {"M", "13"}}, 2, 2, ref_softmax},
    {"examples/dense_int8.te", {{"N", "3"}, {"K", "17"}, {"M", "5"}}, 3, 4, ref_dense_int8},
    {"examples/stencil_f64.te", {{"N", "6"}, {"M", "7"}}, 2, 2, ref_stencil},
    {"examples/pool_upsample.te", {{"C", "2"}, {"H", "7"}, {"W", "6"}}, 3, 2, ref_pool_upsample},
    /* the smaller examples at their own default sizes too */
    {"examples/conv2d_nchw.te", {{0}}, 0, 3, ref_conv2d},
    {"examples/dense_bias_relu.te", {{0}}, 0, 4, ref_dense_bias_relu},
    {"examples/softmax.te", {{0}}, 0, 2, ref_softmax},
    {"examples/dense_int8.te", {{0}}, 0, 4, ref_dense_int8},
    {"examples/stencil_f64.te", {{0}}, 0, 2, ref_stencil},
    {"examples/pool_upsample.te", {{0}}, 0, 2, ref_pool_upsample},
};

static void run_case(const Case *c, uint64_t seed) {
    Arena *a = arena_new();
    Inst *in = bind(a, c->file, c->defs, c->ndefs);
    CHECK(in != NULL);
    if (!in) {
        fprintf(stderr, "  %s does not bind\n", c->file);
        arena_free(a);
        return;
    }
    CHECK(in->nargs == c->nargs);
    if (in->nargs != c->nargs) {
        arena_free(a);
        return;
    }
    void **arg = calloc((size_t)in->nargs, sizeof *arg),
         **ref = calloc((size_t)in->nargs, sizeof *ref);
    for (int i = 0; i < in->nargs; i++) {
        const Stage *s = &in->stages[in->args[i]];
        size_t bytes = (size_t)nelems(s) * dtype_size(s->dtype);
        arg[i] = malloc(bytes);
        if (s->kind == STAGE_PLACEHOLDER) {
            eval_fill_random(s->dtype, arg[i], nelems(s), &seed);
        } else {
            memset(arg[i], 0xA5, bytes); /* every element must be written */
            ref[i] = malloc(bytes);
        }
    }
    CHECK(eval_run(in, arg));
    c->ref(in, arg, ref);
    for (int i = 0; i < in->nargs; i++) {
        const Stage *s = &in->stages[in->args[i]];
        if (s->kind != STAGE_COMPUTE) continue;
        /* an output fed by a reduction through an elementwise stage still carries its error */
        int64_t rl = red_len(s);
        for (int j = 0; j < in->nstages; j++)
            if (red_len(&in->stages[j]) > rl) rl = red_len(&in->stages[j]);
        char why[256];
        bool ok = eval_compare(s->dtype, arg[i], ref[i], nelems(s), rl, why, sizeof why);
        if (!ok) fprintf(stderr, "  %s: output %s: %s\n", c->file, s->name, why);
        CHECK(ok);
    }
    for (int i = 0; i < in->nargs; i++) free(arg[i]), free(ref[i]);
    free(arg);
    free(ref);
    arena_free(a);
}

/* Python's // and % on hand-picked values, through the parser and sema. */
static void test_divmod(void) {
    Arena *a = arena_new();
    Inst *in = bind(a, "tests/eval/divmod.te", NULL, 0);
    CHECK(in && in->nargs == 5);
    if (!in || in->nargs != 5) {
        arena_free(a);
        return;
    }
    int32_t A[16] = {7, -7, 7, -7, 6, -6, 0, 5, -5, 0, 1, -1, 2147483647, -2147483647 - 1, 9, -9};
    int32_t B[16] = {2, 2, -2, -2, 3, 3, 3, 0, 0, 0, 5, 5, -1, -1, -4, 4};
    int32_t eq[16] = {3, -4, -4, 3, 2, -2, 0, 0, 0, 0, 0, -1, -2147483647, -2147483647 - 1, -3, -3};
    int32_t er[16] = {1, 1, -1, -1, 0, 0, 0, 0, 0, 0, 1, 4, 0, 0, -3, 3};
    int32_t Q[16], R[16], S[16];
    void *args[] = {A, B, Q, R, S};
    CHECK(eval_run(in, args));
    for (int i = 0; i < 16; i++) {
        /* (i - 7) // 3 * 10 + (i - 7) % 3 in Python */
        int v = i - 7, q = v >= 0 ? v / 3 : -((-v + 2) / 3), r = v - 3 * q;
        if (Q[i] != eq[i] || R[i] != er[i] || S[i] != q * 10 + r)
            fprintf(stderr, "  divmod %d: %d / %d = %d, %% = %d (expected %d, %d); S = %d (%d)\n",
                    i, A[i], B[i], Q[i], R[i], eq[i], er[i], S[i], q * 10 + r);
        CHECK(Q[i] == eq[i]);
        CHECK(R[i] == er[i]);
        CHECK(S[i] == q * 10 + r);
    }
    arena_free(a);
}

/* `tec --check examples/X.te` works bare: every example binds with its defaults. */
static void test_defaults(void) {
    static const char *files[] = {
        "examples/matmul.te",        "examples/matmul_basic.te", "examples/matmul_v1.te",
        "examples/batch_matmul.te",  "examples/conv2d_nchw.te",  "examples/dense_bias_relu.te",
        "examples/softmax.te",       "examples/dense_int8.te",   "examples/stencil_f64.te",
        "examples/pool_upsample.te",
    };
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        Arena *a = arena_new();
        Inst *in = bind(a, files[i], NULL, 0);
        if (!in) fprintf(stderr, "  %s does not bind with its defaults\n", files[i]);
        CHECK(in != NULL);
        arena_free(a);
    }
    /* The tutorial's sizes are the defaults of its three templates. */
    Arena *a = arena_new();
    Inst *in = bind(a, "examples/matmul.te", NULL, 0);
    CHECK(in && param(in, "N") == 512 && param(in, "L") == 512 && param(in, "M") == 512);
    CHECK(in && in->stages[in->args[0]].dtype == DT_FLOAT32);
    arena_free(a);
}

int main(int argc, char **argv) {
    srcdir = argc > 1 ? argv[1] : ".";
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) run_case(&cases[i], 1000 + i);
    test_divmod();
    test_defaults();
    return test_report("eval_examples");
}
