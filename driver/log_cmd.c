/* --log-best, --log-stats and --plot: takes the Options and the logs they name; reads each log
 * whole (torn lines skipped with a located warning) and writes the best records, prints a
 * per-task summary, or draws the tuning curves. Outputs never replace an input. */
#include "driver/log_cmd.h"
#include "compiler/out_file.h"
#include "lang/xalloc.h"
#include "tuner/log_tools.h"
#include "tuner/plot_svg.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The series of --plot: every task of every log with an error-free record. Labels name the task,
 * the log, or both, whichever tells the series apart; the title is what they share. */
static int plot(const Options *o, LogSummary *logs) {
    int cap = 0, n = 0;
    for (int i = 0; i < o->nfiles; i++) cap += logs[i].ntasks;
    PlotSeries *s = xcalloc((size_t)(cap ? cap : 1), sizeof *s);
    char **labels = xcalloc((size_t)(cap ? cap : 1), sizeof *labels);
    char first[1024] = "", title[1024];
    const char *target = NULL;
    bool one_task = true, one_target = true;
    for (int i = 0; i < o->nfiles; i++) {
        for (int k = 0; k < logs[i].ntasks; k++) {
            const LogTaskSummary *t = &logs[i].tasks[k];
            log_task_title(title, sizeof title, t);
            if (!t->has_best) {
                fprintf(stderr, "tec: warning: %s: %s has no error-free record: not drawn\n",
                        o->files[i], title);
                continue;
            }
            if (!n) snprintf(first, sizeof first, "%s", title);
            one_task = one_task && !strcmp(first, title);
            one_target = one_target && (!target || !strcmp(target, t->target));
            target = t->target;
            s[n++].task = t;
        }
    }
    int rc = 1;
    if (!n) {
        fprintf(stderr, "tec: error: no error-free record in %s to draw\n",
                o->nfiles == 1 ? o->file : "these logs");
        goto done;
    }
    for (int i = 0, k = 0; i < o->nfiles; i++) {
        for (; k < n && s[k].task >= logs[i].tasks && s[k].task < logs[i].tasks + logs[i].ntasks;
             k++) {
            log_task_title(title, sizeof title, s[k].task);
            size_t len = strlen(title) + strlen(o->files[i]) + 4;
            labels[k] = xmalloc(len);
            if (one_task)
                snprintf(labels[k], len, "%s", o->files[i]);
            else if (o->nfiles == 1)
                snprintf(labels[k], len, "%s", title);
            else
                snprintf(labels[k], len, "%s: %s", o->files[i], title);
            s[k].label = labels[k];
        }
    }
    if (!one_task && one_target)
        snprintf(first, sizeof first, "tuning curves on %s", target);
    else if (!one_task)
        snprintf(first, sizeof first, "tuning curves");
    char err[1024];
    if (plot_svg_write(o->out, first, s, n, err, sizeof err))
        rc = 0;
    else
        fprintf(stderr, "tec: error: %s\n", err);
done:
    for (int k = 0; k < n; k++) free(labels[k]);
    free(labels);
    free(s);
    return rc;
}

int log_cmd_run(const Options *o) {
    for (int i = 0; o->out && i < o->nfiles; i++)
        if (out_file_same(o->out, o->files[i])) {
            fprintf(stderr, "tec: error: output '%s' would overwrite the input log '%s'\n", o->out,
                    o->files[i]);
            return 1;
        }
    LogSummary *logs = xcalloc((size_t)o->nfiles, sizeof *logs);
    int rc = 0;
    char err[1024];
    for (int i = 0; i < o->nfiles; i++)
        if (!log_summary_read(o->files[i], &logs[i], stderr, err, sizeof err)) {
            fprintf(stderr, "tec: error: %s\n", err);
            rc = 1;
            break;
        }
    if (rc == 0 && o->mode == MODE_LOG_STATS) {
        for (int i = 0; i < o->nfiles; i++) {
            if (o->nfiles > 1) printf("%s== %s ==\n", i ? "\n" : "", o->files[i]);
            log_summary_print(stdout, &logs[i]);
        }
    } else if (rc == 0 && o->mode == MODE_LOG_BEST) {
        int skipped;
        if (!log_summary_write_best(&logs[0], o->out, &skipped, err, sizeof err)) {
            fprintf(stderr, "tec: error: %s\n", err);
            rc = 1;
        } else if (skipped) {
            fprintf(stderr,
                    "tec: warning: %d task%s of '%s' without an error-free record left out\n",
                    skipped, skipped == 1 ? "" : "s", o->file);
        }
    } else if (rc == 0) {
        rc = plot(o, logs);
    }
    for (int i = 0; i < o->nfiles; i++) log_summary_free(&logs[i]); /* unread ones are zero */
    free(logs);
    return rc;
}
