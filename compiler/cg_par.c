/* Parallel loops: the body of a FOR_PARALLEL loop is outlined into
 *   static void NAME.par.N(void *ctx)   -- run by every thread of GOMP_parallel
 * which unpacks the context struct (the loop's bounds, the buffers and variables in scope),
 * takes its static share of the iterations (omp_get_num_threads/omp_get_thread_num), and calls
 *   static void NAME.par.N.body(i64 lo, i64 hi, ptr noalias bufs..., i64 vars...)
 * whose noalias parameters keep alias information once LLVM inlines it. Local buffers allocated
 * inside the loop are allocas of the body function: one per thread. */
#include "compiler/cg_internal.h"
#include <stdlib.h>

static void par_body(CgFn *c, LLVMValueRef iv, const void *arg) {
    (void)iv;
    cg_stmt(c, ((const IrStmt *)arg)->body);
}

static LLVMValueRef new_fn(CgFn *c, const char *name, LLVMTypeRef ty) {
    LLVMValueRef fn = LLVMAddFunction(c->mod, name, ty);
    LLVMSetLinkage(fn, LLVMInternalLinkage);
    cg_set_fn_attrs(c->cg, fn);
    return fn;
}

/* One parallel loop being emitted: what the body captures and the functions made for it. */
typedef struct Par {
    int *vids; /* captured variables (ids) */
    int nb, nv, nf;
    LLVMTypeRef *ft; /* the context's fields: lo, extent, buffers, variables */
    LLVMTypeRef cty; /* the context struct; the body function's parameters have its shape */
    LLVMValueRef outl, bodyf;
} Par;

/* What the body may use: every buffer and variable bound here, as the context's fields. */
static void capture(CgFn *c, const IrStmt *s, Par *p) {
    LLVMTypeRef i64 = LLVMInt64TypeInContext(c->ctx), ptr = LLVMPointerTypeInContext(c->ctx, 0);
    int nvars = c->f->nvars;
    p->nb = c->nbufs;
    p->nv = 0;
    p->vids = malloc(sizeof *p->vids * (size_t)(nvars + 1));
    if (!p->vids) TEC_BUG("codegen: out of memory");
    for (int i = 0; i < nvars; i++)
        if (c->bound[i] && i != s->var->id) p->vids[p->nv++] = i;
    p->nf = 2 + p->nb + p->nv;
    p->ft = malloc(sizeof *p->ft * (size_t)p->nf);
    if (!p->ft) TEC_BUG("codegen: out of memory");
    p->ft[0] = p->ft[1] = i64;
    for (int i = 0; i < p->nb; i++) p->ft[2 + i] = ptr;
    for (int i = 0; i < p->nv; i++) p->ft[2 + p->nb + i] = i64;
    p->cty = LLVMStructTypeInContext(c->ctx, p->ft, (unsigned)p->nf, 0);
}

/* The parent: fill the context and run the team on the outlined function; declares both
 * functions (the body's buffer parameters noalias). */
static void run_team(CgFn *c, Par *p, LLVMValueRef min, LLVMValueRef ext) {
    LLVMContextRef cx = c->ctx;
    LLVMTypeRef i32 = LLVMInt32TypeInContext(cx), ptr = LLVMPointerTypeInContext(cx, 0);
    LLVMTypeRef vd = LLVMVoidTypeInContext(cx);
    LLVMValueRef ctxp = cg_alloca(c, p->cty, NULL, 8, "par.ctx");
    LLVMValueRef vals[2] = {min, ext};
    for (int i = 0; i < p->nf; i++) {
        LLVMValueRef v = i < 2           ? vals[i]
                         : i < 2 + p->nb ? c->bufs[i - 2].ptr
                                         : c->vars[p->vids[i - 2 - p->nb]].v;
        LLVMBuildStore(c->b, v, LLVMBuildStructGEP2(c->b, p->cty, ctxp, (unsigned)i, ""));
    }
    int n = (*c->npar)++;
    char name[300], bname[320];
    snprintf(name, sizeof name, "%s.par.%d", c->f->name, n);
    snprintf(bname, sizeof bname, "%s.body", name);
    p->outl = new_fn(c, name, LLVMFunctionType(vd, &ptr, 1, 0));
    LLVMTypeRef gty_args[4] = {ptr, ptr, i32, i32};
    LLVMTypeRef gty = LLVMFunctionType(vd, gty_args, 4, 0);
    LLVMValueRef gargs[4] = {p->outl, ctxp, LLVMConstInt(i32, 0, 0), LLVMConstInt(i32, 0, 0)};
    LLVMBuildCall2(c->b, gty, cg_declare(c, "GOMP_parallel", gty), gargs, 4, "");
    /* the body function: lo, hi, then the captured values as parameters */
    p->bodyf = new_fn(c, bname, LLVMFunctionType(vd, p->ft, (unsigned)p->nf, 0));
    for (int i = 0; i < p->nb; i++) {
        cg_add_attr(cx, p->bodyf, (unsigned)(3 + i), "noalias", 0);
        cg_add_attr(cx, p->bodyf, (unsigned)(3 + i), "nocapture", 0);
    }
}

/* The outlined function: unpack, take this thread's static share, call the body. */
static void emit_outlined(CgFn *c, const Par *p) {
    LLVMTypeRef i32 = LLVMInt32TypeInContext(c->ctx), i64 = LLVMInt64TypeInContext(c->ctx);
    LLVMPositionBuilderAtEnd(c->b, LLVMAppendBasicBlockInContext(c->ctx, p->outl, "entry"));
    LLVMValueRef cp = LLVMGetParam(p->outl, 0);
    LLVMValueRef *args = malloc(sizeof *args * (size_t)p->nf);
    if (!args) TEC_BUG("codegen: out of memory");
    for (int i = 0; i < p->nf; i++)
        args[i] = LLVMBuildLoad2(c->b, p->ft[i],
                                 LLVMBuildStructGEP2(c->b, p->cty, cp, (unsigned)i, ""), "");
    LLVMTypeRef qty = LLVMFunctionType(i32, NULL, 0, 0);
    LLVMValueRef nthr =
        LLVMBuildCall2(c->b, qty, cg_declare(c, "omp_get_num_threads", qty), NULL, 0, "nthr");
    LLVMValueRef tid =
        LLVMBuildCall2(c->b, qty, cg_declare(c, "omp_get_thread_num", qty), NULL, 0, "tid");
    nthr = LLVMBuildSExt(c->b, nthr, i64, "");
    tid = LLVMBuildSExt(c->b, tid, i64, "");
    LLVMValueRef e = args[1];
    LLVMValueRef chunk = LLVMBuildSDiv(
        c->b, LLVMBuildSub(c->b, LLVMBuildAdd(c->b, e, nthr, ""), cg_i64(c, 1), ""), nthr, "chunk");
    LLVMValueRef lo = LLVMBuildMul(c->b, tid, chunk, "");
    LLVMValueRef hi = LLVMBuildAdd(c->b, lo, chunk, "");
    LLVMValueRef lt = LLVMBuildICmp(c->b, LLVMIntSLT, hi, e, "");
    hi = LLVMBuildSelect(c->b, lt, hi, e, "");
    args[1] = LLVMBuildAdd(c->b, args[0], hi, "hi");
    args[0] = LLVMBuildAdd(c->b, args[0], lo, "lo");
    LLVMBuildCall2(c->b, LLVMGlobalGetValueType(p->bodyf), p->bodyf, args, (unsigned)p->nf, "");
    LLVMBuildRetVoid(c->b);
    free(args);
}

/* The body function, with its own variable and buffer scope: a serial loop over [lo, hi). */
static void emit_body(CgFn *c, const Par *p, const IrStmt *s) {
    int nvars = c->f->nvars;
    CgFn sub = *c;
    sub.fn = p->bodyf;
    sub.vars = calloc((size_t)nvars + 1, sizeof *sub.vars);
    sub.bound = calloc((size_t)nvars + 1, sizeof *sub.bound);
    sub.bufs = NULL;
    sub.nbufs = sub.capbufs = 0;
    sub.in_parallel = true;
    sub.stack_bytes = 0;
    if (!sub.vars || !sub.bound) TEC_BUG("codegen: out of memory");
    for (int i = 0; i < p->nb; i++)
        cg_bind_buf(&sub, c->bufs[i].buf, LLVMGetParam(p->bodyf, (unsigned)(2 + i)));
    for (int i = 0; i < p->nv; i++) {
        sub.vars[p->vids[i]] =
            (VVal){VV_UNIFORM, LLVMGetParam(p->bodyf, (unsigned)(2 + p->nb + i)), 0};
        sub.bound[p->vids[i]] = true;
    }
    sub.entry = LLVMAppendBasicBlockInContext(c->ctx, p->bodyf, "entry");
    LLVMBasicBlockRef start = LLVMAppendBasicBlockInContext(c->ctx, p->bodyf, "start");
    LLVMPositionBuilderAtEnd(c->b, sub.entry);
    sub.first_inst = LLVMBuildBr(c->b, start);
    LLVMPositionBuilderAtEnd(c->b, start);
    LLVMValueRef blo = LLVMGetParam(p->bodyf, 0), bhi = LLVMGetParam(p->bodyf, 1);
    cg_serial_loop(&sub, s->var, NULL, blo, LLVMBuildSub(c->b, bhi, blo, ""), par_body, s);
    LLVMBuildRetVoid(c->b);
    free(sub.vars);
    free(sub.bound);
    free(sub.bufs);
}

void cg_par_loop(CgFn *c, const IrStmt *s) {
    LLVMValueRef min = cg_expr(c, s->min), ext = cg_expr(c, s->extent);
    if (LLVMIsAConstantInt(ext) && LLVMConstIntGetSExtValue(ext) <= 0) return;
    Par p;
    capture(c, s, &p);
    run_team(c, &p, min, ext);
    LLVMBasicBlockRef resume = LLVMGetInsertBlock(c->b);
    emit_outlined(c, &p);
    emit_body(c, &p, s);
    free(p.ft);
    free(p.vids);
    LLVMPositionBuilderAtEnd(c->b, resume);
}
