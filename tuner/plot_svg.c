/* Draws tuning curves as SVG text with fprintf: takes series (a task's trials from a log) and a
 * title; gives an SVG with a panel by trial number and a panel by wall time, each polyline the
 * best-so-far value after every trial. No plotting library: the drawing is lines and text. */
#include "tuner/plot_svg.h"
#include "compiler/out_file.h"
#include "lang/xalloc.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { WIDTH = 820, LEFT = 80, RIGHT = 30, TOP = 56, PANEL_H = 260, PANEL_GAP = 80, ROW = 20 };
static const char *const colors[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e",
                                     "#9467bd", "#8c564b", "#e377c2", "#17becf"};

/* Text content or an attribute value, escaped. */
static void put_xml(FILE *f, const char *s) {
    for (; *s; s++) {
        const char *ref = *s == '&'   ? "&amp;"
                          : *s == '<' ? "&lt;"
                          : *s == '>' ? "&gt;"
                          : *s == '"' ? "&quot;"
                                      : NULL;
        if (ref)
            fputs(ref, f);
        else /* control bytes are not XML 1.0, and a hand-edited log's bytes need not be UTF-8:
              * tec's names and targets are ASCII, anything else becomes '?' */
            fputc((unsigned char)*s < 0x20 ? ' ' : (unsigned char)*s >= 0x80 ? '?' : *s, f);
    }
}

long plot_series_points(const LogTaskSummary *t) {
    for (long i = 0; i < t->ntrials; i++)
        if (t->trials[i].error_no == ERR_NONE) return t->ntrials - i;
    return 0;
}

/* The panel's x for trial i: its number, or seconds since the series started. */
static double trial_x(const LogTaskSummary *t, long i, bool by_time) {
    if (!by_time) return (double)(i + 1);
    double start = t->trials[0].timestamp - fmax(t->trials[0].all_cost, 0);
    return fmax(t->trials[i].timestamp - start, 0);
}

/* The y of a best cost: GFLOPS, or milliseconds when the log holds no FLOPs. */
static double cost_y(const LogTaskSummary *t, double cost, bool gflops) {
    return gflops ? log_task_gflops(t, cost) : cost * 1e3;
}

/* A step of 1, 2 or 5 times a power of ten giving about five ticks over span. */
static double tick_step(double span) {
    double raw = span / 5, p = pow(10, floor(log10(raw))), m = raw / p;
    return p * (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10);
}

typedef struct PlotAxis {
    double lo, hi, step;
} PlotAxis;

/* An axis from 0 (or lo) to past hi, its ends on ticks. */
static PlotAxis nice_axis(double lo, double hi) {
    if (!(hi > lo)) hi = lo + 1;
    PlotAxis a = {.step = tick_step(hi - lo)};
    a.lo = floor(lo / a.step) * a.step;
    a.hi = ceil(hi / a.step) * a.step;
    return a;
}

typedef struct Panel {
    double top;
    PlotAxis x, y;
} Panel;

static double px(const Panel *p, double x) {
    return LEFT + (x - p->x.lo) / (p->x.hi - p->x.lo) * (WIDTH - LEFT - RIGHT);
}
static double py(const Panel *p, double y) {
    return p->top + PANEL_H - (y - p->y.lo) / (p->y.hi - p->y.lo) * PANEL_H;
}

static void draw_axes(FILE *f, const Panel *p, const char *xlabel, const char *ylabel) {
    double right = WIDTH - RIGHT, bottom = p->top + PANEL_H;
    fprintf(f, "<g class=\"axes\" font-size=\"12\" fill=\"#333\">\n");
    for (int i = 0;; i++) { /* x ticks */
        double v = p->x.lo + i * p->x.step;
        if (v > p->x.hi + p->x.step * 1e-6) break;
        fprintf(f,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#333\"/>"
                "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%g</text>\n",
                px(p, v), bottom, px(p, v), bottom + 5, px(p, v), bottom + 19, v);
    }
    for (int i = 0;; i++) { /* y ticks with grid lines */
        double v = p->y.lo + i * p->y.step;
        if (v > p->y.hi + p->y.step * 1e-6) break;
        fprintf(f,
                "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%g</text>\n",
                LEFT, py(p, v), right, py(p, v), LEFT - 6, py(p, v) + 4, v);
    }
    fprintf(f,
            "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#333\"/>\n"
            "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>\n"
            "<text transform=\"translate(%d %.1f) rotate(-90)\" text-anchor=\"middle\">%s</text>\n"
            "</g>\n",
            LEFT, p->top, WIDTH - LEFT - RIGHT, PANEL_H, (LEFT + right) / 2, bottom + 38, xlabel,
            LEFT - 52, p->top + PANEL_H / 2.0, ylabel);
}

/* One panel: axes fitted to every series, then a polyline per series. */
static void draw_panel(FILE *f, double top, const PlotSeries *s, int n, bool by_time, bool gflops) {
    double xmax = 0, ymax = 0;
    for (int k = 0; k < n; k++) {
        const LogTaskSummary *t = s[k].task;
        for (long i = 0; i < t->ntrials; i++) /* timestamps of resumed runs need not grow */
            xmax = fmax(xmax, trial_x(t, i, by_time));
        ymax = fmax(ymax, cost_y(t, t->best_cost, gflops));
        if (!gflops) /* times fall: the first error-free one is the largest */
            ymax = fmax(ymax, cost_y(t, t->trials[t->ntrials - plot_series_points(t)].cost, false));
    }
    Panel p = {.top = top,
               .x = nice_axis(by_time ? 0 : 1, xmax),
               .y = nice_axis(0, ymax > 0 ? ymax * 1.05 : 1)};
    const char *what = gflops ? "best GFLOPS so far" : "best time so far (ms)";
    fprintf(f, "<g class=\"panel\" id=\"%s\">\n", by_time ? "by-time" : "by-trial");
    draw_axes(f, &p, by_time ? "wall time (s)" : "trial", what);
    for (int k = 0; k < n; k++) {
        const LogTaskSummary *t = s[k].task;
        long first = t->ntrials - plot_series_points(t);
        double best = LOG_ERROR_COST;
        fprintf(f,
                "<polyline class=\"series\" data-series=\"%d\" fill=\"none\" stroke=\"%s\" "
                "stroke-width=\"1.5\" points=\"",
                k, colors[k % (int)(sizeof colors / sizeof *colors)]);
        for (long i = first; i < t->ntrials; i++) {
            if (t->trials[i].error_no == ERR_NONE) best = fmin(best, t->trials[i].cost);
            fprintf(f, "%s%.2f,%.2f", i > first ? " " : "", px(&p, trial_x(t, i, by_time)),
                    py(&p, cost_y(t, best, gflops)));
        }
        fputs("\"/>\n", f);
    }
    fputs("</g>\n", f);
}

bool plot_svg_write(const char *out, const char *title, const PlotSeries *s, int n, char *err,
                    size_t errlen) {
    bool gflops = true;
    for (int k = 0; k < n; k++) gflops = gflops && s[k].task->flop > 0;
    int legend_top = TOP + 2 * (PANEL_H + PANEL_GAP);
    int height = legend_top + n * ROW + 16;
    OutFile f;
    if (!out_file_open(&f, out, err, errlen)) return false;
    fprintf(f.f,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
            "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\">\n<title>",
            WIDTH, height, WIDTH, height);
    put_xml(f.f, title);
    fprintf(f.f,
            "</title>\n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n"
            "<text x=\"%d\" y=\"28\" font-size=\"15\" font-weight=\"bold\" "
            "text-anchor=\"middle\">",
            WIDTH / 2);
    put_xml(f.f, title);
    fputs("</text>\n", f.f);
    draw_panel(f.f, TOP, s, n, false, gflops);
    draw_panel(f.f, TOP + PANEL_H + PANEL_GAP, s, n, true, gflops);
    fputs("<g class=\"legend\" font-size=\"12\">\n", f.f);
    for (int k = 0; k < n; k++) {
        int y = legend_top + k * ROW;
        fprintf(f.f,
                "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"3\"/>"
                "<text x=\"%d\" y=\"%d\">",
                LEFT, y, LEFT + 24, y, colors[k % (int)(sizeof colors / sizeof *colors)], LEFT + 32,
                y + 4);
        put_xml(f.f, s[k].label);
        fputs("</text>\n", f.f);
    }
    fputs("</g>\n</svg>\n", f.f);
    return out_file_commit(&f, err, errlen);
}
