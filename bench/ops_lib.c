/* bench_ops: the libraries tec's kernels are timed against, on the kernel's own buffers:
 * OpenBLAS cblas_sgemm (a loop of them for batch matmul); oneDNN convolution with plain
 * NCHW/OIHW memory, with the layouts it prefers (format_tag any; the reorders into them done
 * once at setup and left out of the timing: oneDNN's ceiling), and over buffers already in those
 * layouts (conv2d_nchwc.te's comparison: the same blocked buffers, nothing reordered). */
#include "bench/ops.h"
#include <cblas.h>
#include <oneapi/dnnl/dnnl.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct Lib {
    const Shape *s;
    int which; /* matmul: 0 OpenBLAS; conv: 0 oneDNN NCHW, 1 oneDNN blocked (inputs reordered),
                  2 oneDNN blocked over the caller's blocked buffers */
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
    /* conv2d's blocked comparison is conv2d_nchwc.te's (lib_new_blocked); depthwise has no
       blocked template, its kernel is timed against both oneDNN runs */
    return s->op == OP_DWCONV ? 2 : 1;
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

/* The convolution's primitive descriptor with the memory formats tags (src, weights, dst);
   dnnl_format_tag_any lets oneDNN choose (its preferred layouts). */
static bool conv_pd(const Shape *s, dnnl_engine_t eng, const int tags[3], dnnl_primitive_desc_t *pd,
                    char *err, size_t errlen) {
    bool dw = s->op == OP_DWCONV;
    int64_t oh = (s->h + 2 * s->pad - s->kh) / s->stride + 1;
    int64_t ow = (s->w + 2 * s->pad - s->kw) / s->stride + 1;
    dnnl_dims_t sd = {s->n, s->ci, s->h, s->w}, dd = {s->n, s->co, oh, ow};
    dnnl_dims_t wd = {s->co, s->ci, s->kh, s->kw}, gwd = {s->ci, 1, 1, s->kh, s->kw};
    dnnl_dims_t strides = {s->stride, s->stride}, pads = {s->pad, s->pad};
    dnnl_memory_desc_t smd, wmd, dmd;
    DN(dnnl_memory_desc_init_by_tag(&smd, 4, sd, dnnl_f32, (dnnl_format_tag_t)tags[0]), "src desc");
    DN(dnnl_memory_desc_init_by_tag(&wmd, dw ? 5 : 4, dw ? gwd : wd, dnnl_f32,
                                    (dnnl_format_tag_t)tags[1]),
       "weights desc");
    DN(dnnl_memory_desc_init_by_tag(&dmd, 4, dd, dnnl_f32, (dnnl_format_tag_t)tags[2]), "dst desc");
    dnnl_convolution_desc_t cd;
    DN(dnnl_convolution_forward_desc_init(&cd, dnnl_forward_inference, dnnl_convolution_direct,
                                          &smd, &wmd, NULL, &dmd, strides, pads, pads),
       "convolution desc");
    DN(dnnl_primitive_desc_create(pd, &cd, NULL, eng, NULL), "convolution primitive desc");
    return true;
}

/* The convolution primitive on l's engine, by l->which: 0 plain NCHW/OIHW memory over
   in/out; 1 the layouts of oneDNN's choice, memory allocated by oneDNN and the inputs
   reordered into it; 2 the layouts bl, memory over in (already in them), the output allocated
   by oneDNN. */
static bool conv_setup(Lib *l, const BlockedLayout *bl, const float *data, const float *kernel,
                       float *out, char *err, size_t errlen) {
    const Shape *s = l->s;
    bool dw = s->op == OP_DWCONV;
    int64_t oh = (s->h + 2 * s->pad - s->kh) / s->stride + 1;
    int64_t ow = (s->w + 2 * s->pad - s->kw) / s->stride + 1;
    dnnl_dims_t sd = {s->n, s->ci, s->h, s->w}, dd = {s->n, s->co, oh, ow};
    dnnl_dims_t wd = {s->co, s->ci, s->kh, s->kw}, gwd = {s->ci, 1, 1, s->kh, s->kw};
    dnnl_memory_desc_t psmd, pwmd;
    DN(dnnl_memory_desc_init_by_tag(&psmd, 4, sd, dnnl_f32, dnnl_nchw), "src desc");
    DN(dnnl_memory_desc_init_by_tag(&l->plain_dst, 4, dd, dnnl_f32, dnnl_nchw), "dst desc");
    if (dw)
        DN(dnnl_memory_desc_init_by_tag(&pwmd, 5, gwd, dnnl_f32, dnnl_goihw), "weights desc");
    else
        DN(dnnl_memory_desc_init_by_tag(&pwmd, 4, wd, dnnl_f32, dnnl_oihw), "weights desc");
    int plain[3] = {dnnl_nchw, dw ? dnnl_goihw : dnnl_oihw, dnnl_nchw};
    int any[3] = {dnnl_format_tag_any, dnnl_format_tag_any, dnnl_format_tag_any};
    int given[3] = {bl ? bl->src_tag : 0, bl ? bl->wei_tag : 0, bl ? bl->dst_tag : 0};
    if (!conv_pd(s, l->eng,
                 l->which == 0   ? plain
                 : l->which == 1 ? any
                                 : given,
                 &l->pd, err, errlen))
        return false;
    const char *impl = "";
    dnnl_primitive_desc_query(l->pd, dnnl_query_impl_info_str, 0, &impl);
    if (l->which == 2)
        snprintf(l->impl, sizeof l->impl, "%s[%s]", impl, bl->name);
    else
        snprintf(l->impl, sizeof l->impl, "%s", impl);
    DN(dnnl_primitive_create(&l->conv, l->pd), "convolution primitive");
    if (l->which == 0) {
        DN(dnnl_memory_create(&l->src, &psmd, l->eng, (void *)data), "src memory");
        DN(dnnl_memory_create(&l->wei, &pwmd, l->eng, (void *)kernel), "weights memory");
        DN(dnnl_memory_create(&l->dst, &l->plain_dst, l->eng, out), "dst memory");
        return true;
    }
    const dnnl_memory_desc_t *qs = dnnl_primitive_desc_query_md(l->pd, dnnl_query_src_md, 0);
    const dnnl_memory_desc_t *qw = dnnl_primitive_desc_query_md(l->pd, dnnl_query_weights_md, 0);
    const dnnl_memory_desc_t *qd = dnnl_primitive_desc_query_md(l->pd, dnnl_query_dst_md, 0);
    DN(dnnl_memory_create(&l->dst, qd, l->eng, DNNL_MEMORY_ALLOCATE), "dst memory");
    if (l->which == 2) {
        /* the buffers are conv2d_nchwc.te's: same sizes (blocks padded alike) */
        int64_t cib = (s->ci + bl->ib - 1) / bl->ib, ckb = (s->co + bl->kb - 1) / bl->kb;
        int64_t cob = (s->co + bl->ob - 1) / bl->ob;
        size_t want[3] = {(size_t)(4 * s->n * cib * s->h * s->w * bl->ib),
                          (size_t)(4 * ckb * cib * s->kh * s->kw * bl->ib * bl->kb),
                          (size_t)(4 * s->n * cob * oh * ow * bl->ob)};
        size_t have[3] = {dnnl_memory_desc_get_size(qs), dnnl_memory_desc_get_size(qw),
                          dnnl_memory_desc_get_size(qd)};
        for (int i = 0; i < 3; i++)
            if (have[i] != want[i]) {
                snprintf(err, errlen, "oneDNN's %s layout (%s) holds %zu bytes, the kernel's %zu",
                         i == 0   ? "src"
                         : i == 1 ? "weights"
                                  : "dst",
                         bl->name, have[i], want[i]);
                return false;
            }
        DN(dnnl_memory_create(&l->src, qs, l->eng, (void *)data), "src memory");
        DN(dnnl_memory_create(&l->wei, qw, l->eng, (void *)kernel), "weights memory");
        return true;
    }
    DN(dnnl_memory_create(&l->src, qs, l->eng, DNNL_MEMORY_ALLOCATE), "src memory");
    DN(dnnl_memory_create(&l->wei, qw, l->eng, DNNL_MEMORY_ALLOCATE), "weights memory");
    dnnl_memory_t ps, pw;
    DN(dnnl_memory_create(&ps, &psmd, l->eng, (void *)data), "src memory");
    DN(dnnl_memory_create(&pw, &pwmd, l->eng, (void *)kernel), "weights memory");
    bool ok = reorder(l->eng, l->strm, ps, l->src, err, errlen) &&
              reorder(l->eng, l->strm, pw, l->wei, err, errlen);
    dnnl_memory_destroy(ps);
    dnnl_memory_destroy(pw);
    return ok;
}

/* The layouts conv2d_nchwc.te can take, as oneDNN's tags: a block of 0 is the whole channel
   count (CI for the data's and the kernel's input channels, CO for the output's). */
typedef struct Tag {
    int tag, ib, kb;
    const char *name;
} Tag;
static const Tag src_tags[] = {
    {dnnl_nhwc, 0, 0, "nhwc"}, {dnnl_nChw16c, 16, 0, "nChw16c"}, {dnnl_nChw8c, 8, 0, "nChw8c"}};
static const Tag wei_tags[] = {{dnnl_Ohwi16o, 0, 16, "Ohwi16o"},
                               {dnnl_Ohwi32o, 0, 32, "Ohwi32o"},
                               {dnnl_Ohwi48o, 0, 48, "Ohwi48o"},
                               {dnnl_Ohwi64o, 0, 64, "Ohwi64o"},
                               {dnnl_hwio, 0, 0, "hwio"},
                               {dnnl_OIhw16i16o, 16, 16, "OIhw16i16o"},
                               {dnnl_OIhw16i32o, 16, 32, "OIhw16i32o"},
                               {dnnl_OIhw16i64o, 16, 64, "OIhw16i64o"},
                               {dnnl_OIhw8i8o, 8, 8, "OIhw8i8o"}};

/* The entry of tags[n] whose layout is md's, or NULL. */
static const Tag *match_tag(const Tag *tags, int n, int ndims, const dnnl_dims_t dims,
                            const dnnl_memory_desc_t *md) {
    for (int i = 0; i < n; i++) {
        dnnl_memory_desc_t t;
        if (dnnl_memory_desc_init_by_tag(&t, ndims, dims, dnnl_f32,
                                         (dnnl_format_tag_t)tags[i].tag) == dnnl_success &&
            dnnl_memory_desc_equal(&t, md))
            return &tags[i];
    }
    return NULL;
}

bool lib_blocked_layout(const Shape *s, BlockedLayout *bl, char *err, size_t errlen) {
    if (s->op != OP_CONV) {
        snprintf(err, errlen, "%s: no blocked template for this operator", s->name);
        return false;
    }
    dnnl_engine_t eng;
    if (dnnl_engine_create(&eng, dnnl_cpu, 0) != dnnl_success) {
        snprintf(err, errlen, "oneDNN: no CPU engine");
        return false;
    }
    int any[3] = {dnnl_format_tag_any, dnnl_format_tag_any, dnnl_format_tag_any};
    dnnl_primitive_desc_t pd;
    if (!conv_pd(s, eng, any, &pd, err, errlen)) {
        dnnl_engine_destroy(eng);
        return false;
    }
    int64_t oh = (s->h + 2 * s->pad - s->kh) / s->stride + 1;
    int64_t ow = (s->w + 2 * s->pad - s->kw) / s->stride + 1;
    dnnl_dims_t sd = {s->n, s->ci, s->h, s->w}, dd = {s->n, s->co, oh, ow};
    dnnl_dims_t wd = {s->co, s->ci, s->kh, s->kw};
    int ns = (int)(sizeof src_tags / sizeof *src_tags);
    const Tag *ts =
        match_tag(src_tags, ns, 4, sd, dnnl_primitive_desc_query_md(pd, dnnl_query_src_md, 0));
    const Tag *td =
        match_tag(src_tags, ns, 4, dd, dnnl_primitive_desc_query_md(pd, dnnl_query_dst_md, 0));
    const Tag *tw = match_tag(wei_tags, (int)(sizeof wei_tags / sizeof *wei_tags), 4, wd,
                              dnnl_primitive_desc_query_md(pd, dnnl_query_weights_md, 0));
    dnnl_primitive_desc_destroy(pd);
    dnnl_engine_destroy(eng);
    /* the data's channel block is also the kernel's input-channel block */
    if (!ts || !td || !tw || ts->ib != tw->ib) {
        snprintf(err, errlen,
                 "%s: oneDNN picked layouts (src %s, weights %s, dst %s) that "
                 "examples/conv2d_nchwc.te cannot take",
                 s->name, ts ? ts->name : "?", tw ? tw->name : "?", td ? td->name : "?");
        return false;
    }
    bl->ib = ts->ib ? ts->ib : s->ci;
    bl->kb = tw->kb ? tw->kb : s->co;
    bl->ob = td->ib ? td->ib : s->co;
    bl->src_tag = ts->tag, bl->wei_tag = tw->tag, bl->dst_tag = td->tag;
    snprintf(bl->name, sizeof bl->name, "%s,%s,%s", ts->name, tw->name, td->name);
    return true;
}
#undef DN

static Lib *lib_make(const Shape *s, int which, const BlockedLayout *bl, const float *const *in,
                     char *err, size_t errlen) {
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
    if (!conv_setup(l, bl, in[0], in[1], l->out, err, errlen)) {
        lib_free(l);
        return NULL;
    }
    return l;
}

Lib *lib_new(const Shape *s, int which, const float *const *in, char *err, size_t errlen) {
    return lib_make(s, which, NULL, in, err, errlen);
}

Lib *lib_new_blocked(const Shape *s, const BlockedLayout *bl, const float *const *in, char *err,
                     size_t errlen) {
    return lib_make(s, 2, bl, in, err, errlen);
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
    if (l->which == 2) { /* the output as it is, in the caller's layout */
        void *h = NULL;
        const dnnl_memory_desc_t *md;
        if (dnnl_memory_get_data_handle(l->dst, &h) == dnnl_success &&
            dnnl_memory_get_memory_desc(l->dst, &md) == dnnl_success && h)
            memcpy(out, h, dnnl_memory_desc_get_size(md));
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

/* The reference outputs: l (NULL: err says why) run once into args[2], then freed. */
static bool reference_run(Lib *l, const char *err, void *const *args) {
    if (!l) {
        fprintf(stderr, "bench_ops: %s\n", err);
        return false;
    }
    lib_run(l);
    lib_output(l, args[2]);
    lib_free(l);
    return true;
}

bool lib_reference(void *shape, void *const *args) {
    const Shape *s = shape;
    if (s->op == OP_GEMM || s->op == OP_BMM) {
        blas(s, args[0], args[1], args[2]);
        return true;
    }
    char err[256] = "";
    const float *in[2] = {args[0], args[1]};
    Lib *l = lib_new(s, 0, in, err, sizeof err);
    return reference_run(l, err, args);
}

bool lib_reference_blocked(void *ctx, void *const *args) {
    const BlockedRef *r = ctx;
    char err[256] = "";
    const float *in[2] = {args[0], args[1]};
    Lib *l = lib_new_blocked(r->s, &r->bl, in, err, sizeof err);
    return reference_run(l, err, args);
}
