/* CHECK macros shared by the tuner's tests: count checks, report failures with file:line. */
#ifndef TEC_TUNE_CHECK_H
#define TEC_TUNE_CHECK_H
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int failures, checks;

#define CHECK(c, ...)                                                                              \
    do {                                                                                           \
        checks++;                                                                                  \
        if (!(c)) {                                                                                \
            failures++;                                                                            \
            fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #c);                  \
            fprintf(stderr, __VA_ARGS__);                                                          \
            fputc('\n', stderr);                                                                   \
        }                                                                                          \
    } while (0)
#define CHECK_INT(got, want)                                                                       \
    CHECK((int64_t)(got) == (int64_t)(want), "got %" PRId64 ", want %" PRId64, (int64_t)(got),     \
          (int64_t)(want))
#define CHECK_STR(got, want) CHECK(!strcmp((got), (want)), "got '%s', want '%s'", (got), (want))

static int check_report(const char *name) {
    printf("%s: %d checks, %d failed\n", name, checks, failures);
    return failures ? 1 : 0;
}
#endif
