/* Checking compiled kernels against the reference evaluator, shared by the test programs that
 * compile configs in process (tests/codegen/test_all_configs.c, tests/gen/test_gen.c): inputs in
 * page-guarded buffers, one config lowered with IR verification, JIT-compiled, run, compared. */
#ifndef TEC_KERNEL_CHECK_H
#define TEC_KERNEL_CHECK_H
#include "compiler/codegen.h"
#include "compiler/config.h"
#include "lang/inst.h"
#include <stdbool.h>
#include <stddef.h>

/* A buffer that ends at (at_end) or starts at a PROT_NONE page, so a kernel reading or writing
 * past that end faults instead of passing silently. */
typedef struct Guarded {
    void *map;
    size_t maplen;
    char *p;
} Guarded;

/* Two copies of the arguments with the same input values: one guarded after each buffer's end,
 * one before its start; configs alternate between them. ref holds the reference outputs. */
typedef struct Bufs {
    const Inst *in;
    Guarded *g[2];
    void **args[2];
    void **ref;
    int64_t red_len;
    DType prec; /* inst_float_precision */
} Bufs;

/* Allocates both copies, fills the inputs and computes the reference; false on failure (bufs_free
 * is still needed). */
bool bufs_new(Bufs *b, const Inst *in);
void bufs_free(Bufs *b);

typedef struct Stats {
    int64_t checked, bad;
    double t_lower, t_compile, t_run, max_compile;
    int64_t slowest; /* the config that took longest to lower and compile */
} Stats;

/* Lowers (verified), compiles, runs config cfg (NULL: no knobs) on buffer set `side` and
 * compares every output; prints "FAIL desc: ..." on stderr and returns false on any failure. */
bool check_config(Cg *cg, Bufs *b, const Config *cfg, const char *desc, int side, Stats *st);
/* Seconds on the monotonic clock. */
double check_now(void);
#endif
