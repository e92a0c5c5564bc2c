/* The search-based tuners behind tuner_new: GA (tuner/tuner_ga.c) and XGB (tuner/tuner_xgb.c).
 * Each init fills t->impl from t->space / t->len (set before) and never fails. */
#ifndef TEC_TUNER_ML_H
#define TEC_TUNER_ML_H
#include "tuner/tuner.h"

extern const TunerOps tuner_ga_ops, tuner_xgb_ops;
void tuner_ga_init(Tuner *t);
void tuner_xgb_init(Tuner *t);
#endif
