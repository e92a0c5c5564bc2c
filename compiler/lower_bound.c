/* Bound inference: from the outputs backwards, each stage's extents, loop variables and axis
 * values. A stage attached at D.x gets the region its consumers read in one iteration of x:
 * interval arithmetic over their index expressions with the loop variables inside x ranging
 * over their extents; the region's size is a constant, its start follows the outer loops and
 * is clamped so the region stays inside the tensor (a non-dividing outer loop overshoots), unless
 * the clamp would break the start's alignment: then the stage guards the elements past the end. */
#include "compiler/lower_int.h"
#include "lang/scalar.h"
#include <string.h>

IrExpr *lower_simp(LowerCtx *c, IrExpr *e) {
    return pass_simplify_expr(c->a, e, &c->ranges);
}

/* An interval with symbolic ends; lo == NULL: unbounded. A point has lo == hi (same node). */
typedef struct Iv {
    IrExpr *lo, *hi;
} Iv;

typedef struct B {
    LowerCtx *c;
    IrRanges ranged; /* variables that range (inside the attach loop); others are points */
} B;

static bool is_ranged(const B *b, const IrVar *v) {
    return v->id < b->ranged.n && b->ranged.v[v->id].ok;
}

static bool uses_ranged(const B *b, const IrExpr *e) {
    if (!e) return false;
    if (e->kind == IE_VAR) return is_ranged(b, e->var);
    return uses_ranged(b, e->a) || uses_ranged(b, e->b) || uses_ranged(b, e->c);
}

static Iv point(IrExpr *e) {
    return (Iv){e, e};
}

static const Iv UNBOUNDED = {NULL, NULL};

static Iv bnd(B *b, IrExpr *e) {
    Arena *a = b->c->a;
    if (!uses_ranged(b, e)) return point(e);
    if (e->dtype != DT_INT64) return UNBOUNDED;
    int64_t k;
    switch (e->kind) {
    case IE_VAR: {
        IrRange r = b->ranged.v[e->var->id];
        return (Iv){ir_int(a, r.lo), ir_int(a, r.hi)};
    }
    case IE_UNARY: {
        if (e->op != OP_NEG) return UNBOUNDED;
        Iv x = bnd(b, e->a);
        if (!x.lo) return x;
        return (Iv){ir_unary(a, OP_NEG, x.hi), ir_unary(a, OP_NEG, x.lo)};
    }
    case IE_SELECT: {
        Iv x = bnd(b, e->b), y = bnd(b, e->c);
        if (!x.lo || !y.lo) return UNBOUNDED;
        return (Iv){ir_binary(a, OP_MIN, x.lo, y.lo), ir_binary(a, OP_MAX, x.hi, y.hi)};
    }
    case IE_BINARY:
        break;
    default:
        return UNBOUNDED;
    }
    Iv x = bnd(b, e->a), y = bnd(b, e->b);
    if (!x.lo || !y.lo) return UNBOUNDED;
    switch (e->op) {
    case OP_ADD:
        return (Iv){ir_binary(a, OP_ADD, x.lo, y.lo), ir_binary(a, OP_ADD, x.hi, y.hi)};
    case OP_SUB:
        return (Iv){ir_binary(a, OP_SUB, x.lo, y.hi), ir_binary(a, OP_SUB, x.hi, y.lo)};
    case OP_MUL: {
        Iv v = x;
        IrExpr *cst = NULL;
        if (ir_const_int(y.lo, &k) && y.lo == y.hi)
            cst = y.lo;
        else if (ir_const_int(x.lo, &k) && x.lo == x.hi)
            cst = x.lo, v = y;
        if (cst) {
            IrExpr *p = ir_binary(a, OP_MUL, v.lo, cst), *q = ir_binary(a, OP_MUL, v.hi, cst);
            return k >= 0 ? (Iv){p, q} : (Iv){q, p};
        }
        return UNBOUNDED;
    }
    case OP_DIV:
        if (y.lo == y.hi && ir_const_int(y.lo, &k) && k != 0) {
            IrExpr *p = ir_binary(a, OP_DIV, x.lo, y.lo), *q = ir_binary(a, OP_DIV, x.hi, y.lo);
            return k > 0 ? (Iv){p, q} : (Iv){q, p};
        }
        return UNBOUNDED;
    case OP_MOD:
        if (y.lo == y.hi && ir_const_int(y.lo, &k) && k > 0) {
            int64_t l, h;
            if (ir_const_int(lower_simp(b->c, x.lo), &l) &&
                ir_const_int(lower_simp(b->c, x.hi), &h) &&
                scalar_floordiv(l, k) == scalar_floordiv(h, k))
                return (Iv){ir_int(a, scalar_floormod(l, k)), ir_int(a, scalar_floormod(h, k))};
            return (Iv){ir_int(a, 0), ir_int(a, k - 1)};
        }
        return UNBOUNDED;
    case OP_MIN:
    case OP_MAX:
        return (Iv){ir_binary(a, e->op, x.lo, y.lo), ir_binary(a, e->op, x.hi, y.hi)};
    default:
        return UNBOUNDED;
    }
}

/* ---- axis values ---- */

/* Fill vals[] for every axis from the leaf entries, through the relations in reverse. */
static void pass_up(LowerCtx *c, const SchedStage *st, IrExpr **val) {
    Arena *a = c->a;
    for (int k = st->nrels - 1; k >= 0; k--) {
        const SchedRel *r = &st->rels[k];
        if (r->kind == REL_SPLIT) {
            val[r->parent] =
                ir_binary(a, OP_ADD,
                          ir_binary(a, OP_MUL, val[r->outer], ir_int(a, st->axes[r->inner].extent)),
                          val[r->inner]);
        } else {
            IrExpr *ei = ir_int(a, st->axes[r->inner].extent);
            val[r->outer] = ir_binary(a, OP_DIV, val[r->parent], ei);
            val[r->inner] = ir_binary(a, OP_MOD, val[r->parent], ei);
        }
    }
    for (int i = 0; i < st->naxes; i++)
        if (val[i]) val[i] = lower_simp(c, val[i]);
}

IrExpr **lower_axis_values(LowerCtx *c, int si, IrExpr **leafval) {
    const SchedStage *st = &c->s->stages[si];
    IrExpr **val = ARENA_ARRAY(c->a, IrExpr *, st->naxes);
    for (int k = 0; k < st->nleaves; k++) val[st->leaves[k]] = leafval[k];
    pass_up(c, st, val);
    return val;
}

IrExpr **lower_root_values(LowerCtx *c, int si, IrExpr **val) {
    const SchedStage *st = &c->s->stages[si];
    const StageLow *lw = &c->low[si];
    IrExpr **root = ARENA_ARRAY(c->a, IrExpr *, st->nroot);
    for (int i = 0; i < st->nroot; i++) {
        IrExpr *base = i < st->ndata && lw->rmin ? lw->rmin[i] : NULL;
        int64_t mn = st->st->axes[i].min;
        if (!base && mn != 0) base = ir_int(c->a, mn);
        root[i] = base ? lower_simp(c, ir_binary(c->a, OP_ADD, base, val[i])) : val[i];
    }
    return root;
}

/* ---- regions of attached stages ---- */

typedef struct Loads {
    IrExpr ***idx;
    int n, cap;
} Loads;

static void collect(LowerCtx *c, IrExpr **idx, int n) {
    Loads *L = c->hook_data;
    if (L->n == L->cap) {
        int cap = L->cap ? L->cap * 2 : 8;
        L->idx = arena_grow(c->a, L->idx, (size_t)L->cap, (size_t)cap, sizeof *L->idx);
        L->cap = cap;
    }
    IrExpr **copy = ARENA_ARRAY(c->a, IrExpr *, n ? n : 1);
    memcpy(copy, idx, sizeof *copy * (size_t)n);
    L->idx[L->n++] = copy;
}

static int leaf_pos(const SchedStage *st, int axis) {
    for (int i = 0; i < st->nleaves; i++)
        if (st->leaves[i] == axis) return i;
    return -1;
}

static void range_leaves(B *b, const SchedStage *st, int from) {
    for (int k = from; k < st->nleaves; k++) {
        const SchedAxis *x = &st->axes[st->leaves[k]];
        ir_ranges_set(b->c->a, &b->ranged, x->var, 0, x->extent - 1);
    }
}

/* Mark as ranging the loops between reader e and the attach loop of si; false (reported) when
 * e is not computed inside it. */
static bool reader_scope(B *b, int si, int e) {
    LowerCtx *c = b->c;
    const SchedStage *st = &c->s->stages[si];
    const SchedStage *D = &c->s->stages[st->at_stage];
    int px = leaf_pos(D, st->at_axis);
    int cur = e;
    for (;;) {
        const SchedStage *cs = &c->s->stages[cur];
        if (cur == st->at_stage) {
            range_leaves(b, D, px + 1);
            return true;
        }
        range_leaves(b, cs, 0);
        if (cs->attach != ATTACH_AT) break;
        if (cs->at_stage == st->at_stage) {
            int pa = leaf_pos(D, cs->at_axis);
            if (pa < px) break;
            range_leaves(b, D, px + 1);
            return true;
        }
        cur = cs->at_stage;
    }
    return diag_error(c->d, st->attach_loc,
                      "compute_at %s.%s: %s is also read by %s, which is not computed inside "
                      "that loop",
                      D->name, D->axes[st->at_axis].name, st->name, c->s->stages[e].name);
}

/* A number every value of e is a multiple of (0: e is 0), from its affine structure; 1 when
 * nothing better is known. */
static int64_t alignment(const IrExpr *e) {
    int64_t k;
    if (ir_const_int(e, &k)) return k < 0 ? -k : k;
    if (e->kind != IE_BINARY) return 1;
    switch (e->op) {
    case OP_ADD:
    case OP_SUB:
    case OP_MIN:
    case OP_MAX:
        return scalar_gcd(alignment(e->a), alignment(e->b));
    case OP_MUL: {
        int64_t x = alignment(e->a), y = alignment(e->b), p;
        return __builtin_mul_overflow(x, y, &p) ? 1 : p;
    }
    default:
        return 1;
    }
}

/* Clamping the start lo to [0, shape - w] keeps every start a multiple of lo's alignment only
 * when shape - w is one too. When it is not (a cache_write tile of 48 columns over 200: the
 * last start 152 is not a multiple of 16), a stage indexing a packed producer by `j / 16`
 * meets a start inside a panel and its vector loads become gathers; then the start of the
 * innermost (contiguous) dimension stays lo and the stage guards what lies past the end
 * instead (TVM's choice), when lo is never negative. Outer dimensions keep the clamp: there it
 * only recomputes a few rows, with no guard and no second copy of the tile. */
static bool keep_aligned(LowerCtx *c, IrExpr *lo, int64_t shape, int64_t w) {
    IrRange r = ir_range_of(lo, &c->ranges);
    if (!r.ok || r.lo < 0 || r.hi <= shape - w) return false;
    int64_t g = alignment(lo);
    return g > 1 && (shape - w) % g != 0;
}

static bool region(LowerCtx *c, int si, int64_t *ext, IrExpr **rmin, bool *rguard) {
    Arena *a = c->a;
    const SchedStage *st = &c->s->stages[si];
    const SchedStage *D = &c->s->stages[st->at_stage];
    int nd = st->ndata;
    IrExpr **lo = ARENA_ARRAY(a, IrExpr *, nd ? nd : 1),
           **hi = ARENA_ARRAY(a, IrExpr *, nd ? nd : 1);
    bool *full = ARENA_ARRAY(a, bool, nd ? nd : 1);
    bool any = false;
    for (int e = si + 1; e < c->s->nstages; e++) {
        if (c->s->stages[e].attach == ATTACH_INLINE) continue;
        Loads L = {0};
        c->watch = si;
        c->hook = collect;
        c->hook_data = &L;
        lower_stage_body(c, e, c->low[e].root);
        c->watch = -1;
        c->hook = NULL;
        if (L.n == 0) continue;
        B b = {c, {0}};
        if (!reader_scope(&b, si, e)) return false;
        any = true;
        for (int k = 0; k < L.n; k++)
            for (int d = 0; d < nd; d++) {
                Iv iv = bnd(&b, L.idx[k][d]);
                if (!iv.lo) {
                    full[d] = true;
                    continue;
                }
                lo[d] = lo[d] ? ir_binary(a, OP_MIN, lo[d], iv.lo) : iv.lo;
                hi[d] = hi[d] ? ir_binary(a, OP_MAX, hi[d], iv.hi) : iv.hi;
            }
    }
    if (!any)
        return diag_error(c->d, st->attach_loc, "compute_at: %s does not read %s", D->name,
                          st->name);
    for (int d = 0; d < nd; d++) {
        int64_t shape = st->st->shape[d], w;
        if (full[d] || !lo[d]) {
            ext[d] = shape;
            rmin[d] = ir_int(a, 0);
            continue;
        }
        lo[d] = lower_simp(c, lo[d]);
        hi[d] = lower_simp(c, hi[d]);
        IrExpr *width =
            lower_simp(c, ir_binary(a, OP_ADD, ir_binary(a, OP_SUB, hi[d], lo[d]), ir_int(a, 1)));
        if (!ir_const_int(width, &w)) {
            /* the width moves with the outer loops: its largest value over their domains */
            IrRange r = ir_range_of(width, &c->ranges);
            w = r.ok ? r.hi : shape;
        }
        if (w > shape) w = shape;
        if (w < 1) w = 1;
        ext[d] = w;
        if (d == nd - 1 && keep_aligned(c, lo[d], shape, w)) {
            rmin[d] = lo[d];
            rguard[d] = true;
            continue;
        }
        IrExpr *clamped = ir_binary(a, OP_MIN, lo[d], ir_int(a, shape - w));
        rmin[d] = lower_simp(c, ir_binary(a, OP_MAX, clamped, ir_int(a, 0)));
    }
    return true;
}

static IrBuf *new_buf(LowerCtx *c, const char *name, DType t, int64_t size, IrBufKind k) {
    return ir_buf(c->a, name, t, size, k, -1);
}

bool lower_bound_infer(LowerCtx *c) {
    Arena *a = c->a;
    for (int si = c->s->nstages - 1; si >= 0; si--) {
        SchedStage *st = &c->s->stages[si];
        StageLow *lw = &c->low[si];
        if (st->attach == ATTACH_INLINE) continue;
        int64_t *ext = ARENA_ARRAY(a, int64_t, st->nroot ? st->nroot : 1);
        for (int i = 0; i < st->nroot; i++) ext[i] = st->st->axes[i].extent;
        for (int i = 0; i < st->ndata; i++) ext[i] = st->st->shape[i];
        if (st->attach == ATTACH_AT) {
            lw->rmin = ARENA_ARRAY(a, IrExpr *, st->ndata ? st->ndata : 1);
            lw->rguard = ARENA_ARRAY(a, bool, st->ndata ? st->ndata : 1);
            if (!region(c, si, ext, lw->rmin, lw->rguard)) return false;
        }
        lw->bshape = ARENA_ARRAY(a, int64_t, st->ndata ? st->ndata : 1);
        int64_t size = 1;
        for (int i = 0; i < st->ndata; i++) {
            lw->bshape[i] = ext[i];
            if (__builtin_mul_overflow(size, ext[i], &size))
                return diag_error(c->d, st->st->loc, "stage %s is too large", st->name);
        }
        if (!sched_pass_down(c->d, st, ext)) return false;
        IrExpr **leafval = ARENA_ARRAY(a, IrExpr *, st->nleaves ? st->nleaves : 1);
        for (int k = 0; k < st->nleaves; k++) {
            SchedAxis *x = &st->axes[st->leaves[k]];
            x->var = ir_new_var(a, c->f, x->dname);
            ir_ranges_set(a, &c->ranges, x->var, 0, x->extent - 1);
            leafval[k] = ir_var(a, x->var);
        }
        lw->val = lower_axis_values(c, si, leafval);
        lw->root = lower_root_values(c, si, lw->val);
        int ai = st->st->arg_index;
        if (!st->ref.cache && ai >= 0)
            lw->buf = c->f->args[ai];
        else
            lw->buf = new_buf(c, st->name, st->st->dtype, size,
                              st->attach == ATTACH_AT ? BUF_LOCAL : BUF_GLOBAL);
    }
    return true;
}
