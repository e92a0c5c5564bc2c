/* tec's command line: the usage text and one table of options, each with how it is read and
 * the modes that read it; an option given in a mode that ignores it is an error naming it. */
#include "driver/die.h"
#include "driver/help_man.h"
#include "driver/options.h"
#include "driver/task_file.h"
#include "compiler/lower.h"
#include "lang/xalloc.h"
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: tec [options] FILE.te\n"
    "       tec [--tune] [options] TASKS.txt (tune a task list: one FILE.te [-t NAME]\n"
    "                                       [-D K=V]... [--weight W] per line, "
    "docs/distributed.md)\n"
    "       tec --log-best LOG -o OUT | --log-stats LOG... | --plot LOG... -o OUT.svg\n"
    "\n"
    "modes:\n"
    "  (default)            compile one config to an object file and a C header\n"
    "  --check              check the template and print the bound instance\n"
    "  --space              print the config space (with --config I: print config I)\n"
    "  --run                compile in process, run on random inputs, check against the\n"
    "                       reference evaluator, print the median time and GFLOPS\n"
    "  --tune               tune: measure configs, log every trial, emit the best kernel\n"
    "  --log-best           write the best record of each task of a log to -o (a new log)\n"
    "  --log-stats          print each task of the logs: trials, best GFLOPS and its config,\n"
    "                       errors by kind\n"
    "  --plot               draw the logs' tuning curves (best so far by trial and by wall\n"
    "                       time) as an SVG file, -o\n"
    "\n"
    "options (an option given in a mode that does not read it is an error):\n"
    "  -D NAME=VALUE        bind a template parameter (an integer or a dtype)\n"
    "  -t NAME              the template to use when the file holds several\n"
    "  -o OUT               output file (default NAME.o, NAME.s, NAME.ll; --emit loops: stdout;\n"
    "                       --tune: the best kernel, default NAME.o; --log-best, --plot:\n"
    "                       the output, required)\n"
    "  --emit KIND          obj (default), asm, llvm or loops (default mode only)\n"
    "  --config I           use config index I of the space (default 0; not with --tune)\n"
    "  --log FILE           use the best record of a tuning log (default mode, --run);\n"
    "                       --tune: the tuning log (default NAME.log)\n"
    "  --fallback           with --log: use config 0 when the log has no matching record\n"
    "  --target TRIPLE      target triple (default: the host)\n"
    "  --mcpu CPU           target CPU (default: the host CPU)\n"
    "  --repeat N           --run: timed runs (default 10); --tune: timed repeats per config\n"
    "                       (default 3)\n"
    "  --verify-ir          verify the IR after every lowering pass (default mode, --run)\n"
    "  --dump-after PASS    print the IR after lowering pass PASS to stderr (default mode, --run)\n"
    "\n"
    "tuning options (--tune only):\n"
    "  --tuner NAME         random (default), grid, ga or xgb\n"
    "  --features KIND      xgb's cost model reads itervar (default: loop nest features),\n"
    "                       curve (their fixed-length summary) or knob (the knob values)\n"
    "  --transfer LOG       xgb: train first on this earlier log's records of the template\n"
    "                       (any args; repeat the option for more logs) and try its best\n"
    "                       configs that are configs here first\n"
    "  --cut-slow F         stop timing a config whose warm-up call is F times slower than\n"
    "                       the best so far (default 10; 0: time every config fully)\n"
    "  --recheck N          measure each config that becomes the best so far N more times,\n"
    "                       a few trials later; the best is the config of lowest mean time\n"
    "                       (default 1; 0: one measurement each, as AutoTVM; counts in --trials)\n"
    "  --trials N           configs to measure (capped at the space size; a task list: per task)\n"
    "  --budget N           a task list: trials in total, split by the task scheduler\n"
    "  --task-scheduler S   a task list: gradient (default, Ansor's) or round-robin\n"
    "  --round-size N       a task list: configs per round, at most 64 (default min(64,\n"
    "                       budget / tasks), Ansor's num_measures_per_round)\n"
    "  --early-stopping N   stop when the last N trials found nothing better\n"
    "  --number N           calls per timed repeat (default 4)\n"
    "  --min-repeat-ms MS   grow --number until a repeat takes this long (default 0)\n"
    "  --timeout S          seconds a config's run may take before it is killed (default 10)\n"
    "  --build-timeout S    seconds a config's build (lower + LLVM) may take (default 10; raise\n"
    "                       it on a loaded machine when many trials end in build timeout)\n"
    "  --flush-cache        flush the cache between repeats\n"
    "  --resume             continue from the log: measured configs are not measured again\n"
    "  --seed N             random seed of the tuner and of the inputs (default 0)\n"
    "  -j N                 parallel builds (default: the number of cores)\n"
    "\n"
    "  -h, --help           print this help\n"
    "  --help-man           print this help as the man page tec(1), in roff\n"
    "  --version            print the version\n";

static int64_t parse_count(const char *flag, const char *s, int64_t min) {
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end || v < min)
        die("%s expects an integer >= %lld, got '%s'", flag, (long long)min, s);
    return v;
}

/* An option stored in an int: larger values would wrap silently (--number 4294967297 ran 1). */
static int parse_int(const char *flag, const char *s, int min) {
    int64_t v = parse_count(flag, s, min);
    if (v > INT_MAX) die("%s expects an integer from %d to %d, got '%s'", flag, min, INT_MAX, s);
    return (int)v;
}

static double parse_seconds(const char *flag, const char *s) {
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !(v >= 0) || v > 1e7)
        die("%s expects a number from 0 to 10000000, got '%s'", flag, s);
    return v;
}

/* True when s is one of the NULL-terminated words. */
static bool one_of(const char *s, const char *const *words) {
    for (; *words; words++)
        if (!strcmp(s, *words)) return true;
    return false;
}

/* ---- options read by more than storing a value ---- */

static void set_define(Options *o, const char *flag, char *arg) {
    (void)flag;
    char *eq = strchr(arg, '=');
    if (!eq || eq == arg || !eq[1]) die("-D expects NAME=VALUE, got '%s'", arg);
    *eq = 0;
    for (int i = 0; i < o->ndefs; i++)
        if (strcmp(o->defs[i].name, arg) == 0) die("-D %s is given twice", arg);
    o->defs[o->ndefs++] = (Define){arg, eq + 1};
}
static void set_dump_after(Options *o, const char *flag, char *arg) {
    if (!lower_is_pass(arg)) {
        char names[256];
        lower_pass_names(names, sizeof names);
        die("%s expects %s, got '%s'", flag, names, arg);
    }
    o->dump_after = arg;
}
static void set_timeout(Options *o, const char *flag, char *arg) {
    o->timeout = parse_seconds(flag, arg);
    /* 0 used to mean the default (10 s) silently; no trial can finish in 0 s. */
    if (o->timeout == 0) die("%s expects a number of seconds > 0, got '%s'", flag, arg);
}
static void set_build_timeout(Options *o, const char *flag, char *arg) {
    o->build_timeout = parse_seconds(flag, arg);
    if (o->build_timeout == 0) die("%s expects a number of seconds > 0, got '%s'", flag, arg);
}
static void set_seed(Options *o, const char *flag, char *arg) {
    o->seed = (uint64_t)parse_count(flag, arg, 0);
    o->seed_given = true;
}
static void add_transfer(Options *o, const char *flag, char *arg) {
    (void)flag;
    o->transfer[o->ntransfer++] = arg;
}
static void set_cut_slow(Options *o, const char *flag, char *arg) {
    o->cut_slow = parse_seconds(flag, arg);
    /* a factor below 1 would cut the best config itself */
    if (o->cut_slow != 0 && o->cut_slow < 1)
        die("%s expects 0 (off) or a factor >= 1, got '%s'", flag, arg);
    o->cut_slow_given = true;
}
static void set_recheck(Options *o, const char *flag, char *arg) {
    int64_t n = parse_count(flag, arg, 0);
    if (n > 8) die("%s expects 0 (off) to 8 re-measurements, got '%s'", flag, arg);
    o->recheck = (int)n;
    o->recheck_given = true;
}
static void show_help(Options *o, const char *flag, char *arg) {
    (void)o, (void)flag, (void)arg;
    fputs(usage, stdout);
    exit(0);
}
static void show_man(Options *o, const char *flag, char *arg) {
    (void)o, (void)flag, (void)arg;
    help_man(stdout, usage, TEC_VERSION);
    exit(0);
}
static void show_version(Options *o, const char *flag, char *arg) {
    (void)o, (void)flag, (void)arg;
    printf("tec %s (LLVM 19)\n", TEC_VERSION);
    exit(0);
}

/* ---- the table ---- */

enum {
    M_BUILD = 1 << MODE_BUILD,
    M_CHECK = 1 << MODE_CHECK,
    M_SPACE = 1 << MODE_SPACE,
    M_RUN = 1 << MODE_RUN,
    M_TUNE = 1 << MODE_TUNE,
    M_LOG_BEST = 1 << MODE_LOG_BEST,
    M_PLOT = 1 << MODE_PLOT,
    M_TE = M_BUILD | M_CHECK | M_SPACE | M_RUN | M_TUNE, /* the modes that read a template */
    M_ALL = (1 << MODE_COUNT) - 1,
};

/* How an option's value is read and where it goes. */
typedef enum Kind {
    K_MODE,   /* selects mode `min` */
    K_FLAG,   /* no value: sets the bool at `field` */
    K_STR,    /* the value as given, at `field` */
    K_WORD,   /* one of `words`, at `field` */
    K_COUNT,  /* an int64_t >= min */
    K_INT,    /* an int >= min */
    K_NUMBER, /* a double from 0 to 1e7 */
    K_CALL,   /* read by `call` (with a value when has_arg) */
} Kind;

typedef struct Opt {
    const char *flag; /* as messages name it: "--name" (a long option) or "-c" */
    char short_name;  /* the short form, or 0 */
    Kind kind;
    bool has_arg;   /* K_CALL only; the other kinds know */
    unsigned modes; /* the modes that read it */
    size_t field;   /* offsetof(Options, ...) */
    int64_t min;
    const char *const *words;
    void (*call)(Options *o, const char *flag, char *arg);
} Opt;

static const char *const emit_kinds[] = {"obj", "asm", "llvm", "loops", NULL};
static const char *const tuners[] = {"random", "grid", "ga", "xgb", NULL};
static const char *const task_scheds[] = {"gradient", "round-robin", NULL};
static const char *const feature_kinds[] = {"itervar", "curve", "knob", NULL};
#define AT(f) offsetof(Options, f)
#define BUILD_RUN (M_BUILD | M_RUN)
#define BUILD_RUN_TUNE (M_BUILD | M_RUN | M_TUNE)

static const Opt opts[] = {
    {"--check", 0, K_MODE, false, M_ALL, 0, MODE_CHECK, NULL, NULL},
    {"--space", 0, K_MODE, false, M_ALL, 0, MODE_SPACE, NULL, NULL},
    {"--run", 0, K_MODE, false, M_ALL, 0, MODE_RUN, NULL, NULL},
    {"--tune", 0, K_MODE, false, M_ALL, 0, MODE_TUNE, NULL, NULL},
    {"--log-best", 0, K_MODE, false, M_ALL, 0, MODE_LOG_BEST, NULL, NULL},
    {"--log-stats", 0, K_MODE, false, M_ALL, 0, MODE_LOG_STATS, NULL, NULL},
    {"--plot", 0, K_MODE, false, M_ALL, 0, MODE_PLOT, NULL, NULL},
    {"-D", 'D', K_CALL, true, M_TE, 0, 0, NULL, set_define},
    {"-t", 't', K_STR, true, M_TE, AT(tname), 0, NULL, NULL},
    {"-o", 'o', K_STR, true, M_BUILD | M_TUNE | M_LOG_BEST | M_PLOT, AT(out), 0, NULL, NULL},
    {"--emit", 0, K_WORD, true, M_BUILD, AT(emit), 0, emit_kinds, NULL},
    {"--config", 0, K_COUNT, true, M_BUILD | M_SPACE | M_RUN, AT(config), 0, NULL, NULL},
    {"--log", 0, K_STR, true, BUILD_RUN_TUNE, AT(log), 0, NULL, NULL},
    {"--fallback", 0, K_FLAG, false, BUILD_RUN, AT(fallback), 0, NULL, NULL},
    {"--target", 0, K_STR, true, BUILD_RUN_TUNE, AT(triple), 0, NULL, NULL},
    {"--mcpu", 0, K_STR, true, BUILD_RUN_TUNE, AT(cpu), 0, NULL, NULL},
    {"--repeat", 0, K_INT, true, M_RUN | M_TUNE, AT(repeat), 1, NULL, NULL},
    {"--verify-ir", 0, K_FLAG, false, BUILD_RUN, AT(verify), 0, NULL, NULL},
    {"--dump-after", 0, K_CALL, true, BUILD_RUN, 0, 0, NULL, set_dump_after},
    {"--tuner", 0, K_WORD, true, M_TUNE, AT(tuner), 0, tuners, NULL},
    {"--features", 0, K_WORD, true, M_TUNE, AT(features), 0, feature_kinds, NULL},
    {"--transfer", 0, K_CALL, true, M_TUNE, 0, 0, NULL, add_transfer},
    {"--cut-slow", 0, K_CALL, true, M_TUNE, 0, 0, NULL, set_cut_slow},
    {"--recheck", 0, K_CALL, true, M_TUNE, 0, 0, NULL, set_recheck},
    {"--trials", 0, K_COUNT, true, M_TUNE, AT(trials), 1, NULL, NULL},
    {"--budget", 0, K_COUNT, true, M_TUNE, AT(budget), 1, NULL, NULL},
    {"--task-scheduler", 0, K_WORD, true, M_TUNE, AT(task_sched), 0, task_scheds, NULL},
    {"--round-size", 0, K_COUNT, true, M_TUNE, AT(round_size), 1, NULL, NULL},
    {"--early-stopping", 0, K_COUNT, true, M_TUNE, AT(early_stopping), 1, NULL, NULL},
    {"--number", 0, K_INT, true, M_TUNE, AT(number), 1, NULL, NULL},
    {"--min-repeat-ms", 0, K_NUMBER, true, M_TUNE, AT(min_repeat_ms), 0, NULL, NULL},
    {"--timeout", 0, K_CALL, true, M_TUNE, 0, 0, NULL, set_timeout},
    {"--build-timeout", 0, K_CALL, true, M_TUNE, 0, 0, NULL, set_build_timeout},
    {"--flush-cache", 0, K_FLAG, false, M_TUNE, AT(flush_cache), 0, NULL, NULL},
    {"--resume", 0, K_FLAG, false, M_TUNE, AT(resume), 0, NULL, NULL},
    {"--seed", 0, K_CALL, true, M_TUNE, 0, 0, NULL, set_seed},
    {"-j", 'j', K_INT, true, M_TUNE, AT(jobs), 1, NULL, NULL},
    {"--help", 'h', K_CALL, false, M_ALL, 0, 0, NULL, show_help},
    {"--help-man", 0, K_CALL, false, M_ALL, 0, 0, NULL, show_man},
    {"--version", 0, K_CALL, false, M_ALL, 0, 0, NULL, show_version},
};
enum { NOPTS = sizeof opts / sizeof *opts, OPT_BASE = 256 };

/* getopt_long's tables from opts: a long option returns OPT_BASE + its row. */
static void getopt_tables(struct option *longopts, char *shortopts) {
    int nl = 0, ns = 0;
    shortopts[ns++] = ':';
    for (int i = 0; i < NOPTS; i++) {
        bool arg = opts[i].kind == K_CALL ? opts[i].has_arg
                                          : opts[i].kind != K_MODE && opts[i].kind != K_FLAG;
        int has = arg ? required_argument : no_argument;
        if (opts[i].flag[1] == '-')
            longopts[nl++] = (struct option){opts[i].flag + 2, has, 0, OPT_BASE + i};
        if (opts[i].short_name) {
            shortopts[ns++] = opts[i].short_name;
            if (arg) shortopts[ns++] = ':';
        }
    }
    longopts[nl] = (struct option){0, 0, 0, 0};
    shortopts[ns] = 0;
}

static const Opt *find_opt(int c) {
    if (c >= OPT_BASE && c < OPT_BASE + NOPTS) return &opts[c - OPT_BASE];
    for (int i = 0; i < NOPTS; i++)
        if (opts[i].short_name && opts[i].short_name == c) return &opts[i];
    return NULL;
}

/* Stores (or reads) one option's value. */
static void apply(Options *o, const Opt *op, char *arg) {
    char *at = (char *)o + op->field;
    switch (op->kind) {
    case K_MODE:
        o->mode = (Mode)op->min;
        break;
    case K_FLAG:
        *(bool *)at = true;
        break;
    case K_STR:
        *(const char **)at = arg;
        break;
    case K_WORD:
        if (!one_of(arg, op->words)) {
            char list[128] = "";
            for (int i = 0; op->words[i]; i++)
                snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s",
                         i == 0             ? ""
                         : op->words[i + 1] ? ", "
                                            : " or ",
                         op->words[i]);
            die("%s expects %s, got '%s'", op->flag, list, arg);
        }
        *(const char **)at = arg;
        break;
    case K_COUNT:
        *(int64_t *)at = parse_count(op->flag, arg, op->min);
        break;
    case K_INT:
        *(int *)at = parse_int(op->flag, arg, (int)op->min);
        break;
    case K_NUMBER:
        *(double *)at = parse_seconds(op->flag, arg);
        break;
    case K_CALL:
        op->call(o, op->flag, arg);
        break;
    }
}

/* An option given in a mode that does not read it: the error names it and where it applies. */
static _Noreturn void wrong_mode(const Opt *op, Mode mode) {
    static const char *const with[] = {"when compiling (the default mode)",
                                       "with --check",
                                       "with --space",
                                       "with --run",
                                       "with --tune",
                                       "with --log-best",
                                       "with --log-stats",
                                       "with --plot"};
    static const char *const names[] = {"compiling (the default mode)",
                                        "--check",
                                        "--space",
                                        "--run",
                                        "--tune",
                                        "--log-best",
                                        "--log-stats",
                                        "--plot"};
    if (op->modes == M_TUNE) die("%s is a tuning option: it needs --tune", op->flag);
    char where[160] = "";
    int n = 0, total = __builtin_popcount(op->modes);
    for (int m = 0; m < MODE_COUNT; m++) {
        if (!(op->modes & (1u << m))) continue;
        const char *sep = n == 0 ? "" : n == total - 1 ? " and " : ", ";
        snprintf(where + strlen(where), sizeof where - strlen(where), "%s%s", sep, names[m]);
        n++;
    }
    die("%s does nothing %s: it applies to %s", op->flag, with[mode], where);
}

void options_parse(int argc, char **argv, Options *o) {
    struct option longopts[NOPTS + 1];
    char shortopts[2 * NOPTS + 2];
    getopt_tables(longopts, shortopts);
    memset(o, 0, sizeof *o);
    o->config = -1;
    o->defs = xcalloc((size_t)argc, sizeof(Define));
    o->transfer = xcalloc((size_t)argc, sizeof *o->transfer);
    bool given[NOPTS] = {0};
    int nmodes = 0, c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
        if (c == ':') die("option '%s' needs a value (see tec --help)", argv[optind - 1]);
        const Opt *op = find_opt(c);
        if (!op) die("unknown option '%s' (see tec --help)", argv[optind - 1]);
        given[op - opts] = true;
        nmodes += op->kind == K_MODE;
        apply(o, op, optarg);
    }
    if (nmodes > 1)
        die("give at most one of --check, --space, --run, --tune, --log-best, --log-stats and "
            "--plot");
    if (optind >= argc)
        die(MODE_IS_LOG_TOOL(o->mode) ? "no input log (see tec --help)"
                                      : "no input file (usage: tec [options] FILE.te; see tec "
                                        "--help)");
    /* --log-stats and --plot read several logs; everything else one file */
    bool many = o->mode == MODE_LOG_STATS || o->mode == MODE_PLOT;
    if (!many && optind + 1 < argc)
        die("more than one input file: '%s' and '%s'", argv[optind], argv[optind + 1]);
    o->file = argv[optind];
    o->files = argv + optind;
    o->nfiles = argc - optind;
    /* A task list can only be tuned: --tune may be left out (under Open MPI's mpirun it must be,
     * as mpirun takes `--tune FILE` anywhere on its command line for a file of its own). */
    if (nmodes == 0 && task_file_is_list(o->file)) o->mode = MODE_TUNE;
    if (!o->emit) o->emit = "obj";
    if (o->config >= 0 && o->log && o->mode != MODE_TUNE) die("give --config or --log, not both");
    for (int i = 0; i < NOPTS; i++)
        if (given[i] && !(opts[i].modes & (1u << o->mode))) wrong_mode(&opts[i], o->mode);
    if ((o->mode == MODE_LOG_BEST || o->mode == MODE_PLOT) && !o->out)
        die("%s needs -o OUT (it never writes over its input)",
            o->mode == MODE_PLOT ? "--plot" : "--log-best");
    if ((o->features || o->ntransfer) && o->mode == MODE_TUNE &&
        (!o->tuner || strcmp(o->tuner, "xgb") != 0))
        die("%s applies to the xgb tuner's cost model: add --tuner xgb",
            o->features ? "--features" : "--transfer");
    if (o->fallback && !o->log) die("--fallback needs --log (it says what to do without a record)");
}

void options_free(Options *o) {
    free(o->defs);
    o->defs = NULL;
    free(o->transfer);
    o->transfer = NULL;
}
