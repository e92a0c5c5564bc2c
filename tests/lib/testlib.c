/* The shared test library: see testlib.h. */
#include "tests/lib/testlib.h"
#include <stdarg.h>
#include <stdlib.h>

int test_checks, test_failures;

void test_failed_(const char *file, int line, const char *cond, const char *fmt, ...) {
    test_failures++;
    fprintf(stderr, "%s:%d: check failed: %s", file, line, cond);
    if (*fmt) {
        va_list ap;
        va_start(ap, fmt);
        fputs(": ", stderr);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
    }
    fputc('\n', stderr);
}

void test_fail(void) {
    test_failures++;
}

int test_report(const char *name) {
    printf("%s: %d checks, %d failed\n", name, test_checks, test_failures);
    return test_failures ? 1 : 0;
}

/* Reads f to its end: malloc'd, or copied into a when a is not NULL; NULL when out of memory. */
static char *read_all(FILE *f, size_t *len, Arena *a) {
    size_t cap = 8192, n = 0, got;
    char *s = malloc(cap);
    while (s && (got = fread(s + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (n + 1 == cap) {
            char *t = realloc(s, cap *= 2);
            if (!t) free(s);
            s = t;
        }
    }
    if (!s) return NULL;
    s[n] = 0;
    if (len) *len = n;
    if (!a) return s;
    char *c = arena_alloc(a, n + 1);
    memcpy(c, s, n + 1);
    free(s);
    return c;
}

static char *slurp(const char *path, size_t *len, Arena *a) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *s = read_all(f, len, a);
    fclose(f);
    return s;
}

char *test_slurp(const char *path, size_t *len) {
    return slurp(path, len, NULL);
}

char *test_slurp_in(Arena *a, const char *path, size_t *len) {
    return slurp(path, len, a);
}

char *test_text(const char *path) {
    char *s = slurp(path, NULL, NULL);
    return s ? s : calloc(1, 1);
}

Inst *test_bind(Arena *a, Diag *d, const char *tname, const Define *defs, int ndefs) {
    Program *p = parse_program(a, d, d->src, d->srclen);
    return p ? sema_bind(a, d, p, tname, defs, ndefs) : NULL;
}

Inst *test_bind_file(Arena *a, Diag *d, const char *path, const char *tname, const Define *defs,
                     int ndefs) {
    size_t len;
    char *src = test_slurp_in(a, path, &len);
    if (!src) {
        fprintf(stderr, "cannot read %s\n", path);
        diag_init(d, path, "", 0);
        return NULL;
    }
    diag_init(d, path, src, len);
    return test_bind(a, d, tname, defs, ndefs);
}

bool test_fresh_dir(const char *path) {
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s'", path, path);
    return strlen(path) < 4000 && !strchr(path, '\'') && system(cmd) == 0;
}

TestKnobs *test_knobs_new(void) {
    static const char src[] = "knob k = ...\n";
    TestKnobs *t = calloc(1, sizeof *t);
    if (!t) abort();
    t->a = arena_new();
    diag_init(&t->d, "t.te", src, strlen(src));
    t->in.name = "t";
    t->in.knobs = t->knobs;
    return t;
}

void test_knobs_free(TestKnobs *t) {
    arena_free(t->a);
    free(t);
}

Knob *test_knob_add(TestKnobs *t, const char *name, KnobKind kind, KnobPolicy pol) {
    if (t->in.nknobs == (int)(sizeof t->knobs / sizeof t->knobs[0])) abort();
    Knob *k = &t->knobs[t->in.nknobs++];
    *k = (Knob){.name = name, .loc = {1, 6, 1}, .kind = kind, .policy = pol};
    return k;
}
