/* `tec --tune TASKS.txt`: loads a task list (every template checked and bound first), tunes the
 * tasks together (tuner/task_tune.c; over MPI ranks under mpirun) and writes one library. */
#ifndef TEC_TASKS_CMD_H
#define TEC_TASKS_CMD_H
#include "driver/options.h"
#include <stddef.h>

/* src: the task list's text. Returns the exit status. */
int tasks_cmd_run(const Options *o, const char *src, size_t len);
#endif
