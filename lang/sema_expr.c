/* Expressions of compute bodies: takes AST expressions in the context of one compute (its
 * lambda variables and listed reduce axes); gives typed Expr trees with names resolved, literals
 * typed as TVM does, casts inserted so that binary operands agree, and the reduction at the root.
 * Part of sema (lang/sema_impl.h). */
#include "lang/sema_impl.h"
#include "lang/scalar.h"
#include <math.h>
#include <string.h>

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

/* A node of kind k over the operands a, b (either may be NULL). */
static Expr *node2(Sema *S, ExprKind k, DType t, Loc loc, Expr *a, Expr *b) {
    Expr *e = new_expr(S, k, t, loc);
    e->a = a;
    e->b = b;
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
    case DT_BOOL:
        return v == 0 || v == 1;
    case DT_INT8:
        return v >= INT8_MIN && v <= INT8_MAX;
    case DT_INT16:
        return v >= INT16_MIN && v <= INT16_MAX;
    case DT_INT32:
        return v >= INT32_MIN && v <= INT32_MAX;
    case DT_UINT8:
        return v >= 0 && v <= UINT8_MAX;
    default:
        return true;
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
        if (l->isf && !dtype_is_float(ot))
            *t = DT_FLOAT32;
        else if (ot == DT_BOOL)
            *t = promote(lit_default(*l), DT_BOOL);
        else
            *t = ot;
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

bool sema_no_kwargs(Sema *S, const Node *n) {
    for (int i = 0; i < n->nargs; i++)
        if (n->args[i]->kind == AST_KWARG)
            return diag_error(S->d, n->args[i]->loc, "%s() takes no keyword argument '%s'", n->name,
                              n->args[i]->name);
    return true;
}

static bool arity(Sema *S, const Node *n, int want) {
    if (!sema_no_kwargs(S, n)) return false;
    if (n->nargs != want)
        return diag_error(S->d, n->loc, "%s() takes %d argument%s, got %d", n->name, want,
                          want == 1 ? "" : "s", n->nargs);
    return true;
}

/* Arithmetic of two literals folds to a literal, as Python arithmetic on TVM constants does:
 * exactly for integers (overflow is an error), in double for floats. */
static Val fold_literals(Sema *S, Op op, Val a, Val b, Loc loc) {
    if (!a.isf && !b.isf) {
        int64_t r;
        const char *err = scalar_iexact(op, a.iv, b.iv, &r);
        if (err) {
            diag_error(S->d, loc, "%s in constant expression", err);
            return BAD;
        }
        return lit_int(r, loc);
    }
    double x = a.isf ? a.fv : (double)a.iv, y = b.isf ? b.fv : (double)b.iv;
    if (op_has(op, OPF_INT)) {
        diag_error(S->d, loc, "'%%' needs integer operands");
        return BAD;
    }
    if (op == OP_DIV && y == 0) {
        diag_error(S->d, loc, "division by zero in constant expression");
        return BAD;
    }
    return lit_float(scalar_farith(op, false, x, y), loc);
}

/* Literal operands that fold: the operators written infix, and min/max of integers. */
static bool folds(Op op, Val a, Val b) {
    if (!a.lit || !b.lit || !op_is(op, OPC_ARITH)) return false;
    return !op_has(op, OPF_CALL) || (!op_has(op, OPF_FLOAT) && !a.isf && !b.isf);
}

static Val logic(Sema *S, Op op, Val a, Val b, Loc loc) {
    if (val_dtype(a) != DT_BOOL || val_dtype(b) != DT_BOOL) {
        diag_error(S->d, loc, "operands of '%s' must be bool, got %s and %s", op_name(op),
                   dtype_name(val_dtype(a)), dtype_name(val_dtype(b)));
        return BAD;
    }
    Expr *e = node2(S, EX_BINARY, DT_BOOL, loc, a.e, b.e);
    e->op = op;
    return val(e);
}

/* The operand dtype t suits op: the table's OPF_INT, OPF_FLOAT and OPF_ORDER restrictions. */
static bool operands_suit(Sema *S, Op op, DType t, Loc loc) {
    if (op_has(op, OPF_INT) && dtype_is_float(t))
        return diag_error(S->d, loc, "'%%' needs integer operands, got %s", dtype_name(t));
    if (op_has(op, OPF_FLOAT) && !dtype_is_float(t))
        return diag_error(S->d, loc, "%s() needs float operands, got %s (cast with float32(...))",
                          op_name(op), dtype_name(t));
    if (op_has(op, OPF_ORDER) && t == DT_BOOL)
        return diag_error(S->d, loc, "'%s' cannot compare bools", op_name(op));
    return true;
}

static Val binary(Sema *S, Op op, Val a, Val b, Loc loc) {
    if (op_is(op, OPC_LOGIC)) return logic(S, op, a, b, loc);
    if (folds(op, a, b)) return fold_literals(S, op, a, b, loc);
    if (op_is(op, OPC_ARITH) && (val_dtype(a) == DT_BOOL || val_dtype(b) == DT_BOOL)) {
        diag_error(S->d, loc, "'%s' needs numbers, got %s and %s (cast bools with int32(...))",
                   op_name(op), dtype_name(val_dtype(a)), dtype_name(val_dtype(b)));
        return BAD;
    }
    DType t;
    if (!unify(S, &a, &b, &t) || !operands_suit(S, op, t, loc)) return BAD;
    Expr *e = node2(S, EX_BINARY, op_is(op, OPC_CMP) ? DT_BOOL : t, loc, a.e, b.e);
    e->op = op;
    return val(e);
}

/* A cast, float32(x) or T(x) for a dtype parameter T. */
static Val check_cast(Sema *S, ECtx *C, const Node *n, DType cast) {
    if (!arity(S, n, 1)) return BAD;
    Val v = check(S, C, n->args[0]);
    if (!ok(v)) return BAD;
    if (v.lit) return val(make_const(S, n->loc, cast, v.isf, v.iv, v.fv, true));
    if (v.e->dtype == cast) return v;
    return val(node2(S, EX_CAST, cast, n->loc, v.e, NULL));
}

/* A math function of one float argument (abs also of an integer). */
static Val check_math(Sema *S, ECtx *C, const Node *n, MathFn fn) {
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
            diag_error(S->d, n->args[0]->loc,
                       "%s() needs a float argument, got %s (cast with float32(...))", n->name,
                       dtype_name(a->dtype));
            return BAD;
        }
    }
    Expr *e = node2(S, EX_CALL, a->dtype, n->loc, a, NULL);
    e->fn = fn;
    return val(e);
}

/* An operator written as a call: max, min, pow (OPF_CALL in lang/ops.h). */
static Val check_op_call(Sema *S, ECtx *C, const Node *n, Op op) {
    if (!arity(S, n, 2)) return BAD;
    Val a = check(S, C, n->args[0]), b = check(S, C, n->args[1]);
    if (!ok(a) || !ok(b)) return BAD;
    if (op_has(op, OPF_FLOAT) && a.lit && b.lit) { /* pow of two literals: float32 */
        a = val(to_dtype(S, a, DT_FLOAT32));
        b = val(to_dtype(S, b, DT_FLOAT32));
        if (!a.e || !b.e) return BAD;
    }
    return binary(S, op, a, b, n->loc);
}

static Val check_select(Sema *S, ECtx *C, const Node *n) {
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

/* The operator spelled as the call f, or OP_COUNT. */
static Op call_op(const char *f) {
    for (int op = 0; op < OP_COUNT; op++)
        if (op_has((Op)op, OPF_CALL) && strcmp(op_name((Op)op), f) == 0) return (Op)op;
    return OP_COUNT;
}

static int math_fn(const char *f) {
    for (int fn = FN_EXP; fn <= FN_CEIL; fn++)
        if (strcmp(f, mathfn_name((MathFn)fn)) == 0) return fn;
    return -1;
}

/* A call that is not a value: say what it is instead. */
static Val bad_call(Sema *S, const Node *n, const Sym *sym) {
    const char *f = n->name;
    if (strcmp(f, "sum") == 0 || strcmp(f, "reduce_max") == 0 || strcmp(f, "reduce_min") == 0)
        diag_error(S->d, n->loc, "a reduction must be the whole body of a compute");
    else if (strcmp(f, "placeholder") == 0 || strcmp(f, "compute") == 0 ||
             strcmp(f, "reduce_axis") == 0 || strcmp(f, "cache_write") == 0)
        diag_error(S->d, n->loc, "%s() cannot be used inside an expression", f);
    else if (sym && sym->kind == SYM_STAGE)
        diag_error(S->d, n->loc, "'%s' is a tensor: read it with %s[...]", f, f);
    else
        diag_error(S->d, n->loc, "unknown function '%s'", f);
    return BAD;
}

static Val check_call(Sema *S, ECtx *C, const Node *n) {
    const char *f = n->name;
    Sym *sym = sema_lookup(S, f);
    DType cast = dtype_from_name(f);
    if (cast == DT_NONE && sym && sym->kind == SYM_PARAM_DTYPE)
        cast = S->in->params[sym->index].dtype;
    if (cast != DT_NONE) return check_cast(S, C, n, cast);
    int fn = math_fn(f);
    if (fn >= 0) return check_math(S, C, n, (MathFn)fn);
    Op op = call_op(f);
    if (op != OP_COUNT) return check_op_call(S, C, n, op);
    if (strcmp(f, "select") == 0) return check_select(S, C, n);
    return bad_call(S, n, sym);
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

static Val axis_var(Sema *S, int axis, Loc loc) {
    Expr *e = new_expr(S, EX_VAR, DT_INT32, loc);
    e->axis = axis;
    return val(e);
}

/* A reduce axis is a value only inside a reduction that lists it. */
static Val check_raxis(Sema *S, ECtx *C, const Node *n, int raxis) {
    for (int i = 0; i < C->nred && C->in_red; i++)
        if (C->red[i] == raxis) return axis_var(S, C->nvars + i, n->loc);
    if (C->in_red)
        diag_error(S->d, n->loc,
                   "reduce axis '%s' is not one this reduction runs over: list it in the reduction",
                   n->name);
    else
        diag_error(S->d, n->loc, "reduce axis '%s' used outside a reduction", n->name);
    return BAD;
}

/* A name: a lambda variable, an integer parameter (a literal) or a listed reduce axis. */
static Val check_name(Sema *S, ECtx *C, const Node *n) {
    for (int i = 0; i < C->nvars; i++)
        if (strcmp(C->vars[i]->name, n->name) == 0) return axis_var(S, i, n->loc);
    Sym *s = sema_lookup(S, n->name);
    if (!s) {
        if (dtype_from_name(n->name) != DT_NONE)
            diag_error(S->d, n->loc, "'%s' is a dtype, not a value (a cast is %s(x))", n->name,
                       n->name);
        else
            sema_unknown(S, "name", n->name, n->loc);
        return BAD;
    }
    switch (s->kind) {
    case SYM_BAD:
        return BAD;
    case SYM_PARAM_INT:
        return lit_int(S->in->params[s->index].ival, n->loc);
    case SYM_PARAM_DTYPE:
        diag_error(S->d, n->loc, "'%s' is a dtype parameter, not a value", n->name);
        return BAD;
    case SYM_RAXIS:
        return check_raxis(S, C, n, s->index);
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

/* A tensor read name[i, j, ...]. */
static Val check_read(Sema *S, ECtx *C, const Node *n) {
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
        diag_error(S->d, n->loc, "%s has %d dimension%s, but %d ind%s given", n->name, st->ndim,
                   st->ndim == 1 ? "" : "s", n->nargs, n->nargs == 1 ? "ex is" : "ices are");
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

/* -x (a literal folds exactly) and !x. */
static Val check_unary(Sema *S, ECtx *C, const Node *n) {
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

static Val check(Sema *S, ECtx *C, const Node *n) {
    switch (n->kind) {
    case AST_INT:
        return lit_int(n->ival, n->loc);
    case AST_FLOAT:
        return lit_float(n->fval, n->loc);
    case AST_NAME:
        return check_name(S, C, n);
    case AST_INDEX:
        return check_read(S, C, n);
    case AST_CALL:
        return check_call(S, C, n);
    case AST_UNARY:
        return check_unary(S, C, n);
    case AST_BINARY: {
        Val a = check(S, C, n->lhs), b = check(S, C, n->rhs);
        if (!ok(a) || !ok(b)) return BAD;
        return binary(S, n->op, a, b, n->loc);
    }
    case AST_TUPLE:
        diag_error(S->d, n->loc, "a tuple is not a value");
        return BAD;
    case AST_LIST:
        diag_error(S->d, n->loc, "a list is not a value");
        return BAD;
    case AST_LAMBDA:
        diag_error(S->d, n->loc, "a lambda can only be the body of a compute");
        return BAD;
    case AST_KWARG:
        diag_error(S->d, n->loc, "keyword argument '%s' is not a value", n->name);
        return BAD;
    }
    return BAD;
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
        Node *const *names =
            a->kind == AST_LIST || a->kind == AST_TUPLE ? a->args : (Node *const *)&a;
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
    return n->kind == AST_CALL &&
           (strcmp(n->name, "sum") == 0 || strcmp(n->name, "reduce_max") == 0 ||
            strcmp(n->name, "reduce_min") == 0);
}

/* The body of a compute: a reduction at the root, or an expression without one. want (or
 * DT_NONE) is the compute's dtype argument: it converts the reduced value or the body. */
Expr *sema_body(Sema *S, ECtx *C, const Node *body, DType want) {
    if (!is_reduction(body)) {
        Val v = check(S, C, body);
        if (!ok(v)) return NULL;
        return want != DT_NONE ? to_dtype(S, v, want) : materialise(S, v);
    }
    if (body->nargs < 1 || body->args[0]->kind == AST_KWARG) {
        diag_error(S->d, body->loc, "%s() needs an expression to reduce", body->name);
        return NULL;
    }
    if (!reduce_axes(S, body, C)) return NULL;
    C->in_red = true;
    Val v = check(S, C, body->args[0]);
    if (!ok(v)) return NULL;
    Expr *src = want != DT_NONE ? to_dtype(S, v, want) : materialise(S, v);
    if (!src) return NULL;
    if (src->dtype == DT_BOOL) {
        diag_error(S->d, body->args[0]->loc, "%s() over bool values: cast them to a number",
                   body->name);
        return NULL;
    }
    Expr *root = new_expr(S, EX_REDUCE, src->dtype, body->loc);
    root->rop = strcmp(body->name, "sum") == 0          ? RED_SUM
                : strcmp(body->name, "reduce_max") == 0 ? RED_MAX
                                                        : RED_MIN;
    root->a = src;
    return root;
}
