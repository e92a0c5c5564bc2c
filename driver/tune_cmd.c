/* The bridge from the command line to the tuner: takes the Options; gives --tune (Options ->
 * SessionOptions -> session_run) and --log FILE outside --tune (the best record of this
 * template, args and target). */
#include "driver/tune_cmd.h"
#include "tuner/log.h"
#include "tuner/session.h"
#include <stdio.h>
#include <string.h>

/* The log's target string for this target: needs the CPU name the compiler would use. */
bool tune_cmd_target_string(char *buf, size_t n, const char *triple, const char *cpu) {
    CgTarget t = {.triple = triple, .cpu = cpu};
    char err[512] = "";
    Cg *cg = cg_new(&t, err, sizeof err);
    if (!cg) {
        fprintf(stderr, "tec: error: %s\n", err);
        return false;
    }
    log_target_string(buf, n, triple, cg_cpu(cg));
    cg_free(cg);
    return true;
}

BestFromLog tune_cmd_best_from_log(const char *log, const Inst *in, const Space *space,
                                   const char *triple, const char *cpu, int64_t *index) {
    char target[256], err[512] = "";
    if (!tune_cmd_target_string(target, sizeof target, triple, cpu)) return BEST_ERROR;
    LogTask *task = log_task_new(target, in, in->nknobs > 0 ? space : NULL);
    double cost;
    bool ok = log_best(log, task, index, &cost, stderr, err, sizeof err);
    log_task_free(task);
    if (ok) return BEST_FOUND;
    if (err[0]) { /* unreadable: --fallback does not apply */
        fprintf(stderr, "tec: error: %s\n", err);
        return BEST_ERROR;
    }
    fprintf(stderr,
            "tec: error: '%s' has no error-free record of %s with these parameters for target "
            "'%s'\n",
            log, in->name, target);
    return BEST_NONE;
}

bool tune_cmd_check(const Options *cli) {
    if (cli->repeat > LOG_MAX_COSTS) {
        fprintf(stderr, "tec: error: --repeat is at most %d\n", LOG_MAX_COSTS);
        return false;
    }
    if (cli->triple && !cg_runs_on_host(cli->triple)) {
        /* Tuning runs every kernel here: a foreign target would fail every trial. */
        char host[256];
        cg_host_triple(host, sizeof host);
        fprintf(stderr,
                "tec: error: --tune runs the kernels on this machine (%s); --target %s "
                "cannot run here\n",
                host, cli->triple);
        return false;
    }
    return true;
}

int tune_cmd_run(const Options *cli, const Inst *in, const Space *space, const char *src,
                 size_t srclen) {
    if (!tune_cmd_check(cli)) return 1;
    char log[4096], out[4096];
    snprintf(log, sizeof log, "%s", cli->log ? cli->log : "");
    if (!cli->log) snprintf(log, sizeof log, "%s.log", in->name);
    snprintf(out, sizeof out, "%s", cli->out ? cli->out : "");
    if (!cli->out) snprintf(out, sizeof out, "%s.o", in->name);
    SessionOptions o;
    session_options_default(&o);
    o.in = in;
    o.sp = space;
    o.src_path = cli->file;
    o.src = src;
    o.srclen = srclen;
    o.target = (CgTarget){.triple = cli->triple, .cpu = cli->cpu};
    if (cli->tuner) o.tuner = cli->tuner;
    if (cli->features) feature_kind_parse(cli->features, &o.features);
    o.transfer = cli->transfer;
    o.ntransfer = cli->ntransfer;
    if (cli->cut_slow_given) o.cut_slow = cli->cut_slow;
    if (cli->recheck_given) o.recheck = cli->recheck;
    o.trials = cli->trials;
    o.early_stopping = cli->early_stopping;
    o.seed = cli->seed;
    if (cli->number) o.number = cli->number;
    if (cli->repeat) o.repeat = cli->repeat;
    o.min_repeat_ms = cli->min_repeat_ms;
    if (cli->timeout > 0) o.timeout = cli->timeout;
    if (cli->build_timeout > 0) o.build_timeout = cli->build_timeout;
    o.flush_cache = cli->flush_cache;
    o.jobs = cli->jobs;
    o.log_path = log;
    o.resume = cli->resume;
    o.out_path = out;
    SessionSummary sum;
    return session_run(&o, &sum);
}
