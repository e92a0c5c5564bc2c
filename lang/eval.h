/* The reference evaluator: runs a bound instance straight from its compute definitions (no
 * schedule) on caller buffers. The oracle every compiled kernel is checked against.
 * Also random input generation and result comparison shared by --run, the tuner and tests. */
#ifndef TEC_EVAL_H
#define TEC_EVAL_H
#include "lang/inst.h"

/* args[i] is the buffer of kernel argument i (inst->args[i]): inputs filled, outputs written.
 * Intermediate stages are allocated and freed inside. Returns false, after printing one line to
 * stderr, on out-of-memory or when an executed read is out of bounds (a bug in the template:
 * "error: index out of bounds reading A[-1, 0] (shape (4, 4)) while computing B at (...)").
 * Semantics: C-like arithmetic in the expression dtype with wrap-around on integers (float32
 * rounded to float after every operation, as a C float loop), floor division/modulo on integers
 * (x / 0 and x % 0 give 0, never trap), float % is C's fmod, float->int casts truncate toward
 * zero (NaN gives 0, values beyond int64 saturate, then wrap to the width), casts to bool are
 * x != 0, && and || short-circuit, select evaluates only the taken branch, reductions in order
 * over the reduce axes (first axis outermost) starting from 0 / the dtype's lowest / highest
 * (-inf / +inf for floats). */
bool eval_run(const Inst *in, void *const *args);

/* Fill n elements of dtype t with reproducible random values from *seed (updated):
 * floats uniform in [-1, 1), ints in [-8, 8) (uint8 [0, 16)), bool 0/1. */
void eval_fill_random(DType t, void *buf, int64_t n, uint64_t *seed);

/* Compare a computed output with the reference. Integers and bool: exact. Floats: every element
 * within atol + rtol*|ref|, with rtol and atol scaled by the dtype's epsilon and the reduction
 * length red_len (the product of the stage's reduce extents, 1 if none):
 * rtol = 1e-5 * (1 + sqrt(red_len)) for float32 (the same number of ulps for float64) and
 * atol = rtol * max|ref| over the output; NaN matches only NaN, inf only the same inf.
 * On mismatch, writes a one-line description of the first bad element (flat index, got,
 * expected) into why (may be NULL). */
bool eval_compare(DType t, const void *got, const void *ref, int64_t n, int64_t red_len, char *why,
                  size_t whylen);
/* eval_compare for an output whose value may have passed through rounding at dtype prec
 * (inst_float_precision): a float64 output computed from float32 arithmetic is compared with
 * float32's epsilon, since one float32 rounding (1.2e-7) is already far outside float64's. */
bool eval_compare_at(DType t, DType prec, const void *got, const void *ref, int64_t n,
                     int64_t red_len, char *why, size_t whylen);
#endif
