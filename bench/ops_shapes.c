/* bench_ops: the shapes of issue 9 (matmuls, ResNet-18's convolutions at batch 1, batch
 * matmuls), the template and -D bindings each is tuned with (convolutions also the blocked
 * template, on oneDNN's layouts), its flop and byte counts. */
#include "bench/ops.h"
#include <stdio.h>

#define MM(nm, q, N, L, M)                                                                         \
    { nm, OP_GEMM, q, 1, N, L, M, 0, 0, 0, 0, 0, 0, 0, 0 }
#define BMM(nm, q, B, N, L, M)                                                                     \
    { nm, OP_BMM, q, B, N, L, M, 0, 0, 0, 0, 0, 0, 0, 0 }
#define CONV(nm, q, CI, HW, CO, K, S, P)                                                           \
    { nm, OP_CONV, q, 0, 1, 0, 0, CI, HW, HW, CO, K, K, S, P }
#define DW(nm, q, C, HW, K, S, P)                                                                  \
    { nm, OP_DWCONV, q, 0, 1, 0, 0, C, HW, HW, C, K, K, S, P }

const Shape bench_shapes[] = {
    MM("matmul 128x128x128", true, 128, 128, 128),
    MM("matmul 512x512x512", false, 512, 512, 512),
    MM("matmul 1024x1024x1024", false, 1024, 1024, 1024),
    MM("matmul 2048x2048x2048", false, 2048, 2048, 2048),
    MM("matmul 500x500x500", false, 500, 500, 500),
    MM("matmul 128x768x3072", false, 128, 768, 3072),
    MM("matmul 128x3072x768", false, 128, 3072, 768),
    MM("matmul 1x1024x1024", false, 1, 1024, 1024),
    CONV("conv 3x3 64->64 56x56", false, 64, 56, 64, 3, 1, 1),
    CONV("conv 3x3 64->128 56x56 s2", false, 64, 56, 128, 3, 2, 1),
    CONV("conv 3x3 128->128 28x28", false, 128, 28, 128, 3, 1, 1),
    CONV("conv 3x3 128->256 28x28 s2", false, 128, 28, 256, 3, 2, 1),
    CONV("conv 3x3 256->256 14x14", false, 256, 14, 256, 3, 1, 1),
    CONV("conv 3x3 256->512 14x14 s2", false, 256, 14, 512, 3, 2, 1),
    CONV("conv 3x3 512->512 7x7", true, 512, 7, 512, 3, 1, 1),
    CONV("conv 1x1 128->256 28x28 s2", false, 128, 28, 256, 1, 2, 0),
    DW("depthwise 3x3 256 14x14", false, 256, 14, 3, 1, 1),
    BMM("batch matmul 12x128x64x128", true, 12, 128, 64, 128),
    BMM("batch matmul 12x128x128x64", false, 12, 128, 128, 64),
};
const int bench_nshapes = (int)(sizeof bench_shapes / sizeof bench_shapes[0]);

const char *shape_template(const Shape *s) {
    switch (s->op) {
    case OP_GEMM:
        return "examples/gemm.te";
    case OP_BMM:
        return "examples/batch_matmul.te";
    case OP_CONV:
        return "examples/conv2d.te";
    case OP_DWCONV:
        return "examples/depthwise_conv2d.te";
    }
    return NULL;
}

int shape_defines(const Shape *s, const char **names, const char **values, char vbuf[][16]) {
    int nd = 0;
#define DEF(nm, v) (names[nd] = nm, snprintf(vbuf[nd], 16, "%d", v), values[nd] = vbuf[nd], nd++)
    if (s->op == OP_BMM) DEF("batch", s->b);
    if (s->op == OP_GEMM || s->op == OP_BMM) {
        DEF("N", s->n), DEF("L", s->l), DEF("M", s->m);
        return nd;
    }
    DEF("N", s->n), DEF("C", s->ci), DEF("H", s->h), DEF("W", s->w);
    if (s->op == OP_CONV) DEF("CO", s->co), names[1] = "CI";
    DEF("KH", s->kh), DEF("KW", s->kw), DEF("stride", s->stride), DEF("pad", s->pad);
#undef DEF
    return nd;
}

static int64_t out_hw(const Shape *s) {
    int64_t oh = (s->h + 2 * s->pad - s->kh) / s->stride + 1;
    int64_t ow = (s->w + 2 * s->pad - s->kw) / s->stride + 1;
    return oh * ow;
}

int64_t shape_reduction(const Shape *s) {
    switch (s->op) {
    case OP_GEMM:
    case OP_BMM:
        return s->l;
    case OP_CONV:
        return (int64_t)s->ci * s->kh * s->kw;
    case OP_DWCONV:
        return (int64_t)s->kh * s->kw;
    }
    return 1;
}

double shape_flops(const Shape *s) {
    if (s->op == OP_GEMM || s->op == OP_BMM) return 2.0 * s->b * s->n * s->l * s->m;
    return 2.0 * s->n * s->co * (double)out_hw(s) * (double)shape_reduction(s);
}

double shape_bytes(const Shape *s) {
    if (s->op == OP_GEMM || s->op == OP_BMM)
        return 4.0 * s->b * ((double)s->n * s->l + (double)s->l * s->m + (double)s->n * s->m);
    double kern = (double)s->co * s->kh * s->kw * (s->op == OP_CONV ? s->ci : 1);
    return 4.0 * ((double)s->n * s->ci * s->h * s->w + kern + (double)s->n * s->co * out_hw(s));
}

const char *shape_blocked_template(const Shape *s) {
    return s->op == OP_CONV ? "examples/conv2d_nchwc.te" : NULL;
}

int shape_blocked_defines(const Shape *s, const BlockedLayout *bl, const char **names,
                          const char **values, char vbuf[][16]) {
    int nd = shape_defines(s, names, values, vbuf);
    const char *nm[3] = {"IB", "KB", "OB"};
    int v[3] = {bl->ib, bl->kb, bl->ob};
    for (int i = 0; i < 3; i++, nd++) {
        names[nd] = nm[i];
        snprintf(vbuf[nd], 16, "%d", v[i]);
        values[nd] = vbuf[nd];
    }
    return nd;
}
