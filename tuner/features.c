/* Knob features of a config, for the XGB cost model. Per knob, in declaration order:
 *   list:     the value;
 *   split:    log2 of every size, the outer one included (the extent over the product of the
 *             inner sizes, rounded up; AutoTVM writes -1 there, a constant);
 *   reorder:  the permutation (AutoTVM), then each listed axis's position in it;
 *   annotate: one-hot none / unroll / vec per axis (AutoTVM).
 * Trees split on thresholds, so log2 versus raw sizes ranks the same; log2 keeps the numbers
 * readable in a dump. The outer size and the axis positions are what AutoTVM's vector lacks. */
#include "tuner/features.h"
#include "compiler/lower.h"
#include "lang/xalloc.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int knob_dim(const Knob *k) {
    switch (k->kind) {
    case KNOB_LIST:
        return 1;
    case KNOB_SPLIT:
        return k->nouts;
    case KNOB_REORDER:
        return 2 * k->naxes;
    case KNOB_ANNOTATE:
        return 3 * k->naxes;
    }
    return 0;
}

void features_init(Features *f, const Space *sp, int64_t len) {
    features_init_kind(f, sp, len, FEATURES_KNOB);
}

void features_init_kind(Features *f, const Space *sp, int64_t len, FeatureKind kind) {
    f->sp = sp && space_nknobs(sp) > 0 ? sp : NULL;
    f->kind = f->sp ? kind : FEATURES_KNOB;
    f->ndigits = f->sp ? space_nknobs(sp) : 1;
    f->lens = xmalloc(sizeof *f->lens * (size_t)f->ndigits);
    f->dim = 0;
    f->quiet = NULL;
    if (!f->sp) {
        f->lens[0] = len > 0 ? len : 1;
        f->dim = 1;
        return;
    }
    for (int i = 0; i < f->ndigits; i++) {
        f->lens[i] = space_knob_len(sp, i);
        f->dim += knob_dim(space_knob(sp, i));
    }
    /* Not a zero error limit: lowering reads diag_full as "stop checking". Without /dev/null
     * (never seen) the knob features serve. */
    if (f->kind != FEATURES_KNOB) f->quiet = fopen("/dev/null", "w");
    if (f->quiet) {
        f->dim = loop_features_dim(f->kind) + 1;
        prior_machine_host(&f->machine);
        f->flops = inst_flops(space_inst(sp));
    } else
        f->kind = FEATURES_KNOB;
}

void features_free(Features *f) {
    if (f->quiet) fclose(f->quiet);
    f->quiet = NULL;
    free(f->lens);
    f->lens = NULL;
}

void features_digits(const Features *f, int64_t index, int64_t *digits) {
    for (int i = 0; i < f->ndigits; i++) {
        digits[i] = index % f->lens[i];
        index /= f->lens[i];
    }
}

int64_t features_index(const Features *f, const int64_t *digits) {
    int64_t index = 0, radix = 1;
    for (int i = 0; i < f->ndigits; i++) {
        index += digits[i] * radix; /* digit < len, so this stays below the space length */
        if (i + 1 < f->ndigits) radix *= f->lens[i];
    }
    return index;
}

static float lg(int64_t v) {
    return (float)log2((double)(v > 0 ? v : 1));
}

/* Lower the config quietly (a failure is zeros: extraction never fails) and read its loops. */
static void loop_vector(const Features *f, int64_t index, float *out) {
    const Inst *in = space_inst(f->sp);
    KnobVal vals[in->nknobs > 0 ? in->nknobs : 1];
    memset(vals, 0, sizeof vals);
    Config cfg = {.index = index, .nknobs = in->nknobs, .vals = vals};
    Arena *a = arena_new();
    Diag d;
    diag_init(&d, "", "", 0);
    d.out = f->quiet; /* a schedule's error is a config error here, not a message */
    LowerOptions lo = {.stop_after = "simplify"};
    IrFunc *fn = space_get(f->sp, index, &cfg) ? lower(a, &d, in, &cfg, &lo) : NULL;
    LoopWalk w; /* one walk for the features and the prior */
    if (fn) loop_walk(&w, fn);
    loop_features(fn ? &w : NULL, f->kind, out);
    double cycles = cost_prior_cycles(fn ? &w : NULL, &f->machine);
    if (fn) loop_walk_free(&w);
    out[f->dim - 1] =
        isfinite(cycles) && cycles > 0 && f->flops > 0 ? (float)log2(f->flops / cycles + 1) : 0;
    arena_free(a);
}

bool features_have_prior(const Features *f) {
    return f->kind != FEATURES_KNOB;
}

float features_prior(const Features *f, const float *row) {
    return features_have_prior(f) ? row[f->dim - 1] : 0;
}

void features_vector(const Features *f, int64_t index, float *out) {
    if (!f->sp) {
        out[0] = (float)index;
        return;
    }
    if (f->kind != FEATURES_KNOB) {
        loop_vector(f, index, out);
        return;
    }
    float *o = out;
    for (int i = 0; i < f->ndigits; i++) {
        const Knob *k = space_knob(f->sp, i);
        KnobVal v = {0};
        space_knob_get(f->sp, i, index % f->lens[i], &v);
        index /= f->lens[i];
        switch (k->kind) {
        case KNOB_LIST:
            *o++ = (float)v.v[0];
            break;
        case KNOB_SPLIT: {
            int64_t inner = 1;
            for (int j = 1; j < v.n; j++) inner *= v.v[j];
            *o++ = lg((k->extent + inner - 1) / (inner > 0 ? inner : 1));
            for (int j = 1; j < v.n; j++) *o++ = lg(v.v[j]);
            break;
        }
        case KNOB_REORDER:
            for (int j = 0; j < k->naxes; j++) o[j] = (float)v.v[j];
            for (int j = 0; j < k->naxes; j++)
                if (v.v[j] >= 0 && v.v[j] < k->naxes) o[k->naxes + v.v[j]] = (float)j;
            o += 2 * k->naxes;
            break;
        case KNOB_ANNOTATE:
            for (int j = 0; j < k->naxes; j++)
                for (int a = 0; a < 3; a++) *o++ = v.v[j] == a ? 1.0f : 0.0f;
            break;
        }
    }
}
