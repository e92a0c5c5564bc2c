/* The language's scalar semantics, total on every input: the fold of each operator of
 * lang/ops.h per dtype class, floor division and modulo (Python's // and %), integer power,
 * wrap-around, float-to-int conversion, math functions. One definition shared by sema's folding,
 * the reference evaluator, lowering's simplifier and the tests' IR interpreter. */
#ifndef TEC_SCALAR_H
#define TEC_SCALAR_H
#include "lang/inst.h"
#include <math.h>
#include <stdint.h>

/* Rounds toward minus infinity; x / 0 gives 0 (never traps); INT64_MIN / -1 wraps. */
int64_t scalar_floordiv(int64_t a, int64_t b);
/* The result has the sign of the divisor; x % 0 and x % -1 give 0. */
int64_t scalar_floormod(int64_t a, int64_t b);
/* gcd(|a|, |b|); 0 when both are 0 (2^63, from INT64_MIN, gives 1: nothing is known). */
int64_t scalar_gcd(int64_t a, int64_t b);
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
/* Any binary operator on integer or bool operands of dtype t: scalar_iarith, scalar_icmp, or
 * && / || on values taken as 0 / non-zero (no short cut: both operands are values already). */
int64_t scalar_ibinary(Op op, DType t, int64_t a, int64_t b);
/* -x and |x| in integer dtype t, wrapped. */
int64_t scalar_ineg(DType t, int64_t x);
int64_t scalar_iabs(DType t, int64_t x);
/* Exact int64 arithmetic for sema's constant folding (+ - * / % min max): *r, or the error
 * ("integer overflow", "division by zero") where the wrapped result would differ. */
const char *scalar_iexact(Op op, int64_t a, int64_t b, int64_t *r);
/* A math function, in float32 (rounded through float, as a C float call) or float64. */
double scalar_math(MathFn fn, bool f32, double x);

/* The arithmetic folds are inline: the reference evaluator runs them at every point. */
/* An arithmetic operator on integers of dtype t, wrapped to t (min and max need no wrap). */
static inline int64_t scalar_iarith(Op op, DType t, int64_t a, int64_t b) {
    uint64_t ua = (uint64_t)a, ub = (uint64_t)b; /* unsigned: wrap-around, never UB */
    switch (op) {
    case OP_ADD:
        return scalar_wrap(t, (int64_t)(ua + ub));
    case OP_SUB:
        return scalar_wrap(t, (int64_t)(ua - ub));
    case OP_MUL:
        return scalar_wrap(t, (int64_t)(ua * ub));
    case OP_DIV:
        return scalar_wrap(t, scalar_floordiv(a, b));
    case OP_MOD:
        return scalar_wrap(t, scalar_floormod(a, b));
    case OP_MIN:
        return a < b ? a : b;
    case OP_MAX:
        return a > b ? a : b;
    case OP_POW:
        return scalar_wrap(t, scalar_ipow(a, b));
    default:
        TEC_BUG("scalar_iarith: %s is not arithmetic", op_name(op));
    }
}

/* An arithmetic operator on floats; rounded to float32 when f32, pow computed in float. */
static inline double scalar_farith(Op op, bool f32, double a, double b) {
    double r;
    switch (op) {
    case OP_ADD:
        r = a + b;
        break;
    case OP_SUB:
        r = a - b;
        break;
    case OP_MUL:
        r = a * b;
        break;
    case OP_DIV:
        r = a / b;
        break;
    case OP_MOD:
        r = fmod(a, b);
        break;
    case OP_MIN:
        return fmin(a, b); /* exact: no rounding */
    case OP_MAX:
        return fmax(a, b);
    case OP_POW:
        return f32 ? (double)powf((float)a, (float)b) : pow(a, b);
    default:
        TEC_BUG("scalar_farith: %s is not arithmetic", op_name(op));
    }
    return f32 ? (double)(float)r : r; /* exact in double, one rounding: IEEE float */
}
#endif
