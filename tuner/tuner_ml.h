/* The search-based tuners behind tuner_new: GA (tuner/tuner_ga.c) and XGB (tuner/tuner_xgb.c).
 * Each init fills t->impl from t->space / t->len (set before) and never fails. */
#ifndef TEC_TUNER_ML_H
#define TEC_TUNER_ML_H
#include "tuner/features.h"
#include "tuner/tuner.h"
#include <stddef.h>

extern const TunerOps tuner_ga_ops, tuner_xgb_ops;
void tuner_ga_init(Tuner *t);
void tuner_xgb_init(Tuner *t);
/* An XGBoost parameter set after AutoTVM's (at most 4; names and values under 64 bytes), for
 * tests and experiments. False if t is not an XGB tuner or there is no room. */
bool tuner_xgb_set_param(Tuner *t, const char *name, const char *value);
/* The XGB tuner's feature kind (before any update; false if t is not XGB or has data). */
bool tuner_xgb_set_features(Tuner *t, FeatureKind kind);
/* Its kind and vector length (dim may be NULL); t must be an XGB tuner. */
FeatureKind tuner_xgb_features(const Tuner *t, int *dim);
/* Trials of an earlier task (AutoTVM's load_history): n feature rows of the tuner's length and
 * their GFLOPS (0 for errors), normalised by their best, one ranking group of the history's model
 * (the base of every later fit, with a weight halving every 64 trials); here (NULL: none) gives
 * each trial's config index in this space, or -1
 * where its knob values are not a config here. The first proposals are then the best of those
 * configs (up to 8, by normalised GFLOPS), then a model of the history's picks. False if t is
 * not XGB or no trial ran. */
bool tuner_xgb_add_history(Tuner *t, const float *x, const double *gflops, const int64_t *here,
                           int n);
/* Model scores of n configs (higher: predicted faster), fitting first on the history and trials
 * when no model is fitted yet; false if there is nothing to fit or XGBoost failed. For
 * measuring the model (bench_search --rank). */
bool tuner_xgb_predict(Tuner *t, const int64_t *index, int n, float *score);
/* Whether each plan's annealing starts some walkers (up to 16 of 128) from the best configs
 * measured so far, in 24 steps with loop features (default off: AutoTVM's walkers, carried over
 * from the last search only, in 40 steps; docs/tuning.md compares them). False if t is not
 * XGB. */
bool tuner_xgb_set_seed_walkers(Tuner *t, bool on);
/* AutoTVM's diversity_filter_ratio: each plan's annealing keeps ratio x 64 candidates, of which
 * the 64 that cover the most knob values are planned (submodular_pick); 0 or 1: the 64 best
 * predicted. False if t is not XGB, has no space, or ratio is outside 0..16. */
bool tuner_xgb_set_diversity(Tuner *t, int ratio);
/* Whether the analytic cost prior (the last loop feature, tuner/cost_prior.h) plans the first
 * 64 configs and is the base margin of every fit, discounted 1/2^(n/64) after n trials as
 * AutoTVM discounts a history's model (default on; off: AutoTVM's random start). Only with loop
 * features and no history. False if t is not XGB. */
bool tuner_xgb_set_prior(Tuner *t, bool on);
/* The byte limit of its feature-row cache (tuner/feature_cache.h; 0: none, every row is
 * extracted; default FEATURE_CACHE_DEFAULT_MB): drops the rows cached so far. False if t is not
 * XGB. */
bool tuner_xgb_set_cache(Tuner *t, size_t bytes);
/* The cache's lookups that hit and missed, and its bytes; t must be an XGB tuner. */
void tuner_xgb_cache_stats(const Tuner *t, int64_t *hits, int64_t *misses, size_t *bytes);
#endif
