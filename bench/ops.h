/* bench_ops, shared by its files: the shapes benchmarked, the template each binds, the
 * library calls tec's kernels are timed against, and the timing helpers. */
#ifndef TEC_BENCH_OPS_H
#define TEC_BENCH_OPS_H
#include "bench/bench_time.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum OpKind { OP_GEMM, OP_BMM, OP_CONV, OP_DWCONV } OpKind;

typedef struct Shape {
    const char *name; /* as the table prints it */
    OpKind op;
    bool quick; /* in the --quick list */
    /* gemm / batch matmul: b products of N x L times L x M */
    int b, n, l, m;
    /* conv2d (n = batch): NCHW data [n, ci, h, w], OIHW kernel [co, ci, kh, kw] (depthwise:
       [ci, 1, kh, kw], co = ci) */
    int ci, h, w, co, kh, kw, stride, pad;
} Shape;

extern const Shape bench_shapes[];
extern const int bench_nshapes;

/* The template (a path under the source tree) and its -D bindings for a shape; returns the
   number of defines written to names/values (at most 10; values point into vbuf). */
const char *shape_template(const Shape *s);
int shape_defines(const Shape *s, const char **names, const char **values, char vbuf[][16]);

/* The blocked layouts of a convolution as examples/conv2d_nchwc.te takes them: data
   NCHW[ib]c, kernel OIHW[ib]i[kb]o, output NCHW[ob]c (ib = CI: NHWC, ob = CO: NHWC), and
   oneDNN's format tags for them. */
typedef struct BlockedLayout {
    int ib, kb, ob;
    int src_tag, wei_tag, dst_tag; /* dnnl_format_tag_t */
    char name[48];                 /* e.g. "nhwc,Ohwi64o,nhwc" */
} BlockedLayout;
/* The template of the blocked comparison (NULL: the shape has none) and its -D bindings:
   shape_defines' and IB, KB, OB (at most 13). */
const char *shape_blocked_template(const Shape *s);
int shape_blocked_defines(const Shape *s, const BlockedLayout *bl, const char **names,
                          const char **values, char vbuf[][16]);
double shape_flops(const Shape *s);
double shape_bytes(const Shape *s);      /* the tensors read and written once, for GB/s */
int64_t shape_reduction(const Shape *s); /* terms summed per output */

/* Library calls over the kernel's arguments (inputs then the output, dense row-major / NCHW),
   writing out (a buffer of the output's size). Up to two per shape: OpenBLAS for matmuls;
   oneDNN with plain NCHW/OIHW tensors and oneDNN with its preferred blocked layouts (inputs
   reordered once at setup, output reordered to NCHW only by lib_output). */
typedef struct Lib Lib;
int lib_count(const Shape *s); /* 0 when the library is not built in */
Lib *lib_new(const Shape *s, int which, const float *const *in, char *err, size_t errlen);
const char *lib_name(const Lib *l);
const char *lib_impl(const Lib *l); /* the kernel the library picked, for the notes */
void lib_run(Lib *l);
void lib_output(Lib *l, float *out); /* the last run's output in the plain layout */
void lib_free(Lib *l);
/* The reference outputs for the tuner (args as the kernel's), on the plain library call. */
bool lib_reference(void *shape, void *const *args);

/* The layouts oneDNN picks for a convolution given no layout (format_tag any: its preferred,
   fastest ones), as conv2d_nchwc.te's parameters; false (err) when the template cannot express
   them. */
bool lib_blocked_layout(const Shape *s, BlockedLayout *bl, char *err, size_t errlen);
/* oneDNN's convolution over buffers already in layout bl (in: data and kernel as
   conv2d_nchwc.te takes them), nothing reordered; lib_output copies its output as it is
   (bl's output layout). */
Lib *lib_new_blocked(const Shape *s, const BlockedLayout *bl, const float *const *in, char *err,
                     size_t errlen);
typedef struct BlockedRef {
    const Shape *s;
    BlockedLayout bl;
} BlockedRef;
/* The tuner's reference for conv2d_nchwc.te's kernel: ctx is a BlockedRef. */
bool lib_reference_blocked(void *ctx, void *const *args);
void lib_describe(char *buf, size_t n); /* versions, cores, ISA */
void lib_set_threads(int threads);

/* The machine's single-precision FMA peak in GFLOPS on `threads` threads (best of several). */
double fma_peak(int threads);
/* One run of the peak's FMA loop on `threads` threads (about 2 ms); returns the FLOPs done. */
double fma_burst(int threads);
double fma_burst_flops(int threads); /* what fma_burst returns, without running it */

#endif
