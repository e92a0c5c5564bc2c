/* A bound template instance: what sema gives every later module. Parameters bound to values,
 * shapes folded to integers, names resolved, dtypes inferred and made explicit (casts inserted),
 * schedule statements and knob declarations checked and kept in textual order as data.
 * All of it lives in the arena the instance was built in. */
#ifndef TEC_INST_H
#define TEC_INST_H
#include "lang/ast.h"
#include "lang/dtype.h"

/* An iteration axis of a compute stage: a lambda variable (range [0, shape[d])) or a reduce
 * axis (range [min, min + extent)). */
typedef struct Axis {
    const char *name;
    Loc loc;
    int64_t min, extent;
    bool reduce;
} Axis;

typedef enum ExprKind {
    EX_CONST,  /* dtype; ival for bool/int dtypes, fval for float dtypes */
    EX_VAR,    /* axis: index into the enclosing stage's axes[] (data axes, then reduce axes);
                  dtype int32 */
    EX_LOAD,   /* stage: index into inst->stages of the tensor read; args[nargs] (int32 or
                  int64 index expressions, one per dimension) */
    EX_UNARY,  /* op OP_NEG / OP_NOT; a */
    EX_BINARY, /* op (arithmetic, comparison, OP_AND/OP_OR, OP_MIN/OP_MAX/OP_POW); a, b.
                  Operands have equal dtypes; comparisons and logic give bool */
    EX_SELECT, /* a (bool) ? b : c; only the taken branch is evaluated */
    EX_CALL,   /* fn; a (float dtype, or abs on ints) */
    EX_CAST,   /* dtype; a */
    EX_REDUCE, /* rop; a: the body (the combiner's source); the reduction runs over all of the
                  stage's reduce axes. Only ever the whole body of a compute stage */
} ExprKind;

typedef enum MathFn { FN_EXP, FN_LOG, FN_SQRT, FN_TANH, FN_ABS, FN_FLOOR, FN_CEIL } MathFn;
typedef enum ReduceOp { RED_SUM, RED_MAX, RED_MIN } ReduceOp;
const char *mathfn_name(MathFn f);
const char *reduceop_name(ReduceOp r); /* "sum", "reduce_max", "reduce_min" */

typedef struct Expr Expr;
struct Expr {
    ExprKind kind;
    DType dtype;
    Loc loc;
    union {
        int64_t ival; /* EX_CONST of bool/int dtype */
        double fval;  /* EX_CONST of float dtype */
        int axis;     /* EX_VAR */
        int stage;    /* EX_LOAD */
        Op op;        /* EX_UNARY, EX_BINARY */
        MathFn fn;    /* EX_CALL */
        ReduceOp rop; /* EX_REDUCE */
    };
    Expr *a, *b, *c;
    Expr **args; /* EX_LOAD */
    int nargs;
};

typedef enum StageKind { STAGE_PLACEHOLDER, STAGE_COMPUTE } StageKind;

typedef struct Stage {
    const char *name;
    Loc loc;
    StageKind kind;
    DType dtype;
    int ndim;
    int64_t *shape; /* ndim positive extents */
    /* STAGE_COMPUTE only: */
    Axis *axes; /* ndim data axes (lambda variables), then nreduce reduce axes */
    int nreduce;
    Expr *body;     /* EX_REDUCE at the root, or an expression without reductions */
    bool is_output; /* no other stage reads it: an output argument of the kernel */
    int arg_index;  /* position in the kernel's argument list, -1 for an intermediate */
} Stage;

/* A stage as schedule statements see it: a stage, or the cache stage made by
 * `CC = cache_write()` in stage's schedule block. */
typedef struct StageRef {
    int stage;
    bool cache;
} StageRef;

typedef enum KnobKind { KNOB_LIST, KNOB_SPLIT, KNOB_REORDER, KNOB_ANNOTATE } KnobKind;
typedef enum KnobPolicy {
    POL_NONE, /* KNOB_LIST */
    POL_FACTORS,
    POL_POWER2,
    POL_VERBOSE,   /* KNOB_SPLIT (also POL_CANDIDATE) */
    POL_CANDIDATE, /* KNOB_SPLIT and KNOB_REORDER */
    POL_IDENTITY,
    POL_ALL,
    POL_INTERVAL_ALL, /* KNOB_REORDER */
    POL_TRY_UNROLL,
    POL_TRY_VEC,
    POL_TRY_UNROLL_VEC, /* KNOB_ANNOTATE */
} KnobPolicy;
const char *policy_name(KnobPolicy p); /* AutoTVM's spelling: "factors", "try_unroll_vec", ... */

/* The most axes a knob spans and the most outputs a split knob makes: a language limit that
 * sema reports, and the size of a config's per-knob value (compiler/config.h). */
#define KNOB_MAX_VALS 16

/* The most nodes of a stage's body once its compute_inline producers are substituted (each
 * axis standing for the index expression it is bound to): sema reports more at the
 * compute_inline statement, so lowering, its passes and codegen never copy a huge tree (a chain
 * S_k = S_{k-1}[i] + S_{k-1}[i] doubles per stage). See docs/lowering.md. */
#define INLINE_MAX_NODES 4096

/* One dimension of the config space, as declared (`knob NAME = ...`). */
typedef struct Knob {
    const char *name;
    Loc loc;
    KnobKind kind;
    KnobPolicy policy;
    StageRef stage; /* the schedule block it was declared in */
    /* KNOB_LIST: the candidate values, in order */
    int64_t *vals;
    int nvals;
    /* KNOB_SPLIT: the axis, its extent at the declaration, outputs (>= 2), max_factor (0: none) */
    const char *axis;
    int64_t extent;
    int nouts;
    int64_t max_factor;
    /* KNOB_REORDER / KNOB_ANNOTATE: the axes, by name, as listed */
    const char **axes;
    int naxes;
    int ib, ie; /* KNOB_REORDER, POL_INTERVAL_ALL: permute axes[ib:ie] (`interval = (b, e)`) */
    /* POL_CANDIDATE: ncand candidates, flattened. KNOB_SPLIT: ncand rows of nouts sizes
     * (row[0] is -1 as in AutoTVM); KNOB_REORDER: ncand rows of naxes indices into axes[]. */
    int64_t *cand;
    int ncand;
} Knob;

typedef enum SStmtKind {
    SS_KNOB,       /* knob: index into inst->knobs (declaration point; no loop change) */
    SS_SPLIT,      /* axis -> outs[nouts]. nouts == 2 with a literal factor (knob < 0) or a
                      KNOB_LIST knob; or nouts >= 2 with a KNOB_SPLIT knob (apply all of it).
                      nparts: factor gives the outer extent instead of the inner one */
    SS_FUSE,       /* axes[naxes] (>= 2, adjacent, outer to inner) -> outs[0] */
    SS_REORDER,    /* axes[naxes], or knob (a KNOB_REORDER) when knob >= 0 */
    SS_VECTORIZE,  /* axis */
    SS_UNROLL,     /* axis */
    SS_PARALLEL,   /* axis */
    SS_ANNOTATE,   /* knob (a KNOB_ANNOTATE) */
    SS_COMPUTE_AT, /* target: consumer stage; axis: its leaf axis */
    SS_COMPUTE_INLINE,
    SS_CACHE_WRITE, /* outs[0]: the cache stage's name */
} SStmtKind;

typedef struct SStmt {
    SStmtKind kind;
    Loc loc;
    const char *axis;  /* SS_SPLIT, SS_VECTORIZE/UNROLL/PARALLEL, SS_COMPUTE_AT */
    const char **axes; /* SS_FUSE, SS_REORDER */
    int naxes;
    const char **outs; /* SS_SPLIT, SS_FUSE, SS_CACHE_WRITE */
    int nouts;
    int64_t factor; /* SS_SPLIT with a literal factor (>= 1) */
    bool nparts;
    int knob;        /* index into inst->knobs, or -1 */
    StageRef target; /* SS_COMPUTE_AT */
} SStmt;

/* The statements of one `schedule NAME { }` block, for stage (or its cache stage). */
typedef struct Schedule {
    StageRef stage;
    Loc loc;
    SStmt *stmts;
    int nstmts;
} Schedule;

typedef struct ParamVal {
    const char *name;
    bool is_dtype;
    int64_t ival; /* integer parameter */
    DType dtype;  /* dtype parameter */
} ParamVal;

typedef struct Inst {
    const char *name; /* template name: the kernel's symbol */
    ParamVal *params; /* in declaration order, all bound */
    int nparams;
    Stage *stages; /* declaration order: placeholders and computes interleaved as written */
    int nstages;
    int *args; /* kernel arguments: stage indices, placeholders then outputs */
    int nargs;
    Knob *knobs; /* declaration order (the config index's digit order) */
    int nknobs;
    Schedule *scheds; /* textual order */
    int nscheds;
} Inst;

/* A -D binding from the command line. */
typedef struct Define {
    const char *name, *value;
} Define;

/* Pick a template (by name, or the only one when name is NULL), bind the defines, check
 * everything, and build the instance. Errors go to d (all independent ones, up to the limit);
 * returns NULL if any was reported. Unknown -D names and missing parameters are errors. */
Inst *sema_bind(Arena *a, Diag *d, const Program *p, const char *tname, const Define *defs,
                int ndefs);

/* Print the instance for `tec --check`: parameters, stages with shapes and dtypes, outputs,
 * knobs, and the kernel's C prototype. */
void inst_print(FILE *out, const Inst *in);
/* The kernel's C prototype without trailing newline, e.g.
 * "void matmul(const float *A, const float *B, float *C);" */
char *inst_prototype(Arena *a, const Inst *in);
/* Number of elements of a stage. */
int64_t stage_size(const Stage *s);
/* The largest product of reduce extents of any stage (1 if none): the reduction length that
 * sets the tolerance of comparing any output, since outputs inherit the rounding of every
 * reduction they read. */
int64_t inst_max_reduction(const Inst *in);
/* DT_FLOAT32 if any compute rounds a value to float32 (float32 arithmetic, a math call, a
 * reduction or a cast to float32), else DT_FLOAT64: the precision that sets the tolerance of
 * comparing any float output (eval_compare_at), since outputs inherit the rounding of what they
 * read. */
DType inst_float_precision(const Inst *in);
/* FLOPs of the whole kernel counted as AutoTVM does (matmul = 2*N*L*M). */
double inst_flops(const Inst *in);
#endif
