/* The bridge from the command line to the tuner: --tune, and --log FILE in build mode.
 * (The tuner lands on branch tune, which replaces this file with the real bridge.) */
#include "driver/run.h"

bool driver_best_from_log(const char *log, const Inst *in, const char *triple, const char *cpu,
                          int64_t *index) {
    (void)triple, (void)cpu, (void)index;
    fprintf(stderr, "tec: error: reading '%s' for %s needs the tuner, not built yet\n", log,
            in->name);
    return false;
}

int driver_tune(const TuneCli *cli, const Inst *in, const Space *space) {
    (void)cli, (void)space;
    fprintf(stderr, "tec: error: tuning %s needs the tuner, not built yet\n", in->name);
    return 1;
}
