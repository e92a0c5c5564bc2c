/* The search-based tuners behind tuner_new: GA (tuner/tuner_ga.c) and XGB (tuner/tuner_xgb.c).
 * Each init fills t->impl from t->space / t->len (set before) and never fails. */
#ifndef TEC_TUNER_ML_H
#define TEC_TUNER_ML_H
#include "tuner/tuner.h"

extern const TunerOps tuner_ga_ops, tuner_xgb_ops;
void tuner_ga_init(Tuner *t);
void tuner_xgb_init(Tuner *t);
/* An XGBoost parameter set after AutoTVM's (at most 4; names and values under 64 bytes), for
 * tests and experiments. False if t is not an XGB tuner or there is no room. */
bool tuner_xgb_set_param(Tuner *t, const char *name, const char *value);
#endif
