/* Loading a task list: per line its template read (driver/files.c), parsed, bound with the
 * line's -t and -D, its space made, its kernel named (lib_out_name); a template's own errors
 * come with a note at the task's line, and two tasks of one kernel name are refused. */
#include "driver/task_load.h"
#include "driver/files.h"
#include "driver/lib_out.h"
#include "driver/task_file.h"
#include "lang/ast.h"
#include "lang/xalloc.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One task: its template read, parsed, bound and its space made; false after the template's
 * own errors and a note at the task's line. */
static bool load_one(Arena *a, Diag *ld, const char *list_path, const TaskLine *l, TuneTask *t,
                     char **src_out) {
    const char *path = task_file_resolve(a, list_path, l->file);
    FILE *f = fopen(path, "rb");
    if (!f) return diag_error(ld, l->file_loc, "cannot open '%s': %s", path, strerror(errno));
    fclose(f);
    size_t len;
    char *src = files_read(path, &len);
    *src_out = src;
    Diag *d = ARENA_NEW(a, Diag);
    diag_init(d, path, src, len);
    Program *p = memchr(src, 0, len) ? NULL : parse_program(a, d, src, len);
    Inst *in = p ? sema_bind(a, d, p, l->tname, l->defs, l->ndefs) : NULL;
    Space *sp = in ? space_new(a, d, in) : NULL;
    if (!sp) {
        if (memchr(src, 0, len)) return diag_error(ld, l->file_loc, "'%s' is not text", path);
        ld->nerrors++;
        diag_note(ld, l->file_loc, "in this task");
        return false;
    }
    *t = (TuneTask){
        .m = {in, sp, path, src, len}, .weight = l->weight, .label = lib_out_name(a, in)};
    return true;
}

bool task_list_load(Arena *a, const char *list_path, const char *src, size_t len, TaskList *out) {
    *out = (TaskList){0};
    Diag ld;
    diag_init(&ld, list_path, src, len);
    TaskLine *lines;
    int n = task_file_parse(&ld, a, &lines);
    if (n < 0) return false;
    out->tasks = ARENA_ARRAY(a, TuneTask, n);
    out->srcs = xcalloc((size_t)n, sizeof *out->srcs);
    out->n = n;
    for (int i = 0; i < n && !diag_full(&ld); i++) {
        if (!load_one(a, &ld, list_path, &lines[i], &out->tasks[i], &out->srcs[i])) continue;
        for (int j = 0; j < i; j++) {
            if (!out->tasks[j].label || strcmp(out->tasks[j].label, out->tasks[i].label)) continue;
            diag_error(&ld, lines[i].file_loc,
                       "this task's kernel %s is also the kernel of the task on line %d (a task "
                       "is listed twice, or two templates bind to one name)",
                       out->tasks[i].label, lines[j].file_loc.line);
            break;
        }
    }
    return ld.nerrors == 0;
}

void task_list_free(TaskList *l) {
    for (int i = 0; i < l->n; i++) free(l->srcs[i]);
    free(l->srcs);
    *l = (TaskList){0};
}
