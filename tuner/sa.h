/* Simulated annealing over a cost model's predictions, AutoTVM's SimulatedAnnealingOptimizer:
 * finds the configs the model scores highest without scoring the whole space. */
#ifndef TEC_SA_H
#define TEC_SA_H
#include "tuner/features.h"
#include "tuner/tuner.h"

/* The walkers: predict is never asked for more configs than this at once. */
enum { SA_WALKERS = 128 };

/* Scores of n configs (higher is better); false if the model failed. */
typedef bool (*SaPredict)(void *ctx, const int64_t *index, int n, float *score);

typedef struct Sa {
    int64_t *points; /* the walkers, kept from one search to the next (AutoTVM's persistent) */
    int npoints;
    int iterations; /* of the last search, for tests and timing */
    int max_iters;  /* 0: AutoTVM's 500; fewer when a prediction is costly (loop features) */
} Sa;

/* Up to num unseen configs (t->seen excluded; nothing is marked) with the highest predicted
 * scores, best first, into out; returns how many, or -1 if predict failed. Randomness from t. */
int sa_find_maximums(Sa *sa, Tuner *t, const Features *f, SaPredict predict, void *ctx, int num,
                     int64_t *out);
/* Places the first n walkers (at most SA_WALKERS) on the given configs for the next search; the
 * other walkers stay where the last search left them. */
void sa_seed(Sa *sa, Tuner *t, const int64_t *index, int n);
void sa_free(Sa *sa);
#endif
