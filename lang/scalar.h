/* The language's scalar semantics, total on every input: the fold of each operator of
 * lang/ops.h per dtype class, floor division and modulo (Python's // and %), integer power,
 * wrap-around, float-to-int conversion, math functions. One definition shared by sema's folding,
 * the reference evaluator, lowering's simplifier and the tests' IR interpreter. */
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
/* The folds of the operator table (lang/ops.h), one per dtype class. */
/* A comparison (OP_LT .. OP_NE) of integers or of floats. */
bool scalar_icmp(Op op, int64_t a, int64_t b);
bool scalar_fcmp(Op op, double a, double b);
/* An arithmetic operator on integers of dtype t, wrapped to t (min and max need no wrap). */
int64_t scalar_iarith(Op op, DType t, int64_t a, int64_t b);
/* Any binary operator on integer or bool operands of dtype t: scalar_iarith, scalar_icmp, or
 * && / || on values taken as 0 / non-zero (no short cut: both operands are values already). */
int64_t scalar_ibinary(Op op, DType t, int64_t a, int64_t b);
/* An arithmetic operator on floats; rounded to float32 when f32, pow computed in float. */
double scalar_farith(Op op, bool f32, double a, double b);
/* -x and |x| in integer dtype t, wrapped. */
int64_t scalar_ineg(DType t, int64_t x);
int64_t scalar_iabs(DType t, int64_t x);
/* Exact int64 arithmetic for sema's constant folding (+ - * / % min max): *r, or the error
 * ("integer overflow", "division by zero") where the wrapped result would differ. */
const char *scalar_iexact(Op op, int64_t a, int64_t b, int64_t *r);
/* A math function, in float32 (rounded through float, as a C float call) or float64. */
double scalar_math(MathFn fn, bool f32, double x);
#endif
