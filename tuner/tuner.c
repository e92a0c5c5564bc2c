/* The tuner interface and its two simplest strategies: random (uniform without repeats, by
 * rejection against the seen set) and grid (ascending index); GA and XGB plug in from their own
 * files. Takes a space length and a seed; gives batches of not-yet-seen config indices. */
#include "tuner/tuner.h"
#include "lang/xalloc.h"
#include "tuner/tuner_ml.h"
#include <stdlib.h>
#include <string.h>

static uint64_t mix64(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint64_t next_u64(uint64_t *state) {
    *state += 0x9e3779b97f4a7c15ULL;
    return mix64(*state);
}

static int64_t slot_of(int64_t v, int64_t cap) {
    return (int64_t)(mix64((uint64_t)v) & (uint64_t)(cap - 1));
}

static void iset_grow(IndexSet *s) {
    int64_t ncap = s->cap ? s->cap * 2 : 1024;
    int64_t *ns = xmalloc(sizeof *ns * (size_t)ncap);
    memset(ns, 0xff, sizeof *ns * (size_t)ncap);
    for (int64_t i = 0; i < s->cap; i++) {
        int64_t v = s->slots[i];
        if (v < 0) continue;
        int64_t j = slot_of(v, ncap);
        while (ns[j] >= 0) j = (j + 1) & (ncap - 1);
        ns[j] = v;
    }
    free(s->slots);
    s->slots = ns;
    s->cap = ncap;
}

bool iset_has(const IndexSet *s, int64_t v) {
    if (!s->cap) return false;
    for (int64_t j = slot_of(v, s->cap);; j = (j + 1) & (s->cap - 1)) {
        if (s->slots[j] == v) return true;
        if (s->slots[j] < 0) return false;
    }
}

bool iset_add(IndexSet *s, int64_t v) {
    if ((s->count + 1) * 2 > s->cap) iset_grow(s);
    int64_t j = slot_of(v, s->cap);
    while (s->slots[j] >= 0) {
        if (s->slots[j] == v) return false;
        j = (j + 1) & (s->cap - 1);
    }
    s->slots[j] = v;
    s->count++;
    return true;
}

void iset_free(IndexSet *s) {
    free(s->slots);
    memset(s, 0, sizeof *s);
}

int64_t tuner_rand_below(Tuner *t, int64_t n) {
    uint64_t un = (uint64_t)n;
    uint64_t limit = UINT64_MAX - UINT64_MAX % un; /* reject the biased tail */
    uint64_t x;
    do x = next_u64(&t->rng);
    while (x >= limit);
    return (int64_t)(x % un);
}

/* ---- random ---- */

int tuner_random_unseen(Tuner *t, int64_t *out, int n) {
    int k = 0;
    while (k < n && t->seen.count < t->len) {
        int64_t left = t->len - t->seen.count;
        int64_t pick = -1;
        if (left * 16 < t->len && t->len <= (1 << 24)) {
            /* Nearly exhausted small space: rejection would spin, so pick uniformly among the
             * unseen indices directly (still uniform over what is left). */
            int64_t r = tuner_rand_below(t, left);
            for (int64_t i = 0; i < t->len; i++)
                if (!iset_has(&t->seen, i) && r-- == 0) {
                    pick = i;
                    break;
                }
        } else {
            do pick = tuner_rand_below(t, t->len);
            while (iset_has(&t->seen, pick));
        }
        iset_add(&t->seen, pick);
        out[k++] = pick;
    }
    return k;
}

static void no_update(Tuner *t, const TrialResult *res, int n) {
    (void)t, (void)res, (void)n;
}

static void no_free(Tuner *t) {
    (void)t;
}

static const TunerOps random_ops = {"random", tuner_random_unseen, no_update, no_free};

/* ---- grid ---- */

typedef struct Grid {
    int64_t cursor;
} Grid;

static int grid_next(Tuner *t, int64_t *out, int n) {
    Grid *g = t->impl;
    int k = 0;
    while (k < n && g->cursor < t->len) {
        int64_t i = g->cursor++;
        if (iset_add(&t->seen, i)) out[k++] = i;
    }
    return k;
}

static void grid_free(Tuner *t) {
    free(t->impl);
}

static const TunerOps grid_ops = {"grid", grid_next, no_update, grid_free};

Tuner *tuner_new(const char *name, const Space *sp, int64_t len, uint64_t seed) {
    const TunerOps *ops = NULL;
    if (strcmp(name, "random") == 0)
        ops = &random_ops;
    else if (strcmp(name, "grid") == 0)
        ops = &grid_ops;
    else if (strcmp(name, "ga") == 0)
        ops = &tuner_ga_ops;
    else if (strcmp(name, "xgb") == 0)
        ops = &tuner_xgb_ops;
    if (!ops || len < 0) return NULL;
    Tuner *t = xcalloc(1, sizeof *t);
    t->ops = ops;
    t->space = sp;
    t->len = len;
    t->rng = seed;
    if (ops == &grid_ops) t->impl = xcalloc(1, sizeof(Grid));
    if (ops == &tuner_ga_ops) tuner_ga_init(t);
    if (ops == &tuner_xgb_ops) tuner_xgb_init(t);
    return t;
}

void tuner_free(Tuner *t) {
    if (!t) return;
    t->ops->free_impl(t);
    iset_free(&t->seen);
    free(t);
}

void tuner_mark_seen(Tuner *t, int64_t index) {
    if (index >= 0 && index < t->len) iset_add(&t->seen, index);
}

int tuner_next_batch(Tuner *t, int64_t *out, int n) {
    return t->ops->next_batch(t, out, n);
}

void tuner_update(Tuner *t, const TrialResult *res, int n) {
    t->ops->update(t, res, n);
}
