/* Text forms of a bound instance: takes an Inst; gives the `tec --check` listing (parameters,
 * stages with their bodies, schedules with knobs, flops, prototype) and the kernel's C prototype.
 * Expressions print with C precedence and every inserted cast shown. */
#include "lang/inst.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The shortest decimal form that reads back as the same value of dtype t, always with a '.'
 * or an exponent so it reads as a float literal. */
static void print_float(FILE *out, double v, DType t) {
    char buf[64];
    if (!isfinite(v)) {
        fputs(isnan(v) ? "nan" : v > 0 ? "inf" : "-inf", out);
        return;
    }
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, v);
        double back = strtod(buf, NULL);
        if (t == DT_FLOAT32 ? (float)back == (float)v : back == v) break;
    }
    if (!strpbrk(buf, ".eEn")) strcat(buf, ".0");
    fputs(buf, out);
}

static int prec_of(const Expr *e) {
    switch (e->kind) {
    case EX_BINARY:
        switch (e->op) {
        case OP_OR:
            return 1;
        case OP_AND:
            return 2;
        case OP_EQ:
        case OP_NE:
            return 3;
        case OP_LT:
        case OP_LE:
        case OP_GT:
        case OP_GE:
            return 4;
        case OP_ADD:
        case OP_SUB:
            return 5;
        case OP_MUL:
        case OP_DIV:
        case OP_MOD:
            return 6;
        default:
            return 9; /* min, max, pow print as calls */
        }
    case EX_UNARY:
        return 7;
    case EX_CONST:
        return (dtype_is_float(e->dtype) ? signbit(e->fval) : e->ival < 0) ? 7 : 9;
    default:
        return 9;
    }
}

static void print_expr(FILE *out, const Inst *in, const Stage *s, const Expr *e, int minprec) {
    int p = prec_of(e);
    if (p < minprec) fputc('(', out);
    switch (e->kind) {
    case EX_CONST:
        if (dtype_is_float(e->dtype))
            print_float(out, e->fval, e->dtype);
        else
            fprintf(out, "%lld", (long long)e->ival);
        break;
    case EX_VAR:
        fputs(e->axis >= 0 && e->axis < s->ndim + s->nreduce ? s->axes[e->axis].name : "?", out);
        break;
    case EX_LOAD:
        fprintf(out, "%s[", in->stages[e->stage].name);
        for (int i = 0; i < e->nargs; i++) {
            if (i) fputs(", ", out);
            print_expr(out, in, s, e->args[i], 0);
        }
        fputc(']', out);
        break;
    case EX_UNARY:
        fputs(op_name(e->op), out);
        print_expr(out, in, s, e->a, 8);
        break;
    case EX_BINARY:
        if (p == 9) {
            fprintf(out, "%s(", op_name(e->op));
            print_expr(out, in, s, e->a, 0);
            fputs(", ", out);
            print_expr(out, in, s, e->b, 0);
            fputc(')', out);
        } else {
            print_expr(out, in, s, e->a, p);
            fprintf(out, " %s ", op_name(e->op));
            print_expr(out, in, s, e->b, p + 1);
        }
        break;
    case EX_SELECT:
        fputs("select(", out);
        print_expr(out, in, s, e->a, 0);
        fputs(", ", out);
        print_expr(out, in, s, e->b, 0);
        fputs(", ", out);
        print_expr(out, in, s, e->c, 0);
        fputc(')', out);
        break;
    case EX_CALL:
        fprintf(out, "%s(", mathfn_name(e->fn));
        print_expr(out, in, s, e->a, 0);
        fputc(')', out);
        break;
    case EX_CAST:
        fprintf(out, "%s(", dtype_name(e->dtype));
        print_expr(out, in, s, e->a, 0);
        fputc(')', out);
        break;
    case EX_REDUCE:
        fprintf(out, "%s(", reduceop_name(e->rop));
        print_expr(out, in, s, e->a, 0);
        for (int i = 0; i < s->nreduce; i++) fprintf(out, ", %s", s->axes[s->ndim + i].name);
        fputc(')', out);
        break;
    }
    if (p < minprec) fputc(')', out);
}

static const char *ref_name(const Inst *in, StageRef r) {
    if (!r.cache) return in->stages[r.stage].name;
    for (int i = 0; i < in->nscheds; i++)
        for (int j = 0; j < in->scheds[i].nstmts; j++) {
            const SStmt *s = &in->scheds[i].stmts[j];
            if (s->kind == SS_CACHE_WRITE && in->scheds[i].stage.stage == r.stage &&
                !in->scheds[i].stage.cache)
                return s->outs[0];
        }
    return "?";
}

static void print_names(FILE *out, const char *const *v, int n) {
    for (int i = 0; i < n; i++) fprintf(out, "%s%s", i ? ", " : "", v[i]);
}

static void print_knob(FILE *out, const Knob *k) {
    fprintf(out, "knob %s = ", k->name);
    switch (k->kind) {
    case KNOB_LIST:
        fputc('[', out);
        for (int i = 0; i < k->nvals; i++)
            fprintf(out, "%s%lld", i ? ", " : "", (long long)k->vals[i]);
        fputc(']', out);
        return;
    case KNOB_SPLIT:
        fprintf(out, "split(%s, %d, policy=%s", k->axis, k->nouts, policy_name(k->policy));
        if (k->max_factor) fprintf(out, ", max_factor=%lld", (long long)k->max_factor);
        if (k->policy == POL_CANDIDATE) {
            fputs(", candidate=[", out);
            for (int r = 0; r < k->ncand; r++) {
                fputs(r ? ", [" : "[", out);
                for (int j = 0; j < k->nouts; j++)
                    fprintf(out, "%s%lld", j ? ", " : "", (long long)k->cand[r * k->nouts + j]);
                fputc(']', out);
            }
            fputc(']', out);
        }
        fprintf(out, ")  # extent %lld", (long long)k->extent);
        return;
    case KNOB_REORDER:
    case KNOB_ANNOTATE:
        fprintf(out, "%s(", k->kind == KNOB_REORDER ? "reorder" : "annotate");
        print_names(out, k->axes, k->naxes);
        fprintf(out, ", policy=%s", policy_name(k->policy));
        if (k->policy == POL_INTERVAL_ALL) fprintf(out, ", interval=(%d, %d)", k->ib, k->ie);
        if (k->kind == KNOB_REORDER && k->policy == POL_CANDIDATE) {
            fputs(", candidate=[", out);
            for (int r = 0; r < k->ncand; r++) {
                fputs(r ? ", [" : "[", out);
                for (int j = 0; j < k->naxes; j++)
                    fprintf(out, "%s%s", j ? ", " : "", k->axes[k->cand[r * k->naxes + j]]);
                fputc(']', out);
            }
            fputc(']', out);
        }
        fputc(')', out);
        return;
    }
}

static void print_sstmt(FILE *out, const Inst *in, const SStmt *s) {
    fputs("  ", out);
    switch (s->kind) {
    case SS_KNOB:
        print_knob(out, &in->knobs[s->knob]);
        break;
    case SS_SPLIT:
        fprintf(out, "split %s -> ", s->axis);
        print_names(out, s->outs, s->nouts);
        fputs(s->nparts ? " nparts " : " by ", out);
        if (s->knob >= 0)
            fputs(in->knobs[s->knob].name, out);
        else
            fprintf(out, "%lld", (long long)s->factor);
        break;
    case SS_FUSE:
        fputs("fuse ", out);
        print_names(out, s->axes, s->naxes);
        fprintf(out, " -> %s", s->outs[0]);
        break;
    case SS_REORDER:
        fputs("reorder ", out);
        if (s->knob >= 0)
            fputs(in->knobs[s->knob].name, out);
        else
            print_names(out, s->axes, s->naxes);
        break;
    case SS_VECTORIZE:
        fprintf(out, "vectorize %s", s->axis);
        break;
    case SS_UNROLL:
        fprintf(out, "unroll %s", s->axis);
        break;
    case SS_PARALLEL:
        fprintf(out, "parallel %s", s->axis);
        break;
    case SS_ANNOTATE:
        fprintf(out, "annotate %s", in->knobs[s->knob].name);
        break;
    case SS_COMPUTE_AT:
        fprintf(out, "compute_at %s.%s", ref_name(in, s->target), s->axis);
        break;
    case SS_COMPUTE_INLINE:
        fputs("compute_inline", out);
        break;
    case SS_CACHE_WRITE:
        fprintf(out, "%s = cache_write()", s->outs[0]);
        break;
    }
    fputc('\n', out);
}

static void print_stage(FILE *out, const Inst *in, const Stage *s) {
    fprintf(out, "stage %s: %s %s (", s->name,
            s->kind == STAGE_PLACEHOLDER ? "placeholder" : "compute", dtype_name(s->dtype));
    for (int i = 0; i < s->ndim; i++) fprintf(out, "%s%lld", i ? ", " : "", (long long)s->shape[i]);
    fputc(')', out);
    if (s->kind == STAGE_COMPUTE) {
        fputs(" axes", out);
        for (int i = 0; i < s->ndim; i++)
            fprintf(out, " %s:%lld", s->axes[i].name, (long long)s->axes[i].extent);
        if (s->nreduce) fputs(" reduce", out);
        for (int i = s->ndim; i < s->ndim + s->nreduce; i++)
            fprintf(out, " %s:[%lld,%lld)", s->axes[i].name, (long long)s->axes[i].min,
                    (long long)(s->axes[i].min + s->axes[i].extent));
    }
    if (s->kind == STAGE_PLACEHOLDER)
        fputs(" input", out);
    else if (s->is_output)
        fputs(" output", out);
    fputc('\n', out);
    if (s->kind != STAGE_COMPUTE) return;
    fprintf(out, "  %s[", s->name);
    for (int i = 0; i < s->ndim; i++) fprintf(out, "%s%s", i ? ", " : "", s->axes[i].name);
    fputs("] = ", out);
    print_expr(out, in, s, s->body, 0);
    fputc('\n', out);
}

void inst_print(FILE *out, const Inst *in) {
    fprintf(out, "template %s(", in->name);
    for (int i = 0; i < in->nparams; i++) {
        const ParamVal *p = &in->params[i];
        if (p->is_dtype)
            fprintf(out, "%s%s=%s", i ? ", " : "", p->name, dtype_name(p->dtype));
        else
            fprintf(out, "%s%s=%lld", i ? ", " : "", p->name, (long long)p->ival);
    }
    fputs(")\n", out);
    for (int i = 0; i < in->nstages; i++) print_stage(out, in, &in->stages[i]);
    for (int i = 0; i < in->nscheds; i++) {
        fprintf(out, "schedule %s\n", ref_name(in, in->scheds[i].stage));
        for (int j = 0; j < in->scheds[i].nstmts; j++)
            print_sstmt(out, in, &in->scheds[i].stmts[j]);
    }
    fprintf(out, "flops: %.0f\n", inst_flops(in));
    Arena *a = arena_new();
    fprintf(out, "%s\n", inst_prototype(a, in));
    arena_free(a);
}

/* Measures, then writes once: appending with arena_printf would copy the whole string per
 * argument, quadratic in time and arena memory for a kernel with many tensors. */
char *inst_prototype(Arena *a, const Inst *in) {
    size_t len = strlen("void ();") + strlen(in->name) + (in->nargs == 0 ? strlen("void") : 0);
    for (int i = 0; i < in->nargs; i++) {
        const Stage *s = &in->stages[in->args[i]];
        len += strlen(", const  *") + strlen(dtype_ctype(s->dtype)) + strlen(s->name);
    }
    char *r = arena_alloc(a, len + 1), *p = r;
    p += sprintf(p, "void %s(", in->name);
    for (int i = 0; i < in->nargs; i++) {
        const Stage *s = &in->stages[in->args[i]];
        p += sprintf(p, "%s%s%s *%s", i ? ", " : "", s->kind == STAGE_PLACEHOLDER ? "const " : "",
                     dtype_ctype(s->dtype), s->name);
    }
    if (in->nargs == 0) p += sprintf(p, "void");
    sprintf(p, ");");
    return r;
}
