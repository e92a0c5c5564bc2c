/* Expressions: IR expression -> LLVM value, in scalar code or inside a vector loop (where
 * values are uniform, int64 ramps, or vectors; see VVal). Integer / and % are floor division
 * and modulo that never trap (x / 0 == x % 0 == 0), as in the reference evaluator. */
#include "compiler/cg_internal.h"
#include <string.h>

LLVMTypeRef cg_type(CgFn *c, DType t) {
    switch (t) {
    case DT_BOOL:
        return LLVMInt1TypeInContext(c->ctx);
    case DT_INT8:
    case DT_UINT8:
        return LLVMInt8TypeInContext(c->ctx);
    case DT_INT16:
        return LLVMInt16TypeInContext(c->ctx);
    case DT_INT32:
        return LLVMInt32TypeInContext(c->ctx);
    case DT_INT64:
        return LLVMInt64TypeInContext(c->ctx);
    case DT_FLOAT32:
        return LLVMFloatTypeInContext(c->ctx);
    case DT_FLOAT64:
        return LLVMDoubleTypeInContext(c->ctx);
    default:
        TEC_BUG("codegen: no LLVM type for dtype %d", (int)t);
    }
}

LLVMTypeRef cg_memtype(CgFn *c, DType t) {
    return t == DT_BOOL ? LLVMInt8TypeInContext(c->ctx) : cg_type(c, t);
}

LLVMValueRef cg_i64(CgFn *c, int64_t v) {
    return LLVMConstInt(LLVMInt64TypeInContext(c->ctx), (unsigned long long)v, 1);
}

/* The type of t at the current width (scalar when w == 0). */
static LLVMTypeRef wtype(CgFn *c, DType t, int w) {
    LLVMTypeRef s = cg_type(c, t);
    return w ? LLVMVectorType(s, (unsigned)w) : s;
}

LLVMValueRef cg_splat(CgFn *c, LLVMValueRef scalar, int width) {
    LLVMTypeRef vt = LLVMVectorType(LLVMTypeOf(scalar), (unsigned)width);
    LLVMValueRef zero = LLVMConstInt(LLVMInt32TypeInContext(c->ctx), 0, 0);
    LLVMValueRef v = LLVMBuildInsertElement(c->b, LLVMGetPoison(vt), scalar, zero, "");
    LLVMValueRef m = LLVMConstNull(LLVMVectorType(LLVMInt32TypeInContext(c->ctx), (unsigned)width));
    return LLVMBuildShuffleVector(c->b, v, LLVMGetPoison(vt), m, "splat");
}

/* <0, 1, ..., w-1> as int64. */
static LLVMValueRef lanes(CgFn *c, int w) {
    LLVMValueRef e[CG_MAX_LANES];
    for (int i = 0; i < w; i++) e[i] = cg_i64(c, i);
    return LLVMConstVector(e, (unsigned)w);
}

LLVMValueRef cg_materialize(CgFn *c, VVal v) {
    switch (v.kind) {
    case VV_VECTOR:
        return v.v;
    case VV_UNIFORM:
        return c->width ? cg_splat(c, v.v, c->width) : v.v;
    case VV_RAMP: {
        LLVMValueRef base = cg_splat(c, v.v, c->width);
        LLVMValueRef step =
            LLVMBuildMul(c->b, lanes(c, c->width), cg_splat(c, cg_i64(c, v.stride), c->width), "");
        return LLVMBuildAdd(c->b, base, step, "ramp");
    }
    }
    TEC_BUG("codegen: bad value kind");
}

static VVal uni(LLVMValueRef v) {
    return (VVal){VV_UNIFORM, v, 0};
}
static VVal vec(LLVMValueRef v) {
    return (VVal){VV_VECTOR, v, 0};
}
static VVal ramp(CgFn *c, LLVMValueRef base, int64_t stride) {
    if (stride == 0) return uni(base);
    (void)c;
    return (VVal){VV_RAMP, base, stride};
}

/* A constant of dtype t shaped like `like` (scalar or vector). */
static LLVMValueRef konst_like(CgFn *c, DType t, LLVMValueRef like, int64_t iv, double fv) {
    LLVMTypeRef st = cg_type(c, t);
    LLVMValueRef k =
        dtype_is_float(t) ? LLVMConstReal(st, fv) : LLVMConstInt(st, (unsigned long long)iv, 1);
    LLVMTypeRef lt = LLVMTypeOf(like);
    if (LLVMGetTypeKind(lt) == LLVMVectorTypeKind)
        return cg_splat(c, k, (int)LLVMGetVectorSize(lt));
    return k;
}

LLVMValueRef cg_declare(CgFn *c, const char *name, LLVMTypeRef fnty) {
    LLVMValueRef f = LLVMGetNamedFunction(c->mod, name);
    if (!f) f = LLVMAddFunction(c->mod, name, fnty);
    return f;
}

LLVMTypeRef cg_fn_type(CgFn *c, const char *name) {
    LLVMValueRef f = LLVMGetNamedFunction(c->mod, name);
    if (!f) TEC_BUG("codegen: %s not declared", name);
    return LLVMGlobalGetValueType(f);
}

LLVMValueRef cg_intrinsic(CgFn *c, const char *name, LLVMTypeRef *over, int nover,
                          LLVMValueRef *args, int nargs) {
    unsigned id = LLVMLookupIntrinsicID(name, strlen(name));
    if (!id) TEC_BUG("codegen: no intrinsic %s", name);
    LLVMValueRef f = LLVMGetIntrinsicDeclaration(c->mod, id, over, (size_t)nover);
    LLVMTypeRef ft = LLVMIntrinsicGetType(c->ctx, id, over, (size_t)nover);
    return LLVMBuildCall2(c->b, ft, f, args, (unsigned)nargs, "");
}

static LLVMValueRef intrin1(CgFn *c, const char *name, LLVMValueRef x) {
    LLVMTypeRef t = LLVMTypeOf(x);
    return cg_intrinsic(c, name, &t, 1, &x, 1);
}

static LLVMValueRef intrin2(CgFn *c, const char *name, LLVMValueRef x, LLVMValueRef y) {
    LLVMTypeRef t = LLVMTypeOf(x);
    LLVMValueRef a[2] = {x, y};
    return cg_intrinsic(c, name, &t, 1, a, 2);
}

/* Float arithmetic may be contracted into FMA (x + a*b in reductions). */
static LLVMValueRef contract(LLVMValueRef v) {
    if (LLVMIsAInstruction(v) && LLVMCanValueUseFastMathFlags(v))
        LLVMSetFastMathFlags(v, LLVMFastMathAllowContract);
    return v;
}

static bool is_pow2(int64_t d) {
    return d > 0 && (d & (d - 1)) == 0;
}

static int log2i(int64_t d) {
    int k = 0;
    while ((INT64_C(1) << k) < d) k++;
    return k;
}

/* Floor division / modulo of integers; b_e is b's IR expression (for constant divisors). */
static LLVMValueRef int_divmod(CgFn *c, DType t, LLVMValueRef a, LLVMValueRef b, const IrExpr *b_e,
                               bool mod) {
    LLVMBuilderRef B = c->b;
    bool cst = b_e && b_e->kind == IE_CONST;
    int64_t d = cst ? b_e->ival : 0;
    if (!dtype_is_signed(t)) {
        if (cst && d == 0) return konst_like(c, t, a, 0, 0);
        if (cst) return mod ? LLVMBuildURem(B, a, b, "") : LLVMBuildUDiv(B, a, b, "");
        LLVMValueRef z = LLVMBuildICmp(B, LLVMIntEQ, b, konst_like(c, t, b, 0, 0), "");
        LLVMValueRef safe = LLVMBuildSelect(B, z, konst_like(c, t, b, 1, 0), b, "");
        LLVMValueRef r = mod ? LLVMBuildURem(B, a, safe, "") : LLVMBuildUDiv(B, a, safe, "");
        return LLVMBuildSelect(B, z, konst_like(c, t, a, 0, 0), r, "");
    }
    if (cst) {
        if (d == 0 || (d == -1 && mod)) return konst_like(c, t, a, 0, 0);
        if (d == -1) return LLVMBuildSub(B, konst_like(c, t, a, 0, 0), a, "");
        if (is_pow2(d)) /* arithmetic shift and mask are floor semantics already */
            return mod ? LLVMBuildAnd(B, a, konst_like(c, t, a, d - 1, 0), "")
                       : LLVMBuildAShr(B, a, konst_like(c, t, a, log2i(d), 0), "");
        LLVMValueRef q = LLVMBuildSDiv(B, a, b, "");
        LLVMValueRef r = LLVMBuildSRem(B, a, b, "");
        /* truncation rounds toward zero: step down when the remainder's sign differs from d's */
        LLVMValueRef adj =
            LLVMBuildICmp(B, d > 0 ? LLVMIntSLT : LLVMIntSGT, r, konst_like(c, t, r, 0, 0), "");
        if (mod)
            return LLVMBuildAdd(B, r, LLVMBuildSelect(B, adj, b, konst_like(c, t, b, 0, 0), ""),
                                "");
        return LLVMBuildSub(B, q, LLVMBuildZExt(B, adj, LLVMTypeOf(q), ""), "");
    }
    /* general case: divisors 0 and -1 (INT_MIN / -1 traps) are replaced by 1, then patched */
    LLVMValueRef zero = konst_like(c, t, b, 0, 0);
    LLVMValueRef z = LLVMBuildICmp(B, LLVMIntEQ, b, zero, "");
    LLVMValueRef m1 = LLVMBuildICmp(B, LLVMIntEQ, b, konst_like(c, t, b, -1, 0), "");
    LLVMValueRef safe =
        LLVMBuildSelect(B, LLVMBuildOr(B, z, m1, ""), konst_like(c, t, b, 1, 0), b, "");
    LLVMValueRef r = LLVMBuildSRem(B, a, safe, "");
    LLVMValueRef adj =
        LLVMBuildAnd(B, LLVMBuildICmp(B, LLVMIntNE, r, zero, ""),
                     LLVMBuildICmp(B, LLVMIntSLT, LLVMBuildXor(B, r, b, ""), zero, ""), "");
    if (mod) /* with a replaced divisor r is 0 and adj false: x % 0 == x % -1 == 0 */
        return LLVMBuildAdd(B, r, LLVMBuildSelect(B, adj, b, zero, ""), "");
    LLVMValueRef q = LLVMBuildSDiv(B, a, safe, "");
    q = LLVMBuildSub(B, q, LLVMBuildZExt(B, adj, LLVMTypeOf(q), ""), "");
    q = LLVMBuildSelect(B, m1, LLVMBuildSub(B, zero, a, ""), q, "");
    return LLVMBuildSelect(B, z, zero, q, "");
}

static LLVMValueRef cast_val(CgFn *c, DType from, DType to, LLVMValueRef v);

/* The internal function tec.ipow.iN(a, e): integer power by squaring with wrap-around; a
 * negative exponent gives 1/a^-e truncated (1, -1 or 0), as the reference evaluator. */
static LLVMValueRef ipow_fn(CgFn *c, DType t) {
    LLVMTypeRef it = cg_type(c, t);
    char name[32];
    snprintf(name, sizeof name, "tec.ipow.i%d", dtype_bits(t));
    LLVMValueRef f = LLVMGetNamedFunction(c->mod, name);
    if (f) return f;
    LLVMTypeRef ps[2] = {it, it};
    f = LLVMAddFunction(c->mod, name, LLVMFunctionType(it, ps, 2, 0));
    LLVMSetLinkage(f, LLVMInternalLinkage);
    cg_set_fn_attrs(c->cg, f);
    LLVMBuilderRef B = LLVMCreateBuilderInContext(c->ctx);
    LLVMBasicBlockRef entry = LLVMAppendBasicBlockInContext(c->ctx, f, "entry");
    LLVMBasicBlockRef neg = LLVMAppendBasicBlockInContext(c->ctx, f, "neg");
    LLVMBasicBlockRef loop = LLVMAppendBasicBlockInContext(c->ctx, f, "loop");
    LLVMBasicBlockRef done = LLVMAppendBasicBlockInContext(c->ctx, f, "done");
    LLVMValueRef a = LLVMGetParam(f, 0), e = LLVMGetParam(f, 1);
    LLVMValueRef zero = LLVMConstInt(it, 0, 0), one = LLVMConstInt(it, 1, 0);
    LLVMValueRef mone = LLVMConstInt(it, (unsigned long long)-1, 1);
    LLVMPositionBuilderAtEnd(B, entry);
    LLVMValueRef isneg = dtype_is_signed(t) ? LLVMBuildICmp(B, LLVMIntSLT, e, zero, "")
                                            : LLVMConstInt(LLVMInt1TypeInContext(c->ctx), 0, 0);
    LLVMBuildCondBr(B, isneg, neg, loop);
    LLVMPositionBuilderAtEnd(B, neg);
    LLVMValueRef odd = LLVMBuildICmp(B, LLVMIntNE, LLVMBuildAnd(B, e, one, ""), zero, "");
    LLVMValueRef r_m1 = LLVMBuildSelect(B, odd, mone, one, "");
    LLVMValueRef r_neg = LLVMBuildSelect(
        B, LLVMBuildICmp(B, LLVMIntEQ, a, one, ""), one,
        LLVMBuildSelect(B, LLVMBuildICmp(B, LLVMIntEQ, a, mone, ""), r_m1, zero, ""), "");
    LLVMBuildRet(B, r_neg);
    LLVMPositionBuilderAtEnd(B, loop);
    LLVMValueRef r = LLVMBuildPhi(B, it, "r"), base = LLVMBuildPhi(B, it, "base");
    LLVMValueRef n = LLVMBuildPhi(B, it, "n");
    LLVMValueRef bit = LLVMBuildICmp(B, LLVMIntNE, LLVMBuildAnd(B, n, one, ""), zero, "");
    LLVMValueRef r2 = LLVMBuildSelect(B, bit, LLVMBuildMul(B, r, base, ""), r, "");
    LLVMValueRef base2 = LLVMBuildMul(B, base, base, "");
    LLVMValueRef n2 = LLVMBuildLShr(B, n, one, "");
    LLVMBuildCondBr(B, LLVMBuildICmp(B, LLVMIntEQ, n2, zero, ""), done, loop);
    LLVMValueRef iv[2] = {one, r2}, bv[2] = {a, base2}, nv[2] = {e, n2};
    LLVMBasicBlockRef ib[2] = {entry, loop};
    LLVMAddIncoming(r, iv, ib, 2);
    LLVMAddIncoming(base, bv, ib, 2);
    LLVMAddIncoming(n, nv, ib, 2);
    LLVMPositionBuilderAtEnd(B, done);
    LLVMBuildRet(B, r2);
    LLVMDisposeBuilder(B);
    return f;
}

static LLVMValueRef int_pow(CgFn *c, DType t, LLVMValueRef a, LLVMValueRef b, const IrExpr *b_e) {
    if (b_e && b_e->kind == IE_CONST && b_e->ival >= 0 && b_e->ival <= 64) {
        /* a constant exponent: multiply out */
        LLVMValueRef r = konst_like(c, t, a, 1, 0), base = a;
        for (int64_t n = b_e->ival; n; n >>= 1) {
            if (n & 1) r = LLVMBuildMul(c->b, r, base, "");
            if (n > 1) base = LLVMBuildMul(c->b, base, base, "");
        }
        return r;
    }
    LLVMValueRef f = ipow_fn(c, t);
    LLVMTypeRef ft = LLVMGlobalGetValueType(f);
    LLVMTypeRef lt = LLVMTypeOf(a);
    if (LLVMGetTypeKind(lt) != LLVMVectorTypeKind) {
        LLVMValueRef args[2] = {a, b};
        return LLVMBuildCall2(c->b, ft, f, args, 2, "");
    }
    LLVMValueRef r = LLVMGetPoison(lt);
    for (unsigned i = 0; i < LLVMGetVectorSize(lt); i++) {
        LLVMValueRef k = LLVMConstInt(LLVMInt32TypeInContext(c->ctx), i, 0);
        LLVMValueRef args[2] = {LLVMBuildExtractElement(c->b, a, k, ""),
                                LLVMBuildExtractElement(c->b, b, k, "")};
        r = LLVMBuildInsertElement(c->b, r, LLVMBuildCall2(c->b, ft, f, args, 2, ""), k, "");
    }
    return r;
}

/* The LLVM predicates of the comparisons OP_LT .. OP_NE: ordered for floats except !=, which is
 * true on NaN as C's is; signed or unsigned for integers. */
typedef struct CmpPred {
    LLVMRealPredicate f;
    LLVMIntPredicate s, u;
} CmpPred;
static const CmpPred CMP[] = {
    [OP_LT - OP_LT] = {LLVMRealOLT, LLVMIntSLT, LLVMIntULT},
    [OP_LE - OP_LT] = {LLVMRealOLE, LLVMIntSLE, LLVMIntULE},
    [OP_GT - OP_LT] = {LLVMRealOGT, LLVMIntSGT, LLVMIntUGT},
    [OP_GE - OP_LT] = {LLVMRealOGE, LLVMIntSGE, LLVMIntUGE},
    [OP_EQ - OP_LT] = {LLVMRealOEQ, LLVMIntEQ, LLVMIntEQ},
    [OP_NE - OP_LT] = {LLVMRealUNE, LLVMIntNE, LLVMIntNE},
};

/* One binary operation on scalars or vectors of equal shape; the folds of the same operators
 * are lang/scalar.c's (lang/ops.h). */
static LLVMValueRef binop(CgFn *c, Op op, DType t, LLVMValueRef a, LLVMValueRef b,
                          const IrExpr *b_e) {
    LLVMBuilderRef B = c->b;
    bool fl = dtype_is_float(t), sg = dtype_is_signed(t);
    switch (op) {
    case OP_ADD:
        return fl ? contract(LLVMBuildFAdd(B, a, b, "")) : LLVMBuildAdd(B, a, b, "");
    case OP_SUB:
        return fl ? contract(LLVMBuildFSub(B, a, b, "")) : LLVMBuildSub(B, a, b, "");
    case OP_MUL:
        return fl ? contract(LLVMBuildFMul(B, a, b, "")) : LLVMBuildMul(B, a, b, "");
    case OP_DIV:
        return fl ? LLVMBuildFDiv(B, a, b, "") : int_divmod(c, t, a, b, b_e, false);
    case OP_MOD:
        return fl ? LLVMBuildFRem(B, a, b, "") : int_divmod(c, t, a, b, b_e, true);
    case OP_LT:
    case OP_LE:
    case OP_GT:
    case OP_GE:
    case OP_EQ:
    case OP_NE: {
        const CmpPred *p = &CMP[op - OP_LT];
        return fl ? LLVMBuildFCmp(B, p->f, a, b, "") : LLVMBuildICmp(B, sg ? p->s : p->u, a, b, "");
    }
    case OP_AND:
    case OP_OR: {
        /* operands are bool; anything else counts as true when non-zero */
        if (t != DT_BOOL) {
            a = cast_val(c, t, DT_BOOL, a);
            b = cast_val(c, t, DT_BOOL, b);
        }
        return op == OP_AND ? LLVMBuildAnd(B, a, b, "") : LLVMBuildOr(B, a, b, "");
    }
    case OP_MIN:
    case OP_MAX:
        if (fl) /* C's fmin/fmax, as the reference: a NaN operand yields the other */
            return intrin2(c, op == OP_MIN ? "llvm.minnum" : "llvm.maxnum", a, b);
        if (op == OP_MIN) return intrin2(c, sg ? "llvm.smin" : "llvm.umin", a, b);
        return intrin2(c, sg ? "llvm.smax" : "llvm.umax", a, b);
    case OP_POW:
        return fl ? intrin2(c, "llvm.pow", a, b) : int_pow(c, t, a, b, b_e);
    default:
        break;
    }
    TEC_BUG("codegen: bad binary operator %d", (int)op);
}

static LLVMValueRef cast_val(CgFn *c, DType from, DType to, LLVMValueRef v) {
    LLVMBuilderRef B = c->b;
    LLVMTypeRef lt = LLVMTypeOf(v);
    int w = LLVMGetTypeKind(lt) == LLVMVectorTypeKind ? (int)LLVMGetVectorSize(lt) : 0;
    LLVMTypeRef tt = wtype(c, to, w);
    if (from == to) return v;
    if (to == DT_BOOL) {
        if (dtype_is_float(from))
            return LLVMBuildFCmp(B, LLVMRealUNE, v, konst_like(c, from, v, 0, 0), "");
        return LLVMBuildICmp(B, LLVMIntNE, v, konst_like(c, from, v, 0, 0), "");
    }
    bool ff = dtype_is_float(from), tf = dtype_is_float(to);
    if (ff && tf)
        return dtype_bits(to) > dtype_bits(from) ? LLVMBuildFPExt(B, v, tt, "")
                                                 : LLVMBuildFPTrunc(B, v, tt, "");
    if (!ff && tf)
        return dtype_is_signed(from) ? LLVMBuildSIToFP(B, v, tt, "")
                                     : LLVMBuildUIToFP(B, v, tt, "");
    if (ff) { /* as the reference: truncate, saturate to int64 (NaN: 0), wrap to the width */
        LLVMTypeRef ov[2] = {wtype(c, DT_INT64, w), lt};
        LLVMValueRef r = cg_intrinsic(c, "llvm.fptosi.sat", ov, 2, &v, 1);
        return to == DT_INT64 ? r : LLVMBuildTrunc(B, r, tt, "");
    }
    int fb = from == DT_BOOL ? 1 : dtype_bits(from), tb = dtype_bits(to);
    if (tb < fb) return LLVMBuildTrunc(B, v, tt, "");
    if (tb == fb) return v; /* int8 <-> uint8: same bits */
    return dtype_is_signed(from) ? LLVMBuildSExt(B, v, tt, "") : LLVMBuildZExt(B, v, tt, "");
}

/* tanh has no LLVM intrinsic: libm, lane by lane in vector code. */
static LLVMValueRef call_tanh(CgFn *c, DType t, LLVMValueRef x) {
    LLVMTypeRef st = cg_type(c, t);
    const char *name = t == DT_FLOAT32 ? "tanhf" : "tanh";
    LLVMTypeRef ft = LLVMFunctionType(st, &st, 1, 0);
    LLVMValueRef f = cg_declare(c, name, ft);
    LLVMTypeRef lt = LLVMTypeOf(x);
    if (LLVMGetTypeKind(lt) != LLVMVectorTypeKind) return LLVMBuildCall2(c->b, ft, f, &x, 1, "");
    LLVMValueRef r = LLVMGetPoison(lt);
    for (unsigned i = 0; i < LLVMGetVectorSize(lt); i++) {
        LLVMValueRef k = LLVMConstInt(LLVMInt32TypeInContext(c->ctx), i, 0);
        LLVMValueRef e = LLVMBuildExtractElement(c->b, x, k, "");
        r = LLVMBuildInsertElement(c->b, r, LLVMBuildCall2(c->b, ft, f, &e, 1, ""), k, "");
    }
    return r;
}

static LLVMValueRef mathfn(CgFn *c, MathFn fn, DType t, LLVMValueRef x) {
    if (!dtype_is_float(t)) {
        if (fn == FN_ABS)
            return dtype_is_signed(t) ? intrin2(c, "llvm.abs", x,
                                                LLVMConstInt(LLVMInt1TypeInContext(c->ctx), 0, 0))
                                      : x;
        if (fn == FN_FLOOR || fn == FN_CEIL) return x;
        /* exp/log/sqrt/tanh of an integer: computed in float64 */
        return cast_val(c, DT_FLOAT64, t, mathfn(c, fn, DT_FLOAT64, cast_val(c, t, DT_FLOAT64, x)));
    }
    switch (fn) {
    case FN_EXP:
        return intrin1(c, "llvm.exp", x);
    case FN_LOG:
        return intrin1(c, "llvm.log", x);
    case FN_SQRT:
        return intrin1(c, "llvm.sqrt", x);
    case FN_TANH:
        return call_tanh(c, t, x);
    case FN_ABS:
        return intrin1(c, "llvm.fabs", x);
    case FN_FLOOR:
        return intrin1(c, "llvm.floor", x);
    case FN_CEIL:
        return intrin1(c, "llvm.ceil", x);
    }
    TEC_BUG("codegen: bad math function %d", (int)fn);
}

LLVMValueRef cg_buf_ptr(CgFn *c, const IrBuf *b) {
    for (int i = c->nbufs - 1; i >= 0; i--)
        if (c->bufs[i].buf == b) return c->bufs[i].ptr;
    TEC_BUG("codegen: buffer %s used outside its allocation", b->name);
}

LLVMValueRef cg_elem_ptr(CgFn *c, const IrBuf *b, LLVMValueRef index) {
    return LLVMBuildInBoundsGEP2(c->b, cg_memtype(c, b->dtype), cg_buf_ptr(c, b), &index, 1, "");
}

LLVMValueRef cg_mask_and(CgFn *c, LLVMValueRef m, LLVMValueRef cond) {
    return m ? LLVMBuildAnd(c->b, m, cond, "mask") : cond;
}

static LLVMValueRef all_true(CgFn *c) {
    return cg_splat(c, LLVMConstInt(LLVMInt1TypeInContext(c->ctx), 1, 0), c->width);
}

static LLVMValueRef load_fix(CgFn *c, DType t, LLVMValueRef v) {
    if (t != DT_BOOL) return v;
    return LLVMBuildICmp(c->b, LLVMIntNE, v, LLVMConstNull(LLVMTypeOf(v)), "");
}

/* The shuffle mask <from, from+1, ..., from+n-1> with lanes past `valid` poison. */
static LLVMValueRef lane_mask(CgFn *c, int from, int n, int valid) {
    LLVMValueRef m[CG_MAX_LANES];
    LLVMTypeRef i32 = LLVMInt32TypeInContext(c->ctx);
    for (int i = 0; i < n; i++)
        m[i] = i < valid ? LLVMConstInt(i32, (unsigned)(from + i), 0) : LLVMGetPoison(i32);
    return LLVMConstVector(m, (unsigned)n);
}

/* llvm.masked.gather of w lanes, in power-of-two pieces when w is not one. LLVM 19's x86
 * backend widens an odd gather with an undefined index vector, and the register allocator may
 * then give the AVX-512 gather the same register for destination and index, which the CPU
 * rejects (#UD, SIGILL); see docs/codegen.md, LLVM workarounds. */
static LLVMValueRef gather(CgFn *c, LLVMTypeRef mt, LLVMValueRef ptrs, LLVMValueRef mask,
                           unsigned align) {
    int w = c->width;
    LLVMValueRef i32align = LLVMConstInt(LLVMInt32TypeInContext(c->ctx), align, 0);
    if ((w & (w - 1)) == 0) {
        LLVMTypeRef vt = LLVMVectorType(mt, (unsigned)w), ov[2] = {vt, LLVMTypeOf(ptrs)};
        LLVMValueRef a[4] = {ptrs, i32align, mask, LLVMConstNull(vt)};
        return cg_intrinsic(c, "llvm.masked.gather", ov, 2, a, 4);
    }
    LLVMValueRef r = LLVMConstNull(LLVMVectorType(mt, (unsigned)w));
    for (int at = 0; at < w;) {
        int k = 1;
        while (k * 2 <= w - at) k *= 2;
        LLVMValueRef p = LLVMBuildShuffleVector(c->b, ptrs, LLVMGetPoison(LLVMTypeOf(ptrs)),
                                                lane_mask(c, at, k, k), "");
        LLVMValueRef m = LLVMBuildShuffleVector(c->b, mask, LLVMGetPoison(LLVMTypeOf(mask)),
                                                lane_mask(c, at, k, k), "");
        LLVMTypeRef kt = LLVMVectorType(mt, (unsigned)k), ov[2] = {kt, LLVMTypeOf(p)};
        LLVMValueRef a[4] = {p, i32align, m, LLVMConstNull(kt)};
        LLVMValueRef g = cg_intrinsic(c, "llvm.masked.gather", ov, 2, a, 4);
        /* widen the piece to w lanes, then take lanes [at, at+k) from it */
        LLVMValueRef wide =
            LLVMBuildShuffleVector(c->b, g, LLVMGetPoison(kt), lane_mask(c, 0, w, k), "");
        LLVMValueRef sel[CG_MAX_LANES];
        LLVMTypeRef i32 = LLVMInt32TypeInContext(c->ctx);
        for (int i = 0; i < w; i++)
            sel[i] = LLVMConstInt(i32, (unsigned)(i >= at && i < at + k ? w + i - at : i), 0);
        r = LLVMBuildShuffleVector(c->b, r, wide, LLVMConstVector(sel, (unsigned)w), "gather");
        at += k;
    }
    return r;
}

static VVal load(CgFn *c, const IrExpr *e) {
    const IrBuf *buf = e->buf;
    VVal ix = cg_vexpr(c, e->a);
    LLVMTypeRef mt = cg_memtype(c, buf->dtype);
    unsigned align = (unsigned)dtype_size(buf->dtype);
    if (ix.kind == VV_UNIFORM && !c->mask) {
        LLVMValueRef at = ix.v;
        if (c->guard && !c->width) /* speculated: read element 0, which always exists, instead */
            at = LLVMBuildSelect(c->b, c->guard, at, LLVMConstNull(LLVMTypeOf(at)), "");
        LLVMValueRef l = LLVMBuildLoad2(c->b, mt, cg_elem_ptr(c, buf, at), buf->name);
        LLVMSetAlignment(l, align);
        return uni(load_fix(c, buf->dtype, l));
    }
    int w = c->width;
    LLVMTypeRef vt = LLVMVectorType(mt, (unsigned)w);
    LLVMValueRef i32align = LLVMConstInt(LLVMInt32TypeInContext(c->ctx), align, 0);
    LLVMValueRef r;
    if (ix.kind == VV_RAMP && ix.stride == 1) { /* contiguous */
        LLVMValueRef p = cg_elem_ptr(c, buf, ix.v);
        if (!c->mask) {
            r = LLVMBuildLoad2(c->b, vt, p, buf->name);
            LLVMSetAlignment(r, align);
        } else {
            LLVMTypeRef ov[2] = {vt, LLVMTypeOf(p)};
            LLVMValueRef a[4] = {p, i32align, c->mask, LLVMConstNull(vt)};
            r = cg_intrinsic(c, "llvm.masked.load", ov, 2, a, 4);
        }
    } else { /* gather; a uniform index under a mask too, so inactive lanes never read */
        LLVMValueRef idx = cg_materialize(c, ix);
        LLVMValueRef ptrs = LLVMBuildInBoundsGEP2(c->b, mt, cg_buf_ptr(c, buf), &idx, 1, "");
        r = gather(c, mt, ptrs, c->mask ? c->mask : all_true(c), align);
    }
    return vec(load_fix(c, buf->dtype, r));
}

static bool has_load(const IrExpr *e) {
    if (!e) return false;
    if (e->kind == IE_LOAD) return true;
    return has_load(e->a) || has_load(e->b) || has_load(e->c);
}

/* Nodes of e, with calls counted heavy: what evaluating an untaken branch would cost. */
static int cost(const IrExpr *e) {
    if (!e) return 0;
    return (e->kind == IE_CALL ? 20 : 1) + cost(e->a) + cost(e->b) + cost(e->c);
}

/* Two values of one select, shaped alike: both uniform, or both vectors. */
static void unify(CgFn *c, VVal *x, VVal *y) {
    if (x->kind == VV_UNIFORM && y->kind == VV_UNIFORM) return;
    *x = vec(cg_materialize(c, *x));
    *y = vec(cg_materialize(c, *y));
}

static VVal select_expr(CgFn *c, const IrExpr *e) {
    VVal cond = cg_vexpr(c, e->a);
    bool guarded = has_load(e->b) || has_load(e->c);
    if (cond.kind != VV_UNIFORM) {
        /* lanes differ: each branch runs under its own mask, so a guarded load never reads
           where its lane did not take the branch */
        LLVMValueRef m = cg_materialize(c, cond), saved = c->mask;
        VVal x, y;
        if (guarded) {
            c->mask = cg_mask_and(c, saved, m);
            x = cg_vexpr(c, e->b);
            c->mask = cg_mask_and(c, saved, LLVMBuildNot(c->b, m, ""));
            y = cg_vexpr(c, e->c);
            c->mask = saved;
        } else {
            x = cg_vexpr(c, e->b);
            y = cg_vexpr(c, e->c);
        }
        return vec(LLVMBuildSelect(c->b, m, cg_materialize(c, x), cg_materialize(c, y), "sel"));
    }
    if (!guarded) {
        VVal x = cg_vexpr(c, e->b), y = cg_vexpr(c, e->c);
        unify(c, &x, &y);
        return (VVal){x.kind, LLVMBuildSelect(c->b, cond.v, x.v, y.v, "sel"), 0};
    }
    if (!c->width && cost(e->b) + cost(e->c) <= 40) {
        /* cheap branches in scalar code: evaluate both without branching (loops stay
           straight-line for LLVM), each with its loads guarded by its side of the condition */
        LLVMValueRef saved = c->guard;
        c->guard = saved ? LLVMBuildAnd(c->b, saved, cond.v, "") : cond.v;
        LLVMValueRef x = cg_expr(c, e->b);
        LLVMValueRef nc = LLVMBuildNot(c->b, cond.v, "");
        c->guard = saved ? LLVMBuildAnd(c->b, saved, nc, "") : nc;
        LLVMValueRef y = cg_expr(c, e->c);
        c->guard = saved;
        return uni(LLVMBuildSelect(c->b, cond.v, x, y, "sel"));
    }
    /* only the taken branch may be evaluated: branch and merge */
    LLVMBasicBlockRef tb = LLVMAppendBasicBlockInContext(c->ctx, c->fn, "sel.then");
    LLVMBasicBlockRef eb = LLVMAppendBasicBlockInContext(c->ctx, c->fn, "sel.else");
    LLVMBasicBlockRef jb = LLVMAppendBasicBlockInContext(c->ctx, c->fn, "sel.end");
    LLVMBuildCondBr(c->b, cond.v, tb, eb);
    LLVMPositionBuilderAtEnd(c->b, tb);
    VVal x = cg_vexpr(c, e->b);
    bool xv = x.kind != VV_UNIFORM;
    LLVMBasicBlockRef tb_end = LLVMGetInsertBlock(c->b);
    LLVMPositionBuilderAtEnd(c->b, eb);
    VVal y = cg_vexpr(c, e->c);
    bool yv = y.kind != VV_UNIFORM;
    if (xv || yv) /* shape both alike, each in its own block */
        y = vec(cg_materialize(c, y));
    LLVMBasicBlockRef eb_end = LLVMGetInsertBlock(c->b);
    LLVMBuildBr(c->b, jb);
    LLVMPositionBuilderAtEnd(c->b, tb_end);
    if (xv || yv) x = vec(cg_materialize(c, x));
    LLVMBuildBr(c->b, jb);
    LLVMPositionBuilderAtEnd(c->b, jb);
    LLVMValueRef phi = LLVMBuildPhi(c->b, LLVMTypeOf(x.v), "sel");
    LLVMValueRef vals[2] = {x.v, y.v};
    LLVMBasicBlockRef blocks[2] = {tb_end, eb_end};
    LLVMAddIncoming(phi, vals, blocks, 2);
    return (VVal){x.kind, phi, 0};
}

/* Affine shortcuts on int64 ramps keep unit-stride accesses recognisable. */
static bool ramp_binary(CgFn *c, const IrExpr *e, VVal x, VVal y, VVal *out) {
    if (e->dtype != DT_INT64 || (x.kind == VV_VECTOR || y.kind == VV_VECTOR)) return false;
    LLVMBuilderRef B = c->b;
    switch (e->op) {
    case OP_ADD:
        *out = ramp(c, LLVMBuildAdd(B, x.v, y.v, ""), x.stride + y.stride);
        return true;
    case OP_SUB:
        *out = ramp(c, LLVMBuildSub(B, x.v, y.v, ""), x.stride - y.stride);
        return true;
    case OP_MUL: {
        if (y.kind == VV_RAMP) { /* constant * ramp */
            VVal t = x;
            x = y;
            y = t;
        }
        if (y.kind != VV_UNIFORM || !LLVMIsAConstantInt(y.v)) return false;
        int64_t k = LLVMConstIntGetSExtValue(y.v);
        *out = ramp(c, LLVMBuildMul(B, x.v, y.v, ""), x.stride * k);
        return true;
    }
    case OP_DIV:
    case OP_MOD: {
        /* (b + s*l) floordiv d with d | s: (b floordiv d) + (s/d)*l; the modulo is uniform */
        if (x.kind != VV_RAMP || y.kind != VV_UNIFORM || e->b->kind != IE_CONST) return false;
        int64_t d = e->b->ival;
        if (d <= 0 || x.stride % d != 0) return false;
        LLVMValueRef r = int_divmod(c, DT_INT64, x.v, y.v, e->b, e->op == OP_MOD);
        *out = e->op == OP_MOD ? uni(r) : ramp(c, r, x.stride / d);
        return true;
    }
    default:
        return false;
    }
}

VVal cg_vexpr(CgFn *c, const IrExpr *e) {
    switch (e->kind) {
    case IE_CONST:
        return uni(dtype_is_float(e->dtype)
                       ? LLVMConstReal(cg_type(c, e->dtype), e->fval)
                       : LLVMConstInt(cg_type(c, e->dtype), (unsigned long long)e->ival, 1));
    case IE_VAR:
        if (!c->bound[e->var->id]) TEC_BUG("codegen: variable %s used unbound", e->var->name);
        return c->vars[e->var->id];
    case IE_LOAD:
        return load(c, e);
    case IE_UNARY: {
        VVal x = cg_vexpr(c, e->a);
        if (e->op == OP_NEG && x.kind == VV_RAMP)
            return ramp(c, LLVMBuildNeg(c->b, x.v, ""), -x.stride);
        LLVMValueRef v = x.kind == VV_UNIFORM ? x.v : cg_materialize(c, x);
        if (e->op == OP_NOT) {
            if (e->a->dtype != DT_BOOL) v = cast_val(c, e->a->dtype, DT_BOOL, v);
            v = LLVMBuildNot(c->b, v, "");
        } else if (e->op == OP_NEG) {
            v = dtype_is_float(e->dtype) ? LLVMBuildFNeg(c->b, v, "") : LLVMBuildNeg(c->b, v, "");
        } else {
            TEC_BUG("codegen: bad unary operator %d", (int)e->op);
        }
        return x.kind == VV_UNIFORM ? uni(v) : vec(v);
    }
    case IE_BINARY: {
        VVal x = cg_vexpr(c, e->a), y = cg_vexpr(c, e->b), r;
        if (x.kind == VV_UNIFORM && y.kind == VV_UNIFORM)
            return uni(binop(c, e->op, e->a->dtype, x.v, y.v, e->b));
        if (ramp_binary(c, e, x, y, &r)) return r;
        return vec(binop(c, e->op, e->a->dtype, cg_materialize(c, x), cg_materialize(c, y), e->b));
    }
    case IE_SELECT:
        return select_expr(c, e);
    case IE_CALL: {
        VVal x = cg_vexpr(c, e->a);
        LLVMValueRef v =
            mathfn(c, e->fn, e->a->dtype, x.kind == VV_UNIFORM ? x.v : cg_materialize(c, x));
        return x.kind == VV_UNIFORM ? uni(v) : vec(v);
    }
    case IE_CAST: {
        VVal x = cg_vexpr(c, e->a);
        if (e->dtype == e->a->dtype) return x;
        LLVMValueRef v =
            cast_val(c, e->a->dtype, e->dtype, x.kind == VV_UNIFORM ? x.v : cg_materialize(c, x));
        return x.kind == VV_UNIFORM ? uni(v) : vec(v);
    }
    }
    TEC_BUG("codegen: bad expression kind %d", (int)e->kind);
}

LLVMValueRef cg_expr(CgFn *c, const IrExpr *e) {
    VVal v = cg_vexpr(c, e);
    if (v.kind != VV_UNIFORM)
        TEC_BUG("codegen: a loop bound or condition varies across vector lanes");
    return v.v;
}
