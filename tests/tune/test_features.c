/* Loop features (tuner/features_loops.c) of real templates: the exact itervar entries of a
 * small matmul nest (extent, level, kind, stride, count, bytes, reuse, reuse ratio per loop and
 * access); every example template and generated program gives finite fixed-length vectors for
 * a spread of configs (zeros only where the config does not lower), and configs of different
 * schedules get different vectors. Usage: test_features SOURCE_ROOT. */
#include "tests/gen/gen.h"
#include "tests/lib/testlib.h"
#include "compiler/lower.h"
#include "lang/xalloc.h"
#include "tuner/features.h"
#include <dirent.h>
#include <math.h>
#include <stdlib.h>

static float lg(double x) {
    return (float)log2(x + 1);
}

#define CHECK_F(got, want)                                                                         \
    CHECK(fabsf((got) - (want)) < 1e-4f, "got %g, want %g", (double)(got), (double)(want))

/* tests/tune/mm.te at 64^3, config 0 (tiles of 1): loops i.outer, j.outer, k; accesses sorted
 * A, B, C_0 (the init store), C_1 (the load), C_2 (the update store). */
static void exact_matmul(const char *root) {
    Arena *a = arena_new();
    Diag d;
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/tune/mm.te", root);
    Define defs[] = {{"N", "64"}, {"L", "64"}, {"M", "64"}};
    Inst *in = test_bind_file(a, &d, path, NULL, defs, 3);
    CHECK(in != NULL);
    if (!in) return;
    Space *sp = space_new(a, &d, in);
    Features f;
    features_init_kind(&f, sp, space_len(sp), FEATURES_ITERVAR);
    CHECK_INT(f.dim, loop_features_dim(FEATURES_ITERVAR) + 1); /* and the prior */
    float *x = xcalloc((size_t)f.dim, sizeof *x);
    features_vector(&f, 0, x);
    const int row = 11 + FEAT_MAX_ACCESSES * 5;
    /* loop k: extent 64, level 3, serial; 64 adds and 64 muls per j.outer iteration */
    float *k = x + 2 * row;
    CHECK_F(k[0], lg(64));
    CHECK_F(k[1], 3);
    CHECK_F(k[4], 1);
    CHECK_F(k[5] + k[6] + k[7], 0);
    CHECK_F(k[8], lg(64));
    CHECK_F(k[9], lg(64));
    /* A[i*64 + k] in loop k: stride 1, 64 elements (256 bytes), no reuse */
    float *ak = k + 11;
    CHECK_F(ak[0], lg(1));
    CHECK_F(ak[1], lg(64));
    CHECK_F(ak[2], lg(256));
    CHECK_F(ak[3], lg(1));
    CHECK_F(ak[4], lg(1));
    /* A in loop j.outer: j is not in the index: stride 0, reused 64 times per element */
    float *aj = x + 1 * row + 11;
    CHECK_F(aj[0], 0);
    CHECK_F(aj[1], lg(64));
    CHECK_F(aj[2], lg(256));
    CHECK_F(aj[3], lg(64));
    CHECK_F(aj[4], lg(64));
    /* B[k*64 + j] in loop i.outer: stride 0, 4096 elements each used 64 times */
    float *bi = x + 0 * row + 11 + 5;
    CHECK_F(bi[0], 0);
    CHECK_F(bi[1], lg(4096));
    CHECK_F(bi[2], lg(16384));
    CHECK_F(bi[3], lg(64));
    /* B in loop k: stride 64 */
    CHECK_F(k[11 + 5], lg(64));
    /* C_0, the init store C[i*64 + j] in loop j.outer: stride 1; not inside loop k */
    CHECK_F(x[1 * row + 11 + 2 * 5], lg(1));
    CHECK_F(x[1 * row + 11 + 2 * 5 + 1], lg(64));
    CHECK_F(k[11 + 2 * 5 + 1], 0);
    /* the curve vector of the same config is not empty either */
    Features c;
    features_init_kind(&c, sp, space_len(sp), FEATURES_CURVE);
    float *y = xcalloc((size_t)c.dim, sizeof *y);
    features_vector(&c, 0, y);
    int nz = 0;
    for (int i = 0; i < c.dim; i++) nz += y[i] != 0;
    CHECK(nz > 0);
    free(x);
    free(y);
    features_free(&f);
    features_free(&c);
    arena_free(a);
}

/* Configs spread over the space, both loop kinds: finite, zero only when the config does not
 * lower, and more than one distinct vector when the space has more than one loop structure. */
static int spread(const char *what, Inst *in, Arena *a, Diag *d) {
    Space *sp = in->nknobs > 0 ? space_new(a, d, in) : NULL;
    if (!sp) return 0;
    int64_t len = space_len(sp);
    int n = len < 60 ? (int)len : 60, distinct = 0;
    for (int kind = FEATURES_ITERVAR; kind <= FEATURES_CURVE; kind++) {
        Features f;
        features_init_kind(&f, sp, len, (FeatureKind)kind);
        float *x = xcalloc((size_t)f.dim * 2, sizeof *x), *first = x + f.dim;
        for (int i = 0; i < n; i++) {
            int64_t idx = (int64_t)((double)i * (double)len / n);
            features_vector(&f, idx, x);
            int nz = 0;
            bool finite = true;
            for (int j = 0; j < f.dim; j++) {
                nz += x[j] != 0;
                finite = finite && isfinite(x[j]);
            }
            CHECK(finite, "%s config %lld", what, (long long)idx);
            KnobVal vals[in->nknobs];
            Config cfg = {.index = idx, .nknobs = in->nknobs, .vals = vals};
            Arena *la = arena_new();
            Diag ld;
            diag_init(&ld, "", "", 0);
            ld.out = fopen("/dev/null", "w");
            bool lowers = space_get(sp, idx, &cfg) && lower(la, &ld, in, &cfg, NULL);
            fclose(ld.out);
            arena_free(la);
            CHECK(lowers == (nz > 0), "%s config %lld: lowers %d, nonzero features %d", what,
                  (long long)idx, lowers, nz);
            if (i == 0)
                memcpy(first, x, sizeof *x * (size_t)f.dim);
            else if (kind == FEATURES_ITERVAR)
                distinct += memcmp(first, x, sizeof *x * (size_t)f.dim) != 0;
        }
        free(x);
        features_free(&f);
    }
    return distinct;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: test_features SOURCE_ROOT\n");
        return 2;
    }
    exact_matmul(argv[1]);
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/examples", argv[1]);
    DIR *dh = opendir(dir);
    CHECK(dh != NULL);
    int templates = 0;
    for (struct dirent *e; dh && (e = readdir(dh));) {
        size_t l = strlen(e->d_name);
        if (l < 4 || strcmp(e->d_name + l - 3, ".te") != 0) continue;
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        Arena *a = arena_new();
        Diag d;
        Inst *in = test_bind_file(a, &d, path, NULL, NULL, 0);
        CHECK(in != NULL, "%s", path);
        if (in && in->nknobs > 0) {
            templates++;
            int distinct = spread(e->d_name, in, a, &d);
            CHECK(distinct > 0, "%s: every config has the same loop features", e->d_name);
        }
        arena_free(a);
    }
    if (dh) closedir(dh);
    CHECK(templates >= 10, "only %d example templates with knobs", templates);
    /* generated programs: odd schedules of every kind */
    for (uint64_t seed = 1; seed <= 40; seed++) {
        char *src = gen_program(seed);
        Arena *a = arena_new();
        Diag d;
        diag_init(&d, "gen.te", src, strlen(src));
        Inst *in = test_bind(a, &d, NULL, NULL, 0);
        CHECK(in != NULL, "generated program %llu", (unsigned long long)seed);
        char what[64];
        snprintf(what, sizeof what, "gen seed %llu", (unsigned long long)seed);
        if (in) spread(what, in, a, &d);
        arena_free(a);
        free(src);
    }
    return test_report("tune.features");
}
