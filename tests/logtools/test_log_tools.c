/* The log tools through the real tec (tests/logtools): --log-best keeps one verbatim record per
 * task of a log with several tasks, torn and malformed lines, and of a log whose configs were
 * re-measured (the best mean wins); --log-stats summarises each task;
 * --plot writes an SVG that parses as XML with one polyline per series and panel, one point per
 * trial from a series' first error-free one; a log --tune writes holds the kernel's FLOPs.
 * Usage: test_log_tools TEC FIXTURES WORKDIR MATMUL.te */
#include "tests/lib/testlib.h"
#include "tests/logtools/xml_check.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *tec, *fix, *work, *matmul;

/* Runs `tec ARGS` in the work directory, stdout to out.txt and stderr to err.txt; its status. */
static int run(const char *args) {
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "cd '%s' && '%s' %s >out.txt 2>err.txt", work, tec, args);
    int rc = system(cmd);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static char *work_file(const char *name) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", work, name);
    return test_text(path);
}

static bool exists(const char *name) {
    char path[4096];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", work, name);
    return stat(path, &st) == 0;
}

/* Line n (1-based) of text, in buf. */
static const char *line_of(const char *text, int n, char *buf, size_t len) {
    for (int i = 1; i < n && text; i++) text = strchr(text, '\n') ? strchr(text, '\n') + 1 : NULL;
    size_t k = text ? strcspn(text, "\n") : 0;
    snprintf(buf, len, "%.*s", (int)(k < len ? k : len - 1), text ? text : "");
    return buf;
}

static void test_best(void) {
    char a[4096], b[4096];
    CHECK_INT(run("--log-best several.log -o best.log"), 0);
    char *in = work_file("several.log"), *out = work_file("best.log"), *err = work_file("err.txt");
    /* the best record of matmul 64^3 (line 6: its tie on line 9 comes later) and of 32^3 (line
     * 10), in the order the tasks first appear; softmax has no error-free record */
    int lines = 0;
    for (const char *p = out; *p; p++) lines += *p == '\n';
    CHECK_INT(lines, 2);
    CHECK_STR(line_of(out, 1, a, sizeof a), line_of(in, 6, b, sizeof b));
    CHECK_STR(line_of(out, 2, a, sizeof a), line_of(in, 10, b, sizeof b));
    CHECK(strstr(err, "several.log:5: warning: skipping log line: not valid JSON (torn line?)"),
          "stderr: %s", err);
    CHECK(strstr(err, "several.log:11: warning: skipping log line"), "stderr: %s", err);
    CHECK(strstr(err, "1 task of 'several.log' without an error-free record left out"),
          "stderr: %s", err);
    free(out);
    free(err);

    /* the output is a log tec reads back: the best of it is the same record */
    CHECK_INT(run("--log-best best.log -o best2.log"), 0);
    out = work_file("best2.log");
    char *first = work_file("best.log");
    CHECK_STR(out, first);
    free(out);
    free(first);

    /* never over the input, never without -o, nothing written on a missing input */
    CHECK_INT(run("--log-best several.log -o ./several.log"), 1);
    err = work_file("err.txt");
    CHECK(strstr(err, "would overwrite the input log"), "stderr: %s", err);
    free(err);
    char *again = work_file("several.log");
    CHECK_STR(again, in);
    free(again);
    CHECK_INT(run("--log-best several.log"), 1);
    CHECK_INT(run("--log-best missing.log -o none.log"), 1);
    CHECK(!exists("none.log"));
    CHECK_INT(run("--log-best several.log -D N=4 -o x.log"), 1);
    err = work_file("err.txt");
    CHECK(strstr(err, "-D does nothing with --log-best"), "stderr: %s", err);
    free(err);
    free(in);
}

/* --log-stats LOG prints each of the n texts. */
static void check_stats(const char *log, const char *const *want, size_t n) {
    char args[512];
    snprintf(args, sizeof args, "--log-stats %s", log);
    CHECK_INT(run(args), 0);
    char *out = work_file("out.txt");
    for (size_t i = 0; i < n; i++) CHECK(strstr(out, want[i]), "want:\n%s\ngot:\n%s", want[i], out);
    free(out);
}

/* A log with re-measured configs (--recheck): each task's best is the config of lowest mean.
 * 64^3: config 8's lucky 1 ms lead ends with its 5 ms second trial (mean 3 ms), so config 7 (2 ms)
 * leads again and its record (line 1) is kept; 32^3: config 1 re-measured (0.5 and 0.3 ms, mean
 * 0.4) stays ahead of config 2 (0.45 ms) and its latest record (line 6) is kept. */
static void test_rechecked(void) {
    char a[4096], b[4096];
    CHECK_INT(run("--log-best rechecked.log -o rbest.log"), 0);
    char *in = work_file("rechecked.log"), *out = work_file("rbest.log");
    CHECK_STR(line_of(out, 1, a, sizeof a), line_of(in, 1, b, sizeof b));
    CHECK_STR(line_of(out, 2, a, sizeof a), line_of(in, 6, b, sizeof b));
    free(out);
    free(in);
    const char *want[] = {
        "  trials: 4 (4 error-free, 0 failed)\n"
        "  best:   0.26 GFLOPS, 2 ms\n"
        "  config: 7 [[\"tile_y\",\"sp\",[-1,4]],[\"tile_x\",\"sp\",[-1,2]]] (line 1)\n",
        "  trials: 3 (3 error-free, 0 failed)\n"
        "  best:   0.16 GFLOPS, 0.4 ms\n"
        "  config: 1 [[\"tile_y\",\"sp\",[-1,1]],[\"tile_x\",\"sp\",[-1,2]]] (line 6)\n",
    };
    check_stats("rechecked.log", want, sizeof want / sizeof *want);
}

static void test_stats(void) {
    const char *want[] = {
        "matmul [64,64,64,\"float32\"] on llvm -mcpu=znver4\n"
        "  trials: 5 (3 error-free, 2 failed)\n"
        "  best:   0.26 GFLOPS, 2 ms\n"
        "  config: 3 [[\"tile_y\",\"sp\",[-1,1]],[\"tile_x\",\"sp\",[-1,8]]] (line 6)\n"
        "  errors: WRONG_ANSWER 1 RUN_TIMEOUT 1\n",
        "matmul [32,32,32,\"float32\"] on llvm -mcpu=znver4\n"
        "  trials: 2 (2 error-free, 0 failed)\n"
        "  best:   0.13 GFLOPS, 0.5 ms\n",
        "softmax [4,8,\"float32\"] on llvm -mcpu=znver4\n"
        "  trials: 1 (0 error-free, 1 failed)\n"
        "  best:   none (no error-free record)\n"
        "  errors: RUN_TIMEOUT 1\n",
    };
    check_stats("several.log", want, sizeof want / sizeof *want);
    /* a log without FLOPs (as AutoTVM writes them): times only */
    CHECK_INT(run("--log-stats autotvm.log"), 0);
    char *out = work_file("out.txt");
    CHECK(strstr(out, "  best:   2 ms (the log holds no FLOPs: no GFLOPS)\n"), "got:\n%s", out);
    free(out);
}

/* A log tec writes records the kernel's FLOPs (2 * 16^3), so its tools give GFLOPS. */
static void test_tuned_log(void) {
    char args[4096];
    snprintf(args, sizeof args,
             "--tune '%s' -D N=16 -D L=16 -D M=16 --trials 3 -j 1 --log tuned.log -o tuned.o",
             matmul);
    CHECK_INT(run(args), 0);
    char *log = work_file("tuned.log");
    CHECK(strstr(log, ",\"flop\":8192"), "no flop 8192 in: %s", log);
    free(log);
    CHECK_INT(run("--log-stats tuned.log"), 0);
    char *out = work_file("out.txt");
    CHECK(strstr(out, "  trials: 3 (3 error-free, 0 failed)\n  best:   ") &&
              strstr(out, " GFLOPS, "),
          "got:\n%s", out);
    free(out);
}

/* Parses the SVG: well-formed, an <svg> root whose <title> is title, and in each of the two
 * panels one polyline per series with points[k] points. Returns the y axis label seen. */
static void check_svg(const char *name, const char *title, const long *points, int nseries,
                      const char *ylabel) {
    char *text = work_file(name), err[256];
    XmlDoc d;
    bool ok = xml_parse(text, &d, err, sizeof err);
    CHECK(ok, "%s is not well-formed XML: %s", name, err);
    if (!ok) {
        xml_free(&d);
        free(text);
        return;
    }
    CHECK_STR(d.el[0].name, "svg");
    CHECK_STR(xml_attr(&d, 0, "xmlns") ? xml_attr(&d, 0, "xmlns") : "",
              "http://www.w3.org/2000/svg");
    int panels = 0, legends = 0;
    bool titled = false, labelled = false;
    for (int i = 0; i < d.n; i++) {
        const XmlElem *e = &d.el[i];
        if (!strcmp(e->name, "title") && e->parent == 0) titled = !strcmp(e->text, title);
        if (!strcmp(e->name, "text") && e->text && !strcmp(e->text, ylabel)) labelled = true;
        const char *cls = xml_attr(&d, i, "class");
        if (cls && !strcmp(cls, "legend"))
            for (int k = i + 1; k < d.n; k++)
                legends += d.el[k].parent == i && !strcmp(d.el[k].name, "text");
        if (!cls || strcmp(cls, "panel")) continue;
        panels++;
        int seen = 0;
        for (int k = i + 1; k < d.n; k++) {
            const char *kc = xml_attr(&d, k, "class");
            if (d.el[k].parent != i || strcmp(d.el[k].name, "polyline") || !kc ||
                strcmp(kc, "series"))
                continue;
            const char *pts = xml_attr(&d, k, "points");
            long n = 0;
            for (const char *p = pts; p && *p; p++) n += *p == ',';
            CHECK(seen < nseries, "%s: more polylines than series", name);
            if (seen < nseries) CHECK_INT(n, points[seen]);
            seen++;
        }
        CHECK_INT(seen, nseries);
    }
    CHECK_INT(panels, 2);
    CHECK_INT(legends, nseries);
    CHECK(titled, "%s: no <title>%s</title>", name, title);
    CHECK(labelled, "%s: no axis label '%s'", name, ylabel);
    xml_free(&d);
    free(text);
}

/* The checker itself: what is not XML fails it. */
static void test_xml_check(void) {
    const char *bad[] = {"<svg><g></svg>",
                         "<svg a=1/>",
                         "<svg>&foo;</svg>",
                         "<svg/><x/>",
                         "<svg a=\"<\"/>",
                         "<svg a=\"1\" a=\"2\"/>",
                         "<svg>",
                         "text"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        XmlDoc d;
        char err[256];
        CHECK(!xml_parse(bad[i], &d, err, sizeof err), "accepted: %s", bad[i]);
        xml_free(&d);
    }
    XmlDoc d;
    char err[256];
    CHECK(xml_parse("<?xml version=\"1.0\"?>\n<svg x='1'><!-- c --><t>a &amp; b</t></svg>\n", &d,
                    err, sizeof err),
          "%s", err);
    CHECK(d.n == 2 && !strcmp(d.el[1].text, "a & b"));
    xml_free(&d);
}

static void test_plot(void) {
    const char *gf = "best GFLOPS so far", *ms = "best time so far (ms)";
    /* one log, one task */
    CHECK_INT(run("--plot second.log -o one.svg"), 0);
    check_svg("one.svg", "matmul [64,64,64,\"float32\"] on llvm -mcpu=znver4", (long[]){2}, 1, gf);
    /* one log of three tasks: softmax has no error-free record and is left out with a warning */
    CHECK_INT(run("--plot several.log -o several.svg"), 0);
    check_svg("several.svg", "tuning curves on llvm -mcpu=znver4", (long[]){5, 2}, 2, gf);
    char *err = work_file("err.txt");
    CHECK(strstr(err, "softmax [4,8,\"float32\"] on llvm -mcpu=znver4 has no error-free record"),
          "stderr: %s", err);
    free(err);
    /* several logs; one without FLOPs turns the y axis into times */
    CHECK_INT(run("--plot several.log second.log -o two.svg"), 0);
    check_svg("two.svg", "tuning curves on llvm -mcpu=znver4", (long[]){5, 2, 2}, 3, gf);
    CHECK_INT(run("--plot second.log autotvm.log -o mixed.svg"), 0);
    check_svg("mixed.svg", "tuning curves on llvm -mcpu=znver4", (long[]){2, 3}, 2, ms);
    /* errors: no output written */
    CHECK_INT(run("--plot second.log -o second.log"), 1);
    CHECK_INT(run("--plot missing.log -o m.svg"), 1);
    CHECK(!exists("m.svg"));
    CHECK_INT(run("--plot second.log -o no/such/dir.svg"), 1);
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: test_log_tools TEC FIXTURES WORKDIR MATMUL.te\n");
        return 2;
    }
    tec = argv[1], fix = argv[2], work = argv[3], matmul = argv[4];
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "cp '%s'/*.log '%s'", fix, work);
    if (!test_fresh_dir(work) || system(cmd) != 0) {
        fprintf(stderr, "cannot prepare %s\n", work);
        return 1;
    }
    test_xml_check();
    test_best();
    test_stats();
    test_rechecked();
    test_plot();
    test_tuned_log();
    return test_report("logtools");
}
