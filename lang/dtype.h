/* Element types of tensors and expressions: names, sizes, classes. */
#ifndef TEC_DTYPE_H
#define TEC_DTYPE_H
#include <stdbool.h>
#include <stddef.h>

typedef enum DType {
    DT_NONE = 0, /* not yet inferred / not a value */
    DT_BOOL,
    DT_INT8,
    DT_INT16,
    DT_INT32,
    DT_INT64,
    DT_UINT8,
    DT_FLOAT32,
    DT_FLOAT64,
    DT_COUNT
} DType;

const char *dtype_name(DType t);      /* "float32"; "?" for DT_NONE */
const char *dtype_ctype(DType t);     /* C element type: "float", "int32_t", "bool", ... */
DType dtype_from_name(const char *s); /* DT_NONE if s is not a dtype name */
size_t dtype_size(DType t);           /* bytes per element */
int dtype_bits(DType t);
bool dtype_is_float(DType t);
bool dtype_is_int(DType t); /* signed or unsigned integer, not bool */
bool dtype_is_signed(DType t);
#endif
