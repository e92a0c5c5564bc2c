/* Which config a log (or a run) picks: takes each error-free trial's config and mean cost; gives
 * the config with the lowest mean over its trials. A config measured more than once (`--recheck`
 * re-measures each new best, docs/tuning.md) is worth that mean, not its luckiest trial. */
#ifndef TEC_LOG_PICK_H
#define TEC_LOG_PICK_H
#include <stdbool.h>
#include <stdint.h>

typedef struct LogPick LogPick;
LogPick *log_pick_new(void);
void log_pick_free(LogPick *p);
/* One error-free trial of config index. Returns how many trials the config now has. */
int log_pick_add(LogPick *p, int64_t index, double cost);
/* The config with the lowest mean cost (of equal means, the one first measured); false if no
 * trial was added. */
bool log_pick_best(const LogPick *p, int64_t *index, double *mean_cost);
#endif
