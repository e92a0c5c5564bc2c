/* A bounded cache of feature rows by config index for the XGB tuner: a loop-feature row costs a
 * lowering (~60 us) and the annealing asks for the same configs again and again (walkers revisit
 * neighbours, the persistent walkers and the measured configs come back at every plan). Rows are
 * kept up to their last non-zero float (loop vectors are zero-padded) in two generations of at
 * most half the byte limit each: when the newer one is full the older one is dropped and the
 * newer takes its place; a hit in the older one is copied to the newer, so rows in use stay. A
 * row is a pure function of its index, so the cache never changes a result, only its cost. */
#ifndef TEC_FEATURE_CACHE_H
#define TEC_FEATURE_CACHE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct FcGen {
    int64_t *keys; /* tcap slots, -1 empty */
    size_t *off;   /* per slot: first float in pool */
    uint32_t *len; /* per slot: floats kept (the rest of the row is zeros) */
    float *pool;   /* the kept floats */
    size_t tcap, count, pcap, used;
} FcGen;

typedef struct FeatureCache {
    int dim;      /* floats per row */
    size_t limit; /* bytes for both generations together; 0: nothing is cached */
    FcGen gen[2]; /* gen[0] the newer */
    int64_t hits, misses;
} FeatureCache;

/* The default limit: 32 MiB per tuner, about 6,000 rows of gemm's itervar vector. */
enum { FEATURE_CACHE_DEFAULT_MB = 32 };

void feature_cache_init(FeatureCache *c, int dim, size_t limit_bytes);
/* The row of index into out (dim floats); false (out untouched) when it is not cached. */
bool feature_cache_get(FeatureCache *c, int64_t index, float *out);
/* Keep the row of index (dim floats), within the limit. */
void feature_cache_put(FeatureCache *c, int64_t index, const float *row);
/* Bytes allocated by both generations (never above the limit). */
size_t feature_cache_bytes(const FeatureCache *c);
void feature_cache_free(FeatureCache *c);
#endif
