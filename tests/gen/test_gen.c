/* The random program generator's driver: each seed's template is bound, its space built, and
 * config 0, the last and a few random ones compiled and checked against the reference evaluator,
 * in a child process per program and per reduction attempt (a crash or hang in JIT code is a
 * failure of that program). A failure prints the seed and a reduced template, saved to --save DIR.
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
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

/* V_CRASHED: the child checking the program died of a signal (SIGALRM: a config hung). */
typedef enum Verdict { V_OK, V_REJECTED, V_FAILED, V_CRASHED } Verdict;
typedef struct Run {
    Cg *cg;
    uint64_t seed;
    int nconfigs;
    bool quiet; /* while reducing: errors and FAIL lines go nowhere */
    Stats *st;  /* shared with the children, which do the checking */
    int sig;    /* V_CRASHED: the signal */
} Run;

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
        r->st->checked++;
        if (!check_config(r->cg, b, in->nknobs ? &cfg : NULL, desc, i & 1, r->st)) ok = false;
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

/* check_program in a child process, so a crash (SIGSEGV, SIGILL in JIT code, an abort) or a
 * hang (the 60 s alarm per config) is this program's failure, not the end of the run. The parent
 * never runs a kernel: libgomp does not survive a fork once it has started its threads. */
static Verdict check_forked(Run *r, const char *src) {
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        perror("test_gen: fork");
        exit(1);
    }
    if (pid == 0) {
        _exit((int)check_program(r, src)); /* default signal actions: a crash kills the child */
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        ;
    if (WIFEXITED(status) && WEXITSTATUS(status) <= V_FAILED) return (Verdict)WEXITSTATUS(status);
    r->sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    return V_CRASHED;
}

/* Any failure counts while reducing, a crash too: a reducer that keeps only the same kind of
 * failure would need the kind compared; deleting lines rarely turns one failure into another. */
static bool still_fails(const char *src, void *ctx) {
    Verdict v = check_forked(ctx, src);
    return v == V_FAILED || v == V_CRASHED;
}

/* Reduces a failing program and saves it as DIR/gen_SEED.te. */
static void report(Run *r, const char *src, const char *dir) {
    static Stats *scratch; /* reduction attempts are not counted as checks */
    if (!scratch)
        scratch =
            mmap(NULL, sizeof *scratch, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    Run q = *r;
    q.quiet = true;
    q.st = scratch;
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
    char err[512];
    Stats *st = mmap(NULL, sizeof *st, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (st == MAP_FAILED) return perror("test_gen: mmap"), 1;
    *st = (Stats){0};
    Run r = {.cg = cg_new(NULL, err, sizeof err), .nconfigs = o.configs, .st = st};
    if (!r.cg) return fprintf(stderr, "cg_new: %s\n", err), 1;
    double t0 = check_now();
    uint64_t n = 0, failed = 0;
    for (uint64_t s = o.from; n < o.seeds; s++, n++) {
        if (o.minutes > 0 && check_now() - t0 > o.minutes * 60) break;
        char *src = gen_program(s);
        r.seed = s;
        if (o.print) printf("%s", src), fflush(stdout);
        Verdict v = check_forked(&r, src);
        if (v == V_REJECTED)
            fprintf(stderr, "FAIL seed %llu: the generator wrote a template sema rejects:\n%s",
                    (unsigned long long)s, src);
        if (v == V_CRASHED)
            fprintf(stderr, "FAIL seed %llu: %s (signal %d, %s)\n", (unsigned long long)s,
                    r.sig == SIGALRM ? "a config timed out" : "crashed", r.sig, strsignal(r.sig));
        if (v == V_FAILED || v == V_CRASHED) report(&r, src, o.save);
        failed += v != V_OK;
        free(src);
    }
    printf("test_gen: %llu programs from seed %llu, %lld program x config checks, %llu failed; "
           "%.1f s\n",
           (unsigned long long)n, (unsigned long long)o.from, (long long)r.st->checked,
           (unsigned long long)failed, check_now() - t0);
    cg_free(r.cg);
    return failed ? 1 : 0;
}
