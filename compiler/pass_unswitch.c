/* Unswitch: a loop whose body holds an `if` the loop cannot change (a condition of variables
 * bound outside it, no loads) becomes `if (c) loop with every such if taken else loop with none
 * taken`, inner loops first so the branch moves out as far as it stays invariant; a budget bounds
 * the statements copied. Takes verified IR (vectorize's guarded splits); gives equivalent IR. */
#include "compiler/passes.h"

/* Per function: unswitching stops once it has added this many statements or (non-vectorized)
 * loops, the budgets pass_unroll uses, as LLVM's compile time grows with both. */
enum { MAX_ADDED_NODES = 512, MAX_ADDED_LOOPS = 16 };

typedef struct U {
    Arena *a;
    IrFunc *f;
    bool *inside;     /* by variable id: bound inside the loop being unswitched */
    int cap;          /* entries of inside */
    int nodes, loops; /* added so far */
    IrRanges r;       /* of the loop variables and lets around the current statement */
} U;

/* Mark the variables bound in s; false if s allocates a buffer (a copy would allocate it twice). */
static bool mark_bound(U *u, const IrStmt *s) {
    if (!s) return true;
    switch (s->kind) {
    case IS_FOR:
    case IS_LET:
        u->inside[s->var->id] = true;
        return mark_bound(u, s->body);
    case IS_IF:
        return mark_bound(u, s->body) && mark_bound(u, s->orelse);
    case IS_BLOCK:
        for (int i = 0; i < s->n; i++)
            if (!mark_bound(u, s->stmts[i])) return false;
        return true;
    case IS_ALLOC:
        return false;
    case IS_STORE:
        return true;
    }
    return false;
}

/* The loop cannot change e: no variable bound inside, and no load. Loads stay put even from
 * buffers the loop does not write: hoisted, a load would also run where the original never
 * reached it (a loop of no iterations, an enclosing guard) and could be out of bounds. Every
 * other operation is total in tec's semantics (docs/codegen.md), so evaluating it early is safe. */
static bool invariant(const U *u, const IrExpr *e) {
    if (!e) return true;
    if (e->kind == IE_LOAD) return false;
    if (e->kind == IE_VAR) return !u->inside[e->var->id];
    return invariant(u, e->a) && invariant(u, e->b) && invariant(u, e->c);
}

/* The first invariant condition of an if in s (pre-order), or NULL. */
static IrExpr *find_cond(const U *u, const IrStmt *s) {
    if (!s) return NULL;
    switch (s->kind) {
    case IS_FOR:
    case IS_LET:
    case IS_ALLOC:
        return find_cond(u, s->body);
    case IS_IF: {
        if (invariant(u, s->cond)) return s->cond;
        IrExpr *c = find_cond(u, s->body);
        return c ? c : find_cond(u, s->orelse);
    }
    case IS_BLOCK:
        for (int i = 0; i < s->n; i++) {
            IrExpr *c = find_cond(u, s->stmts[i]);
            if (c) return c;
        }
        return NULL;
    case IS_STORE:
        return NULL;
    }
    return NULL;
}

/* The values x takes where a comparison holds: (-inf, bound] when upper, else [bound, +inf);
 * 128-bit so bounds +- 1 and their quotients never overflow. */
typedef struct Half {
    bool upper;
    __int128 bound;
} Half;

static __int128 floor_div(__int128 a, __int128 b) {
    __int128 q = a / b;
    return q - (a % b != 0 && (a < 0) != (b < 0));
}

/* c is `e OP k` (OP one of < <= > >=, e int64): x and where it holds. e = x*m with a constant m
 * is read as a bound on x, so `jo*64 < 437` and `jo*2 < 14` are both `jo <= 6`, when the ranges
 * r show that x*m does not wrap. */
static bool half_of(const IrExpr *c, const IrRanges *r, const IrExpr **x, Half *h) {
    int64_t k, m = 1;
    if (c->kind != IE_BINARY || !c->a || c->a->dtype != DT_INT64 || !ir_const_int(c->b, &k))
        return false;
    *x = c->a;
    if (c->a->kind == IE_BINARY && c->a->op == OP_MUL && ir_const_int(c->a->b, &m) && m != 0 &&
        ir_range_of(c->a, r).ok)
        *x = c->a->a;
    else
        m = 1;
    switch (c->op) { /* as x*m <= b or x*m >= b */
    case OP_LT:
        *h = (Half){true, (__int128)k - 1};
        break;
    case OP_LE:
        *h = (Half){true, k};
        break;
    case OP_GT:
        *h = (Half){false, (__int128)k + 1};
        break;
    case OP_GE:
        *h = (Half){false, k};
        break;
    default:
        return false;
    }
    /* x*m <= b: x <= floor(b/m) when m > 0, x >= ceil(b/m) when m < 0; x*m >= b the reverse */
    if ((m > 0) == h->upper)
        *h = (Half){true, floor_div(h->bound, m)};
    else
        *h = (Half){false, -floor_div(-h->bound, m)};
    return true;
}

/* What cond is where c has the value v: 1 true, 0 false, -1 unknown. The same expression (or its
 * negation), or a comparison of the same expression with another constant that c's outcome
 * settles: the partial vectors of a register tile test `jo*64 < 437`, `jo*64 < 453`, ..., and
 * once the first fails the others do too, so n thresholds give n + 1 versions, not 2^n. */
static int known(const IrExpr *cond, const IrExpr *c, bool v, const IrRanges *r) {
    if (ir_expr_equal(cond, c)) return v;
    if (cond->kind == IE_UNARY && cond->op == OP_NOT) {
        int k = known(cond->a, c, v, r);
        return k < 0 ? k : !k;
    }
    const IrExpr *ec, *e;
    Half hc, h;
    if (!half_of(c, r, &ec, &hc) || !half_of(cond, r, &e, &h) || !ir_expr_equal(e, ec)) return -1;
    if (!v) hc = hc.upper ? (Half){false, hc.bound + 1} : (Half){true, hc.bound - 1};
    /* hc: where e is known to be; h: where cond holds */
    if (hc.upper == h.upper) return (hc.upper ? hc.bound <= h.bound : hc.bound >= h.bound) ? 1 : -1;
    return (hc.upper ? hc.bound < h.bound : h.bound < hc.bound) ? 0 : -1;
}

typedef struct Decide {
    Arena *a;
    const IrExpr *cond;
    bool value;
    const IrRanges *r;
} Decide;

/* s with every if that cond's value settles replaced by the branch it takes. */
static IrStmt *decide(void *ud, IrStmt *s) {
    Decide *d = ud;
    int k = s && s->kind == IS_IF ? known(s->cond, d->cond, d->value, d->r) : -1;
    if (k >= 0) {
        IrStmt *taken = k ? s->body : s->orelse;
        return taken ? decide(d, taken) : ir_block(d->a, NULL, 0);
    }
    return ir_map_children(d->a, s, decide, d);
}

/* loop, with each invariant condition of its body tested once outside it while the budget lasts. */
static IrStmt *unswitch(U *u, IrStmt *loop) {
    if (u->cap < u->f->nvars) { /* copies made new variables */
        u->inside = arena_grow(u->a, u->inside, (size_t)u->cap, (size_t)u->f->nvars, sizeof(bool));
        u->cap = u->f->nvars;
    }
    for (int i = 0; i < u->cap; i++) u->inside[i] = false;
    u->inside[loop->var->id] = true;
    if (!mark_bound(u, loop->body)) return loop;
    IrExpr *c = find_cond(u, loop->body);
    if (!c) return loop;
    Decide yes = {u->a, c, true, &u->r}, no = {u->a, c, false, &u->r};
    IrStmt *t = decide(&yes, loop);
    IrSubst fresh = ir_subst_new(u->a, u->f, true); /* the second copy binds its own variables */
    IrStmt *e = ir_subst_stmt(u->a, &fresh, decide(&no, loop));
    int nodes = 1 + ir_stmt_size(t) + ir_stmt_size(e) - ir_stmt_size(loop);
    int loops = ir_stmt_loops(t) + ir_stmt_loops(e) - ir_stmt_loops(loop);
    if (u->nodes + nodes > MAX_ADDED_NODES || u->loops + loops > MAX_ADDED_LOOPS) return loop;
    u->nodes += nodes;
    u->loops += loops;
    /* each copy may hold other invariant conditions: one version per outcome, recursively */
    return ir_if(u->a, c, unswitch(u, t), unswitch(u, e));
}

static IrStmt *visit(void *ud, IrStmt *s) {
    U *u = ud;
    if (s && (s->kind == IS_FOR || s->kind == IS_LET)) {
        IrRange lo = ir_range_of(s->kind == IS_FOR ? s->min : s->value, &u->r), hi = lo;
        if (s->kind == IS_FOR) {
            IrRange ext = ir_range_of(s->extent, &u->r);
            hi = (IrRange){lo.ok && ext.ok && ext.hi >= 1 &&
                               !__builtin_add_overflow(lo.hi, ext.hi - 1, &hi.hi),
                           lo.lo, hi.hi};
        }
        if (hi.ok) ir_ranges_set(u->a, &u->r, s->var, lo.lo, hi.hi);
    }
    s = ir_map_children(u->a, s, visit, u);
    if (s && s->kind == IS_FOR) return unswitch(u, s);
    return s;
}

void pass_unswitch(Arena *a, IrFunc *f) {
    U u = {a, f, NULL, 0, 0, 0, {0}};
    f->body = visit(&u, f->body);
}
