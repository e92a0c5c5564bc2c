/* The driver's bridge to the tuner: `tec --tune` (Options -> SessionOptions -> session_run) and
 * `--log FILE` outside --tune (the best record of a tuning log). */
#ifndef TEC_TUNE_CMD_H
#define TEC_TUNE_CMD_H
#include "driver/options.h"
#include "tuner/space.h"

/* --tune: runs the tuning session, writes the best kernel. src is the .te text (for located
 * lowering errors of a config). Returns the exit status. */
int tune_cmd_run(const Options *o, const Inst *in, const Space *space, const char *src,
                 size_t srclen);
/* The checks of --tune's options every tuning run makes (--repeat, --target runs here); false
 * after a message. */
bool tune_cmd_check(const Options *o);
/* The log's target string for a triple and CPU (NULL: the host's), as the compiler names them;
 * false after a message when no code generator can be made for them. */
bool tune_cmd_target_string(char *buf, size_t n, const char *triple, const char *cpu);
/* --log FILE outside --tune: the best record's config index (lowest mean cost among error-free
 * records of this template, args and target whose entity matches this space). Otherwise a
 * message, and BEST_NONE (readable, no such record: --fallback may go on) or BEST_ERROR. */
typedef enum BestFromLog { BEST_FOUND, BEST_NONE, BEST_ERROR } BestFromLog;
BestFromLog tune_cmd_best_from_log(const char *log, const Inst *in, const Space *space,
                                   const char *triple, const char *cpu, int64_t *index);
#endif
