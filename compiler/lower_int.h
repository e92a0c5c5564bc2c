/* Lowering's internal state, shared by its steps: bound inference (lower_bound.c), expression
 * conversion (lower_expr.c) and loop-nest construction (lower_build_nest.c). Not for other modules.
 */
#ifndef TEC_LOWER_INT_H
#define TEC_LOWER_INT_H
#include "compiler/lower.h"
#include "compiler/passes.h"
#include "compiler/schedule.h"

/* What lowering knows of one sched stage once bound inference has run. */
typedef struct StageLow {
    IrBuf *buf;      /* where its values live; NULL for an inlined stage */
    int64_t *bshape; /* the buffer's dimensions (ndata): the region for attached stages */
    IrExpr **rmin;   /* attached stages: the region's first index per data axis; else NULL */
    bool *rguard;    /* attached stages, per data axis: the region may pass the tensor's end, whose
                        elements the stage skips (a guard), rather than being clamped; else NULL */
    IrExpr **val;    /* per axis: its 0-based value from the leaf loop variables */
    IrExpr **root;   /* per root axis: the index it stands for (region min or axis min added) */
} StageLow;

typedef struct LowerCtx LowerCtx;
/* Called for every load of the watched stage with its per-dimension int64 indices. */
typedef void (*LoadHook)(LowerCtx *c, IrExpr **idx, int n);

struct LowerCtx {
    Arena *a;
    Diag *d;
    const Inst *in;
    Sched *s;
    IrFunc *f;
    StageLow *low;    /* per sched stage */
    IrBuf **inst_buf; /* per instance stage: placeholders' argument buffers */
    IrRanges ranges;  /* domains of the loop variables made so far */
    int watch;        /* sched stage whose loads go to hook, or -1 */
    LoadHook hook;
    void *hook_data;
};

/* lower_bound.c: for every stage, consumers first, its extents (the region its consumers read when
 * attached), loop variables and axis values. False after reporting a schedule error. */
bool lower_bound_infer(LowerCtx *c);

/* lower_bound.c helpers: every axis value from the leaf values (leafval[k] for the k-th leaf), and
 * the root axes' index values from axis values (region or axis min added). */
IrExpr **lower_axis_values(LowerCtx *c, int si, IrExpr **leafval);
IrExpr **lower_root_values(LowerCtx *c, int si, IrExpr **val);

/* lower_expr.c: the value of a stage body expression with its axes (data, then reduce) at
 * axis_vals (int64). Loads of inlined stages are replaced by their bodies; loads of other
 * stages go to their buffers (offset by an attached stage's region). */
IrExpr *lower_expr(LowerCtx *c, const Expr *e, IrExpr **axis_vals);
/* The value sched stage si holds at data index idx[ndata] (int64): a load of its buffer, or
 * its body for an inlined stage. */
IrExpr *lower_stage_value(LowerCtx *c, int si, IrExpr **idx);
/* The flat element index of idx in sched stage si's buffer. */
IrExpr *lower_flat_index(LowerCtx *c, int si, IrExpr **idx);
/* The value the stage computes at its root axis values (non-reduction body, the copy of a
 * cache, or the source of a reduction). */
IrExpr *lower_stage_body(LowerCtx *c, int si, IrExpr **root);

/* lower_build_nest.c: the loop nest of the whole kernel (root stages in order, attached stages at
 * their loops, intermediate buffers allocated around everything). */
IrStmt *lower_build_nest(LowerCtx *c);

/* Simplify with the domains known so far. */
IrExpr *lower_simp(LowerCtx *c, IrExpr *e);
#endif
