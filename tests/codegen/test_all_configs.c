/* Every config of a template's space (or every STRIDE-th), lowered with IR verification,
 * compiled, JIT-run on random inputs and compared with the reference evaluator.
 * Usage: test_all_configs FILE.te [-D NAME=VALUE]... [-t TEMPLATE] [--stride S] [--len N]
 *        [--timeout SECONDS]
 * A config fails if it does not lower, compile or match, or if it runs past --timeout (default
 * 60 s: a hang guard; how long builds take is measured by bench/, not checked here). Prints a
 * summary with the slowest build; exits 1 naming the config index and entity of any failure. */
#include "compiler/codegen.h"
#include "compiler/lower.h"
#include "lang/eval.h"
#include "tests/lib/kernel_check.h"
#include "tests/lib/testlib.h"
#include "tuner/space.h"
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

/* The config being checked, for the crash/timeout handler only: a signal handler has no other
 * way to reach it. */
static const char *volatile current_desc;

static void on_fatal(int sig) {
    const char *d = current_desc ? current_desc : "(setup)";
    const char *what = sig == SIGALRM ? ": timed out\n" : ": crashed with a signal\n";
    if (write(2, "FAIL ", 5) < 0 || write(2, d, strlen(d)) < 0 || write(2, what, strlen(what)) < 0)
        _exit(1);
    _exit(1);
}

static int usage(void) {
    fprintf(stderr, "usage: test_all_configs FILE.te [-D NAME=VALUE]... [-t TEMPLATE] "
                    "[--stride S] [--len N] [--timeout SECONDS]\n");
    return 2;
}

typedef struct Opts {
    const char *path, *tname;
    Define defs[32];
    int nd;
    int64_t stride, want_len;
    unsigned timeout;
} Opts;

static bool parse_opts(Opts *o, int argc, char **argv) {
    *o = (Opts){.stride = 1, .want_len = -1, .timeout = 60};
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        if (!strcmp(s, "-D") && i + 1 < argc && o->nd < 32) {
            char *eq = strchr(argv[++i], '=');
            if (!eq) return false;
            *eq = 0;
            o->defs[o->nd++] = (Define){argv[i], eq + 1};
        } else if (!strcmp(s, "-t") && i + 1 < argc) {
            o->tname = argv[++i];
        } else if (!strcmp(s, "--stride") && i + 1 < argc) {
            o->stride = atoll(argv[++i]);
        } else if (!strcmp(s, "--len") && i + 1 < argc) {
            o->want_len = atoll(argv[++i]);
        } else if (!strcmp(s, "--timeout") && i + 1 < argc) {
            o->timeout = (unsigned)atoi(argv[++i]);
        } else if (s[0] != '-' && !o->path) {
            o->path = s;
        } else {
            return false;
        }
    }
    return o->path && o->stride >= 1;
}

/* Every stride-th index, and the last one so both ends of every knob's range are reached. */
static void check_space(Cg *cg, Bufs *b, Space *sp, const Opts *o, Arena *a, Stats *st) {
    const Inst *in = b->in;
    int64_t n = space_len(sp);
    Config cfg = {.nknobs = in->nknobs,
                  .vals = ARENA_ARRAY(a, KnobVal, in->nknobs ? in->nknobs : 1)};
    for (int64_t idx = 0;; idx = idx + o->stride < n ? idx + o->stride : n - 1) {
        Arena *ta = arena_new();
        if (!space_get(sp, idx, &cfg)) {
            fprintf(stderr, "FAIL %s config %lld: not in the space\n", in->name, (long long)idx);
            st->bad++;
            arena_free(ta);
            continue;
        }
        char *desc = in->nknobs ? arena_printf(ta, "%s config %lld %s", in->name, (long long)idx,
                                               space_entity_str(ta, sp, &cfg))
                                : arena_printf(ta, "%s", in->name);
        current_desc = desc;
        alarm(o->timeout);
        st->checked++;
        if (!check_config(cg, b, in->nknobs ? &cfg : NULL, desc, (int)(st->checked & 1), st))
            st->bad++;
        alarm(0);
        current_desc = NULL;
        arena_free(ta);
        if (idx == n - 1) break;
    }
}

int main(int argc, char **argv) {
    Opts o;
    if (!parse_opts(&o, argc, argv)) return usage();
    struct sigaction sa = {.sa_handler = on_fatal};
    sigemptyset(&sa.sa_mask);
    int sigs[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGALRM};
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) sigaction(sigs[i], &sa, NULL);

    Arena *a = arena_new();
    Diag d;
    Inst *in = test_bind_file(a, &d, o.path, o.tname, o.defs, o.nd);
    Space *sp = in ? space_new(a, &d, in) : NULL;
    if (!sp) return 1;
    int64_t n = space_len(sp);
    if (o.want_len >= 0 && n != o.want_len) {
        fprintf(stderr, "FAIL %s: space length %lld, expected %lld\n", in->name, (long long)n,
                (long long)o.want_len);
        return 1;
    }
    char err[512];
    Cg *cg = cg_new(NULL, err, sizeof err);
    if (!cg) {
        fprintf(stderr, "cg_new: %s\n", err);
        return 1;
    }
    Bufs b;
    alarm(o.timeout);
    if (!bufs_new(&b, in)) {
        fprintf(stderr, "FAIL %s: could not allocate the buffers or compute the reference\n",
                in->name);
        return 1;
    }
    Stats st = {0};
    double t0 = check_now();
    check_space(cg, &b, sp, &o, a, &st);
    printf("%s: %lld of %lld configs checked (stride %lld), %lld failed; %.1f s "
           "(lower %.1f, compile %.1f, run %.1f; slowest build %.2f s, config %lld)\n",
           in->name, (long long)st.checked, (long long)n, (long long)o.stride, (long long)st.bad,
           check_now() - t0, st.t_lower, st.t_compile, st.t_run, st.max_compile,
           (long long)st.slowest);
    bufs_free(&b);
    cg_free(cg);
    arena_free(a);
    return st.bad ? 1 : 0;
}
