/* Configs as the model-based tuners see them: an index as its knob digits (mixed radix, first
 * knob fastest, as tuner/space.c) and as a feature vector for the cost model: "knob" (the knob
 * values) or a loop kind (tuner/features_loops.c on the config's lowered nest, then the analytic
 * cost prior of tuner/cost_prior.h). */
#ifndef TEC_FEATURES_H
#define TEC_FEATURES_H
#include "tuner/cost_prior.h"
#include "tuner/features_loops.h"
#include "tuner/space.h"
#include <stdint.h>
#include <stdio.h>

typedef struct Features {
    const Space *sp; /* NULL (or no knobs): one pseudo-knob, the index itself */
    int ndigits;
    int64_t *lens; /* ndigits knob lengths */
    int dim;       /* floats per feature vector */
    FeatureKind kind;
    FILE *quiet;          /* loop kinds: /dev/null, for the messages of configs that do not lower */
    PriorMachine machine; /* loop kinds: the cost prior's machine (this host) */
    double flops;         /* the task's FLOPs (the prior's work) */
} Features;

/* sp may be NULL: then the space is one knob of len entries. */
void features_init(Features *f, const Space *sp, int64_t len);
/* The same with another kind of vector; a loop kind without a space (no knobs) is "knob". */
void features_init_kind(Features *f, const Space *sp, int64_t len, FeatureKind kind);
void features_free(Features *f);
/* index -> ndigits digits, and back. */
void features_digits(const Features *f, int64_t index, int64_t *digits);
int64_t features_index(const Features *f, const int64_t *digits);
/* The feature vector of a config (f->dim floats). Loop kinds lower the config (up to the first
 * simplify, before unrolling); a config that does not lower gives zeros. Their last float is
 * the analytic cost prior (tuner/cost_prior.h) as log2 of predicted FLOPs per cycle. */
void features_vector(const Features *f, int64_t index, float *out);
/* Whether f's vectors end in the prior (loop kinds do), and the prior of such a vector (higher:
 * predicted faster; 0 when the config did not lower). */
bool features_have_prior(const Features *f);
float features_prior(const Features *f, const float *row);
#endif
