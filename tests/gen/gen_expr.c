/* The generator's expressions: typed random bodies over every operator, math call and cast, and
 * tensor reads whose indices are shifted, reversed, strided, divided or clamped but in bounds. */
#include "tests/gen/gen.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void str_add(Str *s, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (s->len + (size_t)n + 1 > s->cap) {
        s->cap = (s->len + (size_t)n + 1) * 2;
        s->p = realloc(s->p, s->cap);
        if (!s->p) abort();
    }
    va_start(ap, fmt);
    vsnprintf(s->p + s->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    s->len += (size_t)n;
}

uint64_t rng_next(Rng *r) { /* splitmix64 */
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}
int rn(Rng *r, int n) {
    return n <= 1 ? 0 : (int)(rng_next(r) % (uint64_t)n);
}
bool chance(Rng *r, int pct) {
    return rn(r, 100) < pct;
}

Cls dtype_cls(const char *dtype) {
    if (!strcmp(dtype, "bool")) return CL_BOOL;
    return dtype[0] == 'f' ? CL_FLOAT : CL_INT;
}

static const char *const FLOATS[] = {"float32", "float64"};
static const char *const INTS[] = {"int8", "int16", "int32", "int64", "uint8"};

static const char *pick_dtype(Gen *g, Cls c) {
    if (c == CL_BOOL) return "bool";
    if (dtype_cls(g->main_type) == c && chance(&g->r, 60)) return g->main_type;
    return c == CL_FLOAT ? FLOATS[rn(&g->r, 2)] : INTS[rn(&g->r, 5)];
}

/* One index over axis a: its text and its range [*mn, *mx] (mn >= 0). */
static void index_form(Gen *g, Str *o, const GAxis *a, int *mn, int *mx) {
    int lo = a->lo, hi = a->hi - 1, c;
    switch (rn(&g->r, 8)) {
    case 1: /* shifted */
        c = 1 + rn(&g->r, 3), *mn = lo + c, *mx = hi + c;
        str_add(o, "%s + %d", a->name, c);
        return;
    case 2: /* reversed */
        *mn = 0, *mx = hi - lo;
        str_add(o, "%d - %s", hi, a->name);
        return;
    case 3: /* strided */
        c = 2 + rn(&g->r, 2);
        int t = rn(&g->r, c);
        *mn = lo * c + t, *mx = hi * c + t;
        str_add(o, "%s * %d + %d", a->name, c, t);
        return;
    case 4: /* divided */
        c = 2 + rn(&g->r, 3), *mn = lo / c, *mx = hi / c;
        str_add(o, "%s / %d", a->name, c);
        return;
    case 5: /* modulo */
        c = 2 + rn(&g->r, 4), *mn = 0, *mx = c - 1;
        str_add(o, "%s %% %d", a->name, c);
        return;
    case 6: /* clamped */
        c = lo + rn(&g->r, hi - lo + 1), *mn = lo, *mx = c;
        if (chance(&g->r, 50))
            str_add(o, "min(%s, %d)", a->name, c);
        else
            str_add(o, "select(%s < %d, %s, %d)", a->name, c, a->name, c);
        return;
    case 7: /* clamped below */
        c = 1 + rn(&g->r, 2), *mn = lo - c > 0 ? lo - c : 0, *mx = hi - c > 0 ? hi - c : 0;
        str_add(o, "max(%s - %d, 0)", a->name, c);
        return;
    default:
        *mn = lo, *mx = hi;
        str_add(o, "%s", a->name);
    }
}

/* Indices of a read of tensor t (dims fixed unless it is a new placeholder, whose dims follow). */
static void gen_indices(Gen *g, Str *o, GTensor *t, bool fresh) {
    GStage *s = &g->st[g->cur];
    int nax = s->ndata + (s->reduction ? s->nred : 0);
    str_add(o, "[");
    for (int d = 0; d < t->rank; d++) {
        Str f = {0};
        int mn, mx;
        const GAxis *a = &s->ax[s->reduction && chance(&g->r, 50)   ? s->ndata + rn(&g->r, s->nred)
                                : d < s->ndata && chance(&g->r, 70) ? d
                                                                    : rn(&g->r, nax)];
        if (s->reduction && chance(&g->r, 15)) { /* a sum of two axes, as in a convolution */
            const GAxis *b = &s->ax[s->ndata + rn(&g->r, s->nred)];
            mn = a->lo + b->lo, mx = a->hi + b->hi - 2;
            str_add(&f, "%s + %s", a->name, b->name);
        } else {
            index_form(g, &f, a, &mn, &mx);
        }
        if (fresh) {
            t->dims[d] = mx + 1 + rn(&g->r, 2);
            str_add(o, "%s%s", d ? ", " : "", f.p);
        } else if (mx >= t->dims[d]) {
            if (chance(&g->r, 50))
                str_add(o, "%smin(%s, %d)", d ? ", " : "", f.p, t->dims[d] - 1);
            else
                str_add(o, "%s(%s) %% %d", d ? ", " : "", f.p, t->dims[d]);
        } else {
            str_add(o, "%s%s", d ? ", " : "", f.p);
        }
        free(f.p);
    }
    str_add(o, "]");
}

/* A placeholder of class c: a new one (declared in g->pending) or an existing one. */
static int placeholder(Gen *g, Cls c, bool *fresh) {
    int cand[GEN_MAX_T], n = 0;
    for (int i = 0; i < g->nt; i++)
        if (g->t[i].stage < 0 && dtype_cls(g->t[i].dtype) == c) cand[n++] = i;
    *fresh = !n || g->nt >= GEN_MAX_T - 8 ? false : chance(&g->r, 65);
    if (!*fresh && n) return cand[rn(&g->r, n)];
    *fresh = true;
    GTensor *t = &g->t[g->nt];
    *t = (GTensor){.stage = -1, .rank = 1 + rn(&g->r, 3)};
    snprintf(t->name, sizeof t->name, "A%d", g->nt);
    t->dtype = t->spelt = pick_dtype(g, c);
    if (t->dtype == g->main_type && g->dparam) t->spelt = "dt";
    return g->nt++;
}

void gen_read(Gen *g, Str *o, int ti, Cls c) {
    Str r = {0};
    bool fresh = false;
    if (ti < 0) ti = placeholder(g, c, &fresh);
    GTensor *t = &g->t[ti];
    str_add(&r, "%s", t->name);
    gen_indices(g, &r, t, fresh);
    if (fresh) {
        str_add(&g->pending, "    %s = placeholder((", t->name);
        for (int d = 0; d < t->rank; d++) str_add(&g->pending, "%s%d", d ? ", " : "", t->dims[d]);
        str_add(&g->pending, "%s), %s)\n", t->rank == 1 ? "," : "", t->spelt);
    }
    t->readers++;
    Cls tc = dtype_cls(t->dtype);
    if (tc == c || c == CL_BOOL)
        str_add(o, "%s", r.p);
    else
        str_add(o, "%s(%s)", c == CL_FLOAT ? FLOATS[rn(&g->r, 2)] : INTS[rn(&g->r, 5)], r.p);
    free(r.p);
}

/* An earlier stage readable as class c (exact: its value is the same however it is computed). */
static int stage_read(Gen *g, Cls c, bool exact) {
    int cand[GEN_MAX_ST], n = 0;
    for (int s = 0; s < g->cur; s++) {
        Cls sc = dtype_cls(g->t[g->st[s].tensor].dtype);
        if (sc == CL_INT || (c == CL_FLOAT && !exact)) cand[n++] = g->st[s].tensor;
    }
    return n ? cand[rn(&g->r, n)] : -1;
}

static bool leaf(Gen *g, Str *o, Cls c, bool exact) {
    GStage *s = &g->st[g->cur];
    int ti = chance(&g->r, 30) ? stage_read(g, c, exact) : -1, k = rn(&g->r, 4);
    if (c == CL_BOOL) {
        gen_read(g, o, -1, CL_BOOL);
    } else if (ti >= 0 || k == 0 || k == 1) {
        gen_read(g, o, ti, c);
    } else if (k == 2) {
        const GAxis *a = &s->ax[rn(&g->r, s->ndata)];
        str_add(o, c == CL_FLOAT ? "float32(%s)" : "%s", a->name);
    } else {
        str_add(o, c == CL_FLOAT ? "%d.%d" : "%d", rn(&g->r, 4), c == CL_FLOAT ? rn(&g->r, 10) : 0);
        return false;
    }
    return true;
}

static bool gen_bool(Gen *g, Str *o, int depth) {
    static const char *const cmp[] = {"<", "<=", ">", ">=", "==", "!="};
    Str a = {0}, b = {0};
    int k = depth ? rn(&g->r, 6) : 0;
    if (k == 0) return leaf(g, o, CL_BOOL, true);
    if (k == 1 || k == 2) { /* integers, or floats whose value is exact */
        Cls c = k == 1 ? CL_INT : CL_FLOAT;
        gen_expr(g, &a, c, depth - 1, c == CL_FLOAT);
        gen_expr(g, &b, c, depth - 1, c == CL_FLOAT);
        str_add(o, "(%s %s %s)", a.p, cmp[rn(&g->r, 6)], b.p);
    } else if (k == 3) {
        gen_bool(g, &a, depth - 1);
        str_add(o, "!(%s)", a.p);
    } else {
        gen_bool(g, &a, depth - 1);
        gen_bool(g, &b, depth - 1);
        str_add(o, "(%s %s %s)", a.p, k == 4 ? "&&" : "||", b.p);
    }
    free(a.p), free(b.p);
    return true;
}

/* Float nodes; a, b are generated operands (b's text may be unused). */
static void float_node(Gen *g, Str *o, int depth, const char *a, const char *b) {
    static const char *const ar[] = {"+", "-", "*"};
    Str c = {0}, x = {0};
    switch (rn(&g->r, 12)) {
    case 0:
        str_add(o, "(%s / (abs(%s) + 1.0))", a, b);
        break;
    case 1:
        str_add(o, "%s(%s, %s)", chance(&g->r, 50) ? "min" : "max", a, b);
        break;
    case 2:
        str_add(o, "-%s", a);
        break;
    case 3:
        gen_bool(g, &c, depth - 1), str_add(o, "select(%s, %s, %s)", c.p, a, b);
        break;
    case 4:
        str_add(o, "exp(tanh(%s))", a);
        break;
    case 5:
        str_add(o, "log(abs(%s) + 1.0)", a);
        break;
    case 6:
        str_add(o, "sqrt(abs(%s) + 0.5)", a);
        break;
    case 7:
        str_add(o, "pow(abs(%s) + 0.5, %s)", a, chance(&g->r, 50) ? "2.0" : "0.5");
        break;
    case 8: /* floor, ceil and abs of an exact value */
        gen_expr(g, &x, CL_FLOAT, 0, true);
        str_add(o, "%s(%s * 4.0)", (const char *[]){"floor", "ceil", "abs"}[rn(&g->r, 3)], x.p);
        break;
    case 9:
        gen_expr(g, &x, CL_INT, depth - 1, true);
        str_add(o, "%s(%s)", FLOATS[rn(&g->r, 2)], x.p);
        break;
    default:
        str_add(o, "(%s %s %s)", a, ar[rn(&g->r, 3)], b);
    }
    free(c.p), free(x.p);
}

/* Integer nodes, when at least one operand is not a literal (literal arithmetic folds and must
 * fit the other operand's dtype, which this keeps small). */
static void int_node(Gen *g, Str *o, int depth, const char *a, const char *b) {
    static const char *const ar[] = {"+", "-", "*"};
    Str c = {0}, x = {0};
    switch (rn(&g->r, 10)) {
    case 0:
        str_add(o, "(%s %s %d)", a, chance(&g->r, 50) ? "/" : "%", 1 + rn(&g->r, 7));
        break;
    case 1:
        str_add(o, "%s(%s, %s)", chance(&g->r, 50) ? "min" : "max", a, b);
        break;
    case 2:
        str_add(o, "%s(%s)", chance(&g->r, 50) ? "abs" : "-", a);
        break;
    case 3:
        gen_bool(g, &c, depth - 1), str_add(o, "select(%s, %s, %s)", c.p, a, b);
        break;
    case 4:
        str_add(o, "%s(%s)", INTS[rn(&g->r, 5)], a);
        break;
    case 5: /* an exact float, scaled */
        gen_expr(g, &x, CL_FLOAT, 0, true);
        str_add(o, "%s(%s * 8.0)", INTS[rn(&g->r, 5)], x.p);
        break;
    case 6:
        gen_bool(g, &c, depth - 1), str_add(o, "int32(%s)", c.p);
        break;
    default:
        str_add(o, "(%s %s %s)", a, ar[rn(&g->r, 3)], b);
    }
    free(c.p), free(x.p);
}

bool gen_expr(Gen *g, Str *o, Cls c, int depth, bool exact) {
    if (c == CL_BOOL) return gen_bool(g, o, depth);
    if (depth <= 0 || exact || chance(&g->r, 20)) return leaf(g, o, c, exact);
    Str a = {0}, b = {0};
    bool va = gen_expr(g, &a, c, depth - 1, false), vb = gen_expr(g, &b, c, depth - 1, false);
    bool var = va || vb || c == CL_FLOAT;
    if (c == CL_FLOAT)
        float_node(g, o, depth, a.p, b.p);
    else if (va)
        int_node(g, o, depth, a.p, b.p);
    else if (vb)
        int_node(g, o, depth, b.p, a.p);
    else
        str_add(o, "%s", a.p);
    free(a.p), free(b.p);
    return var;
}
