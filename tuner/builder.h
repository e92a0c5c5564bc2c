/* The builder: long-lived worker processes that turn config indices into object images
 * (lower, cg_compile, cg_emit_object_mem) in parallel. A lowering error, an LLVM failure, a
 * crash or a timeout of one config becomes an error result, never the end of the run; a dead
 * or hung worker is replaced. */
#ifndef TEC_BUILDER_H
#define TEC_BUILDER_H
#include "compiler/codegen.h"
#include "lang/inst.h"
#include "tuner/fault.h"
#include "tuner/space.h"
#include <stdbool.h>
#include <poll.h>
#include <stddef.h>

typedef struct BuildSetup {
    const Inst *in;
    const Space *sp;
    const char *src_path, *src; /* for located lowering errors */
    size_t srclen;
    CgTarget target;
    double timeout; /* seconds per config */
    int nice_inc;   /* builders yield the CPU to the runner's measurements */
    Faults faults;
} BuildSetup;

typedef struct BuildResult {
    int64_t index;
    int error_no;   /* ERR_NONE, ERR_INSTANTIATION, ERR_COMPILE_HOST, ERR_BUILD_TIMEOUT */
    char msg[1024]; /* why it failed */
    void *image;    /* malloc'd object image (ERR_NONE only); the caller frees it */
    size_t len;
    bool uses_openmp; /* the kernel has parallel loops */
    double seconds;   /* wall time from submission to result */
} BuildResult;

typedef struct Builder Builder;
/* Start nworkers workers (each makes its own Cg). Fails if the first cannot set up codegen. */
Builder *builder_new(const BuildSetup *s, int nworkers, char *err, size_t errlen);
void builder_free(Builder *b);
/* The workers' target triple and CPU name (from their Cg), for the log's target string. */
void builder_target(const Builder *b, const char **triple, const char **cpu);

int builder_idle(const Builder *b); /* workers free to take a config */
int builder_busy(const Builder *b);
/* Hand index to an idle worker. False (with nothing queued) when none is idle. */
bool builder_submit(Builder *b, int64_t index);
/* Fill pollfds for the busy workers; returns how many. */
int builder_pollfds(const Builder *b, struct pollfd *fds, int max);
double builder_deadline(const Builder *b); /* earliest build deadline, INFINITY if none busy */
/* Without blocking: results of the workers that answered, died or passed their deadline. */
int builder_collect(Builder *b, BuildResult *out, int max);
/* Build one config synchronously (for the best kernel of a resumed log). */
bool builder_build_one(Builder *b, int64_t index, BuildResult *out);
#endif
