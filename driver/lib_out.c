/* The library of a task list: lowers and compiles each task's best config (compiler/lower.c,
 * compiler/codegen.h) under its library name, links the modules into one (cg_link) and writes
 * the object and the header (compiler/header.c's header_write_lib). */
#include "driver/lib_out.h"
#include "compiler/header.h"
#include "compiler/lower.h"
#include "lang/xalloc.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *lib_out_name(Arena *a, const Inst *in) {
    char *s = arena_strdup(a, in->name);
    for (int i = 0; i < in->nparams; i++) {
        const ParamVal *p = &in->params[i];
        if (p->is_dtype)
            s = arena_printf(a, "%s_%s", s, dtype_name(p->dtype));
        else if (p->ival < 0)
            s = arena_printf(a, "%s_%sm%llu", s, p->name, (unsigned long long)-(p->ival + 1) + 1);
        else
            s = arena_printf(a, "%s_%s%lld", s, p->name, (long long)p->ival);
    }
    return s;
}

const Inst *lib_out_renamed(Arena *a, const Inst *in, const char *name) {
    Inst *r = ARENA_NEW(a, Inst);
    *r = *in;
    r->name = name;
    return r;
}

/* Lower and compile one kernel; NULL after a message. */
static CgModule *compile_one(Cg *cg, Arena *a, const LibKernel *k, bool *parallel) {
    const Inst *in = k->in;
    Config cfg = {.index = k->index,
                  .nknobs = in->nknobs,
                  .vals = ARENA_ARRAY(a, KnobVal, in->nknobs > 0 ? in->nknobs : 1)};
    if (in->nknobs > 0 && !space_get(k->sp, k->index, &cfg)) {
        fprintf(stderr, "tec: error: config %lld is outside the space of %s\n", (long long)k->index,
                in->name);
        return NULL;
    }
    Diag d;
    diag_init(&d, k->src_path, k->src, k->srclen);
    LowerOptions lo = {0};
    IrFunc *f = lower(a, &d, in, in->nknobs > 0 ? &cfg : NULL, &lo);
    if (!f) return NULL;
    *parallel = *parallel || ir_has_parallel(f);
    char err[1024] = "";
    CgModule *m = cg_compile(cg, f, err, sizeof err);
    if (!m) fprintf(stderr, "tec: error: compiling %s failed: %s\n", in->name, err);
    return m;
}

bool lib_out_write(const char *obj, const LibKernel *k, int n, const CgTarget *target) {
    char err[1024] = "", hpath[4096];
    Cg *cg = cg_new(target, err, sizeof err);
    if (!cg) {
        fprintf(stderr, "tec: error: %s\n", err);
        return false;
    }
    Arena *a = arena_new();
    bool parallel = false, ok = n > 0;
    CgModule *lib = NULL;
    for (int i = 0; i < n && ok; i++) {
        CgModule *m = compile_one(cg, a, &k[i], &parallel);
        if (!m)
            ok = false;
        else if (!lib)
            lib = m;
        else if (!cg_link(lib, m, err, sizeof err)) {
            fprintf(stderr, "tec: error: %s\n", err);
            ok = false;
        }
    }
    if (ok && !cg_write(cg, lib, CG_OBJ, obj, err, sizeof err)) {
        fprintf(stderr, "tec: error: %s\n", err);
        ok = false;
    }
    if (ok) {
        const Inst **ins = ARENA_ARRAY(a, const Inst *, n);
        const char **descs = ARENA_ARRAY(a, const char *, n);
        for (int i = 0; i < n; i++) ins[i] = k[i].in, descs[i] = k[i].desc;
        header_path_for(hpath, sizeof hpath, obj);
        const char *slash = strrchr(obj, '/');
        if (!header_write_lib(hpath, ins, descs, n, slash ? slash + 1 : obj, parallel,
                              cg_triple(cg), err, sizeof err)) {
            fprintf(stderr, "tec: error: %s\n", err);
            unlink(obj);
            ok = false;
        }
    }
    cg_module_free(lib);
    cg_free(cg);
    arena_free(a);
    return ok;
}
