/* The target side of code generation: one LLVM context and target machine per Cg (the host's
 * triple, CPU and features unless told otherwise), compiling an IR function into a verified
 * module optimised with default<O3>, and emitting it as an object, assembly or textual IR file
 * (written to a temporary file and renamed) or as an object image in memory. */
#include "compiler/cg_internal.h"
#include <llvm-c/Analysis.h>
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

static char *xstrdup(const char *s) {
    char *r = strdup(s ? s : "");
    if (!r) TEC_BUG("codegen: out of memory");
    return r;
}

/* The architecture part of a triple ("x86_64" of "x86_64-pc-linux-gnu"). */
static bool same_arch(const char *a, const char *b) {
    size_t la = strcspn(a, "-"), lb = strcspn(b, "-");
    return la == lb && strncmp(a, b, la) == 0;
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

Cg *cg_new(const CgTarget *t, char *err, size_t errlen) {
    LLVMInitializeAllTargetInfos();
    LLVMInitializeAllTargets();
    LLVMInitializeAllTargetMCs();
    LLVMInitializeAllAsmPrinters();
    LLVMInitializeAllAsmParsers();
    CgTarget none = {0};
    if (!t) t = &none;
    Cg *cg = calloc(1, sizeof *cg);
    if (!cg) TEC_BUG("codegen: out of memory");
    char *host = LLVMGetDefaultTargetTriple();
    char *norm = LLVMNormalizeTargetTriple(t->triple ? t->triple : host);
    cg->triple = xstrdup(norm);
    LLVMDisposeMessage(norm);
    bool native = same_arch(cg->triple, host);
    LLVMDisposeMessage(host);
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

/* Write len bytes to path through a temporary file in the same directory. */
static bool write_atomic(const char *path, const char *data, size_t len, char *err, size_t errlen) {
    size_t pl = strlen(path);
    char *tmp = malloc(pl + 16);
    if (!tmp) TEC_BUG("codegen: out of memory");
    snprintf(tmp, pl + 16, "%s.tmpXXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        cg_err(err, errlen, "cannot write %s: %s", path, strerror(errno));
        free(tmp);
        return false;
    }
    size_t done = 0;
    int saved = EIO;
    while (done < len) {
        ssize_t w = write(fd, data + done, len - done);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) {
            saved = w < 0 ? errno : EIO;
            break;
        }
        done += (size_t)w;
    }
    bool ok = done == len;
    if (close(fd) != 0 && ok) ok = false, saved = errno;
    if (ok) { /* mkstemp makes 0600 files; an object or listing is an ordinary file */
        mode_t um = umask(0);
        umask(um);
        chmod(tmp, 0666 & ~um);
        if (rename(tmp, path) != 0) ok = false, saved = errno;
    }
    if (!ok) {
        cg_err(err, errlen, "cannot write %s: %s", path, strerror(saved));
        unlink(tmp);
        free(tmp);
        return false;
    }
    free(tmp);
    return true;
}

bool cg_write(Cg *cg, CgModule *m, CgOutput kind, const char *path, char *err, size_t errlen) {
    if (kind == CG_LLVM) {
        char *s = LLVMPrintModuleToString(m->mod);
        bool ok = write_atomic(path, s, strlen(s), err, errlen);
        LLVMDisposeMessage(s);
        return ok;
    }
    /* code generation rewrites the IR it runs on: emit from a copy so m stays usable */
    LLVMModuleRef copy = LLVMCloneModule(m->mod);
    LLVMMemoryBufferRef buf;
    bool ok = cg_emit_mem(cg, copy, kind == CG_ASM ? LLVMAssemblyFile : LLVMObjectFile, &buf, err,
                          errlen);
    LLVMDisposeModule(copy);
    if (!ok) return false;
    ok = write_atomic(path, LLVMGetBufferStart(buf), LLVMGetBufferSize(buf), err, errlen);
    LLVMDisposeMemoryBuffer(buf);
    return ok;
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
