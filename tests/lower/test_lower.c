/* Lowering checks on one template instance:
 *   test_lower FILE [-D NAME=VALUE]... [--knob NAME=v0,v1,...]... [--random N] [--seed S]
 *       lowers the config given by --knob (other knobs: their first candidate / identity /
 *       none / all split sizes 1), then N random configs (split sizes that need not divide,
 *       any reorder permutation, any annotation), each with ir_verify after every pass; runs
 *       each on random inputs in the IR interpreter and compares every output with the
 *       reference evaluator (floats within eval_compare's tolerance, integers exactly).
 *   test_lower --loops FILE [-D ...] [--knob ...]   prints the lowered loops (ir_print)
 *   test_lower --sched FILE [-D ...] [--knob ...]   prints the schedule data (sched_print)
 * A template that does not bind, or a config lower() rejects, is reported on stderr (exit 1). */
#include "compiler/lower.h"
#include "compiler/schedule.h"
#include "lang/eval.h"
#include "tests/ir_interp.h"
#include "tests/lib/testlib.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Opts {
    const char *file;
    Define defs[32];
    int ndefs;
    const char *knob_names[32];
    const char *knob_vals[32];
    int nknobs;
    int random;
    uint64_t seed;
    const char *mode; /* NULL: check, "loops", "sched" */
} Opts;

static uint64_t next(uint64_t *s) {
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static int64_t pick(uint64_t *s, int64_t n) {
    return n <= 0 ? 0 : (int64_t)(next(s) % (uint64_t)n);
}

/* The first candidate of every knob (AutoTVM's config 0 for lists and factor splits). */
static void base_value(const Knob *k, KnobVal *v) {
    memset(v, 0, sizeof *v);
    switch (k->kind) {
    case KNOB_LIST:
        v->n = 1;
        v->v[0] = k->vals[0];
        break;
    case KNOB_SPLIT:
        v->n = k->nouts;
        v->v[0] = -1;
        for (int i = 1; i < k->nouts; i++) v->v[i] = 1;
        break;
    case KNOB_REORDER:
        v->n = k->naxes;
        for (int i = 0; i < k->naxes; i++) v->v[i] = i;
        break;
    case KNOB_ANNOTATE:
        v->n = k->naxes;
        break;
    }
}

static void random_value(const Knob *k, KnobVal *v, uint64_t *s) {
    base_value(k, v);
    switch (k->kind) {
    case KNOB_LIST:
        v->v[0] = k->vals[pick(s, k->nvals)];
        break;
    case KNOB_SPLIT:
        for (int i = 1; i < k->nouts; i++) {
            int64_t f;
            if (pick(s, 2)) { /* a divisor: the factors policy */
                do f = 1 + pick(s, k->extent);
                while (k->extent % f != 0);
            } else { /* anything: tails */
                f = 1 + pick(s, k->extent + 1);
            }
            v->v[i] = f;
        }
        break;
    case KNOB_REORDER:
        for (int i = k->naxes - 1; i > 0; i--) {
            int j = (int)pick(s, i + 1);
            int64_t t = v->v[i];
            v->v[i] = v->v[j];
            v->v[j] = t;
        }
        break;
    case KNOB_ANNOTATE:
        for (int i = 0; i < k->naxes; i++) v->v[i] = pick(s, 3);
        break;
    }
}

/* Apply --knob NAME=v0,v1,... */
static bool given_values(const Inst *in, const Opts *o, Config *cfg) {
    for (int g = 0; g < o->nknobs; g++) {
        int k = -1;
        for (int i = 0; i < in->nknobs; i++)
            if (strcmp(in->knobs[i].name, o->knob_names[g]) == 0) k = i;
        if (k < 0) {
            fprintf(stderr, "no knob %s\n", o->knob_names[g]);
            return false;
        }
        KnobVal *v = &cfg->vals[k];
        v->n = 0;
        const char *p = o->knob_vals[g];
        while (*p && v->n < KNOB_MAX_VALS) {
            char *end;
            v->v[v->n++] = strtoll(p, &end, 10);
            p = *end == ',' ? end + 1 : end;
            if (end == p && *p) return false;
        }
    }
    return true;
}

static int64_t red_len(const Stage *s) {
    int64_t n = 1;
    for (int r = 0; r < s->nreduce; r++) n *= s->axes[s->ndim + r].extent;
    return n;
}

static char *describe(Arena *a, const Inst *in, const Config *cfg) {
    char *s = arena_strdup(a, "[");
    for (int k = 0; k < in->nknobs; k++) {
        s = arena_printf(a, "%s%s('%s', [", s, k ? ", " : "", in->knobs[k].name);
        for (int i = 0; i < cfg->vals[k].n; i++)
            s = arena_printf(a, "%s%s%lld", s, i ? ", " : "", (long long)cfg->vals[k].v[i]);
        s = arena_printf(a, "%s])", s);
    }
    return arena_printf(a, "%s]", s);
}

/* Lower cfg, run it, compare with ref. */
static bool check_config(const Inst *in, const Config *cfg, Diag *d, void **inputs, void **ref,
                         uint64_t seed) {
    Arena *a = arena_new();
    LowerOptions opt = {.verify = true};
    IrFunc *f = lower(a, d, in, cfg, &opt);
    bool ok = true;
    char *desc = describe(a, in, cfg);
    if (!f) {
        fprintf(stderr, "FAIL: lower rejected config %s\n", desc);
        arena_free(a);
        return false;
    }
    void **args = ARENA_ARRAY(a, void *, in->nargs);
    for (int i = 0; i < in->nargs; i++) {
        const Stage *st = &in->stages[in->args[i]];
        if (st->kind == STAGE_PLACEHOLDER) {
            args[i] = inputs[i];
        } else {
            size_t bytes = (size_t)stage_size(st) * dtype_size(st->dtype);
            args[i] = arena_alloc(a, bytes);
            memset(args[i], 0x5A, bytes);
        }
    }
    char why[512];
    if (!ir_interp_run(f, args, why, sizeof why)) {
        fprintf(stderr, "FAIL: config %s: interpreter: %s\n", desc, why);
        ok = false;
    }
    for (int i = 0; ok && i < in->nargs; i++) {
        const Stage *st = &in->stages[in->args[i]];
        if (st->kind == STAGE_PLACEHOLDER) continue;
        if (!eval_compare(st->dtype, args[i], ref[i], stage_size(st), red_len(st), why,
                          sizeof why)) {
            fprintf(stderr, "FAIL: config %s: output %s differs from the reference: %s\n", desc,
                    st->name, why);
            ok = false;
        }
    }
    if (!ok) {
        fprintf(stderr, "lowered loops:\n");
        ir_print(stderr, f);
    }
    (void)seed;
    arena_free(a);
    return ok;
}

/* The given config, then o->random random ones: each lowered, interpreted and compared with the
 * reference evaluator on the same inputs. */
static int check_random(const Inst *in, const Opts *o, Config *cfg, Diag *d, Arena *a) {
    uint64_t seed = o->seed;
    void **inputs = ARENA_ARRAY(a, void *, in->nargs), **ref = ARENA_ARRAY(a, void *, in->nargs);
    for (int i = 0; i < in->nargs; i++) {
        const Stage *st = &in->stages[in->args[i]];
        size_t bytes = (size_t)stage_size(st) * dtype_size(st->dtype);
        ref[i] = inputs[i] = arena_alloc(a, bytes ? bytes : 1);
        if (st->kind == STAGE_PLACEHOLDER)
            eval_fill_random(st->dtype, inputs[i], stage_size(st), &seed);
    }
    if (!eval_run(in, ref)) {
        fprintf(stderr, "FAIL: the reference evaluator failed\n");
        return 1;
    }
    int bad = 0, total = 0;
    total++;
    bad += !check_config(in, cfg, d, inputs, ref, seed);
    uint64_t s = o->seed * 2654435761u + 1;
    for (int r = 0; r < o->random && bad < 3; r++) {
        for (int k = 0; k < in->nknobs; k++) random_value(&in->knobs[k], &cfg->vals[k], &s);
        total++;
        bad += !check_config(in, cfg, d, inputs, ref, seed);
    }
    printf("%s: %d/%d configs match the reference\n", o->file, total - bad, total);
    return bad != 0;
}

static int run(const Opts *o) {
    Arena *a = arena_new();
    Diag d;
    Inst *in = test_bind_file(a, &d, o->file, NULL, o->defs, o->ndefs);
    if (!in) {
        fprintf(stderr, "FAIL: %s does not bind\n", o->file);
        arena_free(a);
        return 1;
    }
    Config cfg = {.index = -1, .nknobs = in->nknobs};
    cfg.vals = ARENA_ARRAY(a, KnobVal, in->nknobs ? in->nknobs : 1);
    for (int k = 0; k < in->nknobs; k++) base_value(&in->knobs[k], &cfg.vals[k]);
    if (!given_values(in, o, &cfg)) return 2;

    if (o->mode && strcmp(o->mode, "sched") == 0) {
        Sched *sc = lower_sched(a, &d, in, &cfg);
        if (sc) sched_print(stdout, sc);
        arena_free(a);
        return sc ? 0 : 1;
    }
    if (o->mode && strcmp(o->mode, "loops") == 0) {
        LowerOptions opt = {.verify = true};
        IrFunc *f = lower(a, &d, in, &cfg, &opt);
        if (f) ir_print(stdout, f);
        arena_free(a);
        return f ? 0 : 1;
    }
    int rc = check_random(in, o, &cfg, &d, a);
    arena_free(a);
    return rc;
}

int main(int argc, char **argv) {
    Opts o = {.random = 0, .seed = 12345};
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        if (strcmp(s, "-D") == 0 && i + 1 < argc && o.ndefs < 32) {
            char *kv = argv[++i], *eq = strchr(kv, '=');
            if (!eq) return 2;
            *eq = 0;
            o.defs[o.ndefs++] = (Define){kv, eq + 1};
        } else if (strcmp(s, "--knob") == 0 && i + 1 < argc && o.nknobs < 32) {
            char *kv = argv[++i], *eq = strchr(kv, '=');
            if (!eq) return 2;
            *eq = 0;
            o.knob_names[o.nknobs] = kv;
            o.knob_vals[o.nknobs++] = eq + 1;
        } else if (strcmp(s, "--random") == 0 && i + 1 < argc) {
            o.random = atoi(argv[++i]);
        } else if (strcmp(s, "--seed") == 0 && i + 1 < argc) {
            o.seed = strtoull(argv[++i], NULL, 10);
        } else if (strcmp(s, "--loops") == 0) {
            o.mode = "loops";
        } else if (strcmp(s, "--sched") == 0) {
            o.mode = "sched";
        } else if (s[0] != '-' && !o.file) {
            o.file = s;
        } else {
            fprintf(stderr, "usage: test_lower [--loops | --sched] FILE [-D N=V]... "
                            "[--knob NAME=v,...]... [--random N] [--seed S]\n");
            return 2;
        }
    }
    if (!o.file) return 2;
    return run(&o);
}
