/* Tuners: what to measure next. One small interface (next_batch / update) behind which random,
 * grid and later GA and XGB sit. Every tuner proposes each config index at most once: the seen
 * set, shared by all tuners, holds what was proposed, measured or resumed from a log. */
#ifndef TEC_TUNER_H
#define TEC_TUNER_H
#include "tuner/space.h"
#include <stdbool.h>
#include <stdint.h>

/* A measured trial as tuners see it. */
typedef struct TrialResult {
    int64_t index;
    int error_no;  /* MeasureErr */
    double cost;   /* mean seconds, LOG_ERROR_COST on error */
    double gflops; /* 0 on error */
} TrialResult;

/* Open-addressing set of config indices: spaces can be 10^10 long, so never a bitmap. */
typedef struct IndexSet {
    int64_t *slots; /* -1 = empty */
    int64_t cap, count;
} IndexSet;
bool iset_add(IndexSet *s, int64_t v); /* true if v was new */
bool iset_has(const IndexSet *s, int64_t v);
void iset_free(IndexSet *s);

typedef struct Tuner Tuner;
typedef struct TunerOps {
    const char *name;
    /* Up to n new indices (not yet seen; each is marked seen). Fewer (maybe 0) when the space is
     * exhausted. Called again before earlier batches were measured: the tuning loop pipelines. */
    int (*next_batch)(Tuner *t, int64_t *out, int n);
    /* Results of measured (or resumed) trials, in the order they finished. */
    void (*update)(Tuner *t, const TrialResult *res, int n);
    void (*free_impl)(Tuner *t);
} TunerOps;

struct Tuner {
    const TunerOps *ops;
    const Space *space; /* may be NULL for tuners that only need len */
    int64_t len;        /* space length */
    IndexSet seen;
    uint64_t rng; /* splitmix64 state */
    void *impl;   /* the tuner's own state */
};

/* name: "random", "grid", "ga" or "xgb". NULL for an unknown name. */
Tuner *tuner_new(const char *name, const Space *sp, int64_t len, uint64_t seed);
void tuner_free(Tuner *t);
/* Mark an index as measured before the run (resume): it will never be proposed. */
void tuner_mark_seen(Tuner *t, int64_t index);
int tuner_next_batch(Tuner *t, int64_t *out, int n);
void tuner_update(Tuner *t, const TrialResult *res, int n);

/* Uniform in [0, n) without modulo bias, from the tuner's generator (for tuners plugging in). */
int64_t tuner_rand_below(Tuner *t, int64_t n);
/* Up to n uniformly random unseen indices, each marked seen (the random tuner's proposals);
 * fewer when the space runs out. For tuners that fall back to random. */
int tuner_random_unseen(Tuner *t, int64_t *out, int n);
#endif
