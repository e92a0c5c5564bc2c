/* A task list loaded: its lines parsed (driver/task_file.c), each task's template read, parsed
 * and bound, its space made and its kernel named as the library names it (driver/lib_out.c).
 * Shared by `tec --tune TASKS.txt` and bench/bench_tasks.c. */
#ifndef TEC_TASK_LOAD_H
#define TEC_TASK_LOAD_H
#include "lang/arena.h"
#include "tuner/task_tune.h"

typedef struct TaskList {
    TuneTask *tasks; /* in a; label: the kernel's library name */
    char **srcs;     /* the templates' texts (the tasks point into them) */
    int n;
} TaskList;

/* Every task of the list (src: the list's text, read from list_path), with distinct kernel
 * names; false after located messages on stderr. Free with task_list_free in every case. */
bool task_list_load(Arena *a, const char *list_path, const char *src, size_t len, TaskList *out);
void task_list_free(TaskList *l);
#endif
