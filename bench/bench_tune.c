/* Tuning throughput: runs the tuning loop on a template (default: the tutorial matmul at 512^3,
 * --number 1 --repeat 1) and reports trials per second and the overhead per trial (time between
 * trial completions minus the timed kernel calls), median and mean. Target: median < 50 ms.
 * Usage: bench_tune FILE.te [SIZE=512] [TRIALS=40] [JOBS=0 (cores)]
 * e.g.   bench_tune examples/matmul.te 512 40 */
#include "tuner/session.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: bench_tune FILE.te [SIZE] [TRIALS] [JOBS]\n");
        return 2;
    }
    const char *size = argc > 2 ? argv[2] : "512";
    int64_t trials = argc > 3 ? atoll(argv[3]) : 40;
    int jobs = argc > 4 ? atoi(argv[4]) : 0;
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 1;
    }
    static char src[1 << 16];
    size_t n = fread(src, 1, sizeof src - 1, f);
    fclose(f);
    Arena *a = arena_new();
    Diag d;
    diag_init(&d, argv[1], src, n);
    Program *p = parse_program(a, &d, src, n);
    Define defs[] = {{"N", size}, {"L", size}, {"M", size}};
    Inst *in = p ? sema_bind(a, &d, p, NULL, defs, 3) : NULL;
    Space *sp = in ? space_new(a, &d, in) : NULL;
    if (!sp) return 1;
    char log[] = "/tmp/bench_tune_XXXXXX";
    int fd = mkstemp(log);
    if (fd < 0) return 1;
    close(fd);
    SessionOptions o;
    session_options_default(&o);
    o.in = in;
    o.sp = sp;
    o.src_path = argv[1];
    o.src = src;
    o.srclen = n;
    o.trials = trials;
    o.number = 1;
    o.repeat = 1;
    o.jobs = jobs;
    o.log_path = log;
    o.progress = SESSION_PROGRESS_QUIET;
    o.out = stderr;
    SessionSummary s;
    int rc = session_run(&o, &s);
    unlink(log);
    int64_t measured = s.trials - s.resumed;
    printf("bench_tune %s %s^3: %lld trials in %.2f s = %.1f trials/s; timed kernels %.2f s; "
           "overhead per trial: median %.1f ms, mean %.1f ms\n",
           in->name, size, (long long)measured, s.wall, measured / s.wall, s.timed_total,
           s.overhead_median * 1e3,
           measured ? (s.wall - s.timed_total) / (double)measured * 1e3 : 0.0);
    printf("  overhead per trial without the warm-up call: median %.1f ms\n",
           s.overhead_median_ex_warmup * 1e3);
    if (measured)
        printf("  per trial (means): build %.1f ms (on -j workers, overlapped), JIT load %.1f ms, "
               "warm-up call %.1f ms, timed calls %.1f ms\n",
               s.build_total / (double)measured * 1e3, s.load_total / (double)measured * 1e3,
               s.warmup_total / (double)measured * 1e3, s.timed_total / (double)measured * 1e3);
    arena_free(a);
    return rc;
}
