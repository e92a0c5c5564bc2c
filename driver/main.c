/* tec's command line: takes argv and the .te file; checks and binds the template, then runs
 * one mode: --check, --space, --run, --tune, or compile one config to an object and header. */
#include "compiler/codegen.h"
#include "compiler/header.h"
#include "compiler/lower.h"
#include "compiler/out_file.h"
#include "driver/die.h"
#include "driver/files.h"
#include "driver/log_cmd.h"
#include "driver/omp_env.h"
#include "driver/options.h"
#include "driver/run_cmd.h"
#include "driver/task_file.h"
#include "driver/tasks_cmd.h"
#include "driver/tune_cmd.h"
#include "lang/eval.h"
#include "lang/xalloc.h"
#include "tuner/space.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Default output name: the kernel's name with the emit kind's extension. */
static const char *default_out(Arena *a, const Inst *in, const char *emit) {
    const char *ext = !strcmp(emit, "asm") ? "s" : !strcmp(emit, "llvm") ? "ll" : "o";
    return arena_printf(a, "%s.%s", in->name, ext);
}

static const char *header_path(Arena *a, const char *obj) {
    size_t n = strlen(obj) + 3;
    char *buf = arena_alloc(a, n);
    header_path_for(buf, n, obj);
    return buf;
}

static const char *base_name(const char *path) {
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* A source with a NUL byte is not text (an object file, an image, a zeroed disk block): one
 * located error at the first NUL says so, instead of a screen of "unexpected character". */
static bool looks_like_text(Diag *d) {
    const char *nul = memchr(d->src, 0, d->srclen);
    if (!nul) return true;
    Loc loc = {1, 1, 1};
    for (const char *p = d->src; p < nul; p++) {
        if (*p == '\n') {
            loc.line++;
            loc.col = 1;
        } else {
            loc.col++;
        }
    }
    return diag_error(d, loc,
                      "a NUL byte: this is not a .te source file (it does not look like text)");
}

/* What every mode after --check works on: the bound instance, its space and the chosen config
 * (--config I, the best record of --log, or 0). */
typedef struct Job {
    const Options *o;
    Arena *arena;
    Diag *diag;
    Inst *in;
    Space *space;
    Config cfg;
} Job;

/* The config the options name; false (with a message) when there is none. */
static bool choose_config(Job *j) {
    const Options *o = j->o;
    const Inst *in = j->in;
    j->cfg = (Config){.index = 0,
                      .nknobs = in->nknobs,
                      .vals = ARENA_ARRAY(j->arena, KnobVal, in->nknobs > 0 ? in->nknobs : 1)};
    int64_t index = o->config >= 0 ? o->config : 0;
    BestFromLog best = o->log && o->mode != MODE_TUNE
                           ? tune_cmd_best_from_log(o->log, in, j->space, o->triple, o->cpu, &index)
                           : BEST_FOUND;
    if (best != BEST_FOUND) {
        if (best == BEST_ERROR || !o->fallback) return false;
        fprintf(stderr, "tec: warning: no record of %s in '%s': compiling config 0 (--fallback)\n",
                in->name, o->log);
        index = 0;
    }
    if (!space_get(j->space, index, &j->cfg)) {
        fprintf(stderr, "tec: error: config index %lld is outside the space of %s (len=%lld)\n",
                (long long)index, in->name, (long long)space_len(j->space));
        return false;
    }
    j->cfg.index = index;
    return true;
}

static int mode_space(Job *j) {
    if (j->o->config >= 0)
        printf("%s\n", space_entity_str(j->arena, j->space, &j->cfg));
    else
        space_print(stdout, j->space);
    return 0;
}

static int mode_tune(Job *j) {
    const Options *o = j->o;
    const char *out = o->out ? o->out : arena_printf(j->arena, "%s.o", j->in->name);
    char hpath[4096];
    header_path_for(hpath, sizeof hpath, out); /* the header the session writes */
    files_check_outputs(o->file, o->log ? o->log : arena_printf(j->arena, "%s.log", j->in->name),
                        out, hpath);
    if (o->log && out_file_same(o->log, o->file))
        die("the tuning log '%s' is the template itself", o->log);
    return tune_cmd_run(o, j->in, j->space, j->diag->src, j->diag->srclen);
}

/* --emit loops: the lowered IR as text, to -o or stdout. */
static int write_loops(const char *path, const IrFunc *fn) {
    if (!path) {
        ir_print(stdout, fn);
        return 0;
    }
    OutFile f;
    char err[1024];
    if (out_file_open(&f, path, err, sizeof err)) {
        ir_print(f.f, fn);
        if (out_file_commit(&f, err, sizeof err)) return 0;
    }
    fprintf(stderr, "tec: error: %s\n", err);
    return 1;
}

/* The default mode's object, assembly or LLVM IR, with the header beside an object. */
static int write_output(Job *j, Cg *cg, CgModule *mod, const IrFunc *fn) {
    const Options *o = j->o;
    const Inst *in = j->in;
    const char *out = o->out ? o->out : default_out(j->arena, in, o->emit);
    CgOutput kind = !strcmp(o->emit, "asm") ? CG_ASM : !strcmp(o->emit, "llvm") ? CG_LLVM : CG_OBJ;
    const char *desc = in->nknobs
                           ? arena_printf(j->arena, "config %lld of %lld: %s",
                                          (long long)j->cfg.index, (long long)space_len(j->space),
                                          space_entity_str(j->arena, j->space, &j->cfg))
                           : NULL;
    char err[1024] = "";
    if (!cg_write(cg, mod, kind, out, err, sizeof err)) {
        fprintf(stderr, "tec: error: %s\n", err);
        return 1;
    }
    if (kind == CG_OBJ && !header_write(header_path(j->arena, out), in, desc, base_name(out),
                                        ir_has_parallel(fn), cg_triple(cg), err, sizeof err)) {
        unlink(out);
        fprintf(stderr, "tec: error: %s\n", err);
        return 1;
    }
    return 0;
}

/* The default mode and --run: lower the config, compile it, then write it or run it. */
static int mode_compile(Job *j) {
    const Options *o = j->o;
    const Inst *in = j->in;
    LowerOptions lopt = {.verify = o->verify, .dump_after = o->dump_after};
    IrFunc *fn = lower(j->arena, j->diag, in, in->nknobs ? &j->cfg : NULL, &lopt);
    if (!fn) return 1;
    bool to_file = o->mode == MODE_BUILD;
    if (to_file && (o->out || strcmp(o->emit, "loops"))) {
        const char *out = o->out ? o->out : default_out(j->arena, in, o->emit);
        files_check_outputs(o->file, o->log, out,
                            !strcmp(o->emit, "obj") ? header_path(j->arena, out) : NULL);
    }
    if (to_file && !strcmp(o->emit, "loops")) return write_loops(o->out, fn);

    char err[1024] = "";
    CgTarget target = {.triple = o->triple, .cpu = o->cpu};
    Cg *cg = cg_new(&target, err, sizeof err);
    if (!cg) {
        fprintf(stderr, "tec: error: %s\n", err);
        return 1;
    }
    int rc = 1;
    CgModule *mod = cg_compile(cg, fn, err, sizeof err);
    if (!mod)
        fprintf(stderr, "tec: error: compiling %s failed: %s\n", in->name, err);
    else if (to_file)
        rc = write_output(j, cg, mod, fn);
    else
        rc = run_cmd(cg, mod, in, o->repeat ? o->repeat : 10) ? 0 : 1; /* consumes mod */
    if (mod && to_file) cg_module_free(mod);
    cg_free(cg);
    return rc;
}

/* Runs the chosen mode on the source; returns the exit status. Everything it allocates lives in
 * arena or is freed before it returns. */
static int run(const Options *o, Arena *arena, Diag *diag) {
    if (!looks_like_text(diag)) return 1;
    Program *prog = parse_program(arena, diag, diag->src, diag->srclen);
    if (!prog) return 1;
    Job j = {.o = o, .arena = arena, .diag = diag};
    j.in = sema_bind(arena, diag, prog, o->tname, o->defs, o->ndefs);
    if (!j.in) return 1;
    if (o->mode == MODE_CHECK) {
        inst_print(stdout, j.in);
        return 0;
    }
    j.space = space_new(arena, diag, j.in);
    if (!j.space || !choose_config(&j)) return 1;
    if (o->mode == MODE_SPACE) return mode_space(&j);
    if (o->mode == MODE_TUNE) return mode_tune(&j);
    return mode_compile(&j);
}

int main(int argc, char **argv) {
    Options o;
    char **args = xmalloc(sizeof *args * (size_t)(argc + 1)); /* parsing may cut argv's strings */
    for (int i = 0; i < argc; i++) args[i] = xstrdup(argv[i]);
    args[argc] = NULL;
    options_parse(argc, argv, &o);
    if (o.mode == MODE_RUN || o.mode == MODE_TUNE) omp_env_passive(args);
    for (int i = 0; i < argc; i++) free(args[i]);
    free(args);
    if (MODE_IS_LOG_TOOL(o.mode)) {
        int rc = log_cmd_run(&o);
        options_free(&o);
        return rc;
    }
    size_t len;
    char *src = files_read(o.file, &len);
    if (o.mode != MODE_TUNE && task_file_is_list(o.file))
        die("'%s' is a task list (its name ends in .txt or .tasks): it can only be tuned", o.file);
    if (o.mode == MODE_TUNE && task_file_is_list(o.file)) {
        int status = tasks_cmd_run(&o, src, len);
        free(src);
        options_free(&o);
        return status;
    }
    if (o.budget || o.task_sched || o.round_size)
        die("%s applies to a task list (TASKS.txt), not to one template", o.budget ? "--budget"
                                                                          : o.task_sched
                                                                              ? "--task-scheduler"
                                                                              : "--round-size");
    Arena *arena = arena_new();
    Diag diag;
    diag_init(&diag, o.file, src, len);
    int rc = run(&o, arena, &diag);
    arena_free(arena);
    free(src);
    options_free(&o);
    return rc;
}
