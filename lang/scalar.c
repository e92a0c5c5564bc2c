/* The language's scalar semantics: each operator's fold, total on every input (lang/scalar.h). */
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

int64_t scalar_gcd(int64_t a, int64_t b) {
    uint64_t x = a < 0 ? -(uint64_t)a : (uint64_t)a, y = b < 0 ? -(uint64_t)b : (uint64_t)b;
    while (y) {
        uint64_t t = x % y;
        x = y, y = t;
    }
    return x > (uint64_t)INT64_MAX ? 1 : (int64_t)x;
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

/* A comparison from the three facts it can ask; NaN makes all three false, so only != holds. */
static bool compare(Op op, bool lt, bool eq, bool gt) {
    switch (op) {
    case OP_LT:
        return lt;
    case OP_LE:
        return lt || eq;
    case OP_GT:
        return gt;
    case OP_GE:
        return gt || eq;
    case OP_EQ:
        return eq;
    default:
        return !eq;
    }
}

bool scalar_icmp(Op op, int64_t a, int64_t b) {
    return compare(op, a<b, a == b, a> b);
}

bool scalar_fcmp(Op op, double a, double b) {
    return compare(op, a<b, a == b, a> b);
}

int64_t scalar_ibinary(Op op, DType t, int64_t a, int64_t b) {
    switch (op_info(op)->cls) {
    case OPC_CMP:
        return scalar_icmp(op, a, b);
    case OPC_LOGIC:
        return op == OP_AND ? a && b : a || b;
    default:
        return scalar_iarith(op, t, a, b);
    }
}

int64_t scalar_ineg(DType t, int64_t x) {
    return scalar_wrap(t, (int64_t)(0 - (uint64_t)x));
}

int64_t scalar_iabs(DType t, int64_t x) {
    return x < 0 ? scalar_ineg(t, x) : scalar_wrap(t, x);
}

const char *scalar_iexact(Op op, int64_t a, int64_t b, int64_t *r) {
    switch (op) {
    case OP_ADD:
        return __builtin_add_overflow(a, b, r) ? "integer overflow" : NULL;
    case OP_SUB:
        return __builtin_sub_overflow(a, b, r) ? "integer overflow" : NULL;
    case OP_MUL:
        return __builtin_mul_overflow(a, b, r) ? "integer overflow" : NULL;
    case OP_DIV:
    case OP_MOD:
        if (b == 0) return "division by zero";
        if (a == INT64_MIN && b == -1 && op == OP_DIV) return "integer overflow";
        *r = scalar_iarith(op, DT_INT64, a, b);
        return NULL;
    case OP_MIN:
    case OP_MAX:
        *r = scalar_iarith(op, DT_INT64, a, b);
        return NULL;
    default:
        return "not an integer operation";
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
