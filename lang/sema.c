/* Semantic checks and binding: takes a parsed Program, a template name and -D bindings; gives a
 * bound Inst (lang/inst.h) with parameters bound, shapes folded, names resolved, dtypes made
 * explicit. Schedule blocks and knobs are checked by sema_sched.c. */
#include "lang/sema_impl.h"
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- symbols ---- */

static uint32_t hash_str(const char *s) {
    uint32_t h = 2166136261u;
    while (*s) h = (h ^ (unsigned char)*s++) * 16777619u;
    return h;
}

Sym *sema_lookup(Sema *S, const char *name) {
    if (!S->hcap) return NULL;
    for (uint32_t i = hash_str(name) & (uint32_t)(S->hcap - 1);; i = (i + 1) & (uint32_t)(S->hcap - 1)) {
        int k = S->hash[i];
        if (!k) return NULL;
        if (strcmp(S->syms[k - 1].name, name) == 0) return &S->syms[k - 1];
    }
}

static void hash_insert(Sema *S, int idx) {
    uint32_t i = hash_str(S->syms[idx].name) & (uint32_t)(S->hcap - 1);
    while (S->hash[i]) i = (i + 1) & (uint32_t)(S->hcap - 1);
    S->hash[i] = idx + 1;
}

bool sema_define(Sema *S, const char *name, Loc loc, SymKind kind, int index) {
    if (dtype_from_name(name) != DT_NONE)
        return diag_error(S->d, loc, "'%s' is a dtype name and cannot name anything else", name);
    Sym *old = sema_lookup(S, name);
    if (old) {
        diag_error(S->d, loc, "redefinition of '%s'", name);
        diag_note(S->d, old->loc, "'%s' was first defined here", name);
        return false;
    }
    if (S->nsyms == S->capsyms) {
        int cap = S->capsyms ? 2 * S->capsyms : 16;
        S->syms = arena_grow(S->a, S->syms, (size_t)S->capsyms, (size_t)cap, sizeof(Sym));
        S->capsyms = cap;
    }
    S->syms[S->nsyms++] = (Sym){name, kind, index, loc};
    if (2 * S->nsyms > S->hcap) { /* keep the table at most half full */
        S->hcap = S->hcap ? 2 * S->hcap : 64;
        S->hash = ARENA_ARRAY(S->a, int, S->hcap);
        for (int i = 0; i < S->nsyms; i++) hash_insert(S, i);
    } else {
        hash_insert(S, S->nsyms - 1);
    }
    return true;
}

/* A name whose definition failed: define it as SYM_BAD so uses do not cascade into more errors. */
static void define_bad(Sema *S, const char *name, Loc loc) {
    if (!sema_lookup(S, name) && dtype_from_name(name) == DT_NONE) sema_define(S, name, loc, SYM_BAD, -1);
}

void sema_unknown(Sema *S, const char *what, const char *name, Loc loc) {
    for (int i = 0; i < S->nlater; i++) {
        if (strcmp(S->later[i].name, name) != 0) continue;
        Loc l = S->later[i].loc;
        if (S->later[i].knob)
            diag_error(S->d, loc, "knob '%s' is used before its declaration at %d:%d", name, l.line,
                       l.col);
        else
            diag_error(S->d, loc, "'%s' is used before its definition at %d:%d", name, l.line, l.col);
        return;
    }
    diag_error(S->d, loc, "unknown %s '%s'", what, name);
}

const char *sema_stage_name(const Sema *S, StageRef r) {
    return S->in->stages[r.stage].name;
}

/* ---- constant integer expressions (shapes, bounds, factors, defaults) ---- */

static bool add_ovf(int64_t a, int64_t b, int64_t *r) { return __builtin_add_overflow(a, b, r); }
static bool sub_ovf(int64_t a, int64_t b, int64_t *r) { return __builtin_sub_overflow(a, b, r); }
static bool mul_ovf(int64_t a, int64_t b, int64_t *r) { return __builtin_mul_overflow(a, b, r); }

/* Integer arithmetic as the language defines it: / and % floor (Python's // and %).
 * Returns an error message, or NULL. */
static const char *int_op(Op op, int64_t a, int64_t b, int64_t *r) {
    switch (op) {
    case OP_ADD: return add_ovf(a, b, r) ? "integer overflow" : NULL;
    case OP_SUB: return sub_ovf(a, b, r) ? "integer overflow" : NULL;
    case OP_MUL: return mul_ovf(a, b, r) ? "integer overflow" : NULL;
    case OP_DIV:
    case OP_MOD: {
        if (b == 0) return "division by zero";
        if (a == INT64_MIN && b == -1) {
            if (op == OP_MOD) { *r = 0; return NULL; }
            return "integer overflow";
        }
        int64_t q = a / b, m = a % b;
        if (m != 0 && ((m < 0) != (b < 0))) { q--; m += b; }
        *r = op == OP_DIV ? q : m;
        return NULL;
    }
    case OP_MIN: *r = a < b ? a : b; return NULL;
    case OP_MAX: *r = a > b ? a : b; return NULL;
    default: return "not an integer operation";
    }
}

bool sema_fold_int(Sema *S, const Node *n, int64_t *out) {
    switch (n->kind) {
    case AST_INT: *out = n->ival; return true;
    case AST_FLOAT: return diag_error(S->d, n->loc, "expected an integer, got the float %g", n->fval);
    case AST_NAME: {
        Sym *s = sema_lookup(S, n->name);
        if (!s) {
            sema_unknown(S, "name", n->name, n->loc);
            return false;
        }
        if (s->kind == SYM_BAD) return false;
        if (s->kind == SYM_PARAM_INT) {
            *out = S->in->params[s->index].ival;
            return true;
        }
        return diag_error(S->d, n->loc, "'%s' is not an integer parameter: expected an integer "
                          "expression of parameters and literals", n->name);
    }
    case AST_UNARY: {
        if (n->op != OP_NEG) break;
        int64_t v;
        if (!sema_fold_int(S, n->lhs, &v)) return false;
        if (v == INT64_MIN) return diag_error(S->d, n->loc, "integer overflow");
        *out = -v;
        return true;
    }
    case AST_BINARY: {
        if (n->op > OP_MOD) break;
        int64_t a, b;
        bool oka = sema_fold_int(S, n->lhs, &a);
        bool okb = sema_fold_int(S, n->rhs, &b);
        if (!oka || !okb) return false;
        const char *err = int_op(n->op, a, b, out);
        if (err) return diag_error(S->d, n->loc, "%s in constant expression", err);
        return true;
    }
    case AST_CALL:
        if ((strcmp(n->name, "min") == 0 || strcmp(n->name, "max") == 0) && n->nargs == 2 &&
            n->args[0]->kind != AST_KWARG && n->args[1]->kind != AST_KWARG) {
            int64_t a, b;
            bool oka = sema_fold_int(S, n->args[0], &a);
            bool okb = sema_fold_int(S, n->args[1], &b);
            if (!oka || !okb) return false;
            int_op(n->name[1] == 'i' ? OP_MIN : OP_MAX, a, b, out);
            return true;
        }
        break;
    default: break;
    }
    return diag_error(S->d, n->loc,
                      "expected an integer expression of parameters and literals");
}

/* ---- expressions ---- */

/* The context of a compute body. */
typedef struct ECtx {
    int stage;          /* index the stage will get */
    const char *sname;
    Node **vars;        /* lambda parameters (AST_NAME) */
    int nvars;
    int *red;           /* raxes indices listed in the reduction, in order */
    int nred;
    bool in_red;        /* checking the source of the reduction */
} ECtx;

/* A checked expression. A literal (an integer or float literal, an integer parameter, or
 * arithmetic of those) has no dtype yet: it takes the other operand's, as in TVM. */
typedef struct Val {
    Expr *e; /* NULL: an error was reported; for literals, materialised lazily */
    bool lit, isf;
    int64_t iv;
    double fv;
    Loc loc;
} Val;

static const Val BAD = {0};

static Expr *new_expr(Sema *S, ExprKind k, DType t, Loc loc) {
    Expr *e = ARENA_NEW(S->a, Expr);
    e->kind = k;
    e->dtype = t;
    e->loc = loc;
    return e;
}

static Val val(Expr *e) {
    return (Val){.e = e, .loc = e ? e->loc : (Loc){0, 0, 0}};
}

static Val lit_int(int64_t v, Loc loc) {
    return (Val){.e = NULL, .lit = true, .iv = v, .loc = loc};
}
static Val lit_float(double v, Loc loc) {
    return (Val){.e = NULL, .lit = true, .isf = true, .fv = v, .loc = loc};
}
static bool ok(Val v) {
    return v.lit || v.e;
}

static DType lit_default(Val v) {
    if (v.isf) return DT_FLOAT32;
    return v.iv >= INT32_MIN && v.iv <= INT32_MAX ? DT_INT32 : DT_INT64;
}

static bool int_fits(int64_t v, DType t) {
    switch (t) {
    case DT_BOOL: return v == 0 || v == 1;
    case DT_INT8: return v >= INT8_MIN && v <= INT8_MAX;
    case DT_INT16: return v >= INT16_MIN && v <= INT16_MAX;
    case DT_INT32: return v >= INT32_MIN && v <= INT32_MAX;
    case DT_UINT8: return v >= 0 && v <= UINT8_MAX;
    default: return true;
    }
}

/* A constant of dtype t from a literal value (or a folded cast); NULL after an error. */
static Expr *make_const(Sema *S, Loc loc, DType t, bool isf, int64_t iv, double fv, bool cast) {
    Expr *e = new_expr(S, EX_CONST, t, loc);
    if (dtype_is_float(t)) {
        double x = isf ? fv : (double)iv;
        if (t == DT_FLOAT32) x = (double)(float)x;
        if (!isfinite(x) && isfinite(isf ? fv : 0.0)) {
            diag_error(S->d, loc, "the literal %g does not fit in %s", fv, dtype_name(t));
            return NULL;
        }
        e->fval = x;
        return e;
    }
    int64_t v = iv;
    if (isf) {
        if (t == DT_BOOL) {
            e->ival = fv != 0.0;
            return e;
        }
        if (!cast) {
            diag_error(S->d, loc, "the float literal %g cannot become %s implicitly; cast it", fv,
                       dtype_name(t));
            return NULL;
        }
        if (!(fv > -9.3e18 && fv < 9.2e18)) {
            diag_error(S->d, loc, "the literal %g does not fit in %s", fv, dtype_name(t));
            return NULL;
        }
        v = (int64_t)fv; /* C conversion: toward zero */
    }
    if (t == DT_BOOL && cast) v = v != 0;
    if (!int_fits(v, t)) {
        diag_error(S->d, loc, "the literal %lld does not fit in %s", (long long)v, dtype_name(t));
        return NULL;
    }
    e->ival = v;
    return e;
}

/* The expression of v in dtype t: literals become constants, others get a cast if needed. */
static Expr *to_dtype(Sema *S, Val v, DType t) {
    if (v.lit) return make_const(S, v.loc, t, v.isf, v.iv, v.fv, false);
    if (!v.e || v.e->dtype == t) return v.e;
    Expr *c = new_expr(S, EX_CAST, t, v.e->loc);
    c->a = v.e;
    return c;
}

static Expr *materialise(Sema *S, Val v) {
    return v.lit ? to_dtype(S, v, lit_default(v)) : v.e;
}

/* Usual promotion of two operand dtypes: to float if either is, then to the wider. */
static DType promote(DType x, DType y) {
    if (x == y) return x;
    if (dtype_is_float(x) || dtype_is_float(y)) {
        if (dtype_is_float(x) && dtype_is_float(y)) return dtype_bits(x) >= dtype_bits(y) ? x : y;
        return dtype_is_float(x) ? x : y;
    }
    if (x == DT_BOOL) return y;
    if (y == DT_BOOL) return x;
    if (dtype_is_signed(x) == dtype_is_signed(y)) return dtype_bits(x) >= dtype_bits(y) ? x : y;
    /* uint8 with a signed type: a signed type that holds both */
    DType s = dtype_is_signed(x) ? x : y;
    return dtype_bits(s) >= 16 ? s : DT_INT16;
}

/* Give a and b one dtype (*t) following TVM: a literal takes the other operand's dtype (a float
 * literal with an integer operand makes both float32); otherwise promote(). */
static bool unify(Sema *S, Val *a, Val *b, DType *t) {
    if (a->lit && b->lit) {
        *t = promote(lit_default(*a), lit_default(*b));
    } else if (a->lit || b->lit) {
        Val *l = a->lit ? a : b, *o = a->lit ? b : a;
        DType ot = o->e->dtype;
        if (l->isf && !dtype_is_float(ot)) *t = DT_FLOAT32;
        else if (ot == DT_BOOL) *t = promote(lit_default(*l), DT_BOOL);
        else *t = ot;
    } else {
        *t = promote(a->e->dtype, b->e->dtype);
    }
    Expr *ea = to_dtype(S, *a, *t), *eb = to_dtype(S, *b, *t);
    if (!ea || !eb) return false;
    *a = val(ea);
    *b = val(eb);
    return true;
}

static DType val_dtype(Val v) {
    return v.lit ? lit_default(v) : v.e->dtype;
}

static Val check(Sema *S, ECtx *C, const Node *n);

static bool no_kwargs(Sema *S, const Node *n) {
    for (int i = 0; i < n->nargs; i++)
        if (n->args[i]->kind == AST_KWARG)
            return diag_error(S->d, n->args[i]->loc, "%s() takes no keyword argument '%s'",
                              n->name, n->args[i]->name);
    return true;
}

static bool arity(Sema *S, const Node *n, int want) {
    if (!no_kwargs(S, n)) return false;
    if (n->nargs != want)
        return diag_error(S->d, n->loc, "%s() takes %d argument%s, got %d", n->name, want,
                          want == 1 ? "" : "s", n->nargs);
    return true;
}

static Val binary(Sema *S, Op op, Val a, Val b, Loc loc) {
    bool arith = op <= OP_MOD || op == OP_MIN || op == OP_MAX || op == OP_POW;
    bool logic = op == OP_AND || op == OP_OR;
    if (logic) {
        if (val_dtype(a) != DT_BOOL || val_dtype(b) != DT_BOOL) {
            diag_error(S->d, loc, "operands of '%s' must be bool, got %s and %s", op_name(op),
                       dtype_name(val_dtype(a)), dtype_name(val_dtype(b)));
            return BAD;
        }
        Expr *e = new_expr(S, EX_BINARY, DT_BOOL, loc);
        e->op = op;
        e->a = a.e;
        e->b = b.e;
        return val(e);
    }
    /* literal arithmetic folds to a literal, as Python arithmetic on TVM constants does */
    if (a.lit && b.lit && op <= OP_MOD) {
        if (!a.isf && !b.isf) {
            int64_t r;
            const char *err = int_op(op, a.iv, b.iv, &r);
            if (err) {
                diag_error(S->d, loc, "%s in constant expression", err);
                return BAD;
            }
            return lit_int(r, loc);
        }
        double x = a.isf ? a.fv : (double)a.iv, y = b.isf ? b.fv : (double)b.iv, r = 0;
        switch (op) {
        case OP_ADD: r = x + y; break;
        case OP_SUB: r = x - y; break;
        case OP_MUL: r = x * y; break;
        case OP_DIV:
            if (y == 0) {
                diag_error(S->d, loc, "division by zero in constant expression");
                return BAD;
            }
            r = x / y;
            break;
        default:
            diag_error(S->d, loc, "'%%' needs integer operands");
            return BAD;
        }
        return lit_float(r, loc);
    }
    if (a.lit && b.lit && (op == OP_MIN || op == OP_MAX) && !a.isf && !b.isf) {
        int64_t r;
        int_op(op, a.iv, b.iv, &r);
        return lit_int(r, loc);
    }
    if (arith && (val_dtype(a) == DT_BOOL || val_dtype(b) == DT_BOOL)) {
        diag_error(S->d, loc, "'%s' needs numbers, got %s and %s (cast bools with int32(...))",
                   op_name(op), dtype_name(val_dtype(a)), dtype_name(val_dtype(b)));
        return BAD;
    }
    DType t;
    if (!unify(S, &a, &b, &t)) return BAD;
    if (op == OP_MOD && dtype_is_float(t)) {
        diag_error(S->d, loc, "'%%' needs integer operands, got %s", dtype_name(t));
        return BAD;
    }
    if (op == OP_POW && !dtype_is_float(t)) {
        diag_error(S->d, loc, "pow() needs float operands, got %s (cast with float32(...))",
                   dtype_name(t));
        return BAD;
    }
    if ((op == OP_LT || op == OP_LE || op == OP_GT || op == OP_GE) && t == DT_BOOL) {
        diag_error(S->d, loc, "'%s' cannot compare bools", op_name(op));
        return BAD;
    }
    bool cmp = op >= OP_LT && op <= OP_NE;
    Expr *e = new_expr(S, EX_BINARY, cmp ? DT_BOOL : t, loc);
    e->op = op;
    e->a = a.e;
    e->b = b.e;
    return val(e);
}

static const char *const MATH[] = {"exp", "log", "sqrt", "tanh", "abs", "floor", "ceil"};

static Val check_call(Sema *S, ECtx *C, const Node *n) {
    const char *f = n->name;
    Sym *sym = sema_lookup(S, f);
    DType cast = dtype_from_name(f);
    if (cast == DT_NONE && sym && sym->kind == SYM_PARAM_DTYPE) cast = S->in->params[sym->index].dtype;
    if (cast != DT_NONE) {
        if (!arity(S, n, 1)) return BAD;
        Val v = check(S, C, n->args[0]);
        if (!ok(v)) return BAD;
        if (v.lit) return val(make_const(S, n->loc, cast, v.isf, v.iv, v.fv, true));
        if (v.e->dtype == cast) return v;
        Expr *e = new_expr(S, EX_CAST, cast, n->loc);
        e->a = v.e;
        return val(e);
    }
    for (int fn = 0; fn < (int)(sizeof MATH / sizeof *MATH); fn++) {
        if (strcmp(f, MATH[fn]) != 0) continue;
        if (!arity(S, n, 1)) return BAD;
        Val v = check(S, C, n->args[0]);
        if (!ok(v)) return BAD;
        Expr *a;
        if (v.lit) {
            a = to_dtype(S, v, fn == FN_ABS && !v.isf ? lit_default(v) : DT_FLOAT32);
            if (!a) return BAD;
        } else {
            a = v.e;
            if (!dtype_is_float(a->dtype) && !(fn == FN_ABS && dtype_is_int(a->dtype))) {
                diag_error(S->d, n->args[0]->loc, "%s() needs a float argument, got %s "
                           "(cast with float32(...))", f, dtype_name(a->dtype));
                return BAD;
            }
        }
        Expr *e = new_expr(S, EX_CALL, a->dtype, n->loc);
        e->fn = (MathFn)fn;
        e->a = a;
        return val(e);
    }
    if (strcmp(f, "max") == 0 || strcmp(f, "min") == 0 || strcmp(f, "pow") == 0) {
        if (!arity(S, n, 2)) return BAD;
        Val a = check(S, C, n->args[0]), b = check(S, C, n->args[1]);
        if (!ok(a) || !ok(b)) return BAD;
        Op op = f[0] == 'p' ? OP_POW : f[1] == 'a' ? OP_MAX : OP_MIN;
        if (op == OP_POW && a.lit && b.lit) { /* pow of two literals: float32 */
            a = val(to_dtype(S, a, DT_FLOAT32));
            b = val(to_dtype(S, b, DT_FLOAT32));
            if (!a.e || !b.e) return BAD;
        }
        return binary(S, op, a, b, n->loc);
    }
    if (strcmp(f, "select") == 0) {
        if (!arity(S, n, 3)) return BAD;
        Val c = check(S, C, n->args[0]);
        Val a = check(S, C, n->args[1]), b = check(S, C, n->args[2]);
        if (!ok(c) || !ok(a) || !ok(b)) return BAD;
        if (val_dtype(c) != DT_BOOL || c.lit) {
            diag_error(S->d, n->args[0]->loc, "the condition of select() must be bool, got %s",
                       dtype_name(val_dtype(c)));
            return BAD;
        }
        DType t;
        if (!unify(S, &a, &b, &t)) return BAD;
        Expr *e = new_expr(S, EX_SELECT, t, n->loc);
        e->a = c.e;
        e->b = a.e;
        e->c = b.e;
        return val(e);
    }
    if (strcmp(f, "sum") == 0 || strcmp(f, "reduce_max") == 0 || strcmp(f, "reduce_min") == 0) {
        diag_error(S->d, n->loc, "a reduction must be the whole body of a compute");
        return BAD;
    }
    if (strcmp(f, "placeholder") == 0 || strcmp(f, "compute") == 0 ||
        strcmp(f, "reduce_axis") == 0 || strcmp(f, "cache_write") == 0) {
        diag_error(S->d, n->loc, "%s() cannot be used inside an expression", f);
        return BAD;
    }
    if (sym && sym->kind == SYM_STAGE) {
        diag_error(S->d, n->loc, "'%s' is a tensor: read it with %s[...]", f, f);
        return BAD;
    }
    diag_error(S->d, n->loc, "unknown function '%s'", f);
    return BAD;
}

/* An index expression of a tensor read: int32 or int64. */
static Expr *check_index(Sema *S, ECtx *C, const Node *n, const char *tensor, int dim) {
    Val v = check(S, C, n);
    if (!ok(v)) return NULL;
    if (v.lit) {
        if (v.isf) {
            diag_error(S->d, n->loc, "index %d of %s must be an integer, got a float", dim + 1,
                       tensor);
            return NULL;
        }
        return to_dtype(S, v, lit_default(v));
    }
    DType t = v.e->dtype;
    if (!dtype_is_int(t)) {
        diag_error(S->d, n->loc, "index %d of %s must be an integer, got %s", dim + 1, tensor,
                   dtype_name(t));
        return NULL;
    }
    return t == DT_INT64 || t == DT_INT32 ? v.e : to_dtype(S, v, DT_INT32);
}

static Val check(Sema *S, ECtx *C, const Node *n) {
    switch (n->kind) {
    case AST_INT: return lit_int(n->ival, n->loc);
    case AST_FLOAT: return lit_float(n->fval, n->loc);
    case AST_NAME: {
        for (int i = 0; i < C->nvars; i++) {
            if (strcmp(C->vars[i]->name, n->name) == 0) {
                Expr *e = new_expr(S, EX_VAR, DT_INT32, n->loc);
                e->axis = i;
                return val(e);
            }
        }
        Sym *s = sema_lookup(S, n->name);
        if (!s) {
            if (dtype_from_name(n->name) != DT_NONE)
                diag_error(S->d, n->loc, "'%s' is a dtype, not a value (a cast is %s(x))",
                           n->name, n->name);
            else
                sema_unknown(S, "name", n->name, n->loc);
            return BAD;
        }
        switch (s->kind) {
        case SYM_BAD: return BAD;
        case SYM_PARAM_INT: return lit_int(S->in->params[s->index].ival, n->loc);
        case SYM_PARAM_DTYPE:
            diag_error(S->d, n->loc, "'%s' is a dtype parameter, not a value", n->name);
            return BAD;
        case SYM_RAXIS:
            for (int i = 0; i < C->nred; i++) {
                if (C->red[i] == s->index && C->in_red) {
                    Expr *e = new_expr(S, EX_VAR, DT_INT32, n->loc);
                    e->axis = C->nvars + i;
                    return val(e);
                }
            }
            if (C->in_red)
                diag_error(S->d, n->loc, "reduce axis '%s' is not one this reduction runs over: "
                           "list it in the reduction", n->name);
            else
                diag_error(S->d, n->loc, "reduce axis '%s' used outside a reduction", n->name);
            return BAD;
        case SYM_STAGE:
        case SYM_CACHE:
            diag_error(S->d, n->loc, "'%s' is a tensor: read an element with %s[...]", n->name,
                       n->name);
            return BAD;
        case SYM_KNOB:
            diag_error(S->d, n->loc, "'%s' is a knob: knobs are used in schedule statements only",
                       n->name);
            return BAD;
        }
        return BAD;
    }
    case AST_INDEX: {
        Sym *s = sema_lookup(S, n->name);
        if (!s) {
            if (strcmp(n->name, C->sname) == 0)
                diag_error(S->d, n->loc, "stage '%s' reads itself", n->name);
            else
                sema_unknown(S, "tensor", n->name, n->loc);
            return BAD;
        }
        if (s->kind == SYM_BAD) return BAD;
        if (s->kind != SYM_STAGE) {
            diag_error(S->d, n->loc, "'%s' is not a tensor", n->name);
            return BAD;
        }
        const Stage *st = &S->in->stages[s->index];
        if (n->nargs != st->ndim) {
            diag_error(S->d, n->loc, "%s has %d dimension%s, but %d ind%s given", n->name,
                       st->ndim, st->ndim == 1 ? "" : "s", n->nargs,
                       n->nargs == 1 ? "ex is" : "ices are");
            return BAD;
        }
        Expr *e = new_expr(S, EX_LOAD, st->dtype, n->loc);
        e->stage = s->index;
        e->nargs = n->nargs;
        e->args = ARENA_ARRAY(S->a, Expr *, n->nargs);
        bool good = true;
        for (int i = 0; i < n->nargs; i++) {
            e->args[i] = check_index(S, C, n->args[i], n->name, i);
            good = good && e->args[i];
        }
        return good ? val(e) : BAD;
    }
    case AST_CALL: return check_call(S, C, n);
    case AST_UNARY: {
        Val v = check(S, C, n->lhs);
        if (!ok(v)) return BAD;
        if (n->op == OP_NEG) {
            if (v.lit) {
                if (v.isf) return lit_float(-v.fv, n->loc);
                if (v.iv == INT64_MIN) {
                    diag_error(S->d, n->loc, "integer overflow in constant expression");
                    return BAD;
                }
                return lit_int(-v.iv, n->loc);
            }
            if (v.e->dtype == DT_BOOL) {
                diag_error(S->d, n->loc, "unary '-' needs a number, got bool");
                return BAD;
            }
        } else if (val_dtype(v) != DT_BOOL) {
            diag_error(S->d, n->loc, "'!' needs a bool operand, got %s", dtype_name(val_dtype(v)));
            return BAD;
        }
        Expr *e = new_expr(S, EX_UNARY, v.e->dtype, n->loc);
        e->op = n->op;
        e->a = v.e;
        return val(e);
    }
    case AST_BINARY: {
        Val a = check(S, C, n->lhs), b = check(S, C, n->rhs);
        if (!ok(a) || !ok(b)) return BAD;
        return binary(S, n->op, a, b, n->loc);
    }
    case AST_TUPLE: diag_error(S->d, n->loc, "a tuple is not a value"); return BAD;
    case AST_LIST: diag_error(S->d, n->loc, "a list is not a value"); return BAD;
    case AST_LAMBDA: diag_error(S->d, n->loc, "a lambda can only be the body of a compute"); return BAD;
    case AST_KWARG:
        diag_error(S->d, n->loc, "keyword argument '%s' is not a value", n->name);
        return BAD;
    }
    return BAD;
}

/* ---- stages ---- */

/* The dtype argument of placeholder/compute: a dtype name or a dtype parameter. */
static DType check_dtype_arg(Sema *S, const Node *n) {
    if (n->kind == AST_NAME) {
        DType t = dtype_from_name(n->name);
        if (t != DT_NONE) return t;
        Sym *s = sema_lookup(S, n->name);
        if (s && s->kind == SYM_PARAM_DTYPE) return S->in->params[s->index].dtype;
        if (s && s->kind == SYM_BAD) return DT_NONE;
        if (!s) {
            diag_error(S->d, n->loc, "unknown dtype '%s'", n->name);
            return DT_NONE;
        }
    }
    diag_error(S->d, n->loc, "expected a dtype (float32, int32, ... or a dtype parameter)");
    return DT_NONE;
}

/* A shape: a tuple of positive integer expressions, or one expression (rank 1). */
static bool check_shape(Sema *S, const Node *n, const char *tensor, int64_t **shape, int *ndim) {
    Node *const *elems = n->kind == AST_TUPLE ? n->args : (Node *const *)&n;
    int k = n->kind == AST_TUPLE ? n->nargs : 1;
    if (k == 0) return diag_error(S->d, n->loc, "%s needs at least one dimension", tensor);
    *shape = ARENA_ARRAY(S->a, int64_t, k);
    *ndim = k;
    bool good = true;
    int64_t total = 1;
    for (int i = 0; i < k; i++) {
        int64_t v;
        if (!sema_fold_int(S, elems[i], &v)) {
            good = false;
            continue;
        }
        if (v <= 0) {
            good = diag_error(S->d, elems[i]->loc,
                              "extent of dimension %d of %s must be positive, got %lld", i + 1,
                              tensor, (long long)v);
            continue;
        }
        if (v > INT32_MAX) {
            good = diag_error(S->d, elems[i]->loc, "extent %lld of %s is too large (at most %d)",
                              (long long)v, tensor, INT32_MAX);
            continue;
        }
        (*shape)[i] = v;
        if (good && (mul_ovf(total, v, &total) || total > ((int64_t)1 << 48)))
            good = diag_error(S->d, n->loc, "%s has too many elements", tensor);
    }
    return good;
}

static int add_stage(Sema *S, const Stage *st) {
    Inst *in = S->in;
    if (in->nstages == S->capstages) {
        int cap = S->capstages ? 2 * S->capstages : 8;
        in->stages = arena_grow(S->a, in->stages, (size_t)S->capstages, (size_t)cap, sizeof(Stage));
        S->capstages = cap;
    }
    in->stages[in->nstages] = *st;
    return in->nstages++;
}

/* Positional arguments and `dtype = ...` of placeholder/compute. */
static bool split_args(Sema *S, const Node *call, const Node **pos, int maxpos, int *npos,
                       const Node **dtype) {
    *npos = 0;
    *dtype = NULL;
    for (int i = 0; i < call->nargs; i++) {
        const Node *a = call->args[i];
        if (a->kind == AST_KWARG) {
            if (strcmp(a->name, "dtype") != 0 || *dtype)
                return diag_error(S->d, a->loc, "%s() takes no keyword argument '%s'", call->name,
                                  a->name);
            *dtype = a->lhs;
        } else if (*npos == maxpos) {
            return diag_error(S->d, a->loc, "%s() takes at most %d arguments", call->name,
                              maxpos);
        } else {
            pos[(*npos)++] = a;
        }
    }
    if (*npos == maxpos && *dtype)
        return diag_error(S->d, (*dtype)->loc, "dtype given twice");
    return true;
}

static void def_placeholder(Sema *S, const Stmt *st, const Node *call) {
    const Node *pos[2], *dt;
    int npos;
    bool good = split_args(S, call, pos, 2, &npos, &dt);
    if (good && npos == 0) good = diag_error(S->d, call->loc, "placeholder() needs a shape");
    Stage s = {.name = st->name.name, .loc = st->name.loc, .kind = STAGE_PLACEHOLDER,
               .dtype = DT_FLOAT32, .arg_index = -1};
    if (good && !check_shape(S, pos[0], s.name, &s.shape, &s.ndim)) good = false;
    if (npos == 2) dt = pos[1];
    if (good && dt && (s.dtype = check_dtype_arg(S, dt)) == DT_NONE) good = false;
    if (!good) return define_bad(S, s.name, s.loc);
    int idx = add_stage(S, &s);
    if (!sema_define(S, s.name, s.loc, SYM_STAGE, idx)) S->in->nstages--;
}

static void def_reduce_axis(Sema *S, const Stmt *st, const Node *call) {
    const char *name = st->name.name;
    bool good = no_kwargs(S, call);
    const Node *lo = NULL, *hi = NULL;
    if (good && call->nargs == 1 && call->args[0]->kind == AST_TUPLE && call->args[0]->nargs == 2) {
        lo = call->args[0]->args[0];
        hi = call->args[0]->args[1];
    } else if (good && call->nargs == 2) {
        lo = call->args[0];
        hi = call->args[1];
    } else if (good) {
        good = diag_error(S->d, call->loc, "reduce_axis takes a range: reduce_axis(begin, end)");
    }
    int64_t a = 0, b = 0;
    if (good) {
        bool oka = sema_fold_int(S, lo, &a), okb = sema_fold_int(S, hi, &b);
        good = oka && okb;
    }
    if (good && b <= a)
        good = diag_error(S->d, call->loc, "reduce axis '%s' is empty: [%lld, %lld)", name,
                          (long long)a, (long long)b);
    if (good && (b - a > INT32_MAX || a < INT32_MIN || b > INT32_MAX))
        good = diag_error(S->d, call->loc, "reduce axis '%s' is too long", name);
    if (!good) return define_bad(S, name, st->name.loc);
    if (S->nraxes == S->capraxes) {
        int cap = S->capraxes ? 2 * S->capraxes : 8;
        S->raxes = arena_grow(S->a, S->raxes, (size_t)S->capraxes, (size_t)cap, sizeof(RAxis));
        S->capraxes = cap;
    }
    S->raxes[S->nraxes] = (RAxis){name, st->name.loc, a, b - a};
    if (sema_define(S, name, st->name.loc, SYM_RAXIS, S->nraxes)) S->nraxes++;
}

/* The reduce axes of `sum(e, k1, k2)`, `sum(e, [k1, k2])` or `sum(e, axis = k)`. */
static bool reduce_axes(Sema *S, const Node *call, ECtx *C) {
    C->red = ARENA_ARRAY(S->a, int, 16);
    int cap = 16;
    bool good = true;
    for (int i = 1; i < call->nargs; i++) {
        const Node *a = call->args[i];
        if (a->kind == AST_KWARG) {
            if (strcmp(a->name, "axis") != 0) {
                good = diag_error(S->d, a->loc, "%s() takes no keyword argument '%s'", call->name,
                                  a->name);
                continue;
            }
            a = a->lhs;
        }
        Node *const *names = a->kind == AST_LIST || a->kind == AST_TUPLE ? a->args : (Node *const *)&a;
        int k = a->kind == AST_LIST || a->kind == AST_TUPLE ? a->nargs : 1;
        for (int j = 0; j < k; j++) {
            const Node *m = names[j];
            if (m->kind != AST_NAME) {
                good = diag_error(S->d, m->loc, "expected a reduce axis");
                continue;
            }
            Sym *s = sema_lookup(S, m->name);
            if (!s) {
                sema_unknown(S, "reduce axis", m->name, m->loc);
                good = false;
                continue;
            }
            if (s->kind == SYM_BAD) {
                good = false;
                continue;
            }
            if (s->kind != SYM_RAXIS) {
                good = diag_error(S->d, m->loc, "'%s' is not a reduce axis", m->name);
                continue;
            }
            bool dup = false;
            for (int q = 0; q < C->nred; q++) dup = dup || C->red[q] == s->index;
            if (dup) {
                good = diag_error(S->d, m->loc, "reduce axis '%s' listed twice", m->name);
                continue;
            }
            if (C->nred == cap) {
                C->red = arena_grow(S->a, C->red, (size_t)cap, (size_t)cap * 2, sizeof(int));
                cap *= 2;
            }
            C->red[C->nred++] = s->index;
        }
    }
    if (good && C->nred == 0)
        good = diag_error(S->d, call->loc, "%s() needs at least one reduce axis", call->name);
    return good;
}

static bool is_reduction(const Node *n) {
    return n->kind == AST_CALL && (strcmp(n->name, "sum") == 0 || strcmp(n->name, "reduce_max") == 0 ||
                                   strcmp(n->name, "reduce_min") == 0);
}

static void def_compute(Sema *S, const Stmt *st, const Node *call) {
    const char *name = st->name.name;
    const Node *pos[3], *dt;
    int npos;
    bool good = split_args(S, call, pos, 3, &npos, &dt);
    if (good && npos < 2)
        good = diag_error(S->d, call->loc, "compute() needs a shape and a lambda: "
                          "compute((N, M), (i, j) => ...)");
    if (!good) return define_bad(S, name, st->name.loc);
    if (npos == 3) dt = pos[2];
    Stage s = {.name = name, .loc = st->name.loc, .kind = STAGE_COMPUTE, .arg_index = -1};
    good = check_shape(S, pos[0], name, &s.shape, &s.ndim);
    DType want = DT_NONE;
    if (dt && (want = check_dtype_arg(S, dt)) == DT_NONE) good = false;
    const Node *lam = pos[1];
    if (lam->kind != AST_LAMBDA) {
        diag_error(S->d, lam->loc, "expected a lambda: (i, j) => expression");
        return define_bad(S, name, st->name.loc);
    }
    if (good && lam->nargs != s.ndim) {
        diag_error(S->d, lam->loc, "the lambda takes %d variable%s but %s has %d dimension%s",
                   lam->nargs, lam->nargs == 1 ? "" : "s", name, s.ndim, s.ndim == 1 ? "" : "s");
        return define_bad(S, name, st->name.loc);
    }
    for (int i = 0; i < lam->nargs; i++) {
        const Node *v = lam->args[i];
        if (v->kind != AST_NAME) {
            good = diag_error(S->d, v->loc, "a lambda parameter must be a name");
            continue;
        }
        for (int j = 0; j < i; j++)
            if (lam->args[j]->kind == AST_NAME && strcmp(lam->args[j]->name, v->name) == 0)
                good = diag_error(S->d, v->loc, "lambda variable '%s' appears twice", v->name);
        Sym *o = sema_lookup(S, v->name);
        if (o) {
            diag_error(S->d, v->loc, "lambda variable '%s' hides the name defined at %d:%d",
                       v->name, o->loc.line, o->loc.col);
            good = false;
        } else if (dtype_from_name(v->name) != DT_NONE) {
            good = diag_error(S->d, v->loc, "'%s' is a dtype name and cannot name a variable",
                              v->name);
        }
    }
    if (!good) return define_bad(S, name, st->name.loc);

    ECtx C = {.stage = S->in->nstages, .sname = name, .vars = lam->args, .nvars = lam->nargs};
    const Node *body = lam->lhs;
    Expr *root;
    if (is_reduction(body)) {
        if (body->nargs < 1 || body->args[0]->kind == AST_KWARG) {
            diag_error(S->d, body->loc, "%s() needs an expression to reduce", body->name);
            return define_bad(S, name, st->name.loc);
        }
        if (!reduce_axes(S, body, &C)) return define_bad(S, name, st->name.loc);
        C.in_red = true;
        Val v = check(S, &C, body->args[0]);
        if (!ok(v)) return define_bad(S, name, st->name.loc);
        Expr *src = want != DT_NONE ? to_dtype(S, v, want) : materialise(S, v);
        if (!src) return define_bad(S, name, st->name.loc);
        if (src->dtype == DT_BOOL) {
            diag_error(S->d, body->args[0]->loc, "%s() over bool values: cast them to a number",
                       body->name);
            return define_bad(S, name, st->name.loc);
        }
        root = new_expr(S, EX_REDUCE, src->dtype, body->loc);
        root->rop = body->name[0] == 's' ? RED_SUM : body->name[7] == 'a' ? RED_MAX : RED_MIN;
        root->a = src;
    } else {
        Val v = check(S, &C, body);
        if (!ok(v)) return define_bad(S, name, st->name.loc);
        root = want != DT_NONE ? to_dtype(S, v, want) : materialise(S, v);
        if (!root) return define_bad(S, name, st->name.loc);
    }
    s.dtype = root->dtype;
    s.body = root;
    s.nreduce = C.nred;
    s.axes = ARENA_ARRAY(S->a, Axis, s.ndim + C.nred);
    for (int i = 0; i < s.ndim; i++)
        s.axes[i] = (Axis){lam->args[i]->name, lam->args[i]->loc, 0, s.shape[i], false};
    for (int i = 0; i < C.nred; i++) {
        const RAxis *r = &S->raxes[C.red[i]];
        s.axes[s.ndim + i] = (Axis){r->name, r->loc, r->min, r->extent, true};
    }
    int idx = add_stage(S, &s);
    if (!sema_define(S, name, s.loc, SYM_STAGE, idx)) S->in->nstages--;
}

static void def_assign(Sema *S, const Stmt *st) {
    const Node *v = st->value;
    const char *f = v->kind == AST_CALL ? v->name : "";
    if (strcmp(f, "placeholder") == 0) return def_placeholder(S, st, v);
    if (strcmp(f, "compute") == 0) return def_compute(S, st, v);
    if (strcmp(f, "reduce_axis") == 0) return def_reduce_axis(S, st, v);
    if (strcmp(f, "cache_write") == 0)
        diag_error(S->d, st->loc, "cache_write() belongs in the schedule block of the stage it "
                   "caches: schedule C { %s = cache_write() }", st->name.name);
    else
        diag_error(S->d, v->loc, "expected placeholder(...), compute(...) or reduce_axis(...)");
    define_bad(S, st->name.name, st->name.loc);
}

/* ---- parameters ---- */

/* Does a default value name a dtype (a dtype name or an earlier dtype parameter)? */
static bool is_dtype_node(Sema *S, const Node *n) {
    if (n->kind != AST_NAME) return false;
    if (dtype_from_name(n->name) != DT_NONE) return true;
    Sym *s = sema_lookup(S, n->name);
    return s && s->kind == SYM_PARAM_DTYPE;
}

static bool parse_int(const char *s, int64_t *out) {
    if (!*s) return false;
    errno = 0;
    char *end;
    long long v = strtoll(s, &end, 10);
    if (*end || errno) return false;
    for (const char *p = s; *p; p++)
        if (!(*p == '-' || *p == '+' || (*p >= '0' && *p <= '9'))) return false;
    *out = v;
    return true;
}

static void bind_params(Sema *S, const Define *defs, int ndefs) {
    const Template *t = S->t;
    Inst *in = S->in;
    in->nparams = t->nparams;
    in->params = ARENA_ARRAY(S->a, ParamVal, t->nparams);
    for (int i = 0; i < t->nparams; i++) {
        const Param *p = &t->params[i];
        ParamVal *pv = &in->params[i];
        pv->name = p->name.name;
        const Define *def = NULL;
        for (int j = 0; j < ndefs; j++)
            if (strcmp(defs[j].name, p->name.name) == 0) def = &defs[j]; /* the last one wins */
        bool good = true;
        if (def) {
            DType t2 = dtype_from_name(def->value);
            int64_t v;
            if (t2 != DT_NONE) {
                pv->is_dtype = true;
                pv->dtype = t2;
            } else if (parse_int(def->value, &v)) {
                pv->ival = v;
            } else {
                good = diag_error(S->d, p->name.loc, "-D %s=%s: expected an integer or a dtype name",
                                  def->name, def->value);
            }
            if (good && p->def && is_dtype_node(S, p->def) != pv->is_dtype)
                good = diag_error(S->d, p->name.loc, "-D %s=%s: parameter '%s' is %s by its default",
                                  def->name, def->value, p->name.name,
                                  pv->is_dtype ? "an integer" : "a dtype");
        } else if (p->def) {
            if (is_dtype_node(S, p->def)) {
                pv->is_dtype = true;
                pv->dtype = check_dtype_arg(S, p->def);
                good = pv->dtype != DT_NONE;
            } else {
                good = sema_fold_int(S, p->def, &pv->ival);
            }
        } else {
            good = diag_error(S->d, p->name.loc, "parameter '%s' has no value: give it with -D %s=VALUE",
                              p->name.name, p->name.name);
        }
        if (good)
            sema_define(S, p->name.name, p->name.loc, pv->is_dtype ? SYM_PARAM_DTYPE : SYM_PARAM_INT, i);
        else
            define_bad(S, p->name.name, p->name.loc);
    }
    for (int j = 0; j < ndefs; j++) {
        bool known = false, seen = false;
        for (int i = 0; i < t->nparams; i++) known = known || strcmp(defs[j].name, t->params[i].name.name) == 0;
        for (int k = 0; k < j; k++) seen = seen || strcmp(defs[j].name, defs[k].name) == 0;
        if (!known && !seen)
            diag_error(S->d, t->name.loc, "template '%s' has no parameter '%s' (-D %s=%s)",
                       t->name.name, defs[j].name, defs[j].name, defs[j].value);
    }
}

/* ---- outputs and kernel arguments ---- */

static void mark_reads(const Expr *e, bool *read) {
    if (!e) return;
    if (e->kind == EX_LOAD) {
        read[e->stage] = true;
        for (int i = 0; i < e->nargs; i++) mark_reads(e->args[i], read);
    }
    mark_reads(e->a, read);
    mark_reads(e->b, read);
    mark_reads(e->c, read);
}

static bool c_keyword(const char *s) {
    static const char *const kw[] = {
        "auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else",
        "enum", "extern", "float", "for", "goto", "if", "inline", "int", "long", "register",
        "restrict", "return", "short", "signed", "sizeof", "static", "struct", "switch",
        "typedef", "union", "unsigned", "void", "volatile", "while", "bool", "true", "false",
        "main", "_Bool", "_Complex", "_Imaginary", "_Alignas", "_Alignof", "_Atomic",
        "_Generic", "_Noreturn", "_Static_assert", "_Thread_local"};
    for (size_t i = 0; i < sizeof kw / sizeof *kw; i++)
        if (strcmp(s, kw[i]) == 0) return true;
    return false;
}

static void kernel_args(Sema *S) {
    Inst *in = S->in;
    bool *read = ARENA_ARRAY(S->a, bool, in->nstages + 1);
    for (int i = 0; i < in->nstages; i++) mark_reads(in->stages[i].body, read);
    in->args = ARENA_ARRAY(S->a, int, in->nstages + 1);
    bool any = false;
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < in->nstages; i++) {
            Stage *s = &in->stages[i];
            if (pass == 0 && s->kind != STAGE_PLACEHOLDER) continue;
            if (pass == 1 && (s->kind != STAGE_COMPUTE || read[i])) continue;
            s->is_output = pass == 1;
            any = any || pass == 1;
            if (c_keyword(s->name)) {
                diag_error(S->d, s->loc, "'%s' is a keyword of C and cannot name a kernel argument",
                           s->name);
                continue;
            }
            s->arg_index = in->nargs;
            in->args[in->nargs++] = i;
        }
    }
    if (!any) diag_error(S->d, S->t->name.loc, "template '%s' computes nothing: it has no compute "
                         "stage", S->t->name.name);
}

/* ---- the template ---- */

static void add_later(Sema *S, const char *name, Loc loc, bool knob, int *cap) {
    if (S->nlater == *cap) {
        S->later = arena_grow(S->a, S->later, (size_t)*cap, (size_t)(*cap ? *cap * 2 : 16), sizeof(Later));
        *cap = *cap ? *cap * 2 : 16;
    }
    S->later[S->nlater++] = (Later){name, loc, knob};
}

static void prescan(Sema *S) {
    int cap = 0;
    for (int i = 0; i < S->t->nbody; i++) {
        const Stmt *st = S->t->body[i];
        if (st->kind == STMT_ASSIGN) add_later(S, st->name.name, st->name.loc, false, &cap);
        if (st->kind != STMT_SCHEDULE) continue;
        for (int j = 0; j < st->nbody; j++) {
            const Stmt *b = st->body[j];
            if (b->kind == STMT_KNOB) add_later(S, b->name.name, b->name.loc, true, &cap);
            if (b->kind == STMT_ASSIGN) add_later(S, b->name.name, b->name.loc, false, &cap);
        }
    }
}

static const char *stmt_word(StmtKind k) {
    switch (k) {
    case STMT_KNOB: return "knob";
    case STMT_SPLIT: return "split";
    case STMT_FUSE: return "fuse";
    case STMT_REORDER: return "reorder";
    case STMT_VECTORIZE: return "vectorize";
    case STMT_UNROLL: return "unroll";
    case STMT_PARALLEL: return "parallel";
    case STMT_ANNOTATE: return "annotate";
    case STMT_COMPUTE_AT: return "compute_at";
    case STMT_COMPUTE_INLINE: return "compute_inline";
    default: return "this statement";
    }
}

static const Template *pick(Diag *d, const Program *p, const char *tname) {
    for (int i = 0; i < p->ntemplates; i++)
        for (int j = 0; j < i; j++)
            if (strcmp(p->templates[i]->name.name, p->templates[j]->name.name) == 0) {
                diag_error(d, p->templates[i]->name.loc, "redefinition of template '%s'",
                           p->templates[i]->name.name);
                diag_note(d, p->templates[j]->name.loc, "first defined here");
            }
    if (p->ntemplates == 0) {
        diag_error(d, (Loc){0, 0, 0}, "the file has no template");
        return NULL;
    }
    if (!tname && p->ntemplates == 1) return p->templates[0];
    if (tname)
        for (int i = 0; i < p->ntemplates; i++)
            if (strcmp(p->templates[i]->name.name, tname) == 0) return p->templates[i];
    /* list the names for the message */
    size_t len = 1;
    for (int i = 0; i < p->ntemplates; i++) len += strlen(p->templates[i]->name.name) + 2;
    char *names = malloc(len);
    if (!names) return NULL;
    names[0] = 0;
    for (int i = 0; i < p->ntemplates; i++) {
        if (i) strcat(names, ", ");
        strcat(names, p->templates[i]->name.name);
    }
    if (tname)
        diag_error(d, (Loc){0, 0, 0}, "no template named '%s' in the file (it has: %s)", tname,
                   names);
    else
        diag_error(d, (Loc){0, 0, 0}, "the file has several templates, pick one with -t: %s", names);
    free(names);
    return NULL;
}

Inst *sema_bind(Arena *a, Diag *d, const Program *p, const char *tname, const Define *defs,
                int ndefs) {
    int errors0 = d->nerrors;
    const Template *t = pick(d, p, tname);
    if (!t) return NULL;
    Sema S = {.a = a, .d = d, .t = t};
    S.in = ARENA_NEW(a, Inst);
    S.in->name = t->name.name;
    prescan(&S);
    bind_params(&S, defs, ndefs);
    for (int i = 0; i < t->nbody && !diag_full(d); i++) {
        const Stmt *st = t->body[i];
        if (st->kind == STMT_ASSIGN) def_assign(&S, st);
        else if (st->kind != STMT_SCHEDULE)
            diag_error(d, st->loc, "'%s' is a schedule statement: put it inside a schedule block, "
                       "schedule C { ... }", stmt_word(st->kind));
    }
    if (diag_full(d)) return NULL;
    if (c_keyword(t->name.name))
        diag_error(d, t->name.loc, "'%s' is a keyword of C and cannot name a kernel",
                   t->name.name);
    kernel_args(&S);
    S.outputs_known = d->nerrors == errors0;
    if (!diag_full(d)) sema_schedules(&S);
    return d->nerrors == errors0 ? S.in : NULL;
}
