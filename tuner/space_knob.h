/* One knob's space, shared by tuner/space*.c only: each knob kind fills a KnobSpace from its
 * Knob and maps a position in the knob's candidate list to a KnobVal and back. */
#ifndef TEC_SPACE_KNOB_H
#define TEC_SPACE_KNOB_H
#include "lang/arena.h"
#include "lang/diag.h"
#include "tuner/space.h"

/* A split knob may enumerate at most this many values (rows x outputs) in its table. */
#define SPACE_MAX_SPLIT_VALS ((int64_t)1 << 22)

typedef struct KnobSpace {
    const Knob *knob;
    int64_t len;
    int nvals; /* KnobVal.n of every entity */
    /* KNOB_SPLIT: the candidate factors in AutoTVM's order, and the entities, len rows of
     * nvals values each, in AutoTVM's order (the knob's own rows for POL_CANDIDATE). */
    int64_t *factors;
    int nfactors;
    int *by_value; /* positions in factors, ordered by factor value (for lookups) */
    const int64_t *rows;
    /* KNOB_REORDER: positions [pb, pe) of the identity are permuted (pb == pe: identity). */
    int pb, pe;
    /* KNOB_ANNOTATE: the options tried on every axis, in AutoTVM's order; vec_opt is the
     * position of ANN_VEC among them or -1. */
    int64_t opts[3];
    int nopts, vec_opt;
} KnobSpace;

/* A reorder or annotate knob's axes: 1 to KNOB_MAX_VALS of them (then ks->nvals is their count),
 * else an error at the knob naming its kind ("reorder", "annotate"). In tuner/space.c. */
bool space_knob_axes(Diag *d, KnobSpace *ks, const char *kind);
/* Each fills ks (ks->knob set) or reports at the knob and returns false. */
bool space_split_init(Arena *a, Diag *d, KnobSpace *ks);
bool space_reorder_init(Diag *d, KnobSpace *ks);
bool space_annotate_init(Diag *d, KnobSpace *ks);

/* Entity i (0 <= i < len) of a knob, and its inverse (-1 if v is not an entity). */
void space_split_get(const KnobSpace *ks, int64_t i, KnobVal *v);
int64_t space_split_index(const KnobSpace *ks, const KnobVal *v);
void space_reorder_get(const KnobSpace *ks, int64_t i, KnobVal *v);
int64_t space_reorder_index(const KnobSpace *ks, const KnobVal *v);
void space_annotate_get(const KnobSpace *ks, int64_t i, KnobVal *v);
int64_t space_annotate_index(const KnobSpace *ks, const KnobVal *v);

/* AutoTVM's split factor lists for extent n (exposed for tests): divisors ascending, powers of
 * two up to n, and their union in the iteration order of Python's set (verbose). Return the
 * count; *out is allocated in a. */
int space_split_divisors(Arena *a, int64_t n, int64_t **out);
int space_split_pow2s(Arena *a, int64_t n, int64_t **out);
int space_split_verbose_factors(Arena *a, int64_t n, int64_t **out);
#endif
