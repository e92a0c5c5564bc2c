/* Schedule replay: each stage's schedule statements, in textual order, with the config's knob
 * values, become axes, relations, a leaf order, annotations and an attach point (TVM's Stage).
 * Takes a bound instance and a config; gives a Sched, or NULL after reporting the error. */
#include "compiler/schedule.h"
#include "lang/sched_rules.h"
#include <string.h>

typedef struct R {
    Arena *a;
    Diag *d;
    const Inst *in;
    const Config *cfg;
    Sched *s;
    const char **at_names; /* per sched stage: compute_at axis name, resolved at the end */
} R;

static int add_axis(R *r, SchedStage *st, const char *name, const char *dname, bool reduce,
                    int root, Loc loc) {
    st->axes =
        arena_grow(r->a, st->axes, (size_t)st->naxes, (size_t)st->naxes + 1, sizeof *st->axes);
    SchedAxis *x = &st->axes[st->naxes];
    x->name = name;
    x->dname = dname;
    x->reduce = reduce;
    x->leaf = true;
    x->root = root;
    x->kind = FOR_SERIAL;
    x->loc = loc;
    return st->naxes++;
}

static void add_rel(R *r, SchedStage *st, SchedRel rel) {
    st->rels =
        arena_grow(r->a, st->rels, (size_t)st->nrels, (size_t)st->nrels + 1, sizeof *st->rels);
    st->rels[st->nrels++] = rel;
}

static int leaf_pos(const SchedStage *st, int axis) {
    for (int i = 0; i < st->nleaves; i++)
        if (st->leaves[i] == axis) return i;
    return -1;
}

/* The leaf axis a statement names, or -1 after an error. */
static int find_leaf(R *r, SchedStage *st, const char *name, Loc loc) {
    int nonleaf = -1;
    for (int i = st->naxes - 1; i >= 0; i--) {
        if (!st->axes[i].name || strcmp(st->axes[i].name, name) != 0) continue;
        if (st->axes[i].leaf) return i;
        nonleaf = i;
    }
    if (nonleaf >= 0)
        diag_error(r->d, loc, "axis '%s' of stage %s was already split or fused", name, st->name);
    else if (st->cache >= 0)
        diag_error(r->d, loc,
                   "stage %s has no axis '%s' (after cache_write it keeps only its data axes)",
                   st->name, name);
    else
        diag_error(r->d, loc, "stage %s has no axis '%s'", st->name, name);
    return -1;
}

static const KnobVal *knob_val(R *r, int k, int want, Loc loc) {
    const Knob *kb = &r->in->knobs[k];
    if (!r->cfg || k >= r->cfg->nknobs || !r->cfg->vals) {
        diag_error(r->d, loc, "no value for knob '%s' in the config", kb->name);
        return NULL;
    }
    const KnobVal *v = &r->cfg->vals[k];
    if (v->n != want || want > KNOB_MAX_VALS) {
        diag_error(r->d, loc, "the config gives knob '%s' %d values, expected %d", kb->name, v->n,
                   want);
        return NULL;
    }
    return v;
}

/* Split leaf `ax` into outer, inner, replacing it in the leaf order. */
static void split_axis(R *r, SchedStage *st, int ax, int64_t factor, bool nparts, const char *oname,
                       const char *iname, Loc loc, int *outer, int *inner) {
    const char *dn = st->axes[ax].dname;
    bool red = st->axes[ax].reduce;
    int o = add_axis(r, st, oname, arena_printf(r->a, "%s.outer", dn), red, -1, loc);
    int i = add_axis(r, st, iname, arena_printf(r->a, "%s.inner", dn), red, -1, loc);
    st->axes[ax].leaf = false;
    int p = leaf_pos(st, ax);
    st->leaves = arena_grow(r->a, st->leaves, (size_t)st->nleaves, (size_t)st->nleaves + 1,
                            sizeof *st->leaves);
    memmove(&st->leaves[p + 2], &st->leaves[p + 1], sizeof(int) * (size_t)(st->nleaves - p - 1));
    st->leaves[p] = o;
    st->leaves[p + 1] = i;
    st->nleaves++;
    add_rel(r, st, (SchedRel){REL_SPLIT, ax, o, i, factor, nparts});
    *outer = o;
    *inner = i;
}

static bool do_split(R *r, SchedStage *st, const SStmt *ss) {
    int ax = find_leaf(r, st, ss->axis, ss->loc);
    if (ax < 0) return false;
    int o, i;
    if (ss->knob >= 0 && r->in->knobs[ss->knob].kind == KNOB_SPLIT) {
        const Knob *kb = &r->in->knobs[ss->knob];
        const KnobVal *v = knob_val(r, ss->knob, ss->nouts, ss->loc);
        if (!v) return false;
        if (kb->nouts != ss->nouts)
            return diag_error(r->d, ss->loc, "split knob '%s' has %d outputs, the split names %d",
                              kb->name, kb->nouts, ss->nouts);
        /* AutoTVM's SplitEntity.apply: split by prod(size[i:]) for i = 1..m-1, the outer part
         * is the next output, the inner part is split further. */
        for (int k = 1; k < ss->nouts; k++) {
            int64_t f = 1;
            for (int j = k; j < ss->nouts; j++) {
                if (!sched_rule_factor(r->d, ss->loc, FACTOR_SPLIT, kb->name, false, v->v[j]))
                    return false;
                if (__builtin_mul_overflow(f, v->v[j], &f))
                    return diag_error(r->d, ss->loc, "split knob '%s': factors overflow", kb->name);
            }
            const char *iname = k == ss->nouts - 1 ? ss->outs[k] : NULL;
            split_axis(r, st, ax, f, false, ss->outs[k - 1], iname, ss->loc, &o, &i);
            ax = i;
        }
        return true;
    }
    int64_t f = ss->factor;
    if (ss->knob >= 0) {
        const KnobVal *v = knob_val(r, ss->knob, 1, ss->loc);
        if (!v) return false;
        f = v->v[0];
    }
    if (!sched_rule_factor(r->d, ss->loc, FACTOR_CONFIG, ss->axis, ss->nparts, f)) return false;
    if (ss->nouts != 2) return diag_error(r->d, ss->loc, "split by a factor makes two axes");
    split_axis(r, st, ax, f, ss->nparts, ss->outs[0], ss->outs[1], ss->loc, &o, &i);
    return true;
}

static bool do_fuse(R *r, SchedStage *st, const SStmt *ss) {
    if (!sched_rule_fuse_count(r->d, ss->loc, ss->naxes)) return false;
    int cur = find_leaf(r, st, ss->axes[0], ss->loc);
    if (cur < 0) return false;
    for (int k = 1; k < ss->naxes; k++) {
        int nx = find_leaf(r, st, ss->axes[k], ss->loc);
        if (nx < 0) return false;
        int p = leaf_pos(st, cur), q = leaf_pos(st, nx);
        if (q != p + 1)
            return diag_error(r->d, ss->loc,
                              "fuse: '%s' is not the loop right inside '%s' in the loop order "
                              "of this config",
                              ss->axes[k], ss->axes[k - 1]);
        if (st->axes[cur].reduce != st->axes[nx].reduce)
            return diag_error(r->d, ss->loc, "fuse: cannot fuse a data axis with a reduce axis");
        const char *name = k == ss->naxes - 1 ? ss->outs[0] : NULL;
        int f = add_axis(r, st, name,
                         arena_printf(r->a, "%s.%s.fused", st->axes[cur].dname, st->axes[nx].dname),
                         st->axes[cur].reduce, -1, ss->loc);
        st->axes[cur].leaf = st->axes[nx].leaf = false;
        st->leaves[p] = f;
        memmove(&st->leaves[q], &st->leaves[q + 1], sizeof(int) * (size_t)(st->nleaves - q - 1));
        st->nleaves--;
        add_rel(r, st, (SchedRel){REL_FUSE, f, cur, nx, 0, false});
        cur = f;
    }
    return true;
}

/* The listed leaf axes take, in the listed order, the positions they held. */
static bool reorder_axes(R *r, SchedStage *st, const char **names, int n, Loc loc) {
    int *ax = ARENA_ARRAY(r->a, int, n), *pos = ARENA_ARRAY(r->a, int, n);
    for (int k = 0; k < n; k++) {
        ax[k] = find_leaf(r, st, names[k], loc);
        if (ax[k] < 0) return false;
        pos[k] = leaf_pos(st, ax[k]);
        if (!sched_rule_reorder_once(r->d, loc, ax, k, names[k])) return false;
    }
    sched_reorder_slots(pos, n);
    for (int k = 0; k < n; k++) st->leaves[pos[k]] = ax[k];
    return true;
}

static bool do_reorder(R *r, SchedStage *st, const SStmt *ss) {
    if (ss->knob < 0) return reorder_axes(r, st, ss->axes, ss->naxes, ss->loc);
    const Knob *kb = &r->in->knobs[ss->knob];
    if (kb->kind != KNOB_REORDER)
        return diag_error(r->d, ss->loc, "knob '%s' is not a reorder knob", kb->name);
    const KnobVal *v = knob_val(r, ss->knob, kb->naxes, ss->loc);
    if (!v) return false;
    const char **names = ARENA_ARRAY(r->a, const char *, kb->naxes);
    bool *seen = ARENA_ARRAY(r->a, bool, kb->naxes);
    for (int p = 0; p < kb->naxes; p++) {
        if (v->v[p] < 0 || v->v[p] >= kb->naxes || seen[v->v[p]]) {
            diag_error(r->d, ss->loc,
                       "reorder knob '%s': the config's value is not a permutation of its %d axes",
                       kb->name, kb->naxes);
            return false;
        }
        seen[v->v[p]] = true;
        names[p] = kb->axes[v->v[p]];
    }
    return reorder_axes(r, st, names, kb->naxes, ss->loc);
}

static bool annotate(R *r, SchedStage *st, const char *name, ForKind k, Loc loc) {
    int ax = find_leaf(r, st, name, loc);
    if (ax < 0) return false;
    if (!sched_rule_parallel(r->d, loc, name, k == FOR_PARALLEL && st->axes[ax].reduce))
        return false;
    st->axes[ax].kind = k;
    return true;
}

static bool do_annotate_knob(R *r, SchedStage *st, const SStmt *ss) {
    const Knob *kb = &r->in->knobs[ss->knob];
    if (kb->kind != KNOB_ANNOTATE)
        return diag_error(r->d, ss->loc, "knob '%s' is not an annotate knob", kb->name);
    const KnobVal *v = knob_val(r, ss->knob, kb->naxes, ss->loc);
    if (!v) return false;
    for (int i = 0; i < kb->naxes; i++) {
        switch (v->v[i]) {
        case ANN_NONE:
            break; /* AutoTVM's 'none' leaves the axis as it is */
        case ANN_UNROLL:
            if (!annotate(r, st, kb->axes[i], FOR_UNROLLED, ss->loc)) return false;
            break;
        case ANN_VEC:
            if (!annotate(r, st, kb->axes[i], FOR_VECTORIZED, ss->loc)) return false;
            break;
        default:
            return diag_error(r->d, ss->loc, "annotate knob '%s': bad value %lld for axis '%s'",
                              kb->name, (long long)v->v[i], kb->axes[i]);
        }
    }
    return true;
}

static int sched_index(const Sched *s, StageRef ref) {
    for (int i = 0; i < s->nstages; i++)
        if (s->stages[i].ref.stage == ref.stage && s->stages[i].ref.cache == ref.cache) return i;
    return -1;
}

static bool replay(R *r, int si, const Schedule *sc) {
    SchedStage *st = &r->s->stages[si];
    for (int k = 0; k < sc->nstmts && !diag_full(r->d); k++) {
        const SStmt *ss = &sc->stmts[k];
        bool ok = true;
        switch (ss->kind) {
        case SS_KNOB:
        case SS_CACHE_WRITE:
            break; /* declarations: handled before replay */
        case SS_SPLIT:
            ok = do_split(r, st, ss);
            break;
        case SS_FUSE:
            ok = do_fuse(r, st, ss);
            break;
        case SS_REORDER:
            ok = do_reorder(r, st, ss);
            break;
        case SS_VECTORIZE:
            ok = annotate(r, st, ss->axis, FOR_VECTORIZED, ss->loc);
            break;
        case SS_UNROLL:
            ok = annotate(r, st, ss->axis, FOR_UNROLLED, ss->loc);
            break;
        case SS_PARALLEL:
            ok = annotate(r, st, ss->axis, FOR_PARALLEL, ss->loc);
            break;
        case SS_ANNOTATE:
            ok = do_annotate_knob(r, st, ss);
            break;
        case SS_COMPUTE_AT: {
            int t = sched_index(r->s, ss->target);
            if (t < 0) TEC_BUG("compute_at target stage %d not found", ss->target.stage);
            if (t <= si) {
                ok = diag_error(r->d, ss->loc,
                                "compute_at: %s must be a consumer of %s (computed after it)",
                                r->s->stages[t].name, st->name);
                break;
            }
            st->attach = ATTACH_AT;
            st->at_stage = t;
            st->attach_loc = ss->loc;
            r->at_names[si] = ss->axis;
            break;
        }
        case SS_COMPUTE_INLINE:
            ok = sched_rule_inline(r->d, ss->loc, st->st, st->name, !st->ref.cache);
            if (ok) {
                st->attach = ATTACH_INLINE;
                st->attach_loc = ss->loc;
            }
            break;
        }
        if (!ok) return false;
    }
    return true;
}

static void init_stage(R *r, SchedStage *st, int inst_stage, bool cache, const char *name,
                       bool copy) {
    const Stage *s = &r->in->stages[inst_stage];
    st->name = name;
    st->ref = (StageRef){inst_stage, cache};
    st->st = s;
    st->cache = -1;
    st->attach = ATTACH_ROOT;
    st->ndata = s->ndim;
    st->nroot = copy ? s->ndim : s->ndim + s->nreduce;
    st->reduction = !copy && s->nreduce > 0;
    for (int i = 0; i < st->nroot; i++) {
        const Axis *ax = &s->axes[i];
        const char *dn = cache && !ax->reduce ? arena_printf(r->a, "%s.c", ax->name) : ax->name;
        add_axis(r, st, ax->name, dn, ax->reduce, i, ax->loc);
    }
    st->leaves = ARENA_ARRAY(r->a, int, st->nroot ? st->nroot : 1);
    for (int i = 0; i < st->nroot; i++) st->leaves[i] = i;
    st->nleaves = st->nroot;
}

Sched *sched_build(Arena *a, Diag *d, const Inst *in, const Config *cfg) {
    int nerr = d->nerrors;
    if (in->nknobs > 0 && (!cfg || cfg->nknobs != in->nknobs)) {
        diag_error(d, in->nknobs ? in->knobs[0].loc : (Loc){0, 0, 0},
                   "the config has %d knob values, the template declares %d knobs",
                   cfg ? cfg->nknobs : 0, in->nknobs);
        return NULL;
    }
    Sched *s = ARENA_NEW(a, Sched);
    s->in = in;
    s->of_inst = ARENA_ARRAY(a, int, in->nstages ? in->nstages : 1);
    /* which stages have a cache stage, and its name */
    const char **cache_name = ARENA_ARRAY(a, const char *, in->nstages ? in->nstages : 1);
    int n = 0;
    for (int i = 0; i < in->nscheds; i++)
        for (int k = 0; k < in->scheds[i].nstmts; k++) {
            const SStmt *ss = &in->scheds[i].stmts[k];
            if (ss->kind != SS_CACHE_WRITE || in->scheds[i].stage.cache) continue;
            int t = in->scheds[i].stage.stage;
            if (cache_name[t]) {
                diag_error(d, ss->loc, "stage %s already has a cache_write stage",
                           in->stages[t].name);
                return NULL;
            }
            cache_name[t] =
                ss->nouts > 0 ? ss->outs[0] : arena_printf(a, "%s.global", in->stages[t].name);
        }
    for (int i = 0; i < in->nstages; i++)
        if (in->stages[i].kind == STAGE_COMPUTE) n += cache_name[i] ? 2 : 1;
    s->stages = ARENA_ARRAY(a, SchedStage, n ? n : 1);
    R r = {a, d, in, cfg, s, ARENA_ARRAY(a, const char *, n ? n : 1)};
    for (int i = 0; i < in->nstages; i++) {
        s->of_inst[i] = -1;
        if (in->stages[i].kind != STAGE_COMPUTE) continue;
        if (cache_name[i]) {
            init_stage(&r, &s->stages[s->nstages], i, true, cache_name[i], false);
            s->nstages++;
        }
        init_stage(&r, &s->stages[s->nstages], i, false, in->stages[i].name, !!cache_name[i]);
        if (cache_name[i]) s->stages[s->nstages].cache = s->nstages - 1;
        s->of_inst[i] = s->nstages++;
    }
    for (int i = 0; i < in->nscheds && d->nerrors == nerr; i++) {
        int si = sched_index(s, in->scheds[i].stage);
        if (si < 0) TEC_BUG("schedule block for unknown stage %d", in->scheds[i].stage.stage);
        replay(&r, si, &in->scheds[i]);
    }
    /* compute_at axes are looked up in the consumer's final loop order */
    for (int si = 0; si < s->nstages && d->nerrors == nerr; si++) {
        SchedStage *st = &s->stages[si];
        if (st->attach != ATTACH_AT) continue;
        SchedStage *t = &s->stages[st->at_stage];
        if (t->attach == ATTACH_INLINE) {
            diag_error(d, st->attach_loc, "compute_at: %s is inlined, it has no loops", t->name);
            break;
        }
        st->at_axis = -1;
        for (int k = t->naxes - 1; k >= 0; k--)
            if (t->axes[k].name && strcmp(t->axes[k].name, r.at_names[si]) == 0) {
                st->at_axis = k;
                break;
            }
        if (st->at_axis < 0)
            diag_error(d, st->attach_loc, "compute_at: stage %s has no axis '%s'", t->name,
                       r.at_names[si]);
        else if (!t->axes[st->at_axis].leaf)
            diag_error(d, st->attach_loc,
                       "compute_at: axis '%s' of %s was split or fused; attach at one of its "
                       "loops",
                       r.at_names[si], t->name);
    }
    return d->nerrors == nerr ? s : NULL;
}

static int64_t ceil_div(int64_t a, int64_t b) {
    return a / b + (a % b != 0);
}

bool sched_pass_down(Diag *d, SchedStage *st, const int64_t *root_ext) {
    for (int i = 0; i < st->nroot; i++) st->axes[i].extent = root_ext[i];
    for (int k = 0; k < st->nrels; k++) {
        SchedRel *rl = &st->rels[k];
        SchedAxis *p = &st->axes[rl->parent], *o = &st->axes[rl->outer], *in = &st->axes[rl->inner];
        if (rl->kind == REL_SPLIT) {
            /* A factor beyond the extent covers it in one part; using the extent itself keeps
             * the loop from running (and guarding off) iterations that do not exist. */
            int64_t L = p->extent, f = rl->factor < L ? rl->factor : L;
            if (rl->nparts) {
                o->extent = f;
                in->extent = ceil_div(L, f);
            } else {
                in->extent = f;
                o->extent = ceil_div(L, f);
            }
        } else if (__builtin_mul_overflow(o->extent, in->extent, &p->extent)) {
            return diag_error(d, p->loc, "fused loop extent overflows");
        }
    }
    return true;
}

void sched_print(FILE *out, const Sched *s) {
    for (int i = 0; i < s->nstages; i++) {
        const SchedStage *st = &s->stages[i];
        fprintf(out, "stage %s", st->name);
        if (st->attach == ATTACH_INLINE) fprintf(out, " inline");
        if (st->attach == ATTACH_AT)
            fprintf(out, " at %s.%s", s->stages[st->at_stage].name,
                    s->stages[st->at_stage].axes[st->at_axis].dname);
        fprintf(out, ":");
        for (int k = 0; k < st->nleaves; k++) {
            const SchedAxis *x = &st->axes[st->leaves[k]];
            fprintf(out, " %s(%s, %lld)", ir_for_name(x->kind), x->dname, (long long)x->extent);
        }
        fprintf(out, "\n");
    }
}
