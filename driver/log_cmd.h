/* The log tools of the command line: takes the Options of --log-best, --log-stats or --plot;
 * reads their logs (tuner/log_tools.h) and gives a new log, a summary or an SVG. */
#ifndef TEC_LOG_CMD_H
#define TEC_LOG_CMD_H
#include "driver/options.h"

/* Runs the log tool o->mode names; returns the exit status. */
int log_cmd_run(const Options *o);
#endif
