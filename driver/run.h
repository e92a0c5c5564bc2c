/* The driver's actions beyond parsing options: run-and-check, writing outputs atomically,
 * and the bridges to the tuner (best record of a log, the --tune mode). */
#ifndef TEC_DRIVER_RUN_H
#define TEC_DRIVER_RUN_H
#include "compiler/codegen.h"
#include "tuner/space.h"

/* --run: JIT mod, fill inputs with random values, run, check every output against the reference
 * evaluator, time `repeat` runs and print the median and GFLOPS. False if a check failed. */
bool driver_run(Cg *cg, CgModule *mod, const Inst *in, int repeat);
/* Writes through a temporary file in the same directory and renames, so an interrupted or
 * failed write never leaves a partial output. */
bool driver_write_output(Cg *cg, CgModule *mod, CgOutput kind, const char *path, char *err,
                         size_t errlen);
bool driver_write_loops(const char *path, const IrFunc *fn);
/* --log FILE in build mode: the best record's config index (lowest mean cost among error-free
 * records of this template, args and target whose entity matches this space); false (with a
 * message) if none. */
bool driver_best_from_log(const char *log, const Inst *in, const Space *space, const char *triple,
                          const char *cpu, int64_t *index);
/* The tuning options as given on the command line (0 / NULL: not given, use the default). */
typedef struct TuneCli {
    const char *file;  /* the .te file */
    const char *out;   /* -o: the best kernel's object (default NAME.o) */
    const char *log;   /* --log: the tuning log (default NAME.log) */
    const char *tuner; /* --tuner random|grid|ga|xgb (default random) */
    const char *triple, *cpu;
    int64_t trials;         /* --trials N */
    int64_t early_stopping; /* --early-stopping N */
    int number, repeat;     /* --number, --repeat (AutoTVM defaults 4 and 3) */
    double min_repeat_ms;   /* --min-repeat-ms */
    double timeout;         /* --timeout S */
    int jobs;               /* -j N (default: the number of cores) */
    uint64_t seed;          /* --seed */
    bool seed_given, resume, flush_cache;
} TuneCli;

/* --tune: runs the tuner, writes the best kernel. src is the .te text (for located lowering
 * errors of a config). Returns the exit status. */
int driver_tune(const TuneCli *cli, const Inst *in, const Space *space, const char *src,
                size_t srclen);
#endif
