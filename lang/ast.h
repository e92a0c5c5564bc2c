/* The syntax tree of a .te file, as the parser (lang/parser.y) builds it: untyped, unresolved,
 * every node located, operators from lang/ops.h. Allocated from one arena. Meaning is given by
 * sema (sema_bind, lang/inst.h). */
#ifndef TEC_AST_H
#define TEC_AST_H
#include "lang/arena.h"
#include "lang/diag.h"
#include "lang/ops.h"
#include <stdbool.h>
#include <stdint.h>

typedef enum NodeKind {
    AST_INT,    /* ival (decimal literal; overflow is a lex error) */
    AST_FLOAT,  /* fval */
    AST_NAME,   /* name */
    AST_INDEX,  /* name[args...]: a tensor read; name, args */
    AST_CALL,   /* name(args...): every call, also placeholder/compute/reduce_axis/sum/select/
                   exp/max/float32(...)/cache_write and the knob forms split/reorder/annotate;
                   keyword arguments appear among args as AST_KWARG */
    AST_KWARG,  /* name = lhs, only as a call argument */
    AST_UNARY,  /* op (OP_NEG, OP_NOT), lhs */
    AST_BINARY, /* op, lhs, rhs */
    AST_TUPLE,  /* (a, b) or (a,): args. A parenthesised single expression without comma is
                   not a tuple, it is the expression itself */
    AST_LIST,   /* [a, b, ...]: args */
    AST_LAMBDA, /* (i, j) => body or i => body: args are the parameters (AST_NAME), lhs the body */
} NodeKind;

typedef struct Node Node;
struct Node {
    NodeKind kind;
    Loc loc; /* the whole node's first token; for calls/index the name */
    Op op;
    int64_t ival;
    double fval;
    const char *name;
    Node *lhs, *rhs;
    Node **args;
    int nargs;
};

typedef struct Ident {
    const char *name;
    Loc loc;
} Ident;

typedef enum StmtKind {
    STMT_ASSIGN,         /* name = value  (placeholder, reduce_axis, compute, cache_write) */
    STMT_SCHEDULE,       /* schedule name { body } */
    STMT_KNOB,           /* knob name = value (AST_LIST, or AST_CALL split/reorder/annotate) */
    STMT_SPLIT,          /* split name -> ids[nids] (by | nparts) value */
    STMT_FUSE,           /* fuse ids[nids] -> name */
    STMT_REORDER,        /* reorder ids[nids]; with nids == 1 the id may name a reorder knob */
    STMT_VECTORIZE,      /* vectorize name */
    STMT_UNROLL,         /* unroll name */
    STMT_PARALLEL,       /* parallel name */
    STMT_ANNOTATE,       /* annotate name (a knob) */
    STMT_COMPUTE_AT,     /* compute_at name.at_axis */
    STMT_COMPUTE_INLINE, /* compute_inline */
} StmtKind;

typedef struct Stmt Stmt;
struct Stmt {
    StmtKind kind;
    Loc loc;    /* the statement's first token */
    Ident name; /* see StmtKind */
    Ident *ids; /* see StmtKind */
    int nids;
    Ident at_axis; /* STMT_COMPUTE_AT */
    bool nparts;   /* STMT_SPLIT: `nparts F` rather than `by F` */
    Node *value;   /* STMT_ASSIGN, STMT_KNOB, STMT_SPLIT (factor) */
    Stmt **body;   /* STMT_SCHEDULE */
    int nbody;
};

typedef struct Param {
    Ident name;
    Node *def; /* default value or NULL */
} Param;

typedef struct Template {
    Ident name;
    Loc loc; /* the `template` keyword */
    Param *params;
    int nparams;
    Stmt **body;
    int nbody;
} Template;

typedef struct Program {
    Template **templates;
    int ntemplates;
} Program;

/* Parse a whole source text (may contain NUL bytes, may lack a final newline).
 * Reports every syntax error through d (with recovery at statement level, up to d->limit)
 * and returns NULL if there was any; never crashes on any input. Nesting deeper than
 * AST_MAX_DEPTH is reported as an error rather than overflowing the stack. */
#define AST_MAX_DEPTH 200
Program *parse_program(Arena *a, Diag *d, const char *src, size_t len);

/* Debug dump of a tree (S-expression-like), for parser tests. */
void ast_dump(FILE *out, const Program *p);
#endif
