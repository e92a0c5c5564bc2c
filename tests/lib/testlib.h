/* The shared test library, linked into every C test (and the benchmarks): checks that count and
 * report failures with file:line, reading whole files, binding an instance from a template as
 * `tec -t NAME -D ...` would, and fresh scratch directories. docs/testing.md says how tests use it.
 */
#ifndef TEC_TESTLIB_H
#define TEC_TESTLIB_H
#include "lang/inst.h"
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* How many checks ran and how many failed, over the whole test program. */
extern int test_checks, test_failures;

/* Counts a check; when it fails, prints FILE:LINE: check failed: COND[: MESSAGE] on stderr.
 * The message is optional: CHECK(x > 0) or CHECK(x > 0, "x is %d", x); its arguments are
 * evaluated only when the check fails (CHECK_INT(run(), 0) runs run() once when it passes). */
#define CHECK(cond, ...)                                                                           \
    do {                                                                                           \
        test_checks++;                                                                             \
        if (!(cond)) test_failed_(__FILE__, __LINE__, #cond, "" __VA_ARGS__);                      \
    } while (0)
#define CHECK_INT(got, want)                                                                       \
    CHECK((int64_t)(got) == (int64_t)(want), "got %" PRId64 ", want %" PRId64, (int64_t)(got),     \
          (int64_t)(want))
#define CHECK_STR(got, want) CHECK(!strcmp((got), (want)), "got '%s', want '%s'", (got), (want))

__attribute__((format(printf, 4, 5))) void test_failed_(const char *file, int line,
                                                        const char *cond, const char *fmt, ...);
/* Counts a failure found outside CHECK (a message already printed). */
void test_fail(void);
/* Prints "NAME: N checks, M failed" on stdout; the exit status for main: 0, or 1 on a failure. */
int test_report(const char *name);

/* The whole file as a NUL-terminated malloc'd string (its length in *len when len is not NULL),
 * or NULL when it cannot be read. */
char *test_slurp(const char *path, size_t *len);
/* The same in the arena (for sources whose diagnostics outlive the call: lower() reports on them).
 */
char *test_slurp_in(Arena *a, const char *path, size_t *len);
/* The file's text, "" when it cannot be read (for output files a test inspects); free it. */
char *test_text(const char *path);

/* Parses and binds the source d was initialised with (diag_init), as `tec -t tname -D ...`
 * would; errors go to d->out. NULL on any error. */
Inst *test_bind(Arena *a, Diag *d, const char *tname, const Define *defs, int ndefs);
/* The same for a file, read into the arena: d is initialised here and keeps reporting on its
 * text (lower() may report later). */
Inst *test_bind_file(Arena *a, Diag *d, const char *path, const char *tname, const Define *defs,
                     int ndefs);

/* An instance built by hand with only its knobs set (the space's and the tuners' unit tests):
 * its diagnostics report on a one-line source; errors is scratch for captured messages and sp
 * for the space the test makes of it. */
typedef struct TestKnobs {
    Arena *a;
    Diag d;
    Inst in;
    Knob knobs[64];
    struct Space *sp;
    char errors[4096];
} TestKnobs;
TestKnobs *test_knobs_new(void);
void test_knobs_free(TestKnobs *t);
/* Appends a knob of that kind and policy (its other fields zero) and returns it. */
Knob *test_knob_add(TestKnobs *t, const char *name, KnobKind kind, KnobPolicy pol);

/* A fresh empty directory `path` (removed first with everything in it, then made with its
 * parents); false when it cannot be made. */
bool test_fresh_dir(const char *path);
#endif
