/* --transfer (AutoTVM's load_history). For each log: its distinct task inputs (log_inputs);
 * those of the tuned template and this target are bound from the template's source at their own
 * args, their records read against that shape's space (log_read checks the entities), and each
 * record re-lowered for its feature vector and looked up in the tuned space (its knob values may
 * be a config here too); one history group per task goes to the XGB tuner.
 * Other targets and other templates are named in a warning and skipped. */
#include "tuner/transfer.h"
#include "lang/ast.h"
#include "lang/xalloc.h"
#include "tuner/features.h"
#include "tuner/log.h"
#include "tuner/tuner_ml.h"
#include <stdlib.h>
#include <string.h>

typedef struct Ctx {
    Tuner *t;
    const TransferSetup *s;
    const char *path;
    FILE *warn;
    bool first_read; /* malformed lines are warned about once per log */
    long records;
    int tasks;
} Ctx;

/* One task of the tuned template at other (or the same) args: its records as a history group. */
static void load_task(Ctx *c, const char *target, const char *const *args, int nargs) {
    const Inst *cur = c->s->in;
    if (nargs != cur->nparams) {
        fprintf(c->warn,
                "tec: warning: --transfer %s: skipping records of %s with %d args (the template "
                "has %d parameters)\n",
                c->path, cur->name, nargs, cur->nparams);
        return;
    }
    Arena *a = arena_new();
    Define *defs = ARENA_ARRAY(a, Define, nargs ? nargs : 1);
    for (int i = 0; i < nargs; i++) defs[i] = (Define){cur->params[i].name, args[i]};
    Diag d;
    diag_init(&d, c->s->src_path, c->s->src, c->s->srclen);
    FILE *quiet = fopen("/dev/null", "w");
    if (quiet) d.out = quiet;
    const Program *p = parse_program(a, &d, c->s->src, c->s->srclen);
    Inst *in = p ? sema_bind(a, &d, p, cur->name, defs, nargs) : NULL;
    Space *sp = in && in->nknobs > 0 ? space_new(a, &d, in) : NULL;
    if (!sp) {
        fprintf(c->warn,
                "tec: warning: --transfer %s: skipping records of %s at args [%s%s]: the template "
                "does not bind there\n",
                c->path, cur->name, nargs ? args[0] : "", nargs > 1 ? ", ..." : "");
    } else {
        LogTask *task = log_task_new(target, in, sp);
        LogTrials rows;
        char err[512];
        if (log_trials(c->path, task, inst_flops(in), &rows, c->first_read ? c->warn : NULL, err,
                       sizeof err)) {
            c->first_read = false;
            int dim = 0;
            FeatureKind kind = tuner_xgb_features(c->t, &dim);
            Features f;
            features_init_kind(&f, sp, space_len(sp), kind);
            if (f.dim != dim) {
                fprintf(c->warn,
                        "tec: warning: --transfer %s: skipping records of %s at other args: their "
                        "knob features differ in length (use --features itervar or curve)\n",
                        c->path, cur->name);
            } else if (rows.n > 0) {
                float *x = xmalloc(sizeof *x * (size_t)rows.n * (size_t)dim);
                int64_t *here = xmalloc(sizeof *here * (size_t)rows.n);
                KnobVal *vals = ARENA_ARRAY(a, KnobVal, in->nknobs);
                Config cfg = {.nknobs = in->nknobs, .vals = vals};
                for (int i = 0; i < rows.n; i++) {
                    features_vector(&f, rows.index[i], x + (size_t)i * (size_t)dim);
                    /* the same knob values in the tuned space, where they are candidates */
                    here[i] =
                        space_get(sp, rows.index[i], &cfg) ? space_index(c->t->space, &cfg) : -1;
                }
                if (tuner_xgb_add_history(c->t, x, rows.gflops, here, rows.n)) {
                    c->records += rows.n;
                    c->tasks++;
                }
                free(here);
                free(x);
            }
            features_free(&f);
        }
        log_trials_free(&rows);
        log_task_free(task);
    }
    if (quiet) fclose(quiet);
    arena_free(a);
}

static void visit_input(void *ctx, const char *target, const char *name, const char *const *args,
                        int nargs, long records) {
    Ctx *c = ctx;
    if (strcmp(name, c->s->in->name) != 0) {
        fprintf(c->warn,
                "tec: warning: --transfer %s: skipping %ld record%s of template '%s': only "
                "records of the template being tuned ('%s', any args) can be re-lowered\n",
                c->path, records, records == 1 ? "" : "s", name, c->s->in->name);
    } else if (strcmp(target, c->s->target) != 0) {
        fprintf(c->warn,
                "tec: warning: --transfer %s: skipping %ld record%s for target '%s' (tuning "
                "for '%s')\n",
                c->path, records, records == 1 ? "" : "s", target, c->s->target);
    } else {
        load_task(c, target, args, nargs);
    }
}

bool transfer_load(Tuner *t, const TransferSetup *s, FILE *warn, long *records, int *tasks,
                   char *err, size_t errlen) {
    Ctx c = {.t = t, .s = s, .warn = warn};
    for (int i = 0; i < s->nlogs; i++) {
        c.path = s->logs[i];
        c.first_read = true;
        long before = c.records;
        char why[512];
        if (!log_inputs(c.path, visit_input, &c, why, sizeof why)) {
            snprintf(err, errlen, "--transfer: %s", why);
            return false;
        }
        if (c.records == before)
            fprintf(warn, "tec: warning: --transfer %s: no usable record of %s for %s\n", c.path,
                    s->in->name, s->target);
    }
    *records = c.records;
    *tasks = c.tasks;
    if (c.records == 0) {
        snprintf(err, errlen,
                 "--transfer: no usable record of template '%s' for target '%s' in the given "
                 "log%s (an error-free record is needed)",
                 s->in->name, s->target, s->nlogs == 1 ? "" : "s");
        return false;
    }
    return true;
}
