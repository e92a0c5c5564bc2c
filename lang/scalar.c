/* The language's integer arithmetic, total on every int64 input (see lang/scalar.h). */
#include "lang/scalar.h"
#include <math.h>

int64_t scalar_wrap(DType t, int64_t x) {
    switch (t) {
    case DT_BOOL:
        return x != 0;
    case DT_INT8:
        return (int8_t)(uint8_t)(uint64_t)x;
    case DT_INT16:
        return (int16_t)(uint16_t)(uint64_t)x;
    case DT_INT32:
        return (int32_t)(uint32_t)(uint64_t)x;
    case DT_UINT8:
        return (uint8_t)(uint64_t)x;
    default:
        return x;
    }
}

int64_t scalar_floordiv(int64_t a, int64_t b) {
    if (b == 0) return 0;
    if (b == -1) return (int64_t)(0 - (uint64_t)a);
    int64_t q = a / b;
    if (a % b != 0 && ((a < 0) != (b < 0))) q--;
    return q;
}

int64_t scalar_floormod(int64_t a, int64_t b) {
    if (b == 0 || b == -1) return 0;
    int64_t r = a % b;
    if (r != 0 && ((r < 0) != (b < 0))) r += b;
    return r;
}

int64_t scalar_ipow(int64_t a, int64_t e) {
    if (e < 0) return a == 1 ? 1 : a == -1 ? ((e & 1) ? -1 : 1) : 0;
    uint64_t r = 1, base = (uint64_t)a;
    for (uint64_t n = (uint64_t)e; n; n >>= 1) {
        if (n & 1) r *= base;
        base *= base;
    }
    return (int64_t)r;
}

int64_t scalar_f2i(double x) {
    if (isnan(x)) return 0;
    if (x >= 9223372036854775807.0) return INT64_MAX;
    if (x <= -9223372036854775808.0) return INT64_MIN;
    return (int64_t)x;
}

bool scalar_icmp(Op op, int64_t a, int64_t b) {
    switch (op) {
    case OP_LT:
        return a < b;
    case OP_LE:
        return a <= b;
    case OP_GT:
        return a > b;
    case OP_GE:
        return a >= b;
    case OP_EQ:
        return a == b;
    default:
        return a != b;
    }
}

bool scalar_fcmp(Op op, double a, double b) {
    switch (op) {
    case OP_LT:
        return a < b;
    case OP_LE:
        return a <= b;
    case OP_GT:
        return a > b;
    case OP_GE:
        return a >= b;
    case OP_EQ:
        return a == b;
    default:
        return a != b;
    }
}

double scalar_math(MathFn fn, bool f32, double x) {
    if (f32) {
        float v = (float)x;
        switch (fn) {
        case FN_EXP:
            return expf(v);
        case FN_LOG:
            return logf(v);
        case FN_SQRT:
            return sqrtf(v);
        case FN_TANH:
            return tanhf(v);
        case FN_ABS:
            return fabsf(v);
        case FN_FLOOR:
            return floorf(v);
        default:
            return ceilf(v);
        }
    }
    switch (fn) {
    case FN_EXP:
        return exp(x);
    case FN_LOG:
        return log(x);
    case FN_SQRT:
        return sqrt(x);
    case FN_TANH:
        return tanh(x);
    case FN_ABS:
        return fabs(x);
    case FN_FLOOR:
        return floor(x);
    default:
        return ceil(x);
    }
}
