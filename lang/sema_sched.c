/* Schedule blocks and knobs: takes the bound stages and the template's `schedule` blocks; gives
 * inst->knobs and inst->scheds, after replaying every statement on each stage's leaf axes by name
 * (extents tracked while no knob is involved) so that every axis, knob and stage named exists at
 * that point of the text. Runs after stages are bound and outputs are known (sema.c). */
#include "lang/sema_impl.h"
#include "lang/sched_rules.h"
#include <string.h>

/* A leaf axis of a stage at the current point of its schedule. */
typedef struct Leaf {
    const char *name;
    int64_t ext; /* -1: unknown, it depends on knob `knob` */
    int knob;
    bool reduce;
    bool shuffled;   /* its position depends on a reorder knob */
    bool poisoned;   /* made by a statement that had an error: its extent is unknown */
    const char *ann; /* "vectorize", "unroll", "parallel" or NULL */
    Loc ann_loc;
} Leaf;

/* An axis that no longer exists, and why ("it was split into io, ii"). */
typedef struct Gone {
    const char *name, *why;
} Gone;

/* The schedule state of a stage or of its cache stage. */
typedef struct SState {
    Leaf *leaf;
    int nleaf, capleaf;
    Gone *gone;
    int ngone, capgone;
    bool exists;
    bool has_block;
    Loc block_loc;
    bool changed; /* a statement other than a knob declaration has run: too late to cache_write */
    Loc changed_loc;
    const char *cache_name; /* set on the stage when it has a cache stage */
    Loc cache_loc;
    int attach; /* 0 root, 1 compute_at, 2 compute_inline */
    Loc attach_loc;
} SState;

typedef struct Attach {
    StageRef src, dst;
    const char *axis;
    Loc loc;
} Attach;

typedef struct SCtx {
    Sema *S;
    Diag *d;
    SState *st;  /* [2*i]: stage i, [2*i+1]: its cache stage */
    int **reads; /* reads[i]: stages stage i loads, nreads[i] of them */
    int *nreads;
    Attach *att;
    int natt, capatt;
    int capscheds;
    /* the block being checked */
    StageRef cur;
    SState *cs;
    SStmt *stmts;
    int nstmts, capstmts;
} SCtx;

static SState *state(SCtx *X, StageRef r) {
    return &X->st[2 * r.stage + (r.cache ? 1 : 0)];
}

static const char *ref_name(SCtx *X, StageRef r) {
    return r.cache ? X->st[2 * r.stage].cache_name : X->S->in->stages[r.stage].name;
}

/* ---- leaf axes ---- */

static int find_leaf(const SState *s, const char *name) {
    for (int i = 0; i < s->nleaf; i++)
        if (strcmp(s->leaf[i].name, name) == 0) return i;
    return -1;
}

static void add_gone(SCtx *X, SState *s, const char *name, const char *why) {
    if (s->ngone == s->capgone) {
        int cap = s->capgone ? 2 * s->capgone : 8;
        s->gone = arena_grow(X->S->a, s->gone, (size_t)s->capgone, (size_t)cap, sizeof(Gone));
        s->capgone = cap;
    }
    s->gone[s->ngone++] = (Gone){name, why};
}

/* A name is (again) a leaf axis: forget why an axis of that name had gone. */
static void revive(SState *s, const char *name) {
    for (int i = 0; i < s->ngone; i++)
        if (strcmp(s->gone[i].name, name) == 0) s->gone[i] = s->gone[--s->ngone], i--;
}

static char *leaf_list(SCtx *X, const SState *s) {
    char *r = "";
    for (int i = 0; i < s->nleaf; i++)
        r = arena_printf(X->S->a, "%s%s%s", r, i ? ", " : "", s->leaf[i].name);
    return r;
}

/* "no axis 'i' in stage C: it was split into io, ii" */
static bool no_axis(SCtx *X, StageRef r, const char *name, Loc loc) {
    const SState *s = state(X, r);
    for (int i = s->ngone - 1; i >= 0; i--)
        if (strcmp(s->gone[i].name, name) == 0)
            return diag_error(X->d, loc, "no axis '%s' in stage %s: %s", name, ref_name(X, r),
                              s->gone[i].why);
    return diag_error(X->d, loc, "no axis '%s' in stage %s (its axes: %s)", name, ref_name(X, r),
                      leaf_list(X, s));
}

/* The current leaf axis `name` of the block's stage, or -1 after an error. */
static int leaf(SCtx *X, const char *name, Loc loc) {
    int i = find_leaf(X->cs, name);
    if (i < 0) no_axis(X, X->cur, name, loc);
    return i;
}

/* Replace n leaves at position p by m new ones (leaf storage is rebuilt: counts are small). */
static void splice(SCtx *X, SState *s, int p, int n, const Leaf *nw, int m) {
    int total = s->nleaf - n + m;
    Leaf *l = ARENA_ARRAY(X->S->a, Leaf, total > 0 ? total : 1);
    memcpy(l, s->leaf, sizeof(Leaf) * (size_t)p);
    memcpy(l + p, nw, sizeof(Leaf) * (size_t)m);
    memcpy(l + p + m, s->leaf + p + n, sizeof(Leaf) * (size_t)(s->nleaf - p - n));
    s->leaf = l;
    s->nleaf = s->capleaf = total;
}

static void init_leaves(SCtx *X, SState *s, const Stage *st, bool with_reduce) {
    int n = st->ndim + (with_reduce ? st->nreduce : 0);
    s->leaf = ARENA_ARRAY(X->S->a, Leaf, n > 0 ? n : 1);
    s->nleaf = s->capleaf = n;
    for (int i = 0; i < n; i++)
        s->leaf[i] = (Leaf){.name = st->axes[i].name,
                            .ext = st->axes[i].extent,
                            .knob = -1,
                            .reduce = st->axes[i].reduce};
}

/* New axis names: distinct, and not current leaves other than those being replaced. */
static bool fresh_names(SCtx *X, const Ident *ids, int n, const char **replaced, int nrep) {
    bool good = true;
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < i; j++)
            if (strcmp(ids[i].name, ids[j].name) == 0)
                good = diag_error(X->d, ids[i].loc, "axis name '%s' given twice", ids[i].name);
        bool rep = false;
        for (int j = 0; j < nrep; j++) rep = rep || strcmp(ids[i].name, replaced[j]) == 0;
        if (!rep && find_leaf(X->cs, ids[i].name) >= 0)
            good = diag_error(X->d, ids[i].loc, "stage %s already has an axis '%s'",
                              ref_name(X, X->cur), ids[i].name);
    }
    return good;
}

/* ---- statements ---- */

static SStmt *emit(SCtx *X, SStmtKind k, Loc loc) {
    if (X->nstmts == X->capstmts) {
        int cap = X->capstmts ? 2 * X->capstmts : 8;
        X->stmts = arena_grow(X->S->a, X->stmts, (size_t)X->capstmts, (size_t)cap, sizeof(SStmt));
        X->capstmts = cap;
    }
    SStmt *s = &X->stmts[X->nstmts++];
    *s = (SStmt){.kind = k, .loc = loc, .knob = -1};
    return s;
}

static void touch(SCtx *X, Loc loc) {
    if (!X->cs->changed) X->cs->changed_loc = loc;
    X->cs->changed = true;
}

static const char **names_of(SCtx *X, const Ident *ids, int n) {
    const char **r = ARENA_ARRAY(X->S->a, const char *, n > 0 ? n : 1);
    for (int i = 0; i < n; i++) r[i] = ids[i].name;
    return r;
}

/* A knob by name, of the given kind, or -1 after an error. */
static int knob_ref(SCtx *X, const char *name, Loc loc, KnobKind want, const char *use) {
    Sym *s = sema_lookup(X->S, name);
    if (!s) {
        sema_unknown(X->S, "knob", name, loc);
        return -1;
    }
    if (s->kind == SYM_BAD) return -1;
    if (s->kind != SYM_KNOB) {
        diag_error(X->d, loc, "'%s' is not a knob", name);
        return -1;
    }
    static const char *const kinds[] = {"a list", "a split", "a reorder", "an annotate"};
    const Knob *k = &X->S->in->knobs[s->index];
    if (k->kind != want) {
        diag_error(X->d, loc, "knob '%s' is %s knob; %s needs %s knob", name, kinds[k->kind], use,
                   kinds[want]);
        return -1;
    }
    return s->index;
}

/* The knob's axes are all current leaves of the block's stage. */
static bool knob_axes_here(SCtx *X, const Knob *k, Loc loc) {
    for (int i = 0; i < k->naxes; i++)
        if (find_leaf(X->cs, k->axes[i]) < 0) {
            no_axis(X, X->cur, k->axes[i], loc);
            diag_note(X->d, k->loc, "knob '%s' is declared here", k->name);
            return false;
        }
    return true;
}

/* The factor of a split: a knob (*knob >= 0) or a positive constant; false after an error. */
static bool split_factor(SCtx *X, const Stmt *st, int *knob, int64_t *factor) {
    const Node *f = st->value;
    *knob = -1;
    *factor = 0;
    Sym *s = f->kind == AST_NAME ? sema_lookup(X->S, f->name) : NULL;
    if (f->kind == AST_NAME && !s) {
        sema_unknown(X->S, "name", f->name, f->loc);
        return false;
    }
    if (!s || s->kind != SYM_KNOB) {
        if (!sema_fold_int(X->S, f, factor)) return false;
        if (!sched_rule_factor(X->d, f->loc, FACTOR_SOURCE, NULL, st->nparts, *factor))
            return false;
        if (st->nids != 2)
            return diag_error(X->d, st->loc,
                              "a split by a factor gives two axes: name two "
                              "(split x -> xo, xi by F), not %d",
                              st->nids);
        return true;
    }
    const Knob *k = &X->S->in->knobs[s->index];
    switch (k->kind) {
    case KNOB_LIST:
        for (int i = 0; i < k->nvals; i++)
            if (k->vals[i] < 1) {
                diag_error(X->d, f->loc,
                           "knob '%s' has the candidate %lld, but a split "
                           "factor must be at least 1",
                           k->name, (long long)k->vals[i]);
                diag_note(X->d, k->loc, "knob '%s' is declared here", k->name);
                return false;
            }
        if (st->nids != 2)
            return diag_error(X->d, st->loc,
                              "a split by a list knob gives two axes: name two "
                              "(split x -> xo, xi by %s), not %d",
                              k->name, st->nids);
        break;
    case KNOB_SPLIT:
        if (st->nparts)
            return diag_error(X->d, f->loc,
                              "nparts takes an integer or a list knob, not the "
                              "split knob '%s' (write: by %s)",
                              k->name, k->name);
        if (st->nids != k->nouts)
            return diag_error(X->d, st->loc,
                              "split knob '%s' has %d outputs, but %d axis name%s "
                              "given",
                              k->name, k->nouts, st->nids, st->nids == 1 ? " is" : "s are");
        break;
    default:
        return diag_error(X->d, f->loc,
                          "knob '%s' is a %s knob; a split needs an integer, a "
                          "list knob or a split knob",
                          k->name, k->kind == KNOB_REORDER ? "reorder" : "annotate");
    }
    *knob = s->index;
    return true;
}

static void do_split(SCtx *X, const Stmt *st) {
    touch(X, st->loc);
    int p = leaf(X, st->name.name, st->name.loc);
    if (p < 0) return;
    Leaf old = X->cs->leaf[p];
    if (old.ann)
        return (void)diag_error(X->d, st->name.loc,
                                "axis '%s' is already marked %s at %d:%d: "
                                "split it before annotating",
                                old.name, old.ann, old.ann_loc.line, old.ann_loc.col);
    const char *self = old.name;
    if (!fresh_names(X, st->ids, st->nids, &self, 1)) return;
    int knob;
    int64_t factor;
    /* after a bad factor the axes are still replaced, so later statements naming them are
     * checked rather than reported again */
    bool good = split_factor(X, st, &knob, &factor);
    if (good) {
        SStmt *ss = emit(X, SS_SPLIT, st->loc);
        ss->axis = old.name;
        ss->outs = names_of(X, st->ids, st->nids);
        ss->nouts = st->nids;
        ss->factor = factor;
        ss->nparts = st->nparts;
        ss->knob = knob;
    }
    Leaf *nw = ARENA_ARRAY(X->S->a, Leaf, st->nids);
    for (int i = 0; i < st->nids; i++) {
        nw[i] = (Leaf){.name = st->ids[i].name,
                       .ext = -1,
                       .knob = knob,
                       .reduce = old.reduce,
                       .poisoned = !good || old.poisoned};
        if (knob < 0) nw[i].knob = old.knob; /* unknown only if the parent was */
    }
    if (good && knob < 0) {
        int64_t L = old.ext;
        if (!st->nparts) {
            nw[1].ext = factor;
            nw[1].poisoned = false;
            if (L > 0) nw[0].ext = (L + factor - 1) / factor;
        } else {
            nw[0].ext = factor;
            nw[0].poisoned = false;
            if (L > 0) nw[1].ext = (L + factor - 1) / factor;
        }
    }
    char *why = arena_printf(X->S->a, "it was split into");
    for (int i = 0; i < st->nids; i++)
        why = arena_printf(X->S->a, "%s%s %s", why, i ? "," : "", st->ids[i].name);
    splice(X, X->cs, p, 1, nw, st->nids);
    add_gone(X, X->cs, old.name, why);
    for (int i = 0; i < st->nids; i++) revive(X->cs, st->ids[i].name);
}

static void do_fuse(SCtx *X, const Stmt *st) {
    touch(X, st->loc);
    if (!sched_rule_fuse_count(X->d, st->loc, st->nids)) return;
    int *pos = ARENA_ARRAY(X->S->a, int, st->nids);
    bool good = true, shuffled = false;
    for (int i = 0; i < st->nids; i++) {
        pos[i] = leaf(X, st->ids[i].name, st->ids[i].loc);
        if (pos[i] < 0) {
            good = false;
            continue;
        }
        for (int j = 0; j < i; j++)
            if (pos[j] == pos[i])
                good = diag_error(X->d, st->ids[i].loc, "axis '%s' listed twice", st->ids[i].name);
        const Leaf *l = &X->cs->leaf[pos[i]];
        if (l->ann)
            good = diag_error(X->d, st->ids[i].loc,
                              "axis '%s' is already marked %s at %d:%d: "
                              "fuse it before annotating",
                              l->name, l->ann, l->ann_loc.line, l->ann_loc.col);
        shuffled = shuffled || l->shuffled;
    }
    if (!good) return;
    const Leaf *first = &X->cs->leaf[pos[0]];
    bool poisoned = false;
    for (int i = 1; i < st->nids && !poisoned; i++)
        if (X->cs->leaf[pos[i]].reduce != first->reduce)
            poisoned = !diag_error(X->d, st->ids[i].loc,
                                   "cannot fuse the %s axis '%s' with the "
                                   "%s axis '%s'",
                                   first->reduce ? "reduce" : "data", first->name,
                                   first->reduce ? "data" : "reduce", st->ids[i].name);
    int lo = pos[0], hi = pos[0];
    for (int i = 1; i < st->nids; i++) {
        lo = pos[i] < lo ? pos[i] : lo;
        hi = pos[i] > hi ? pos[i] : hi;
    }
    /* adjacent, outer to inner; after a reorder knob only the set of positions is known */
    bool adjacent = hi - lo + 1 == st->nids;
    for (int i = 1; i < st->nids && !shuffled; i++) adjacent = adjacent && pos[i] == pos[i - 1] + 1;
    if (!adjacent && !poisoned)
        poisoned = !diag_error(X->d, st->loc,
                               "fuse needs adjacent axes listed from outer to "
                               "inner; the order of stage %s is: %s",
                               ref_name(X, X->cur), leaf_list(X, X->cs));
    const char **rep = names_of(X, st->ids, st->nids);
    if (!fresh_names(X, &st->name, 1, rep, st->nids)) return;

    if (!poisoned) {
        SStmt *ss = emit(X, SS_FUSE, st->loc);
        ss->axes = rep;
        ss->naxes = st->nids;
        ss->outs = names_of(X, &st->name, 1);
        ss->nouts = 1;
    }
    Leaf nw = {.name = st->name.name,
               .ext = 1,
               .knob = -1,
               .reduce = first->reduce,
               .shuffled = shuffled,
               .poisoned = poisoned};
    for (int i = 0; i < st->nids && !poisoned; i++) {
        const Leaf *l = &X->cs->leaf[pos[i]];
        if (nw.ext < 0) continue;
        if (l->ext < 0) {
            nw.ext = -1;
            nw.knob = l->knob;
            nw.poisoned = l->poisoned;
        } else if (__builtin_mul_overflow(nw.ext, l->ext, &nw.ext)) {
            nw.ext = -1;
            nw.knob = -1;
        }
    }
    if (poisoned) nw.ext = -1;
    const char *why = arena_printf(X->S->a, "it was fused into %s", st->name.name);
    splice(X, X->cs, lo, st->nids, &nw, 1);
    for (int i = 0; i < st->nids; i++) add_gone(X, X->cs, rep[i], why);
    revive(X->cs, st->name.name);
}

static void do_reorder(SCtx *X, const Stmt *st) {
    touch(X, st->loc);
    Sym *s = st->nids == 1 ? sema_lookup(X->S, st->ids[0].name) : NULL;
    if (s && (s->kind == SYM_KNOB || s->kind == SYM_BAD)) {
        int k = knob_ref(X, st->ids[0].name, st->ids[0].loc, KNOB_REORDER, "reorder");
        if (k < 0) return;
        const Knob *kn = &X->S->in->knobs[k];
        if (!knob_axes_here(X, kn, st->ids[0].loc)) return;
        SStmt *ss = emit(X, SS_REORDER, st->loc);
        ss->knob = k;
        for (int i = 0; i < kn->naxes; i++)
            X->cs->leaf[find_leaf(X->cs, kn->axes[i])].shuffled = true;
        return;
    }
    int *pos = ARENA_ARRAY(X->S->a, int, st->nids);
    bool good = true;
    for (int i = 0; i < st->nids; i++) {
        pos[i] = leaf(X, st->ids[i].name, st->ids[i].loc);
        if (pos[i] < 0) {
            good = false;
            continue;
        }
        good = sched_rule_reorder_once(X->d, st->ids[i].loc, pos, i, st->ids[i].name) && good;
    }
    if (!good) return;
    SStmt *ss = emit(X, SS_REORDER, st->loc);
    ss->axes = names_of(X, st->ids, st->nids);
    ss->naxes = st->nids;
    /* the listed axes take, in the order listed, the positions they held */
    int *slots = ARENA_ARRAY(X->S->a, int, st->nids);
    memcpy(slots, pos, sizeof(int) * (size_t)st->nids);
    sched_reorder_slots(slots, st->nids);
    Leaf *copy = ARENA_ARRAY(X->S->a, Leaf, X->cs->nleaf);
    memcpy(copy, X->cs->leaf, sizeof(Leaf) * (size_t)X->cs->nleaf);
    for (int i = 0; i < st->nids; i++) X->cs->leaf[slots[i]] = copy[pos[i]];
}

static void do_annot(SCtx *X, const Stmt *st, SStmtKind k, const char *word) {
    touch(X, st->loc);
    int p = leaf(X, st->name.name, st->name.loc);
    if (p < 0) return;
    Leaf *l = &X->cs->leaf[p];
    if (l->ann)
        return (void)diag_error(X->d, st->name.loc, "axis '%s' is already marked %s at %d:%d",
                                l->name, l->ann, l->ann_loc.line, l->ann_loc.col);
    if (!sched_rule_parallel(X->d, st->name.loc, l->name, k == SS_PARALLEL && l->reduce)) return;
    l->ann = word;
    l->ann_loc = st->loc;
    SStmt *ss = emit(X, k, st->loc);
    ss->axis = l->name;
}

static void do_annotate_knob(SCtx *X, const Stmt *st) {
    touch(X, st->loc);
    int k = knob_ref(X, st->name.name, st->name.loc, KNOB_ANNOTATE, "annotate");
    if (k < 0 || !knob_axes_here(X, &X->S->in->knobs[k], st->name.loc)) return;
    emit(X, SS_ANNOTATE, st->loc)->knob = k;
}

static bool set_attach(SCtx *X, int how, Loc loc) {
    if (X->cs->attach)
        return diag_error(X->d, loc, "stage %s already has a %s at %d:%d", ref_name(X, X->cur),
                          X->cs->attach == 1 ? "compute_at" : "compute_inline",
                          X->cs->attach_loc.line, X->cs->attach_loc.col);
    X->cs->attach = how;
    X->cs->attach_loc = loc;
    return true;
}

/* Does stage d read stage s, directly or through other stages? (iterative: chains can be long) */
static bool reaches(SCtx *X, int d, int s) {
    int n = X->S->in->nstages;
    bool *seen = ARENA_ARRAY(X->S->a, bool, n);
    int *stack = ARENA_ARRAY(X->S->a, int, n);
    int sp = 0;
    stack[sp++] = d;
    seen[d] = true;
    while (sp > 0) {
        int u = stack[--sp];
        for (int i = 0; i < X->nreads[u]; i++) {
            int v = X->reads[u][i];
            if (v == s) return true;
            if (!seen[v]) {
                seen[v] = true;
                stack[sp++] = v;
            }
        }
    }
    return false;
}

static bool consumes(SCtx *X, StageRef dst, StageRef src) {
    if (src.cache && !dst.cache && dst.stage == src.stage) return true; /* C copies out of CC */
    if (dst.stage == src.stage) return false;
    return reaches(X, dst.stage, src.stage);
}

static void do_compute_at(SCtx *X, const Stmt *st) {
    touch(X, st->loc);
    Sym *s = sema_lookup(X->S, st->name.name);
    if (!s) return sema_unknown(X->S, "stage", st->name.name, st->name.loc);
    if (s->kind == SYM_BAD) return;
    if (s->kind != SYM_STAGE && s->kind != SYM_CACHE)
        return (void)diag_error(X->d, st->name.loc, "'%s' is not a stage", st->name.name);
    StageRef dst = {s->index, s->kind == SYM_CACHE};
    if (!dst.cache && X->S->in->stages[dst.stage].kind == STAGE_PLACEHOLDER)
        return (void)diag_error(X->d, st->name.loc, "'%s' is a placeholder: it has no loops",
                                st->name.name);
    if (dst.stage == X->cur.stage && dst.cache == X->cur.cache)
        return (void)diag_error(X->d, st->name.loc, "stage %s cannot compute_at itself",
                                ref_name(X, X->cur));
    if (!consumes(X, dst, X->cur))
        return (void)diag_error(X->d, st->name.loc,
                                "compute_at %s.%s: %s does not read %s, so it "
                                "cannot host it",
                                st->name.name, st->at_axis.name, st->name.name,
                                ref_name(X, X->cur));
    if (!set_attach(X, 1, st->loc)) return;
    SStmt *ss = emit(X, SS_COMPUTE_AT, st->loc);
    ss->target = dst;
    ss->axis = st->at_axis.name;
    if (X->natt == X->capatt) {
        int cap = X->capatt ? 2 * X->capatt : 8;
        X->att = arena_grow(X->S->a, X->att, (size_t)X->capatt, (size_t)cap, sizeof(Attach));
        X->capatt = cap;
    }
    X->att[X->natt++] = (Attach){X->cur, dst, st->at_axis.name, st->at_axis.loc};
}

static void do_inline(SCtx *X, const Stmt *st, bool outputs_known) {
    touch(X, st->loc);
    const Stage *s = &X->S->in->stages[X->cur.stage];
    const char *name = ref_name(X, X->cur);
    if (X->cur.cache)
        return (void)diag_error(X->d, st->loc, "cannot inline the cache stage %s", name);
    if (!sched_rule_inline(X->d, st->loc, s, name, outputs_known)) return;
    if (X->cs->cache_name)
        return (void)diag_error(X->d, st->loc, "cannot inline %s: it has the cache stage %s", name,
                                X->cs->cache_name);
    if (!set_attach(X, 2, st->loc)) return;
    emit(X, SS_COMPUTE_INLINE, st->loc);
}

static void do_cache_write(SCtx *X, const Stmt *st) {
    const Node *v = st->value;
    if (v->kind != AST_CALL || strcmp(v->name, "cache_write") != 0) {
        diag_error(X->d, v->loc, "only cache_write() can be assigned in a schedule block");
        return;
    }
    const char *name = st->name.name;
    if (v->nargs != 0) {
        diag_error(X->d, v->args[0]->loc, "cache_write() takes no arguments");
        goto bad;
    }
    if (X->cur.cache) {
        diag_error(X->d, st->loc, "%s is already a cache stage", ref_name(X, X->cur));
        goto bad;
    }
    if (X->cs->cache_name) {
        diag_error(X->d, st->loc, "stage %s already has the cache stage %s (at %d:%d)",
                   ref_name(X, X->cur), X->cs->cache_name, X->cs->cache_loc.line,
                   X->cs->cache_loc.col);
        goto bad;
    }
    if (X->cs->changed) {
        diag_error(X->d, st->loc,
                   "cache_write must come before the statements that change the "
                   "axes of %s (the first is at %d:%d)",
                   ref_name(X, X->cur), X->cs->changed_loc.line, X->cs->changed_loc.col);
        goto bad;
    }
    if (X->cs->attach == 2) {
        diag_error(X->d, st->loc, "cannot cache %s: it is inlined", ref_name(X, X->cur));
        goto bad;
    }
    if (!sema_define(X->S, name, st->name.loc, SYM_CACHE, X->cur.stage)) return;
    X->cs->cache_name = name;
    X->cs->cache_loc = st->name.loc;
    const Stage *s = &X->S->in->stages[X->cur.stage];
    SState *c = &X->st[2 * X->cur.stage + 1];
    c->exists = true;
    init_leaves(X, c, s, true);
    /* the stage itself now only copies the cache out: its reduce axes moved */
    const char *why = arena_printf(X->S->a, "it moved to the cache stage %s", name);
    for (int i = s->ndim; i < s->ndim + s->nreduce; i++) add_gone(X, X->cs, s->axes[i].name, why);
    X->cs->nleaf = s->ndim;
    SStmt *ss = emit(X, SS_CACHE_WRITE, st->loc);
    ss->outs = ARENA_ARRAY(X->S->a, const char *, 1);
    ss->outs[0] = name;
    ss->nouts = 1;
    return;
bad:
    if (!sema_lookup(X->S, name)) sema_define(X->S, name, st->name.loc, SYM_BAD, -1);
}

/* ---- knobs ---- */

typedef struct KArgs {
    const Node *pos[KNOB_MAX_VALS + 2];
    int npos;
    const Node *policy, *max_factor, *candidate, *interval, *num_outputs;
} KArgs;

static bool knob_args(SCtx *X, const Node *call, KArgs *k) {
    memset(k, 0, sizeof *k);
    bool good = true;
    for (int i = 0; i < call->nargs; i++) {
        const Node *a = call->args[i];
        if (a->kind != AST_KWARG) {
            if (k->npos == KNOB_MAX_VALS + 1)
                return diag_error(X->d, a->loc, "a knob takes at most %d axes", KNOB_MAX_VALS);
            k->pos[k->npos++] = a;
            continue;
        }
        const Node **slot = NULL;
        bool split = call->name[0] == 's', reorder = call->name[0] == 'r';
        if (strcmp(a->name, "policy") == 0)
            slot = &k->policy;
        else if (split && strcmp(a->name, "max_factor") == 0)
            slot = &k->max_factor;
        else if (split && strcmp(a->name, "num_outputs") == 0)
            slot = &k->num_outputs;
        else if ((split || reorder) && strcmp(a->name, "candidate") == 0)
            slot = &k->candidate;
        else if (reorder && strcmp(a->name, "interval") == 0)
            slot = &k->interval;
        if (!slot) {
            good =
                diag_error(X->d, a->loc, "unknown option '%s' for a %s knob", a->name, call->name);
        } else if (*slot) {
            good = diag_error(X->d, a->loc, "option '%s' given twice", a->name);
        } else {
            *slot = a->lhs;
        }
    }
    return good;
}

static bool policy_of(SCtx *X, const Node *n, KnobKind kind, KnobPolicy *out) {
    static const struct {
        const char *name;
        KnobKind kind;
        KnobPolicy pol;
    } tab[] = {
        {"factors", KNOB_SPLIT, POL_FACTORS},
        {"power2", KNOB_SPLIT, POL_POWER2},
        {"verbose", KNOB_SPLIT, POL_VERBOSE},
        {"candidate", KNOB_SPLIT, POL_CANDIDATE},
        {"identity", KNOB_REORDER, POL_IDENTITY},
        {"all", KNOB_REORDER, POL_ALL},
        {"interval_all", KNOB_REORDER, POL_INTERVAL_ALL},
        {"candidate", KNOB_REORDER, POL_CANDIDATE},
        {"try_unroll", KNOB_ANNOTATE, POL_TRY_UNROLL},
        {"try_vec", KNOB_ANNOTATE, POL_TRY_VEC},
        {"try_unroll_vec", KNOB_ANNOTATE, POL_TRY_UNROLL_VEC},
    };
    static const char *const choices[] = {"", "factors, power2, verbose or candidate",
                                          "identity, all, interval_all or candidate",
                                          "try_unroll, try_vec or try_unroll_vec"};
    if (n->kind == AST_NAME)
        for (size_t i = 0; i < sizeof tab / sizeof *tab; i++)
            if (tab[i].kind == kind && strcmp(tab[i].name, n->name) == 0) {
                *out = tab[i].pol;
                return true;
            }
    return diag_error(X->d, n->loc, "unknown policy: expected %s", choices[kind]);
}

/* Axis-name arguments of reorder/annotate knobs: distinct current leaves. */
static bool knob_axis_names(SCtx *X, const KArgs *ka, const Node *call, Knob *k) {
    if (ka->npos < 1)
        return diag_error(X->d, call->loc, "%s() needs at least one axis", call->name);
    if (ka->npos > KNOB_MAX_VALS)
        return diag_error(X->d, ka->pos[KNOB_MAX_VALS]->loc, "a knob takes at most %d axes",
                          KNOB_MAX_VALS);
    k->axes = ARENA_ARRAY(X->S->a, const char *, ka->npos);
    k->naxes = ka->npos;
    bool good = true;
    for (int i = 0; i < ka->npos; i++) {
        const Node *a = ka->pos[i];
        if (a->kind != AST_NAME) {
            good = diag_error(X->d, a->loc, "expected an axis name");
            continue;
        }
        if (leaf(X, a->name, a->loc) < 0) {
            good = false;
            continue;
        }
        for (int j = 0; j < i; j++)
            if (k->axes[j] && strcmp(k->axes[j], a->name) == 0)
                good = diag_error(X->d, a->loc, "axis '%s' listed twice", a->name);
        k->axes[i] = a->name;
    }
    return good;
}

static bool split_knob(SCtx *X, const Node *call, const KArgs *ka, Knob *k) {
    if (ka->npos < 1 || ka->pos[0]->kind != AST_NAME)
        return diag_error(X->d, call->loc, "split() needs an axis: split(x, 2)");
    if (ka->npos > 2)
        return diag_error(X->d, ka->pos[2]->loc,
                          "split() takes an axis and a number "
                          "of outputs; options are written name = value");
    const Node *n = ka->npos == 2 ? ka->pos[1] : ka->num_outputs;
    if (ka->npos == 2 && ka->num_outputs)
        return diag_error(X->d, ka->num_outputs->loc, "number of outputs given twice");
    if (!n) return diag_error(X->d, call->loc, "split() needs a number of outputs: split(x, 2)");
    const Node *ax = ka->pos[0];
    int p = leaf(X, ax->name, ax->loc);
    if (p < 0) return false;
    const Leaf *l = &X->cs->leaf[p];
    if (l->ext < 0 && l->poisoned) return false; /* its statement's error was reported */
    if (l->ext < 0 && l->knob < 0)
        return diag_error(X->d, ax->loc,
                          "knob over axis '%s', whose extent is too large to "
                          "know",
                          l->name);
    if (l->ext < 0)
        return diag_error(X->d, ax->loc,
                          "knob over an axis whose extent depends on knob '%s' "
                          "(axis '%s')",
                          X->S->in->knobs[l->knob].name, l->name);
    int64_t nouts;
    if (!sema_fold_int(X->S, n, &nouts)) return false;
    if (nouts < 2)
        return diag_error(X->d, n->loc, "split knob with fewer than 2 outputs (%lld)",
                          (long long)nouts);
    if (nouts > KNOB_MAX_VALS)
        return diag_error(X->d, n->loc, "split knob with more than %d outputs", KNOB_MAX_VALS);
    k->axis = l->name;
    k->extent = l->ext;
    k->nouts = (int)nouts;
    k->policy = POL_FACTORS;
    if (ka->policy && !policy_of(X, ka->policy, KNOB_SPLIT, &k->policy)) return false;
    if (!ka->policy && ka->candidate) k->policy = POL_CANDIDATE;
    if (ka->max_factor) {
        if (!sema_fold_int(X->S, ka->max_factor, &k->max_factor)) return false;
        if (k->max_factor < 1)
            return diag_error(X->d, ka->max_factor->loc, "max_factor must be at least 1");
    }
    if (k->policy == POL_CANDIDATE && !ka->candidate)
        return diag_error(X->d, call->loc, "policy candidate needs candidate = [[-1, ...], ...]");
    if (k->policy != POL_CANDIDATE && ka->candidate)
        return diag_error(X->d, ka->candidate->loc, "candidate = [...] needs policy = candidate");
    if (!ka->candidate) return true;
    const Node *c = ka->candidate;
    if (c->kind != AST_LIST || c->nargs == 0)
        return diag_error(X->d, c->loc, "candidate must be a non-empty list of lists");
    k->ncand = c->nargs;
    k->cand = ARENA_ARRAY(X->S->a, int64_t, (size_t)c->nargs * (size_t)k->nouts);
    for (int r = 0; r < c->nargs; r++) {
        const Node *row = c->args[r];
        if (row->kind != AST_LIST || row->nargs != k->nouts)
            return diag_error(X->d, row->loc, "each candidate is a list of %d sizes", k->nouts);
        for (int j = 0; j < k->nouts; j++) {
            int64_t v;
            if (!sema_fold_int(X->S, row->args[j], &v)) return false;
            if (j == 0 ? (v < 1 && v != -1) : v < 1)
                return diag_error(X->d, row->args[j]->loc,
                                  "candidate sizes must be at least 1 "
                                  "(the first may be -1)");
            k->cand[(size_t)r * (size_t)k->nouts + (size_t)j] = j == 0 ? -1 : v;
        }
    }
    return true;
}

static bool reorder_knob(SCtx *X, const Node *call, const KArgs *ka, Knob *k) {
    if (!knob_axis_names(X, ka, call, k)) return false;
    if (!ka->policy)
        return diag_error(X->d, call->loc,
                          "a reorder knob needs a policy: policy = identity, all, "
                          "interval_all or candidate");
    if (!policy_of(X, ka->policy, KNOB_REORDER, &k->policy)) return false;
    if ((k->policy == POL_INTERVAL_ALL) != (ka->interval != NULL))
        return diag_error(X->d, ka->interval ? ka->interval->loc : call->loc,
                          ka->interval ? "interval = (b, e) needs policy = interval_all"
                                       : "policy interval_all needs interval = (begin, end)");
    if ((k->policy == POL_CANDIDATE) != (ka->candidate != NULL))
        return diag_error(X->d, ka->candidate ? ka->candidate->loc : call->loc,
                          ka->candidate ? "candidate = [...] needs policy = candidate"
                                        : "policy candidate needs candidate = [[a, b, ...], ...]");
    if (ka->interval) {
        const Node *iv = ka->interval;
        if ((iv->kind != AST_TUPLE && iv->kind != AST_LIST) || iv->nargs != 2)
            return diag_error(X->d, iv->loc, "interval must be (begin, end)");
        int64_t b, e;
        bool okb = sema_fold_int(X->S, iv->args[0], &b), oke = sema_fold_int(X->S, iv->args[1], &e);
        if (!okb || !oke) return false;
        if (!(0 <= b && b < e && e <= k->naxes))
            return diag_error(X->d, iv->loc,
                              "interval (%lld, %lld) is not a non-empty range of "
                              "the %d axes",
                              (long long)b, (long long)e, k->naxes);
        k->ib = (int)b;
        k->ie = (int)e;
    }
    if (!ka->candidate) return true;
    const Node *c = ka->candidate;
    if (c->kind != AST_LIST || c->nargs == 0)
        return diag_error(X->d, c->loc, "candidate must be a non-empty list of lists of axes");
    k->ncand = c->nargs;
    k->cand = ARENA_ARRAY(X->S->a, int64_t, (size_t)c->nargs * (size_t)k->naxes);
    for (int r = 0; r < c->nargs; r++) {
        const Node *row = c->args[r];
        if (row->kind != AST_LIST || row->nargs != k->naxes)
            return diag_error(X->d, row->loc, "each candidate lists the %d axes in some order",
                              k->naxes);
        for (int j = 0; j < k->naxes; j++) {
            const Node *a = row->args[j];
            int found = -1;
            for (int q = 0; q < k->naxes && a->kind == AST_NAME; q++)
                if (strcmp(k->axes[q], a->name) == 0) found = q;
            if (found < 0)
                return diag_error(X->d, a->loc, "a candidate may only list the knob's axes");
            for (int q = 0; q < j; q++)
                if (k->cand[(size_t)r * (size_t)k->naxes + (size_t)q] == found)
                    return diag_error(X->d, a->loc, "axis '%s' appears twice in a candidate",
                                      a->name);
            k->cand[(size_t)r * (size_t)k->naxes + (size_t)j] = found;
        }
    }
    return true;
}

static bool annotate_knob(SCtx *X, const Node *call, const KArgs *ka, Knob *k) {
    if (!knob_axis_names(X, ka, call, k)) return false;
    if (!ka->policy)
        return diag_error(X->d, call->loc,
                          "an annotate knob needs a policy: policy = try_unroll, "
                          "try_vec or try_unroll_vec");
    return policy_of(X, ka->policy, KNOB_ANNOTATE, &k->policy);
}

static void do_knob(SCtx *X, const Stmt *st) {
    const Node *v = st->value;
    Knob k = {.name = st->name.name, .loc = st->name.loc, .stage = X->cur};
    bool good;
    if (v->kind == AST_LIST) {
        k.kind = KNOB_LIST;
        k.policy = POL_NONE;
        good = v->nargs > 0 || diag_error(X->d, v->loc, "knob with no candidates");
        k.vals = ARENA_ARRAY(X->S->a, int64_t, v->nargs > 0 ? v->nargs : 1);
        k.nvals = v->nargs;
        for (int i = 0; i < v->nargs && good; i++)
            good = sema_fold_int(X->S, v->args[i], &k.vals[i]);
    } else if (v->kind == AST_CALL &&
               (strcmp(v->name, "split") == 0 || strcmp(v->name, "reorder") == 0 ||
                strcmp(v->name, "annotate") == 0)) {
        KArgs ka;
        good = knob_args(X, v, &ka);
        if (good && v->name[0] == 's') {
            k.kind = KNOB_SPLIT;
            good = split_knob(X, v, &ka, &k);
        } else if (good && v->name[0] == 'r') {
            k.kind = KNOB_REORDER;
            good = reorder_knob(X, v, &ka, &k);
        } else if (good) {
            k.kind = KNOB_ANNOTATE;
            good = annotate_knob(X, v, &ka, &k);
        }
    } else {
        good = diag_error(X->d, v->loc,
                          "expected a knob: [v1, v2, ...], split(...), reorder(...) "
                          "or annotate(...)");
    }
    Inst *in = X->S->in;
    if (!good) {
        if (!sema_lookup(X->S, k.name)) sema_define(X->S, k.name, k.loc, SYM_BAD, -1);
        return;
    }
    if (!sema_define(X->S, k.name, k.loc, SYM_KNOB, in->nknobs)) return;
    if (in->nknobs == X->S->capknobs) {
        int cap = X->S->capknobs ? 2 * X->S->capknobs : 8;
        in->knobs =
            arena_grow(X->S->a, in->knobs, (size_t)X->S->capknobs, (size_t)cap, sizeof(Knob));
        X->S->capknobs = cap;
    }
    in->knobs[in->nknobs] = k;
    emit(X, SS_KNOB, st->loc)->knob = in->nknobs++;
}

/* ---- blocks ---- */

/* Names a skipped block would define (knobs, cache stages) must not cause errors of their own. */
static void poison_block(SCtx *X, const Stmt *blk) {
    for (int i = 0; i < blk->nbody; i++) {
        const Stmt *st = blk->body[i];
        if ((st->kind == STMT_KNOB || st->kind == STMT_ASSIGN) && !sema_lookup(X->S, st->name.name))
            sema_define(X->S, st->name.name, st->name.loc, SYM_BAD, -1);
    }
}

/* The stage a block schedules, or false (after reporting, unless the stage itself was bad). */
static bool block_stage(SCtx *X, const Stmt *blk, StageRef *r) {
    Sym *s = sema_lookup(X->S, blk->name.name);
    if (!s) {
        sema_unknown(X->S, "stage", blk->name.name, blk->name.loc);
        return false;
    }
    if (s->kind == SYM_BAD) return false;
    if (s->kind != SYM_STAGE && s->kind != SYM_CACHE)
        return diag_error(X->d, blk->name.loc, "'%s' is not a stage", blk->name.name);
    *r = (StageRef){s->index, s->kind == SYM_CACHE};
    if (!r->cache && X->S->in->stages[r->stage].kind == STAGE_PLACEHOLDER)
        return diag_error(X->d, blk->name.loc,
                          "'%s' is a placeholder: only compute stages "
                          "can be scheduled",
                          blk->name.name);
    SState *ss = state(X, *r);
    if (ss->has_block) {
        diag_error(X->d, blk->name.loc, "stage %s already has a schedule block", blk->name.name);
        diag_note(X->d, ss->block_loc, "the first one is here");
        return false;
    }
    return true;
}

static void do_block(SCtx *X, const Stmt *blk, bool outputs_known) {
    StageRef r;
    if (!block_stage(X, blk, &r)) return poison_block(X, blk);
    SState *ss = state(X, r);
    ss->has_block = true;
    ss->block_loc = blk->name.loc;
    X->cur = r;
    X->cs = ss;
    X->stmts = NULL;
    X->nstmts = X->capstmts = 0;
    for (int i = 0; i < blk->nbody && !diag_full(X->d); i++) {
        const Stmt *st = blk->body[i];
        switch (st->kind) {
        case STMT_ASSIGN:
            do_cache_write(X, st);
            break;
        case STMT_SCHEDULE:
            diag_error(X->d, st->loc, "schedule blocks do not nest");
            break;
        case STMT_KNOB:
            do_knob(X, st);
            break;
        case STMT_SPLIT:
            do_split(X, st);
            break;
        case STMT_FUSE:
            do_fuse(X, st);
            break;
        case STMT_REORDER:
            do_reorder(X, st);
            break;
        case STMT_VECTORIZE:
            do_annot(X, st, SS_VECTORIZE, "vectorize");
            break;
        case STMT_UNROLL:
            do_annot(X, st, SS_UNROLL, "unroll");
            break;
        case STMT_PARALLEL:
            do_annot(X, st, SS_PARALLEL, "parallel");
            break;
        case STMT_ANNOTATE:
            do_annotate_knob(X, st);
            break;
        case STMT_COMPUTE_AT:
            do_compute_at(X, st);
            break;
        case STMT_COMPUTE_INLINE:
            do_inline(X, st, outputs_known);
            break;
        }
    }
    Inst *in = X->S->in;
    if (in->nscheds == X->capscheds) {
        int cap = X->capscheds ? 2 * X->capscheds : 4;
        in->scheds =
            arena_grow(X->S->a, in->scheds, (size_t)X->capscheds, (size_t)cap, sizeof(Schedule));
        X->capscheds = cap;
    }
    in->scheds[in->nscheds++] = (Schedule){r, blk->name.loc, X->stmts, X->nstmts};
}

/* The distinct stages e loads, appended to *out (growing it). */
static void collect_reads(Arena *a, const Expr *e, int **out, int *n, int *cap) {
    if (!e) return;
    if (e->kind == EX_LOAD) {
        bool dup = false;
        for (int i = 0; i < *n; i++) dup = dup || (*out)[i] == e->stage;
        if (!dup) {
            if (*n == *cap) {
                *out =
                    arena_grow(a, *out, (size_t)*cap, (size_t)(*cap ? *cap * 2 : 4), sizeof(int));
                *cap = *cap ? *cap * 2 : 4;
            }
            (*out)[(*n)++] = e->stage;
        }
        for (int i = 0; i < e->nargs; i++) collect_reads(a, e->args[i], out, n, cap);
    }
    collect_reads(a, e->a, out, n, cap);
    collect_reads(a, e->b, out, n, cap);
    collect_reads(a, e->c, out, n, cap);
}

void sema_schedules(Sema *S) {
    Inst *in = S->in;
    SCtx X = {.S = S, .d = S->d};
    X.st = ARENA_ARRAY(S->a, SState, 2 * in->nstages + 2);
    X.reads = ARENA_ARRAY(S->a, int *, in->nstages + 1);
    X.nreads = ARENA_ARRAY(S->a, int, in->nstages + 1);
    for (int i = 0; i < in->nstages; i++) {
        const Stage *s = &in->stages[i];
        int cap = 0;
        collect_reads(S->a, s->body, &X.reads[i], &X.nreads[i], &cap);
        if (s->kind != STAGE_COMPUTE) continue;
        X.st[2 * i].exists = true;
        init_leaves(&X, &X.st[2 * i], s, true);
    }
    bool outputs_known = S->outputs_known;
    for (int i = 0; i < S->t->nbody && !diag_full(S->d); i++)
        if (S->t->body[i]->kind == STMT_SCHEDULE) do_block(&X, S->t->body[i], outputs_known);
    /* compute_at targets are checked against the consumer's final leaf axes, because the
     * attach point is resolved once the whole schedule has been applied (as TVM does) */
    for (int i = 0; i < X.natt && !diag_full(S->d); i++) {
        const Attach *a = &X.att[i];
        const SState *t = state(&X, a->dst);
        if (t->attach == 2) {
            diag_error(S->d, a->loc, "cannot compute %s at %s.%s: %s is inlined (at %d:%d)",
                       ref_name(&X, a->src), ref_name(&X, a->dst), a->axis, ref_name(&X, a->dst),
                       t->attach_loc.line, t->attach_loc.col);
            continue;
        }
        if (find_leaf(t, a->axis) < 0) no_axis(&X, a->dst, a->axis, a->loc);
    }
    bool *inlined = ARENA_ARRAY(S->a, bool, in->nstages + 1);
    Loc *inline_at = ARENA_ARRAY(S->a, Loc, in->nstages + 1);
    for (int i = 0; i < in->nstages; i++) {
        inlined[i] = X.st[2 * i].exists && X.st[2 * i].attach == 2;
        inline_at[i] = X.st[2 * i].attach_loc;
    }
    if (!diag_full(S->d)) sema_inline_sizes(S, inlined, inline_at);
}
