/* Semantic checks and binding: takes a parsed Program, a template name and -D bindings; gives a
 * bound Inst (lang/inst.h) with parameters bound, shapes folded, names resolved, dtypes made
 * explicit. Schedule blocks and knobs are checked by sema_sched.c. */
#include "lang/sema_impl.h"
#include "lang/scalar.h"
#include <errno.h>
#include <math.h>
#include <stdarg.h>
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
    for (uint32_t i = hash_str(name) & (uint32_t)(S->hcap - 1);;
         i = (i + 1) & (uint32_t)(S->hcap - 1)) {
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
    if (!sema_lookup(S, name) && dtype_from_name(name) == DT_NONE)
        sema_define(S, name, loc, SYM_BAD, -1);
}

void sema_unknown(Sema *S, const char *what, const char *name, Loc loc) {
    for (int i = 0; i < S->nlater; i++) {
        const Later *l = &S->later[i];
        if (strcmp(l->name, name) != 0) continue;
        if (l->knob)
            diag_error(S->d, loc, "knob '%s' is used before its declaration at %d:%d", name,
                       l->loc.line, l->loc.col);
        else if (l->cache)
            diag_error(S->d, loc, "'%s' is a cache stage (made at %d:%d): bodies cannot read it",
                       name, l->loc.line, l->loc.col);
        else
            diag_error(S->d, loc, "'%s' is used before its definition at %d:%d", name, l->loc.line,
                       l->loc.col);
        return;
    }
    diag_error(S->d, loc, "unknown %s '%s'", what, name);
}

const char *sema_stage_name(const Sema *S, StageRef r) {
    return S->in->stages[r.stage].name;
}

/* ---- constant integer expressions (shapes, bounds, factors, defaults) ---- */

bool sema_fold_int(Sema *S, const Node *n, int64_t *out) {
    switch (n->kind) {
    case AST_INT:
        *out = n->ival;
        return true;
    case AST_FLOAT:
        return diag_error(S->d, n->loc, "expected an integer, got the float %g", n->fval);
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
        return diag_error(S->d, n->loc,
                          "'%s' is not an integer parameter: expected an integer "
                          "expression of parameters and literals",
                          n->name);
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
        const char *err = scalar_iexact(n->op, a, b, out);
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
            scalar_iexact(n->name[1] == 'i' ? OP_MIN : OP_MAX, a, b, out);
            return true;
        }
        break;
    default:
        break;
    }
    return diag_error(S->d, n->loc, "expected an integer expression of parameters and literals");
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

/* Marks the integer parameters n reads; returns whether one of them was marked already. */
static bool blame_params(Sema *S, const Node *n) {
    if (!n) return false;
    bool seen = false;
    if (n->kind == AST_NAME) {
        Sym *s = sema_lookup(S, n->name);
        if (s && s->kind == SYM_PARAM_INT) {
            if (!S->blamed) S->blamed = ARENA_ARRAY(S->a, bool, S->in->nparams);
            seen = S->blamed[s->index];
            S->blamed[s->index] = true;
        }
    }
    seen |= blame_params(S, n->lhs);
    seen |= blame_params(S, n->rhs);
    for (int i = 0; i < n->nargs; i++) seen |= blame_params(S, n->args[i]);
    return seen;
}

/* An extent made empty by a parameter's value is reported at its first use only: the other
 * uses of a bad -D value are the same mistake. Returns false, as diag_error does. */
static bool bad_extent(Sema *S, const Node *n, Loc loc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static bool bad_extent(Sema *S, const Node *n, Loc loc, const char *fmt, ...) {
    if (blame_params(S, n)) return false; /* the first use's error already failed the bind */
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return diag_error(S->d, loc, "%s", msg);
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
            good = bad_extent(S, elems[i], elems[i]->loc,
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
        if (good && (__builtin_mul_overflow(total, v, &total) || total > ((int64_t)1 << 48)))
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
            return diag_error(S->d, a->loc, "%s() takes at most %d arguments", call->name, maxpos);
        } else {
            pos[(*npos)++] = a;
        }
    }
    if (*npos == maxpos && *dtype) return diag_error(S->d, (*dtype)->loc, "dtype given twice");
    return true;
}

static void def_placeholder(Sema *S, const Stmt *st, const Node *call) {
    const Node *pos[2], *dt;
    int npos;
    bool good = split_args(S, call, pos, 2, &npos, &dt);
    if (good && npos == 0) good = diag_error(S->d, call->loc, "placeholder() needs a shape");
    Stage s = {.name = st->name.name,
               .loc = st->name.loc,
               .kind = STAGE_PLACEHOLDER,
               .dtype = DT_FLOAT32,
               .arg_index = -1};
    if (good && !check_shape(S, pos[0], s.name, &s.shape, &s.ndim)) good = false;
    if (npos == 2) dt = pos[1];
    if (good && dt && (s.dtype = check_dtype_arg(S, dt)) == DT_NONE) good = false;
    if (!good) return define_bad(S, s.name, s.loc);
    int idx = add_stage(S, &s);
    if (!sema_define(S, s.name, s.loc, SYM_STAGE, idx)) S->in->nstages--;
}

static void def_reduce_axis(Sema *S, const Stmt *st, const Node *call) {
    const char *name = st->name.name;
    bool good = sema_no_kwargs(S, call);
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
        good = bad_extent(S, call, call->loc, "reduce axis '%s' is empty: [%lld, %lld)", name,
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

static void def_compute(Sema *S, const Stmt *st, const Node *call) {
    const char *name = st->name.name;
    const Node *pos[3], *dt;
    int npos;
    bool good = split_args(S, call, pos, 3, &npos, &dt);
    if (good && npos < 2)
        good = diag_error(S->d, call->loc,
                          "compute() needs a shape and a lambda: "
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
            static const char *const what[] = {"the parameter",   "the parameter",   "the tensor",
                                               "the cache stage", "the reduce axis", "the knob",
                                               "the name"};
            diag_error(S->d, v->loc, "lambda variable '%s' hides %s '%s' defined at %d:%d", v->name,
                       what[o->kind], v->name, o->loc.line, o->loc.col);
            good = false;
        } else if (dtype_from_name(v->name) != DT_NONE) {
            good = diag_error(S->d, v->loc, "'%s' is a dtype name and cannot name a variable",
                              v->name);
        }
    }
    if (!good) return define_bad(S, name, st->name.loc);

    ECtx C = {.stage = S->in->nstages, .sname = name, .vars = lam->args, .nvars = lam->nargs};
    Expr *root = sema_body(S, &C, lam->lhs, want);
    if (!root) return define_bad(S, name, st->name.loc);
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
    if (!sema_define(S, name, s.loc, SYM_STAGE, idx))
        S->in->nstages--;
    else
        sema_check_reads(S, idx);
}

static void def_assign(Sema *S, const Stmt *st) {
    const Node *v = st->value;
    const char *f = v->kind == AST_CALL ? v->name : "";
    if (strcmp(f, "placeholder") == 0) return def_placeholder(S, st, v);
    if (strcmp(f, "compute") == 0) return def_compute(S, st, v);
    if (strcmp(f, "reduce_axis") == 0) return def_reduce_axis(S, st, v);
    if (strcmp(f, "cache_write") == 0)
        diag_error(S->d, st->loc,
                   "cache_write() belongs in the schedule block of the stage it "
                   "caches: schedule C { %s = cache_write() }",
                   st->name.name);
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
                char *end;
                errno = 0;
                (void)strtoll(def->value, &end, 10);
                bool range = errno == ERANGE && !*end;
                good = diag_error(S->d, p->name.loc,
                                  range ? "-D %s=%s: the integer is out of range"
                                        : "-D %s=%s: expected an integer or a dtype name (float32, "
                                          "float64, int8, int16, int32, int64, uint8, bool)",
                                  def->name, def->value);
            }
            if (good && p->def && is_dtype_node(S, p->def) != pv->is_dtype)
                good = diag_error(
                    S->d, p->name.loc, "-D %s=%s: parameter '%s' is %s by its default", def->name,
                    def->value, p->name.name, pv->is_dtype ? "an integer" : "a dtype");
        } else if (p->def) {
            if (is_dtype_node(S, p->def)) {
                pv->is_dtype = true;
                pv->dtype = check_dtype_arg(S, p->def);
                good = pv->dtype != DT_NONE;
            } else {
                good = sema_fold_int(S, p->def, &pv->ival);
            }
        } else {
            good = diag_error(S->d, p->name.loc,
                              "parameter '%s' has no value: give it with -D %s=VALUE", p->name.name,
                              p->name.name);
        }
        if (good)
            sema_define(S, p->name.name, p->name.loc,
                        pv->is_dtype ? SYM_PARAM_DTYPE : SYM_PARAM_INT, i);
        else
            define_bad(S, p->name.name, p->name.loc);
    }
    for (int j = 0; j < ndefs; j++) {
        bool known = false, seen = false;
        for (int i = 0; i < t->nparams; i++)
            known = known || strcmp(defs[j].name, t->params[i].name.name) == 0;
        for (int k = 0; k < j; k++) seen = seen || strcmp(defs[j].name, defs[k].name) == 0;
        if (known || seen) continue;
        /* name the parameters it has: a typo or a -D meant for another template */
        char names[256] = "";
        size_t len = 0;
        for (int i = 0; i < t->nparams && len < sizeof names; i++)
            len += (size_t)snprintf(names + len, sizeof names - len, "%s%s", i ? ", " : "",
                                    t->params[i].name.name);
        diag_error(S->d, t->name.loc, "template '%s' has no parameter '%s' (-D %s=%s); %s%s",
                   t->name.name, defs[j].name, defs[j].name, defs[j].value,
                   t->nparams ? "its parameters: " : "it has no parameters", names);
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
        "auto",     "break",    "case",     "char",      "const",          "continue",
        "default",  "do",       "double",   "else",      "enum",           "extern",
        "float",    "for",      "goto",     "if",        "inline",         "int",
        "long",     "register", "restrict", "return",    "short",          "signed",
        "sizeof",   "static",   "struct",   "switch",    "typedef",        "union",
        "unsigned", "void",     "volatile", "while",     "bool",           "true",
        "false",    "main",     "_Bool",    "_Complex",  "_Imaginary",     "_Alignas",
        "_Alignof", "_Atomic",  "_Generic", "_Noreturn", "_Static_assert", "_Thread_local"};
    for (size_t i = 0; i < sizeof kw / sizeof *kw; i++)
        if (strcmp(s, kw[i]) == 0) return true;
    return false;
}

static void kernel_args(Sema *S, bool stages_ok) {
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
    if (!any && stages_ok)
        diag_error(S->d, S->t->name.loc,
                   "template '%s' computes nothing: it has no compute "
                   "stage",
                   S->t->name.name);
}

/* ---- the template ---- */

static void add_later(Sema *S, const char *name, Loc loc, bool knob, bool cache, int *cap) {
    if (S->nlater == *cap) {
        S->later =
            arena_grow(S->a, S->later, (size_t)*cap, (size_t)(*cap ? *cap * 2 : 16), sizeof(Later));
        *cap = *cap ? *cap * 2 : 16;
    }
    S->later[S->nlater++] = (Later){name, loc, knob, cache};
}

static void prescan(Sema *S) {
    int cap = 0;
    for (int i = 0; i < S->t->nbody; i++) {
        const Stmt *st = S->t->body[i];
        if (st->kind == STMT_ASSIGN) add_later(S, st->name.name, st->name.loc, false, false, &cap);
        if (st->kind != STMT_SCHEDULE) continue;
        for (int j = 0; j < st->nbody; j++) {
            const Stmt *b = st->body[j];
            if (b->kind == STMT_KNOB) add_later(S, b->name.name, b->name.loc, true, false, &cap);
            if (b->kind == STMT_ASSIGN) add_later(S, b->name.name, b->name.loc, false, true, &cap);
        }
    }
}

static const char *stmt_word(StmtKind k) {
    switch (k) {
    case STMT_KNOB:
        return "knob";
    case STMT_SPLIT:
        return "split";
    case STMT_FUSE:
        return "fuse";
    case STMT_REORDER:
        return "reorder";
    case STMT_VECTORIZE:
        return "vectorize";
    case STMT_UNROLL:
        return "unroll";
    case STMT_PARALLEL:
        return "parallel";
    case STMT_ANNOTATE:
        return "annotate";
    case STMT_COMPUTE_AT:
        return "compute_at";
    case STMT_COMPUTE_INLINE:
        return "compute_inline";
    default:
        return "this statement";
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
        diag_error(d, (Loc){0, 0, 0}, "the file has several templates, pick one with -t: %s",
                   names);
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
        if (st->kind == STMT_ASSIGN)
            def_assign(&S, st);
        else if (st->kind != STMT_SCHEDULE)
            diag_error(d, st->loc,
                       "'%s' is a schedule statement: put it inside a schedule block, "
                       "schedule C { ... }",
                       stmt_word(st->kind));
    }
    if (diag_full(d)) return NULL;
    if (c_keyword(t->name.name))
        diag_error(d, t->name.loc, "'%s' is a keyword of C and cannot name a kernel", t->name.name);
    S.outputs_known = d->nerrors == errors0;
    kernel_args(&S, S.outputs_known);
    S.outputs_known = S.outputs_known && d->nerrors == errors0;
    if (!diag_full(d)) sema_schedules(&S);
    return d->nerrors == errors0 ? S.in : NULL;
}
