/* The task-list mode: task lines -> bound instances and spaces, each kernel named for the
 * library (driver/task_load.c) -> task_tune_run, here or with MPI worker
 * ranks (tuner/mpi_pool.h) -> the library of the best configs. */
#include "driver/tasks_cmd.h"
#include "compiler/header.h"
#include "compiler/out_file.h"
#include "driver/die.h"
#include "driver/files.h"
#include "driver/lib_out.h"
#include "driver/task_load.h"
#include "driver/tune_cmd.h"
#include "tuner/task_tune.h"
#ifdef TEC_HAVE_MPI
#include "tuner/mpi_pool.h"
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* NAME.EXT -> NAME.ext2 beside it ("model.txt" -> "model.o"). */
static const char *sibling(Arena *a, const char *path, const char *ext) {
    const char *slash = strrchr(path, '/'), *dot = strrchr(path, '.');
    size_t stem = dot && dot > (slash ? slash + 1 : path) ? (size_t)(dot - path) : strlen(path);
    return arena_printf(a, "%.*s.%s", (int)stem, path, ext);
}

/* The library of the best configs; false after a message naming any task without one. */
static bool write_library(Arena *a, const Options *o, const TaskList *l, const TaskTuneResult *res,
                          const char *out) {
    LibKernel *k = ARENA_ARRAY(a, LibKernel, l->n);
    for (int i = 0; i < l->n; i++) {
        const TuneTask *t = &l->tasks[i];
        if (res[i].best_index < 0) {
            fprintf(stderr,
                    "tec: error: task %d (%s) has no config that ran without error: no library "
                    "written\n",
                    i + 1, t->label);
            return false;
        }
        KnobVal *vals = ARENA_ARRAY(a, KnobVal, t->m.in->nknobs > 0 ? t->m.in->nknobs : 1);
        Config cfg = {.index = res[i].best_index, .nknobs = t->m.in->nknobs, .vals = vals};
        const char *ent = "[]";
        if (t->m.in->nknobs > 0 && space_get(t->m.sp, cfg.index, &cfg))
            ent = space_entity_str(a, t->m.sp, &cfg);
        k[i] = (LibKernel){.in = lib_out_renamed(a, t->m.in, t->label),
                           .sp = t->m.sp,
                           .index = res[i].best_index,
                           .desc =
                               arena_printf(a, "config %lld of %lld: %s (tuned: %.2f GFLOPS)",
                                            (long long)res[i].best_index,
                                            (long long)space_len(t->m.sp), ent, res[i].best_gflops),
                           .src_path = t->m.src_path,
                           .src = t->m.src,
                           .srclen = t->m.srclen};
    }
    CgTarget target = {.triple = o->triple, .cpu = o->cpu};
    if (!lib_out_write(out, k, l->n, &target)) return false;
    char hpath[4096];
    header_path_for(hpath, sizeof hpath, out);
    printf("Wrote %s and %s (%d kernels)\n", out, hpath, l->n);
    return true;
}

static void fill_options(TaskTuneOptions *t, const Options *o, const TaskList *l, const char *log,
                         const char *target) {
    *t = (TaskTuneOptions){.tasks = l->tasks,
                           .ntasks = l->n,
                           .tuner = o->tuner ? o->tuner : "random",
                           .trials = o->trials,
                           .budget = o->budget,
                           .sched = o->task_sched && !strcmp(o->task_sched, "round-robin")
                                        ? TASK_SCHED_ROUND_ROBIN
                                        : TASK_SCHED_GRADIENT,
                           .round_size = (int)o->round_size,
                           .seed = o->seed,
                           .target = target,
                           .log_path = log,
                           .resume = o->resume,
                           .fsync_log = true,
                           .out = stdout};
    t->features = FEATURES_ITERVAR;
    if (o->features) feature_kind_parse(o->features, &t->features);
    MeasureOptions *m = &t->measure;
    m->target = (CgTarget){.triple = o->triple, .cpu = o->cpu};
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    m->jobs = o->jobs > 0 ? o->jobs : cores > 0 ? (int)cores : 1;
    if (m->jobs > 64) m->jobs = 64;
    m->number = o->number ? o->number : 4;
    m->repeat = o->repeat ? o->repeat : 3;
    m->min_repeat_ms = o->min_repeat_ms;
    m->timeout = o->timeout > 0 ? o->timeout : 10;
    m->build_timeout = o->build_timeout > 0 ? o->build_timeout : 10;
    m->flush_cache = o->flush_cache;
    m->seed = o->seed;
}

#ifndef TEC_HAVE_MPI
/* Ranks of the mpirun that started this process (1: none). */
static long launcher_ranks(void) {
    const char *n = getenv("OMPI_COMM_WORLD_SIZE");
    if (!n) n = getenv("PMI_SIZE");
    return n ? strtol(n, NULL, 10) : 1;
}
#endif

int tasks_cmd_run(const Options *o, const char *src, size_t len) {
#ifndef TEC_HAVE_MPI
    /* Every rank would tune the whole list alone, into one log. */
    if (launcher_ranks() > 1)
        die("this tec was built without MPI: under mpirun each of the %ld ranks would tune the "
            "whole list on its own; rebuild with Open MPI (libopenmpi-dev) or run tec without "
            "mpirun",
            launcher_ranks());
#endif
    if (o->early_stopping) die("--early-stopping applies to one template, not to a task list");
    if (o->ntransfer || o->cut_slow_given || o->recheck_given)
        die("%s applies to one template, not to a task list", o->ntransfer        ? "--transfer"
                                                              : o->cut_slow_given ? "--cut-slow"
                                                                                  : "--recheck");
    if (o->round_size > STATION_MAX_BATCH)
        die("--round-size %lld: a round holds at most %d configs", (long long)o->round_size,
            STATION_MAX_BATCH);
    if (!tune_cmd_check(o)) return 1;
    Arena *a = arena_new();
    TaskList l = {0};
    int status = 1;
    char target[256];
    if (!task_list_load(a, o->file, src, len, &l) ||
        !tune_cmd_target_string(target, sizeof target, o->triple, o->cpu))
        goto done;
    const char *log = o->log ? o->log : sibling(a, o->file, "log");
    const char *out = o->out ? o->out : sibling(a, o->file, "o");
    char hpath[4096];
    header_path_for(hpath, sizeof hpath, out);
    files_check_outputs(o->file, log, out, hpath);
    if (out_file_same(log, o->file)) die("the tuning log '%s' is the task list itself", log);
    TaskTuneOptions t;
    fill_options(&t, o, &l, log, target);
    TaskTuneResult *res = ARENA_ARRAY(a, TaskTuneResult, l.n);
#ifdef TEC_HAVE_MPI
    MpiPool *mp = NULL;
    if (mpi_pool_active()) {
        char err[1024] = "";
        if (!mpi_pool_agree_target(target, err, sizeof err)) {
            if (err[0]) fprintf(stderr, "tec: error: %s\n", err); /* rank 0 says why */
            status = 1;
            goto done;
        }
        if (mpi_pool_rank() > 0) {
            status = mpi_pool_serve(l.tasks, l.n, &t.measure);
            goto done;
        }
        mp = mpi_pool_new(&t.pool);
    }
#endif
    status = task_tune_run(&t, res);
#ifdef TEC_HAVE_MPI
    if (mpi_pool_failed(mp)) { /* a rank died: mpirun is ending the job; MPI cannot finish */
        fflush(NULL);
        _exit(1);
    }
    mpi_pool_free(mp);
#endif
    bool any = false;
    for (int i = 0; i < l.n; i++) any = any || res[i].best_index >= 0;
    if ((status == 0 || status == 130) && any && !write_library(a, o, &l, res, out)) status = 1;
    if (status == 0 && !any) {
        fprintf(stderr, "tec: error: no config of any task ran without error\n");
        status = 1;
    }
done:
    task_list_free(&l);
    arena_free(a);
    return status;
}
