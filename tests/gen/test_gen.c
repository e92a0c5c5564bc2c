/* The random program generator's driver: each seed's template is bound, its space built, and
 * config 0, the last and a few random ones compiled in process and checked against the reference
 * evaluator. A failure prints the seed and a reduced template, saved to --save DIR.
 * Usage: test_gen [--from S] [--seeds N] [--minutes M] [--configs K] [--save DIR] [--print] */
#include "tests/gen/gen.h"
#include "tests/gen/reduce.h"
#include "tests/lib/kernel_check.h"
#include "tests/lib/testlib.h"
#include "tuner/space.h"
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef enum Verdict { V_OK, V_REJECTED, V_FAILED } Verdict;
typedef struct Run {
    Cg *cg;
    uint64_t seed;
    int nconfigs;
    bool quiet; /* while reducing: errors and FAIL lines go nowhere */
    Stats st;
} Run;

static volatile uint64_t current_seed;

static void on_fatal(int sig) {
    char msg[128];
    int n = snprintf(
        msg, sizeof msg, "FAIL seed %llu: %s (rerun with --from %llu --seeds 1 --print)\n",
        (unsigned long long)current_seed, sig == SIGALRM ? "timed out" : "crashed with a signal",
        (unsigned long long)current_seed);
    if (write(2, msg, (size_t)n) < 0) _exit(1);
    _exit(1);
}

/* Config 0, the last and nconfigs - 2 others drawn from the seed. */
static int pick_configs(const Run *r, int64_t n, int64_t *idx) {
    Rng rng = {r->seed ^ 0x5bd1e995u};
    int k = 0;
    idx[k++] = 0;
    if (n > 1) idx[k++] = n - 1;
    for (int i = 2; i < r->nconfigs && k < n; i++) {
        int64_t c = (int64_t)(rng_next(&rng) % (uint64_t)n);
        bool dup = false;
        for (int j = 0; j < k; j++) dup |= idx[j] == c;
        if (!dup) idx[k++] = c;
    }
    return k;
}

static bool check_configs(Run *r, Bufs *b, Space *sp, Arena *a) {
    const Inst *in = b->in;
    int64_t idx[64];
    int k = pick_configs(r, space_len(sp), idx);
    Config cfg = {.nknobs = in->nknobs,
                  .vals = ARENA_ARRAY(a, KnobVal, in->nknobs ? in->nknobs : 1)};
    bool ok = true;
    for (int i = 0; i < k; i++) {
        if (!space_get(sp, idx[i], &cfg)) return false;
        char *desc =
            arena_printf(a, "seed %llu config %lld %s", (unsigned long long)r->seed,
                         (long long)idx[i], in->nknobs ? space_entity_str(a, sp, &cfg) : "");
        alarm(60);
        r->st.checked++;
        if (!check_config(r->cg, b, in->nknobs ? &cfg : NULL, desc, i & 1, &r->st)) ok = false;
        alarm(0);
    }
    return ok;
}

static Verdict check_program(Run *r, const char *src) {
    static FILE *devnull;
    if (!devnull) devnull = fopen("/dev/null", "w");
    Arena *a = arena_new();
    Diag d;
    diag_init(&d, "gen.te", src, strlen(src));
    if (r->quiet) d.out = devnull;
    Inst *in = test_bind(a, &d, NULL, NULL, 0);
    Space *sp = in ? space_new(a, &d, in) : NULL;
    Verdict v = V_REJECTED;
    if (sp) {
        Bufs b;
        bool made = bufs_new(&b, in);
        v = made && check_configs(r, &b, sp, a) ? V_OK : V_FAILED;
        if (!made) fprintf(r->quiet ? devnull : stderr, "FAIL: no reference outputs\n");
        bufs_free(&b);
    }
    arena_free(a);
    return v;
}

static bool still_fails(const char *src, void *ctx) {
    return check_program(ctx, src) == V_FAILED;
}

/* Reduces a failing program and saves it as DIR/gen_SEED.te. */
static void report(Run *r, const char *src, const char *dir) {
    Run q = *r;
    q.quiet = true;
    fflush(stderr);
    int saved = dup(2), nul = open("/dev/null", O_WRONLY);
    dup2(nul, 2);
    char *red = reduce_template(src, still_fails, &q);
    dup2(saved, 2), close(saved), close(nul);
    char path[4200];
    snprintf(path, sizeof path, "%s/gen_%llu.te", dir, (unsigned long long)r->seed);
    FILE *f = fopen(path, "w");
    if (f) fputs(red, f), fclose(f);
    fprintf(stderr, "FAIL seed %llu; reduced template (saved as %s):\n%s",
            (unsigned long long)r->seed, path, red);
    free(red);
}

typedef struct Opts {
    uint64_t from, seeds;
    double minutes;
    int configs;
    const char *save;
    bool print;
} Opts;

static bool parse_opts(Opts *o, int argc, char **argv) {
    *o = (Opts){.from = 1, .seeds = 20, .configs = 4, .save = "."};
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(s, "--print")) {
            o->print = true;
            continue;
        }
        if (!v) return false;
        i++;
        if (!strcmp(s, "--from"))
            o->from = strtoull(v, NULL, 10);
        else if (!strcmp(s, "--seeds"))
            o->seeds = strtoull(v, NULL, 10);
        else if (!strcmp(s, "--minutes"))
            o->minutes = atof(v), o->seeds = UINT64_MAX;
        else if (!strcmp(s, "--configs"))
            o->configs = atoi(v);
        else if (!strcmp(s, "--save"))
            o->save = v;
        else
            return false;
    }
    return o->configs >= 1 && o->configs <= 64;
}

int main(int argc, char **argv) {
    Opts o;
    if (!parse_opts(&o, argc, argv)) {
        fprintf(stderr, "usage: test_gen [--from S] [--seeds N] [--minutes M] [--configs K] "
                        "[--save DIR] [--print]\n");
        return 2;
    }
    struct sigaction sa = {.sa_handler = on_fatal};
    sigemptyset(&sa.sa_mask);
    int sigs[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGALRM, SIGABRT};
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) sigaction(sigs[i], &sa, NULL);
    char err[512];
    Run r = {.cg = cg_new(NULL, err, sizeof err), .nconfigs = o.configs};
    if (!r.cg) return fprintf(stderr, "cg_new: %s\n", err), 1;
    double t0 = check_now();
    uint64_t n = 0, failed = 0;
    for (uint64_t s = o.from; n < o.seeds; s++, n++) {
        if (o.minutes > 0 && check_now() - t0 > o.minutes * 60) break;
        char *src = gen_program(s);
        r.seed = current_seed = s;
        if (o.print) printf("%s", src), fflush(stdout);
        Verdict v = check_program(&r, src);
        if (v == V_REJECTED)
            fprintf(stderr, "FAIL seed %llu: the generator wrote a template sema rejects:\n%s",
                    (unsigned long long)s, src);
        if (v == V_FAILED) report(&r, src, o.save);
        failed += v != V_OK;
        free(src);
    }
    printf("test_gen: %llu programs from seed %llu, %lld program x config checks, %llu failed; "
           "%.1f s\n",
           (unsigned long long)n, (unsigned long long)o.from, (long long)r.st.checked,
           (unsigned long long)failed, check_now() - t0);
    cg_free(r.cg);
    return failed ? 1 : 0;
}
