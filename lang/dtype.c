/* Element types: one table of names, C types and sizes. */
#include "lang/dtype.h"
#include <string.h>

static const struct {
    const char *name, *ctype;
    int bits;
} table[DT_COUNT] = {
    [DT_NONE] = {"?", "void", 0},
    [DT_BOOL] = {"bool", "bool", 8},
    [DT_INT8] = {"int8", "int8_t", 8},
    [DT_INT16] = {"int16", "int16_t", 16},
    [DT_INT32] = {"int32", "int32_t", 32},
    [DT_INT64] = {"int64", "int64_t", 64},
    [DT_UINT8] = {"uint8", "uint8_t", 8},
    [DT_FLOAT32] = {"float32", "float", 32},
    [DT_FLOAT64] = {"float64", "double", 64},
};

const char *dtype_name(DType t) {
    return (unsigned)t < DT_COUNT ? table[t].name : "?";
}
const char *dtype_ctype(DType t) {
    return (unsigned)t < DT_COUNT ? table[t].ctype : "void";
}
DType dtype_from_name(const char *s) {
    for (int t = DT_BOOL; t < DT_COUNT; t++)
        if (strcmp(s, table[t].name) == 0) return (DType)t;
    return DT_NONE;
}
int dtype_bits(DType t) {
    return (unsigned)t < DT_COUNT ? table[t].bits : 0;
}
size_t dtype_size(DType t) {
    return (size_t)dtype_bits(t) / 8;
}
bool dtype_is_float(DType t) {
    return t == DT_FLOAT32 || t == DT_FLOAT64;
}
bool dtype_is_int(DType t) {
    return t >= DT_INT8 && t <= DT_UINT8;
}
bool dtype_is_signed(DType t) {
    return t >= DT_INT8 && t <= DT_INT64;
}
