/* Shared state of the LLVM code generator, split by concern: cg_expr.c (expressions),
 * cg_stmt.c (statements, loops, allocations), cg_vec.c (vectorized loops), cg_par.c (parallel
 * outlining), cg_func.c (the kernel and its packed entry), cg_target.c (target machine,
 * optimisation, emission), cg_jit.c (ORC LLJIT). Not a public header. */
#ifndef TEC_CG_INTERNAL_H
#define TEC_CG_INTERNAL_H
#include "compiler/codegen.h"
#include <llvm-c/Core.h>
#include <llvm-c/Orc.h>
#include <llvm-c/LLJIT.h>
#include <llvm-c/Target.h>
#include <llvm-c/TargetMachine.h>

/* Vector loops wider than this are strip-mined; LLVM legalises up to it well. */
#define CG_MAX_LANES 64
/* Unrolled loops longer than this stay loops (code size and compile time). */
#define CG_MAX_UNROLL 1024
/* Nor are loops whose copies would hold more statements or loops than these: LLVM's loop
 * passes slow down quadratically with them (4000 stores: 47 s; 128 copies of a nest: a minute). */
#define CG_MAX_UNROLL_STMTS 512
#define CG_MAX_UNROLL_LOOPS 16
/* Buffers up to this many bytes live on the stack (as long as one function's stack buffers
 * stay within CG_STACK_TOTAL), larger ones on the heap. */
#define CG_STACK_LIMIT (64 * 1024)
#define CG_STACK_TOTAL (512 * 1024)
/* Heap buffers come from aligned_alloc with this alignment (bytes). */
#define CG_HEAP_ALIGN 64

struct Cg {
    LLVMContextRef ctx;
    LLVMTargetMachineRef tm;
    LLVMTargetDataRef td;
    char *triple, *cpu, *features, *layout;
    int live_modules;       /* modules not yet freed: the context can only be renewed at zero */
    int ctx_uses;           /* modules built in this context, which keeps their constants forever */
    LLVMOrcLLJITRef jit;    /* created on first use */
    struct CgDylib *dylibs; /* pooled JITDylibs, one per live kernel */
    int ndylibs, capdylibs;
    char jit_err[512]; /* the last error the JIT session reported */
};

/* A JITDylib of the session, reused after its kernel is freed. */
typedef struct CgDylib {
    LLVMOrcJITDylibRef jd;
    bool busy;
} CgDylib;

struct CgModule {
    Cg *cg;
    LLVMModuleRef mod;
    char *name; /* the kernel's symbol */
};

struct CgJit {
    Cg *cg;
    int dylib; /* index into cg->dylibs */
    LLVMOrcResourceTrackerRef rt;
    KernelFn fn;
};

/* A value in a (possibly vectorized) region. In scalar code everything is VV_UNIFORM.
 * Inside a vector loop of `width` lanes a value is the same in every lane (UNIFORM: v scalar),
 * an int64 ramp base + stride*lane (RAMP: v scalar base, stride != 0), or a vector (VECTOR). */
typedef enum VKind { VV_UNIFORM, VV_RAMP, VV_VECTOR } VKind;
typedef struct VVal {
    VKind kind;
    LLVMValueRef v;
    int64_t stride;
} VVal;

/* A buffer visible at the current point, innermost last. */
typedef struct CgBufBind {
    const IrBuf *buf;
    LLVMValueRef ptr;
} CgBufBind;

/* State while emitting one LLVM function (the kernel or an outlined parallel body). */
typedef struct CgFn {
    Cg *cg;
    LLVMContextRef ctx;
    LLVMModuleRef mod;
    LLVMBuilderRef b;
    const IrFunc *f;
    LLVMValueRef fn;         /* the function being built */
    LLVMBasicBlockRef entry; /* its entry block: allocas go here */
    LLVMValueRef first_inst; /* allocas are inserted before this branch of the entry block */
    VVal *vars;              /* by IrVar id */
    bool *bound;             /* by IrVar id: vars[id] is valid */
    CgBufBind *bufs;
    int nbufs, capbufs;
    int width;            /* lanes of the enclosing vector loop; 0 in scalar code */
    LLVMValueRef mask;    /* <width x i1> active lanes, or NULL for all */
    LLVMValueRef guard;   /* scalar code: i1, false where loads must not read (a select's
                             untaken branch, speculated), or NULL */
    bool in_parallel;     /* inside an outlined body: nested parallel loops run serially */
    uint64_t stack_bytes; /* bytes of buffers allocated on this function's stack so far */
    int *npar;            /* counter for outlined function names, shared by all CgFn */
} CgFn;

/* cg_expr.c */
LLVMTypeRef cg_type(CgFn *c, DType t);    /* register type: i1 for bool */
LLVMTypeRef cg_memtype(CgFn *c, DType t); /* in-memory element type: i8 for bool */
LLVMValueRef cg_splat(CgFn *c, LLVMValueRef scalar, int width);
LLVMValueRef cg_materialize(CgFn *c, VVal v);   /* a value of the current width as a vector */
VVal cg_vexpr(CgFn *c, const IrExpr *e);        /* in scalar or vector mode */
LLVMValueRef cg_expr(CgFn *c, const IrExpr *e); /* scalar code: the value of e */
LLVMValueRef cg_intrinsic(CgFn *c, const char *name, LLVMTypeRef *over, int nover,
                          LLVMValueRef *args, int nargs);
LLVMValueRef cg_mask_and(CgFn *c, LLVMValueRef m, LLVMValueRef cond); /* m may be NULL */
LLVMValueRef cg_buf_ptr(CgFn *c, const IrBuf *b);
LLVMValueRef cg_elem_ptr(CgFn *c, const IrBuf *b, LLVMValueRef index); /* scalar index */
LLVMValueRef cg_i64(CgFn *c, int64_t v);
LLVMValueRef cg_alloca(CgFn *c, LLVMTypeRef t, LLVMValueRef n, unsigned align, const char *name);
LLVMValueRef cg_declare(CgFn *c, const char *name, LLVMTypeRef fnty);
LLVMTypeRef cg_fn_type(CgFn *c, const char *name); /* type of a function cg_declare'd */

/* cg_stmt.c */
void cg_stmt(CgFn *c, const IrStmt *s);
void cg_bind_buf(CgFn *c, const IrBuf *b, LLVMValueRef ptr);
/* A counted loop [min, min + extent); body(c, iv, arg) emits the loop body, with var (if not
 * NULL) bound to the induction variable iv. Blocks are named for.NAME.header/body/latch/exit
 * after var, or name when var is NULL. */
void cg_serial_loop(CgFn *c, const IrVar *var, const char *name, LLVMValueRef min,
                    LLVMValueRef extent, void (*body)(CgFn *, LLVMValueRef, const void *),
                    const void *arg);

/* cg_vec.c: emit a FOR_VECTORIZED loop as vector code; false if it must stay scalar (nothing
 * emitted then). */
bool cg_vec_loop(CgFn *c, const IrStmt *s);

/* cg_par.c: emit a FOR_PARALLEL loop as an outlined body run by GOMP_parallel. */
void cg_par_loop(CgFn *c, const IrStmt *s);

/* cg_func.c: the module for one IR function (not yet verified or optimised). */
LLVMModuleRef cg_build_module(Cg *cg, const IrFunc *f);
void cg_set_fn_attrs(Cg *cg, LLVMValueRef fn);
void cg_add_attr(LLVMContextRef ctx, LLVMValueRef fn, unsigned idx, const char *kind, uint64_t val);

/* cg_target.c */
bool cg_emit_mem(Cg *cg, LLVMModuleRef mod, LLVMCodeGenFileType kind, LLVMMemoryBufferRef *out,
                 char *err, size_t errlen);

/* Formats an error message into err (truncating). */
void cg_err(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
#endif
