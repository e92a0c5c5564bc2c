/* Sizes of a bound stage (lang/inst.h). */
#include "lang/inst.h"

int64_t stage_size(const Stage *s) {
    int64_t n = 1;
    for (int i = 0; i < s->ndim; i++) n *= s->shape[i];
    return n;
}
