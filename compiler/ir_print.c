/* IR printing in the look of tvm.lower(s, args, simple_mode=True) (`--emit loops`):
 * `for (i.outer, 0, 64) {`, `parallel`/`vectorized`/`unrolled` loops, `C[idx] = value`,
 * `allocate CC[float32 * 256]`, integer division as floordiv/floormod. */
#include "compiler/ir.h"
#include <inttypes.h>

static void expr(FILE *o, const IrExpr *e);

static void konst(FILE *o, const IrExpr *e) {
    switch (e->dtype) {
    case DT_FLOAT32:
        fprintf(o, "%.9gf", e->fval);
        break;
    case DT_FLOAT64:
        fprintf(o, "%.17gd", e->fval);
        break;
    case DT_BOOL:
        fputs(e->ival ? "True" : "False", o);
        break;
    case DT_INT64:
    case DT_INT32:
        fprintf(o, "%" PRId64, e->ival);
        break;
    default:
        fprintf(o, "(%s)%" PRId64, dtype_name(e->dtype), e->ival);
        break;
    }
}

static void call2(FILE *o, const char *fn, const IrExpr *x, const IrExpr *y) {
    fprintf(o, "%s(", fn);
    expr(o, x);
    fputs(", ", o);
    expr(o, y);
    fputc(')', o);
}

static void expr(FILE *o, const IrExpr *e) {
    switch (e->kind) {
    case IE_CONST:
        konst(o, e);
        return;
    case IE_VAR:
        fputs(e->var->name, o);
        return;
    case IE_LOAD:
        fprintf(o, "%s[", e->buf->name);
        expr(o, e->a);
        fputc(']', o);
        return;
    case IE_UNARY:
        fputs(e->op == OP_NOT ? "!" : "(-", o);
        expr(o, e->a);
        if (e->op != OP_NOT) fputc(')', o);
        return;
    case IE_BINARY:
        switch (e->op) {
        case OP_MIN:
            call2(o, "min", e->a, e->b);
            return;
        case OP_MAX:
            call2(o, "max", e->a, e->b);
            return;
        case OP_POW:
            call2(o, "pow", e->a, e->b);
            return;
        case OP_DIV:
            if (!dtype_is_float(e->dtype)) {
                call2(o, "floordiv", e->a, e->b);
                return;
            }
            break;
        case OP_MOD:
            if (!dtype_is_float(e->dtype)) {
                call2(o, "floormod", e->a, e->b);
                return;
            }
            break;
        default:
            break;
        }
        fputc('(', o);
        expr(o, e->a);
        /* TVM writes * and / tight, the other operators spaced */
        if (e->op == OP_MUL || e->op == OP_DIV)
            fputs(op_name(e->op), o);
        else
            fprintf(o, " %s ", op_name(e->op));
        expr(o, e->b);
        fputc(')', o);
        return;
    case IE_SELECT:
        fputs("select(", o);
        expr(o, e->a);
        fputs(", ", o);
        expr(o, e->b);
        fputs(", ", o);
        expr(o, e->c);
        fputc(')', o);
        return;
    case IE_CALL:
        fprintf(o, "%s(", mathfn_name(e->fn));
        expr(o, e->a);
        fputc(')', o);
        return;
    case IE_CAST:
        fprintf(o, "%s(", dtype_name(e->dtype));
        expr(o, e->a);
        fputc(')', o);
        return;
    }
}

static void indent(FILE *o, int n) {
    for (int i = 0; i < n; i++) fputs("  ", o);
}

const char *ir_for_name(ForKind k) {
    switch (k) {
    case FOR_PARALLEL:
        return "parallel";
    case FOR_VECTORIZED:
        return "vectorized";
    case FOR_UNROLLED:
        return "unrolled";
    default:
        return "for";
    }
}

/* last: nothing follows s in its scope, so an allocate/let may run to the scope's end
 * unbraced, as TVM prints them. */
static void stmt(FILE *o, const IrStmt *s, int d, bool last) {
    if (!s) return;
    switch (s->kind) {
    case IS_FOR:
        indent(o, d);
        fprintf(o, "%s (%s, ", ir_for_name(s->for_kind), s->var->name);
        expr(o, s->min);
        fputs(", ", o);
        expr(o, s->extent);
        fputs(") {\n", o);
        stmt(o, s->body, d + 1, true);
        indent(o, d);
        fputs("}\n", o);
        return;
    case IS_LET:
    case IS_ALLOC:
        indent(o, d);
        if (s->kind == IS_LET) {
            fprintf(o, "let %s = ", s->var->name);
            expr(o, s->value);
        } else {
            fprintf(o, "allocate %s[%s * %" PRId64 "]%s", s->buf->name, dtype_name(s->buf->dtype),
                    s->buf->size, s->buf->kind == BUF_LOCAL ? " local" : "");
        }
        if (last) {
            fputc('\n', o);
            stmt(o, s->body, d, true);
        } else {
            fputs(" {\n", o);
            stmt(o, s->body, d + 1, true);
            indent(o, d);
            fputs("}\n", o);
        }
        return;
    case IS_STORE:
        indent(o, d);
        fprintf(o, "%s[", s->buf->name);
        expr(o, s->index);
        fputs("] = ", o);
        expr(o, s->value);
        fputc('\n', o);
        return;
    case IS_IF:
        indent(o, d);
        fputs("if (", o);
        expr(o, s->cond);
        fputs(") {\n", o);
        stmt(o, s->body, d + 1, true);
        indent(o, d);
        if (s->orelse) {
            fputs("} else {\n", o);
            stmt(o, s->orelse, d + 1, true);
            indent(o, d);
        }
        fputs("}\n", o);
        return;
    case IS_BLOCK:
        for (int i = 0; i < s->n; i++) stmt(o, s->stmts[i], d, last && i == s->n - 1);
        return;
    }
}

void ir_print(FILE *out, const IrFunc *f) {
    fprintf(out, "primfn %s(", f->name);
    for (int i = 0; i < f->nargs; i++)
        fprintf(out, "%s%s: %s[%" PRId64 "]", i ? ", " : "", f->args[i]->name,
                dtype_name(f->args[i]->dtype), f->args[i]->size);
    fputs(") {\n", out);
    stmt(out, f->body, 1, true);
    fputs("}\n", out);
}
