/* The target side of code generation: one LLVM context and target machine per Cg (the host's
 * triple, CPU and features unless told otherwise), compiling an IR function into a verified
 * module optimised with default<O3>, and emitting it as an object, assembly or textual IR file
 * (through compiler/out_file.h) or as an object image in memory. */
#include "compiler/cg_internal.h"
#include "compiler/out_file.h"
#include "lang/xalloc.h"
#include <llvm-c/Analysis.h>
#include <llvm-c/Support.h>
#include <llvm-c/Transforms/PassBuilder.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* Contexts keep every constant and type ever made; renew one after this many modules. */
#define CG_CTX_RENEW 256

void cg_err(char *err, size_t errlen, const char *fmt, ...) {
    if (!err || !errlen) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

void cg_host_triple(char *buf, size_t n) {
    char *host = LLVMGetDefaultTargetTriple();
    char *norm = LLVMNormalizeTargetTriple(host);
    snprintf(buf, n, "%s", norm);
    LLVMDisposeMessage(norm);
    LLVMDisposeMessage(host);
}

bool cg_runs_on_host(const char *triple) {
    char host[256];
    cg_host_triple(host, sizeof host);
    char *norm = LLVMNormalizeTargetTriple(triple);
    /* the architecture is the part before the first '-' ("x86_64" of "x86_64-pc-linux-gnu") */
    size_t la = strcspn(host, "-"), lb = strcspn(norm, "-");
    bool same = la == lb && strncmp(host, norm, la) == 0;
    LLVMDisposeMessage(norm);
    return same;
}

/* LLVM-C cannot ask whether a CPU name suits a target: an unknown name only prints a warning,
 * and some (a 32-bit CPU for a 64-bit triple) abort inside LLVM at the first code generation.
 * So a CPU the user named is tried first in a child process that compiles an empty function;
 * what LLVM printed there becomes the error. Returns false with err set if it failed. */
static bool probe_cpu(LLVMTargetRef target, const char *triple, const char *cpu,
                      const char *features, char *err, size_t errlen) {
    int fds[2];
    if (pipe(fds) != 0) return true; /* cannot probe: let LLVM speak for itself */
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return true;
    }
    if (pid == 0) {
        close(fds[0]);
        dup2(fds[1], 2);
        LLVMTargetMachineRef tm =
            LLVMCreateTargetMachine(target, triple, cpu, features, LLVMCodeGenLevelNone,
                                    LLVMRelocPIC, LLVMCodeModelDefault);
        LLVMContextRef ctx = LLVMContextCreate();
        LLVMModuleRef m = LLVMModuleCreateWithNameInContext("probe", ctx);
        LLVMSetTarget(m, triple);
        LLVMTypeRef fty = LLVMFunctionType(LLVMVoidTypeInContext(ctx), NULL, 0, 0);
        LLVMValueRef f = LLVMAddFunction(m, "probe", fty);
        LLVMBuilderRef b = LLVMCreateBuilderInContext(ctx);
        LLVMPositionBuilderAtEnd(b, LLVMAppendBasicBlockInContext(ctx, f, "entry"));
        LLVMBuildRetVoid(b);
        LLVMMemoryBufferRef out = NULL;
        char *msg = NULL;
        _exit(LLVMTargetMachineEmitToMemoryBuffer(tm, m, LLVMObjectFile, &msg, &out) ? 1 : 0);
    }
    close(fds[1]);
    char said[512] = "";
    size_t n = 0;
    for (ssize_t got; (got = read(fds[0], said + n, sizeof said - 1 - n)) > 0;) {
        n += (size_t)got;
        if (n == sizeof said - 1) break;
    }
    said[n] = 0;
    close(fds[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    bool failed = !WIFEXITED(status) || WEXITSTATUS(status) != 0;
    if (!failed && !strstr(said, "not a recognized processor")) return true;
    said[strcspn(said, "\n")] = 0;
    const char *why = said;
    if (strncmp(why, "LLVM ERROR: ", 12) == 0) why += 12;
    if (strstr(said, "not a recognized processor"))
        cg_err(err, errlen, "--mcpu '%s' is not a CPU of target %s", cpu, triple);
    else
        cg_err(err, errlen, "LLVM cannot generate code for CPU '%s' of target %s%s%s", cpu, triple,
               *why ? ": " : "", why);
    return false;
}

/* LLVM 19's SLP vectorizer miscompiles some straight-line code tec's unrolled loops produce
 * (docs/codegen.md "LLVM workarounds"). Its only off switch is the command-line option
 * -vectorize-slp: the pipeline runs the pass whatever PassBuilderOptions say. Options are
 * global to the process and may be parsed once. */
static void disable_slp(void) {
    static bool done;
    if (done) return;
    done = true;
    const char *argv[] = {"tec", "-vectorize-slp=false"};
    LLVMParseCommandLineOptions(2, argv, NULL);
}

Cg *cg_new(const CgTarget *t, char *err, size_t errlen) {
    disable_slp();
    LLVMInitializeAllTargetInfos();
    LLVMInitializeAllTargets();
    LLVMInitializeAllTargetMCs();
    LLVMInitializeAllAsmPrinters();
    LLVMInitializeAllAsmParsers();
    CgTarget none = {0};
    if (!t) t = &none;
    Cg *cg = calloc(1, sizeof *cg);
    if (!cg) TEC_BUG("codegen: out of memory");
    char host[256];
    cg_host_triple(host, sizeof host);
    char *norm = LLVMNormalizeTargetTriple(t->triple ? t->triple : host);
    cg->triple = xstrdup(norm);
    LLVMDisposeMessage(norm);
    bool native = cg_runs_on_host(cg->triple);
    if (t->cpu) {
        cg->cpu = xstrdup(t->cpu);
    } else if (native) {
        char *s = LLVMGetHostCPUName();
        cg->cpu = xstrdup(s);
        LLVMDisposeMessage(s);
    } else {
        cg->cpu = xstrdup("generic");
    }
    if (t->features) {
        cg->features = xstrdup(t->features);
    } else if (!t->cpu && native) {
        char *s = LLVMGetHostCPUFeatures();
        cg->features = xstrdup(s);
        LLVMDisposeMessage(s);
    } else {
        cg->features = xstrdup("");
    }
    LLVMTargetRef target;
    char *msg = NULL;
    if (LLVMGetTargetFromTriple(cg->triple, &target, &msg)) {
        cg_err(err, errlen, "unknown target '%s': %s", cg->triple, msg ? msg : "");
        LLVMDisposeMessage(msg);
        cg_free(cg);
        return NULL;
    }
    if (t->cpu && !probe_cpu(target, cg->triple, cg->cpu, cg->features, err, errlen)) {
        cg_free(cg);
        return NULL;
    }
    cg->tm =
        LLVMCreateTargetMachine(target, cg->triple, cg->cpu, cg->features,
                                LLVMCodeGenLevelAggressive, LLVMRelocPIC, LLVMCodeModelDefault);
    if (!cg->tm) {
        cg_err(err, errlen, "cannot create a target machine for '%s' (cpu '%s')", cg->triple,
               cg->cpu);
        cg_free(cg);
        return NULL;
    }
    cg->td = LLVMCreateTargetDataLayout(cg->tm);
    char *layout = LLVMCopyStringRepOfTargetData(cg->td);
    cg->layout = xstrdup(layout);
    LLVMDisposeMessage(layout);
    cg->ctx = LLVMContextCreate();
    return cg;
}

void cg_free(Cg *cg) {
    if (!cg) return;
    if (cg->jit) {
        LLVMErrorRef e = LLVMOrcDisposeLLJIT(cg->jit);
        if (e) LLVMConsumeError(e);
    }
    free(cg->dylibs);
    if (cg->ctx) LLVMContextDispose(cg->ctx);
    if (cg->td) LLVMDisposeTargetData(cg->td);
    if (cg->tm) LLVMDisposeTargetMachine(cg->tm);
    free(cg->triple);
    free(cg->cpu);
    free(cg->features);
    free(cg->layout);
    free(cg);
}

const char *cg_triple(const Cg *cg) {
    return cg->triple;
}

const char *cg_cpu(const Cg *cg) {
    return cg->cpu;
}

CgModule *cg_compile(Cg *cg, const IrFunc *f, char *err, size_t errlen) {
    if (cg->live_modules == 0 && cg->ctx_uses >= CG_CTX_RENEW) {
        LLVMContextDispose(cg->ctx);
        cg->ctx = LLVMContextCreate();
        cg->ctx_uses = 0;
    }
    cg->ctx_uses++;
    LLVMModuleRef mod = cg_build_module(cg, f);
    char *msg = NULL;
    if (LLVMVerifyModule(mod, LLVMReturnStatusAction, &msg)) {
        cg_err(err, errlen, "internal error: invalid LLVM IR for %s: %s", f->name, msg ? msg : "");
        LLVMDisposeMessage(msg);
        LLVMDisposeModule(mod);
        return NULL;
    }
    LLVMDisposeMessage(msg);
    LLVMPassBuilderOptionsRef opts = LLVMCreatePassBuilderOptions();
    LLVMErrorRef e = LLVMRunPasses(mod, "default<O3>", cg->tm, opts);
    LLVMDisposePassBuilderOptions(opts);
    if (e) {
        char *m = LLVMGetErrorMessage(e);
        cg_err(err, errlen, "optimisation failed: %s", m);
        LLVMDisposeErrorMessage(m);
        LLVMDisposeModule(mod);
        return NULL;
    }
    CgModule *m = calloc(1, sizeof *m);
    if (!m) TEC_BUG("codegen: out of memory");
    m->cg = cg;
    m->mod = mod;
    m->name = xstrdup(f->name);
    cg->live_modules++;
    return m;
}

void cg_module_free(CgModule *m) {
    if (!m) return;
    LLVMDisposeModule(m->mod);
    m->cg->live_modules--;
    free(m->name);
    free(m);
}

bool cg_emit_mem(Cg *cg, LLVMModuleRef mod, LLVMCodeGenFileType kind, LLVMMemoryBufferRef *out,
                 char *err, size_t errlen) {
    char *msg = NULL;
    if (LLVMTargetMachineEmitToMemoryBuffer(cg->tm, mod, kind, &msg, out)) {
        cg_err(err, errlen, "code generation failed: %s", msg ? msg : "");
        LLVMDisposeMessage(msg);
        return false;
    }
    return true;
}

bool cg_write(Cg *cg, CgModule *m, CgOutput kind, const char *path, char *err, size_t errlen) {
    OutFile out; /* opened first: an unwritable output is reported before code generation */
    if (!out_file_open(&out, path, err, errlen)) return false;
    if (kind == CG_LLVM) {
        char *s = LLVMPrintModuleToString(m->mod);
        fputs(s, out.f);
        LLVMDisposeMessage(s);
        return out_file_commit(&out, err, errlen);
    }
    /* code generation rewrites the IR it runs on: emit from a copy so m stays usable */
    LLVMModuleRef copy = LLVMCloneModule(m->mod);
    LLVMMemoryBufferRef buf;
    bool ok = cg_emit_mem(cg, copy, kind == CG_ASM ? LLVMAssemblyFile : LLVMObjectFile, &buf, err,
                          errlen);
    LLVMDisposeModule(copy);
    if (!ok) {
        out_file_abort(&out);
        return false;
    }
    fwrite(LLVMGetBufferStart(buf), 1, LLVMGetBufferSize(buf), out.f);
    LLVMDisposeMemoryBuffer(buf);
    return out_file_commit(&out, err, errlen);
}

bool cg_emit_object_mem(Cg *cg, CgModule *m, void **buf, size_t *len, char *err, size_t errlen) {
    LLVMMemoryBufferRef mb;
    if (!cg_emit_mem(cg, m->mod, LLVMObjectFile, &mb, err, errlen)) return false;
    *len = LLVMGetBufferSize(mb);
    *buf = malloc(*len ? *len : 1);
    if (!*buf) TEC_BUG("codegen: out of memory");
    memcpy(*buf, LLVMGetBufferStart(mb), *len);
    LLVMDisposeMemoryBuffer(mb);
    return true;
}
