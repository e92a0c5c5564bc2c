/* bench_ops --child: one shape tuned (or loaded) and timed against the library in this process
 * (bench/ops_child.c). */
#ifndef TEC_BENCH_OPS_CHILD_H
#define TEC_BENCH_OPS_CHILD_H
#include "bench/ops.h"

typedef struct ChildOptions {
    int shape;                 /* index into bench_shapes */
    const char *template_path; /* the .te file */
    const char *obj;           /* the kernel's object: written by the tuning, else read */
    int64_t trials;            /* > 0: tune first */
    int threads, rounds;       /* tuned (when trials > 0) and timed on `threads` */
    bool check_only;           /* check the outputs, time nothing */
    /* conv2d's blocked comparison: the shape's blocked template on the layouts oneDNN picks,
       timed against oneDNN's convolution on the same blocked buffers */
    bool blocked;
} ChildOptions;

/* Prints "RESULT bad best_index tec_s lib0_s lib1_s max_rel_err peak_gflops impl..." on stdout
   (peak_gflops: the FMA loop's median in the same rounds, on the same threads); returns the
   exit status (1 when an output differs from the library's). */
int child_main(const ChildOptions *co);
#endif
