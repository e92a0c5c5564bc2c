/* Configs as the model-based tuners see them: an index as its knob digits (mixed radix, first
 * knob fastest, as tuner/space.c) and as a "knob" feature vector for the cost model. */
#ifndef TEC_FEATURES_H
#define TEC_FEATURES_H
#include "tuner/space.h"
#include <stdint.h>

typedef struct Features {
    const Space *sp; /* NULL (or no knobs): one pseudo-knob, the index itself */
    int ndigits;
    int64_t *lens; /* ndigits knob lengths */
    int dim;       /* floats per feature vector */
} Features;

/* sp may be NULL: then the space is one knob of len entries. */
void features_init(Features *f, const Space *sp, int64_t len);
void features_free(Features *f);
/* index -> ndigits digits, and back. */
void features_digits(const Features *f, int64_t index, int64_t *digits);
int64_t features_index(const Features *f, const int64_t *digits);
/* The feature vector of a config (f->dim floats). */
void features_vector(const Features *f, int64_t index, float *out);
#endif
