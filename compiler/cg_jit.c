/* In-process JIT: one ORC LLJIT per Cg, created on first use and reused for every kernel.
 * A kernel is an object image (emitted by the Cg's target machine, or built by another process)
 * linked into a pooled JITDylib under its own resource tracker, so freeing it releases its code
 * and lets a later kernel of the same name take the dylib. The runtime it calls (libm, malloc,
 * libgomp) is defined as absolute symbols, which also keeps those libraries linked in. */
#include "compiler/cg_internal.h"
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

void GOMP_parallel(void (*fn)(void *), void *data, unsigned num_threads, unsigned flags);

typedef struct RuntimeSym {
    const char *name;
    void *addr;
} RuntimeSym;

static const RuntimeSym runtime_syms[] = {
    {"expf", (void *)expf},
    {"exp", (void *)exp},
    {"logf", (void *)logf},
    {"log", (void *)log},
    {"sqrtf", (void *)sqrtf},
    {"sqrt", (void *)sqrt},
    {"powf", (void *)powf},
    {"pow", (void *)pow},
    {"tanhf", (void *)tanhf},
    {"tanh", (void *)tanh},
    {"floorf", (void *)floorf},
    {"floor", (void *)floor},
    {"ceilf", (void *)ceilf},
    {"ceil", (void *)ceil},
    {"fabsf", (void *)fabsf},
    {"fabs", (void *)fabs},
    {"fmodf", (void *)fmodf},
    {"fmod", (void *)fmod},
    {"malloc", (void *)malloc},
    {"aligned_alloc", (void *)aligned_alloc},
    {"free", (void *)free},
    {"memset", (void *)memset},
    {"memcpy", (void *)memcpy},
    {"memmove", (void *)memmove},
    {"GOMP_parallel", (void *)GOMP_parallel},
    {"omp_get_num_threads", (void *)omp_get_num_threads},
    {"omp_get_thread_num", (void *)omp_get_thread_num},
};

static void report(void *ctx, LLVMErrorRef e) {
    Cg *cg = ctx;
    char *m = LLVMGetErrorMessage(e);
    snprintf(cg->jit_err, sizeof cg->jit_err, "%s", m);
    LLVMDisposeErrorMessage(m);
}

static bool take_error(Cg *cg, LLVMErrorRef e, const char *what, char *err, size_t errlen) {
    if (!e) return false;
    char *m = LLVMGetErrorMessage(e);
    cg_err(err, errlen, "%s: %s", what, m);
    LLVMDisposeErrorMessage(m);
    (void)cg;
    return true;
}

static bool ensure_jit(Cg *cg, char *err, size_t errlen) {
    if (cg->jit) return true;
    if (!cg_runs_on_host(cg->triple)) {
        cg_err(err, errlen, "cannot run code for target %s on this host", cg->triple);
        return false;
    }
    if (take_error(cg, LLVMOrcCreateLLJIT(&cg->jit, LLVMOrcCreateLLJITBuilder()),
                   "cannot create the JIT", err, errlen)) {
        cg->jit = NULL;
        return false;
    }
    LLVMOrcExecutionSessionSetErrorReporter(LLVMOrcLLJITGetExecutionSession(cg->jit), report, cg);
    return true;
}

/* A free dylib of the pool, or a new one with the runtime symbols and the process's. */
static int get_dylib(Cg *cg, char *err, size_t errlen) {
    for (int i = 0; i < cg->ndylibs; i++)
        if (!cg->dylibs[i].busy) {
            cg->dylibs[i].busy = true;
            return i;
        }
    char name[64];
    snprintf(name, sizeof name, "tec.kernel.%d", cg->ndylibs);
    LLVMOrcExecutionSessionRef es = LLVMOrcLLJITGetExecutionSession(cg->jit);
    LLVMOrcJITDylibRef jd = LLVMOrcExecutionSessionCreateBareJITDylib(es, name);
    enum { N = sizeof runtime_syms / sizeof *runtime_syms };
    LLVMOrcCSymbolMapPair pairs[N];
    for (int i = 0; i < N; i++) {
        pairs[i].Name = LLVMOrcLLJITMangleAndIntern(cg->jit, runtime_syms[i].name);
        pairs[i].Sym.Address = (LLVMOrcExecutorAddress)(uintptr_t)runtime_syms[i].addr;
        pairs[i].Sym.Flags.GenericFlags =
            LLVMJITSymbolGenericFlagsExported | LLVMJITSymbolGenericFlagsCallable;
        pairs[i].Sym.Flags.TargetFlags = 0;
    }
    LLVMOrcMaterializationUnitRef mu = LLVMOrcAbsoluteSymbols(pairs, N);
    LLVMErrorRef e = LLVMOrcJITDylibDefine(jd, mu);
    if (e) {
        LLVMOrcDisposeMaterializationUnit(mu);
        take_error(cg, e, "cannot define the runtime symbols", err, errlen);
        return -1;
    }
    LLVMOrcDefinitionGeneratorRef gen;
    e = LLVMOrcCreateDynamicLibrarySearchGeneratorForProcess(
        &gen, LLVMOrcLLJITGetGlobalPrefix(cg->jit), NULL, NULL);
    if (take_error(cg, e, "cannot search the process's symbols", err, errlen)) return -1;
    LLVMOrcJITDylibAddGenerator(jd, gen);
    if (cg->ndylibs == cg->capdylibs) {
        cg->capdylibs = cg->capdylibs ? 2 * cg->capdylibs : 8;
        cg->dylibs = realloc(cg->dylibs, sizeof *cg->dylibs * (size_t)cg->capdylibs);
        if (!cg->dylibs) TEC_BUG("codegen: out of memory");
    }
    cg->dylibs[cg->ndylibs] = (CgDylib){jd, true};
    return cg->ndylibs++;
}

typedef struct LookupResult {
    bool done;
    LLVMOrcExecutorAddress addr;
    char msg[512];
} LookupResult;

static void lookup_done(LLVMErrorRef e, LLVMOrcCSymbolMapPairs res, size_t n, void *ctx) {
    LookupResult *r = ctx;
    r->done = true;
    if (e) {
        char *m = LLVMGetErrorMessage(e);
        snprintf(r->msg, sizeof r->msg, "%s", m);
        LLVMDisposeErrorMessage(m);
        return;
    }
    if (n >= 1) r->addr = res[0].Sym.Address;
}

/* Link the object (consumed) into a dylib and find NAME__tec_packed in it. */
static CgJit *add_object(Cg *cg, LLVMMemoryBufferRef obj, const char *name, char *err,
                         size_t errlen) {
    if (!ensure_jit(cg, err, errlen)) {
        LLVMDisposeMemoryBuffer(obj);
        return NULL;
    }
    int d = get_dylib(cg, err, errlen);
    if (d < 0) {
        LLVMDisposeMemoryBuffer(obj);
        return NULL;
    }
    LLVMOrcJITDylibRef jd = cg->dylibs[d].jd;
    LLVMOrcResourceTrackerRef rt = LLVMOrcJITDylibCreateResourceTracker(jd);
    CgJit *j = calloc(1, sizeof *j);
    if (!j) TEC_BUG("codegen: out of memory");
    j->cg = cg;
    j->dylib = d;
    j->rt = rt;
    if (take_error(cg, LLVMOrcLLJITAddObjectFileWithRT(cg->jit, rt, obj), "cannot load the kernel",
                   err, errlen)) {
        cg_jit_free(j);
        return NULL;
    }
    size_t len = strlen(name) + sizeof "__tec_packed";
    char *sym = malloc(len);
    if (!sym) TEC_BUG("codegen: out of memory");
    snprintf(sym, len, "%s__tec_packed", name);
    LLVMOrcCJITDylibSearchOrderElement so = {jd, LLVMOrcJITDylibLookupFlagsMatchAllSymbols};
    LLVMOrcCLookupSetElement ls = {LLVMOrcLLJITMangleAndIntern(cg->jit, sym),
                                   LLVMOrcSymbolLookupFlagsRequiredSymbol};
    LookupResult r = {0};
    cg->jit_err[0] = 0;
    LLVMOrcExecutionSessionLookup(LLVMOrcLLJITGetExecutionSession(cg->jit), LLVMOrcLookupKindStatic,
                                  &so, 1, &ls, 1, lookup_done, &r);
    if (!r.done || r.msg[0] || !r.addr) {
        cg_err(err, errlen, "cannot link %s: %s%s%s", sym, r.done ? r.msg : "lookup did not finish",
               cg->jit_err[0] ? ": " : "", cg->jit_err);
        free(sym);
        cg_jit_free(j);
        return NULL;
    }
    free(sym);
    j->fn = (KernelFn)(uintptr_t)r.addr;
    return j;
}

CgJit *cg_jit(Cg *cg, CgModule *m, char *err, size_t errlen) {
    LLVMMemoryBufferRef obj;
    bool ok = cg_emit_mem(cg, m->mod, LLVMObjectFile, &obj, err, errlen);
    char *name = m->name;
    m->name = NULL;
    cg_module_free(m);
    CgJit *j = ok ? add_object(cg, obj, name, err, errlen) : NULL;
    free(name);
    return j;
}

CgJit *cg_jit_object(Cg *cg, const void *buf, size_t len, const char *name, char *err,
                     size_t errlen) {
    LLVMMemoryBufferRef obj = LLVMCreateMemoryBufferWithMemoryRangeCopy(buf, len, "tec.kernel.o");
    return add_object(cg, obj, name, err, errlen);
}

KernelFn cg_jit_kernel(CgJit *j) {
    return j->fn;
}

void cg_jit_free(CgJit *j) {
    if (!j) return;
    LLVMErrorRef e = LLVMOrcResourceTrackerRemove(j->rt);
    if (e) LLVMConsumeError(e);
    LLVMOrcReleaseResourceTracker(j->rt);
    j->cg->dylibs[j->dylib].busy = false;
    free(j);
}
