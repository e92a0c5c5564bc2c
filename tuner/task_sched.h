/* The task scheduler of a task list: which task tunes the next round, so that a total budget
 * goes where it lowers the weighted sum of the tasks' best latencies most. Round-robin, or
 * Ansor's gradient strategy (Zheng et al., OSDI 2020, section 6; TVM auto_scheduler's
 * task_scheduler.py): a warm-up round per task, then the task with the steepest estimated
 * descent of weight x best latency, with an epsilon-greedy random pick. Pure: no I/O. */
#ifndef TEC_TASK_SCHED_H
#define TEC_TASK_SCHED_H
#include <stdbool.h>
#include <stdint.h>

typedef enum TaskSchedKind { TASK_SCHED_ROUND_ROBIN, TASK_SCHED_GRADIENT } TaskSchedKind;

/* Ansor's defaults: alpha 0.2, beta 2, backward window 3, eps 0.05. */
typedef struct TaskSchedParams {
    double alpha; /* weight of the backward (observed) gradient against the forward estimate */
    double beta;  /* a task may at best reach beta x its group's best GFLOPS */
    int window;   /* rounds the backward gradient looks back */
    double eps;   /* probability of a random task after the warm-up */
} TaskSchedParams;
void task_sched_params_default(TaskSchedParams *p);

typedef struct TaskSched TaskSched;
/* n tasks with weights, flops (for the similar-task bound) and group ids (tasks of one template:
 * the same group). Arrays are copied. */
TaskSched *task_sched_new(TaskSchedKind kind, const TaskSchedParams *p, int n, const double *weight,
                          const double *flops, const int *group, uint64_t seed);
void task_sched_free(TaskSched *s);
/* The kind named by a word of --task-scheduler ("round-robin", "gradient"); false if unknown. */
bool task_sched_kind(const char *name, TaskSchedKind *kind);

/* The task of the next round (counted as a round of it now), or -1 when every task is retired.
 * Warm-up first: every live task once, in order. */
int task_sched_next(TaskSched *s);
/* A round of task i ended; best_cost: its best latency in seconds so far (<= 0 or INFINITY:
 * none yet). Rounds may end in another order than they started (several ranks). */
void task_sched_update(TaskSched *s, int i, double best_cost);
/* Task i takes no more rounds (its trials or its space ran out). */
void task_sched_retire(TaskSched *s, int i);
bool task_sched_retired(const TaskSched *s, int i);
/* The objective: sum of weight x best latency (tasks without a latency count as 1e10 s each,
 * as Ansor's initial costs). */
double task_sched_objective(const TaskSched *s);
#endif
