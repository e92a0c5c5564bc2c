/* The pick of a log or a run: an open-addressing map from config index to the sum and count of
 * its trials' costs, with the best kept current (a full scan only when a re-measurement makes
 * the best config slower). */
#include "tuner/log_pick.h"
#include "lang/xalloc.h"
#include <stdlib.h>

typedef struct PickSlot {
    int64_t index; /* -1: empty */
    int64_t order; /* when first measured: ties go to the earlier */
    double sum;
    int n;
} PickSlot;

struct LogPick {
    PickSlot *slots;
    int64_t cap, count;
    int64_t best; /* slot of the best, -1 if none */
};

static double mean_of(const PickSlot *s) {
    return s->sum / s->n;
}

static int64_t home(int64_t index, int64_t cap) {
    uint64_t h = (uint64_t)index * 0x9E3779B97F4A7C15ull;
    return (int64_t)(h >> 17) & (cap - 1);
}

static int64_t find(const LogPick *p, int64_t index) {
    int64_t j = home(index, p->cap);
    while (p->slots[j].index >= 0 && p->slots[j].index != index) j = (j + 1) & (p->cap - 1);
    return j;
}

static bool better(const PickSlot *a, const PickSlot *b) {
    double ma = mean_of(a), mb = mean_of(b);
    return ma < mb || (ma == mb && a->order < b->order);
}

static void rescan(LogPick *p) {
    p->best = -1;
    for (int64_t j = 0; j < p->cap; j++)
        if (p->slots[j].index >= 0 && (p->best < 0 || better(&p->slots[j], &p->slots[p->best])))
            p->best = j;
}

static void grow(LogPick *p) {
    PickSlot *old = p->slots;
    int64_t oldcap = p->cap;
    p->cap = oldcap ? oldcap * 2 : 64;
    p->slots = xmalloc(sizeof *p->slots * (size_t)p->cap);
    for (int64_t j = 0; j < p->cap; j++) p->slots[j].index = -1;
    for (int64_t j = 0; j < oldcap; j++)
        if (old[j].index >= 0) p->slots[find(p, old[j].index)] = old[j];
    free(old);
    rescan(p);
}

LogPick *log_pick_new(void) {
    LogPick *p = xcalloc(1, sizeof *p);
    p->best = -1;
    grow(p);
    return p;
}

void log_pick_free(LogPick *p) {
    if (!p) return;
    free(p->slots);
    free(p);
}

int log_pick_add(LogPick *p, int64_t index, double cost) {
    if ((p->count + 1) * 2 > p->cap) grow(p);
    int64_t j = find(p, index);
    PickSlot *s = &p->slots[j];
    if (s->index < 0) *s = (PickSlot){.index = index, .order = p->count++};
    s->sum += cost;
    s->n++;
    if (p->best == j)
        rescan(p); /* the best measured again: slower now, another config may lead */
    else if (p->best < 0 || better(s, &p->slots[p->best]))
        p->best = j;
    return s->n;
}

bool log_pick_best(const LogPick *p, int64_t *index, double *mean_cost) {
    if (p->best < 0) return false;
    *index = p->slots[p->best].index;
    if (mean_cost) *mean_cost = mean_of(&p->slots[p->best]);
    return true;
}
