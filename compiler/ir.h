/* The loop-nest IR that lowering builds and codegen consumes: tagged-union expression and
 * statement nodes in one arena. Buffers are flat (row-major, index in elements, int64). */
#ifndef TEC_IR_H
#define TEC_IR_H
#include "lang/inst.h"

/* A scalar variable: a loop variable or a let-bound value; always int64. */
typedef struct IrVar {
    const char *name; /* printed name, e.g. "i.outer" */
    int id;           /* unique within a function */
} IrVar;

typedef enum IrBufKind {
    BUF_ARG,    /* a kernel argument: arg = its position */
    BUF_GLOBAL, /* an intermediate stage: allocated per kernel call (stack if small, else heap) */
    BUF_LOCAL,  /* a small tile (cache_write, compute_at): allocated where its IS_ALLOC is, per
                   thread; codegen makes it an alloca so LLVM can keep it in registers */
} IrBufKind;

typedef struct IrBuf {
    const char *name;
    DType dtype;
    int64_t size; /* elements */
    IrBufKind kind;
    int arg;       /* BUF_ARG: argument position */
    bool readonly; /* BUF_ARG inputs: `const T *` */
} IrBuf;

typedef enum IrExprKind {
    IE_CONST,  /* dtype; ival (bool/int) or fval (float) */
    IE_VAR,    /* var (dtype int64) */
    IE_LOAD,   /* buf; a = flat element index (int64) */
    IE_UNARY,  /* op: OP_NEG, OP_NOT; a */
    IE_BINARY, /* op; a, b of equal dtypes (comparison/logic results are bool) */
    IE_SELECT, /* a ? b : c, only the taken branch evaluated */
    IE_CALL,   /* fn; a */
    IE_CAST,   /* dtype; a */
} IrExprKind;

typedef struct IrExpr IrExpr;
struct IrExpr {
    IrExprKind kind;
    DType dtype;
    union {
        int64_t ival;
        double fval;
        IrVar *var;
        Op op;
        MathFn fn;
    };
    IrBuf *buf;
    IrExpr *a, *b, *c;
};

typedef enum ForKind { FOR_SERIAL, FOR_PARALLEL, FOR_VECTORIZED, FOR_UNROLLED } ForKind;

typedef enum IrStmtKind {
    IS_FOR,   /* for var in [min, min + extent): kind; body. min and extent are int64 exprs;
                 extent is constant for FOR_VECTORIZED and FOR_UNROLLED */
    IS_LET,   /* var = value (int64) in body */
    IS_STORE, /* buf[index] = value */
    IS_IF,    /* if cond then body else orelse (may be NULL) */
    IS_ALLOC, /* buf (BUF_GLOBAL or BUF_LOCAL) is live within body */
    IS_BLOCK, /* stmts[n] in sequence */
} IrStmtKind;

typedef struct IrStmt IrStmt;
struct IrStmt {
    IrStmtKind kind;
    IrVar *var;           /* IS_FOR, IS_LET */
    IrExpr *min, *extent; /* IS_FOR */
    ForKind for_kind;     /* IS_FOR */
    IrExpr *value;        /* IS_LET, IS_STORE */
    IrExpr *index;        /* IS_STORE */
    IrExpr *cond;         /* IS_IF */
    IrBuf *buf;           /* IS_STORE, IS_ALLOC */
    IrStmt *body;         /* IS_FOR, IS_LET, IS_IF (then), IS_ALLOC */
    IrStmt *orelse;       /* IS_IF */
    IrStmt **stmts;       /* IS_BLOCK */
    int n;
};

/* A lowered kernel: the function NAME(args...) of the kernel ABI. */
typedef struct IrFunc {
    const char *name;
    IrBuf **args; /* kernel arguments in ABI order */
    int nargs;
    IrStmt *body;
    int nvars; /* ids are 0..nvars-1 */
} IrFunc;

/* Constructors (arena-allocated). */
IrExpr *ir_int(Arena *a, int64_t v);                        /* int64 constant */
IrExpr *ir_const(Arena *a, DType t, int64_t iv, double fv); /* constant of dtype t */
IrExpr *ir_var(Arena *a, IrVar *v);
IrExpr *ir_load(Arena *a, IrBuf *b, IrExpr *index);
IrExpr *ir_unary(Arena *a, Op op, IrExpr *x);
IrExpr *ir_binary(Arena *a, Op op, IrExpr *x, IrExpr *y); /* dtype from op and operands */
IrExpr *ir_select(Arena *a, IrExpr *c, IrExpr *x, IrExpr *y);
IrExpr *ir_call(Arena *a, MathFn fn, IrExpr *x);
IrExpr *ir_cast(Arena *a, DType t, IrExpr *x);
IrStmt *ir_for(Arena *a, IrVar *v, IrExpr *min, IrExpr *extent, ForKind k, IrStmt *body);
IrStmt *ir_let(Arena *a, IrVar *v, IrExpr *value, IrStmt *body);
IrStmt *ir_store(Arena *a, IrBuf *b, IrExpr *index, IrExpr *value);
IrStmt *ir_if(Arena *a, IrExpr *cond, IrStmt *then, IrStmt *orelse);
IrStmt *ir_alloc(Arena *a, IrBuf *b, IrStmt *body);
IrStmt *ir_block(Arena *a, IrStmt **stmts, int n);
IrVar *ir_new_var(Arena *a, IrFunc *f, const char *name);
/* A buffer; arg is its argument position for BUF_ARG, else -1. Not readonly. */
IrBuf *ir_buf(Arena *a, const char *name, DType t, int64_t size, IrBufKind k, int arg);

/* Print the function the way tvm.lower(..., simple_mode=True) shows a PrimFunc (--emit loops). */
void ir_print(FILE *out, const IrFunc *f);
/* A loop kind as printed: "for", "parallel", "vectorized", "unrolled". */
const char *ir_for_name(ForKind k);
/* Check structural invariants (dtypes match, vars defined before use and bound once, buffers
 * allocated before use, constant extents where required). Returns false and writes a message. */
bool ir_verify(const IrFunc *f, char *why, size_t whylen);
#endif
