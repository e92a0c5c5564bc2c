/* Tuning curves as a plain SVG file (`tec --plot`): takes tasks read from logs (log_tools.h);
 * gives one SVG with two panels, best-so-far against trial number and against wall time, one
 * polyline per series, axes with ticks and labels, a title and a legend. */
#ifndef TEC_PLOT_SVG_H
#define TEC_PLOT_SVG_H
#include "tuner/log_tools.h"

/* One curve: a task's trials in one log (it must have an error-free one), and its label. */
typedef struct PlotSeries {
    const char *label;
    const LogTaskSummary *task;
} PlotSeries;

/* The number of points of a series' polylines: its trials from the first error-free one on. */
long plot_series_points(const LogTaskSummary *t);

/* Writes the SVG whole to out (compiler/out_file.c). The y axis is best-so-far GFLOPS when every
 * series' log holds FLOPs, else best-so-far time in ms. False with err set on a write error. */
bool plot_svg_write(const char *out, const char *title, const PlotSeries *series, int n, char *err,
                    size_t errlen);
#endif
