/* End to end through codegen: a .te file is parsed, bound, lowered with configs of its space
 * (all of them, or an evenly spread sample), compiled with O3, JIT-loaded, run on random inputs
 * and compared with the reference evaluator.
 * Usage: test_cg_lower FILE MAX_CONFIGS [NAME=VALUE ...] */
#include "compiler/codegen.h"
#include "compiler/lower.h"
#include "lang/eval.h"
#include "tests/lib/testlib.h"
#include "tuner/space.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Lower, compile, run config cfg (NULL: no knobs); false with a message on any difference. */
static bool check_config(Cg *cg, const Inst *in, const Config *cfg, const char *desc) {
    Arena *a = arena_new();
    Diag d;
    diag_init(&d, "config", "", 0);
    LowerOptions lo = {.verify = true};
    IrFunc *f = lower(a, &d, in, cfg, &lo);
    bool ok = false;
    char err[1024];
    void **args = calloc((size_t)in->nargs, sizeof *args),
         **ref = calloc((size_t)in->nargs, sizeof *ref);
    CgJit *j = NULL;
    if (!f) {
        fprintf(stderr, "%s: lowering failed\n", desc);
        goto out;
    }
    CgModule *m = cg_compile(cg, f, err, sizeof err);
    if (!m || !(j = cg_jit(cg, m, err, sizeof err))) {
        fprintf(stderr, "%s: %s\n", desc, err);
        goto out;
    }
    uint64_t seed = 1234;
    for (int i = 0; i < in->nargs; i++) {
        const Stage *st = &in->stages[in->args[i]];
        size_t bytes = (size_t)stage_size(st) * dtype_size(st->dtype);
        args[i] = malloc(bytes);
        if (st->kind == STAGE_PLACEHOLDER) {
            eval_fill_random(st->dtype, args[i], stage_size(st), &seed);
            ref[i] = args[i];
        } else {
            memset(args[i], 0xA5, bytes); /* garbage: every element must be written */
            ref[i] = calloc(1, bytes);
        }
    }
    if (!eval_run(in, ref)) {
        fprintf(stderr, "%s: reference failed\n", desc);
        goto out;
    }
    cg_jit_kernel(j)(args);
    ok = true;
    for (int i = 0; i < in->nargs; i++) {
        const Stage *st = &in->stages[in->args[i]];
        char why[512];
        if (st->kind != STAGE_PLACEHOLDER &&
            !eval_compare(st->dtype, args[i], ref[i], stage_size(st), inst_max_reduction(in), why,
                          sizeof why)) {
            fprintf(stderr, "%s: output %s differs: %s\n", desc, st->name, why);
            ok = false;
        }
    }
out:
    for (int i = 0; i < in->nargs; i++) {
        if (ref[i] != args[i]) free(ref[i]);
        free(args[i]);
    }
    free(args);
    free(ref);
    cg_jit_free(j);
    arena_free(a);
    return ok;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: test_cg_lower FILE MAX_CONFIGS [NAME=VALUE ...]\n");
        return 2;
    }
    int64_t maxc = atoll(argv[2]);
    Define defs[16];
    int nd = 0;
    for (int i = 3; i < argc && nd < 16; i++) {
        char *eq = strchr(argv[i], '=');
        if (!eq) continue;
        *eq = 0;
        defs[nd++] = (Define){argv[i], eq + 1};
    }
    Arena *a = arena_new();
    Diag d;
    Inst *in = test_bind_file(a, &d, argv[1], NULL, defs, nd);
    Space *sp = in ? space_new(a, &d, in) : NULL;
    if (!sp) return 1;
    char err[512];
    Cg *cg = cg_new(NULL, err, sizeof err);
    if (!cg) {
        fprintf(stderr, "cg_new: %s\n", err);
        return 1;
    }
    int64_t n = space_len(sp), step = n > maxc ? (n + maxc - 1) / maxc : 1, bad = 0, ran = 0;
    for (int64_t idx = 0; idx < n; idx += step) {
        Config cfg = {.index = idx,
                      .nknobs = in->nknobs,
                      .vals = ARENA_ARRAY(a, KnobVal, in->nknobs ? in->nknobs : 1)};
        if (!space_get(sp, idx, &cfg)) {
            fprintf(stderr, "config %lld: not in the space\n", (long long)idx);
            bad++;
            continue;
        }
        const char *desc = in->nknobs ? arena_printf(a, "%s config %lld %s", in->name,
                                                     (long long)idx, space_entity_str(a, sp, &cfg))
                                      : in->name;
        ran++;
        if (!check_config(cg, in, in->nknobs ? &cfg : NULL, desc)) bad++;
    }
    printf("%s: %lld of %lld configs checked, %lld bad\n", in->name, (long long)ran, (long long)n,
           (long long)bad);
    cg_free(cg);
    arena_free(a);
    return bad ? 1 : 0;
}
