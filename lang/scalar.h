/* The language's integer arithmetic on int64 values, made total: floor division and modulo
 * (Python's // and %), integer power, float-to-int conversion, comparisons, math functions. One
 * definition shared by sema's folding, the reference evaluator, lowering's simplifier and the
 * tests' IR interpreter. */
#ifndef TEC_SCALAR_H
#define TEC_SCALAR_H
#include "lang/inst.h"
#include <stdint.h>

/* Rounds toward minus infinity; x / 0 gives 0 (never traps); INT64_MIN / -1 wraps. */
int64_t scalar_floordiv(int64_t a, int64_t b);
/* The result has the sign of the divisor; x % 0 and x % -1 give 0. */
int64_t scalar_floormod(int64_t a, int64_t b);
/* By squaring, with wrap-around; a negative exponent truncates 1 / a^-e toward zero. */
int64_t scalar_ipow(int64_t a, int64_t e);
/* C's truncation toward zero; NaN gives 0 and values beyond int64 saturate. */
int64_t scalar_f2i(double x);
/* x wrapped to the width of integer dtype t (bool: x != 0), as C's conversions of the
 * unsigned representation do. Other dtypes: x unchanged. */
int64_t scalar_wrap(DType t, int64_t x);
/* A comparison (OP_LT .. OP_NE) of integers or of floats. */
bool scalar_icmp(Op op, int64_t a, int64_t b);
bool scalar_fcmp(Op op, double a, double b);
/* A math function, in float32 (rounded through float, as a C float call) or float64. */
double scalar_math(MathFn fn, bool f32, double x);
#endif
