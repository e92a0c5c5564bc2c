/* libFuzzer target: one line through the tuning log's reader (log_read and log_best), for the
 * task of tests/codegen/allcfg/mixed.te (every knob kind), whose records seed the corpus. */
#include "tuner/log.h"
#include "lang/ast.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

static Arena *arena; /* the task's instance, for the process's life */
static LogTask *task;
static int fd = -1;
static char path[64];

static void visit(void *ctx, const LogResult *r) {
    *(int64_t *)ctx += r->index;
}

static void setup(void) {
    static char src[8192];
    FILE *f = fopen(TEC_FUZZ_TASK, "r");
    size_t n = f ? fread(src, 1, sizeof src - 1, f) : 0;
    if (f) fclose(f);
    Arena *a = arena = arena_new();
    Diag d;
    diag_init(&d, TEC_FUZZ_TASK, src, n);
    Program *p = parse_program(a, &d, src, n);
    Inst *in = p ? sema_bind(a, &d, p, NULL, NULL, 0) : NULL;
    Space *sp = in ? space_new(a, &d, in) : NULL;
    if (!sp) abort();
    task = log_task_new("llvm -mcpu=znver5", in, sp);
    fd = memfd_create("fuzzlog", 0);
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static FILE *devnull;
    if (!task) setup(), devnull = fopen("/dev/null", "w");
    if (ftruncate(fd, 0) || pwrite(fd, data, size, 0) != (ssize_t)size) abort();
    char err[256];
    int64_t sum = 0, best;
    double cost;
    log_read(path, task, visit, &sum, devnull, err, sizeof err);
    log_best(path, task, &best, &cost, devnull, err, sizeof err);
    return 0;
}
