/* The task scheduler: per task its weight, rounds started, best latency and the history of best
 * latencies at the end of each round; picks the next task round-robin or by Ansor's gradient. */
#include "tuner/task_sched.h"
#include "lang/xalloc.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A task without any error-free trial yet: Ansor's initial cost, so it is tuned first. */
#define NO_COST 1e10

typedef struct TaskState {
    double weight, flops, best;
    int group;
    int64_t rounds;  /* started */
    double *history; /* best after each ended round */
    int64_t nhist, cap;
    bool retired;
} TaskState;

struct TaskSched {
    TaskSchedKind kind;
    TaskSchedParams p;
    int n;
    TaskState *t;
    int warm; /* tasks handed their warm-up round so far (in order) */
    int rr;   /* round-robin position */
    uint64_t rng;
};

void task_sched_params_default(TaskSchedParams *p) {
    *p = (TaskSchedParams){.alpha = 0.2, .beta = 2, .window = 3, .eps = 0.05};
}

bool task_sched_kind(const char *name, TaskSchedKind *kind) {
    if (!strcmp(name, "round-robin"))
        *kind = TASK_SCHED_ROUND_ROBIN;
    else if (!strcmp(name, "gradient"))
        *kind = TASK_SCHED_GRADIENT;
    else
        return false;
    return true;
}

TaskSched *task_sched_new(TaskSchedKind kind, const TaskSchedParams *p, int n, const double *weight,
                          const double *flops, const int *group, uint64_t seed) {
    TaskSched *s = xcalloc(1, sizeof *s);
    s->kind = kind;
    s->p = *p;
    s->n = n;
    s->t = xcalloc((size_t)(n > 0 ? n : 1), sizeof *s->t);
    for (int i = 0; i < n; i++)
        s->t[i] =
            (TaskState){.weight = weight[i], .flops = flops[i], .best = NO_COST, .group = group[i]};
    s->rng = seed ^ 0x7a5c5c4edULL;
    return s;
}

void task_sched_free(TaskSched *s) {
    if (!s) return;
    for (int i = 0; i < s->n; i++) free(s->t[i].history);
    free(s->t);
    free(s);
}

/* splitmix64, as the tuners' generator. */
static uint64_t next_rand(TaskSched *s) {
    uint64_t z = (s->rng += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static double rand_unit(TaskSched *s) {
    return (double)(next_rand(s) >> 11) * 0x1.0p-53;
}

static int live_count(const TaskSched *s) {
    int n = 0;
    for (int i = 0; i < s->n; i++) n += !s->t[i].retired;
    return n;
}

/* The k-th live task (0-based). */
static int live_at(const TaskSched *s, int k) {
    for (int i = 0; i < s->n; i++)
        if (!s->t[i].retired && k-- == 0) return i;
    return -1;
}

/* d(objective)/d(trials of task i), negative: Ansor's chain rule. The objective is a weighted
 * sum, so its derivative by task i's latency is the weight; the latency's derivative by trials
 * mixes the observed drop over the last `window` rounds (backward) with an optimistic forward
 * estimate: the next round gains best/rounds, but no task beats beta x the GFLOPS of the best
 * task of its group (the same template), which bounds a task far ahead of its peers. */
static double gradient(const TaskSched *s, int i) {
    const TaskState *t = &s->t[i];
    double backward = 0;
    int64_t k = t->nhist - 1;
    if (k - s->p.window >= 0)
        backward = (t->history[k] - t->history[k - s->p.window]) / s->p.window;
    double next1 = t->best - t->best / (double)(t->rounds > 0 ? t->rounds : 1);
    double next2 = s->p.beta * 1e30;
    int members = 0;
    double best_flops = 0;
    for (int j = 0; j < s->n; j++) {
        if (s->t[j].group != t->group) continue;
        members++;
        double f = s->t[j].flops / s->t[j].best;
        if (f > best_flops) best_flops = f;
    }
    if (members > 1 && best_flops > 0) next2 = s->p.beta * t->flops / best_flops;
    double forward = fmin(next1, next2) - t->best;
    return t->weight * (s->p.alpha * backward + (1 - s->p.alpha) * forward);
}

int task_sched_next(TaskSched *s) {
    int live = live_count(s);
    if (live == 0) return -1;
    int pick = -1;
    while (s->warm < s->n && pick < 0) { /* warm-up: each task once, in order */
        if (!s->t[s->warm].retired && s->t[s->warm].rounds == 0) pick = s->warm;
        s->warm++;
    }
    if (pick < 0 && s->kind == TASK_SCHED_ROUND_ROBIN) {
        for (int k = 0; k < s->n && pick < 0; k++) {
            int i = (s->rr + k) % s->n;
            if (!s->t[i].retired) pick = i;
        }
        s->rr = (pick + 1) % s->n;
    } else if (pick < 0) {
        if (rand_unit(s) < s->p.eps) {
            pick = live_at(s, (int)(next_rand(s) % (uint64_t)live));
        } else {
            double lo = INFINITY, hi = -INFINITY;
            for (int i = 0; i < s->n; i++) {
                if (s->t[i].retired) continue;
                double g = gradient(s, i);
                if (g < lo) lo = g, pick = i;
                if (g > hi) hi = g;
            }
            if (lo == hi) pick = live_at(s, (int)(next_rand(s) % (uint64_t)live)); /* a tie */
        }
    }
    s->t[pick].rounds++;
    return pick;
}

void task_sched_update(TaskSched *s, int i, double best_cost) {
    if (i < 0 || i >= s->n) return;
    TaskState *t = &s->t[i];
    if (best_cost > 0 && isfinite(best_cost) && best_cost < t->best) t->best = best_cost;
    if (t->nhist == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 16;
        t->history = xrealloc(t->history, sizeof *t->history * (size_t)t->cap);
    }
    t->history[t->nhist++] = t->best;
}

void task_sched_retire(TaskSched *s, int i) {
    if (i >= 0 && i < s->n) s->t[i].retired = true;
}

bool task_sched_retired(const TaskSched *s, int i) {
    return i < 0 || i >= s->n || s->t[i].retired;
}

double task_sched_objective(const TaskSched *s) {
    double sum = 0;
    for (int i = 0; i < s->n; i++) sum += s->t[i].weight * s->t[i].best;
    return sum;
}
