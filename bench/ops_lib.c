/* bench_ops: the libraries tec's kernels are timed against, on the kernel's own buffers:
 * OpenBLAS cblas_sgemm (a loop of them for batch matmul); oneDNN convolution with plain
 * NCHW/OIHW memory and with the layouts it prefers (format_tag any; the reorders into them done
 * once at setup and left out of the timing: oneDNN's ceiling). */
#include "bench/ops.h"
#include <cblas.h>
#include <oneapi/dnnl/dnnl.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct Lib {
    const Shape *s;
    int which; /* matmul: 0 OpenBLAS; conv: 0 oneDNN NCHW, 1 oneDNN blocked */
    const float *a, *b;
    float *out;
    dnnl_engine_t eng;
    dnnl_stream_t strm;
    dnnl_primitive_t conv;
    dnnl_primitive_desc_t pd;
    dnnl_memory_t src, wei, dst;
    dnnl_memory_desc_t plain_dst;
    char impl[96];
};

double bench_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void bench_pause_ms(int ms) {
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static int cmp_double(const void *x, const void *y) {
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

double bench_median(double *v, int n) {
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

void lib_set_threads(int threads) {
    omp_set_num_threads(threads); /* tec's kernels and oneDNN (OpenMP runtime) */
    openblas_set_num_threads(threads);
}

static const char *isa_name(dnnl_cpu_isa_t isa) {
    switch (isa) {
    case dnnl_cpu_isa_sse41:
        return "sse41";
    case dnnl_cpu_isa_avx:
        return "avx";
    case dnnl_cpu_isa_avx2:
        return "avx2";
    case dnnl_cpu_isa_avx512_mic:
        return "avx512_mic";
    case dnnl_cpu_isa_avx512_core:
        return "avx512_core";
    case dnnl_cpu_isa_avx512_core_vnni:
        return "avx512_core_vnni";
    case dnnl_cpu_isa_avx512_core_bf16:
        return "avx512_core_bf16";
    case dnnl_cpu_isa_avx512_core_amx:
        return "avx512_core_amx";
    default:
        return "other";
    }
}

void lib_describe(char *buf, size_t n) {
    const dnnl_version_t *v = dnnl_version();
    snprintf(buf, n, "OpenBLAS %s (core %s); oneDNN %d.%d.%d, ISA %s", openblas_get_config(),
             openblas_get_corename(), v->major, v->minor, v->patch,
             isa_name(dnnl_get_effective_cpu_isa()));
}

int lib_count(const Shape *s) {
    return s->op == OP_GEMM || s->op == OP_BMM ? 1 : 2;
}

const char *lib_name(const Lib *l) {
    if (l->s->op == OP_GEMM || l->s->op == OP_BMM) return "OpenBLAS";
    return l->which == 0 ? "oneDNN NCHW" : "oneDNN blocked";
}

const char *lib_impl(const Lib *l) {
    return l->impl;
}

static void blas(const Shape *s, const float *a, const float *b, float *c) {
    size_t sa = (size_t)s->n * s->l, sb = (size_t)s->l * s->m, sc = (size_t)s->n * s->m;
    for (int i = 0; i < s->b; i++)
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, s->n, s->m, s->l, 1.0f, a + i * sa,
                    s->l, b + i * sb, s->m, 0.0f, c + i * sc, s->m);
}

#define DN(call, what)                                                                             \
    do {                                                                                           \
        dnnl_status_t st_ = (call);                                                                \
        if (st_ != dnnl_success) {                                                                 \
            snprintf(err, errlen, "oneDNN: %s failed (status %d)", what, (int)st_);                \
            return false;                                                                          \
        }                                                                                          \
    } while (0)

static bool reorder(dnnl_engine_t eng, dnnl_stream_t strm, dnnl_memory_t from, dnnl_memory_t to,
                    char *err, size_t errlen) {
    const dnnl_memory_desc_t *fm, *tm;
    DN(dnnl_memory_get_memory_desc(from, &fm), "memory_get_memory_desc");
    DN(dnnl_memory_get_memory_desc(to, &tm), "memory_get_memory_desc");
    dnnl_primitive_desc_t rpd;
    DN(dnnl_reorder_primitive_desc_create(&rpd, fm, eng, tm, eng, NULL), "reorder desc");
    dnnl_primitive_t r;
    dnnl_status_t st = dnnl_primitive_create(&r, rpd);
    dnnl_primitive_desc_destroy(rpd);
    DN(st, "reorder primitive");
    dnnl_exec_arg_t args[2] = {{DNNL_ARG_FROM, from}, {DNNL_ARG_TO, to}};
    st = dnnl_primitive_execute(r, strm, 2, args);
    dnnl_stream_wait(strm);
    dnnl_primitive_destroy(r);
    DN(st, "reorder");
    return true;
}

/* The convolution primitive on l's engine; blocked: layouts of oneDNN's choice, memory
   allocated by oneDNN and the inputs reordered into it; else plain memory over in/out. */
static bool conv_setup(Lib *l, bool blocked, const float *data, const float *kernel, float *out,
                       char *err, size_t errlen) {
    const Shape *s = l->s;
    bool dw = s->op == OP_DWCONV;
    int64_t oh = (s->h + 2 * s->pad - s->kh) / s->stride + 1;
    int64_t ow = (s->w + 2 * s->pad - s->kw) / s->stride + 1;
    dnnl_dims_t sd = {s->n, s->ci, s->h, s->w}, dd = {s->n, s->co, oh, ow};
    dnnl_dims_t wd = {s->co, s->ci, s->kh, s->kw}, gwd = {s->ci, 1, 1, s->kh, s->kw};
    dnnl_dims_t strides = {s->stride, s->stride}, pads = {s->pad, s->pad};
    dnnl_memory_desc_t smd, wmd, dmd, psmd, pwmd;
    DN(dnnl_memory_desc_init_by_tag(&psmd, 4, sd, dnnl_f32, dnnl_nchw), "src desc");
    DN(dnnl_memory_desc_init_by_tag(&l->plain_dst, 4, dd, dnnl_f32, dnnl_nchw), "dst desc");
    if (dw)
        DN(dnnl_memory_desc_init_by_tag(&pwmd, 5, gwd, dnnl_f32, dnnl_goihw), "weights desc");
    else
        DN(dnnl_memory_desc_init_by_tag(&pwmd, 4, wd, dnnl_f32, dnnl_oihw), "weights desc");
    smd = psmd, wmd = pwmd, dmd = l->plain_dst;
    if (blocked) {
        DN(dnnl_memory_desc_init_by_tag(&smd, 4, sd, dnnl_f32, dnnl_format_tag_any), "src any");
        DN(dnnl_memory_desc_init_by_tag(&dmd, 4, dd, dnnl_f32, dnnl_format_tag_any), "dst any");
        DN(dnnl_memory_desc_init_by_tag(&wmd, dw ? 5 : 4, dw ? gwd : wd, dnnl_f32,
                                        dnnl_format_tag_any),
           "weights any");
    }
    dnnl_convolution_desc_t cd;
    DN(dnnl_convolution_forward_desc_init(&cd, dnnl_forward_inference, dnnl_convolution_direct,
                                          &smd, &wmd, NULL, &dmd, strides, pads, pads),
       "convolution desc");
    DN(dnnl_primitive_desc_create(&l->pd, &cd, NULL, l->eng, NULL), "convolution primitive desc");
    const char *impl = "";
    dnnl_primitive_desc_query(l->pd, dnnl_query_impl_info_str, 0, &impl);
    snprintf(l->impl, sizeof l->impl, "%s", impl);
    DN(dnnl_primitive_create(&l->conv, l->pd), "convolution primitive");
    if (!blocked) {
        DN(dnnl_memory_create(&l->src, &psmd, l->eng, (void *)data), "src memory");
        DN(dnnl_memory_create(&l->wei, &pwmd, l->eng, (void *)kernel), "weights memory");
        DN(dnnl_memory_create(&l->dst, &l->plain_dst, l->eng, out), "dst memory");
        return true;
    }
    const dnnl_memory_desc_t *q;
    q = dnnl_primitive_desc_query_md(l->pd, dnnl_query_src_md, 0);
    DN(dnnl_memory_create(&l->src, q, l->eng, DNNL_MEMORY_ALLOCATE), "src memory");
    q = dnnl_primitive_desc_query_md(l->pd, dnnl_query_weights_md, 0);
    DN(dnnl_memory_create(&l->wei, q, l->eng, DNNL_MEMORY_ALLOCATE), "weights memory");
    q = dnnl_primitive_desc_query_md(l->pd, dnnl_query_dst_md, 0);
    DN(dnnl_memory_create(&l->dst, q, l->eng, DNNL_MEMORY_ALLOCATE), "dst memory");
    dnnl_memory_t ps, pw;
    DN(dnnl_memory_create(&ps, &psmd, l->eng, (void *)data), "src memory");
    DN(dnnl_memory_create(&pw, &pwmd, l->eng, (void *)kernel), "weights memory");
    bool ok = reorder(l->eng, l->strm, ps, l->src, err, errlen) &&
              reorder(l->eng, l->strm, pw, l->wei, err, errlen);
    dnnl_memory_destroy(ps);
    dnnl_memory_destroy(pw);
    return ok;
}
#undef DN

Lib *lib_new(const Shape *s, int which, const float *const *in, char *err, size_t errlen) {
    Lib *l = calloc(1, sizeof *l);
    if (!l) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    l->s = s, l->which = which, l->a = in[0], l->b = in[1];
    size_t outn = s->op == OP_GEMM || s->op == OP_BMM
                      ? (size_t)s->b * s->n * s->m
                      : (size_t)s->n * s->co *
                            (size_t)((s->h + 2 * s->pad - s->kh) / s->stride + 1) *
                            (size_t)((s->w + 2 * s->pad - s->kw) / s->stride + 1);
    l->out = aligned_alloc(64, (outn * 4 + 63) / 64 * 64);
    if (!l->out) {
        free(l);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    if (s->op == OP_GEMM || s->op == OP_BMM) {
        snprintf(l->impl, sizeof l->impl, "sgemm:%s", openblas_get_corename());
        return l;
    }
    if (dnnl_engine_create(&l->eng, dnnl_cpu, 0) != dnnl_success ||
        dnnl_stream_create(&l->strm, l->eng, dnnl_stream_default_flags) != dnnl_success) {
        snprintf(err, errlen, "oneDNN: no CPU engine");
        lib_free(l);
        return NULL;
    }
    if (!conv_setup(l, which == 1, in[0], in[1], l->out, err, errlen)) {
        lib_free(l);
        return NULL;
    }
    return l;
}

void lib_run(Lib *l) {
    if (!l->conv) {
        blas(l->s, l->a, l->b, l->out);
        return;
    }
    dnnl_exec_arg_t args[3] = {
        {DNNL_ARG_SRC, l->src}, {DNNL_ARG_WEIGHTS, l->wei}, {DNNL_ARG_DST, l->dst}};
    dnnl_primitive_execute(l->conv, l->strm, 3, args);
    dnnl_stream_wait(l->strm);
}

void lib_output(Lib *l, float *out) {
    size_t bytes = l->conv ? dnnl_memory_desc_get_size(&l->plain_dst)
                           : (size_t)l->s->b * l->s->n * l->s->m * 4;
    if (!l->conv || l->which == 0) { /* plain: the primitive wrote l->out */
        memcpy(out, l->out, bytes);
        return;
    }
    dnnl_memory_t plain;
    char err[128];
    if (dnnl_memory_create(&plain, &l->plain_dst, l->eng, out) != dnnl_success) return;
    if (!reorder(l->eng, l->strm, l->dst, plain, err, sizeof err))
        fprintf(stderr, "bench_ops: %s\n", err);
    dnnl_memory_destroy(plain);
}

void lib_free(Lib *l) {
    if (!l) return;
    if (l->conv) dnnl_primitive_destroy(l->conv);
    if (l->pd) dnnl_primitive_desc_destroy(l->pd);
    if (l->src) dnnl_memory_destroy(l->src);
    if (l->wei) dnnl_memory_destroy(l->wei);
    if (l->dst) dnnl_memory_destroy(l->dst);
    if (l->strm) dnnl_stream_destroy(l->strm);
    if (l->eng) dnnl_engine_destroy(l->eng);
    free(l->out);
    free(l);
}

bool lib_reference(void *shape, void *const *args) {
    const Shape *s = shape;
    if (s->op == OP_GEMM || s->op == OP_BMM) {
        blas(s, args[0], args[1], args[2]);
        return true;
    }
    char err[256];
    const float *in[2] = {args[0], args[1]};
    Lib *l = lib_new(s, 0, in, err, sizeof err);
    if (!l) {
        fprintf(stderr, "bench_ops: %s\n", err);
        return false;
    }
    lib_run(l);
    lib_output(l, args[2]);
    lib_free(l);
    return true;
}
