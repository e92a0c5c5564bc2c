/* Scale: a template with tens of thousands of stages (a 10 MB generated file is a plausible user
 * input) is checked, without a quadratic step in time or memory: the prototype of a kernel with
 * that many arguments, the FLOP count over that many stages, and parse + bind themselves. */
#include "tests/lib/testlib.h"
#include "lang/inst.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* n outputs S0..S(n-1), each reading the placeholder A and the previous stage. */
static char *many_stages(int n) {
    size_t cap = 64 + (size_t)n * 64, len = 0;
    char *s = malloc(cap);
    len += (size_t)sprintf(s + len, "template many(N = 8) {\n    A = placeholder((N,), float32)\n");
    len += (size_t)sprintf(s + len, "    S0 = compute((N,), i => A[i] * 2.0 + A[i])\n");
    for (int i = 1; i < n; i++)
        len += (size_t)sprintf(s + len, "    S%d = compute((N,), i => A[i] * %d.0 + S%d[i])\n", i,
                               i, i - 1);
    sprintf(s + len, "}\n");
    return s;
}

int main(void) {
    enum { N = 60000 };
    char *src = many_stages(N);
    Arena *arena = arena_new();
    Diag diag;
    diag_init(&diag, "many.te", src, strlen(src));
    Inst *in = test_bind(arena, &diag, NULL, NULL, 0);
    CHECK(in != NULL);
    if (!in) return 1;
    CHECK(in->nstages == N + 1 && in->nargs == 2); /* only the last stage is an output */

    /* stage i costs 8 elements x 2 plus everything it reads (the previous stage, once); once
     * quadratic (N^2 / 2 marks): the hang guard catches that, bench/ times it */
    CHECK(inst_flops(in) == 16.0 * N);
    arena_free(arena);
    free(src);

    /* A kernel with W outputs: the prototype is built in one piece, not W growing copies. */
    enum { W = 10000 };
    char *wide = malloc(64 + (size_t)W * 48), *w = wide;
    w += sprintf(w, "template wide(N = 2) {\n    A = placeholder((N,), float32)\n");
    for (int i = 0; i < W; i++)
        w += sprintf(w, "    S%d = compute((N,), i => A[i] + %d.0)\n", i, i);
    sprintf(w, "}\n");
    arena = arena_new();
    diag_init(&diag, "wide.te", wide, strlen(wide));
    in = test_bind(arena, &diag, NULL, NULL, 0);
    CHECK(in != NULL && in->nargs == W + 1);
    if (in) {
        Arena *pa = arena_new();
        char *proto = inst_prototype(pa, in);
        size_t len = strlen(proto);
        CHECK(strncmp(proto, "void wide(const float *A, float *S0, float *S1, ", 48) == 0);
        CHECK(len > 16 && strcmp(proto + len - 16, ", float *S9999);") == 0);
        CHECK(arena_bytes(pa) < 4 * len + 65536); /* once: about W * len / 2 bytes */
        arena_free(pa);
    }
    arena_free(arena);
    free(wide);
    return test_report("sema_scale");
}
