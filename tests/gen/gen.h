/* The random program generator (in the spirit of Csmith and YARPGen): from a seed, a valid .te
 * template with random computes (gen.c, gen_expr.c) and random schedules (gen_sched.c). */
#ifndef TEC_GEN_H
#define TEC_GEN_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The template of this seed as a malloc'd NUL-terminated text. */
char *gen_program(uint64_t seed);

/* --- shared by the generator's files --- */
enum { GEN_MAX_T = 48, GEN_MAX_AX = 8, GEN_MAX_ST = 4 };
typedef struct Str {
    char *p;
    size_t len, cap;
} Str;
void str_add(Str *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

typedef struct Rng {
    uint64_t s;
} Rng;
uint64_t rng_next(Rng *r);
int rn(Rng *r, int n); /* uniform in [0, n) */
bool chance(Rng *r, int pct);

typedef enum Cls { CL_FLOAT, CL_INT, CL_BOOL } Cls;
typedef struct GAxis {
    char name[16];
    int lo, hi; /* the axis ranges over [lo, hi) */
    bool reduce;
} GAxis;
typedef struct GTensor {
    char name[16];
    const char *dtype; /* the real dtype */
    const char *spelt; /* as written (a dtype parameter or the dtype) */
    int rank, dims[3];
    int stage;   /* the compute stage index, -1 for a placeholder */
    int readers; /* how many stages read it */
} GTensor;
typedef struct GStage {
    int tensor;
    GAxis ax[GEN_MAX_AX];
    int ndata, nred;
    bool reduction, output, inlined, cached;
    int reader;                      /* the stage reading it when it has exactly one reader */
    Str sched;                       /* its schedule block(s) */
    char leaves[GEN_MAX_AX * 3][16]; /* its final leaf axes, for compute_at into it */
    int nleaves;
} GStage;
typedef struct Gen {
    Rng r;
    Str defs, pending; /* definitions; placeholders made while a body is generated */
    GTensor t[GEN_MAX_T];
    int nt;
    GStage st[GEN_MAX_ST];
    int nst, cur;          /* stages, the stage whose body is being generated */
    const char *main_type; /* the program's main dtype */
    int names;             /* counter for fresh names */
    bool dparam;           /* main_type is spelt as the dtype parameter dt */
} Gen;
Cls dtype_cls(const char *dtype);
/* An expression of class c (depth bounds its size) in the current stage's body. */
bool gen_expr(Gen *g, Str *o, Cls c, int depth, bool exact); /* false: literals only */
/* A read of tensor ti converted to class c. */
void gen_read(Gen *g, Str *o, int ti, Cls c);
/* The schedule block of stage s (and of its cache stage). */
void gen_schedule(Gen *g, int s);
#endif
