/* Loop features of a lowered config, after AutoTVM's touch_extractor.cc: takes the loop nest
 * (before unrolling: unrolled and vectorized loops are still loops with their kind) and gives a
 * fixed-length float vector, "itervar" (per loop and buffer access) or "curve" (per access, its
 * count/reuse/footprint curves sampled at fixed points). */
#ifndef TEC_FEATURES_LOOPS_H
#define TEC_FEATURES_LOOPS_H
#include "tuner/loop_walk.h"

typedef enum FeatureKind { FEATURES_KNOB, FEATURES_ITERVAR, FEATURES_CURVE } FeatureKind;

/* Fixed sizes, as xgboost needs one vector length for every config (and for transfer across
 * templates): loops past the first FEAT_MAX_LOOPS (in order of first occurrence) and accesses
 * past the first FEAT_MAX_ACCESSES (sorted by buffer name, then occurrence) are dropped; fewer
 * are padded with zeros, as AutoTVM pads its itervar vectors. */
enum { FEAT_MAX_LOOPS = 24, FEAT_MAX_ACCESSES = 8, FEAT_CURVE_SAMPLES = 20 };

/* "knob", "itervar", "curve" -> kind; false for another name. */
bool feature_kind_parse(const char *name, FeatureKind *k);
const char *feature_kind_name(FeatureKind k);
/* Floats per vector of a loop kind (itervar or curve). */
int loop_features_dim(FeatureKind k);
/* The vector of a walked loop nest (loop_features_dim(k) floats); w NULL (lowering failed): all
 * zeros. */
void loop_features(const LoopWalk *w, FeatureKind k, float *out);
#endif
