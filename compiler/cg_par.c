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

void cg_par_loop(CgFn *c, const IrStmt *s) {
    LLVMContextRef cx = c->ctx;
    LLVMTypeRef i64 = LLVMInt64TypeInContext(cx), i32 = LLVMInt32TypeInContext(cx);
    LLVMTypeRef ptr = LLVMPointerTypeInContext(cx, 0), vd = LLVMVoidTypeInContext(cx);
    LLVMValueRef min = cg_expr(c, s->min), ext = cg_expr(c, s->extent);
    if (LLVMIsAConstantInt(ext) && LLVMConstIntGetSExtValue(ext) <= 0) return;

    /* what the body may use: every buffer and variable bound here */
    int nvars = c->f->nvars, nb = c->nbufs, nv = 0;
    int *vids = malloc(sizeof *vids * (size_t)(nvars + 1));
    if (!vids) TEC_BUG("codegen: out of memory");
    for (int i = 0; i < nvars; i++)
        if (c->bound[i] && i != s->var->id) vids[nv++] = i;
    int nf = 2 + nb + nv;
    LLVMTypeRef *ft = malloc(sizeof *ft * (size_t)nf);
    if (!ft) TEC_BUG("codegen: out of memory");
    ft[0] = ft[1] = i64;
    for (int i = 0; i < nb; i++) ft[2 + i] = ptr;
    for (int i = 0; i < nv; i++) ft[2 + nb + i] = i64;
    LLVMTypeRef cty = LLVMStructTypeInContext(cx, ft, (unsigned)nf, 0);

    /* the parent: fill the context and run the team */
    LLVMValueRef ctxp = cg_alloca(c, cty, NULL, 8, "par.ctx");
    LLVMValueRef vals[2] = {min, ext};
    for (int i = 0; i < nf; i++) {
        LLVMValueRef v = i < 2        ? vals[i]
                         : i < 2 + nb ? c->bufs[i - 2].ptr
                                      : c->vars[vids[i - 2 - nb]].v;
        LLVMBuildStore(c->b, v, LLVMBuildStructGEP2(c->b, cty, ctxp, (unsigned)i, ""));
    }
    int n = (*c->npar)++;
    char name[300], bname[320];
    snprintf(name, sizeof name, "%s.par.%d", c->f->name, n);
    snprintf(bname, sizeof bname, "%s.body", name);
    LLVMValueRef outl = new_fn(c, name, LLVMFunctionType(vd, &ptr, 1, 0));
    LLVMTypeRef gty_args[4] = {ptr, ptr, i32, i32};
    LLVMTypeRef gty = LLVMFunctionType(vd, gty_args, 4, 0);
    LLVMValueRef gargs[4] = {outl, ctxp, LLVMConstInt(i32, 0, 0), LLVMConstInt(i32, 0, 0)};
    LLVMBuildCall2(c->b, gty, cg_declare(c, "GOMP_parallel", gty), gargs, 4, "");
    LLVMBasicBlockRef resume = LLVMGetInsertBlock(c->b);

    /* the body function: lo, hi, then the captured values as parameters */
    LLVMTypeRef *pt = ft; /* same shape as the context */
    LLVMValueRef bodyf = new_fn(c, bname, LLVMFunctionType(vd, pt, (unsigned)nf, 0));
    for (int i = 0; i < nb; i++) {
        cg_add_attr(cx, bodyf, (unsigned)(3 + i), "noalias", 0);
        cg_add_attr(cx, bodyf, (unsigned)(3 + i), "nocapture", 0);
    }

    /* the outlined function: unpack, take this thread's share, call the body */
    LLVMBasicBlockRef oe = LLVMAppendBasicBlockInContext(cx, outl, "entry");
    LLVMPositionBuilderAtEnd(c->b, oe);
    LLVMValueRef cp = LLVMGetParam(outl, 0);
    LLVMValueRef *args = malloc(sizeof *args * (size_t)nf);
    if (!args) TEC_BUG("codegen: out of memory");
    for (int i = 0; i < nf; i++)
        args[i] =
            LLVMBuildLoad2(c->b, ft[i], LLVMBuildStructGEP2(c->b, cty, cp, (unsigned)i, ""), "");
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
    LLVMBuildCall2(c->b, LLVMGlobalGetValueType(bodyf), bodyf, args, (unsigned)nf, "");
    LLVMBuildRetVoid(c->b);

    /* emit the body function with its own variable and buffer scope */
    CgFn sub = *c;
    sub.fn = bodyf;
    sub.vars = calloc((size_t)nvars + 1, sizeof *sub.vars);
    sub.bound = calloc((size_t)nvars + 1, sizeof *sub.bound);
    sub.bufs = NULL;
    sub.nbufs = sub.capbufs = 0;
    sub.in_parallel = true;
    sub.stack_bytes = 0;
    if (!sub.vars || !sub.bound) TEC_BUG("codegen: out of memory");
    for (int i = 0; i < nb; i++)
        cg_bind_buf(&sub, c->bufs[i].buf, LLVMGetParam(bodyf, (unsigned)(2 + i)));
    for (int i = 0; i < nv; i++) {
        sub.vars[vids[i]] = (VVal){VV_UNIFORM, LLVMGetParam(bodyf, (unsigned)(2 + nb + i)), 0};
        sub.bound[vids[i]] = true;
    }
    sub.entry = LLVMAppendBasicBlockInContext(cx, bodyf, "entry");
    LLVMBasicBlockRef start = LLVMAppendBasicBlockInContext(cx, bodyf, "start");
    LLVMPositionBuilderAtEnd(c->b, sub.entry);
    sub.first_inst = LLVMBuildBr(c->b, start);
    LLVMPositionBuilderAtEnd(c->b, start);
    LLVMValueRef blo = LLVMGetParam(bodyf, 0), bhi = LLVMGetParam(bodyf, 1);
    cg_serial_loop(&sub, s->var, NULL, blo, LLVMBuildSub(c->b, bhi, blo, ""), par_body, s);
    LLVMBuildRetVoid(c->b);

    free(sub.vars);
    free(sub.bound);
    free(sub.bufs);
    free(args);
    free(ft);
    free(vids);
    LLVMPositionBuilderAtEnd(c->b, resume);
}
