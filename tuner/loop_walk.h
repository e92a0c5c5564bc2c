/* One walk over a lowered loop nest (before unrolling), shared by the loop features
 * (tuner/features_loops.c) and the analytic cost prior (tuner/cost_prior.c): takes an IrFunc,
 * gives its loops (extent, kind, nest depth), its buffer accesses with their enclosing loops and
 * statement, and each access's pattern inside each enclosing loop (stride, count, bytes, reuse). */
#ifndef TEC_LOOP_WALK_H
#define TEC_LOOP_WALK_H
#include "compiler/ir.h"
#include "compiler/ir_util.h"
#include "lang/arena.h"

typedef struct WalkLoop {
    int64_t extent;
    int depth; /* 1 = outermost */
    ForKind kind;
    double topdown, bottomup;
    double ops[3]; /* value arithmetic inside it: add/sub, mul, div and others */
} WalkLoop;

typedef struct WalkAccess {
    const IrBuf *buf;
    int occ; /* occurrence of the buffer, in IR order */
    const IrExpr *index;
    int nenc;
    int *enc;    /* enclosing loops, outer to inner */
    int stmt;    /* the store statement it belongs to (its value, index or the store itself) */
    bool store;  /* the store's own access */
    int guarded; /* enclosing loops outside the innermost `if` around it; -1: none */
} WalkAccess;

/* A store statement: its value's arithmetic (add/sub, mul, other) per execution. */
typedef struct WalkStmt {
    int ops[3];
} WalkStmt;

typedef struct LoopWalk {
    Arena *a;
    WalkLoop *loops;
    int nloops, cap_loops;
    WalkAccess *acc;
    int nacc, cap_acc;
    WalkStmt *stmts;
    int nstmts, cap_stmts;
    /* walk state */
    int *stack;
    int depth, cap_stack;
    int cur_stmt, if_depth;
    const IrVar **loop_var; /* per loop */
    const IrExpr **lets;    /* by variable id: a let's value (indices see through lets) */
    int nvars;
    IrRanges rg;
} LoopWalk;

/* An access's pattern inside one enclosing loop (itself included), as AutoTVM's touch
 * extractor counts it. */
typedef struct Touch {
    double stride, count, bytes, reuse, ratio;
} Touch;

/* Walk f's body; loop_walk_free releases it. */
void loop_walk(LoopWalk *w, const IrFunc *f);
void loop_walk_free(LoopWalk *w);
/* t[q] for each enclosing loop q of a (outer to inner): its pattern inside that loop. */
void loop_walk_touches(const LoopWalk *w, const WalkAccess *a, Touch *t);
#endif
