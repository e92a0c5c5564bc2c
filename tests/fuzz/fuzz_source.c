/* libFuzzer target: source text through parse, sema (parameters without a default bound to
 * small values), the config space and lowering of a few configs, at small sizes only. */
#include "compiler/lower.h"
#include "lang/ast.h"
#include "tuner/space.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_POINTS = 1 << 14 }; /* a stage larger than this is not lowered */

static bool small(const Inst *in) {
    for (int s = 0; s < in->nstages; s++)
        if (stage_size(&in->stages[s]) > MAX_POINTS) return false;
    return true;
}

static void lower_some(Arena *a, Diag *d, const Inst *in) {
    Space *sp = space_new(a, d, in);
    if (!sp || !small(in)) return;
    int64_t n = space_len(sp), idx[3] = {0, n / 2, n - 1};
    Config cfg = {.nknobs = in->nknobs,
                  .vals = ARENA_ARRAY(a, KnobVal, in->nknobs ? in->nknobs : 1)};
    LowerOptions lo = {.verify = true};
    for (int i = 0; i < 3 && n > 0; i++)
        if (space_get(sp, idx[i], &cfg)) lower(a, d, in, in->nknobs ? &cfg : NULL, &lo);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static FILE *devnull;
    if (!devnull) devnull = fopen("/dev/null", "w");
    char *src = malloc(size + 1);
    memcpy(src, data, size);
    src[size] = 0;
    Arena *a = arena_new();
    Diag d;
    diag_init(&d, "fuzz.te", src, size);
    d.out = devnull;
    Program *p = parse_program(a, &d, src, size);
    if (p && p->ntemplates) {
        const Template *t = p->templates[0];
        Define defs[16];
        int nd = 0;
        static const char *const vals[] = {"4", "3", "5", "2"};
        for (int i = 0; i < t->nparams && nd < 16; i++)
            if (!t->params[i].def) defs[nd] = (Define){t->params[i].name.name, vals[nd % 4]}, nd++;
        Inst *in = sema_bind(a, &d, p, t->name.name, defs, nd);
        if (in) lower_some(a, &d, in);
    }
    arena_free(a);
    free(src);
    return 0;
}
