/* bench_tasks: the libraries of one task list (`tec --tune TASKS.txt -o LIB.o`, one per run)
 * timed against each other in one process. Per task, each library's kernel is JIT-loaded from its
 * object (each load in a dylib of its own: the same symbol in every library), run on the same
 * random inputs and checked against the reference evaluator; then the kernels are timed
 * alternately (bench/bench_time.c) under tec's OpenMP wait policy. Prints per task each library's
 * median time per call (microseconds) and the weighted sums (weight x median): a comparison of
 * tuning runs that measures their kernels, not the noise between the runs' own measurements.
 * Usage: bench_tasks TASKS.txt LIB.o... [--rounds R] [--names A,B,...] [--clock wall|cpu]
 *        [--repeat-ms MS] [--stat median|min] [--check-only] */
#include "bench/bench_time.h"
#include "driver/files.h"
#include "driver/omp_env.h"
#include "driver/run_cmd.h"
#include "driver/task_load.h"
#include "lang/eval.h"
#include "lang/xalloc.h"
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { INPUT_SEED = 42 };

static const char usage[] =
    "usage: bench_tasks TASKS.txt LIB.o... [--rounds R] [--names A,B,...] [--clock wall|cpu]\n"
    "                   [--repeat-ms MS] [--stat median|min] [--check-only]\n"
    "  Times each task's kernel of every library (the -o of `tec --tune TASKS.txt`) against the\n"
    "  others' in one process, after checking each against the reference evaluator; prints the\n"
    "  time per call and the weighted sum per library. Exit status 1 when a library cannot be\n"
    "  loaded or a kernel computes wrong, 2 on a bad command line.\n"
    "  --rounds R        timed rounds, one repeat per library, first place rotating (default 21)\n"
    "  --names A,B,...   the libraries' names in the table (default: their file names)\n"
    "  --clock wall|cpu  wall time (default), or the process's CPU time: on a shared machine,\n"
    "                    with OMP_NUM_THREADS=1, the time the kernels ran, not the time they\n"
    "                    waited for a core\n"
    "  --repeat-ms MS    a repeat calls the kernel for at least MS ms (default 10)\n"
    "  --stat median|min each library's median repeat (default) or its fastest: what\n"
    "                    other processes add to a repeat never makes it faster\n"
    "  --check-only      load and check every kernel, time nothing\n";

typedef struct Args {
    const char *list;
    const char **libs, **names;
    char *names_text; /* --names, split in place */
    int nlibs;
    BenchTiming timing;
    bool check_only;
} Args;

__attribute__((format(printf, 1, 2))) static int bad_usage(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "bench_tasks: error: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n%s", usage);
    va_end(ap);
    return 2;
}

/* 0 when parsed, else the exit status. */
static int parse_args(int argc, char **argv, Args *a) {
    *a = (Args){.timing = {.rounds = 21, .per_block = 1, .pause_ms = 10, .repeat_s = 0.01},
                .libs = xcalloc((size_t)argc, sizeof(char *))};
    const char *names = NULL;
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        if (!strcmp(s, "--help") || !strcmp(s, "-h")) {
            printf("%s", usage);
            return -1;
        } else if (!strcmp(s, "--check-only")) {
            a->check_only = true;
        } else if (!strcmp(s, "--rounds") || !strcmp(s, "--names") || !strcmp(s, "--clock") ||
                   !strcmp(s, "--repeat-ms") || !strcmp(s, "--stat")) {
            if (i + 1 == argc) return bad_usage("%s needs a value after it", s);
            const char *v = argv[++i];
            char *end;
            errno = 0;
            double x = strtod(v, &end);
            bool number = !errno && end != v && !*end;
            if (!strcmp(s, "--names")) {
                names = v;
            } else if (!strcmp(s, "--clock")) {
                if (strcmp(v, "wall") && strcmp(v, "cpu"))
                    return bad_usage("--clock expects wall or cpu, got '%s'", v);
                a->timing.clock = !strcmp(v, "cpu") ? bench_cpu_now : bench_now;
            } else if (!strcmp(s, "--stat")) {
                if (strcmp(v, "median") && strcmp(v, "min"))
                    return bad_usage("--stat expects median or min, got '%s'", v);
                a->timing.fastest = !strcmp(v, "min");
            } else if (!strcmp(s, "--rounds")) {
                if (!number || x != (int)x || x < 1 || x > 1000)
                    return bad_usage("--rounds expects a whole number from 1 to 1000, got '%s'", v);
                a->timing.rounds = (int)x;
            } else {
                if (!number || !(x >= 0.01 && x <= 10000))
                    return bad_usage("--repeat-ms expects a number from 0.01 to 10000, got '%s'",
                                     v);
                a->timing.repeat_s = x / 1e3;
            }
        } else if (s[0] == '-' && s[1]) {
            return bad_usage("unknown option '%s'", s);
        } else if (!a->list) {
            a->list = s;
        } else {
            a->libs[a->nlibs++] = s;
        }
    }
    if (!a->list || a->nlibs == 0)
        return bad_usage("%s", a->list ? "no library given (LIB.o after the task list)"
                                       : "no task list given");
    a->names = xcalloc((size_t)a->nlibs, sizeof(char *));
    for (int l = 0; l < a->nlibs; l++) {
        const char *slash = strrchr(a->libs[l], '/');
        a->names[l] = slash ? slash + 1 : a->libs[l];
    }
    if (names) {
        char *save = NULL;
        int n = 0;
        a->names_text = xstrdup(names);
        for (char *t = strtok_r(a->names_text, ",", &save); t; t = strtok_r(NULL, ",", &save))
            if (n++ < a->nlibs) a->names[n - 1] = t;
        if (n != a->nlibs)
            return bad_usage("--names '%s' does not give one name per library", names);
    }
    return 0;
}

/* A readable file's bytes; NULL after a message naming it. */
static char *read_input(const char *path, const char *what, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "bench_tasks: error: cannot open %s '%s': %s\n", what, path,
                strerror(errno));
        return NULL;
    }
    fclose(f);
    return files_read(path, len);
}

/* One task's contenders: each library's kernel, all on the same buffers (memory placement
 * changes a kernel's time by several percent: on buffers of their own, one library's kernel
 * timed against itself differed by up to 9%). */
typedef struct Contenders {
    KernelFn *k;
    void **args;
} Contenders;

static void run_one(void *ctx, int c) {
    const Contenders *x = ctx;
    x->k[c](x->args);
}

/* Loads task t's kernel from every library, runs each on the inputs (its own copy of the buffers,
 * outputs never written before) and checks it; with timing, times them on the first library's
 * buffers (med[l], seconds per call). False after a message for each failure. */
static bool bench_task(Cg *cg, const Args *a, char *const *obj, const size_t *objlen,
                       const TuneTask *t, int ti, double *med) {
    const Inst *in = t->m.in;
    int nl = a->nlibs;
    CgJit **jit = xcalloc((size_t)nl, sizeof *jit);
    KernelFn *k = xcalloc((size_t)nl, sizeof *k);
    void ***args = xcalloc((size_t)nl, sizeof *args);
    void **ref = xcalloc((size_t)in->nargs + 1, sizeof *ref);
    bool ok = true;
    for (int l = 0; l < nl; l++) {
        char err[1024] = "";
        args[l] = xcalloc((size_t)in->nargs + 1, sizeof *args[l]);
        if (!run_cmd_buffers(in, INPUT_SEED, args[l], l == 0 ? ref : NULL)) ok = false;
        if (!(jit[l] = cg_jit_object(cg, obj[l], objlen[l], t->label, err, sizeof err))) {
            fprintf(stderr,
                    "bench_tasks: error: '%s' has no kernel %s for task %d (is it the library "
                    "of this task list?): %s\n",
                    a->libs[l], t->label, ti + 1, err);
            ok = false;
        } else {
            k[l] = cg_jit_kernel(jit[l]);
        }
    }
    if (ok && !eval_run(in, ref)) {
        fprintf(stderr, "bench_tasks: error: the reference evaluator failed on task %d (%s)\n",
                ti + 1, t->label);
        ok = false;
    }
    for (int l = 0; l < nl && ok; l++) {
        char why[1024] = "";
        k[l](args[l]);
        if (!run_cmd_compare(in, args[l], ref, why, sizeof why)) {
            fprintf(stderr, "bench_tasks: error: '%s', task %d (%s): %s\n", a->libs[l], ti + 1,
                    t->label, why);
            ok = false;
        }
    }
    Contenders x = {k, args[0]};
    if (ok && !a->check_only) bench_time_alternating(nl, run_one, &x, &a->timing, med);
    for (int l = 0; l < nl; l++) {
        if (jit[l]) cg_jit_free(jit[l]);
        run_cmd_free_buffers(in->nargs, args[l], l == 0 ? ref : NULL);
    }
    free(args), free(k), free(jit);
    return ok;
}

/* Per task the median of each library and the others' ratios to the first; then the row "sum
 * weighted -" of the sums of weight x median. */
static void print_table(const Args *a, const TaskList *tl, const double *med) {
    int nl = a->nlibs, wid = 6;
    int *cw = xcalloc((size_t)nl, sizeof *cw), *rw = xcalloc((size_t)nl, sizeof *rw);
    double *sum = xcalloc((size_t)nl, sizeof *sum);
    for (int i = 0; i < tl->n; i++)
        if ((int)strlen(tl->tasks[i].label) > wid) wid = (int)strlen(tl->tasks[i].label);
    printf("%-4s %-*s %8s", "task", wid, "kernel", "weight");
    for (int l = 0; l < nl; l++) {
        cw[l] = (int)strlen(a->names[l]) + 3 > 12 ? (int)strlen(a->names[l]) + 3 : 12;
        printf(" %*s us", cw[l] - 3, a->names[l]);
    }
    for (int l = 1; l < nl; l++) {
        rw[l] = (int)(strlen(a->names[l]) + 1 + strlen(a->names[0]));
        printf(" %s/%s", a->names[l], a->names[0]);
    }
    printf("\n");
    for (int i = 0; i <= tl->n; i++) { /* the last row: the sums */
        const double *m = i < tl->n ? med + (size_t)i * nl : sum;
        if (i < tl->n) {
            const TuneTask *t = &tl->tasks[i];
            printf("%-4d %-*s %8g", i + 1, wid, t->label, t->weight);
            for (int l = 0; l < nl; l++) sum[l] += t->weight * m[l];
        } else {
            printf("%-4s %-*s %8s", "sum", wid, "weighted", "-");
        }
        for (int l = 0; l < nl; l++) printf(" %*.3f", cw[l], m[l] * 1e6);
        for (int l = 1; l < nl; l++) printf(" %*.3f", rw[l], m[l] / m[0]);
        printf("\n");
    }
    free(sum), free(rw), free(cw);
}

int main(int argc, char **argv) {
    omp_env_passive(argv); /* as tec runs its kernels: see driver/omp_env.h */
    Args a;
    int rc = parse_args(argc, argv, &a);
    if (rc) {
        free(a.libs), free(a.names), free(a.names_text);
        return rc < 0 ? 0 : rc;
    }
    rc = 1;
    Arena *ar = arena_new();
    TaskList tl = {0};
    char **obj = xcalloc((size_t)a.nlibs, sizeof *obj), err[1024] = "";
    size_t *objlen = xcalloc((size_t)a.nlibs, sizeof *objlen), len;
    char *src = read_input(a.list, "the task list", &len);
    Cg *cg = NULL;
    double *med = NULL;
    if (!src || !task_list_load(ar, a.list, src, len, &tl)) goto done;
    for (int l = 0; l < a.nlibs; l++)
        if (!(obj[l] = read_input(a.libs[l], "the library", &objlen[l]))) goto done;
    if (!(cg = cg_new(NULL, err, sizeof err))) {
        fprintf(stderr, "bench_tasks: error: %s\n", err);
        goto done;
    }
    med = xcalloc((size_t)tl.n * (size_t)a.nlibs, sizeof *med);
    bool ok = true;
    for (int i = 0; i < tl.n; i++)
        ok = bench_task(cg, &a, obj, objlen, &tl.tasks[i], i, med + (size_t)i * a.nlibs) && ok;
    if (!ok) goto done;
    printf("%d tasks, %d librar%s: every kernel checked against the reference evaluator\n", tl.n,
           a.nlibs, a.nlibs == 1 ? "y" : "ies");
    if (!a.check_only) {
        printf("%s %s time per call over %d rounds (each library one repeat of >= %g ms per "
               "round, first place rotating):\n",
               a.timing.fastest ? "fastest" : "median",
               a.timing.clock == bench_cpu_now ? "CPU" : "wall", a.timing.rounds,
               a.timing.repeat_s * 1e3);
        print_table(&a, &tl, med);
    }
    rc = 0;
done:
    if (cg) cg_free(cg);
    for (int l = 0; l < a.nlibs; l++) free(obj[l]);
    free(obj), free(objlen), free(med), free(src);
    task_list_free(&tl);
    arena_free(ar);
    free(a.libs), free(a.names), free(a.names_text);
    return rc;
}
