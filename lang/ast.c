/* AST dump: takes a Program, gives a compact S-expression text, one statement a line,
 * for the parser's golden tests and for debugging. */
#include "lang/ast.h"
#include <math.h>
#include <stdlib.h>

/* Shortest text that reads back as the same double, always with a '.' or an exponent so it
 * cannot be mistaken for an integer. */
static void dump_float(FILE *out, double v) {
    char buf[40];
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, v);
        if (strtod(buf, NULL) == v) break;
    }
    bool plain = isfinite(v);
    for (const char *c = buf; *c; c++)
        if (*c == '.' || *c == 'e') plain = false;
    fprintf(out, "%s%s", buf, plain ? ".0" : "");
}

static void dump_node(FILE *out, const Node *n);

static void dump_args(FILE *out, const Node *n) {
    for (int i = 0; i < n->nargs; i++) {
        fputc(' ', out);
        dump_node(out, n->args[i]);
    }
}

static void dump_node(FILE *out, const Node *n) {
    if (!n) {
        fputs("<null>", out);
        return;
    }
    switch (n->kind) {
    case AST_INT:
        fprintf(out, "%lld", (long long)n->ival);
        return;
    case AST_FLOAT:
        dump_float(out, n->fval);
        return;
    case AST_NAME:
        fputs(n->name, out);
        return;
    case AST_INDEX:
        fprintf(out, "(index %s", n->name);
        break;
    case AST_CALL:
        fprintf(out, "(call %s", n->name);
        break;
    case AST_KWARG:
        fprintf(out, "(kw %s ", n->name);
        dump_node(out, n->lhs);
        break;
    case AST_UNARY:
        fprintf(out, "(%s ", op_name(n->op));
        dump_node(out, n->lhs);
        break;
    case AST_BINARY:
        fprintf(out, "(%s ", op_name(n->op));
        dump_node(out, n->lhs);
        fputc(' ', out);
        dump_node(out, n->rhs);
        break;
    case AST_TUPLE:
        fputs("(tuple", out);
        break;
    case AST_LIST:
        fputs("(list", out);
        break;
    case AST_LAMBDA:
        fputs("(lambda (", out);
        for (int i = 0; i < n->nargs; i++) {
            if (i) fputc(' ', out);
            dump_node(out, n->args[i]);
        }
        fputs(") ", out);
        dump_node(out, n->lhs);
        fputc(')', out);
        return;
    }
    dump_args(out, n); /* none for kwargs and operators */
    fputc(')', out);
}

static void dump_ids(FILE *out, const Ident *ids, int n) {
    for (int i = 0; i < n; i++) fprintf(out, "%s%s", i ? " " : "", ids[i].name);
}

static void dump_stmt(FILE *out, const Stmt *s, int indent) {
    fprintf(out, "%*s", indent, "");
    switch (s->kind) {
    case STMT_ASSIGN:
        fprintf(out, "(= %s ", s->name.name);
        dump_node(out, s->value);
        break;
    case STMT_SCHEDULE:
        fprintf(out, "(schedule %s", s->name.name);
        for (int i = 0; i < s->nbody; i++) {
            fputc('\n', out);
            dump_stmt(out, s->body[i], indent + 2);
        }
        break;
    case STMT_KNOB:
        fprintf(out, "(knob %s ", s->name.name);
        dump_node(out, s->value);
        break;
    case STMT_SPLIT:
        fprintf(out, "(split %s (", s->name.name);
        dump_ids(out, s->ids, s->nids);
        fprintf(out, ") %s ", s->nparts ? "nparts" : "by");
        dump_node(out, s->value);
        break;
    case STMT_FUSE:
        fputs("(fuse (", out);
        dump_ids(out, s->ids, s->nids);
        fprintf(out, ") %s", s->name.name);
        break;
    case STMT_REORDER:
        fputs("(reorder ", out);
        dump_ids(out, s->ids, s->nids);
        break;
    case STMT_VECTORIZE:
        fprintf(out, "(vectorize %s", s->name.name);
        break;
    case STMT_UNROLL:
        fprintf(out, "(unroll %s", s->name.name);
        break;
    case STMT_PARALLEL:
        fprintf(out, "(parallel %s", s->name.name);
        break;
    case STMT_ANNOTATE:
        fprintf(out, "(annotate %s", s->name.name);
        break;
    case STMT_COMPUTE_AT:
        fprintf(out, "(compute_at %s %s", s->name.name, s->at_axis.name);
        break;
    case STMT_COMPUTE_INLINE:
        fputs("(compute_inline", out);
        break;
    }
    fputc(')', out);
}

void ast_dump(FILE *out, const Program *p) {
    fputs("(program", out);
    for (int t = 0; t < p->ntemplates; t++) {
        const Template *tp = p->templates[t];
        fprintf(out, "\n  (template %s (", tp->name.name);
        for (int i = 0; i < tp->nparams; i++) {
            if (i) fputc(' ', out);
            if (tp->params[i].def) {
                fprintf(out, "(= %s ", tp->params[i].name.name);
                dump_node(out, tp->params[i].def);
                fputc(')', out);
            } else {
                fputs(tp->params[i].name.name, out);
            }
        }
        fputc(')', out);
        for (int i = 0; i < tp->nbody; i++) {
            fputc('\n', out);
            dump_stmt(out, tp->body[i], 4);
        }
        fputc(')', out);
    }
    fputs(")\n", out);
}
