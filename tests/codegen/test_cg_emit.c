/* Codegen output: objects and headers linked by `cc` exactly as the header's link line says
 * (with and without parallel loops), assembly and LLVM text, object images moved between
 * processes, several live kernels of one name, cross targets, and write failures.
 * Usage: test_cg_emit NAME (one test) or no argument (all). */
#include "cg_testlib.h"
#include "compiler/header.h"
#include <dirent.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* A hand-made instance of the tutorial matmul for the header. */
static Inst *matmul_inst(Arena *a, int n, int l, int m) {
    Inst *in = ARENA_NEW(a, Inst);
    in->name = "mm";
    in->nparams = 4;
    in->params = ARENA_ARRAY(a, ParamVal, 4);
    const char *pn[3] = {"N", "L", "M"};
    int64_t pv[3] = {n, l, m};
    for (int i = 0; i < 3; i++) in->params[i] = (ParamVal){.name = pn[i], .ival = pv[i]};
    in->params[3] = (ParamVal){.name = "dtype", .is_dtype = true, .dtype = DT_FLOAT32};
    in->nstages = 3;
    in->stages = ARENA_ARRAY(a, Stage, 3);
    const char *sn[3] = {"A", "B", "C"};
    int64_t shapes[3][2] = {{n, l}, {l, m}, {n, m}};
    for (int i = 0; i < 3; i++) {
        Stage *s = &in->stages[i];
        s->name = sn[i];
        s->kind = i < 2 ? STAGE_PLACEHOLDER : STAGE_COMPUTE;
        s->dtype = DT_FLOAT32;
        s->ndim = 2;
        s->shape = ARENA_ARRAY(a, int64_t, 2);
        s->shape[0] = shapes[i][0];
        s->shape[1] = shapes[i][1];
        s->is_output = i == 2;
        s->arg_index = i;
    }
    in->nargs = 3;
    in->args = ARENA_ARRAY(a, int, 3);
    for (int i = 0; i < 3; i++) in->args[i] = i;
    return in;
}

static char *make_tmpdir(void) {
    char tmpl[] = "/tmp/tec_cg_XXXXXX";
    char *d = mkdtemp(tmpl);
    return d ? strdup(d) : NULL;
}

static void rm_rf(const char *dir) {
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "cannot remove %s\n", dir);
}

/* Files in dir other than the listed ones (a leftover temporary is a bug). */
static int count_files(const char *dir) {
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)))
        if (e->d_name[0] != '.') n++;
    if (d) closedir(d);
    return n;
}

static const char *prog_c =
    "#include \"mm.h\"\n"
    "#include <math.h>\n#include <stdio.h>\n#include <stdlib.h>\n"
    "enum { N = %d, L = %d, M = %d };\n"
    "int main(void) {\n"
    "    float *A = malloc(sizeof(float) * N * L), *B = malloc(sizeof(float) * L * M);\n"
    "    float *C = malloc(sizeof(float) * N * M);\n"
    "    for (int i = 0; i < N * L; i++) A[i] = (float)((i * 7) %% 13) - 6.0f;\n"
    "    for (int i = 0; i < L * M; i++) B[i] = (float)((i * 5) %% 11) - 5.0f;\n"
    "    mm(A, B, C);\n"
    "    for (int i = 0; i < N; i++)\n"
    "        for (int j = 0; j < M; j++) {\n"
    "            float s = 0;\n"
    "            for (int k = 0; k < L; k++) s += A[i * L + k] * B[k * M + j];\n"
    "            if (C[i * M + j] != s) { printf(\"C[%%d,%%d] = %%g, want %%g\\n\", i, j, C[i * M "
    "+ j], s); return 1; }\n"
    "        }\n"
    "    puts(\"ok\");\n"
    "    return 0;\n"
    "}\n";

/* Emit mm.o and mm.h, link prog.c with the header's own link line, run it. */
static void link_and_run(Cg *cg, bool par) {
    enum { N = 64, L = 32, M = 64 };
    TB T = tb_new("mm");
    IrFunc *f = matmul_ir(&T, N, L, M, true, 4, 32, par);
    Inst *in = matmul_inst(T.a, N, L, M);
    char err[1024], path[512], cmd[2048];
    char *dir = make_tmpdir();
    CHECK(dir, "mkdtemp");
    if (!dir) return;
    CgModule *m = cg_compile(cg, f, err, sizeof err);
    CHECK(m, "compile: %s", err);
    if (!m) goto out;
    snprintf(path, sizeof path, "%s/mm.o", dir);
    CHECK(cg_write(cg, m, CG_OBJ, path, err, sizeof err), "write object: %s", err);
    cg_module_free(m);
    snprintf(path, sizeof path, "%s/mm.h", dir);
    CHECK(header_write(path, in, "index 7: [('tile_y', [-1, 4]), ('tile_x', [-1, 32])]", "mm.o",
                       par, cg_triple(cg), err, sizeof err),
          "header: %s", err);
    char *h = test_slurp(path, NULL);
    CHECK(h, "read header");
    if (!h) goto out;
    CHECK(strstr(h, "#ifndef TEC_MM_H\n#define TEC_MM_H\n"), "include guard in\n%s", h);
    CHECK(strstr(h, "#include <stdint.h>") && strstr(h, "#include <stdbool.h>"), "includes");
    CHECK(strstr(h, "void mm(const float *A, const float *B, float *C);\n"), "prototype in\n%s", h);
    CHECK(strstr(h, "N = 512") == NULL && strstr(h, "N = 64, L = 32, M = 64, dtype = float32"),
          "parameters in\n%s", h);
    CHECK(strstr(h, "index 7: [('tile_y', [-1, 4]), ('tile_x', [-1, 32])]"), "config in\n%s", h);
    CHECK(strstr(h, cg_triple(cg)), "target in\n%s", h);
    const char *ll = strstr(h, "Link with:  ");
    CHECK(ll, "no link line in\n%s", h);
    if (!ll) {
        free(h);
        goto out;
    }
    ll += strlen("Link with:  ");
    char link[256];
    snprintf(link, sizeof link, "%.*s", (int)strcspn(ll, "\n"), ll);
    CHECK(strcmp(link, par ? "cc prog.c mm.o -fopenmp -lm" : "cc prog.c mm.o -lm") == 0,
          "link line '%s'", link);
    free(h);
    snprintf(path, sizeof path, "%s/prog.c", dir);
    FILE *pf = fopen(path, "w");
    fprintf(pf, prog_c, N, L, M);
    fclose(pf);
    /* the link line as written, in the object's directory; nothing else on the command line */
    snprintf(cmd, sizeof cmd, "cd '%s' && %s && ./a.out", dir, link);
    int rc = system(cmd);
    CHECK(rc == 0, "'%s' failed (%d)", cmd, rc);
    CHECK(count_files(dir) == 4, "temporary files left in %s", dir); /* mm.o mm.h prog.c a.out */
out:
    rm_rf(dir);
    free(dir);
    arena_free(T.a);
}

static void t_link(Cg *cg) {
    link_and_run(cg, false);
    link_and_run(cg, true);
}

/* Assembly and LLVM text; a write into a missing directory fails cleanly. */
static void t_write(Cg *cg) {
    TB T = tb_new("mm");
    IrFunc *f = matmul_ir(&T, 16, 16, 16, false, 0, 0, true);
    char err[1024], path[512];
    char *dir = make_tmpdir();
    CgModule *m = cg_compile(cg, f, err, sizeof err);
    CHECK(m, "compile: %s", err);
    if (m && dir) {
        snprintf(path, sizeof path, "%s/mm.ll", dir);
        CHECK(cg_write(cg, m, CG_LLVM, path, err, sizeof err), "write ll: %s", err);
        char *s = test_slurp(path, NULL);
        CHECK(s && strstr(s,
                          "define void @mm(ptr noalias nocapture noundef nonnull readonly align 4"),
              "kernel ABI in IR");
        CHECK(s && strstr(s, "define void @mm__tec_packed(ptr"), "packed entry in IR");
        CHECK(s && strstr(s, "@GOMP_parallel(ptr nonnull @mm.par.0"),
              "outlined parallel body in IR");
        CHECK(s && strstr(s, "target triple = \"") && strstr(s, cg_triple(cg)), "triple in IR");
        free(s);
        snprintf(path, sizeof path, "%s/mm.s", dir);
        CHECK(cg_write(cg, m, CG_ASM, path, err, sizeof err), "write asm: %s", err);
        s = test_slurp(path, NULL);
        CHECK(s && strstr(s, "mm__tec_packed:") && strstr(s, "GOMP_parallel"), "assembly");
        free(s);
        /* the module is still usable after emission */
        CgJit *j = cg_jit(cg, m, err, sizeof err);
        m = NULL;
        CHECK(j, "jit after write: %s", err);
        cg_jit_free(j);
        CgModule *m2 = cg_compile(cg, f, err, sizeof err);
        CHECK(m2 && !cg_write(cg, m2, CG_OBJ, "/nonexistent-dir/x/mm.o", err, sizeof err),
              "writing into a missing directory succeeded");
        CHECK(strstr(err, "/nonexistent-dir/x/mm.o"), "error names the path: %s", err);
        cg_module_free(m2);
        Inst *in = matmul_inst(T.a, 16, 16, 16);
        CHECK(!header_write("/nonexistent-dir/x/mm.h", in, NULL, "mm.o", false, NULL, err,
                            sizeof err),
              "header into a missing directory succeeded");
        CHECK(count_files(dir) == 2, "files left in %s", dir);
    }
    if (dir) {
        rm_rf(dir);
        free(dir);
    }
    arena_free(T.a);
}

/* A buffer too large for the stack comes from aligned_alloc, 64-byte aligned, and LLVM knows it. */
static void t_heap_align(Cg *cg) {
    enum { N = 40000 };
    TB T = tb_new("heap");
    IrBuf *a = tb_arg(&T, "a", DT_FLOAT32, N, true);
    IrBuf *o = tb_arg(&T, "o", DT_FLOAT32, N, false);
    IrBuf *big = tb_buf(&T, "big", DT_FLOAT32, N + 1, BUF_GLOBAL);
    IrVar *i = VAR("i"), *j = VAR("j");
    T.f->body = ir_alloc(A_, big,
                         BLOCK(FOR(i, N, SERIAL, STORE(big, ADD(V(i), I(1)), LOAD(a, V(i)))),
                               FOR(j, N, SERIAL, STORE(o, V(j), LOAD(big, SUB(I(N), V(j)))))));
    char err[1024], path[512];
    char *dir = make_tmpdir();
    CgModule *m = cg_compile(cg, T.f, err, sizeof err);
    CHECK(m, "compile: %s", err);
    if (m && dir) {
        snprintf(path, sizeof path, "%s/heap.ll", dir);
        CHECK(cg_write(cg, m, CG_LLVM, path, err, sizeof err), "write ll: %s", err);
        char *s = test_slurp(path, NULL);
        /* 160004 bytes rounded up to a multiple of the alignment, as C11 asks */
        CHECK(s && strstr(s, "call align 64 dereferenceable_or_null(160064) ptr @aligned_alloc(i64 "
                             "64, i64 160064)"),
              "heap buffer from aligned_alloc, align 64, in IR");
        free(s);
    }
    cg_module_free(m);
    if (dir) {
        rm_rf(dir);
        free(dir);
    }
    arena_free(T.a);
}

static bool run_mm(CgJit *j, int n, int l, int m) {
    float *A = malloc(sizeof(float) * (size_t)(n * l)),
          *B = malloc(sizeof(float) * (size_t)(l * m));
    float *C = malloc(sizeof(float) * (size_t)(n * m)),
          *R = malloc(sizeof(float) * (size_t)(n * m));
    uint64_t s = 99;
    for (int i = 0; i < n * l; i++) A[i] = rndf(&s);
    for (int i = 0; i < l * m; i++) B[i] = rndf(&s);
    matmul_ref(A, B, R, n, l, m);
    void *args[3] = {A, B, C};
    cg_jit_kernel(j)(args);
    bool ok = true;
    for (int i = 0; i < n * m; i++) ok = ok && close_f(C[i], R[i], 1e-5 * l);
    free(A), free(B), free(C), free(R);
    return ok;
}

/* An object image built in one process and run in another (the tuner's builder and runner);
 * two live kernels of the same name; a garbage image is an error, not a crash. */
static void t_object_mem(Cg *cg) {
    enum { N = 32, L = 24, M = 64 };
    TB T = tb_new("mm");
    IrFunc *f = matmul_ir(&T, N, L, M, true, 4, 64, true);
    char err[1024];
    CgModule *m = cg_compile(cg, f, err, sizeof err);
    CHECK(m, "compile: %s", err);
    void *obj = NULL;
    size_t len = 0;
    if (m) {
        CHECK(cg_emit_object_mem(cg, m, &obj, &len, err, sizeof err), "emit: %s", err);
        cg_module_free(m);
    }
    if (obj) {
        fflush(NULL);
        pid_t pid = fork();
        if (pid == 0) {
            Cg *c2 = cg_new(NULL, err, sizeof err);
            CgJit *j = c2 ? cg_jit_object(c2, obj, len, "mm", err, sizeof err) : NULL;
            int rc = j && run_mm(j, N, L, M) ? 0 : 1;
            if (!j) fprintf(stderr, "child: %s\n", err);
            cg_jit_free(j);
            cg_free(c2);
            _exit(rc);
        }
        int st = 0;
        waitpid(pid, &st, 0);
        CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "object image in another process");
        /* in this process: the image and a JIT of another config, both alive */
        CgJit *j1 = cg_jit_object(cg, obj, len, "mm", err, sizeof err);
        CHECK(j1, "jit object: %s", err);
        TB T2 = tb_new("mm");
        IrFunc *f2 = matmul_ir(&T2, N, L, M, false, 0, 0, false);
        CgJit *j2 = tb_jit(cg, f2);
        CgJit *j3 = cg_jit_object(cg, obj, len, "mm", err, sizeof err);
        CHECK(j3, "jit object again: %s", err);
        if (j1 && j2 && j3) {
            CHECK(cg_jit_kernel(j1) != cg_jit_kernel(j2) && cg_jit_kernel(j1) != cg_jit_kernel(j3),
                  "distinct kernels");
            CHECK(run_mm(j1, N, L, M) && run_mm(j2, N, L, M) && run_mm(j3, N, L, M),
                  "live kernels compute");
        }
        cg_jit_free(j2);
        cg_jit_free(j1);
        CHECK(j3 && run_mm(j3, N, L, M), "a kernel survives freeing others");
        cg_jit_free(j3);
        CgJit *bad = cg_jit_object(cg, "not an object file at all", 25, "mm", err, sizeof err);
        CHECK(!bad && err[0], "garbage image accepted");
        cg_jit_free(bad);
        CgJit *wrong = cg_jit_object(cg, obj, len, "other", err, sizeof err);
        CHECK(!wrong && strstr(err, "other__tec_packed"), "missing symbol: %s", err);
        cg_jit_free(wrong);
        /* the pool is reused: many loads do not grow it */
        for (int i = 0; i < 20; i++) {
            CgJit *j = cg_jit_object(cg, obj, len, "mm", err, sizeof err);
            CHECK(j, "reload %d: %s", i, err);
            cg_jit_free(j);
        }
        arena_free(T2.a);
        free(obj);
    }
    arena_free(T.a);
}

/* Targets: an unknown triple is an error; a foreign one compiles to assembly but does not run. */
static void t_target(Cg *host) {
    char err[1024];
    CgTarget bad = {.triple = "nonsense-arch-none"};
    Cg *cg = cg_new(&bad, err, sizeof err);
    CHECK(!cg && strstr(err, "nonsense"), "bogus triple: %s", err);
    cg_free(cg);
    CHECK(cg_cpu(host)[0] && strcmp(cg_cpu(host), "generic") != 0, "host cpu '%s'", cg_cpu(host));
    CgTarget arm = {.triple = "aarch64-unknown-linux-gnu"};
    cg = cg_new(&arm, err, sizeof err);
    CHECK(cg, "aarch64: %s", err);
    if (!cg) return;
    CHECK(strcmp(cg_cpu(cg), "generic") == 0, "cross cpu '%s'", cg_cpu(cg));
    TB T = tb_new("mm");
    IrFunc *f = matmul_ir(&T, 16, 16, 32, true, 4, 16, false);
    CgModule *m = cg_compile(cg, f, err, sizeof err);
    CHECK(m, "compile for aarch64: %s", err);
    char *dir = make_tmpdir(), path[512];
    if (m && dir) {
        snprintf(path, sizeof path, "%s/mm.s", dir);
        CHECK(cg_write(cg, m, CG_ASM, path, err, sizeof err), "asm: %s", err);
        char *s = test_slurp(path, NULL);
        CHECK(s && strstr(s, "fmla"), "aarch64 assembly");
        free(s);
        CgJit *j = cg_jit(cg, m, err, sizeof err);
        CHECK(!j && strstr(err, "aarch64"), "running foreign code: %s", err);
        cg_jit_free(j);
    }
    if (dir) {
        rm_rf(dir);
        free(dir);
    }
    arena_free(T.a);
    cg_free(cg);
}

static long rss_kb(void) {
    FILE *f = fopen("/proc/self/statm", "r");
    long pages = 0, res = 0;
    if (f && fscanf(f, "%ld %ld", &pages, &res) != 2) res = 0;
    if (f) fclose(f);
    return res * (sysconf(_SC_PAGESIZE) / 1024);
}

/* The tuner compiles, runs and frees thousands of configs with one Cg: memory stays bounded
 * (the JIT's dylibs are reused, the LLVM context is renewed). */
static void t_bounded(Cg *cg) {
    long at100 = 0;
    for (int it = 0; it < 300; it++) {
        TB T = tb_new("mm");
        CgJit *j = tb_jit(cg, matmul_ir(&T, 16, 16, 16, true, 4, 16, it % 2));
        cg_jit_free(j);
        arena_free(T.a);
        if (it == 100) at100 = rss_kb();
    }
    long grown = rss_kb() - at100;
#ifndef TEC_SANITIZE /* ASan's quarantine keeps freed memory resident; LeakSanitizer checks */
    CHECK(grown < 4096, "resident memory grew by %ld KB over 200 configs", grown);
#else
    (void)grown;
#endif
}

static const CgTest tests[] = {
    {"link", t_link},     {"write", t_write},     {"object_mem", t_object_mem},
    {"target", t_target}, {"bounded", t_bounded}, {"heap_align", t_heap_align},
};

int main(int argc, char **argv) {
    return cg_tests_run(argc, argv, tests, sizeof tests / sizeof *tests);
}
