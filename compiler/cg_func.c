/* The kernel's LLVM functions: NAME(args...) with the kernel ABI (noalias, nocapture, readonly
 * where true, aligned and dereferenceable pointer arguments) around the body, and the packed entry
 * NAME__tec_packed(void *const *args) that the JIT and the tuner call. Takes an IR function,
 * gives an unoptimised module for the Cg's target. */
#include "compiler/cg_internal.h"
#include <stdlib.h>
#include <string.h>

void cg_add_attr(LLVMContextRef ctx, LLVMValueRef fn, unsigned idx, const char *kind,
                 uint64_t val) {
    unsigned k = LLVMGetEnumAttributeKindForName(kind, strlen(kind));
    if (!k) TEC_BUG("codegen: no attribute %s", kind);
    LLVMAddAttributeAtIndex(fn, idx, LLVMCreateEnumAttribute(ctx, k, val));
}

void cg_set_fn_attrs(Cg *cg, LLVMValueRef fn) {
    LLVMContextRef ctx = cg->ctx;
    cg_add_attr(ctx, fn, LLVMAttributeFunctionIndex, "nounwind", 0);
    const char *kv[2][2] = {{"target-cpu", cg->cpu}, {"target-features", cg->features}};
    for (int i = 0; i < 2; i++)
        if (kv[i][1] && *kv[i][1])
            LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex,
                                    LLVMCreateStringAttribute(ctx, kv[i][0],
                                                              (unsigned)strlen(kv[i][0]), kv[i][1],
                                                              (unsigned)strlen(kv[i][1])));
}

static LLVMValueRef kernel(Cg *cg, LLVMModuleRef mod, LLVMBuilderRef b, const IrFunc *f) {
    LLVMContextRef ctx = cg->ctx;
    LLVMTypeRef ptr = LLVMPointerTypeInContext(ctx, 0);
    LLVMTypeRef *pt = malloc(sizeof *pt * (size_t)(f->nargs + 1));
    if (!pt) TEC_BUG("codegen: out of memory");
    for (int i = 0; i < f->nargs; i++) pt[i] = ptr;
    LLVMValueRef fn = LLVMAddFunction(
        mod, f->name, LLVMFunctionType(LLVMVoidTypeInContext(ctx), pt, (unsigned)f->nargs, 0));
    free(pt);
    cg_set_fn_attrs(cg, fn);
    for (int i = 0; i < f->nargs; i++) {
        const IrBuf *a = f->args[i];
        unsigned idx = (unsigned)i + 1;
        LLVMSetValueName2(LLVMGetParam(fn, (unsigned)i), a->name, strlen(a->name));
        cg_add_attr(ctx, fn, idx, "noalias", 0);
        cg_add_attr(ctx, fn, idx, "nocapture", 0);
        cg_add_attr(ctx, fn, idx, "nonnull", 0);
        cg_add_attr(ctx, fn, idx, "noundef", 0);
        cg_add_attr(ctx, fn, idx, "align", dtype_size(a->dtype));
        /* the ABI's buffers are dense and whole: LLVM may speculate loads within them */
        if (a->size > 0)
            cg_add_attr(ctx, fn, idx, "dereferenceable", (uint64_t)a->size * dtype_size(a->dtype));
        if (a->readonly) cg_add_attr(ctx, fn, idx, "readonly", 0);
    }

    int npar = 0;
    CgFn c = {.cg = cg, .ctx = ctx, .mod = mod, .b = b, .f = f, .fn = fn, .npar = &npar};
    c.vars = calloc((size_t)f->nvars + 1, sizeof *c.vars);
    c.bound = calloc((size_t)f->nvars + 1, sizeof *c.bound);
    if (!c.vars || !c.bound) TEC_BUG("codegen: out of memory");
    for (int i = 0; i < f->nargs; i++) cg_bind_buf(&c, f->args[i], LLVMGetParam(fn, (unsigned)i));
    c.entry = LLVMAppendBasicBlockInContext(ctx, fn, "entry");
    LLVMBasicBlockRef start = LLVMAppendBasicBlockInContext(ctx, fn, "start");
    LLVMPositionBuilderAtEnd(b, c.entry);
    c.first_inst = LLVMBuildBr(b, start);
    LLVMPositionBuilderAtEnd(b, start);
    cg_stmt(&c, f->body);
    LLVMBuildRetVoid(b);
    free(c.vars);
    free(c.bound);
    free(c.bufs);
    return fn;
}

/* void NAME__tec_packed(void *const *args) { NAME(args[0], args[1], ...); } */
static void packed(Cg *cg, LLVMModuleRef mod, LLVMBuilderRef b, const IrFunc *f, LLVMValueRef kfn) {
    LLVMContextRef ctx = cg->ctx;
    LLVMTypeRef ptr = LLVMPointerTypeInContext(ctx, 0);
    size_t len = strlen(f->name) + sizeof "__tec_packed";
    char *name = malloc(len);
    LLVMValueRef *args = malloc(sizeof *args * (size_t)(f->nargs + 1));
    if (!name || !args) TEC_BUG("codegen: out of memory");
    snprintf(name, len, "%s__tec_packed", f->name);
    LLVMValueRef fn =
        LLVMAddFunction(mod, name, LLVMFunctionType(LLVMVoidTypeInContext(ctx), &ptr, 1, 0));
    cg_set_fn_attrs(cg, fn);
    cg_add_attr(ctx, fn, 1, "nocapture", 0);
    cg_add_attr(ctx, fn, 1, "readonly", 0);
    LLVMPositionBuilderAtEnd(b, LLVMAppendBasicBlockInContext(ctx, fn, "entry"));
    LLVMValueRef ap = LLVMGetParam(fn, 0);
    for (int i = 0; i < f->nargs; i++) {
        LLVMValueRef ix = LLVMConstInt(LLVMInt64TypeInContext(ctx), (unsigned long long)i, 0);
        LLVMValueRef slot = LLVMBuildInBoundsGEP2(b, ptr, ap, &ix, 1, "");
        args[i] = LLVMBuildLoad2(b, ptr, slot, f->args[i]->name);
    }
    LLVMBuildCall2(b, LLVMGlobalGetValueType(kfn), kfn, args, (unsigned)f->nargs, "");
    LLVMBuildRetVoid(b);
    free(args);
    free(name);
}

LLVMModuleRef cg_build_module(Cg *cg, const IrFunc *f) {
    LLVMModuleRef mod = LLVMModuleCreateWithNameInContext(f->name, cg->ctx);
    LLVMSetTarget(mod, cg->triple);
    LLVMSetDataLayout(mod, cg->layout);
    LLVMBuilderRef b = LLVMCreateBuilderInContext(cg->ctx);
    LLVMValueRef kfn = kernel(cg, mod, b, f);
    packed(cg, mod, b, f, kfn);
    LLVMDisposeBuilder(b);
    return mod;
}
