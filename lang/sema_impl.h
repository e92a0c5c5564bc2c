/* Internal to sema: the checking context shared by sema.c (templates, parameters, stages,
 * expressions) and sema_sched.c (schedule blocks and knobs). Not for other modules. */
#ifndef TEC_SEMA_IMPL_H
#define TEC_SEMA_IMPL_H
#include "lang/inst.h"

/* What a template-level name stands for. */
typedef enum SymKind {
    SYM_PARAM_INT,   /* index: into inst->params */
    SYM_PARAM_DTYPE, /* index: into inst->params */
    SYM_STAGE,       /* index: into inst->stages */
    SYM_CACHE,       /* index: the stage whose cache stage this is */
    SYM_RAXIS,       /* index: into Sema.raxes */
    SYM_KNOB,        /* index: into inst->knobs */
    SYM_BAD,         /* its definition had an error: uses are silently skipped */
} SymKind;

typedef struct Sym {
    const char *name;
    SymKind kind;
    int index;
    Loc loc;
} Sym;

/* A reduce axis as declared by `k = reduce_axis(a, b)`. */
typedef struct RAxis {
    const char *name;
    Loc loc;
    int64_t min, extent;
} RAxis;

/* A name defined later in the template, for "declared later" messages. */
typedef struct Later {
    const char *name;
    Loc loc;
    bool knob;  /* a knob declaration */
    bool cache; /* a cache stage, `CC = cache_write()` */
} Later;

typedef struct Sema {
    Arena *a;
    Diag *d;
    const Template *t;
    Inst *in;
    Sym *syms;
    int nsyms, capsyms;
    int *hash; /* open addressing over syms: index + 1, 0 = empty; hcap a power of two */
    int hcap;
    RAxis *raxes;
    int nraxes, capraxes;
    int capstages, capknobs;
    Later *later; /* every top-level definition and knob of the template, in textual order */
    int nlater;
    bool outputs_known; /* the stages were all bound: is_output is exact */
    bool *blamed;       /* per parameter: an extent error already named it (one error per bad -D) */
} Sema;

/* Symbols (sema.c). */
Sym *sema_lookup(Sema *S, const char *name);
/* Define a template-level name; reports a redefinition (and returns false) if taken. */
bool sema_define(Sema *S, const char *name, Loc loc, SymKind kind, int index);
/* Report a name that is not defined (yet): "unknown name", or "declared later" when it is. */
void sema_unknown(Sema *S, const char *what, const char *name, Loc loc);
/* Fold an integer expression of literals and integer parameters (+ - * / % unary -, min, max). */
bool sema_fold_int(Sema *S, const Node *n, int64_t *out);
const char *sema_stage_name(const Sema *S, StageRef r);

/* The context of a compute body. */
typedef struct ECtx {
    int stage; /* index the stage will get */
    const char *sname;
    Node **vars; /* lambda parameters (AST_NAME) */
    int nvars;
    int *red; /* raxes indices listed in the reduction, in order */
    int nred;
    bool in_red; /* checking the source of the reduction */
} ECtx;

/* A call has no keyword arguments (reports the first one). */
bool sema_no_kwargs(Sema *S, const Node *call);
/* Expressions (sema_expr.c): the checked body of a compute (see there), NULL after an error. */
Expr *sema_body(Sema *S, ECtx *C, const Node *body, DType want);

/* Reads that leave their tensor for certain (sema_bounds.c): reports them, located at the index. */
void sema_check_reads(Sema *S, int stage);

/* Schedules (sema_sched.c): check every `schedule` block of the template in textual order and
 * fill inst->knobs and inst->scheds. Runs after every stage is bound and outputs are known. */
void sema_schedules(Sema *S);
/* Inlined expression sizes (sema_inline.c): a located error at the compute_inline statement
 * (inline_at[i] for stage i when inlined[i]) when a body would exceed INLINE_MAX_NODES. */
void sema_inline_sizes(Sema *S, const bool *inlined, const Loc *inline_at);
#endif
