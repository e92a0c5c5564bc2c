/* Task lists (`tec --tune TASKS.txt`): one tuning task per line in the words of the command line,
 * `FILE.te [-t NAME] [-D K=V]... [--weight W]`, with '#' comments and blank lines. Takes the
 * file's text; gives the tasks, or located errors (TASKS.txt:LINE:COL: error: ...). */
#ifndef TEC_TASK_FILE_H
#define TEC_TASK_FILE_H
#include "lang/arena.h"
#include "lang/diag.h"
#include "lang/inst.h"
#include <stdbool.h>

typedef struct TaskLine {
    const char *file;  /* as written (relative: to the task file's folder) */
    Loc file_loc;      /* where it is written, for errors about the file itself */
    const char *tname; /* -t (NULL: the only template) */
    Define *defs;      /* -D K=V, ndefs of them */
    int ndefs;
    double weight; /* --weight (default 1): how many times the model runs the operator */
} TaskLine;

/* True when path names a task list rather than a template: its name ends in ".txt" or
 * ".tasks" (documented in docs/distributed.md). */
bool task_file_is_list(const char *path);

/* One line (without its '\n'; the text may hold any bytes) numbered lineno in d's source.
 * Returns 1 with *out filled (strings in a), 0 for a blank or comment line, -1 after reporting
 * each error of the line to d. */
int task_file_parse_line(Diag *d, Arena *a, const char *line, size_t len, int lineno,
                         TaskLine *out);

/* Every line of d's source. Returns the number of tasks (*out in a), or -1 after reporting every
 * bad line; a list without tasks is an error too. */
int task_file_parse(Diag *d, Arena *a, TaskLine **out);

/* FILE of a task as a path to open: relative names are taken from the list's folder. */
const char *task_file_resolve(Arena *a, const char *list_path, const char *file);
#endif
