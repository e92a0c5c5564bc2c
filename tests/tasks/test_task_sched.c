/* The task scheduler (tuner/task_sched.c) on a fake objective: each task's best latency follows a
 * fixed curve of its trials, so which task gets the rounds is checkable without measuring. */
#include "tests/lib/testlib.h"
#include "tuner/task_sched.h"
#include "tuner/task_tune.h"
#include <math.h>
#include <string.h>

enum { MAXT = 8, ROUND = 8 };

/* Best latency after t trials: from start down to floor with time constant tau (trials). */
typedef struct Curve {
    double start, floor, tau;
} Curve;

static double latency(const Curve *c, int64_t t) {
    return c->floor + (c->start - c->floor) * exp(-(double)t / c->tau);
}

/* Runs `rounds` rounds; counts rounds per task into picks; returns the final objective. */
static double simulate(TaskSchedKind kind, int n, const double *w, const Curve *c, int rounds,
                       uint64_t seed, int *picks, int *order) {
    TaskSchedParams p;
    task_sched_params_default(&p);
    double flops[MAXT];
    int group[MAXT];
    for (int i = 0; i < n; i++) flops[i] = 1e6, group[i] = i;
    TaskSched *s = task_sched_new(kind, &p, n, w, flops, group, seed);
    int64_t trials[MAXT] = {0};
    memset(picks, 0, sizeof(int) * (size_t)n);
    for (int r = 0; r < rounds; r++) {
        int k = task_sched_next(s);
        CHECK(k >= 0 && k < n, "round %d picked %d", r, k);
        if (k < 0 || k >= n) break;
        if (order) order[r] = k;
        picks[k]++;
        trials[k] += ROUND;
        task_sched_update(s, k, latency(&c[k], trials[k]));
    }
    double obj = task_sched_objective(s);
    task_sched_free(s);
    return obj;
}

/* Every task gets its warm-up round first, in order, under both strategies. */
static void test_warmup(void) {
    double w[4] = {1, 100, 1, 1};
    Curve c[4] = {{1, 0.1, 50}, {1, 0.1, 50}, {1, 0.1, 50}, {1, 0.1, 50}};
    int picks[4], order[20];
    for (int kind = 0; kind < 2; kind++) {
        simulate((TaskSchedKind)kind, 4, w, c, 20, 1, picks, order);
        for (int i = 0; i < 4; i++) CHECK_INT(order[i], i);
        for (int i = 0; i < 4; i++) CHECK(picks[i] >= 1, "task %d never tuned", i);
    }
}

/* Round-robin cycles; retired tasks are skipped; all retired: -1. */
static void test_round_robin_retire(void) {
    double w[3] = {1, 1, 1}, flops[3] = {1, 1, 1};
    int group[3] = {0, 1, 2};
    TaskSchedParams p;
    task_sched_params_default(&p);
    TaskSched *s = task_sched_new(TASK_SCHED_ROUND_ROBIN, &p, 3, w, flops, group, 0);
    for (int r = 0; r < 6; r++) CHECK_INT(task_sched_next(s), r % 3);
    task_sched_retire(s, 1);
    for (int r = 0; r < 4; r++) CHECK(task_sched_next(s) != 1, "a retired task was picked");
    task_sched_retire(s, 0);
    task_sched_retire(s, 2);
    CHECK_INT(task_sched_next(s), -1);
    task_sched_free(s);
    /* the gradient strategy never picks a retired task either, warm-up included */
    s = task_sched_new(TASK_SCHED_GRADIENT, &p, 3, w, flops, group, 0);
    task_sched_retire(s, 0);
    for (int r = 0; r < 50; r++) {
        int k = task_sched_next(s);
        CHECK(k == 1 || k == 2, "picked %d", k);
        task_sched_update(s, k, 1.0 / (r + 1));
    }
    task_sched_free(s);
}

/* Two tasks alike but for the weight: the heavier one gets most rounds; likewise for two tasks
 * alike but for their latency (weight x latency is what the objective sums). */
static void test_prefers_bigger_gain(void) {
    double w[2] = {1, 10};
    Curve same[2] = {{1e-3, 1e-4, 40}, {1e-3, 1e-4, 40}};
    int picks[2];
    simulate(TASK_SCHED_GRADIENT, 2, w, same, 40, 7, picks, NULL);
    CHECK(picks[1] > 2 * picks[0], "weight 10 got %d rounds, weight 1 %d", picks[1], picks[0]);
    double w1[2] = {1, 1};
    Curve slow_fast[2] = {{1e-4, 1e-5, 40}, {1e-3, 1e-4, 40}};
    simulate(TASK_SCHED_GRADIENT, 2, w1, slow_fast, 40, 7, picks, NULL);
    CHECK(picks[1] > 2 * picks[0], "the 10x slower task got %d rounds, the other %d", picks[1],
          picks[0]);
}

/* After a fixed number of rounds the weighted sum is no worse than round-robin's (median of
 * seeds), and clearly better when one task dominates. */
static void test_beats_round_robin(void) {
    double w[3] = {1, 1, 20};
    Curve c[3] = {{2e-3, 1e-3, 30}, {5e-4, 2e-4, 30}, {3e-3, 2e-4, 60}};
    int picks[3];
    double rr = simulate(TASK_SCHED_ROUND_ROBIN, 3, w, c, 30, 0, picks, NULL);
    double g[5];
    for (int s = 0; s < 5; s++)
        g[s] = simulate(TASK_SCHED_GRADIENT, 3, w, c, 30, (uint64_t)s, picks, NULL);
    for (int i = 0; i < 5; i++) /* sort for the median */
        for (int j = i + 1; j < 5; j++)
            if (g[j] < g[i]) {
                double t = g[i];
                g[i] = g[j], g[j] = t;
            }
    CHECK(g[2] < 0.9 * rr, "gradient %g, round-robin %g", g[2], rr);
}

/* The same seed gives the same rounds. */
static void test_deterministic(void) {
    double w[3] = {1, 2, 3};
    Curve c[3] = {{1, 0.5, 20}, {1, 0.2, 20}, {1, 0.1, 20}};
    int p1[3], p2[3], o1[60], o2[60];
    simulate(TASK_SCHED_GRADIENT, 3, w, c, 60, 42, p1, o1);
    simulate(TASK_SCHED_GRADIENT, 3, w, c, 60, 42, p2, o2);
    CHECK(!memcmp(o1, o2, sizeof o1), "two runs with seed 42 differ");
}

/* Ansor's round size: min(64, budget / tasks), at least 1. */
static void test_round_size(void) {
    CHECK_INT(task_tune_round_size(30, 3), 10);
    CHECK_INT(task_tune_round_size(100000, 3), 64);
    CHECK_INT(task_tune_round_size(2, 3), 1);
}

int main(void) {
    test_warmup();
    test_round_robin_retire();
    test_prefers_bigger_gain();
    test_beats_round_robin();
    test_deterministic();
    test_round_size();
    return test_report("tasks.sched");
}
