/* IR constructors: arena-allocated expression and statement nodes with dtypes filled in. */
#include "compiler/ir.h"

static IrExpr *expr(Arena *a, IrExprKind k, DType t) {
    IrExpr *e = ARENA_NEW(a, IrExpr);
    e->kind = k;
    e->dtype = t;
    return e;
}

IrExpr *ir_const(Arena *a, DType t, int64_t iv, double fv) {
    IrExpr *e = expr(a, IE_CONST, t);
    if (dtype_is_float(t))
        e->fval = fv;
    else
        e->ival = iv;
    return e;
}

IrExpr *ir_int(Arena *a, int64_t v) {
    return ir_const(a, DT_INT64, v, 0);
}

IrExpr *ir_var(Arena *a, IrVar *v) {
    IrExpr *e = expr(a, IE_VAR, DT_INT64);
    e->var = v;
    return e;
}

IrExpr *ir_load(Arena *a, IrBuf *b, IrExpr *index) {
    IrExpr *e = expr(a, IE_LOAD, b->dtype);
    e->buf = b;
    e->a = index;
    return e;
}

IrExpr *ir_unary(Arena *a, Op op, IrExpr *x) {
    IrExpr *e = expr(a, IE_UNARY, op == OP_NOT ? DT_BOOL : x->dtype);
    e->op = op;
    e->a = x;
    return e;
}

IrExpr *ir_binary(Arena *a, Op op, IrExpr *x, IrExpr *y) {
    bool logical = op_gives_bool(op);
    IrExpr *e = expr(a, IE_BINARY, logical ? DT_BOOL : x->dtype);
    e->op = op;
    e->a = x;
    e->b = y;
    return e;
}

IrExpr *ir_select(Arena *a, IrExpr *c, IrExpr *x, IrExpr *y) {
    IrExpr *e = expr(a, IE_SELECT, x->dtype);
    e->a = c;
    e->b = x;
    e->c = y;
    return e;
}

IrExpr *ir_call(Arena *a, MathFn fn, IrExpr *x) {
    IrExpr *e = expr(a, IE_CALL, x->dtype);
    e->fn = fn;
    e->a = x;
    return e;
}

IrExpr *ir_cast(Arena *a, DType t, IrExpr *x) {
    IrExpr *e = expr(a, IE_CAST, t);
    e->a = x;
    return e;
}

static IrStmt *stmt(Arena *a, IrStmtKind k) {
    IrStmt *s = ARENA_NEW(a, IrStmt);
    s->kind = k;
    return s;
}

IrStmt *ir_for(Arena *a, IrVar *v, IrExpr *min, IrExpr *extent, ForKind k, IrStmt *body) {
    IrStmt *s = stmt(a, IS_FOR);
    s->var = v;
    s->min = min;
    s->extent = extent;
    s->for_kind = k;
    s->body = body;
    return s;
}

IrStmt *ir_let(Arena *a, IrVar *v, IrExpr *value, IrStmt *body) {
    IrStmt *s = stmt(a, IS_LET);
    s->var = v;
    s->value = value;
    s->body = body;
    return s;
}

IrStmt *ir_store(Arena *a, IrBuf *b, IrExpr *index, IrExpr *value) {
    IrStmt *s = stmt(a, IS_STORE);
    s->buf = b;
    s->index = index;
    s->value = value;
    return s;
}

IrStmt *ir_if(Arena *a, IrExpr *cond, IrStmt *then, IrStmt *orelse) {
    IrStmt *s = stmt(a, IS_IF);
    s->cond = cond;
    s->body = then;
    s->orelse = orelse;
    return s;
}

IrStmt *ir_alloc(Arena *a, IrBuf *b, IrStmt *body) {
    IrStmt *s = stmt(a, IS_ALLOC);
    s->buf = b;
    s->body = body;
    return s;
}

IrStmt *ir_block(Arena *a, IrStmt **stmts, int n) {
    IrStmt *s = stmt(a, IS_BLOCK);
    s->stmts = stmts;
    s->n = n;
    return s;
}

IrVar *ir_new_var(Arena *a, IrFunc *f, const char *name) {
    IrVar *v = ARENA_NEW(a, IrVar);
    v->name = arena_strdup(a, name);
    v->id = f->nvars++;
    return v;
}

IrBuf *ir_buf(Arena *a, const char *name, DType t, int64_t size, IrBufKind k, int arg) {
    IrBuf *b = ARENA_NEW(a, IrBuf);
    *b = (IrBuf){.name = name, .dtype = t, .size = size, .kind = k, .arg = arg};
    return b;
}
