/* Whole-log readers for the log tools: takes a log of any tasks (through log_scan, so torn lines
 * are skipped with a located warning as --resume skips them); gives its records by task, the
 * best record of each task as a new log, and a per-task summary. */
#include "tuner/log_tools.h"
#include "tuner/log_pick.h"
#include "compiler/out_file.h"
#include "lang/xalloc.h"
#include <stdlib.h>
#include <string.h>

static LogTaskSummary *task_of(LogSummary *s, const LogRecord *rec) {
    for (int i = 0; i < s->ntasks; i++) {
        LogTaskSummary *t = &s->tasks[i];
        if (!strcmp(t->name, rec->name) && !strcmp(t->args, rec->args) &&
            !strcmp(t->target, rec->target))
            return t;
    }
    if (s->ntasks == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 4;
        s->tasks = xrealloc(s->tasks, (size_t)s->cap * sizeof *s->tasks);
    }
    LogTaskSummary *t = &s->tasks[s->ntasks++];
    memset(t, 0, sizeof *t);
    t->target = xstrdup(rec->target);
    t->name = xstrdup(rec->name);
    t->args = xstrdup(rec->args);
    return t;
}

/* rec stands for the task's best config in --log-stats and --log-best. */
static void take_line(LogTaskSummary *t, const LogRecord *rec) {
    t->line_index = rec->r.index;
    t->best_lineno = rec->lineno;
    free(t->best_entity);
    free(t->best_line);
    t->best_entity = xstrdup(rec->entity);
    t->best_line = xstrdup(rec->line);
}

static void visit(void *ctx, const LogRecord *rec) {
    LogSummary *s = ctx;
    LogTaskSummary *t = task_of(s, rec);
    const LogResult *r = &rec->r;
    bool ok = r->error_no == ERR_NONE;
    if (t->ntrials == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 64;
        t->trials = xrealloc(t->trials, (size_t)t->cap * sizeof *t->trials);
    }
    double cost = ok ? log_mean_cost(r) : LOG_ERROR_COST;
    t->trials[t->ntrials++] = (LogTrial){
        .cost = cost, .timestamp = r->timestamp, .all_cost = r->all_cost, .error_no = r->error_no};
    if (!t->flop) t->flop = rec->flop;
    t->errors[r->error_no >= 0 && r->error_no < ERR_COUNT ? r->error_no : ERR_UNKNOWN]++;
    if (!ok) return;
    if (!t->pick) t->pick = log_pick_new();
    log_pick_add(t->pick, r->index, cost);
    t->has_best = log_pick_best(t->pick, &t->best_index, &t->best_cost);
    /* else a re-measurement may have made the leader slower and an earlier config lead: its
       line is fetched by a second pass */
    if (t->best_index == r->index) take_line(t, rec); /* this record's config leads */
}

/* The second pass: the first record of each stale task's best config. */
static void visit_stale(void *ctx, const LogRecord *rec) {
    LogSummary *s = ctx;
    LogTaskSummary *t = task_of(s, rec);
    if (t->line_index != t->best_index && rec->r.error_no == ERR_NONE &&
        rec->r.index == t->best_index)
        take_line(t, rec);
}

bool log_summary_read(const char *path, LogSummary *s, FILE *warn, char *err, size_t errlen) {
    memset(s, 0, sizeof *s);
    s->path = path;
    if (!log_scan(path, visit, s, warn, err, errlen)) return false;
    bool stale = false;
    for (int i = 0; i < s->ntasks; i++) {
        stale |= s->tasks[i].has_best && s->tasks[i].line_index != s->tasks[i].best_index;
        log_pick_free(s->tasks[i].pick);
        s->tasks[i].pick = NULL;
    }
    return !stale || log_scan(path, visit_stale, s, NULL, err, errlen);
}

void log_summary_free(LogSummary *s) {
    for (int i = 0; i < s->ntasks; i++) {
        LogTaskSummary *t = &s->tasks[i];
        free(t->target);
        free(t->name);
        free(t->args);
        free(t->trials);
        free(t->best_entity);
        free(t->best_line);
    }
    free(s->tasks);
    memset(s, 0, sizeof *s);
}

void log_task_title(char *buf, size_t n, const LogTaskSummary *t) {
    snprintf(buf, n, "%s %s on %s", t->name, t->args, t->target);
}

double log_task_gflops(const LogTaskSummary *t, double cost) {
    return t->flop > 0 && cost > 0 && cost < LOG_ERROR_COST ? t->flop / cost / 1e9 : 0;
}

void log_summary_print(FILE *out, const LogSummary *s) {
    for (int i = 0; i < s->ntasks; i++) {
        const LogTaskSummary *t = &s->tasks[i];
        char title[1024];
        log_task_title(title, sizeof title, t);
        long nerr = t->ntrials - t->errors[ERR_NONE];
        fprintf(out, "%s%s\n  trials: %ld (%ld error-free, %ld failed)\n", i ? "\n" : "", title,
                t->ntrials, t->errors[ERR_NONE], nerr);
        if (t->has_best) {
            fputs("  best:   ", out);
            if (t->flop > 0) fprintf(out, "%.2f GFLOPS, ", log_task_gflops(t, t->best_cost));
            fprintf(out, "%.6g ms%s\n  config: %lld %s (line %ld)\n", t->best_cost * 1e3,
                    t->flop > 0 ? "" : " (the log holds no FLOPs: no GFLOPS)",
                    (long long)t->best_index, t->best_entity, t->best_lineno);
        } else {
            fputs("  best:   none (no error-free record)\n", out);
        }
        if (nerr) {
            fputs("  errors:", out);
            for (int e = 1; e < ERR_COUNT; e++)
                if (t->errors[e]) fprintf(out, " %s %ld", log_err_name(e), t->errors[e]);
            fputc('\n', out);
        }
    }
    if (!s->ntasks) fprintf(out, "%s: no records\n", s->path);
}

bool log_summary_write_best(const LogSummary *s, const char *out, int *nskipped, char *err,
                            size_t errlen) {
    OutFile f;
    *nskipped = 0;
    if (!out_file_open(&f, out, err, errlen)) return false;
    for (int i = 0; i < s->ntasks; i++) {
        if (s->tasks[i].has_best)
            fprintf(f.f, "%s\n", s->tasks[i].best_line);
        else
            ++*nskipped;
    }
    return out_file_commit(&f, err, errlen);
}
