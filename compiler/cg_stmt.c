/* Statements: IR statement -> LLVM instructions at the builder's position, in scalar code or
 * inside a vector loop (c->width lanes, c->mask active lanes). Loops, lets, stores, ifs,
 * allocations, blocks; vectorized and parallel loops are handed to cg_vec.c and cg_par.c. */
#include "compiler/cg_internal.h"
#include "compiler/ir_util.h"
#include <stdlib.h>

void cg_bind_buf(CgFn *c, const IrBuf *b, LLVMValueRef ptr) {
    if (c->nbufs == c->capbufs) {
        c->capbufs = c->capbufs ? 2 * c->capbufs : 16;
        c->bufs = realloc(c->bufs, sizeof *c->bufs * (size_t)c->capbufs);
        if (!c->bufs) TEC_BUG("codegen: out of memory");
    }
    c->bufs[c->nbufs++] = (CgBufBind){b, ptr};
}

LLVMValueRef cg_alloca(CgFn *c, LLVMTypeRef t, LLVMValueRef n, unsigned align, const char *name) {
    /* in the entry block, so SROA/mem2reg can promote it and loops do not grow the stack */
    LLVMBasicBlockRef at = LLVMGetInsertBlock(c->b);
    LLVMPositionBuilderBefore(c->b, c->first_inst);
    LLVMValueRef a = n ? LLVMBuildArrayAlloca(c->b, t, n, name) : LLVMBuildAlloca(c->b, t, name);
    LLVMSetAlignment(a, align);
    LLVMPositionBuilderAtEnd(c->b, at);
    return a;
}

static LLVMBasicBlockRef block(CgFn *c, const char *what, const char *name) {
    char buf[256];
    snprintf(buf, sizeof buf, "%s%s%s", what, name ? "." : "", name ? name : "");
    return LLVMAppendBasicBlockInContext(c->ctx, c->fn, buf);
}

void cg_serial_loop(CgFn *c, const IrVar *var, const char *name, LLVMValueRef min,
                    LLVMValueRef extent, void (*body)(CgFn *, LLVMValueRef, const void *),
                    const void *arg) {
    if (LLVMIsAConstantInt(extent) && LLVMConstIntGetSExtValue(extent) <= 0) return;
    char nm[200];
    snprintf(nm, sizeof nm, "for.%s", var ? var->name : name);
    LLVMValueRef end = LLVMBuildAdd(c->b, min, extent, "end");
    LLVMBasicBlockRef pre = LLVMGetInsertBlock(c->b);
    LLVMBasicBlockRef hb = block(c, nm, "header"), bb = block(c, nm, "body");
    LLVMBasicBlockRef lb = block(c, nm, "latch"), xb = block(c, nm, "exit");
    LLVMBuildBr(c->b, hb);
    LLVMPositionBuilderAtEnd(c->b, hb);
    LLVMValueRef iv = LLVMBuildPhi(c->b, LLVMInt64TypeInContext(c->ctx), var ? var->name : name);
    LLVMBuildCondBr(c->b, LLVMBuildICmp(c->b, LLVMIntSLT, iv, end, ""), bb, xb);
    LLVMPositionBuilderAtEnd(c->b, bb);
    if (var) {
        VVal saved = c->vars[var->id];
        bool was = c->bound[var->id];
        c->vars[var->id] = (VVal){VV_UNIFORM, iv, 0};
        c->bound[var->id] = true;
        body(c, iv, arg);
        c->vars[var->id] = saved;
        c->bound[var->id] = was;
    } else {
        body(c, iv, arg);
    }
    LLVMBuildBr(c->b, lb);
    LLVMPositionBuilderAtEnd(c->b, lb);
    LLVMValueRef next = LLVMBuildAdd(c->b, iv, cg_i64(c, 1), "next");
    LLVMSetNSW(next, 1);
    LLVMBuildBr(c->b, hb);
    LLVMValueRef in_v[2] = {min, next};
    LLVMBasicBlockRef in_b[2] = {pre, lb};
    LLVMAddIncoming(iv, in_v, in_b, 2);
    LLVMPositionBuilderAtEnd(c->b, xb);
}

static void stmt_body(CgFn *c, LLVMValueRef iv, const void *s) {
    (void)iv;
    cg_stmt(c, ((const IrStmt *)s)->body);
}

/* Run body with var bound to v, restoring the previous binding after. */
static void with_var(CgFn *c, const IrVar *var, VVal v, const IrStmt *body) {
    VVal saved = c->vars[var->id];
    bool was = c->bound[var->id];
    c->vars[var->id] = v;
    c->bound[var->id] = true;
    cg_stmt(c, body);
    c->vars[var->id] = saved;
    c->bound[var->id] = was;
}

static void for_stmt(CgFn *c, const IrStmt *s) {
    ForKind k = s->for_kind;
    if (k == FOR_PARALLEL && !c->in_parallel && !c->width) {
        cg_par_loop(c, s);
        return;
    }
    if (k == FOR_VECTORIZED && !c->width && cg_vec_loop(c, s)) return;
    LLVMValueRef min = cg_expr(c, s->min), ext = cg_expr(c, s->extent);
    if (k == FOR_UNROLLED && LLVMIsAConstantInt(ext) &&
        LLVMConstIntGetSExtValue(ext) <= CG_MAX_UNROLL &&
        LLVMConstIntGetSExtValue(ext) * ir_stmt_size(s->body) <= CG_MAX_UNROLL_STMTS &&
        LLVMConstIntGetSExtValue(ext) * ir_stmt_loops(s->body) <= CG_MAX_UNROLL_LOOPS) {
        int64_t n = LLVMConstIntGetSExtValue(ext);
        for (int64_t i = 0; i < n; i++) {
            LLVMValueRef v = LLVMBuildAdd(c->b, min, cg_i64(c, i), s->var->name);
            with_var(c, s->var, (VVal){VV_UNIFORM, v, 0}, s->body);
        }
        return;
    }
    cg_serial_loop(c, s->var, NULL, min, ext, stmt_body, s);
}

static void store_stmt(CgFn *c, const IrStmt *s) {
    const IrBuf *buf = s->buf;
    LLVMTypeRef mt = cg_memtype(c, buf->dtype);
    unsigned align = (unsigned)dtype_size(buf->dtype);
    VVal ix = cg_vexpr(c, s->index), val = cg_vexpr(c, s->value);
    if (ix.kind == VV_UNIFORM && val.kind == VV_UNIFORM && !c->mask) {
        LLVMValueRef v = val.v;
        if (buf->dtype == DT_BOOL) v = LLVMBuildZExt(c->b, v, mt, "");
        LLVMValueRef st = LLVMBuildStore(c->b, v, cg_elem_ptr(c, buf, ix.v));
        LLVMSetAlignment(st, align);
        return;
    }
    LLVMValueRef v = cg_materialize(c, val);
    LLVMTypeRef vt = LLVMVectorType(mt, (unsigned)c->width);
    if (buf->dtype == DT_BOOL) v = LLVMBuildZExt(c->b, v, vt, "");
    LLVMValueRef i32align = LLVMConstInt(LLVMInt32TypeInContext(c->ctx), align, 0);
    if (ix.kind == VV_RAMP && ix.stride == 1) { /* contiguous */
        LLVMValueRef p = cg_elem_ptr(c, buf, ix.v);
        if (!c->mask) {
            LLVMValueRef st = LLVMBuildStore(c->b, v, p);
            LLVMSetAlignment(st, align);
        } else {
            LLVMTypeRef ov[2] = {vt, LLVMTypeOf(p)};
            LLVMValueRef a[4] = {v, p, i32align, c->mask};
            cg_intrinsic(c, "llvm.masked.store", ov, 2, a, 4);
        }
        return;
    }
    /* scatter: lanes store in order, so the last lane wins as in the scalar loop */
    LLVMValueRef idx = cg_materialize(c, ix);
    LLVMValueRef ptrs = LLVMBuildInBoundsGEP2(c->b, mt, cg_buf_ptr(c, buf), &idx, 1, "");
    LLVMValueRef m = c->mask;
    if (!m) m = cg_splat(c, LLVMConstInt(LLVMInt1TypeInContext(c->ctx), 1, 0), c->width);
    LLVMTypeRef ov[2] = {vt, LLVMTypeOf(ptrs)};
    LLVMValueRef a[4] = {v, ptrs, i32align, m};
    cg_intrinsic(c, "llvm.masked.scatter", ov, 2, a, 4);
}

static void if_stmt(CgFn *c, const IrStmt *s) {
    VVal cond = cg_vexpr(c, s->cond);
    if (cond.kind != VV_UNIFORM) { /* lanes disagree: both sides run under masks */
        LLVMValueRef m = cg_materialize(c, cond), saved = c->mask;
        c->mask = cg_mask_and(c, saved, m);
        cg_stmt(c, s->body);
        if (s->orelse) {
            c->mask = cg_mask_and(c, saved, LLVMBuildNot(c->b, m, ""));
            cg_stmt(c, s->orelse);
        }
        c->mask = saved;
        return;
    }
    LLVMBasicBlockRef tb = block(c, "if.then", NULL);
    LLVMBasicBlockRef eb = s->orelse ? block(c, "if.else", NULL) : NULL;
    LLVMBasicBlockRef jb = block(c, "if.end", NULL);
    LLVMBuildCondBr(c->b, cond.v, tb, eb ? eb : jb);
    LLVMPositionBuilderAtEnd(c->b, tb);
    cg_stmt(c, s->body);
    LLVMBuildBr(c->b, jb);
    if (eb) {
        LLVMPositionBuilderAtEnd(c->b, eb);
        cg_stmt(c, s->orelse);
        LLVMBuildBr(c->b, jb);
    }
    LLVMPositionBuilderAtEnd(c->b, jb);
}

static void alloc_stmt(CgFn *c, const IrStmt *s) {
    const IrBuf *buf = s->buf;
    LLVMTypeRef mt = cg_memtype(c, buf->dtype);
    int64_t size = buf->size > 0 ? buf->size : 1;
    uint64_t bytes = (uint64_t)size * dtype_size(buf->dtype);
    int n0 = c->nbufs;
    if (bytes <= CG_STACK_LIMIT && c->stack_bytes + bytes <= CG_STACK_TOTAL) {
        c->stack_bytes += bytes;
        unsigned align = bytes >= 64 ? 64 : (unsigned)dtype_size(buf->dtype);
        LLVMValueRef p = cg_alloca(c, LLVMArrayType2(mt, (uint64_t)size), NULL, align, buf->name);
        cg_bind_buf(c, buf, p);
        cg_stmt(c, s->body);
        c->nbufs = n0;
        return;
    }
    /* On the heap, 64-byte aligned as the stack's large buffers are (a cache line, an AVX-512
     * vector: a packed panel's vector loads never split a line), and LLVM is told so.
     * aligned_alloc (C11) wants the size a multiple of the alignment. */
    LLVMTypeRef i64 = LLVMInt64TypeInContext(c->ctx), ptr = LLVMPointerTypeInContext(c->ctx, 0);
    LLVMTypeRef mparams[2] = {i64, i64};
    LLVMTypeRef mty = LLVMFunctionType(ptr, mparams, 2, 0),
                fty = LLVMFunctionType(LLVMVoidTypeInContext(c->ctx), &ptr, 1, 0);
    LLVMValueRef margs[2] = {
        cg_i64(c, CG_HEAP_ALIGN),
        cg_i64(c, (int64_t)((bytes + CG_HEAP_ALIGN - 1) / CG_HEAP_ALIGN * CG_HEAP_ALIGN))};
    LLVMValueRef p =
        LLVMBuildCall2(c->b, mty, cg_declare(c, "aligned_alloc", mty), margs, 2, buf->name);
    unsigned align_kind = LLVMGetEnumAttributeKindForName("align", 5);
    LLVMAddCallSiteAttribute(p, LLVMAttributeReturnIndex,
                             LLVMCreateEnumAttribute(c->ctx, align_kind, CG_HEAP_ALIGN));
    cg_bind_buf(c, buf, p);
    cg_stmt(c, s->body);
    c->nbufs = n0;
    LLVMBuildCall2(c->b, fty, cg_declare(c, "free", fty), &p, 1, "");
}

void cg_stmt(CgFn *c, const IrStmt *s) {
    if (!s) return;
    switch (s->kind) {
    case IS_FOR:
        for_stmt(c, s);
        return;
    case IS_LET:
        with_var(c, s->var, cg_vexpr(c, s->value), s->body);
        return;
    case IS_STORE:
        store_stmt(c, s);
        return;
    case IS_IF:
        if_stmt(c, s);
        return;
    case IS_ALLOC:
        alloc_stmt(c, s);
        return;
    case IS_BLOCK:
        for (int i = 0; i < s->n; i++) cg_stmt(c, s->stmts[i]);
        return;
    }
    TEC_BUG("codegen: bad statement kind %d", (int)s->kind);
}
