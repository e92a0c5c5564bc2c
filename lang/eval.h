/* The reference evaluator: runs a bound instance straight from its compute definitions (no
 * schedule) on caller buffers. The oracle every compiled kernel is checked against.
 * Also random input generation and result comparison shared by --run, the tuner and tests. */
#ifndef TEC_EVAL_H
#define TEC_EVAL_H
#include "lang/inst.h"

/* args[i] is the buffer of kernel argument i (inst->args[i]): inputs filled, outputs written.
 * Intermediate stages are allocated and freed inside. Returns false only on out-of-memory.
 * Semantics: C-like arithmetic in the expression dtype with wrap-around on integers,
 * floor division/modulo on integers (division by zero gives 0, never traps), select evaluates
 * only the taken branch, reductions in order over the reduce axes (first axis outermost). */
bool eval_run(const Inst *in, void *const *args);

/* Fill n elements of dtype t with reproducible random values from *seed (updated):
 * floats uniform in [-1, 1), ints in [-8, 8) (uint8 [0, 16)), bool 0/1. */
void eval_fill_random(DType t, void *buf, int64_t n, uint64_t *seed);

/* Compare a computed output with the reference. Integers and bool: exact. Floats: every element
 * within atol + rtol*|ref|, with rtol and atol scaled by the dtype's epsilon and the reduction
 * length red_len (the product of the stage's reduce extents, 1 if none). On mismatch, writes a
 * one-line description of the first bad element (flat index, got, expected) into why. */
bool eval_compare(DType t, const void *got, const void *ref, int64_t n, int64_t red_len,
                  char *why, size_t whylen);
#endif
